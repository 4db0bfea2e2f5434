import { NetworkInterface } from '@cdktf/provider-azurerm/lib/network-interface';
import { AllowFlow, AzureEnforcement, DenyFlow, Peer, Port, Segment, Workload } from '../../lib';
import '../../lib/verify/jest';
import { errorOf, newApp, resourcesOf, synthApp } from '../helpers';
import { azureStack, fields } from './azure-fixtures';

const CLIENTS = Peer.ipv6('2001:db8:ff::/64');

/**
 * One VNet with a subnet NSG; Web has two members: web1's NIC has an IPv6 ip configuration, web2 is
 * given its IPv6 address by `addresses`. Api has one member without any IPv6 address.
 */
function estate(order: 'flow-first' | 'members-first' = 'members-first') {
  const app = newApp();
  const { stack, rg, subnet, nic } = azureStack(app, 'v6');
  new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, subnetIds: [subnet.id] });
  const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
  const api = new Segment(stack, 'Api', { selector: { tier: 'api' } });
  const members = () => {
    const dualStack = new NetworkInterface(stack, 'web1-nic', {
      name: 'web1-nic',
      resourceGroupName: rg.name,
      location: rg.location,
      ipConfiguration: [
        { name: 'ipv4', primary: true, subnetId: subnet.id, privateIpAddressAllocation: 'Static', privateIpAddress: '10.1.1.21' },
        { name: 'ipv6', subnetId: subnet.id, privateIpAddressVersion: 'IPv6', privateIpAddressAllocation: 'Static', privateIpAddress: '2001:db8:1::21' },
      ],
    });
    return {
      web1: new Workload(stack, 'Web1', { azureNetworkInterface: dualStack, labels: { tier: 'web' } }),
      web2: new Workload(stack, 'Web2', { azureNetworkInterface: nic('web2-nic', '10.1.1.22'), addresses: ['10.1.1.22', '2001:db8:1::22'], labels: { tier: 'web' } }),
      apiVm: new Workload(stack, 'ApiVm', { azureNetworkInterface: nic('api-nic', '10.1.1.30'), labels: { tier: 'api' } }),
    };
  };
  if (order === 'flow-first') {
    const flow = web.allowFrom(CLIENTS, Port.HTTPS);
    return { app, stack, web, api, flow, ...members() };
  }
  const declared = members();
  return { app, stack, web, api, flow: web.allowFrom(CLIENTS, Port.HTTPS), ...declared };
}

const rulesOf = (out: any) => Object.values<any>(resourcesOf(out, 'azurerm_network_security_rule')).filter((r) => r['//']?.microseg);

