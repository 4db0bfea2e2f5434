import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { AllowFlow, DenyFlow, IFlowEndpoint, Peer, Port, Segment, Workload, WorkloadProps } from '../../lib';
import { cidrContains } from '../../lib/model/cidr';

// Random estates for the property tests, and what they mean: segments chosen by label selectors,
// managed workloads, hosts known only by their addresses, allow flows and deny guardrails between
// segments, single workloads, address-only hosts, CIDR peers and anywhere. The intent is computed
// from the spec alone, never from the library or the synthesized JSON.

export const TIERS = ['a', 'b', 'c'];
export const ENVS = ['prod', 'dev'];
// Outside every address the platforms give workloads (AWS 10.0.5.x, Azure NICs 10.1.1.x), except
// 0.0.0.0/0, which holds every workload.
export const CIDRS = ['10.200.0.0/16', '192.168.5.0/24', '172.16.0.0/12', '0.0.0.0/0'];
/** One host inside each CIDR peer. */
export const CIDR_HOSTS = ['10.200.0.7', '192.168.5.7', '172.16.0.7', '203.0.113.50'];
export const OUTSIDE_HOST = '192.0.2.1';
/** Addresses of the hosts known only by their addresses: one outside every CIDR peer, one inside the first. */
export const EXTERNAL_ADDRESSES = ['198.51.100.5', '10.200.0.9'];

/** One end of a flow: a segment, a managed workload, an address-only host, a CIDR peer, or anywhere (guardrails only). */
export type EndpointSpec = { kind: 'segment' | 'workload' | 'external' | 'cidr' | 'any'; index: number };
/** A TCP or UDP port range. */
export interface PortSpec { protocol: 'tcp' | 'udp'; from: number; to: number }
/** A flow; a deny with no ports denies all traffic. */
export interface FlowSpec { from: EndpointSpec; to: EndpointSpec; ports: PortSpec[] }
/** A whole estate. */
export interface EstateSpec {
  segments: Array<Record<string, string>>;
  workloads: Array<Record<string, string>>;
  /** Labels of the address-only hosts (segments select them too). */
  externals: Array<Record<string, string>>;
  flows: FlowSpec[];
  /** DenyFlow guardrails; empty ports mean all traffic. They win over every AllowFlow. */
  denies: FlowSpec[];
}

const selectorArb = fc.record({ tier: fc.constantFrom(...TIERS), env: fc.option(fc.constantFrom(...ENVS), { nil: undefined }) })
  .map((s): Record<string, string> => (s.env ? { tier: s.tier, env: s.env } : { tier: s.tier }));
const labelsArb = fc.record({ tier: fc.constantFrom(...TIERS), env: fc.constantFrom(...ENVS) });
const portArb = fc.record({ protocol: fc.constantFrom('tcp' as const, 'udp' as const), from: fc.integer({ min: 1000, max: 1008 }), width: fc.integer({ min: 0, max: 3 }) })
  .map((p) => ({ protocol: p.protocol, from: p.from, to: p.from + p.width }));

const unmanaged = (e: EndpointSpec) => e.kind === 'cidr' || e.kind === 'any';

