import { ModelWorkload } from './guardrail-semantics';
import { PolicySide } from './policy-side';
import { PortSpec } from './ports';

/** Which tier a flow is in: guardrails come before application flows on platforms that order rules. */
export enum FlowTier {
  /** A flow the platform team grants (a GuardrailAllow): above every deny. */
  GUARDRAIL_ALLOW = 'guardrail-allow',
  /** Traffic no application flow may allow (a DenyFlow). */
  GUARDRAIL_DENY = 'guardrail-deny',
  /** An application flow (an AllowFlow). */
  APPLICATION_ALLOW = 'application-allow',
}

/**
 * One flow of the policy, resolved: what every platform renders from. `F` is how the caller knows
 * the declaration (a construct), so a renderer can reach back for what only it needs.
 */
export interface ResolvedFlow<W extends ModelWorkload = ModelWorkload, S = unknown, E = unknown, F = unknown> {
  /** The declaration. */
  readonly declaration: F;
  /** The flow's stable identity: its `stableId`, else its construct path. */
  readonly identity: string;
  /** Its tier. */
  readonly tier: FlowTier;
  /** Where the traffic starts. */
  readonly from: PolicySide<W, S, E>;
  /** Where the traffic goes. */
  readonly to: PolicySide<W, S, E>;
  /** The ports, in declaration order (not merged). */
  readonly ports: readonly PortSpec[];
  /** The construct path of the stack that declares it: its rules live there. */
  readonly stackPath: string;
  /** Its construct path, for messages and provenance. */
  readonly path: string;
  /** Whether the declaration has problems of its own (reported by it); such a flow renders nothing. */
  readonly invalid: boolean;
}

/** Whether a flow is in the guardrail tier (an allow or a deny). */
export function isGuardrail(flow: ResolvedFlow<any, any, any, any>): boolean {
  return flow.tier !== FlowTier.APPLICATION_ALLOW;
}
