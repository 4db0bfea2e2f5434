import { subgraphOf } from './mermaid';
import { counted } from '../counted';
import { cell } from '../markdown-cell';
import { SegmentMatrix } from '../segment-matrix';

/** A Markdown summary of the matrix: counts, segments by enforcement, and every allowed edge; the Mermaid diagram embedded. */
export function formatReportMarkdown(matrix: SegmentMatrix, mermaid: string): string {
  const segments = matrix.endpoints.filter((endpoint) => endpoint.kind === 'segment');
  const externals = matrix.endpoints.filter((endpoint) => endpoint.kind === 'external');
  const allowed = matrix.cells.filter((edge) => edge.enforced && edge.allowed.length > 0);
  const lines = [
    '# Microsegmentation report',
    '',
    `${counted(segments.length, 'segment')}, ${counted(externals.length, 'external peer')}, ${allowed.length} allowed of ${counted(matrix.cells.length, 'pair')} evaluated.`,
    '',
    '## Segments',
    '',
    '| segment | enforcement |',
    '|---|---|',
    ...segments.map((segment) => `| ${cell(segment.name)} | ${subgraphOf(segment)} |`),
    '',
    '## Allowed traffic',
    '',
    '| from | to | ports |',
    '|---|---|---|',
    ...allowed.map((edge) => `| ${cell(edge.from)} | ${cell(edge.to)} | ${edge.allowed.join(', ')} |`),
    '',
    '## Flow diagram',
    '',
    '```mermaid',
    mermaid.trimEnd(),
    '```',
    '',
    'The full matrix with filters and the explanation of every cell is in `matrix.html`.',
  ];
  return `${lines.join('\n')}\n`;
}
