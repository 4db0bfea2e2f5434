import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { SynthesizedVersion, allocationFile, appWithAllocations, removeAllocationFiles, synthesizeVersion, unsafeChanges } from './impact';
import { AllowFlow, AzureBinding, AzureEnforcement, Port, Segment, Workload } from '../../lib';
import { changeImpact } from '../../lib/verify/diff/change-impact';
import { azureStack } from '../azure/azure-fixtures';

// An Azure rule has one protocol, and its name holds it: a flow widened to all traffic trades its
// Tcp and Udp rules for a `*` rule (or the other way round), which Terraform destroys and creates in
// no order. Synthesis warns, naming the flow, and the two-step change it suggests drops nothing.

afterAll(removeAllocationFiles);

const WINDOW = { id: /^\[microseg-nsg-rule-window\]/, names: ["AzureEnforcement 'shop/Azure'"] };

/** Segments Web and Api with one NIC each, and flows Web -> Api with these ids and ports (one WebToApi by default). */
function version(allocations: string, ports: Port[], more: Record<string, Port[]> = {}): SynthesizedVersion {
  return versionWith(allocations, { WebToApi: ports, ...more });
}

/** The same estate with flows of these ids and ports, each declared in the stack `stacks` names for it (another stack than shop gets its own). */
function versionWith(allocations: string, flows: Record<string, Port[]>, stacks: Record<string, string> = {}): SynthesizedVersion {
  const app: App = appWithAllocations(allocations);
  const { stack, rg, subnet, nic } = azureStack(app, 'shop');
  new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, subnetIds: [subnet.id] });
  const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
  const api = new Segment(stack, 'Api', { selector: { tier: 'api' } });
  new Workload(stack, 'web1', { binding: AzureBinding.networkInterface(nic('web1-nic')), labels: { tier: 'web' } });
  new Workload(stack, 'api1', { binding: AzureBinding.networkInterface(nic('api1-nic')), labels: { tier: 'api' } });
  const flowStack = (id: string | undefined): TerraformStack => {
    if (id === undefined) return stack;
    const other = new TerraformStack(app, id);
    new AzurermProvider(other, 'azurerm', { features: [{}] });
    return other;
  };
  for (const [id, ports] of Object.entries(flows)) new AllowFlow(flowStack(stacks[id]), id, { from: web, to: api, ports });
  return synthesizeVersion(app);
}

const windows = (v: SynthesizedVersion) => v.warnings.filter((w) => WINDOW.id.test(w));

describe('an Azure flow that changes protocols', () => {
  test('GIVEN Web -> Api on udp/53 and tcp/8081 WHEN widened to all traffic THEN synthesis warns for each direction and names what drops', () => {
    const allocations = allocationFile();
    const before = version(allocations, [Port.udp(53), Port.tcp(8081)]);
    const after = version(allocations, [Port.allTraffic()]);
    expect(windows(after)).toEqual([
      expect.stringContaining("[microseg-nsg-rule-window] AllowFlow 'shop/WebToApi': the Inbound rules of AzureEnforcement 'shop/Azure' between 'shop/Api' and segment 'shop/Web' lose their Tcp rule and gain a * rule"),
      expect.stringContaining("between 'shop/Api' and segment 'shop/Web' lose their Udp rule and gain a * rule"),
      expect.stringContaining("the Outbound rules of AzureEnforcement 'shop/Azure' between 'shop/Web' and segment 'shop/Api' lose their Tcp rule"),
      expect.stringContaining("between 'shop/Web' and segment 'shop/Api' lose their Udp rule"),
    ]);
    expect(windows(after)[0]).toContain('which Terraform destroys and creates in no order: tcp/8081 drops between the two. To avoid it, deploy once with both');
    expect(windows(after)[1]).toContain('udp/53 drops between the two');
    // the drop is real, and the warning is what announces it
    const impact = changeImpact(before.model, after.model);
    expect(unsafeChanges(impact, after.warnings).interrupted).not.toEqual([]);
    expect(unsafeChanges(impact, after.warnings, WINDOW)).toEqual({ interrupted: [], duplicates: [] });
  });

  test('narrowed from all traffic to tcp/8081, the warning names the traffic both allow', () => {
    const allocations = allocationFile();
    version(allocations, [Port.allTraffic()]);
    const after = version(allocations, [Port.tcp(8081)]);
    expect(windows(after)).toHaveLength(2);
    expect(windows(after)[0]).toContain('lose their * rule and gain a Tcp rule (an Azure rule has one protocol, and its name holds it), which Terraform destroys and creates in no order: tcp/8081 drops between the two.');
  });

  test('no warning where no traffic is shared or the rule stays: tcp to udp, and a tcp port edited', () => {
    const allocations = allocationFile();
    version(allocations, [Port.tcp(8081)]);
    const copy = allocationFile(allocations);
    expect(windows(version(allocations, [Port.udp(8081)]))).toEqual([]);
    expect(windows(version(copy, [Port.tcp(8082)]))).toEqual([]);
  });

  test('the two-step change it suggests drops nothing and warns nothing', () => {
    const allocations = allocationFile();
    const first = version(allocations, [Port.udp(53), Port.tcp(8081)]);
    const both = version(allocations, [Port.udp(53), Port.tcp(8081)], { WebToApiAll: [Port.allTraffic()] });
    expect(unsafeChanges(changeImpact(first.model, both.model), both.warnings)).toEqual({ interrupted: [], duplicates: [] });
    expect(windows(both)).toEqual([]);
    const last = versionWith(allocations, { WebToApiAll: [Port.allTraffic()] });
    expect(windows(last)).toEqual([]);
    expect(unsafeChanges(changeImpact(both.model, last.model), last.warnings)).toEqual({ interrupted: [], duplicates: [] });
  });

  test('no warning when another stack\'s copy of the rule keeps carrying the traffic', () => {
    // GIVEN Web -> Api on HTTPS declared in stacks fa and fb (a copy of the Tcp rule in each)
    const twoStacks = (allocations: string, fbPorts: Port[]) => versionWith(allocations, { F1: [Port.HTTPS], F2: fbPorts }, { F1: 'fa', F2: 'fb' });
    const allocations = allocationFile();
    const before = twoStacks(allocations, [Port.HTTPS]);
    // WHEN fb's flow is widened to all traffic: its Tcp rule gives way to a * rule, fa's Tcp rule stays
    const after = twoStacks(allocations, [Port.allTraffic()]);
    // THEN tcp/443 never drops, and nothing warns
    expect(unsafeChanges(changeImpact(before.model, after.model), after.warnings)).toEqual({ interrupted: [], duplicates: [] });
    expect(windows(after)).toEqual([]);
  });
});
