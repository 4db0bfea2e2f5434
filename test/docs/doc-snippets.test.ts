import * as fs from 'fs';
import * as path from 'path';
import { CodeBlock, codeBlocks } from './markdown-code-blocks';
import { checkSnippets, DocSnippet } from './snippet-program';

const repo = path.resolve(__dirname, '..', '..');

const TYPESCRIPT = new Set(['ts', 'typescript']);

/** A TypeScript block: to check, or opted out with `nocheck`. */
type Block = { readonly check: DocSnippet } | { readonly nocheck: string };

describe('the TypeScript examples of the documentation', () => {
  const blocks = documentationFiles().flatMap((file) =>
    codeBlocks(fs.readFileSync(path.join(repo, file), 'utf8'))
      .filter((block) => TYPESCRIPT.has(block.info[0]?.toLowerCase()))
      .map((block) => typeScriptBlock(file, block)));
  const snippets = blocks.flatMap((block) => ('check' in block ? [block.check] : []));
  const optedOut = blocks.flatMap((block) => ('nocheck' in block ? [block.nocheck] : []));

  test('GIVEN README.md, docs/ and the READMEs of lib/ WHEN their TypeScript blocks are collected THEN there are blocks to check', () => {
    // eslint-disable-next-line no-console
    console.log(`${blocks.length} TypeScript blocks: ${snippets.length} checked, ${optedOut.length} opted out (nocheck)${optedOut.map((at) => `\n  ${at}`).join('')}`);
    expect(snippets.length).toBeGreaterThan(0);
  });

  test('GIVEN every checked block in its fixture WHEN one program type-checks them against lib/ THEN none has a diagnostic', () => {
    const failures = checkSnippets(repo, snippets)
      .filter((result) => result.diagnostics.length > 0)
      .map(({ snippet, diagnostics }) => `${snippet.file}:${snippet.line}${snippet.fixture ? ` (fixture=${snippet.fixture})` : ''}:\n  ${diagnostics.join('\n  ')}`);
    if (failures.length > 0) {
      throw new Error(`${failures.length} of ${snippets.length} TypeScript blocks of the documentation do not type-check:\n\n${failures.join('\n\n')}`);
    }
  });
});

/**
 * The documentation whose TypeScript blocks are checked, as repository-relative paths, sorted: the
 * README, the bench's, every Markdown file under docs/ and every README under lib/.
 */
function documentationFiles(): string[] {
  const top = ['README.md', 'bench/README.md'].filter((file) => fs.existsSync(path.join(repo, file)));
  const docs = filesUnder('docs').filter((file) => file.endsWith('.md'));
  const libraryReadmes = filesUnder('lib').filter((file) => path.posix.basename(file) === 'README.md');
  return [...top, ...docs, ...libraryReadmes].sort();
}

/** Every file under a directory of the repository, as repository-relative paths. */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(path.join(repo, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(relative);
    return entry.isFile() ? [relative] : [];
  });
}

/** A fenced TypeScript block and the words after its language: `fixture=NAME`, `module=NAME` or `nocheck`. */
function typeScriptBlock(file: string, block: CodeBlock): Block {
  const where = `${file}:${block.line}`;
  let fixture: string | undefined;
  let moduleName: string | undefined;
  let nocheck = false;
  for (const word of block.info.slice(1)) {
    const [key, value] = word.split('=', 2);
    if (key === 'nocheck' && value === undefined) nocheck = true;
    else if (key === 'fixture' && value) fixture = value;
    else if (key === 'module' && value) moduleName = value;
    else throw new Error(`${where}: unknown word '${word}' after the fence's language (fixture=NAME, module=NAME or nocheck)`);
  }
  if (nocheck) return { nocheck: where };
  return { check: { file, line: block.line, code: block.code, fixture, moduleName } };
}
