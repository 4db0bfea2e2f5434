import { ESTATES, estateNamed } from './estates/catalog';
import { EstateSize } from './estates/size';

/** How `npm run bench` is run. */
export interface BenchOptions {
  /** Estates to run, in the catalog's order. */
  readonly estates: string[];
  /** Heavy estates left out (`--without-10x`, or `--estate` naming others). */
  readonly skipped: string[];
  /** Alternating library/floor pairs per estate and mode. */
  readonly pairs: number;
  /** Pairs for heavy estates (`--pairs-10x`; as many as `pairs` unless given). */
  readonly heavyPairs: number;
  readonly modes: Array<'ts-node' | 'compiled'>;
  /** Whether to time the evaluator (segment matrix, query). */
  readonly evaluator: boolean;
  /**
   * V8 flags given to every synthesis process, library and floor alike (`--node-flags`), such as a
   * larger young generation for large estates; the evaluator's processes run without them.
   */
  readonly nodeFlags: string[];
  /**
   * Whether both sides build their resources with cdktf's token traces paused, as the README
   * advises for large estates (the default; `--capture-token-traces` measures apps written without
   * that advice).
   */
  readonly pauseTokenTraces: boolean;
  /**
   * The size the one estate named runs at (`--size`), to see how the two sides' difference moves
   * with the estate's size: the targets hold for each estate at its own size, so such a row is
   * shown but not judged, and the evaluator does not run.
   * @default - each estate at its own size
   */
  readonly size?: EstateSize;
}

export const USAGE = `usage: npm run bench -- [--help] [--estate NAME[,NAME]]... [--pairs N] [--mode ts-node|compiled|both] [--without-10x] [--pairs-10x N] [--no-evaluator] [--node-flags --FLAG[=VALUE][,--FLAG[=VALUE]]...] [--capture-token-traces] [--size SEGMENTS,WORKLOADS,FLOWS]
  estates: ${ESTATES.map((e) => e.name + (e.heavy ? ' (heavy: minutes and several GB, left out by --without-10x)' : '')).join(', ')}
  defaults: every estate, --pairs 5, --mode both, --pairs-10x as --pairs, no node flags, token traces paused while both sides build, each estate at its own size
  --size runs the one estate --estate names at another size, its row not judged (the targets are for each estate's own size), without the evaluator`;

/** Parses the bench's command line; throws with the usage on a bad option. */
export function parseOptions(argv: readonly string[]): BenchOptions {
  const named: string[] = [];
  let pairs = 5;
  let heavyPairs: number | undefined;
  let mode = 'both';
  let without10x = false;
  let with10x = false;
  let evaluator = true;
  let nodeFlags: string[] = [];
  let pauseTokenTraces = true;
  let size: EstateSize | undefined;
  const count = (flag: string, value: string | undefined) => wholeCount(flag, value, USAGE);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--estate') named.push(...String(argv[++i]).split(','));
    else if (arg === '--pairs') pairs = count(arg, argv[++i]);
    else if (arg === '--pairs-10x') heavyPairs = count(arg, argv[++i]);
    else if (arg === '--mode') mode = String(argv[++i]);
    else if (arg === '--without-10x') without10x = true;
    else if (arg === '--with-10x') with10x = true; // the default without --estate; kept so that earlier records' commands still run
    else if (arg === '--no-evaluator') evaluator = false;
    else if (arg === '--node-flags') nodeFlags = nodeFlagsOf(argv[++i]);
    else if (arg === CAPTURE_TOKEN_TRACES) pauseTokenTraces = false;
    else if (arg === '--size') size = estateSizeOf(argv[++i]);
    else if (arg === '--help') throw new Error(USAGE);
    else throw new Error(`unknown option "${arg}"\n${USAGE}`);
  }
  if (!['ts-node', 'compiled', 'both'].includes(mode)) throw new Error(`--mode must be ts-node, compiled or both, got "${mode}"\n${USAGE}`);
  named.forEach(estateNamed);
  if (without10x && (with10x || named.length > 0)) {
    throw new Error(`--without-10x leaves the 10x estate out of the default estates; it goes with neither --with-10x nor --estate (name the estates to run instead)\n${USAGE}`);
  }
  const heavy = (name: string) => estateNamed(name).heavy === true;
  if (size !== undefined && (named.length !== 1 || with10x || heavy(named[0]))) {
    throw new Error(`--size sets the size of one estate: name it with --estate, one of ${ESTATES.filter((e) => !e.heavy).map((e) => e.name).join(', ')} (the 10x estate is aws-sg at ten times its size), got ${named.length === 0 ? 'none' : named.concat(with10x ? ['--with-10x'] : []).join(', ')}\n${USAGE}`);
  }
  const wanted = (name: string) => (named.length > 0 ? named.includes(name) || (with10x && heavy(name)) : !(without10x && heavy(name)));
  const estates = ESTATES.filter((e) => wanted(e.name)).map((e) => e.name);
  const skipped = ESTATES.filter((e) => e.heavy && !estates.includes(e.name)).map((e) => e.name);
  const modes: Array<'ts-node' | 'compiled'> = mode === 'both' ? ['ts-node', 'compiled'] : [mode as 'ts-node' | 'compiled'];
  // the evaluator reads the estates at their own sizes
  const evaluates = evaluator && size === undefined;
  const sized = size ? { size } : {};
  return { estates, skipped, pairs, heavyPairs: heavyPairs ?? pairs, modes, evaluator: evaluates, nodeFlags, pauseTokenTraces, ...sized };
}

