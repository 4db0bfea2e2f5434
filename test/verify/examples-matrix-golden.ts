import { awsShop } from '../../examples/aws-shop/main';
import { awsThreeTier } from '../../examples/aws-three-tier/main';
import { azureThreeTier } from '../../examples/azure-three-tier/main';
import { baselinePreset } from '../../examples/baseline-preset/main';
import { gcpThreeTier } from '../../examples/gcp-three-tier/main';
import { hostEstate } from '../../examples/host-estate/main';
import { k8sShop } from '../../examples/k8s-shop/main';
import { vsphereNsx } from '../../examples/vsphere-nsx/main';
import { loadTerraformStacks, segmentMatrix } from '../../lib/verify';
import { newApp, synthApp } from '../helpers';

/** Every allowed cell of the examples' segment matrix, as `from -> to: ports`, sorted. */
export function examplesMatrixLines(): string[] {
  const app = newApp();
  awsThreeTier(app);
  azureThreeTier(app);
  vsphereNsx(app);
  baselinePreset(app);
  awsShop(app);
  k8sShop(app);
  hostEstate(app);
  gcpThreeTier(app);
  const stacks = synthApp(app);
  const matrix = segmentMatrix(loadTerraformStacks(Object.fromEntries(Object.entries(stacks).map(([name, s]) => [name, s.json]))));
  const lines = matrix.cells.map((cell) => `${cell.from} -> ${cell.to}: ${cell.allowed.length > 0 ? cell.allowed.join(' ') : 'denied'}`);
  return lines.sort();
}

if (require.main === module) process.stdout.write(`${examplesMatrixLines().join('\n')}\n`);
