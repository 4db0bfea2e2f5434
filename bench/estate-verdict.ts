import { estateNamed } from './estates/catalog';
import { EstateSize } from './estates/size';
import { secondsCell, spread } from './stats';

/** How a synthesis process runs: under ts-node, as users run `cdktf synth`, or as compiled JavaScript. */
export type Mode = 'ts-node' | 'compiled';

/** Per estate, the library's wall time against the floor's at most this. */
export const TIME_TARGET = 1.10;
/** Per estate, the library's peak memory against the floor's at most this. */
export const MEMORY_TARGET = 1.15;
/** The 10x estate's time against its 1x at most this. */
export const TEN_X_TIME_TARGET = 10.5;
/** The 3 GB, read strictly: 3,000,000,000 bytes, 2,861 MiB (not 3 GiB, 3,072 MiB). */
export const TEN_X_MEMORY_MIB = 3e9 / 2 ** 20;

/** One synthesis process. */
export interface Sample {
  /** Wall time of the whole process, the floor's preparation excluded. */
  readonly seconds: number;
  /** CPU time (user + system) of the process, start-up included, the floor's preparation excluded: steadier than wall time on a shared machine. */
  readonly cpuSeconds: number;
  /** Peak resident memory of the process. */
  readonly peakRssMiB: number;
}

/** The runs of one estate in one mode. */
export interface EstateResult {
  readonly estate: string;
  readonly mode: Mode;
  readonly library: Sample[];
  readonly floor: Sample[];
  /** How the floor's output compared with the library's, and the library's with its first run. */
  readonly output: string;
  /** The library's output directory of the last pair (kept for the evaluator). */
  readonly libraryOut: string;
  /**
   * For an estate that scales another (the 10x estate): that estate (`aws-sg`), library and floor,
   * run once in each of its pairs, so the 10x time is divided by a 1x time taken in the same minutes
   * rather than in the minutes before them; empty for the others.
   */
  readonly alongside: { readonly library: Sample[]; readonly floor: Sample[] };
  /**
   * The size both sides ran at when `--size` gave one: the row is then shown, not judged.
   * @default - the estate's own size, judged against the targets
   */
  readonly size?: EstateSize;
}

/** One estate's row of the bench's table, and its verdict. */
export interface Row {
  readonly cells: string[];
  /** Whether the row meets its targets; a row at a size `--size` gave has none, and reads "n/a". */
  readonly pass: boolean;
}

/**
 * The row of one estate and mode: medians (min-max) of both sides, their ratios, the target and the
 * verdict. An estate that scales another is judged by its growth against the runs of that estate
 * made inside its pairs and by its largest peak; the others by their ratios to the floor. A floor
 * whose output differed from the library's fails the row.
 *
 * A ratio to the floor is the median of the pairs' ratios (each the library's process against the
 * floor's that ran right after it), not the ratio of the two sides' medians: the machine's speed
 * drifts from minute to minute, and a pair's two processes share its minute, whereas the two
 * medians may come from different pairs.
 */
export function estateRow(result: EstateResult): Row {
  if (result.library.length !== result.floor.length) {
    throw new Error(`bench: ${result.estate} ${result.mode} has ${result.library.length} library runs and ${result.floor.length} floor runs; a row needs pairs`);
  }
  const lt = spread(result.library.map((s) => s.seconds));
  const ft = spread(result.floor.map((s) => s.seconds));
  const lm = spread(result.library.map((s) => s.peakRssMiB));
  const fm = spread(result.floor.map((s) => s.peakRssMiB));
  const pairRatios = (figure: (sample: Sample) => number) => spread(result.library.map((sample, i) => figure(sample) / figure(result.floor[i])));
  const time = pairRatios((s) => s.seconds);
  const timeRatio = time.median;
  const cpuRatio = pairRatios((s) => s.cpuSeconds).median;
  const memoryRatio = pairRatios((s) => s.peakRssMiB).median;
  let target: string;
  let pass: boolean;
  if (result.size !== undefined) {
    const { segments, workloads, flows } = result.size;
    target = `none at ${segments} segments, ${workloads} workloads, ${flows} flows (the targets are for the estate's own size)`;
    pass = true;
  } else if (estateNamed(result.estate).scales !== undefined) {
    // the 1x runs taken alongside the pairs; the floor's beside the library's: what the same
    // resources cost plain cdktf at that size
    const growth = lt.median / spread(result.alongside.library.map((s) => s.seconds)).median;
    const floorGrowth = ft.median / spread(result.alongside.floor.map((s) => s.seconds)).median;
    // the check reads the largest peak of the runs, which the memory columns (medians) do not show
    target = `vs 1x <= ${TEN_X_TIME_TARGET}x (${growth.toFixed(2)}x; floor ${floorGrowth.toFixed(2)}x its own; 1x run in each pair), < 3 GB (2,861 MiB; largest ${Math.round(lm.max).toLocaleString('en-US')})`;
    pass = growth <= TEN_X_TIME_TARGET && lm.max < TEN_X_MEMORY_MIB;
  } else {
    target = `<= ${TIME_TARGET.toFixed(2)}x, <= ${MEMORY_TARGET.toFixed(2)}x`;
    pass = timeRatio <= TIME_TARGET && memoryRatio <= MEMORY_TARGET;
  }
  if (!result.output.split('; ').every((f) => f === 'floor identical')) pass = false;
  return {
    cells: [result.estate, result.mode, String(result.library.length), secondsCell(lt), secondsCell(ft), `${timeRatio.toFixed(2)}x (${time.min.toFixed(2)}-${time.max.toFixed(2)})`, `${cpuRatio.toFixed(2)}x`,
      lm.median.toFixed(0), fm.median.toFixed(0), `${memoryRatio.toFixed(2)}x`, target, resultCell(pass, result.size !== undefined)],
    pass,
  };
}

/** The result cell: FAIL for a failed row, n/a for a row at a size `--size` gave (shown, not judged), else PASS. */
function resultCell(pass: boolean, sized: boolean): string {
  if (!pass) return 'FAIL';
  return sized ? 'n/a' : 'PASS';
}
