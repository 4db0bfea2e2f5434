import { AzureEnforcement, Peer, Port, Segment, Workload, AzureBinding } from '../../lib';
import '../../lib/verify/jest';
import { errorOf, newApp, resourcesOf, synthApp } from '../helpers';
import { azureStack, fields } from './azure-fixtures';

/** One VNet, subnet NSG and NIC NSGs, Web (one member) reachable from Api (one member) on 8080. */
function estate(options: { allowLoadBalancerProbes?: boolean; denyPriority?: number } = {}) {
  const app = newApp();
  const { stack, rg, subnet, nic } = azureStack(app, 'lb');
  new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, subnetIds: [subnet.id], nicNsgs: true, ...options });
  const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
  const api = new Segment(stack, 'Api', { selector: { tier: 'api' } });
  const webVm = new Workload(stack, 'WebVm', { binding: AzureBinding.networkInterface(nic('web-nic')), labels: { tier: 'web' } });
  const apiVm = new Workload(stack, 'ApiVm', { binding: AzureBinding.networkInterface(nic('api-nic')), labels: { tier: 'api' } });
  web.allowFrom(api, Port.tcp(8080));
  return { app, stack, web, webVm, apiVm };
}

const PROBE = Peer.azureServiceTag('AzureLoadBalancer');

/** The probe rules of a stack, without their metadata. */
function probeRules(out: any): any[] {
  return Object.values<any>(resourcesOf(out, 'azurerm_network_security_rule'))
    .filter((r) => r.source_address_prefix === 'AzureLoadBalancer').map(fields);
}

describe('Azure Load Balancer health probes', () => {
  test('by default every NSG allows the probe in just above the inbound deny, and the evaluator lets it reach members', () => {
    // GIVEN the default enforcement, WHEN synthesized
    const { app, stack, webVm, apiVm } = estate();
    const out = synthApp(app).lb;
    // THEN each of the three NSGs (subnet, two NICs) has exactly this rule
    const nsgNames = Object.keys(resourcesOf(out, 'azurerm_network_security_group')).map((n) => `\${azurerm_network_security_group.${n}.name}`).sort();
    expect(nsgNames).toHaveLength(3);
    const rules = probeRules(out);
    expect(rules.map((r) => r.network_security_group_name).sort()).toEqual(nsgNames);
    for (const rule of rules) {
      expect(rule).toEqual({
        name: 'microseg-allow-azure-load-balancer-inbound',
        resource_group_name: '${azurerm_resource_group.Rg.name}',
        network_security_group_name: rule.network_security_group_name,
        priority: 4095,
        direction: 'Inbound',
        access: 'Allow',
        protocol: '*',
        source_port_range: '*',
        destination_port_range: '*',
        source_address_prefix: 'AzureLoadBalancer',
        destination_address_prefix: '*',
        description: 'microseg: Azure Load Balancer health probes (allowLoadBalancerProbes)',
      });
    }
    // and flow priorities never take the probe rule's
    const inbound = Object.values<any>(resourcesOf(out, 'azurerm_network_security_rule')).filter((r) => r.direction === 'Inbound' && r['//']?.microseg);
    expect(inbound.length).toBeGreaterThan(0);
    for (const rule of inbound) expect(rule.priority).toBeLessThan(4095);
    // the probe reaches members on any port, through the subnet and the NIC NSG
    expect(stack).toAllowFlow(PROBE, webVm, Port.tcp(8080));
    expect(stack).toAllowFlow(PROBE, apiVm, Port.tcp(22));
    expect(stack).toAllowFlow('tag:AzureLoadBalancer', webVm, Port.tcp(80));
    // and nothing else is opened
    expect(stack).toDenyFlow(webVm, apiVm, Port.tcp(8080));
    expect(stack).toDenyFlow('203.0.113.9', webVm, Port.tcp(8080));
    expect(stack).toDenyFlow(Peer.azureServiceTag('Storage'), webVm, Port.tcp(8080));
    expect(stack).toAllowFlow(apiVm, webVm, Port.tcp(8080));
  });

  test('turned off, no NSG has the rule and the deny-all drops the probe', () => {
    const { app, stack, webVm, apiVm } = estate({ allowLoadBalancerProbes: false });
    expect(probeRules(synthApp(app).lb)).toEqual([]);
    expect(stack).toDenyFlow(PROBE, webVm, Port.tcp(8080));
    expect(stack).toDenyFlow('tag:AzureLoadBalancer', apiVm, Port.tcp(22));
    expect(stack).toAllowFlow(apiVm, webVm, Port.tcp(8080));
  });

  test('the probe rule follows denyPriority', () => {
    const { app, stack, webVm } = estate({ denyPriority: 3000 });
    const rules = probeRules(synthApp(app).lb);
    expect(rules.map((r) => r.priority)).toEqual([2999, 2999, 2999]);
    expect(stack).toAllowFlow(PROBE, webVm, Port.tcp(8080));
  });

  test("the probe's real source address 168.63.129.16 is what the AzureLoadBalancer tag stands for", () => {
    // GIVEN the default enforcement (probe rule on, NIC NSGs)
    const { app, stack, webVm, apiVm } = estate();
    // WHEN synthesized THEN the probe rule names the tag
    expect(probeRules(synthApp(app).lb).map((r) => [r.source_address_prefix, r.destination_address_prefix, r.access])).toEqual([
      ['AzureLoadBalancer', '*', 'Allow'], ['AzureLoadBalancer', '*', 'Allow'], ['AzureLoadBalancer', '*', 'Allow'],
    ]);
    // and the evaluator lets the probe source in, through the subnet and the NIC NSG
    expect(stack).toAllowFlow('168.63.129.16', webVm, Port.tcp(80));
    expect(stack).toAllowFlow('168.63.129.16/32', apiVm, Port.tcp(22));
    // but not a neighbour of it, nor a range around it (only its one address is the probe)
    expect(stack).toDenyFlow('168.63.129.17', webVm, Port.tcp(80));
    expect(stack).toDenyFlow('168.63.129.0/24', webVm, Port.tcp(80));
  });

  test('turned off, the probe source address is denied', () => {
    const { stack, webVm } = estate({ allowLoadBalancerProbes: false });
    expect(stack).toDenyFlow('168.63.129.16', webVm, Port.tcp(80));
  });

  test('a denyPriority too small for the rules and the probe rule is an error that suggests raising it', () => {
    // GIVEN denyPriority 202: 200 and 201 are left, and 201 is kept for the probe rule
    const { app, web } = estate({ denyPriority: 202 });
    // WHEN a second inbound rule needs a priority
    web.allowFrom(Peer.ipv4('192.0.2.0/24'), Port.tcp(9000));
    // THEN synthesis fails naming the probe rule's priority and both ways out
    expect(errorOf(() => app.synth())).toMatch(new RegExp(
      "AzureEnforcement 'lb/Azure': 2 Inbound rules do not fit in priorities 200-201 \\(201 is kept for the load-balancer probe rule\\) "
      + '\\(no priority left for "[^"]+"\\)\\. Raise denyPriority \\(now 202, at most 4096\\), '
      + 'declare the ports of one peer in one flow, use fewer peers, or split the workloads over several VNets/stacks\\.'));
  });
});
