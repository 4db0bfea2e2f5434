/**
 * A name as a code span in a table cell, exactly as it is: a table row is one line, so a line break
 * shows as `\n`; a pipe is escaped as tables need; backticks inside get a longer fence.
 */
export function cell(text: string): string {
  const oneLine = text.replace(/\r\n|\r|\n/g, '\\n').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(oneLine.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = oneLine.startsWith('`') || oneLine.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${oneLine}${pad}${fence}`;
}
