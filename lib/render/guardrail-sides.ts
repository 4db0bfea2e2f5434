import { DenyFlow } from '../deny-flow';
import { IFlowEndpoint } from '../endpoint';
import { AllowFlow } from '../flow';
import { GuardrailAllow } from '../guardrail-allow';
import * as semantics from '../model/guardrail-semantics';
import { peerOf } from '../model/policy-side';
import { PolicyRegistry } from '../registry';
import { Workload } from '../workload';
import { oncePerDeclarationState } from './once-per-declarations';
import { ResolvedPolicy } from './resolve-policy';

/** One concrete end of traffic, with workloads as constructs (see the model's guardrail semantics). */
export type Atom = semantics.Atom<Workload>;

/** What one side of a flow or guardrail matches, with workloads as constructs. */
export type ResolvedSide = semantics.ResolvedSide<Workload>;

/** The GuardrailAllow flows of each app, by its registry, found again only after a declaration. */
const GRANT_FLOWS = new WeakMap<PolicyRegistry, () => AllowFlow[]>();

/** The GuardrailAllow flows of the app, in declaration order. */
export function grantFlows(registry: PolicyRegistry): AllowFlow[] {
  let grants = GRANT_FLOWS.get(registry);
  if (!grants) {
    grants = oncePerDeclarationState(registry, () => registry.flows.filter((f) => GuardrailAllow.isGuardrailFlow(f)));
    GRANT_FLOWS.set(registry, grants);
  }
  return grants();
}

/** The GuardrailAllows of the app that overlap a DenyFlow (endpoints and ports). */
export function grantsOverlapping(registry: PolicyRegistry, deny: DenyFlow): AllowFlow[] {
  const policy = ResolvedPolicy.of(registry);
  const from = policy.semanticSide(deny.from);
  const to = policy.semanticSide(deny.to);
  const denied = policy.flow(deny).ports;
  return grantFlows(registry).filter((f) => semantics.overlapOf(policy.semanticSide(f.from), from).length > 0
    && semantics.overlapOf(policy.semanticSide(f.to), to).length > 0
    && semantics.commonPorts(policy.flow(f).ports, denied).length > 0);
}

/** The open-side denies of a DenyFlow (see the model's `openSideDenies`), from its constructs. */
export function openSideDenies(registry: PolicyRegistry, deny: DenyFlow): semantics.OpenSideDeny[] {
  const policy = ResolvedPolicy.of(registry);
  const side = (endpoint: IFlowEndpoint | undefined): semantics.DenySide<Workload> => {
    const resolved = policy.semanticSide(endpoint);
    const peer = peerOf(policy.side(endpoint));
    if (endpoint === undefined) return { open: true, resolved };
    if (peer?.kind === 'address') return { open: true, cidr: peer.value, resolved };
    return { open: false, resolved };
  };
  return semantics.openSideDenies(side(deny.from), side(deny.to));
}
