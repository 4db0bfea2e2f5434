import * as fs from 'fs';
import { builtinModules } from 'module';
import * as path from 'path';
import * as ts from 'typescript';

// The evaluator reads synthesized JSON only: it may import its own folder, the provenance contract
// (the shape of `"//".microseg` it shares with the renderers), Node's built-ins and the few packages
// below, and nothing else of the library (no intent constructs, no model, no renderer, no provider).
const repo = path.resolve(__dirname, '..', '..');
const VERIFY = path.join(repo, 'lib', 'verify');
const CONTRACT = path.join(repo, 'lib', 'provenance', 'contract');
const PACKAGES = new Set([
  'ipaddr.js', // CIDR parsing
  'cdktf', // the jest matchers synthesize the app under test
  'constructs',
]);

function sourcesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourcesUnder(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every module specifier a source imports, re-exports or requires. */
function specifiersOf(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((file) => file.fileName);
}

/** The imports of `file` (with `source`) that cross the evaluator's boundary, as `file: specifier`. */
function boundaryViolations(file: string, source: string): string[] {
  const name = path.relative(repo, file);
  return specifiersOf(source).filter((specifier) => {
    if (specifier.startsWith('.')) {
      const target = path.resolve(path.dirname(file), specifier).replace(/\.ts$/, '');
      return target !== CONTRACT && !target.startsWith(VERIFY + path.sep);
    }
    const root = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
    return !PACKAGES.has(root) && !builtinModules.includes(root.replace(/^node:/, ''));
  }).map((specifier) => `${name}: ${specifier}`);
}

describe('the evaluator import boundary', () => {
  const files = sourcesUnder(VERIFY);

  test('GIVEN every source of lib/verify WHEN its imports are listed THEN none leaves lib/verify except for the provenance contract', () => {
    const imports = files.flatMap((file) => specifiersOf(fs.readFileSync(file, 'utf8')));

    const violations = files.flatMap((file) => boundaryViolations(file, fs.readFileSync(file, 'utf8')));

    expect(files.length).toBeGreaterThan(50);
    expect(imports.filter((specifier) => specifier.endsWith('provenance/contract')).length).toBeGreaterThan(0);
    expect(violations).toEqual([]);
  });

  test('GIVEN evaluator sources that reach into the library WHEN checked THEN each crossing is reported', () => {
    const file = path.join(VERIFY, 'model', 'example.ts');
    const source = [
      "import { Segment } from '../../segment';",
      "export { NsxEnforcement } from '../../vsphere/enforcement';",
      "import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';",
      "const registry = require('../../registry');",
      "import { readProvenance } from '../../provenance/contract';",
      "import { Value } from './value';",
      "import * as fs from 'fs';",
    ].join('\n');

    expect(boundaryViolations(file, source)).toEqual([
      'lib/verify/model/example.ts: ../../segment',
      'lib/verify/model/example.ts: ../../vsphere/enforcement',
      'lib/verify/model/example.ts: @cdktf/provider-aws/lib/security-group',
      'lib/verify/model/example.ts: ../../registry',
    ]);
  });

  test('GIVEN the provenance contract WHEN its imports are listed THEN it imports nothing, so the evaluator gets no cdktf or provider through it', () => {
    expect(specifiersOf(fs.readFileSync(`${CONTRACT}.ts`, 'utf8'))).toEqual([]);
  });
});
