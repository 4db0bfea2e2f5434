import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { awsThreeTier } from '../../examples/aws-three-tier/main';

const repo = path.resolve(__dirname, '..', '..');
const MARKER = '<!-- runnable:';

/** The fenced block that follows the runnable marker in lib/verify/README.md. */
function runnableBlock(): string {
  const readme = fs.readFileSync(path.join(repo, 'lib', 'verify', 'README.md'), 'utf8');
  const afterMarker = readme.slice(readme.indexOf(MARKER));
  const match = /```ts\n([\s\S]*?)```/.exec(afterMarker);
  if (readme.indexOf(MARKER) < 0 || !match) throw new Error('lib/verify/README.md has no runnable ```ts block after its marker');
  return match[1];
}

describe('the evaluator README example', () => {
  test('GIVEN the synthesized aws-three-tier example WHEN the README example runs against it, importing cdktf-microseg/verify THEN it type-checks, App->Db is allowed and Web->Db denied', () => {
    // GIVEN a user's working directory with the synthesized example in cdktf.out
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-readme-'));
    const app = new App({ outdir: path.join(work, 'cdktf.out'), stackTraces: false });
    awsThreeTier(app);
    app.synth();
    // and the README block, its package import pointed at this checkout's sources
    const block = runnableBlock();
    expect(block).toContain("from 'cdktf-microseg/verify'");
    fs.writeFileSync(path.join(work, 'example.ts'), block.replace(/'cdktf-microseg\/verify'/g, JSON.stringify(path.join(repo, 'lib', 'verify'))));
    fs.writeFileSync(path.join(work, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        strict: true,
        target: 'ES2022',
        module: 'commonjs',
        moduleResolution: 'node',
        esModuleInterop: true,
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [path.join(repo, 'node_modules', '@types')],
      },
    }));

    // WHEN it runs under ts-node, which type-checks it first
    const run = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin'), '--project', path.join(work, 'tsconfig.json'), 'example.ts'], {
      cwd: work,
      encoding: 'utf8',
      // npm's NODE_OPTIONS preloads a package of this checkout by name, which the user's directory does not have
      env: { ...process.env, NODE_OPTIONS: '', TS_NODE_TRANSPILE_ONLY: 'false', TS_NODE_FILES: 'false' },
    });

    // THEN it exits 0 (its own check passed), printing the denied verdict and the matrix
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/aws-three-tier\/Web .*aws-three-tier\/Db/);
    expect(run.stdout).toContain('denied');
    expect(run.stdout).toContain('tcp/5432');
  }, 180_000); // ts-node type-checks the evaluator's sources first
});
