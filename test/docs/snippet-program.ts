import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/** A TypeScript block of the documentation, to be type-checked. */
export interface DocSnippet {
  /** The Markdown file, relative to the repository. */
  readonly file: string;
  /** The 1-based line of the block's opening fence. */
  readonly line: number;
  /** The block's text. */
  readonly code: string;
  /** The fixture the block is inserted into (`test/docs/fixtures/<fixture>.ts-fixture`), if any. */
  readonly fixture?: string;
  /** The module name other blocks import this block by (a package the docs write, e.g. `@acme/microseg-baseline`). */
  readonly moduleName?: string;
}

/** What the compiler reports on one block. */
export interface SnippetDiagnostics {
  readonly snippet: DocSnippet;
  /** One entry per diagnostic: where (Markdown or fixture line), the code, the message and the line's text. */
  readonly diagnostics: readonly string[];
}

/** Where the fixtures live, and the line of a fixture the block's lines replace. */
const FIXTURE_DIR = path.join('test', 'docs', 'fixtures');
const PLACEHOLDER = '/// here';

/** A block as the source file the compiler reads, each of its lines traced back to a document or fixture line. */
interface VirtualFile {
  readonly snippet: DocSnippet;
  readonly fileName: string;
  readonly text: string;
  readonly origins: readonly string[];
}

/**
 * Type-checks every block in one program, with the compiler options of `test/tsconfig.json`, the
 * library's package name and its `exports` subpaths resolving to its sources in lib/.
 */
export function checkSnippets(repo: string, snippets: readonly DocSnippet[]): SnippetDiagnostics[] {
  const options = projectOptions(repo);
  const files = snippets.map((snippet) => virtualFile(repo, snippet));
  const byName = new Map(files.map((file) => [file.fileName, file]));
  const docModules = new Map<string, string>();
  for (const { snippet, fileName } of files.filter((file) => file.snippet.moduleName)) {
    if (docModules.has(snippet.moduleName!)) throw new Error(`${snippet.file}:${snippet.line}: a second block is module ${snippet.moduleName}`);
    docModules.set(snippet.moduleName!, fileName);
  }
  const entryPoint = libraryEntryPoints(repo);

  const host = ts.createCompilerHost(options, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const file = byName.get(fileName);
    if (file) return ts.createSourceFile(fileName, file.text, languageVersion, true);
    return getSourceFile.call(host, fileName, languageVersion, onError, shouldCreate);
  };
  host.fileExists = (fileName) => byName.has(fileName) || fileExists.call(host, fileName);
  host.readFile = (fileName) => byName.get(fileName)?.text ?? readFile.call(host, fileName);
  const cache = ts.createModuleResolutionCache(repo, (name) => name, options);
  host.getModuleResolutionCache = () => cache;
  host.resolveModuleNameLiterals = (literals, containingFile, redirectedReference, compilerOptions, containingSourceFile) =>
    literals.map((literal) => {
      const own = docModules.get(literal.text) ?? entryPoint(literal.text);
      if (own !== undefined) {
        return { resolvedModule: own === null ? undefined : { resolvedFileName: own, extension: ts.Extension.Ts, isExternalLibraryImport: false } };
      }
      const mode = ts.getModeForUsageLocation(containingSourceFile, literal, compilerOptions);
      return ts.resolveModuleName(literal.text, containingFile, compilerOptions, host, cache, redirectedReference, mode);
    });

  const program = ts.createProgram({ rootNames: files.map((file) => file.fileName), options, host });
  const programWide = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  if (programWide.length > 0) {
    throw new Error(`the snippet program does not compile:\n${programWide.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n')}`);
  }
  return files.map((file) => {
    const sourceFile = program.getSourceFile(file.fileName)!;
    const diagnostics = [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)];
    return { snippet: file.snippet, diagnostics: diagnostics.map((diagnostic) => describeDiagnostic(file, diagnostic)) };
  });
}