describe('IPv6 flows on Azure', () => {
  test("an IPv6 peer's rule names the members by their IPv6 addresses (never by the ASG, which holds IPv4 ip-configurations only)", () => {
    // GIVEN an IPv6 client range allowed into Web
    const { app, stack, web1, web2, apiVm } = estate();
    // WHEN
    const out = synthApp(app).v6;
    // THEN one inbound rule, from the CIDR to the members' IPv6 addresses
    const rules = rulesOf(out).map(fields);
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({
      direction: 'Inbound',
      access: 'Allow',
      protocol: 'Tcp',
      destination_port_range: '443',
      source_address_prefix: '2001:db8:ff::/64',
      destination_address_prefixes: ['2001:db8:1::21/128', '2001:db8:1::22/128'],
    });
    expect(rules[0].destination_application_security_group_ids).toBeUndefined();
    // and the evaluator agrees: the clients reach both members on 443 only, and nothing else
    expect(stack).toAllowFlow(CLIENTS, web1, Port.HTTPS);
    expect(stack).toAllowFlow('2001:db8:ff::7', web2, Port.HTTPS);
    expect(stack).toDenyFlow(CLIENTS, web1, Port.SSH);
    expect(stack).toDenyFlow(CLIENTS, apiVm, Port.HTTPS);
  });

  test('members declared after the flow get into the rule too (same output in both orders)', () => {
    const late = synthApp(estate('flow-first').app).v6.text;
    const early = synthApp(estate('members-first').app).v6.text;
    expect(late).toEqual(early);
  });

  test('the evaluator knows that an ASG side never matches IPv6 traffic (the rendering before this fix was silently closed)', () => {
    const { app, stack, web1 } = estate();
    const out = synthApp(app).v6;
    // WHEN the rule names the Web ASG instead of the addresses
    const asg = Object.keys(resourcesOf(out, 'azurerm_application_security_group')).find((n) => n.includes('Web'))!;
    const json = JSON.parse(out.text);
    for (const rule of Object.values<any>(json.resource.azurerm_network_security_rule)) {
      if (!rule['//']?.microseg) continue;
      delete rule.destination_address_prefixes;
      rule.destination_application_security_group_ids = [`\${azurerm_application_security_group.${asg}.id}`];
    }
    // THEN IPv6 clients are denied
    expect({ [stack.node.id]: json }).toDenyFlow(CLIENTS, web1, Port.HTTPS);
    expect(stack).toAllowFlow(CLIENTS, web1, Port.HTTPS);
  });

  test('a member without a known IPv6 address is a synth error naming the flow and the workload', () => {
    const { app, stack, api } = estate();
    const flow = new AllowFlow(stack, 'ClientsToApi', { from: CLIENTS, to: api, ports: [Port.HTTPS] });
    expect(errorOf(() => app.synth())).toContain(
      `AllowFlow '${flow.node.path}' is IPv6 traffic ("2001:db8:ff::/64") to or from Azure workload 'v6/ApiVm', but the workload has no IPv6 address known at synth`);
  });

  test('a DenyFlow towards an IPv6 range names the members that have IPv6 addresses and skips the others', () => {
    const { app, stack, web1 } = estate();
    new DenyFlow(stack, 'NoV6Out', { fromSelector: { tier: 'web' }, to: Peer.ipv6('2001:db8:bad::/48') });
    new DenyFlow(stack, 'NoV6OutApi', { fromSelector: { tier: 'api' }, to: Peer.ipv6('2001:db8:bad::/48') });
    const denies = rulesOf(synthApp(app).v6).filter((r) => r.access === 'Deny').map(fields);
    expect(denies).toEqual([expect.objectContaining({
      direction: 'Outbound', source_address_prefixes: ['2001:db8:1::21/128', '2001:db8:1::22/128'], destination_address_prefix: '2001:db8:bad::/48',
    })]);
    expect(stack).toDenyFlow(web1, '2001:db8:bad::1', Port.HTTPS);
  });

  test('ICMPv6 between two Azure segments (ASGs) is a synth error naming the flow', () => {
    const { app, stack, web, api } = estate();
    const flow = new AllowFlow(stack, 'Ping6', { from: web, to: api, ports: [Port.icmpv6()] });
    expect(errorOf(() => app.synth())).toContain(
      `AllowFlow '${flow.node.path}' allows ICMPv6 between Azure segment 'v6/Web' and segment 'v6/Api' (its ASG), which no Azure rule can express`);
  });

  test('a dual-stack member of another VNet: its IPv6 address gets a rule only for local members that have IPv6 addresses, never an error', () => {
    // GIVEN Web in VNet a (web1 IPv4 only), Db in VNet b known by an IPv4 and an IPv6 address
    const render = (webIpv6: boolean) => {
      const app = newApp();
      const a = azureStack(app, 'a');
      const b = azureStack(app, 'b');
      new AzureEnforcement(a.stack, 'Azure', { resourceGroupName: a.rg.name, location: a.rg.location, subnetIds: [a.subnet.id] });
      new AzureEnforcement(b.stack, 'Azure', { resourceGroupName: b.rg.name, location: b.rg.location, subnetIds: [b.subnet.id] });
      const web = new Segment(a.stack, 'Web', { selector: { role: 'web' } });
      const db = new Segment(a.stack, 'Db', { selector: { role: 'db' } });
      web.allowTo(db, Port.POSTGRES);
      new Workload(a.stack, 'Web1', { azureNetworkInterface: a.nic('web-nic', '10.1.1.10'), addresses: webIpv6 ? ['10.1.1.10', '2001:db8:1::10'] : ['10.1.1.10'], labels: { role: 'web' } });
      new Workload(b.stack, 'Db1', { azureNetworkInterface: b.nic('db-nic', '10.1.1.60'), addresses: ['10.1.1.60', '2001:db8:2::60'], labels: { role: 'db' } });
      return synthApp(app).a;
    };
    // WHEN web1 has no IPv6 address THEN one outbound rule, to the IPv4 address, and no error
    const ipv4Only = rulesOf(render(false)).filter((r) => r.direction === 'Outbound').map(fields);
    expect(ipv4Only.map((r) => r.destination_address_prefix)).toEqual(['10.1.1.60/32']);
    expect(ipv4Only[0].source_application_security_group_ids).toHaveLength(1);
    // WHEN web1 has one THEN the IPv6 rule names it by address
    const dual = rulesOf(render(true)).filter((r) => r.direction === 'Outbound').map(fields);
    expect(dual.map((r) => [r.destination_address_prefix, r.source_address_prefixes ?? 'asg']).sort()).toEqual([
      ['10.1.1.60/32', 'asg'], ['2001:db8:2::60/128', ['2001:db8:1::10/128']],
    ]);
  });
});
