import { SlotRange } from '../model/slot-allocator';

/** Sequence numbers of the allow rules of a microseg parent policy; the gap up to the drop rules stays free. */
export const NSX_ALLOW_SEQUENCES: SlotRange = { first: 1, last: 999_000 };
/** Sequence number of the default-deny rule for traffic INTO the policy's groups. */
export const NSX_DROP_IN_SEQUENCE = 999_998;
/** Sequence number of the default-deny rule for traffic OUT of the policy's groups. */
export const NSX_DROP_OUT_SEQUENCE = 999_999;
/** Sequence numbers of GuardrailAllow rules in the guardrail policy: before every guardrail deny. */
export const NSX_GUARDRAIL_ALLOW_SEQUENCES: SlotRange = { first: 1, last: 499_999 };
/** Sequence numbers of DenyFlow DROP rules in the guardrail policy. */
export const NSX_GUARDRAIL_DENY_SEQUENCES: SlotRange = { first: 500_000, last: 999_999 };