/** Random estates, with DenyFlow guardrails when asked. */
export function estateArb(withDenies: boolean): fc.Arbitrary<EstateSpec> {
  return fc.record({
    segments: fc.array(selectorArb, { minLength: 1, maxLength: 4 }),
    workloads: fc.array(labelsArb, { minLength: 2, maxLength: 5 }),
    externals: fc.array(labelsArb, { maxLength: EXTERNAL_ADDRESSES.length }),
  }).chain((base) => {
    const kinds: Array<fc.Arbitrary<EndpointSpec>> = [
      fc.record({ kind: fc.constant('segment' as const), index: fc.integer({ min: 0, max: base.segments.length - 1 }) }),
      fc.record({ kind: fc.constant('workload' as const), index: fc.integer({ min: 0, max: base.workloads.length - 1 }) }),
      fc.record({ kind: fc.constant('cidr' as const), index: fc.constantFrom(0, 1, 2, 3, 3, 3) }), // 0.0.0.0/0 more often
    ];
    if (base.externals.length > 0) kinds.push(fc.record({ kind: fc.constant('external' as const), index: fc.integer({ min: 0, max: base.externals.length - 1 }) }));
    const endpointArb = fc.oneof(...kinds);
    const denyEndpointArb = fc.oneof(endpointArb, fc.constant({ kind: 'any' as const, index: 0 }));
    const portsArb = (minPorts: number) => fc.array(portArb, { minLength: minPorts, maxLength: 2 });
    const valid = (f: FlowSpec) => !(unmanaged(f.from) && unmanaged(f.to))
      && !(f.from.kind === f.to.kind && (f.from.kind === 'workload' || f.from.kind === 'external') && f.from.index === f.to.index);
    const flows = fc.array(fc.record({ from: endpointArb, to: endpointArb, ports: portsArb(1) }).filter(valid), { minLength: 1, maxLength: 6 });
    const denies: fc.Arbitrary<FlowSpec[]> = withDenies
      ? fc.array(fc.record({ from: denyEndpointArb, to: denyEndpointArb, ports: portsArb(0) }).filter(valid), { maxLength: 2 })
      : fc.constant([]);
    return fc.record({
      segments: fc.constant(base.segments),
      workloads: fc.constant(base.workloads),
      externals: fc.constant(base.externals),
      flows,
      denies,
    });
  });
}

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/**
 * What the intent says, computed from the spec alone (not from the library or the JSON). Each
 * managed end decides for itself: a flow applies at the ends it names as members (its CIDR peers
 * stand for the hosts behind them, managed ones inside included); a DenyFlow at the ends that are
 * members of its sides, and at an end that merely lies in its side when the other end is a host
 * known only by its addresses. An end outside the model enforces nothing.
 */
export function intentAllows(spec: EstateSpec, source: string, destination: string, protocol: string, port: number): boolean {
  const labelsOf = (host: string) => (host.startsWith('W') ? spec.workloads[Number(host.slice(1))] : host.startsWith('X') ? spec.externals[Number(host.slice(1))] : undefined);
  const addressOf = (host: string) => (host.startsWith('X') ? EXTERNAL_ADDRESSES[Number(host.slice(1))] : host.startsWith('W') ? undefined : host);
  const member = (endpoint: EndpointSpec, host: string) => {
    if (endpoint.kind === 'workload') return host === `W${endpoint.index}`;
    if (endpoint.kind === 'external') return host === `X${endpoint.index}`;
    if (endpoint.kind !== 'segment') return false;
    const labels = labelsOf(host);
    return labels !== undefined && matches(spec.segments[endpoint.index], labels);
  };
  const holds = (endpoint: EndpointSpec, host: string) => {
    if (endpoint.kind === 'any') return true;
    if (endpoint.kind === 'cidr') {
      if (CIDRS[endpoint.index] === '0.0.0.0/0') return true;
      const address = addressOf(host); // workload addresses lie outside every other CIDR peer
      return address !== undefined && cidrContains(CIDRS[endpoint.index], address);
    }
    return member(endpoint, host);
  };
  const onPorts = (flow: FlowSpec) => flow.ports.length === 0 || flow.ports.some((p) => p.protocol === protocol && p.from <= port && port <= p.to);
  const half = (end: 'source' | 'destination') => {
    const [own, other] = end === 'source' ? [source, destination] : [destination, source];
    if (!own.startsWith('W')) return true;
    const sides = (f: FlowSpec) => (end === 'source' ? [f.from, f.to] : [f.to, f.from]);
    const denied = spec.denies.some((d) => {
      const [ownSide, otherSide] = sides(d);
      if (!onPorts(d) || !holds(ownSide, own) || !holds(otherSide, other)) return false;
      return member(ownSide, own) || (other.startsWith('X') && member(otherSide, other));
    });
    if (denied) return false;
    return spec.flows.some((f) => {
      const [ownSide, otherSide] = sides(f);
      return onPorts(f) && member(ownSide, own) && holds(otherSide, other);
    });
  };
  return half('source') && half('destination');
}

