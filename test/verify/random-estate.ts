import * as fc from 'fast-check';
import { cidrContains } from '../../lib/private/cidr';

// Random estates for property tests: segments chosen by label selectors, labelled workloads, allow
// flows and deny guardrails between segments, single workloads and CIDR peers, and the intent they
// mean, computed from the spec alone (never from the library or the synthesized JSON).

/** The tiers and environments workloads are labelled with. */
export const TIERS = ['a', 'b', 'c'];
export const ENVS = ['prod', 'dev'];
/** CIDR peers, outside every address the estates give workloads. */
export const CIDRS = ['10.200.0.0/16', '192.168.5.0/24', '172.16.0.0/12'];
/** One host inside each CIDR peer. */
export const CIDR_HOSTS = ['10.200.0.7', '192.168.5.7', '172.16.0.7'];
/** A host outside every CIDR peer and every workload. */
export const OUTSIDE_HOST = '192.0.2.1';

/** One end of a flow: a segment, a single workload or a CIDR peer, by index. */
export interface EndpointSpec { readonly kind: 'segment' | 'workload' | 'cidr'; readonly index: number }
/** A TCP or UDP port range. */
export interface PortSpec { readonly protocol: 'tcp' | 'udp'; readonly from: number; readonly to: number }
/** A flow; a deny with no ports denies all traffic. */
export interface FlowSpec { readonly from: EndpointSpec; readonly to: EndpointSpec; readonly ports: PortSpec[] }
/** A whole estate. */
export interface EstateSpec {
  readonly segments: Array<Record<string, string>>;
  readonly workloads: Array<Record<string, string>>;
  readonly flows: FlowSpec[];
  /** DenyFlow guardrails; they win over every AllowFlow. */
  readonly denies: FlowSpec[];
}

/** How estates are drawn. */
export interface EstateShape {
  /** Whether estates carry DenyFlow guardrails. */
  readonly denies: boolean;
  /** Segments every estate has before the random ones (for example one per tier). */
  readonly fixedSegments?: Array<Record<string, string>>;
}

const selectorArb = fc.record({ tier: fc.constantFrom(...TIERS), env: fc.option(fc.constantFrom(...ENVS), { nil: undefined }) })
  .map((s): Record<string, string> => (s.env ? { tier: s.tier, env: s.env } : { tier: s.tier }));
const labelsArb = fc.record({ tier: fc.constantFrom(...TIERS), env: fc.constantFrom(...ENVS) });
const portArb = fc.record({ protocol: fc.constantFrom('tcp' as const, 'udp' as const), from: fc.integer({ min: 1000, max: 1008 }), width: fc.integer({ min: 0, max: 3 }) })
  .map((p): PortSpec => ({ protocol: p.protocol, from: p.from, to: p.from + p.width }));

/** Random estates of the given shape. */
export function estateArb(shape: EstateShape): fc.Arbitrary<EstateSpec> {
  const fixed = shape.fixedSegments ?? [];
  return fc.record({
    segments: fc.array(selectorArb, { minLength: fixed.length > 0 ? 0 : 1, maxLength: 4 }).map((random) => [...fixed, ...random]),
    workloads: fc.array(labelsArb, { minLength: 2, maxLength: 5 }),
  }).chain((base) => {
    const endpointArb = fc.oneof(
      fc.record({ kind: fc.constant('segment' as const), index: fc.integer({ min: 0, max: base.segments.length - 1 }) }),
      fc.record({ kind: fc.constant('workload' as const), index: fc.integer({ min: 0, max: base.workloads.length - 1 }) }),
      fc.record({ kind: fc.constant('cidr' as const), index: fc.integer({ min: 0, max: CIDRS.length - 1 }) }),
    );
    const flowArb = (minPorts: number) => fc
      .record({ from: endpointArb, to: endpointArb, ports: fc.array(portArb, { minLength: minPorts, maxLength: 2 }) })
      .filter((f) => !(f.from.kind === 'cidr' && f.to.kind === 'cidr'))
      .filter((f) => !(f.from.kind === 'workload' && f.to.kind === 'workload' && f.from.index === f.to.index));
    const flows = fc.array(flowArb(1), { minLength: 1, maxLength: 6 });
    const denies: fc.Arbitrary<FlowSpec[]> = shape.denies ? fc.array(flowArb(0), { maxLength: 2 }) : fc.constant([]);
    return fc.record({ segments: fc.constant(base.segments), workloads: fc.constant(base.workloads), flows, denies });
  });
}

/** Whether a selector matches a workload's labels (every key). */
export function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/**
 * What the intent says about one probe. Hosts are `W<i>` for workload i, or a literal address
 * (workload addresses lie outside every CIDR peer).
 */
export function intentAllows(spec: EstateSpec, source: string, destination: string, protocol: string, port: number): boolean {
  const contains = (endpoint: EndpointSpec, host: string) => {
    if (endpoint.kind === 'cidr') return !host.startsWith('W') && cidrContains(CIDRS[endpoint.index], host);
    if (!host.startsWith('W')) return false;
    const w = Number(host.slice(1));
    if (endpoint.kind === 'workload') return endpoint.index === w;
    return selects(spec.segments[endpoint.index], spec.workloads[w]);
  };
  const covers = (flow: FlowSpec) => contains(flow.from, source) && contains(flow.to, destination)
    && (flow.ports.length === 0 || flow.ports.some((p) => p.protocol === protocol && p.from <= port && port <= p.to));
  return !spec.denies.some(covers) && spec.flows.some(covers);
}

/** A probe of the matrix: source and destination hosts, protocol and port. */
export interface Probe { readonly source: string; readonly destination: string; readonly protocol: 'tcp' | 'udp'; readonly port: number }

/** Every probe worth asking of an estate: each pair of hosts (one a workload) on each edge port. */
export function probesOf(spec: EstateSpec, extraPort: number): Probe[] {
  const hosts = [...spec.workloads.map((_, i) => `W${i}`), ...CIDR_HOSTS, OUTSIDE_HOST];
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
