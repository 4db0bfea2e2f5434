/** One garbage collection pause that `node --trace-gc` printed. */
export interface GcPause {
  /** Milliseconds since the isolate started. */
  readonly at: number;
  readonly kind: 'young' | 'full';
  /** The pause on the main thread, in milliseconds. */
  readonly ms: number;
  /** The heap in use before and after, MB as V8 prints them. */
  readonly beforeMB: number;
  readonly afterMB: number;
}

/** A phase of a synthesis that the timed process marked: its name, how long it took and when it ended. */
export interface PhaseMark {
  readonly name: string;
  readonly ms: number;
  /** Milliseconds since the process started (`--trace-gc` counts from the isolate's start, a few milliseconds later). */
  readonly endsAt: number;
  /** The heap in use at its end, MiB. */
  readonly heapMiB: number;
}

/** A phase with the collections that fell in it. */
export interface PhaseRow extends PhaseMark {
  readonly young: { readonly count: number; readonly ms: number };
  readonly full: { readonly count: number; readonly ms: number };
  /** The full collections in the phase, each with the heap before and after it: where V8 sets its next limit. */
  readonly fullCollections: readonly GcPause[];
}

const PAUSE = /\s(\d+) ms: (Scavenge|Minor Mark-Sweep|Mark-Compact|Mark-Sweep)[^\d]*([\d.]+) \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB, ([\d.]+) \/ [\d.]+ ms/;
const MARK = /^PHASE (.+) ms=(\d+) end=(\d+) heap=(\d+)$/;

/** The line a timed process prints at the end of a phase (read back by {@link phaseRows}). */
export function phaseLine(name: string, ms: number, endsAt: number, heapMiB: number): string {
  return `PHASE ${name} ms=${Math.round(ms)} end=${Math.round(endsAt)} heap=${Math.round(heapMiB)}`;
}

/**
 * Reads the output of a process run with `--trace-gc` that marked its phases with {@link phaseLine}:
 * each phase with the young-generation and full collections whose pauses ended within it.
 */
export function phaseRows(output: string): PhaseRow[] {
  const pauses: GcPause[] = [];
  const marks: PhaseMark[] = [];
  for (const line of output.split('\n')) {
    const pause = PAUSE.exec(line);
    if (pause) {
      const kind = pause[2] === 'Scavenge' || pause[2] === 'Minor Mark-Sweep' ? 'young' : 'full';
      pauses.push({ at: Number(pause[1]), kind, ms: Number(pause[5]), beforeMB: Number(pause[3]), afterMB: Number(pause[4]) });
    }
    const mark = MARK.exec(line.trim());
    if (mark) marks.push({ name: mark[1], ms: Number(mark[2]), endsAt: Number(mark[3]), heapMiB: Number(mark[4]) });
  }
  let start = -Infinity;
  return marks.map((mark) => {
    const within = pauses.filter((p) => p.at > start && p.at <= mark.endsAt);
    start = mark.endsAt;
    const total = (kind: GcPause['kind']) => {
      const of = within.filter((p) => p.kind === kind);
      return { count: of.length, ms: of.reduce((sum, p) => sum + p.ms, 0) };
    };
    return { ...mark, young: total('young'), full: total('full'), fullCollections: within.filter((p) => p.kind === 'full') };
  });
}
