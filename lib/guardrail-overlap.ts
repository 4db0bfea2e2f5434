import { Token } from 'cdktf';
import { DenyFlow } from './deny-flow';
import { IFlowEndpoint } from './endpoint';
import { AllowFlow } from './flow';
import { GuardrailAllow } from './guardrail-allow';
import { Peer, PeerKind } from './peer';
import { familyOf } from './private/cidr';
import { prefixContains } from './private/cidr-aggregate';
import { intersectPortLists, portSpecCovers } from './private/port-overlap';
import { PortSpec } from './private/port-range';
import { PolicyRegistry } from './registry';
import { Segment } from './segment';
import { Workload } from './workload';

/** One concrete end of traffic: a workload, a literal CIDR, or another peer (prefix list, service tag). */
export type Atom =
  | { readonly kind: 'workload'; readonly workload: Workload }
  | { readonly kind: 'cidr'; readonly cidr: string }
  | { readonly kind: 'peer'; readonly id: string; readonly name: string };

/** What one side of a flow or guardrail matches, resolved through membership. */
export interface ResolvedSide {
  /** Matches everything (a guardrail side that is anywhere). */
  readonly any: boolean;
  /** The concrete ends. */
  readonly atoms: Atom[];
}

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

/** Whether a side matches an atom. */
export function sideMatches(side: ResolvedSide, atom: Atom): boolean {
  if (side.any) return true;
  return side.atoms.some((own) => atomCovers(own, atom));
}

/** The atoms of `side` that `guard` matches (at least partly). */
export function overlapOf(side: ResolvedSide, guard: ResolvedSide): Atom[] {
  if (guard.any) return side.atoms;
  return side.atoms.filter((atom) => guard.atoms.some((g) => atomsOverlap(atom, g)));
}

/** A readable name of an atom. */
export function atomName(atom: Atom): string {
  switch (atom.kind) {
    case 'workload': return `workload '${atom.workload.node.path}'`;
    case 'cidr': return `"${atom.cidr}"`;
    default: return atom.name;
  }
}

/** The traffic an AllowFlow and a DenyFlow have in common, as ports; empty when disjoint. */
export function commonPorts(flow: AllowFlow, deny: DenyFlow): PortSpec[] {
  return intersectPortLists(flow.ports.map((p) => p._toSpec()), deny.ports.map((p) => p._toSpec()));
}

/**
 * The ports of `ports` from `source` to `destination` that no GuardrailAllow of the app grants
 * (a GuardrailAllow takes precedence over a DenyFlow).
 */
export function portsNotGranted(registry: PolicyRegistry, source: Atom, destination: Atom, ports: PortSpec[]): PortSpec[] {
  const grants = registry.flows.filter((f) => GuardrailAllow.isGuardrailFlow(f));
  return ports.filter((spec) => !grants.some((g) =>
    sideMatches(resolveSide(registry, g.from), source)
    && sideMatches(resolveSide(registry, g.to), destination)
    && g.ports.some((p) => portSpecCovers(p._toSpec(), spec))));
}

/** Whether some GuardrailAllow of the app overlaps a DenyFlow (endpoints and ports). */
export function grantsOverlapping(registry: PolicyRegistry, deny: DenyFlow): AllowFlow[] {
  const from = resolveSide(registry, deny.from);
  const to = resolveSide(registry, deny.to);
  return registry.flows.filter((f) => GuardrailAllow.isGuardrailFlow(f)
    && overlapOf(resolveSide(registry, f.from), from).length > 0
    && overlapOf(resolveSide(registry, f.to), to).length > 0
    && commonPorts(f, deny).length > 0);
}

function atomCovers(outer: Atom, inner: Atom): boolean {
  if (outer.kind === 'workload') return inner.kind === 'workload' && inner.workload === outer.workload;
  if (outer.kind === 'peer') return inner.kind === 'peer' && inner.id === outer.id;
  if (inner.kind === 'cidr') return cidrWithin(outer.cidr, inner.cidr);
  if (inner.kind === 'workload') {
    const literal = inner.workload.addressCidrs.filter((a) => !Token.isUnresolved(a));
    return literal.length > 0 && literal.every((a) => cidrWithin(outer.cidr, a));
  }
  return false;
}

function atomsOverlap(a: Atom, b: Atom): boolean {
  if (a.kind === 'cidr' && b.kind === 'cidr') return atomCovers(a, b) || atomCovers(b, a);
  if (a.kind === 'workload' && b.kind === 'cidr') return workloadInCidr(a.workload, b.cidr) || coversEveryAddressOf(a.workload, b.cidr);
  if (a.kind === 'cidr' && b.kind === 'workload') return workloadInCidr(b.workload, a.cidr);
  return atomCovers(a, b);
}

function workloadInCidr(workload: Workload, cidr: string): boolean {
  return workload.addressCidrs.some((a) => !Token.isUnresolved(a) && cidrWithin(cidr, a));
}

/**
 * Whether `cidr` is a whole address family (`0.0.0.0/0`, `::/0`) that holds the workload whatever
 * its addresses are. Such a guardrail peer contains every workload of its family even when the
 * addresses are unknown at synth (an instance's private IP, a NIC's dynamic address): every
 * platform renders a guardrail naming it as a rule that matches the workload too (NACL and NSG
 * entries, NSX IP groups), so a flow's workload lies inside it. Used only for a flow's workload
 * against a guardrail's CIDR, never the reverse: a flow's own CIDR peer stands for hosts outside
 * the model. IPv4: every workload except one whose known addresses are all IPv6; IPv6: a workload
 * with an IPv6 address or with addresses unknown at synth.
 */
function coversEveryAddressOf(workload: Workload, cidr: string): boolean {
  const family = familyOf(cidr);
  if (!family || !/\/0$/.test(cidr)) return false;
  const literal = workload.addressCidrs.filter((a) => !Token.isUnresolved(a));
  const unknown = literal.length < workload.addressCidrs.length;
  if (family === 'ipv4') return literal.length === 0 || unknown || literal.some((a) => familyOf(a) === 'ipv4');
  return unknown || literal.some((a) => familyOf(a) === 'ipv6');
}

/** Whether CIDR `inner` lies inside `outer`; false for different families or invalid input. */
function cidrWithin(outer: string, inner: string): boolean {
  if (familyOf(outer) !== familyOf(inner)) return false;
  try {
    return prefixContains(outer, inner);
  } catch {
    return false; // an invalid CIDR is reported by its own construct
  }
}
