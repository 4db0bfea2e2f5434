import { AtomPool } from './atom-pool';
import { AllowFlow } from '../flow';
import { familyOf } from '../model/cidr';
import { cidrRegions } from '../model/cidr-regions';
import { Containment, denyEnforcedAt, flowRenderedAt, isExpression, TrafficEnd } from '../model/guardrail-semantics';
import { coversSpec, intersectPortLists, PortSpec, travelsOver } from '../model/ports';
import { Platform } from '../platform';
import { byPath } from '../private/path-of';
import { PolicyRegistry } from '../registry';
import { Atom, ResolvedSide } from '../render/guardrail-sides';
import { Workload } from '../workload';

// What the AWS check of a DenyFlow looks at: which pairs of ends security groups would let through
// although the DenyFlow forbids it (see GuardrailRenderer).

/** A flow (application or guardrail) with its sides resolved once per check. */
export interface GuardrailCheckFlow {
  readonly flow: AllowFlow;
  readonly from: ResolvedSide;
  readonly to: ResolvedSide;
  readonly ports: PortSpec[];
  readonly grant: boolean;
  /**
   * The sides as the rules at one AWS end name them, when that differs by end (a workload of
   * another VPC is named by its addresses, one of the same VPC by its group); `from` and `to` are
   * then what some end names (the widest), used to find the pairs worth checking.
   * @default - `from` and `to` at every end
   */
  readonly renderedAt?: (end: TrafficEnd, at: Workload) => { readonly from: ResolvedSide; readonly to: ResolvedSide };
}

/** Traffic that security groups would let through although a DenyFlow forbids it. */
export interface Breach {
  readonly ports: PortSpec[];
  /** The flows whose rules let it through (one per AWS end, deduplicated, sorted). */
  readonly flows: AllowFlow[];
  /** False when it depends on addresses known only at apply. */
  readonly certain: boolean;
}

/** The flows that may be rendered at a workload's egress (`source`) or ingress (`destination`): those naming it as a member there. */
export type FlowIndex = Record<TrafficEnd, Map<Workload, GuardrailCheckFlow[]>>;

/** Indexes flows by the workloads they name as members on each side. */
export function flowIndex(flows: readonly GuardrailCheckFlow[]): FlowIndex {
  const index: FlowIndex = { source: new Map(), destination: new Map() };
  for (const f of flows) {
    for (const [end, side] of [['source', f.from], ['destination', f.to]] as const) {
      for (const atom of side.atoms) {
        if (atom.kind !== 'workload') continue;
        const list = index[end].get(atom.workload) ?? [];
        if (!list.includes(f)) list.push(f);
        index[end].set(atom.workload, list);
      }
    }
  }
  return index;
}

/**
 * Every end the check looks at: every workload, every named peer a flow or DenyFlow names, and the
 * regions (`cidrRegions`) that the CIDRs of the flows, of `denyEnds` (the DenyFlows' sides) and the
 * workloads' shared ranges cut the address space into. A region is held whole or not at all by
 * every one of those CIDRs, so a flow from `0.0.0.0/0` and a grant from `10.0.0.0/8` are never
 * taken for the same hosts: the addresses outside `10.0.0.0/8` are an end of their own.
 */
export function candidateAtoms(registry: PolicyRegistry, flows: readonly GuardrailCheckFlow[], denyEnds: Iterable<Atom> = []): Atom[] {
  const atoms: Atom[] = registry.workloads.map((workload) => ({ kind: 'workload', workload }));
  const seen = new Set<string>();
  const cidrs: string[] = [];
  const add = (atom: Atom) => {
    if (atom.kind === 'workload') return;
    if (atom.kind === 'cidr') {
      cidrs.push(atom.cidr);
      return;
    }
    if (seen.has(atom.id)) return;
    seen.add(atom.id);
    atoms.push(atom);
  };
  for (const f of flows) {
    for (const atom of f.from.atoms) add(atom);
    for (const atom of f.to.atoms) add(atom);
  }
  for (const atom of denyEnds) add(atom);
  // a flow's rules may name another platform's workload (or another VPC's) by a range it shares
  for (const workload of registry.workloads) cidrs.push(...workload.sharedAddressCidrs.filter((cidr) => !isExpression(cidr)));
  atoms.push(...cidrRegions(cidrs));
  return atoms;
}

/**
 * Whether security groups let traffic from `source` to `destination` through that the DenyFlow
 * forbids (see denyEnforcedAt and flowRenderedAt in lib/model/guardrail-semantics.ts): every AWS end has
 * a flow rendered at it (its egress, its ingress), and at some AWS end where the DenyFlow is
 * enforced no GuardrailAllow is rendered. An end where the DenyFlow is enforced by a layer that can
 * deny (another platform's rules, a host firewall: `deniesAt`) drops the traffic itself, unless a
 * GuardrailAllow is rendered there too. Certain relations are tried first, then those that hold
 * only perhaps (addresses known at apply).
 */
