import { AzureEnforcement, AzureWorkload, Port, Segment, Workload } from '../../lib';
import '../../lib/verify/jest';
import { newApp, synthApp } from '../helpers';
import { azureStack } from './azure-fixtures';
import { linuxScaleSet, nodePool, privateEndpoint } from './binding-fixtures';

describe('AzureWorkload helpers', () => {
  const app = newApp();
  const az = azureStack(app, 'az');
  new AzureEnforcement(az.stack, 'Azure', { resourceGroupName: az.rg.name, location: az.rg.location, subnetIds: [az.subnet.id] });
  az.subnet.privateEndpointNetworkPolicies = 'Enabled';
  const web = new Segment(az.stack, 'Web', { selector: { tier: 'web' } });
  const api = new Segment(az.stack, 'Api', { selector: { tier: 'api' } });
  api.allowFrom(web, Port.tcp(8080));
  const at = { rg: az.rg, subnet: az.subnet };
  const webVm = AzureWorkload.fromNetworkInterface(az.stack, 'WebVm', az.nic('web-nic'), { labels: { tier: 'web' } });
  const scaleSet = AzureWorkload.fromScaleSet(az.stack, 'ApiScaleSet', linuxScaleSet(az.stack, 'api-vmss', at), { labels: { tier: 'api' }, addresses: ['10.1.1.0/24'] });
  const endpoint = AzureWorkload.fromPrivateEndpoint(az.stack, 'ApiEndpoint', privateEndpoint(az.stack, 'api-pe', at), { segments: [api] });
  const pool = AzureWorkload.fromNodePool(az.stack, 'ApiNodes', nodePool(az.stack, 'ApiPool', at), { labels: { tier: 'api' }, stableId: 'shop/api-nodes' });
  const json = synthApp(app).az.json;

  test('each helper binds its resource type, with the given labels, segments, addresses and stableId', () => {
    const summary = (w: Workload) => [w.node.path, w.resource!.terraformResourceType, w.segments.map((s) => s.node.path)];
    expect([webVm, scaleSet, endpoint, pool].map(summary)).toEqual([
      ['az/WebVm', 'azurerm_network_interface', ['az/Web']],
      ['az/ApiScaleSet', 'azurerm_linux_virtual_machine_scale_set', ['az/Api']],
      ['az/ApiEndpoint', 'azurerm_private_endpoint', ['az/Api']],
      ['az/ApiNodes', 'azurerm_kubernetes_cluster_node_pool', ['az/Api']],
    ]);
    expect(scaleSet.addressCidrs).toEqual(['10.1.1.0/24']);
    expect(pool.identity).toBe('shop/api-nodes');
  });

  test('every helper\'s workload is reachable from Web on 8080 and on nothing else', () => {
    for (const target of [scaleSet, endpoint, pool]) {
      expect(json).toAllowFlow(webVm, target, Port.tcp(8080));
      expect(json).toDenyFlow(webVm, target, Port.tcp(8081));
    }
  });

  test('a helper given the wrong resource type fails the synth listing the supported ones', () => {
    const other = newApp();
    const b = azureStack(other, 'b');
    new AzureEnforcement(b.stack, 'Azure', { resourceGroupName: b.rg.name, location: b.rg.location, subnetIds: [b.subnet.id] });
    AzureWorkload.fromScaleSet(b.stack, 'Api', b.nic('api-nic'));
    expect(() => other.synth()).toThrow(/Workload 'b\/Api' is bound with AzureBinding\.virtualMachineScaleSet\(\.\.\.\) to 'b\/api-nic' of type azurerm_network_interface.*Azure bindings: AzureBinding\.networkInterface \(azurerm_network_interface\), AzureBinding\.virtualMachineScaleSet/);
  });
});
