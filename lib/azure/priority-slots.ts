import { IConstruct } from 'constructs';
import { PriorityBand } from './priority-bands';
import { Allocations } from '../render/allocations';

/** The priorities of one allocation space: the slot of every key that got one, and the keys left without. */
export interface PrioritySlots {
  /** The priority of every key that got one. */
  readonly assigned: ReadonlyMap<string, number>;
  /** Keys left without a priority because the band is full. */
  readonly unassigned: readonly string[];
}

/**
 * Gives each rule key of one space (an enforcement, a direction and a band) a priority in `band`,
 * never one of `reserved`, from the app's persisted allocation: a key keeps its priority while it
 * lives, and a new key never takes a priority another key held in the previous synthesis.
 */
export function prioritySlots(
  scope: IConstruct, space: string, keys: readonly string[], band: PriorityBand, reserved: readonly number[] = [],
): PrioritySlots {
  return Allocations.of(scope).slots(space, keys, { first: band.first, last: band.last }, reserved);
}
