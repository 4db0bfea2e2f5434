import { AzureEnforcement, DenyFlow, GuardrailAllow, Peer, Port, Segment, Workload, AzureBinding } from '../../lib';
import '../../lib/verify/jest';
import { azureStack } from '../azure/azure-fixtures';
import { newApp, resourcesOf, synthApp } from '../helpers';

/** An Azure VNet with prod and dev api NICs and a shared DNS NIC, one subnet NSG. */
function estate() {
  const app = newApp();
  const { stack, rg, subnet, nic } = azureStack(app, 'vnet');
  new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, subnetIds: [subnet.id] });
  const prodApi = new Workload(stack, 'ProdApi', { binding: AzureBinding.networkInterface(nic('prod-api')), labels: { app: 'pay', env: 'prod', tier: 'api' } });
  const devApi = new Workload(stack, 'DevApi', { binding: AzureBinding.networkInterface(nic('dev-api')), labels: { app: 'pay', env: 'dev', tier: 'api' } });
  const dns = new Workload(stack, 'Dns', { binding: AzureBinding.networkInterface(nic('dns')), labels: { app: 'pay', env: 'prod', role: 'dns' } });
  const api = new Segment(stack, 'Api', { selector: { app: 'pay', tier: 'api' } });
  const shared = new Segment(stack, 'Shared', { selector: { app: 'pay', role: 'dns' } });
  return { app, stack, prodApi, devApi, dns, api, shared };
}

const rulesOf = (out: any) => Object.values<any>(resourcesOf(out, 'azurerm_network_security_rule'));

describe('guardrails on Azure NSGs', () => {
  test('a DenyFlow renders Deny rules in the guardrail band 150-199, both directions; application allows stay at 200 and above', () => {
    // GIVEN
    const { app, stack, api } = estate();
    api.allowInternally(Port.HTTPS);
    // WHEN
    const deny = new DenyFlow(stack, 'ProdToDev', { fromSelector: { app: 'pay', env: 'prod' }, toSelector: { app: 'pay', env: 'dev' } });
    // THEN
    const rules = rulesOf(synthApp(app).vnet);
    const denies = rules.filter((r) => r.access === 'Deny' && r.priority < 4096);
    expect(denies.map((r) => r.direction).sort()).toEqual(['Inbound', 'Outbound']);
    for (const rule of denies) {
      expect(rule.priority).toBeGreaterThanOrEqual(150);
      expect(rule.priority).toBeLessThanOrEqual(199);
      expect(rule).toMatchObject({ protocol: '*', destination_port_range: '*', source_port_range: '*' });
      expect(rule.source_application_security_group_ids).toHaveLength(1);
      expect(rule.destination_application_security_group_ids).toHaveLength(1);
      expect(rule['//'].microseg).toEqual({ flows: [], guardrails: [deny.node.path] });
    }
    const allows = rules.filter((r) => r.access === 'Allow');
    expect(allows.length).toBeGreaterThan(0);
    for (const rule of allows) expect(rule.priority).toBeGreaterThanOrEqual(200);
  });

  test('prod -> dev is denied even though an AllowFlow allows it; the rest of the flow still works (evaluator)', () => {
    const { stack, api, prodApi, devApi } = estate();
    api.allowInternally(Port.HTTPS);
    new DenyFlow(stack, 'ProdToDev', { fromSelector: { app: 'pay', env: 'prod' }, toSelector: { app: 'pay', env: 'dev' } });
    expect(stack).toDenyFlow(prodApi, devApi, Port.HTTPS);
    expect(stack).toAllowFlow(devApi, prodApi, Port.HTTPS);
  });

  test('a GuardrailAllow takes priorities 100-149, ahead of the guardrail denies, and wins over them (evaluator)', () => {
    const { app, stack, api, devApi, dns, shared } = estate();
    new DenyFlow(stack, 'DevToProd', { fromSelector: { app: 'pay', env: 'dev' }, toSelector: { app: 'pay', env: 'prod' } });
    new GuardrailAllow(stack, 'DnsGuardrail', { from: api, to: shared, ports: [Port.DNS_UDP, Port.DNS_TCP] });
    const rules = rulesOf(synthApp(app).vnet);
    const granted = rules.filter((r) => r.access === 'Allow' && r.description.includes('guardrail'));
    expect(granted.length).toBe(4); // udp and tcp, inbound and outbound
    for (const rule of granted) {
      expect(rule.priority).toBeGreaterThanOrEqual(100);
      expect(rule.priority).toBeLessThanOrEqual(149);
    }
    expect(stack).toAllowFlow(devApi, dns, Port.DNS_UDP);
    expect(stack).toAllowFlow(devApi, shared, Port.DNS_TCP);
    expect(stack).toDenyFlow(devApi, dns, Port.HTTPS);
  });

  test('a DenyFlow from anywhere renders an Inbound Deny from "*"', () => {
    const { app, stack, api, prodApi } = estate();
    api.allowFrom(Peer.ipv4('192.0.2.0/24'), Port.SSH);
    new DenyFlow(stack, 'NoSsh', { to: api, ports: [Port.SSH] });
    const rules = rulesOf(synthApp(app).vnet);
    const [deny] = rules.filter((r) => r.access === 'Deny' && r.priority < 4096);
    expect(deny).toMatchObject({ direction: 'Inbound', source_address_prefix: '*', protocol: 'Tcp', destination_port_range: '22' });
    expect(stack).toDenyFlow(Peer.ipv4('192.0.2.7/32'), prodApi, Port.SSH);
  });
});
