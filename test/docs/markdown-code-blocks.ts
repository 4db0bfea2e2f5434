import { Parser } from 'commonmark';

/** A code block of a Markdown document. */
export interface CodeBlock {
  /** The 1-based line of the opening fence. */
  readonly line: number;
  /** The words of the info string: the language first (```ts fixture=stack gives `ts`, `fixture=stack`). */
  readonly info: readonly string[];
  /** The block's text, without the fence's indentation (a block inside a list item is indented). */
  readonly code: string;
}

/** Every code block of a Markdown document, in order, as CommonMark reads it (an indented block has no info string, so no language). */
export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const walker = new Parser().parse(markdown).walker();
  for (let event = walker.next(); event; event = walker.next()) {
    const { node, entering } = event;
    if (!entering || node.type !== 'code_block') continue;
    blocks.push({
      line: node.sourcepos[0][0],
      info: (node.info ?? '').trim().split(/\s+/).filter((word) => word !== ''),
      code: (node.literal ?? '').replace(/\n$/, ''),
    });
  }
  return blocks;
}
