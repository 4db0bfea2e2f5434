import { spawnSync } from 'child_process';
import * as path from 'path';

/**
 * The library requires a platform's modules only when an app uses the platform. Node caches such a
 * lazy `require` only for the module that first loaded the target, so from any other module each
 * call resolves the path again (about 16 microseconds and 4 KB of garbage): in a function called
 * once per workload, that was 2,000 resolutions on the `aws-sg` bench estate.
 */
describe('module paths resolved while synthesizing', () => {
  // the mixed estate has AWS, Azure and NSX workloads: every platform's lookup is in one of the two
  const estates = ['aws-sg', 'mixed'];
  let counts: Record<string, [number, number]>;

  beforeAll(() => {
    const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'module-resolution-report.ts'), ...estates], {
      cwd: path.join(__dirname, '..', '..'), encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`module-resolution-report failed (${run.status}): ${run.stderr}`);
    counts = JSON.parse(run.stdout);
  });

  test.each(estates)('%s: do not grow with the estate', (estate) => {
    const [once, twice] = counts[estate];
    expect(twice).toBeLessThanOrEqual(once);
  });
});
