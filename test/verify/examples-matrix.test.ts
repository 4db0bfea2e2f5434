import { awsThreeTier } from '../../examples/aws-three-tier/main';
import { azureThreeTier } from '../../examples/azure-three-tier/main';
import { vsphereNsx } from '../../examples/vsphere-nsx/main';
import { loadTerraformStacks, segmentMatrix } from '../../lib/verify';
import { newApp, synthApp } from '../helpers';

describe('the segment matrix of the three-tier examples is the same intent on every platform', () => {
  const app = newApp();
  awsThreeTier(app);
  azureThreeTier(app);
  vsphereNsx(app);
  const stacks = synthApp(app);
  const matrix = segmentMatrix(loadTerraformStacks(Object.fromEntries(Object.entries(stacks).map(([name, s]) => [name, s.json]))));
  const cell = (from: string, to: string) => matrix.cells.find((c) => c.from === from && c.to === to)?.allowed ?? [];

  test.each(['aws-three-tier', 'azure-three-tier', 'vsphere-nsx'])('%s: the declared tiers and nothing else', (stack) => {
    expect(cell(`${stack}/Web`, `${stack}/App`)).toEqual(['tcp/8080']);
    expect(cell(`${stack}/App`, `${stack}/Db`)).toEqual(['tcp/5432']);
    expect(cell(`${stack}/Web`, `${stack}/Db`)).toEqual([]);
    expect(cell(`${stack}/Db`, `${stack}/App`)).toEqual([]);
    // every tier is also in the Managed segment, so the admin network reaches each one over SSH
    for (const tier of ['Web', 'App', 'Db']) expect(cell('198.51.100.0/24', `${stack}/${tier}`)).toContain('tcp/22');
    expect(cell('0.0.0.0/0', `${stack}/Web`)).toEqual(['tcp/443']);
    expect(cell('0.0.0.0/0', `${stack}/Db`)).toEqual([]);
  });
});
