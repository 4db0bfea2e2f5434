import { appendTo } from '../multimap';
import { MatrixEndpoint, SegmentMatrix } from '../segment-matrix';

/**
 * The matrix as a Mermaid flowchart: segments and external peers are nodes, an edge carries the
 * ports one allows to the other, and each platform and stack (the enforcement) is a subgraph;
 * external peers share one subgraph. Cells where nothing is allowed or nothing enforces are left out.
 */
export function formatMermaid(matrix: SegmentMatrix): string {
  const ids = new Map(matrix.endpoints.map((endpoint, index) => [endpoint.name, `n${index}`]));
  const lines = ['flowchart LR'];
  const groups = new Map<string, MatrixEndpoint[]>();
  for (const endpoint of matrix.endpoints) {
    const key = subgraphOf(endpoint);
    appendTo(groups, key, endpoint);
  }
  [...groups.keys()].sort().forEach((title, index) => {
    lines.push(`  subgraph g${index}["${label(title)}"]`);
    for (const endpoint of groups.get(title)!) lines.push(`    ${ids.get(endpoint.name)}["${label(endpoint.name)}"]`);
    lines.push('  end');
  });
  for (const cell of matrix.cells) {
    if (!cell.enforced || cell.allowed.length === 0) continue;
    const from = ids.get(cell.from);
    const to = ids.get(cell.to);
    if (from && to) lines.push(`  ${from} -->|"${label(cell.allowed.join(', '))}"| ${to}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The subgraph an endpoint is drawn in: its platforms and stacks (`aws · shop`), or `external`. */
export function subgraphOf(endpoint: MatrixEndpoint): string {
  if (endpoint.kind === 'external') return 'external peers';
  return `${endpoint.platforms.join('+') || 'no members'} · ${endpoint.stacks.join('+')}`;
}

/** Text safe inside a quoted Mermaid label (quotes and markup characters as entity codes). */
function label(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}
