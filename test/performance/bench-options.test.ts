import { parseOptions, pauseOption } from '../../bench/options';

describe('npm run bench options', () => {
  test('--node-flags gives the same V8 flags to every synthesis process', () => {
    const options = parseOptions(['--estate', 'aws-sg', '--node-flags', '--max-semi-space-size=64,--max-old-space-size=2400']);
    expect(options.nodeFlags).toEqual(['--max-semi-space-size=64', '--max-old-space-size=2400']);
    expect(options.estates).toEqual(['aws-sg']);
  });

  test('--node-flags takes V8 flags spelled with underscores, as Node does', () => {
    expect(parseOptions(['--node-flags', '--max_old_space_size=2400']).nodeFlags).toEqual(['--max_old_space_size=2400']);
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
    expect(() => parseOptions(argv)).toThrow(`--node-flags needs node flags such as --max-semi-space-size=64,--max-old-space-size=2400, got ${quoted}`);
  });
});
