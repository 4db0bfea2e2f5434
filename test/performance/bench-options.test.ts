import { ESTATES, estateNamed } from '../../bench/estates/catalog';
import { commandLineOptions, parseOptions, parsePhasesOptions, pauseOption, phaseTimingOptions } from '../../bench/options';

describe('npm run bench options', () => {
  test('--node-flags gives the same V8 flags to every synthesis process', () => {
    const options = parseOptions(['--estate', 'aws-sg', '--node-flags', '--max-semi-space-size=64,--max-old-space-size=2400']);
    expect(options.nodeFlags).toEqual(['--max-semi-space-size=64', '--max-old-space-size=2400']);
    expect(options.estates).toEqual(['aws-sg']);
  });

  test('--node-flags takes V8 flags spelled with underscores, as Node does', () => {
    expect(parseOptions(['--node-flags', '--max_old_space_size=2400']).nodeFlags).toEqual(['--max_old_space_size=2400']);
  });

  test('the 10x estate runs as many pairs as the others unless --pairs-10x says otherwise', () => {
    expect(parseOptions([]).heavyPairs).toBe(5);
    expect(parseOptions(['--pairs', '3']).heavyPairs).toBe(3);
    expect(parseOptions(['--pairs', '3', '--pairs-10x', '1']).heavyPairs).toBe(1);
  });

  test('by default every estate runs, the 10x one last', () => {
    const options = parseOptions([]);
    expect(options.estates).toEqual(['aws-sg', 'aws-nacl', 'azure', 'nsx', 'mixed', 'aws-sg-10x']);
    expect(options.skipped).toEqual([]);
  });

  test('--without-10x leaves the 10x estate out and says so', () => {
    const options = parseOptions(['--without-10x']);
    expect(options.estates).toEqual(['aws-sg', 'aws-nacl', 'azure', 'nsx', 'mixed']);
    expect(options.skipped).toEqual(['aws-sg-10x']);
  });

  test('--estate runs only the estates named; --with-10x, the default otherwise, adds the 10x one as it did before', () => {
    expect(parseOptions(['--estate', 'azure']).estates).toEqual(['azure']);
    expect(parseOptions(['--estate', 'azure']).skipped).toEqual(['aws-sg-10x']);
    expect(parseOptions(['--estate', 'aws-sg-10x']).estates).toEqual(['aws-sg-10x']);
    expect(parseOptions(['--estate', 'azure', '--with-10x']).estates).toEqual(['azure', 'aws-sg-10x']);
    expect(parseOptions(['--with-10x']).estates).toEqual(parseOptions([]).estates);
  });

  test.each([
    ['--estate', ['--without-10x', '--estate', 'aws-sg']],
    ['--with-10x', ['--with-10x', '--without-10x']],
  ])('--without-10x with %s is refused, naming the way to choose estates', (_what, argv) => {
    expect(() => parseOptions(argv)).toThrow('--without-10x leaves the 10x estate out of the default estates; it goes with neither --with-10x nor --estate (name the estates to run instead)');
  });

  test('the 10x estate is timed against the estate it scales, which the catalog has', () => {
    expect(estateNamed('aws-sg-10x').scales).toBe('aws-sg');
    expect(estateNamed(estateNamed('aws-sg-10x').scales!).heavy).toBeUndefined();
    expect(ESTATES.filter((e) => e.scales !== undefined).map((e) => e.name)).toEqual(['aws-sg-10x']);
  });

  test('without --node-flags the processes run with none', () => {
    expect(parseOptions([]).nodeFlags).toEqual([]);
  });

  test('both sides build with token traces paused, unless --capture-token-traces', () => {
    expect(parseOptions(['--estate', 'aws-sg']).pauseTokenTraces).toBe(true);
    expect(parseOptions(['--estate', 'aws-sg', '--capture-token-traces']).pauseTokenTraces).toBe(false);
    expect(() => parseOptions(['--help'])).toThrow('[--capture-token-traces]');
  });

  test.each([
    ['the library side, paused', ['--pause-token-traces', 'aws-sg', 'out', '20', '200', '500'], true, ['aws-sg', 'out', '20', '200', '500']],
    ['the floor, paused', ['--pause-token-traces', 'aws-sg', 'out', 'plan.v8'], true, ['aws-sg', 'out', 'plan.v8']],
    ['the floor, capturing', ['aws-sg', 'out', 'plan.v8'], false, ['aws-sg', 'out', 'plan.v8']],
  ])('a synthesis process of %s reads its flag and operands', (_what, args, pause, operands) => {
    expect(pauseOption(args)).toEqual({ pause, operands });
  });

  test('--help shows --node-flags', () => {
    expect(() => parseOptions(['--help'])).toThrow('[--node-flags --FLAG[=VALUE][,--FLAG[=VALUE]]...]');
  });

  test.each([
    ['a word that is no flag', 'bench/run-one.js', '"bench/run-one.js"'],
    ['nothing', '', '""'],
    ['a missing value', undefined, '"undefined"'],
  ])('--node-flags with %s is refused, quoting it', (_what, value, quoted) => {
    const argv = value === undefined ? ['--node-flags'] : ['--node-flags', value];
    expect(() => parseOptions(argv)).toThrow(`--node-flags needs node flags such as --max-semi-space-size=32,--max-old-space-size=2400, got ${quoted}`);
  });

  test('--size runs the one estate named at that size, without the evaluator', () => {
    const options = parseOptions(['--estate', 'mixed', '--size', '6,60,40', '--mode', 'compiled']);
    expect(options.estates).toEqual(['mixed']);
    expect(options.size).toEqual({ segments: 6, workloads: 60, flows: 40 });
    expect(options.evaluator).toBe(false);
    expect(parseOptions(['--estate', 'mixed']).size).toBeUndefined();
    expect(parseOptions(['--estate', 'mixed']).evaluator).toBe(true);
  });

  test.each([
    ['no estate', ['--size', '6,60,40'], 'got none'],
    ['two estates', ['--estate', 'mixed,azure', '--size', '6,60,40'], 'got mixed, azure'],
    ['the 10x estate', ['--estate', 'aws-sg-10x', '--size', '6,60,40'], 'got aws-sg-10x'],
    ['the 10x estate added', ['--estate', 'mixed', '--with-10x', '--size', '6,60,40'], 'got mixed, --with-10x'],
  ])('--size with %s is refused, naming the estates it takes', (_what, argv, got) => {
    expect(() => parseOptions(argv)).toThrow(`--size sets the size of one estate: name it with --estate, one of aws-sg, aws-nacl, azure, nsx, mixed (the 10x estate is aws-sg at ten times its size), ${got}`);
  });

  test.each([
    ['two numbers', '6,60', '"6,60"'],
    ['a zero', '6,0,40', '"6,0,40"'],
    ['a fraction', '6,60.5,40', '"6,60.5,40"'],
    ['nothing', undefined, '"undefined"'],
  ])('--size with %s is refused, quoting it', (_what, value, quoted) => {
    const argv = ['--estate', 'mixed', ...(value === undefined ? ['--size'] : ['--size', value])];
    expect(() => parseOptions(argv)).toThrow(`--size needs three whole numbers >= 1, segments, workloads and flows, such as 6,60,40, got ${quoted}`);
  });
});