/** The compiler options the tests are checked with, so the examples are as strict as the project. */
function projectOptions(repo: string): ts.CompilerOptions {
  const configFile = path.join(repo, 'test', 'tsconfig.json');
  const parsed = ts.getParsedCommandLineOfConfigFile(configFile, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(`${configFile}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
    },
  });
  if (!parsed) throw new Error(`cannot read ${configFile}`);
  // A side-effect import that resolves to nothing (a subpath the package does not export) fails when
  // the user's code runs; the compiler reports it only with this option.
  return { ...parsed.options, noEmit: true, incremental: false, noUncheckedSideEffectImports: true };
}

/**
 * The library's source file for an import of the package (`cdktf-microseg`, `cdktf-microseg/verify`,
 * ...): its package.json `exports` name declaration files in dist/, which the compiler writes from
 * the same paths in lib/. Returns null for a subpath the package does not export (as a user's
 * compiler would fail to resolve it) and undefined for another package's import.
 */
function libraryEntryPoints(repo: string): (name: string) => string | null | undefined {
  const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { name: string; exports: Record<string, unknown> };
  // An export's name and its source, each with at most one `*` (`./dist/*` exports every module).
  const entries: Array<{ readonly name: string; readonly source: string }> = [];
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    const types = typeof target === 'string' ? target : (target as { types?: string }).types;
    const declaration = /^\.\/dist\/(.*)\.d\.ts$/.exec(types ?? '');
    if (declaration) entries.push({ name: pkg.name + subpath.slice(1), source: path.join(repo, 'lib', `${declaration[1]}.ts`) });
  }
  return (name) => {
    if (name !== pkg.name && !name.startsWith(`${pkg.name}/`)) return undefined;
    for (const entry of entries) {
      const [prefix, suffix] = entry.name.split('*');
      if (suffix === undefined && name !== prefix) continue;
      if (suffix !== undefined && !(name.startsWith(prefix) && name.endsWith(suffix) && name.length >= prefix.length + suffix.length)) continue;
      const source = suffix === undefined ? entry.source : entry.source.replace('*', name.slice(prefix.length, name.length - suffix.length));
      return fs.existsSync(source) ? source : null;
    }
    return null;
  };
}

/**
 * The block as a module of its own: alone, or in its fixture in place of the `/// here` line, its
 * imports moved to the top of the file (a fixture may put the block inside a class or a function).
 */
function virtualFile(repo: string, snippet: DocSnippet): VirtualFile {
  const fileName = path.join(repo, '.doc-snippets', snippet.file, `line-${snippet.line}.ts`);
  const block = snippet.code.split('\n').map((text, index) => ({ text, origin: `${snippet.file}:${snippet.line + 1 + index}` }));
  // An `export` makes the file a module even when the block has no import, so blocks never share names.
  const moduleScope = { text: 'export {};', origin: `${snippet.file}:${snippet.line} (added: module scope)` };
  const file = (lines: ReadonlyArray<{ readonly text: string; readonly origin: string }>): VirtualFile => ({
    snippet, fileName, text: lines.map((line) => line.text).join('\n'), origins: lines.map((line) => line.origin),
  });
  if (!snippet.fixture) return file([...block, moduleScope]);

  const fixtureFile = path.join(FIXTURE_DIR, `${snippet.fixture}.ts-fixture`);
  const fixturePath = path.join(repo, fixtureFile);
  if (!fs.existsSync(fixturePath)) throw new Error(`${snippet.file}:${snippet.line}: no fixture ${fixtureFile}`);
  const fixture = fs.readFileSync(fixturePath, 'utf8').replace(/\n$/, '').split('\n').map((text, index) => ({ text, origin: `${fixtureFile}:${index + 1}` }));
  const placeholder = fixture.findIndex((line) => line.text.trim() === PLACEHOLDER);
  if (placeholder < 0) throw new Error(`${fixtureFile} has no '${PLACEHOLDER}' line for the block to replace`);
  const imports = importLines(snippet.code);
  return file([
    ...block.filter((_, index) => imports.has(index)),
    ...fixture.slice(0, placeholder),
    ...block.filter((_, index) => !imports.has(index)),
    ...fixture.slice(placeholder + 1),
    moduleScope,
  ]);
}

/** The 0-based lines of a block's top-level import declarations. */
function importLines(code: string): Set<number> {
  const sourceFile = ts.createSourceFile('block.ts', code, ts.ScriptTarget.Latest, true);
  const lines = new Set<number>();
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) && !ts.isImportEqualsDeclaration(statement)) continue;
    const first = sourceFile.getLineAndCharacterOfPosition(statement.getStart(sourceFile)).line;
    const last = sourceFile.getLineAndCharacterOfPosition(statement.getEnd()).line;
    for (let line = first; line <= last; line++) lines.add(line);
  }
  return lines;
}

function describeDiagnostic(file: VirtualFile, diagnostic: ts.Diagnostic): string {
  const message = `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n    ')}`;
  if (!diagnostic.file || diagnostic.start === undefined) return message;
  const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  const text = file.text.split('\n')[line]?.trim() ?? '';
  return `${file.origins[line] ?? `line ${line + 1}`}: ${message}\n    > ${text}`;
}