/** Where the constructs of an estate are declared, and how a managed workload is bound. */
export interface EstateLayout {
  /** The scope of segment `index`. */
  segmentScope(index: number): Construct;
  /** The scope of managed workload `index` (and of its bound resource). */
  workloadScope(index: number): Construct;
  /** The scope of address-only host `index`. */
  externalScope(index: number): Construct;
  /** The scope of flow or guardrail `index`. */
  flowScope(index: number): Construct;
  /** The binding of managed workload `index`, created in `scope`. */
  bind(scope: Construct, index: number): Partial<WorkloadProps>;
}

/** Declares an estate's constructs (ids S<i>, W<i>, X<i>, F<i>, D<i>), its DenyFlows only when asked. */
export function declareEstate(spec: EstateSpec, layout: EstateLayout, withDenies = true): void {
  const segments = spec.segments.map((selector, i) => new Segment(layout.segmentScope(i), `S${i}`, { selector }));
  const workloads = spec.workloads.map((labels, i) => new Workload(layout.workloadScope(i), `W${i}`, { ...layout.bind(layout.workloadScope(i), i), labels }));
  const externals = spec.externals.map((labels, i) => new Workload(layout.externalScope(i), `X${i}`, { addresses: [EXTERNAL_ADDRESSES[i]], labels }));
  const endpoint = (e: EndpointSpec): IFlowEndpoint | undefined => {
    switch (e.kind) {
      case 'segment': return segments[e.index];
      case 'workload': return workloads[e.index];
      case 'external': return externals[e.index];
      case 'cidr': return Peer.ipv4(CIDRS[e.index]);
      default: return undefined;
    }
  };
  const ports = (list: PortSpec[]) => list.map((p) => (p.protocol === 'tcp' ? Port.tcpRange(p.from, p.to) : Port.udpRange(p.from, p.to)));
  spec.flows.forEach((flow, i) => new AllowFlow(layout.flowScope(i), `F${i}`, { from: endpoint(flow.from)!, to: endpoint(flow.to)!, ports: ports(flow.ports) }));
  if (!withDenies) return;
  spec.denies.forEach((deny, i) => new DenyFlow(layout.flowScope(i), `D${i}`, {
    from: endpoint(deny.from),
    to: endpoint(deny.to),
    ...(deny.ports.length > 0 ? { ports: ports(deny.ports) } : {}),
  }));
}

/** A question to ask of an estate: hosts `W<i>` (managed), `X<i>` (address-only) or addresses. */
export interface Probe { readonly source: string; readonly destination: string; readonly protocol: 'tcp' | 'udp'; readonly port: number }

/** Every probe worth asking: each pair of hosts with a managed end, on each edge port of the flows. */
export function probesOf(spec: EstateSpec, extraPort: number): Probe[] {
  const hosts = [...spec.workloads.map((_, i) => `W${i}`), ...spec.externals.map((_, i) => `X${i}`), ...CIDR_HOSTS, OUTSIDE_HOST];
  const ports = new Set<number>([extraPort, ...[...spec.flows, ...spec.denies].flatMap((f) => f.ports.flatMap((p) => [p.from, p.to, p.to + 1]))]);
  const probes: Probe[] = [];
  for (const source of hosts) {
    for (const destination of hosts) {
      if (source === destination) continue;
      if (!source.startsWith('W') && !destination.startsWith('W')) continue; // outside the model
      for (const protocol of ['tcp', 'udp'] as const) {
        for (const port of ports) probes.push({ source, destination, protocol, port });
      }
    }
  }
  return probes;
}
