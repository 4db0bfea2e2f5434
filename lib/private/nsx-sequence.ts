import { allocatePriorities } from './priority-allocator';

/** First sequence number an allow rule can take inside a microseg parent policy. */
export const NSX_ALLOW_FIRST = 1;
/** Last sequence number an allow rule can take; the gap up to the drop rules stays free. */
export const NSX_ALLOW_LAST = 999_000;
/** Sequence number of the default-deny rule for traffic INTO the policy's groups. */
export const NSX_DROP_IN_SEQUENCE = 999_998;
/** Sequence number of the default-deny rule for traffic OUT of the policy's groups. */
export const NSX_DROP_OUT_SEQUENCE = 999_999;

/** Sequence numbers of GuardrailAllow rules in the guardrail policy: before every guardrail deny. */
export const NSX_GUARDRAIL_ALLOW = { first: 1, last: 499_999 } as const;
/** Sequence numbers of DenyFlow DROP rules in the guardrail policy. */
export const NSX_GUARDRAIL_DENY = { first: 500_000, last: 999_999 } as const;

/** The sequence numbers of a policy's allow rules. */
export interface SequenceAllocation {
  /** Rule identity key to sequence number. */
  readonly assigned: ReadonlyMap<string, number>;
  /** Keys that did not fit (only when there are more rules than numbers), sorted. */
  readonly unassigned: readonly string[];
}

/**
 * Gives every allow rule of one NSX policy a sequence number derived from its identity key (its
 * meaning), not from its position: a hash of the key picks a home number in
 * [{@link NSX_ALLOW_FIRST}, {@link NSX_ALLOW_LAST}], keys are placed in sorted order and a taken
 * number probes to the next free one. With a million numbers for at most a thousand rules, adding
 * or removing one rule leaves every other rule's number in place (unless a probe chain ran through
 * the changed rule's home number, which is rare). The drop rules always come after every allow
 * rule.
 */
export function allocateSequenceNumbers(keys: Iterable<string>, first = NSX_ALLOW_FIRST, last = NSX_ALLOW_LAST): SequenceAllocation {
  const { assigned, unassigned } = allocatePriorities(keys, first, last);
  return { assigned, unassigned };
}
