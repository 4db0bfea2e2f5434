import { App, TerraformStack, Testing } from 'cdktf';
import { AzureBinding, AzureEnforcement, NsxEnforcement, Peer, Port, Segment, VsphereBinding, Workload } from '../../lib';
import { azureStack } from '../azure/azure-fixtures';
import { nsxStack, vm } from '../vsphere/nsx-fixtures';

/** One stack with Azure and NSX workloads in two segments each, and the ports their flows allow. */
function estate(app: App): { stack: TerraformStack; allow: (port: number) => void } {
  const { stack, rg, subnet, nic } = azureStack(app, 'estate');
  const nsx = nsxStack(app, 'dc');
  new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, subnetIds: [subnet.id] });
  new NsxEnforcement(nsx, 'Nsx', { vsphereTags: false });
  const azureWeb = new Segment(stack, 'Web', { members: [new Workload(stack, 'WebVm', { binding: AzureBinding.networkInterface(nic('web-nic')) })] });
  const nsxApp = new Segment(nsx, 'App', { members: [new Workload(nsx, 'AppVm', { binding: VsphereBinding.virtualMachine(vm(nsx, 'app')) })] });
  return {
    stack,
    allow: (port) => {
      azureWeb.allowFrom(Peer.ipv4(`192.0.2.${port % 250}/32`), Port.tcp(port));
      nsxApp.allowFrom(Peer.ipv4(`198.51.100.${port % 250}/32`), Port.tcp(port));
    },
  };
}

/** The priority of every Azure rule and the sequence number of every NSX rule, by resource name. */
function numbers(app: App): Record<string, number> {
  const out: Record<string, number> = {};
  for (const stack of app.node.children.filter((c): c is TerraformStack => TerraformStack.isStack(c))) {
    const json = JSON.parse(Testing.synth(stack));
    for (const [name, rule] of Object.entries<any>(json.resource?.azurerm_network_security_rule ?? {})) out[name] = rule.priority;
    for (const [name, rule] of Object.entries<any>(json.resource?.nsxt_policy_security_policy_rule ?? {})) out[name] = rule.sequence_number;
  }
  return out;
}

const PORTS = [8080, 8081, 8082, 8083, 8084, 8085];

describe('numbers allocated over every rule', () => {
  test('flows declared after the app was first rendered get the numbers the whole program gives', () => {
    // GIVEN an Azure and an NSX estate with all its flows declared before synthesis
    const whole = Testing.app();
    const all = estate(whole);
    PORTS.forEach(all.allow);
    const expected = numbers(whole);
    // ... and the same estate rendered (synthesized) with half the flows, then given the rest
    const later = Testing.app();
    const part = estate(later);
    PORTS.slice(0, 3).forEach(part.allow);
    numbers(later);
    PORTS.slice(3).forEach(part.allow);

    // WHEN it is synthesized again
    const actual = numbers(later);

    // THEN every rule carries the priority or sequence number of the whole program, as a plain number
    expect(Object.keys(expected).filter((name) => !name.includes('DenyAll') && !name.includes('DefaultDeny')).length).toBeGreaterThanOrEqual(PORTS.length * 2);
    for (const value of Object.values(actual)) expect(typeof value).toBe('number');
    expect(actual).toEqual(expected);
  });
});
