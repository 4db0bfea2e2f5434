import { Endpoint, resolveEndpoint } from './estate/endpoints';
import { Estate, estateOf } from './estate/estate';
import { hypotheticalMembers } from './estate/hypothetical-members';
import { GROUP_TYPES } from './estate/resource-hosts';
import { EvaluateOptions, evaluateEndpoints, layersOf } from './evaluate';
import { externalPeers } from './external-peers';
import { Layer } from './layers/layer-verdict';
import { TerraformModel } from './model/terraform-model';
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
  const externals = externalPeers(estate);
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
      return { name, kind: 'group' as const, hosts: hypotheticalMembers(estate, [resource.key], name) };
    })
    .filter((endpoint) => endpoint.hosts.length > 0)
    .sort((a, b) => a.name.localeCompare(b.name));
}
