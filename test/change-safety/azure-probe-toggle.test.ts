import { SynthesizedVersion, allocationFile, appWithAllocations, removeAllocationFiles, synthesizeVersion } from './impact';
import { AzureBinding, AzureEnforcement, Peer, Port, Segment, Workload } from '../../lib';
import { changeImpact } from '../../lib/verify/diff/change-impact';
import { azureStack } from '../azure/azure-fixtures';

// The load-balancer probe rule sits at denyPriority - 1. Turning it on must not meet a flow's rule
// there: two rules with one priority and direction fail the apply (SecurityRuleConflict), and a flow
// rule moved off that priority in the same apply may too.

afterAll(removeAllocationFiles);

const DENY_PRIORITY = 240;

/** Web with one NIC, allowing HTTPS in from 34 partner hosts (34 inbound rules for the 40 priorities 200-239: one hashes to the top). */
function version(allocations: string, allowLoadBalancerProbes: boolean): SynthesizedVersion {
  const app = appWithAllocations(allocations);
  const { stack, rg, subnet, nic } = azureStack(app, 'shop');
  new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, subnetIds: [subnet.id], allowLoadBalancerProbes, denyPriority: DENY_PRIORITY });
  const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
  new Workload(stack, 'web1', { binding: AzureBinding.networkInterface(nic('web1-nic')), labels: { tier: 'web' } });
  for (let i = 0; i < 34; i++) web.allowFrom(Peer.ipv4(`203.0.113.${i}/32`), Port.HTTPS);
  return synthesizeVersion(app);
}

/** `name priority` of each inbound rule. */
function inbound(synthesized: SynthesizedVersion): Map<string, number> {
  return new Map(synthesized.model.resourcesOfType('azurerm_network_security_rule')
    .filter((rule) => rule.body.direction === 'Inbound')
    .map((rule) => [String(rule.body.name), Number(rule.body.priority)]));
}

describe('turning the Azure load-balancer probe rule on and off', () => {
  test.each([[false, true], [true, false]])('from %s to %s: no flow rule changes priority, and none ever holds the probe rule\'s', (from, to) => {
    const allocations = allocationFile();
    const before = version(allocations, from);
    const after = version(allocations, to);
    const [was, is] = [inbound(before), inbound(after)];
    const flowRules = [...is.keys()].filter((name) => name.startsWith('ms-in-'));
    expect(flowRules).toHaveLength(34);
    expect(flowRules.filter((name) => was.get(name) !== is.get(name))).toEqual([]);
    expect([...was, ...is].filter(([name, priority]) => name.startsWith('ms-in-') && priority === DENY_PRIORITY - 1)).toEqual([]);
    const probe = to ? is : was;
    expect(probe.get('microseg-allow-azure-load-balancer-inbound')).toBe(DENY_PRIORITY - 1);
    expect(changeImpact(before.model, after.model).interrupted).toEqual([]);
  });
});
