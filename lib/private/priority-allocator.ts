import { createHash } from 'crypto';

/** The result of allocating priorities (or rule numbers) to rule identity keys. */
export interface PriorityAllocation {
  /** The slot of every key that got one. */
  readonly assigned: ReadonlyMap<string, number>;
  /** Keys left without a slot because the range is full, sorted. */
  readonly unassigned: readonly string[];
}

/**
 * Gives every rule identity key a unique slot (priority) in `[min, max]`, derived from the key's
 * meaning and not from its position in a list.
 *
 * Scheme: each key has a home slot, `min + (sha256(key) mod size)`. Keys are placed in sorted order
 * (so the declaration order of the rules never matters); a key whose home slot is taken probes
 * linearly (`+1`, wrapping from `max` to `min`) to the next free slot. Consequences:
 * - the same set of keys always gives the same assignment;
 * - adding a key changes no other key's slot, unless the new key takes a slot that a key sorted
 *   after it reached by probing (a probe collision, rare when the range is much larger than the
 *   number of keys); removing a key is symmetric;
 * - keys that do not fit (more keys than slots) are returned in `unassigned`, for the caller to
 *   report;
 * - `reserved` slots (taken by rules outside the allocation) are never given out; home slots still
 *   derive from the whole range, so reserving a slot moves only the key whose home it was.
 */
export function allocatePriorities(keys: Iterable<string>, min: number, max: number, reserved: Iterable<number> = []): PriorityAllocation {
  if (!(Number.isInteger(min) && Number.isInteger(max) && min <= max)) {
    throw new Error(`allocatePriorities: invalid range ${min}-${max}`);
  }
  const size = max - min + 1;
  const sorted = [...new Set(keys)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const taken = new Set<number>([...reserved].filter((slot) => slot >= min && slot <= max));
  const assigned = new Map<string, number>();
  const unassigned: string[] = [];
  for (const key of sorted) {
    if (taken.size >= size) {
      unassigned.push(key);
      continue;
    }
    let slot = homeSlot(key, min, max);
    while (taken.has(slot)) slot = slot === max ? min : slot + 1;
    taken.add(slot);
    assigned.set(key, slot);
  }
  return { assigned, unassigned };
}

/** The slot a key takes when nothing is in its way. */
export function homeSlot(key: string, min: number, max: number): number {
  const hash = createHash('sha256').update(key).digest();
  return min + (hash.readUInt32BE(0) % (max - min + 1));
}
