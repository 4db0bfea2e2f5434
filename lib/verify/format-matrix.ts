import { MatrixCell, SegmentMatrix } from './segment-matrix';

/**
 * The matrix as a text table: rows = from, columns = to, cells = allowed ports (`-` none,
 * `unenforced` nothing filters). Given a width, the table fits it: names and cells longer than a
 * share of the width are shortened with `…` (the JSON output has them in full), and columns that do
 * not fit go into further tables below, each repeating the row names.
 */
export function formatMatrix(matrix: SegmentMatrix, width?: number): string {
  const lookup = new Map(matrix.cells.map((cell) => [`${cell.from}\u0000${cell.to}`, cellText(cell)]));
  const text = (row: string, column: string) => lookup.get(`${row}\u0000${column}`) ?? '';
  if (!width) return table(matrix.rows, matrix.columns, (row, column) => text(row, column), (name) => name);
  const rowWidth = Math.max(12, Math.floor(width * 0.35));
  const columnWidth = Math.max(10, Math.floor(width * 0.3));
  const rowName = (name: string) => shorten(name, rowWidth);
  const shortCell = (row: string, column: string) => shorten(text(row, column), columnWidth);
  const shortName = (name: string) => shorten(name, columnWidth);
  const rowLabelWidth = Math.max('from \\ to'.length, ...matrix.rows.map((row) => rowName(row).length));
  const columnOf = (column: string) => Math.max(
    shorten(column, columnWidth).length,
    ...matrix.rows.map((row) => shorten(text(row, column), columnWidth).length),
  );
  const chunks: string[][] = [];
  let current: string[] = [];
  let used = rowLabelWidth;
  for (const column of matrix.columns) {
    const needed = 2 + columnOf(column);
    if (current.length > 0 && used + needed > width) {
      chunks.push(current);
      current = [];
      used = rowLabelWidth;
    }
    current.push(column);
    used += needed;
  }
  if (current.length > 0 || chunks.length === 0) chunks.push(current);
  return chunks
    .map((columns) => table(matrix.rows, columns, shortCell, shortName, rowName))
    .join('\n\n');
}

type Label = (name: string) => string;
type CellText = (row: string, column: string) => string;

function table(rows: readonly string[], columns: readonly string[], cell: CellText, header: Label, rowName: Label = (name) => name): string {
  const lines = [['from \\ to', ...columns.map(header)], ...rows.map((row) => [rowName(row), ...columns.map((column) => cell(row, column))])];
  const widths = lines[0].map((_, index) => Math.max(...lines.map((line) => line[index].length)));
  return lines.map((line) => line.map((text, index) => text.padEnd(widths[index])).join('  ').trimEnd()).join('\n');
}

/** Keeps the end of a long name (the distinctive part of a construct path) or the start of a long port list. */
function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  if (text.includes('/') && !/^(tcp|udp|icmp|all)/.test(text)) return `…${text.slice(text.length - max + 1)}`;
  return `${text.slice(0, max - 1)}…`;
}

function cellText(cell: MatrixCell): string {
  if (!cell.enforced) return 'unenforced';
  return cell.allowed.join(',') || '-';
}
