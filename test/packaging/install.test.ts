import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compiledLibrary, REPO as repo } from './compiled-library';

// GIVEN the library packed as `npm pack` packs it (dist/ compiled from the current sources, no tests)
// WHEN a separate AWS-only cdktf app outside the repository installs the tarball with cdktf, constructs
// and the AWS provider only (the Azure and vSphere providers are optional peers it leaves out)
// THEN the app type-checks (also with the library's declarations checked) and synthesizes by importing
// the package by name, the matchers answer from the package's public entry points, and the installed
// `microseg` command queries the output.

const scratchSources = path.join(__dirname, 'scratch-app');
const devDeps: Record<string, string> = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')).devDependencies;
const peers = ['cdktf', 'constructs', '@cdktf/provider-aws'];
const otherProviders = ['@cdktf/provider-azurerm', '@cdktf/provider-vsphere', '@cdktf/provider-kubernetes', '@cdktf/provider-google'];

/**
 * The environment of a process started outside the repository: the repository's .npmrc preloads a
 * module by name into every process npm starts, which does not resolve outside it.
 */
const outsideEnv = { ...process.env, NODE_OPTIONS: '', CHECKPOINT_DISABLE: '1' };

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = outsideEnv): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

function ok(result: SpawnSyncReturns<string>, what: string): string {
  if (result.status !== 0) {
    throw new Error(`${what} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

let work: string;
let app: string;
let packedFiles: string[];

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-pack-'));
  app = path.join(work, 'app');
  fs.mkdirSync(app);

  // `npm pack` would compile the library again (the prepare task): pack what is compiled from the current sources
  compiledLibrary();
  // a working tree holds more than the sources (synthesized estates, a developer's notes): none of it ships
  const stray = path.join(repo, `pack-probe-${process.pid}`);
  fs.mkdirSync(stray);
  fs.writeFileSync(path.join(stray, 'cdk.tf.json'), '{}');
  let packOutput: string;
  try {
    packOutput = ok(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], repo, process.env), 'npm pack');
  } finally {
    fs.rmSync(stray, { recursive: true, force: true });
  }
  const packed = JSON.parse(packOutput);
  packedFiles = packed[0].files.map((f: { path: string }) => f.path);
  const tarball = path.join(work, packed[0].filename);

  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'scratch-app', version: '1.0.0', private: true }));
  for (const file of fs.readdirSync(scratchSources)) fs.copyFileSync(path.join(scratchSources, file), path.join(app, file));
  const specs = peers.map((name) => `${name}@${devDeps[name]}`);
  ok(run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, ...specs], app), 'npm install of the tarball');
}, 240_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('the tarball carries the compiled library, its types, the evaluator, the microseg command and docs, and nothing else', () => {
  for (const file of ['dist/index.js', 'dist/index.d.ts', 'dist/verify/index.js', 'dist/verify/jest.js', 'dist/cli/main.js', 'bin/microseg', '.jsii', 'README.md']) {
    expect(packedFiles).toContain(file);
  }
  // AND nothing else: no sources, tests, examples, bench or files lying in the working tree
  const shipped = /^(dist\/.+\.(js|d\.ts)|bin\/microseg|docs\/[a-z-]+\.md|node_modules\/(commander|ipaddr\.js)\/.+|\.jsii|API\.md|nsxt\.md|README\.md|LICENSE|package\.json)$/;
  expect(packedFiles.filter((f) => !shipped.test(f))).toEqual([]);
});

test('the Azure, vSphere, Kubernetes and Google providers are not installed: they are optional peers', () => {
  const peersMeta = JSON.parse(fs.readFileSync(path.join(app, 'node_modules', 'cdktf-microseg', 'package.json'), 'utf8')).peerDependenciesMeta;
  expect(peersMeta).toEqual({
    '@cdktf/provider-aws': { optional: true },
    '@cdktf/provider-azurerm': { optional: true },
    '@cdktf/provider-vsphere': { optional: true },
    '@cdktf/provider-kubernetes': { optional: true },
    '@cdktf/provider-google': { optional: true },
  });
  for (const name of otherProviders) expect(fs.existsSync(path.join(app, 'node_modules', name))).toBe(false);
  expect(fs.existsSync(path.join(app, 'node_modules', '@cdktf', 'provider-aws', 'package.json'))).toBe(true);
});

test("the package's declarations name no provider module the app lacks", () => {
  // With skipLibCheck off, TypeScript reports every import of a declaration file that does not
  // resolve (TS2307); cdktf's own declarations may have unrelated findings, so only ours count.
  const tsc = path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = run(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit', '--skipLibCheck', 'false'], app);
  const ours = `${result.stdout}${result.stderr}`.split('\n').filter((line) => line.includes('node_modules/cdktf-microseg/'));
  expect(ours).toEqual([]);
});

test('the app type-checks against the package by name and synthesizes default-deny rules', () => {
  const tsc = path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
  ok(run(process.execPath, [tsc, '-p', 'tsconfig.json'], app), 'tsc (node10 module resolution, typesVersions)');
  ok(run(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit', '--module', 'node16', '--moduleResolution', 'node16'], app), 'tsc (node16 module resolution, exports)');
  ok(run(process.execPath, ['main.js'], app), 'node main.js');

  const stack = JSON.parse(fs.readFileSync(path.join(app, 'cdktf.out', 'stacks', 'shop', 'cdk.tf.json'), 'utf8'));
  const ingress = Object.values<Record<string, unknown>>(stack.resource.aws_vpc_security_group_ingress_rule);
  expect(ingress.map((r) => [r.ip_protocol, r.from_port, r.to_port]).sort()).toEqual([['tcp', 5432, 5432], ['tcp', 8080, 8080]]);
});

test("the user's jest test runs the package's matchers against the synthesized output", () => {
  const jest = path.join(repo, 'node_modules', 'jest', 'bin', 'jest.js');
  const result = run(process.execPath, [jest, '--ci', '--rootDir', app, '--config', JSON.stringify({ transform: {}, testMatch: ['**/flow.test.js'] })], app);
  expect(`${result.stdout}${result.stderr}`).toMatch(/Tests:\s+1 passed, 1 total/);
  expect(result.status).toBe(0);
});

test('the deep dist/ paths earlier releases documented still resolve at run time (deprecated)', () => {
  const script = "require('cdktf-microseg/dist/verify').loadTerraform; require('cdktf-microseg/dist/verify/jest'); console.log('resolved')";
  const result = run(process.execPath, ['-e', script], app);
  expect(`${result.stdout}${result.stderr}`.trim()).toBe('resolved');
});

test('the installed microseg command answers allowed (exit 0) and denied (exit 1)', () => {
  const microseg = path.join(app, 'node_modules', '.bin', 'microseg');
  const allowed = run(microseg, ['query', 'cdktf.out', '--from', 'shop/Web', '--to', 'shop/Api', '--port', 'tcp/8080'], app);
  expect(allowed.stdout).toContain('ALLOWED: shop/Web -> shop/Api on tcp/8080');
  expect(allowed.status).toBe(0);
  const denied = run(microseg, ['query', 'cdktf.out', '--from', 'shop/Web', '--to', 'shop/Db', '--port', 'tcp/5432'], app);
  expect(denied.stdout).toContain('DENIED: shop/Web -> shop/Db on tcp/5432');
  expect(denied.status).toBe(1);
});
