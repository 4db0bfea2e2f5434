import { spawnSync } from 'child_process';
import * as path from 'path';

// GIVEN the repository's .npmrc
// WHEN npm starts a process in this checkout (as `npx cdktf synth` does)
// THEN cdktf's telemetry is off and the process has the heap cdktf's CLI would give its app, so
// cdktf neither tries to reach its checkpoint service nor warns that NODE_OPTIONS lacks a heap size.

const repo = path.resolve(__dirname, '..', '..');

test('processes npm starts here have CHECKPOINT_DISABLE=1 and a heap size in NODE_OPTIONS', () => {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  delete env.CHECKPOINT_DISABLE;
  const probe = 'console.log(JSON.stringify({ checkpoint: process.env.CHECKPOINT_DISABLE, nodeOptions: process.env.NODE_OPTIONS }))';
  const run = spawnSync('npm', ['exec', '--', 'node', '-e', probe], { cwd: repo, env, encoding: 'utf8' });
  expect(run.status).toBe(0);
  const seen = JSON.parse(run.stdout.trim().split('\n').pop()!);
  expect(seen.checkpoint).toBe('1');
  // cdktf warns, and gives its app no larger heap, when NODE_OPTIONS is set without one
  expect(seen.nodeOptions).toMatch(/--max-old-space-size=4096\b/);
});

test('a CHECKPOINT_DISABLE the user set wins', () => {
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '' };
  delete env.NODE_OPTIONS;
  const run = spawnSync('npm', ['exec', '--', 'node', '-e', 'console.log(JSON.stringify(process.env.CHECKPOINT_DISABLE))'], { cwd: repo, env, encoding: 'utf8' });
  expect(run.stdout.trim().split('\n').pop()).toBe('""');
});
