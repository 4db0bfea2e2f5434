import { Estate, estateOf } from './estate/estate';
import { Endpoint, resolveEndpoint } from './estate/endpoints';
import { GROUP_TYPES, hypotheticalMembers } from './estate/resource-hosts';
import { EvaluateOptions, evaluateEndpoints, layersOf } from './evaluate';
import { Layer } from './layers/layer-verdict';
import { TerraformModel, blocksAt } from './model/terraform-model';
import { textOf } from './model/value';
import { parseCidr } from './net/cidr';
import { ALL_TRAFFIC, formatTraffic, intersectTraffic } from './net/traffic';

/** One cell of the matrix: what `from` may send to `to`. */
export interface MatrixCell {
  /** The source (segment path or external peer). */
  readonly from: string;
  /** The destination. */
  readonly to: string;
  /** The allowed ports, ranges compressed (`tcp/443`, `tcp/8000-8100`, `all`); empty when nothing is allowed. */
  readonly allowed: readonly string[];
  /** False when no enforcement point of the JSON lies between the two (two unmanaged address ranges). */
  readonly enforced: boolean;
}

/** Who may talk to whom: segments (and external peers that rules name) by allowed ports. */
export interface SegmentMatrix {
  /** Source names, in display order. */
  readonly rows: readonly string[];
  /** Destination names, in display order. */
  readonly columns: readonly string[];
  /** One cell per row and column. */
  readonly cells: readonly MatrixCell[];
}

/**
 * The segment-to-segment matrix of allowed traffic. Every cell is exact: it is computed as the set of
 * packets that pass every layer for every member pair, not sampled. External CIDRs, prefix lists and
 * service tags that rules name appear as rows or columns when something is allowed to or from them.
 * Without the library's inventory, the group resources (security groups, ASGs, NSX groups) are the segments.
 */
export function segmentMatrix(model: TerraformModel, options: EvaluateOptions = {}): SegmentMatrix {
  const estate = estateOf(model);
  const layers = layersOf(estate, options);
  const segments = segmentEndpoints(estate);
  const externals = externalEndpoints(estate);
  const cell = (from: Endpoint, to: Endpoint): MatrixCell => cellBetween(layers, from, to);
  const inner = segments.flatMap((from) => segments.map((to) => cell(from, to)));
  const outgoing = segments.flatMap((from) => externals.map((to) => cell(from, to)));
  const incoming = externals.flatMap((from) => segments.map((to) => cell(from, to)));
  const usedColumns = new Set(outgoing.filter(isEnforcedAllow).map((c) => c.to));
  const usedRows = new Set(incoming.filter(isEnforcedAllow).map((c) => c.from));
  const rows = [...segments.map((s) => s.name), ...externals.map((e) => e.name).filter((name) => usedRows.has(name))];
  const columns = [...segments.map((s) => s.name), ...externals.map((e) => e.name).filter((name) => usedColumns.has(name))];
  const cells = [...inner, ...outgoing.filter((c) => usedColumns.has(c.to)), ...incoming.filter((c) => usedRows.has(c.from))];
  return { rows, columns, cells };
}

function cellBetween(layers: readonly Layer[], from: Endpoint, to: Endpoint): MatrixCell {
  const paths = evaluateEndpoints(layers, from, to, ALL_TRAFFIC);
  const common = paths.reduce((passing, path) => intersectTraffic(passing, path.allowedTraffic), ALL_TRAFFIC);
  return { from: from.name, to: to.name, allowed: paths.length === 0 ? [] : formatTraffic(common), enforced: paths.some((path) => path.enforced) };
}

function isEnforcedAllow(cell: MatrixCell): boolean {
  return cell.enforced && cell.allowed.length > 0;
}

function segmentEndpoints(estate: Estate): Endpoint[] {
  const paths = [...estate.inventory.segments.keys()].sort();
  if (paths.length > 0) return paths.map((path) => resolveEndpoint(estate, path)).filter((endpoint) => endpoint.hosts.length > 0);
  return estate.model.resources
    .filter((resource) => GROUP_TYPES.has(resource.type))
    .map((resource) => {
      const name = estate.naming.nameOf(resource.key);
      return { name, kind: 'group' as const, hosts: hypotheticalMembers(estate, resource, name) };
    })
    .filter((endpoint) => endpoint.hosts.length > 0)
    .sort((a, b) => a.name.localeCompare(b.name));
}

const IMPLICIT_TAGS = new Set(['virtualnetwork', 'azureloadbalancer', '*', 'any']);

function externalEndpoints(estate: Estate): Endpoint[] {
  const knownHosts = new Set([...estate.inventory.workloads.values()].flatMap((workload) => workload.addresses.map(textOf)));
  const names = new Set<string>();
  const collect = (stack: string, raw: unknown) => estate.resolver.values(stack, raw).map(textOf).forEach((text) => names.add(text));
  for (const type of ['aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule']) {
    for (const rule of estate.model.resourcesOfType(type)) ['cidr_ipv4', 'cidr_ipv6', 'prefix_list_id'].forEach((field) => collect(rule.stack, rule.body[field]));
  }
  const nsgRuleBodies = [
    ...estate.model.resourcesOfType('azurerm_network_security_rule').map((rule) => ({ stack: rule.stack, body: rule.body })),
    ...estate.model.resourcesOfType('azurerm_network_security_group').flatMap((nsg) => blocksAt(nsg.body, 'security_rule').map((body) => ({ stack: nsg.stack, body }))),
  ];
  for (const { stack, body } of nsgRuleBodies) {
    ['source_address_prefix', 'source_address_prefixes', 'destination_address_prefix', 'destination_address_prefixes'].forEach((field) => collect(stack, body[field]));
  }
  return [...names]
    .filter((name) => !knownHosts.has(name) && !knownHosts.has(name.replace(/\/(32|128)$/, '')) && !IMPLICIT_TAGS.has(name.toLowerCase()))
    .filter((name) => !name.includes('${'))
    .sort()
    .map((name) => resolveEndpoint(estate, parseCidr(name) || name.startsWith('pl-') ? name : `tag:${name}`));
}
