import { AllowFlow, AzureEnforcement, DenyFlow, Port, Segment, Workload, AzureBinding } from '../../lib';
import '../../lib/verify/jest';
import { newApp, resourcesOf, synthApp } from '../helpers';
import { azureStack } from './azure-fixtures';

/** One VNet with a subnet NSG, segments Web and Api with one member NIC each. */
function estate() {
  const app = newApp();
  const { stack, rg, subnet, nic } = azureStack(app, 'vnet');
  new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, subnetIds: [subnet.id] });
  const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
  const api = new Segment(stack, 'Api', { selector: { tier: 'api' } });
  const webVm = new Workload(stack, 'WebVm', { binding: AzureBinding.networkInterface(nic('web-nic')), labels: { tier: 'web' } });
  const apiVm = new Workload(stack, 'ApiVm', { binding: AzureBinding.networkInterface(nic('api-nic')), labels: { tier: 'api' } });
  return { app, stack, web, api, webVm, apiVm };
}

/** The flow rules of a stack (the enforcement's own deny and load-balancer rules left out). */
function flowRules(out: any): any[] {
  return Object.values<any>(resourcesOf(out, 'azurerm_network_security_rule')).filter((r) => r['//']?.microseg);
}

describe('Azure rule descriptions', () => {
  test("a rule carries its flow's description, on one line and cut to 140 bytes (the provider's limit) without splitting a character", () => {
    // GIVEN a flow whose description has line breaks and is longer than 140 bytes, ending in multi-byte characters
    const { app, stack, web, api, webVm, apiVm } = estate();
    const description = `checkout\r\ncalls the api\t${'x'.repeat(111)} — «déjà vu» ✓✓✓`;
    new AllowFlow(stack, 'WebToApi', { from: web, to: api, ports: [Port.tcp(8080)], description });
    // WHEN
    const out = synthApp(app).vnet;
    // THEN both rules (outbound at Web, inbound at Api) carry it
    const expected = `checkout calls the api ${'x'.repeat(111)} —`;
    expect(Buffer.byteLength(expected, 'utf8')).toBe(138); // the space and the two-byte « after it would make 141
    const rules = flowRules(out);
    expect(rules.map((r) => `${r.direction} ${r.description}`).sort()).toEqual([`Inbound ${expected}`, `Outbound ${expected}`]);
    // and the policy holds
    expect(stack).toAllowFlow(webVm, apiVm, Port.tcp(8080));
    expect(stack).toDenyFlow(apiVm, webVm, Port.tcp(8080));
  });

  test('flows merged into one rule give their descriptions deduplicated and sorted, whatever the declaration order', () => {
    const render = (order: string[]) => {
      const { app, stack, web, api } = estate();
      const text: Record<string, string> = { Search: 'search calls the api', Checkout: 'checkout calls the api', Again: 'checkout calls the api' };
      for (const id of order) new AllowFlow(stack, id, { from: web, to: api, ports: [Port.tcp(8080)], description: text[id] });
      return synthApp(app).vnet;
    };
    const first = render(['Search', 'Checkout', 'Again']);
    const rules = flowRules(first);
    expect(rules).toHaveLength(2);
    for (const rule of rules) {
      expect(rule.description).toBe('checkout calls the api; search calls the api');
      expect(rule['//'].microseg.flows).toEqual(['vnet/Again', 'vnet/Checkout', 'vnet/Search']);
    }
    expect(render(['Checkout', 'Again', 'Search']).text).toEqual(first.text);
  });

  test('a DenyFlow rule carries the DenyFlow description', () => {
    const { app, stack } = estate();
    new DenyFlow(stack, 'NoApiToWeb', { fromSelector: { tier: 'api' }, toSelector: { tier: 'web' }, description: 'api never calls web' });
    const denies = flowRules(synthApp(app).vnet).filter((r) => r.access === 'Deny');
    expect(denies.map((r) => `${r.direction} ${r.description}`).sort()).toEqual(['Inbound api never calls web', 'Outbound api never calls web']);
  });

  test('editing a flow description changes only the description field: rule names, addresses and priorities stay', () => {
    const render = (description: string) => {
      const { app, stack, web, api } = estate();
      new AllowFlow(stack, 'WebToApi', { from: web, to: api, ports: [Port.tcp(8080)], description });
      return synthApp(app).vnet;
    };
    const before = render('checkout calls the api');
    const after = render('checkout and refunds call the api');
    const strip = (rule: any) => ({ ...rule, 'description': undefined, '//': undefined });
    expect(Object.keys(resourcesOf(after, 'azurerm_network_security_rule'))).toEqual(Object.keys(resourcesOf(before, 'azurerm_network_security_rule')));
    expect(Object.values(resourcesOf(after, 'azurerm_network_security_rule')).map(strip))
      .toEqual(Object.values(resourcesOf(before, 'azurerm_network_security_rule')).map(strip));
    expect(flowRules(after).map((r) => r.description)).toEqual(['checkout and refunds call the api', 'checkout and refunds call the api']);
  });
});
