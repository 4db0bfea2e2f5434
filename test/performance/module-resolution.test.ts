import { spawnSync } from 'child_process';
import * as path from 'path';
import type { ModuleReport } from './module-resolution-report';

/**
 * The library requires a platform's modules, and a provider's resource classes, only when an app
 * uses them. Node caches such a lazy `require` only for the module that first loaded the target,
 * so from any other module each call resolves the path again (about 16 microseconds and 4 KB of
 * garbage): in a function called once per workload, that was 2,000 resolutions on the `aws-sg`
 * bench estate.
 */
describe('modules loaded while synthesizing', () => {
  // the mixed estate has AWS, Azure and NSX workloads: every platform's lookup is in one of the
  // two; the host servers deliver their rule sets by SSM and write them at synthesis
  const estates = ['aws-sg', 'mixed', 'host-servers'];
  let report: ModuleReport;

  beforeAll(() => {
    const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'module-resolution-report.ts'), ...estates], {
      cwd: path.join(__dirname, '..', '..'), encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`module-resolution-report failed (${run.status}): ${run.stderr}`);
    report = JSON.parse(run.stdout);
  });

  test.each(estates)('%s: the paths resolved do not grow with the estate', (estate) => {
    const [once, twice] = report.resolutions[estate];
    expect(twice).toBeLessThanOrEqual(once);
  });

  test('importing the library loads no provider resource class', () => {
    expect(report.atImport).toEqual([]);
  });

  test.each(estates)('%s: every provider resource class the synthesis loads is of a type it writes', (estate) => {
    const { loaded, written } = report.providers[estate];
    // security groups only: the network ACL classes stay unloaded; Azure NICs without a NIC-level NSG: so does its association
    expect(loaded.filter((type) => !written.includes(type))).toEqual([]);
    expect(loaded.length).toBeGreaterThan(0);
  });
});
