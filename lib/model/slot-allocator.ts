import { sha256Head } from '../private/sha256';

/** A range of slots (rule numbers, priorities, sequence numbers): `first`, `first + step`, ... up to `last`. */
export interface SlotRange {
  /** The first usable slot. */
  readonly first: number;
  /** The last usable slot (inclusive). */
  readonly last: number;
  /**
   * Distance between two slots; gaps leave room for hand-written rules.
   * @default 1
   */
  readonly step?: number;
}

/** What {@link allocateSlots} knows beyond the keys. */
export interface SlotAllocationOptions {
  /**
   * The slot of every key in the previous synthesis (the allocation file). A key that still exists
   * keeps its slot; a slot whose key is gone is not given to a new key in this allocation, so a
   * rule created before its predecessor is destroyed never meets that predecessor's number.
   * @default - none: every key is new
   */
  readonly previous?: ReadonlyMap<string, number>;
  /**
   * Slots held by rules outside the allocation; never given out.
   * @default - none
   */
  readonly reserved?: Iterable<number>;
  /**
   * The index (0 to size - 1) a new key starts probing from. Allocators that numbered rules before
   * keep their own function here, so that upgrading renumbers nothing.
   * @default - the first 32 bits of the key's SHA-256, modulo the size
   */
  readonly home?: (key: string, size: number) => number;
}

/** The result of {@link allocateSlots}. */
export interface SlotAllocation {
  /** The slot of every key that got one. */
  readonly assigned: ReadonlyMap<string, number>;
  /** Keys left without a slot because the range is full, sorted. */
  readonly unassigned: readonly string[];
}

/**
 * Gives every key a unique slot of `range` that does not move while the key lives.
 *
 * 1. A key with a slot in `previous` keeps it (when still in the range, on the step and not
 *    reserved; of two keys claiming one slot, the first in sorted order keeps it).
 * 2. Every other key, in sorted order, takes its home slot (a hash of the key) or the next free one
 *    after it, skipping the slots that keys of the previous synthesis held. Only when the range has
 *    no other room are those slots reused.
 *
 * Without a previous allocation the result depends only on the set of keys: never on declaration
 * order. With it, adding or removing keys never moves another key.
 */
export function allocateSlots(keys: Iterable<string>, range: SlotRange, options: SlotAllocationOptions = {}): SlotAllocation {
  const step = range.step ?? 1;
  if (!(Number.isInteger(range.first) && Number.isInteger(range.last) && Number.isInteger(step) && step > 0 && range.first <= range.last)) {
    throw new Error(`allocateSlots: invalid range ${range.first}-${range.last} step ${step}`);
  }
  const size = Math.floor((range.last - range.first) / step) + 1;
  const indexOf = (slot: number) => {
    const offset = slot - range.first;
    return offset >= 0 && offset % step === 0 && slot <= range.last ? offset / step : undefined;
  };
  const taken = new Set<number>();
  for (const slot of options.reserved ?? []) {
    const index = indexOf(slot);
    if (index !== undefined) taken.add(index);
  }
  const sorted = [...new Set(keys)].sort(compareStrings);
  const assigned = new Map<string, number>();
  const previous = options.previous ?? new Map<string, number>();
  for (const key of sorted) {
    const slot = previous.get(key);
    const index = slot === undefined ? undefined : indexOf(slot);
    if (index === undefined || taken.has(index)) continue;
    taken.add(index);
    assigned.set(key, slot!);
  }
  const retired = new Set<number>();
  for (const [key, slot] of previous) {
    const index = indexOf(slot);
    if (index !== undefined && !assigned.has(key)) retired.add(index);
  }
  const unassigned: string[] = [];
  for (const key of sorted) {
    if (assigned.has(key)) continue;
    const start = (options.home ?? homeIndex)(key, size);
    const index = freeIndex(start, size, (i) => taken.has(i) || retired.has(i)) ?? freeIndex(start, size, (i) => taken.has(i));
    if (index === undefined) {
      unassigned.push(key);
      continue;
    }
    taken.add(index);
    assigned.set(key, range.first + index * step);
  }
  return { assigned, unassigned };
}

/** The first index at or after `start` (wrapping) that is not `busy`; undefined when all are. */
function freeIndex(start: number, size: number, busy: (index: number) => boolean): number | undefined {
  for (let n = 0; n < size; n++) {
    const index = (start + n) % size;
    if (!busy(index)) return index;
  }
  return undefined;
}

/** The index a key takes when nothing is in its way: the first 32 bits of its SHA-256, modulo the size. */
export function homeIndex(key: string, size: number): number {
  return parseInt(sha256Head(key), 16) % size;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
