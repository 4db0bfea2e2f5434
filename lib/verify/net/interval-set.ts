/** An inclusive range of integers, `[first, last]`. */
export type Interval = readonly [number, number];

/** A set of integers as sorted, disjoint, non-adjacent inclusive intervals. */
export type IntervalSet = readonly Interval[];

/** The empty interval set. */
export const EMPTY_INTERVALS: IntervalSet = [];

/** Builds a normalized set from arbitrary (possibly overlapping or reversed) intervals. */
export function intervalSet(intervals: readonly Interval[]): IntervalSet {
  const sorted = intervals
    .map(([a, b]): Interval => (a <= b ? [a, b] : [b, a]))
    .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const merged: Array<[number, number]> = [];
  for (const [first, last] of sorted) {
    const previous = merged[merged.length - 1];
    if (previous && first <= previous[1] + 1) {
      previous[1] = Math.max(previous[1], last);
    } else {
      merged.push([first, last]);
    }
  }
  return merged;
}

/** The integers in either set. */
export function unionIntervals(a: IntervalSet, b: IntervalSet): IntervalSet {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  return intervalSet([...a, ...b]);
}

/** The integers in both sets. */
export function intersectIntervals(a: IntervalSet, b: IntervalSet): IntervalSet {
  if (a.length === 0 || b.length === 0) return EMPTY_INTERVALS;
  const result: Interval[] = [];
  for (const [aFirst, aLast] of a) {
    for (const [bFirst, bLast] of b) {
      const first = Math.max(aFirst, bFirst);
      const last = Math.min(aLast, bLast);
      if (first <= last) result.push([first, last]);
    }
  }
  return intervalSet(result);
}

/** The integers of `a` that are not in `b`. */
export function subtractIntervals(a: IntervalSet, b: IntervalSet): IntervalSet {
  if (a.length === 0) return EMPTY_INTERVALS;
  let remaining: Interval[] = [...a];
  for (const [bFirst, bLast] of b) {
    const next: Interval[] = [];
    for (const [first, last] of remaining) {
      if (bLast < first || bFirst > last) {
        next.push([first, last]);
        continue;
      }
      if (first < bFirst) next.push([first, bFirst - 1]);
      if (last > bLast) next.push([bLast + 1, last]);
    }
    remaining = next;
  }
  return remaining;
}

/** Whether every integer of `inner` is in `outer`. */
export function containsIntervals(outer: IntervalSet, inner: IntervalSet): boolean {
  if (inner.length === 0 || outer === inner) return true;
  if (outer.length === 0) return false;
  return subtractIntervals(inner, outer).length === 0;
}

/** The number of integers in the set. */
export function intervalCount(set: IntervalSet): number {
  return set.reduce((sum, [first, last]) => sum + last - first + 1, 0);
}

/** A port range written `first-last` (`32768-60999`), or undefined when the text is not one within 0-65535. */
export function parsePortRange(text: string): Interval | undefined {
  const match = /^(\d+)-(\d+)$/.exec(text.trim());
  if (!match) return undefined;
  const [first, last] = [Number(match[1]), Number(match[2])];
  return first <= last && last <= 65535 ? [first, last] : undefined;
}

/** The set as text: `443`, `8000-8100`, joined by commas. */
export function formatIntervals(set: IntervalSet): string {
  return set.map(([first, last]) => (first === last ? `${first}` : `${first}-${last}`)).join(',');
}
