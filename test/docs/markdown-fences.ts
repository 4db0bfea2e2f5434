/** A fenced code block of a Markdown document. */
export interface FencedBlock {
  /** The 1-based line of the opening fence. */
  readonly line: number;
  /** The words of the info string: the language first (```ts fixture=stack gives `ts`, `fixture=stack`). */
  readonly info: readonly string[];
  /** The block's text, without the fence's indentation (a block inside a list item is indented). */
  readonly code: string;
}

const OPENING = /^( *)(`{3,}|~{3,})(.*)$/;

/**
 * Every fenced code block of a Markdown document, in order (CommonMark fences: three or more backticks
 * or tildes, closed by at least as many of the same character); `file` names the document in errors.
 */
export function fencedBlocks(markdown: string, file: string): FencedBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: FencedBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const opening = OPENING.exec(lines[index]);
    if (!opening) continue;
    const [, indent, fence, infoText] = opening;
    if (fence.startsWith('`') && infoText.includes('`')) continue; // inline code, not a fence
    const closing = new RegExp(`^ *${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    const end = lines.findIndex((line, at) => at > index && closing.test(line));
    if (end < 0) throw new Error(`${file}:${index + 1}: the fence is never closed`);
    const body = lines.slice(index + 1, end).map((line) => line.slice(Math.min(indent.length, line.length - line.trimStart().length)));
    blocks.push({ line: index + 1, info: infoText.trim().split(/\s+/).filter((word) => word !== ''), code: body.join('\n') });
    index = end;
  }
  return blocks;
}