export function guardrailBreach(
  denyFrom: ResolvedSide, denyTo: ResolvedSide, index: FlowIndex, source: Atom, destination: Atom, denied: PortSpec[],
  deniesAt: (workload: Workload) => boolean,
): Breach | undefined {
  const ends: TrafficEnd[] = ['source', 'destination'];
  const atomAt = (end: TrafficEnd) => (end === 'source' ? source : destination);
  // only flows naming an AWS end as a member are rendered there (the ends below are all AWS workloads)
  const flowsAt = (end: TrafficEnd): readonly GuardrailCheckFlow[] => {
    const atom = atomAt(end);
    return atom.kind === 'workload' ? index[end].get(atom.workload) ?? [] : [];
  };
  const awsEnds = ends.filter((end) => isAws(atomAt(end)));
  // whether a flow's rules at an AWS end admit the pair, its sides as the rules there name them
  const renderedAt = (f: GuardrailCheckFlow, end: TrafficEnd): Containment => {
    const at = atomAt(end);
    const sides = f.renderedAt && at.kind === 'workload' ? f.renderedAt(end, at.workload) : f;
    return flowRenderedAt(sides.from, sides.to, source, destination, end);
  };
  // security groups let nothing through an AWS end where no flow is rendered
  if (awsEnds.some((end) => flowsAt(end).length === 0)) return undefined;
  // a GuardrailAllow rendered at an end (naming it as a member) wins over the DenyFlow there
  const grantedAt = (end: TrafficEnd, spec: PortSpec) => flowsAt(end)
    .some((f) => f.grant && renderedAt(f, end) === 'yes' && f.ports.some((p) => coversSpec(p, spec)));
  for (const certain of [true, false]) {
    const holds = (c: Containment) => c === 'yes' || (!certain && c === 'unknown');
    const enforced = ends.filter((end) => holds(denyEnforcedAt(denyFrom, denyTo, source, destination, end)));
    const enforcedOnAws = enforced.filter((end) => isAws(atomAt(end)));
    if (enforcedOnAws.length === 0) continue;
    // an end where another layer can deny drops what the DenyFlow forbids there, unless a grant is rendered at it
    const deniedElsewhere = (spec: PortSpec) => enforced.some((end) => deniedBy(atomAt(end), deniesAt) && !grantedAt(end, spec));
    // a CIDR end carries its own family only: ICMPv4 never comes from an IPv6 range
    let ports = denied.filter((spec) => [source, destination].every((atom) => carries(atom, spec)));
    for (const end of awsEnds) {
      const rendered = flowsAt(end).filter((f) => holds(renderedAt(f, end)));
      ports = intersectPortLists(ports, rendered.flatMap((f) => f.ports));
    }
    const forbidden = ports.filter((spec) => !deniedElsewhere(spec) && enforcedOnAws.some((end) => !grantedAt(end, spec)));
    if (forbidden.length === 0) continue;
    const responsible: AllowFlow[] = [];
    for (const end of awsEnds) {
      const first = flowsAt(end).find((f) => holds(renderedAt(f, end))
        && intersectPortLists(f.ports, forbidden).length > 0);
      if (first && !responsible.includes(first.flow)) responsible.push(first.flow);
    }
    responsible.sort(byPath);
    return { ports: forbidden, flows: responsible, certain };
  }
  return undefined;
}

/**
 * The pairs of `sources` and `destinations` (sorted by their positions in those lists, as a loop
 * over every pair would meet them) that a flow is rendered for at every AWS end: only those can be
 * a breach (see {@link guardrailBreach}: with no flow rendered at an AWS end, security groups let
 * nothing through there). An AWS source's destinations are those the other side of a flow at its
 * egress holds; an AWS destination's other sources those the other side of a flow at its ingress
 * holds. Pairs with no AWS end are left out (the platforms at both ends deny themselves). So the
 * check grows with the traffic the flows allow, not with every dev workload times every prod one.
 */
export function pairsWithRenderedFlows(sources: readonly Atom[], destinations: readonly Atom[], index: FlowIndex): Array<[Atom, Atom]> {
  const destinationPool = new AtomPool(destinations);
  const sourcePool = new AtomPool(sources);
  const pairs: Array<[number, number]> = [];
  sources.forEach((source, s) => {
    if (source.kind !== 'workload' || !isAws(source)) return;
    const reached = new Set<number>();
    for (const flow of index.source.get(source.workload) ?? []) for (const d of destinationPool.holders(flow.to)) reached.add(d);
    for (const d of reached) pairs.push([s, d]);
  });
  destinations.forEach((destination, d) => {
    if (destination.kind !== 'workload' || !isAws(destination)) return;
    const reached = new Set<number>();
    for (const flow of index.destination.get(destination.workload) ?? []) for (const s of sourcePool.holders(flow.from)) reached.add(s);
    for (const s of reached) if (!isAws(sources[s])) pairs.push([s, d]); // an AWS source's pairs are above
  });
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return pairs.map(([s, d]) => [sources[s], destinations[d]]);
}

/** Whether a layer other than security groups drops the denied traffic at an end (see `deniesAt` in lib/render/denies-at.ts). */
function deniedBy(atom: Atom, deniesAt: (workload: Workload) => boolean): boolean {
  return atom.kind === 'workload' && deniesAt(atom.workload);
}

/** Whether traffic of `spec` can have `atom` as an end: a literal CIDR's family carries no ICMP of the other family. */
function carries(atom: Atom, spec: PortSpec): boolean {
  if (atom.kind !== 'cidr') return true;
  const family = familyOf(atom.cidr);
  return family === undefined || travelsOver(spec, family);
}

function isAws(atom: Atom): boolean {
  return atom.kind === 'workload' && atom.workload.platform === Platform.AWS;
}
