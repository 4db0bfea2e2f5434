import { MatrixCell, SegmentMatrix } from './segment-matrix';

/** The matrix as a text table: rows = from, columns = to, cells = allowed ports (`-` none, `unenforced` nothing filters). */
export function formatMatrix(matrix: SegmentMatrix): string {
  const lookup = new Map(matrix.cells.map((cell) => [`${cell.from}\u0000${cell.to}`, cellText(cell)]));
  const header = ['from \\ to', ...matrix.columns];
  const body = matrix.rows.map((row) => [row, ...matrix.columns.map((column) => lookup.get(`${row}\u0000${column}`) ?? '')]);
  const table = [header, ...body];
  const widths = header.map((_, index) => Math.max(...table.map((line) => line[index].length)));
  return table.map((line) => line.map((text, index) => text.padEnd(widths[index])).join('  ').trimEnd()).join('\n');
}

function cellText(cell: MatrixCell): string {
  if (!cell.enforced) return 'unenforced';
  return cell.allowed.join(',') || '-';
}
