/* eslint-disable no-bitwise -- mulberry32 is 32-bit integer arithmetic */

/** A small deterministic PRNG (mulberry32), so every run builds the same estate. */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n) drawn from `next`. */
export function pick(next: () => number, n: number): number {
  return Math.floor(next() * n);
}
