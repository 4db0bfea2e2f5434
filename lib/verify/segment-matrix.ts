import { Endpoint, inventorySegmentEndpoint } from './estate/endpoints';
import { Estate, estateOf } from './estate/estate';
import { hypotheticalMembers } from './estate/hypothetical-members';
import { isGroupResource } from './estate/resource-hosts';
import { EvaluateOptions, layersOf, passBetween } from './evaluate';
import { externalPeers } from './external-peers';
import { Layer } from './layers/layer-verdict';
import { MatrixFilter, checkFilterMatches, keepsEndpoint, matchesAny, platformsOfEndpoint, stacksOfSegment } from './matrix-filter';
import { TerraformModel } from './model/terraform-model';
import { ALL_TRAFFIC, formatTraffic, isNoTraffic } from './net/traffic';
import { crossPlatformEnds } from './segment-members';

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

/** A row or column of the matrix: what it is and where it lives. */
export interface MatrixEndpoint {
  /** The segment path or the external peer (CIDR, prefix list, service tag). */
  readonly name: string;
  /** `segment` or `external`. */
  readonly kind: 'segment' | 'external';
  /** The platforms of its members, by the names the registered platforms give themselves; empty for an external peer. */
  readonly platforms: readonly string[];
  /** The stacks its groups live in; empty for an external peer. */
  readonly stacks: readonly string[];
}

/** Who may talk to whom: segments (and external peers that rules name) by allowed ports. */
export interface SegmentMatrix {
  /** Source names, in display order. */
  readonly rows: readonly string[];
  /** Destination names, in display order. */
  readonly columns: readonly string[];
  /** One cell per row and column. */
  readonly cells: readonly MatrixCell[];
  /** Every row and column with its platforms and stacks. */
  readonly endpoints: readonly MatrixEndpoint[];
}

/** What to compute and how to report progress. */
export interface MatrixView {
  /** Which rows and columns to keep. @default all */
  readonly filter?: MatrixFilter;
  /** Called as cells are computed. @default none */
  readonly progress?: (done: number, total: number) => void;
}

/**
 * The segment-to-segment matrix of allowed traffic. Every cell is exact: it is computed as the set of
 * packets that pass every layer for every member pair, not sampled. External CIDRs, prefix lists and
 * service tags that rules name appear as rows or columns when something is allowed to or from them.
 * A cross-platform cell sees each segment with its members' addresses, as the other platform's rules
 * name them. Without the library's inventory, the group resources (security groups, ASGs, NSX groups)
 * are the segments. A filter value that matches nothing throws a {@link VerifyInputError}.
 */
export function segmentMatrix(model: TerraformModel, options: EvaluateOptions = {}, view: MatrixView = {}): SegmentMatrix {
  const estate = estateOf(model);
  const layers = layersOf(estate, options);
  const filter = view.filter ?? {};
  const allSegments = segmentEndpoints(estate);
  const allExternals = externalPeers(estate);
  checkFilterMatches(estate, allSegments, allExternals, filter);
  const segments = allSegments.filter((endpoint) => keepsEndpoint(estate, endpoint, false, filter));
  const externals = allExternals.filter((endpoint) => keepsEndpoint(estate, endpoint, true, filter));
  const sources = segments.filter((endpoint) => matchesAny(endpoint.name, filter.from));
  const destinations = segments.filter((endpoint) => matchesAny(endpoint.name, filter.to));
  const externalSources = externals.filter((endpoint) => matchesAny(endpoint.name, filter.from));
  const externalDestinations = externals.filter((endpoint) => matchesAny(endpoint.name, filter.to));
  const total = sources.length * (destinations.length + externalDestinations.length) + externalSources.length * destinations.length;
  let done = 0;
  const cell = (from: Endpoint, to: Endpoint): MatrixCell => {
    // the ends seen across platforms keep their names
    const result = cellBetween(layers, ...crossPlatformEnds(estate, from, to));
    done++;
    if (view.progress && (done % 100 === 0 || done === total)) view.progress(done, total);
    return result;
  };
  const inner = sources.flatMap((from) => destinations.map((to) => cell(from, to)));
  const outgoing = sources.flatMap((from) => externalDestinations.map((to) => cell(from, to)));
  const incoming = externalSources.flatMap((from) => destinations.map((to) => cell(from, to)));
  const usedColumns = new Set(outgoing.filter(isEnforcedAllow).map((c) => c.to));
  const usedRows = new Set(incoming.filter(isEnforcedAllow).map((c) => c.from));
  const rows = [...sources.map((s) => s.name), ...externalSources.map((e) => e.name).filter((name) => usedRows.has(name))];
  const columns = [...destinations.map((s) => s.name), ...externalDestinations.map((e) => e.name).filter((name) => usedColumns.has(name))];
  const cells = [...inner, ...outgoing.filter((c) => usedColumns.has(c.to)), ...incoming.filter((c) => usedRows.has(c.from))];
  const shown = new Set([...rows, ...columns]);
  const endpoints: MatrixEndpoint[] = [
    ...segments.filter((s) => shown.has(s.name)).map((s) => ({ name: s.name, kind: 'segment' as const, platforms: platformsOfEndpoint(s), stacks: stacksOfSegment(estate, s.name) })),
    ...externals.filter((e) => shown.has(e.name)).map((e) => ({ name: e.name, kind: 'external' as const, platforms: [], stacks: [] })),
  ];
  return { rows, columns, cells, endpoints };
}

/** A cell from the verdict-only path: what passes, never why (the report and `microseg query --explain` explain a cell when asked). */
function cellBetween(layers: readonly Layer[], from: Endpoint, to: Endpoint): MatrixCell {
  const pass = passBetween(layers, from, to, ALL_TRAFFIC);
  const allowed = pass.pairs === 0 || isNoTraffic(pass.allowedTraffic) ? [] : formatTraffic(pass.allowedTraffic);
  return { from: from.name, to: to.name, allowed, enforced: pass.enforced };
}

function isEnforcedAllow(cell: MatrixCell): boolean {
  return cell.enforced && cell.allowed.length > 0;
}

/** The segments of the estate as endpoints (the inventory's, else one per group resource), sorted, those without hosts left out. */
export function segmentEndpoints(estate: Estate): Endpoint[] {
  const paths = [...estate.inventory.segments.keys()].sort();
  if (paths.length > 0) {
    // a segment with no members (a tier not deployed, or emptied by a change) reaches nothing: left out
    return paths.map((path) => inventorySegmentEndpoint(estate, path)!).filter((endpoint) => endpoint.hosts.length > 0);
  }
  return estate.model.resources
    .filter(isGroupResource)
    .map((resource) => {
      const name = estate.naming.nameOf(resource.key);
      return { name, kind: 'group' as const, hosts: hypotheticalMembers(estate, [resource.key], name) };
    })
    .filter((endpoint) => endpoint.hosts.length > 0)
    .sort((a, b) => a.name.localeCompare(b.name));
}
