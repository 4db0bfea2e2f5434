import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';
import { EVALUATOR_PLATFORMS, PLATFORMS } from '../../lib/verify/platforms/registry';

const VERIFY = join(__dirname, '..', '..', 'lib', 'verify');
const PLATFORM_FOLDERS = join(VERIFY, 'platforms');

/** Prefixes of the resource types of the platforms the evaluator knows (and of those to come). */
const RESOURCE_TYPE_PREFIX = /^(aws|azurerm|nsxt|vsphere|google|kubernetes)_/;

/** Files of lib/verify outside the platform folders (the interface and the table in platforms/ count as generic). */
function genericFiles(dir: string = VERIFY): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return dir === PLATFORM_FOLDERS ? [] : genericFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The string literals of a TypeScript source, comments left out. */
function stringLiterals(source: string): string[] {
  const literals: string[] = [];
  const token = /\/\*[\s\S]*?\*\/|\/\/[^\n]*|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g;
  for (const match of source.matchAll(token)) {
    if (!match[0].startsWith('/')) literals.push(match[0].slice(1, -1));
  }
  return literals;
}

describe('the evaluator keeps platform semantics in the platform folders', () => {
  test('no generic evaluator file names a platform-specific resource type', () => {
    // GIVEN every file of lib/verify outside lib/verify/platforms/<platform>/
    const files = genericFiles();
    expect(files.length).toBeGreaterThan(30);
    // WHEN their string literals are read
    const offenders = files.flatMap((file) => stringLiterals(readFileSync(file, 'utf8'))
      .filter((literal) => literal.split(/[^A-Za-z0-9_]+/).some((word) => RESOURCE_TYPE_PREFIX.test(word)))
      .map((literal) => `${relative(VERIFY, file)}: '${literal}'`));
    // THEN none names a resource type: those belong to a platform folder behind the EvaluatorPlatform interface
    expect(offenders).toEqual([]);
  });

  test('no generic evaluator file imports a platform folder except through the registration table', () => {
    // GIVEN the generic files (the registration table aside) and their imports
    const imports = genericFiles().filter((file) => !file.endsWith(join('platforms', 'registry.ts'))).flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/from '([^']+)'/g)]
      .map((match) => ({ file: relative(VERIFY, file), target: relative(VERIFY, join(file, '..', match[1])) })));
    // WHEN the imports of a platform folder are picked out
    const intoFolders = imports
      .filter(({ target }) => target.startsWith('platforms/') && target.split('/').length > 2)
      .map(({ file, target }) => `${file} -> ${target}`);
    // THEN none does
    expect(intoFolders).toEqual([]);
  });

  test('each resource type belongs to one platform, and the types it groups, binds and scopes are types it reads', () => {
    // GIVEN the registered platforms
    const owners = new Map<string, string[]>();
    for (const platform of EVALUATOR_PLATFORMS) {
      for (const type of platform.evaluatedTypes) owners.set(type, [...(owners.get(type) ?? []), platform.name]);
    }
    // WHEN their resource types are compared
    const shared = [...owners].filter(([, names]) => names.length > 1).map(([type]) => type);
    const unread = EVALUATOR_PLATFORMS.flatMap((platform) => [
      ...platform.groupTypes, ...platform.endpointTypes, ...platform.scopedTypes, ...platform.addressRuleTypes,
    ]
      .filter((type) => !platform.evaluatedTypes.includes(type))
      .map((type) => `${platform.name}: ${type}`));
    // THEN no type is claimed twice, none is used without being read, and the table answers for every platform
    expect(shared).toEqual([]);
    expect(unread).toEqual([]);
    // a platform without groups of its own (host firewalls protect workloads other platforms place) has none to answer for
    const grouping = EVALUATOR_PLATFORMS.filter((platform) => platform.groupTypes.length > 0);
    expect(grouping.length).toBeGreaterThanOrEqual(3);
    const groupOwners = grouping.map((platform) => PLATFORMS.ofGroupType(platform.groupTypes[0])?.name);
    expect(groupOwners).toEqual(grouping.map((platform) => platform.name));
  });
});
