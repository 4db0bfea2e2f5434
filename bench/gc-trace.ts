import { performance } from 'perf_hooks';
import { Spread, spread } from './stats';

/** One garbage collection pause that `node --trace-gc` printed. */
export interface GcPause {
  /** When the pause ended, in milliseconds since V8 started (the clock `--trace-gc` prints). */
  readonly at: number;
  /** A young-generation collection (scavenge) or a full one (mark-compact). */
  readonly kind: 'young' | 'full';
  /** The pause on the main thread, in milliseconds: for a full collection its final pause, without the incremental marking steps before it. */
  readonly ms: number;
  /** The heap in use before the collection, in V8's MB (MiB). */
  readonly beforeMB: number;
  /** The heap in use after it, in V8's MB (MiB). */
  readonly afterMB: number;
}

/** A phase of a synthesis that the timed process marked: its name, how long it took and when it ended. */
export interface PhaseMark {
  /** The phase's name, as the timed process printed it. */
  readonly name: string;
  /** Its wall time, in whole milliseconds. */
  readonly ms: number;
  /** When it ended, in milliseconds since V8 started (the clock of {@link GcPause.at}). */
  readonly endsAt: number;
  /** The heap in use at its end, MiB. */
  readonly heapMiB: number;
}

/** A phase with the collections whose pauses ended in it. */
export interface PhaseRow extends PhaseMark {
  /** The young-generation collections: how many, and their pauses summed. */
  readonly young: { readonly count: number; readonly ms: number };
  /** The full collections in the phase, each with its final pause and the heap before and after it: where V8 sets its next limit. */
  readonly fullCollections: readonly GcPause[];
}

// Node 20: "... 1234 ms: Scavenge 98.0 (110.0) -> 96.0 (111.0) MB, 2.25 / 0.00 ms ..."; later V8s
// add "pooled: 0 MB, " before the pause
const PAUSE = /\s(\d+) ms: (Scavenge|Minor Mark-Sweep|Mark-Compact)[^\d]*([\d.]+) \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB, (?:pooled: [\d.]+ MB, )?([\d.]+) \/ [\d.]+ ms/;
const MARK = /^PHASE (.+) ms=(\d+) end=(\d+) heap=(\d+)$/;

/** The line a timed process prints at the end of a phase (read back by {@link phaseRows}). */
export function phaseLine(name: string, ms: number, endsAt: number, heapMiB: number): string {
  return `PHASE ${name} ms=${Math.round(ms)} end=${Math.round(endsAt)} heap=${Math.round(heapMiB)}`;
}

/**
 * A function to call at the end of each phase of the running process: it hands `write` the phase's
 * {@link phaseLine}, on the clock `--trace-gc` prints (milliseconds since V8 started;
 * `performance.now()` counts from the process's start, about 40 ms earlier). The first phase runs
 * from V8's start.
 */
export function phaseMarker(write: (line: string) => void): (name: string) => void {
  const v8Start = performance.nodeTiming.v8Start;
  let last = 0;
  return (name) => {
    const now = performance.now() - v8Start;
    write(phaseLine(name, now - last, now, process.memoryUsage().heapUsed / 2 ** 20));
    last = now;
  };
}

/**
 * Reads the output of a process run with `--trace-gc` that marked its phases with {@link phaseLine}:
 * each phase with the young-generation and full collections whose pauses ended within it (after
 * the previous phase's end, up to and including its own). Pauses after the last mark are left out.
 */
export function phaseRows(output: string): PhaseRow[] {
  const pauses: GcPause[] = [];
  const marks: PhaseMark[] = [];
  for (const line of output.split('\n')) {
    const pause = PAUSE.exec(line);
    if (pause) {
      const kind = pause[2] === 'Mark-Compact' ? 'full' : 'young';
      pauses.push({ at: Number(pause[1]), kind, ms: Number(pause[5]), beforeMB: Number(pause[3]), afterMB: Number(pause[4]) });
    }
    const mark = MARK.exec(line.trim());
    if (mark) marks.push({ name: mark[1], ms: Number(mark[2]), endsAt: Number(mark[3]), heapMiB: Number(mark[4]) });
  }
  let start = -Infinity;
  return marks.map((mark) => {
    const within = pauses.filter((p) => p.at > start && p.at <= mark.endsAt);
    start = mark.endsAt;
    const young = within.filter((p) => p.kind === 'young');
    return { ...mark, young: { count: young.length, ms: pauseTotal(young) }, fullCollections: within.filter((p) => p.kind === 'full') };
  });
}

/** The pauses summed, in milliseconds. */
export function pauseTotal(pauses: readonly GcPause[]): number {
  return pauses.reduce((sum, p) => sum + p.ms, 0);
}

/** How many collection pauses a `--trace-gc` log holds (none means a format this reader does not know). */
export function pauseCount(output: string): number {
  return output.split('\n').filter((line) => PAUSE.test(line)).length;
}

/** A phase over several runs: the median of each figure, with the wall time's range. */
export interface PhaseMedian {
  /** The phase's name. */
  readonly name: string;
  /** Its wall time over the runs: median, min and max, ms. */
  readonly ms: Spread;
  /** Median count and summed pause of the young-generation collections in it. */
  readonly young: { readonly count: number; readonly ms: number };
  /** Median count and summed final pause of the full collections in it. */
  readonly full: { readonly count: number; readonly ms: number };
  /** Median heap in use at its end, MiB. */
  readonly heapMiB: number;
}

/**
 * The phases of several runs of the same synthesis, figure by figure the median over the runs.
 * Throws when the runs did not mark the same phases in the same order.
 */
export function phaseMedians(runs: readonly PhaseRow[][]): PhaseMedian[] {
  if (runs.length === 0) return [];
  const names = runs[0].map((row) => row.name);
  const differing = runs.find((rows) => rows.map((row) => row.name).join('\n') !== names.join('\n'));
  if (differing) throw new Error(`the runs marked different phases: ${names.join(', ')} against ${differing.map((row) => row.name).join(', ')}`);
  return names.map((name, i) => {
    const median = (pick: (row: PhaseRow) => number) => spread(runs.map((rows) => pick(rows[i]))).median;
    return {
      name,
      ms: spread(runs.map((rows) => rows[i].ms)),
      young: { count: median((row) => row.young.count), ms: median((row) => row.young.ms) },
      full: { count: median((row) => row.fullCollections.length), ms: median((row) => pauseTotal(row.fullCollections)) },
      heapMiB: median((row) => row.heapMiB),
    };
  });
}
