import { App } from 'cdktf';
import { azureStack } from './azure-fixtures';
import { linuxScaleSet, nodePool } from './binding-fixtures';
import { AzureBinding, AzureEnforcement, Peer, Port, Segment, Workload } from '../../lib';
import { changeImpact } from '../../lib/verify/diff/change-impact';
import { allocationFile, appWithAllocations, removeAllocationFiles, synthesizeVersion, unsafeChanges } from '../change-safety/impact';

afterAll(removeAllocationFiles);

/**
 * Stack `az`: a web NIC, an api scale set and an api node pool in segment Api (Web -> Api 8080);
 * `monitored` also puts both in segment Monitored (SSH from the ops network).
 */
function version(allocations: string, monitored: boolean): App {
  const app = appWithAllocations(allocations);
  const az = azureStack(app, 'az');
  new AzureEnforcement(az.stack, 'Azure', { resourceGroupName: az.rg.name, location: az.rg.location, subnetIds: [az.subnet.id] });
  const web = new Segment(az.stack, 'Web', { selector: { tier: 'web' } });
  new Segment(az.stack, 'Api', { selector: { tier: 'api' } }).allowFrom(web, Port.tcp(8080));
  new Segment(az.stack, 'Monitored', { selector: { monitored: 'yes' } }).allowFrom(Peer.ipv4('10.9.0.0/16'), Port.SSH);
  const labels = { tier: 'api', ...(monitored ? { monitored: 'yes' } : {}) };
  new Workload(az.stack, 'WebVm', { binding: AzureBinding.networkInterface(az.nic('web-nic')), labels: { tier: 'web' } });
  new Workload(az.stack, 'ApiScaleSet', { binding: AzureBinding.virtualMachineScaleSet(linuxScaleSet(az.stack, 'api-vmss', { rg: az.rg, subnet: az.subnet })), labels });
  new Workload(az.stack, 'ApiNodes', { binding: AzureBinding.kubernetesNodePool(nodePool(az.stack, 'ApiPool', { rg: az.rg, subnet: az.subnet })), labels });
  return app;
}

test('WHEN a scale set and a node pool join a second segment THEN both are updated in place and no allowed flow drops', () => {
  const allocations = allocationFile();
  const before = synthesizeVersion(version(allocations, false));
  const after = synthesizeVersion(version(allocations, true));
  const impact = changeImpact(before.model, after.model);
  expect(unsafeChanges(impact, after.warnings)).toEqual({ interrupted: [], duplicates: [] });
  const plan = impact.stacks.find((stack) => stack.stack === 'az')!;
  const bound = (changes: readonly { address: string }[]) => changes.map((c) => c.address).filter((a) => /scale_set|node_pool/.test(a)).sort();
  expect(bound(plan.updated)).toEqual(['azurerm_kubernetes_cluster_node_pool.ApiPool', 'azurerm_linux_virtual_machine_scale_set.api-vmss']);
  expect([...bound(plan.replaced), ...bound(plan.destroyed), ...bound(plan.created)]).toEqual([]);
});
