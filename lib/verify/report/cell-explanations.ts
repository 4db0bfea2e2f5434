import { Endpoint } from '../estate/endpoints';
import { estateOf } from '../estate/estate';
import { EvaluateOptions, evaluateEndpoints, layersOf, verdictOf } from '../evaluate';
import { externalPeers } from '../external-peers';
import { formatVerdict } from '../format-verdict';
import { TerraformModel } from '../model/terraform-model';
import { ALL_TRAFFIC, Traffic, TrafficProtocol, protocolTraffic } from '../net/traffic';
import { SegmentMatrix, segmentEndpoints } from '../segment-matrix';
import { crossPlatformEnds } from '../segment-members';

/** At most this many allowed port items are explained per cell (the rest are named). */
const MAX_EXPLAINED = 6;

/** Above this many cells, cells where nothing is allowed are not explained (the page would grow too large). */
const MAX_CELLS_WITH_DENIALS = 5000;

/**
 * The explanation of every cell of the matrix, as text keyed `from\u0000to`: for allowed ports, the
 * verdict of each (every enforcement point and deciding rule); for a cell where nothing is allowed,
 * the verdict on all traffic (where it stops), unless the matrix has more than 5,000 cells (then the
 * text says which query explains it).
 */
export function explainCells(
  model: TerraformModel, matrix: SegmentMatrix, options: EvaluateOptions = {}, progress?: (done: number, total: number) => void,
): Map<string, string> {
  const estate = estateOf(model);
  const layers = layersOf(estate, options);
  const endpoints = new Map<string, Endpoint>([...segmentEndpoints(estate), ...externalPeers(estate)].map((endpoint) => [endpoint.name, endpoint]));
  const result = new Map<string, string>();
  matrix.cells.forEach((cell, index) => {
    const from = endpoints.get(cell.from);
    const to = endpoints.get(cell.to);
    if (!from || !to) return;
    const [a, b] = crossPlatformEnds(estate, from, to);
    const explain = (port: string) => {
      const traffic = itemTraffic(port);
      return formatVerdict(verdictOf(a, b, port, evaluateEndpoints(layers, a, b, traffic)));
    };
    if (cell.allowed.length === 0 && matrix.cells.length > MAX_CELLS_WITH_DENIALS) {
      result.set(`${cell.from}\u0000${cell.to}`, `Nothing is allowed. Why: microseg query <cdktf.out> --from '${cell.from}' --to '${cell.to}' --port all --explain`);
      return;
    }
    const items = cell.allowed.length === 0 || cell.allowed.includes('all') ? ['all'] : cell.allowed;
    const explained = items.slice(0, MAX_EXPLAINED).map(explain);
    if (items.length > MAX_EXPLAINED) explained.push(`(${items.length - MAX_EXPLAINED} more allowed port items: ${items.slice(MAX_EXPLAINED).join(', ')}; ask microseg query for each)`);
    result.set(`${cell.from}\u0000${cell.to}`, explained.join('\n\n'));
    progress?.(index + 1, matrix.cells.length);
  });
  return result;
}

/** The packets one item of a formatted traffic set stands for (`all`, `icmp`, `tcp/443`, `udp/1000-2000`, `other-protocols`). */
function itemTraffic(item: string): Traffic {
  if (item === 'all') return ALL_TRAFFIC;
  if (item === 'other-protocols') return protocolTraffic('other');
  const [protocol, range] = item.split('/') as [TrafficProtocol, string | undefined];
  if (range === undefined) return protocolTraffic(protocol);
  const [first, last] = range.split('-').map(Number);
  return protocolTraffic(protocol, first, last ?? first);
}
