import { ESTATES, estateNamed } from './estates/catalog';

/** How `npm run bench` is run. */
export interface BenchOptions {
  /** Estates to run, in the catalog's order. */
  readonly estates: string[];
  /** Heavy estates left out (not asked for). */
  readonly skipped: string[];
  /** Alternating library/floor pairs per estate and mode. */
  readonly pairs: number;
  /** Pairs for heavy estates. */
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
}

export const USAGE = `usage: npm run bench -- [--help] [--estate NAME[,NAME]]... [--pairs N] [--mode ts-node|compiled|both] [--with-10x] [--pairs-10x N] [--no-evaluator] [--node-flags --FLAG[=VALUE][,--FLAG[=VALUE]]...] [--capture-token-traces]
  estates: ${ESTATES.map((e) => e.name + (e.heavy ? ' (heavy: only by name or --with-10x)' : '')).join(', ')}
  defaults: every estate but the heavy ones, --pairs 5, --mode both, --pairs-10x 1, no node flags, token traces paused while both sides build`;

/** Parses the bench's command line; throws with the usage on a bad option. */
export function parseOptions(argv: readonly string[]): BenchOptions {
  const named: string[] = [];
  let pairs = 5;
  let heavyPairs = 1;
  let mode = 'both';
  let with10x = false;
  let evaluator = true;
  let nodeFlags: string[] = [];
  let pauseTokenTraces = true;
  const count = (flag: string, value: string | undefined) => wholeCount(flag, value, USAGE);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--estate') named.push(...String(argv[++i]).split(','));
    else if (arg === '--pairs') pairs = count(arg, argv[++i]);
    else if (arg === '--pairs-10x') heavyPairs = count(arg, argv[++i]);
    else if (arg === '--mode') mode = String(argv[++i]);
    else if (arg === '--with-10x') with10x = true;
    else if (arg === '--no-evaluator') evaluator = false;
    else if (arg === '--node-flags') nodeFlags = flagsOf(argv[++i]);
    else if (arg === CAPTURE_TOKEN_TRACES) pauseTokenTraces = false;
    else if (arg === '--help') throw new Error(USAGE);
    else throw new Error(`unknown option "${arg}"\n${USAGE}`);
  }
  if (!['ts-node', 'compiled', 'both'].includes(mode)) throw new Error(`--mode must be ts-node, compiled or both, got "${mode}"\n${USAGE}`);
  named.forEach(estateNamed);
  const wanted = (name: string) => (named.length > 0 ? named.includes(name) : !estateNamed(name).heavy || with10x);
  const estates = ESTATES.filter((e) => wanted(e.name) || (with10x && e.heavy)).map((e) => e.name);
  const skipped = ESTATES.filter((e) => e.heavy && !estates.includes(e.name)).map((e) => e.name);
  const modes: Array<'ts-node' | 'compiled'> = mode === 'both' ? ['ts-node', 'compiled'] : [mode as 'ts-node' | 'compiled'];
  return { estates, skipped, pairs, heavyPairs, modes, evaluator, nodeFlags, pauseTokenTraces };
}

/**
 * The V8 flags of `--node-flags`, separated by commas (npm and projen pass the option's words on
 * unquoted): each must be a flag, so a value cannot pass for a script.
 */
function flagsOf(value: string | undefined): string[] {
  const flags = String(value ?? '').split(/[,\s]+/).filter((flag) => flag !== '');
  const bad = flags.find((flag) => !/^--[a-z][a-z0-9_-]*(=\S+)?$/.test(flag));
  if (flags.length === 0 || bad !== undefined) {
    throw new Error(`--node-flags needs node flags such as --max-semi-space-size=64,--max-old-space-size=2400, got "${bad ?? value}"\n${USAGE}`);
  }
  return flags;
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
