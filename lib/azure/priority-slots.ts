import { Construct } from 'constructs';
import { PriorityBand } from '../private/guardrail-band';
import { allocatePriorities } from '../private/priority-allocator';

/** The priorities of one allocation space: the slot of every key that got one, and the keys left without. */
export interface PrioritySlots {
  /** The priority of every key that got one. */
  readonly assigned: ReadonlyMap<string, number>;
  /** Keys left without a priority because the band is full. */
  readonly unassigned: readonly string[];
}

/**
 * Gives each rule key of one space (an enforcement, a direction and a band) a priority in `band`,
 * never one of `reserved`.
 */
export function prioritySlots(_scope: Construct, _space: string, keys: readonly string[], band: PriorityBand, reserved: readonly number[] = []): PrioritySlots {
  return allocatePriorities(keys, band.first, band.last, reserved);
}