describe('npm run bench:phases options', () => {
  test('by default one run per estate, paused, with Node\'s flags and nothing held', () => {
    expect(parsePhasesOptions(['aws-sg', 'aws-sg-10x'])).toEqual({ runs: 1, pauseTokenTraces: true, nodeFlags: [], holdMiB: 0, estates: ['aws-sg', 'aws-sg-10x'] });
  });

  test('--runs, --capture-token-traces, --node-flags and --hold-mib each set their part', () => {
    const options = parsePhasesOptions(['--runs', '3', '--capture-token-traces', '--node-flags', '--max-semi-space-size=32', '--hold-mib', '1500', 'aws-sg']);
    expect(options).toEqual({ runs: 3, pauseTokenTraces: false, nodeFlags: ['--max-semi-space-size=32'], holdMiB: 1500, estates: ['aws-sg'] });
  });

  test.each([
    ['no estate', ['--runs', '2'], 'name at least one estate'],
    ['an unknown option', ['--runs-10x', '2', 'aws-sg'], 'unknown option "--runs-10x"'],
    ['a hold that is no whole number', ['--hold-mib', '1.5', 'aws-sg'], '--hold-mib needs a whole number >= 1, got "1.5"'],
    ['node flags that are no flags', ['--node-flags', 'bench/run-one.js', 'aws-sg'], 'got "bench/run-one.js"'],
    ['an unknown estate', ['aws-sg-100x'], 'aws-sg-100x'],
  ])('%s is refused with the reason', (_what, argv, message) => {
    expect(() => parsePhasesOptions(argv)).toThrow(message);
  });

  test('a bad option names the usage of bench:phases, not of bench', () => {
    expect(() => parsePhasesOptions(['--hold-mib', 'x', 'aws-sg'])).toThrow('usage: npm run bench:phases');
  });

  test.each([
    ['nothing before the operands', ['aws-sg', 'out'], { pause: false, holdMiB: 0, operands: ['aws-sg', 'out'] }],
    ['the pause', ['--pause-token-traces', 'aws-sg', 'out'], { pause: true, holdMiB: 0, operands: ['aws-sg', 'out'] }],
    ['the pause and a hold', ['--pause-token-traces', '--hold-mib', '200', 'aws-sg', 'out'], { pause: true, holdMiB: 200, operands: ['aws-sg', 'out'] }],
    ['a hold alone', ['--hold-mib', '200', 'aws-sg', 'out'], { pause: false, holdMiB: 200, operands: ['aws-sg', 'out'] }],
  ])('the timed process reads %s', (_what, args, expected) => {
    expect(phaseTimingOptions(args)).toEqual(expected);
  });
});

describe('the command line of the bench and of bench:phases', () => {
  let written: string[];
  beforeEach(() => {
    written = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((text: string | Uint8Array) => written.push(String(text)) > 0);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    process.exitCode = undefined;
  });

  test('good options are returned, nothing printed', () => {
    expect(commandLineOptions(parsePhasesOptions, ['aws-sg'])?.estates).toEqual(['aws-sg']);
    expect(written).toEqual([]);
    expect(process.exitCode).toBeUndefined();
  });

  test('--help prints the usage and exits 0', () => {
    expect(commandLineOptions(parseOptions, ['--help'])).toBeUndefined();
    expect(written.join('')).toMatch(/^usage: npm run bench -- /);
    expect(process.exitCode).toBe(0);
  });

  test('a bad option prints what is wrong with the usage and exits 2', () => {
    expect(commandLineOptions(parsePhasesOptions, ['--hold-mib', '0', 'aws-sg'])).toBeUndefined();
    expect(written.join('')).toMatch(/^--hold-mib needs a whole number >= 1, got "0"\nusage: npm run bench:phases/);
    expect(process.exitCode).toBe(2);
  });
});
