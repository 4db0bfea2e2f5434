import { Token } from 'cdktf';
import { DenyFlow } from '../deny-flow';
import { IFlowEndpoint } from '../endpoint';
import { AllowFlow } from '../flow';
import { GuardrailAllow } from '../guardrail-allow';
import { familyOf } from '../model/cidr';
import * as semantics from '../model/guardrail-semantics';
import { Peer, PeerKind } from '../peer';
import { PolicyRegistry } from '../registry';
import { Segment } from '../segment';
import { Workload } from '../workload';

/** One concrete end of traffic, with workloads as constructs (see the model's guardrail semantics). */
export type Atom = semantics.Atom<Workload>;

/** What one side of a flow or guardrail matches, with workloads as constructs. */
export type ResolvedSide = semantics.ResolvedSide<Workload>;

/** Resolves an endpoint (undefined: anywhere) into the concrete ends it stands for now. */
export function resolveSide(registry: PolicyRegistry, endpoint: IFlowEndpoint | undefined): ResolvedSide {
  if (endpoint === undefined) return { any: true, atoms: [] };
  if (Segment.isSegment(endpoint)) return { any: false, atoms: registry.membersOf(endpoint).map((workload) => ({ kind: 'workload', workload })) };
  if (Workload.isWorkload(endpoint)) return { any: false, atoms: [{ kind: 'workload', workload: endpoint }] };
  if (endpoint instanceof Peer) {
    if ((endpoint.kind === PeerKind.IPV4 || endpoint.kind === PeerKind.IPV6) && !Token.isUnresolved(endpoint.value) && familyOf(endpoint.value)) {
      return { any: false, atoms: [{ kind: 'cidr', cidr: endpoint.value }] };
    }
    return { any: false, atoms: [{ kind: 'peer', id: endpoint.uniqueId, name: endpoint.expression }] };
  }
  return { any: false, atoms: [] };
}

/** The GuardrailAllows of the app that overlap a DenyFlow (endpoints and ports). */
export function grantsOverlapping(registry: PolicyRegistry, deny: DenyFlow): AllowFlow[] {
  const from = resolveSide(registry, deny.from);
  const to = resolveSide(registry, deny.to);
  const denied = deny.ports.map((p) => p._toSpec());
  return registry.flows.filter((f) => GuardrailAllow.isGuardrailFlow(f)
    && semantics.overlapOf(resolveSide(registry, f.from), from).length > 0
    && semantics.overlapOf(resolveSide(registry, f.to), to).length > 0
    && semantics.commonPorts(f.ports.map((p) => p._toSpec()), denied).length > 0);
}

/** The open-side denies of a DenyFlow (see the model's `openSideDenies`), from its constructs. */
export function openSideDenies(registry: PolicyRegistry, deny: DenyFlow): semantics.OpenSideDeny[] {
  const side = (endpoint: IFlowEndpoint | undefined): semantics.DenySide<Workload> => {
    const resolved = resolveSide(registry, endpoint);
    if (endpoint === undefined) return { open: true, resolved };
    if (endpoint instanceof Peer && endpoint.isCidr) return { open: true, cidr: endpoint.value, resolved };
    return { open: false, resolved };
  };
  return semantics.openSideDenies(side(deny.from), side(deny.to));
}