/** The estate size of `--size`: segments, workloads and flows, whole numbers >= 1 separated by commas. */
function estateSizeOf(value: string | undefined): EstateSize {
  const counts = String(value ?? '').split(',').map(Number);
  if (counts.length !== 3 || !counts.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new Error(`--size needs three whole numbers >= 1, segments, workloads and flows, such as 6,60,40, got "${value}"\n${USAGE}`);
  }
  const [segments, workloads, flows] = counts;
  return { segments, workloads, flows };
}

/**
 * The V8 flags of `--node-flags` (of `npm run bench` and `npm run bench:phases`), separated by
 * commas (npm and projen pass the option's words on unquoted): each must be a flag, so a value
 * cannot pass for a script.
 */
export function nodeFlagsOf(value: string | undefined, usage: string = USAGE): string[] {
  const flags = String(value ?? '').split(/[,\s]+/).filter((flag) => flag !== '');
  const bad = flags.find((flag) => !/^--[a-z][a-z0-9_-]*(=\S+)?$/.test(flag));
  if (flags.length === 0 || bad !== undefined) {
    throw new Error(`--node-flags needs node flags such as --max-semi-space-size=32,--max-old-space-size=2400, got "${bad ?? value}"\n${usage}`);
  }
  return flags;
}

/**
 * The options `parse` reads from `argv`, or undefined once it has printed why not to stderr: the
 * usage asked for with `--help` (exit code 0), or what is wrong with the usage (exit code 2).
 * The command line of `npm run bench` and of `npm run bench:phases`.
 */
export function commandLineOptions<T>(parse: (argv: readonly string[]) => T, argv: readonly string[]): T | undefined {
  try {
    return parse(argv);
  } catch (error) {
    const message = (error as Error).message;
    process.stderr.write(`${message}\n`);
    process.exitCode = message.startsWith('usage') ? 0 : 2;
    return undefined;
  }
}

/** The flag a synthesis process of the bench (`run-one`, `phase-timing`) takes before its operands. */
export const PAUSE_TOKEN_TRACES = '--pause-token-traces';

/** The option of `npm run bench` and `npm run bench:phases` that has both sides capture token traces. */
export const CAPTURE_TOKEN_TRACES = '--capture-token-traces';

/**
 * The operands of a synthesis process of the bench after its optional leading
 * `--pause-token-traces`, and whether that flag was given.
 */
export function pauseOption(args: readonly string[]): { pause: boolean; operands: string[] } {
  const pause = args[0] === PAUSE_TOKEN_TRACES;
  return { pause, operands: args.slice(pause ? 1 : 0) };
}

/** The value of a bench option that counts something (`--pairs`, `--runs`): a whole number >= 1, or an error naming the flag, the value and the usage. */
export function wholeCount(flag: string, value: string | undefined, usage: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a whole number >= 1, got "${value}"\n${usage}`);
  return n;
}

/** The flag of `phase-timing` (and the option of `npm run bench:phases`) that holds memory in the old generation while the estate synthesizes. */
export const HOLD_MIB = '--hold-mib';

/**
 * The operands of `phase-timing` after its optional leading `--pause-token-traces` and
 * `--hold-mib N` (in that order), whether it pauses, and how many MiB it holds (0 without the flag).
 */
export function phaseTimingOptions(args: readonly string[]): { pause: boolean; holdMiB: number; operands: string[] } {
  const { pause, operands } = pauseOption(args);
  if (operands[0] !== HOLD_MIB) return { pause, holdMiB: 0, operands };
  return { pause, holdMiB: wholeCount(HOLD_MIB, operands[1], 'usage: phase-timing [--pause-token-traces] [--hold-mib N] <estate> <outdir>'), operands: operands.slice(2) };
}

/** How `npm run bench:phases` is run. */
export interface PhasesOptions {
  /** Runs per estate, the estates alternating. */
  readonly runs: number;
  /** Whether each run builds its estate with token traces paused (the default), as the bench does. */
  readonly pauseTokenTraces: boolean;
  /** V8 flags given to every timed process (`--node-flags`), as the bench gives them to its synthesis processes. */
  readonly nodeFlags: string[];
  /** MiB of small objects each timed process keeps in the old generation while it synthesizes (`--hold-mib`); 0 for none. */
  readonly holdMiB: number;
  /** The estates, by name. */
  readonly estates: string[];
}

export const PHASES_USAGE = 'usage: npm run bench:phases -- [--runs N] [--capture-token-traces] [--node-flags --FLAG[=VALUE][,...]] [--hold-mib N] <estate> [<estate>...]   (for example --runs 3 aws-sg aws-sg-10x)';

/** Parses the command line of `npm run bench:phases`; throws with the usage on a bad option or when no estate is named. */
export function parsePhasesOptions(argv: readonly string[]): PhasesOptions {
  let runs = 1;
  let pauseTokenTraces = true;
  let nodeFlags: string[] = [];
  let holdMiB = 0;
  const estates: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--runs') runs = wholeCount(arg, argv[++i], PHASES_USAGE);
    else if (arg === CAPTURE_TOKEN_TRACES) pauseTokenTraces = false;
    else if (arg === '--node-flags') nodeFlags = nodeFlagsOf(argv[++i], PHASES_USAGE);
    else if (arg === HOLD_MIB) holdMiB = wholeCount(arg, argv[++i], PHASES_USAGE);
    else if (arg === '--help') throw new Error(PHASES_USAGE);
    else if (arg.startsWith('--')) throw new Error(`unknown option "${arg}"\n${PHASES_USAGE}`);
    else estates.push(arg);
  }
  if (estates.length === 0) throw new Error(`name at least one estate\n${PHASES_USAGE}`);
  estates.forEach(estateNamed);
  return { runs, pauseTokenTraces, nodeFlags, holdMiB, estates };
}
