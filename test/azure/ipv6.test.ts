import { NetworkInterface } from '@cdktf/provider-azurerm/lib/network-interface';
import { TerraformVariable } from 'cdktf';
import { AllowFlow, AzureEnforcement, DenyFlow, Peer, Port, Segment, Workload, AzureBinding } from '../../lib';
import '../../lib/verify/jest';
import { PolicyRegistry } from '../../lib/registry';
import { errorOf, newApp, resourcesOf, synthApp } from '../helpers';
import { azureStack, fields, twoVnetsWebToDb } from './azure-fixtures';

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
      web1: new Workload(stack, 'Web1', { binding: AzureBinding.networkInterface(dualStack), labels: { tier: 'web' } }),
      web2: new Workload(stack, 'Web2', { binding: AzureBinding.networkInterface(nic('web2-nic', '10.1.1.22')), addresses: ['10.1.1.22', '2001:db8:1::22'], labels: { tier: 'web' } }),
      apiVm: new Workload(stack, 'ApiVm', { binding: AzureBinding.networkInterface(nic('api-nic', '10.1.1.30')), labels: { tier: 'api' } }),
    };
  };
  if (order === 'flow-first') {
    const flow = web.allowFrom(CLIENTS, Port.HTTPS);
    return { app, stack, web, api, flow, nic, ...members() };
  }
  const declared = members();
  return { app, stack, web, api, nic, flow: web.allowFrom(CLIENTS, Port.HTTPS), ...declared };
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

  test('Peer.ipv6 of a Terraform expression is IPv6 too: its rule names the members\' IPv6 addresses, not the ASG', () => {
    const { app, stack, web } = estate();
    const partner = new TerraformVariable(stack, 'partner_cidr', { type: 'string' }).stringValue;
    web.allowFrom(Peer.ipv6(partner), Port.HTTP);
    const rules = rulesOf(synthApp(app).v6).map(fields).filter((rule) => rule.source_address_prefix === '${var.partner_cidr}');
    expect(rules).toEqual([expect.objectContaining({
      direction: 'Inbound',
      access: 'Allow',
      protocol: 'Tcp',
      destination_port_range: '80',
      destination_address_prefixes: ['2001:db8:1::21/128', '2001:db8:1::22/128'],
    })]);
    expect(rules[0].destination_application_security_group_ids).toBeUndefined();
  });

  test('a member address given as an expression that names IPv6 goes into the IPv6 rule with the literal ones', () => {
    const { app, stack, web } = estate();
    const monitor = new Workload(stack, 'Monitor', { addresses: [new TerraformVariable(stack, 'monitor_ipv6', { type: 'string' }).stringValue], labels: { tier: 'monitor' } });
    web.allowFrom(monitor, Port.tcp(9100));
    const rules = rulesOf(synthApp(app).v6).map(fields).filter((rule) => rule.destination_port_range === '9100');
    expect(rules.map((rule) => [rule.source_address_prefix ?? rule.source_address_prefixes, rule.destination_address_prefixes])).toEqual([
      ['${var.monitor_ipv6}/128', ['2001:db8:1::21/128', '2001:db8:1::22/128']],
    ]);
  });

  test('a DenyFlow towards a service tag also denies the members\' IPv6 traffic (the tag holds IPv6 prefixes, the ASG no IPv6 address)', () => {
    const { app, stack, web } = estate();
    web.allowTo(Peer.anyIpv6(), Port.HTTPS);
    web.allowTo(Peer.anyIpv4(), Port.HTTPS);
    new DenyFlow(stack, 'NoInternet', { from: web, to: Peer.azureServiceTag('Internet'), ports: [Port.HTTPS] });
    const denies = rulesOf(synthApp(app).v6).map(fields).filter((rule) => rule.access === 'Deny' && rule.destination_address_prefix === 'Internet');
    expect(denies.map((rule) => rule.source_address_prefixes ?? 'asg')).toEqual(expect.arrayContaining(['asg', ['2001:db8:1::21/128', '2001:db8:1::22/128']]));
    expect(denies).toHaveLength(2);
    expect(stack).toDenyFlow('2001:db8:1::21', '2001:4860:4860::8888', Port.HTTPS);
    expect(stack).toDenyFlow('10.1.1.21', '8.8.8.8', Port.HTTPS);
  });

  test('members declared after the flow get into the rule too (same output in both orders)', () => {
    const late = synthApp(estate('flow-first').app).v6.text;
    const early = synthApp(estate('members-first').app).v6.text;
    expect(late).toEqual(early);
  });

  test('a member that joins after the app was rendered gets into the IPv6 rule, which is updated in place', () => {
    // GIVEN the flow rendered with Web's two members
    const { app, stack, nic } = estate('flow-first');
    PolicyRegistry.of(stack).ensureRendered();
    // WHEN a third web workload with an IPv6 address is declared afterwards
    const web3 = new Workload(stack, 'Web3', { binding: AzureBinding.networkInterface(nic('web3-nic', '10.1.1.23')), addresses: ['10.1.1.23', '2001:db8:1::23'], labels: { tier: 'web' } });
    const out = synthApp(app).v6;
    // THEN the one rule names all three members' IPv6 addresses
    const rules = rulesOf(out).map(fields);
    expect(rules.map((r) => r.destination_address_prefixes)).toEqual([['2001:db8:1::21/128', '2001:db8:1::22/128', '2001:db8:1::23/128']]);
    expect(stack).toAllowFlow(CLIENTS, web3, Port.HTTPS);
    expect(stack).toDenyFlow(CLIENTS, web3, Port.SSH);
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

  test('ICMPv4 from an IPv6 peer is a synth error: the rule naming IPv6 addresses would open ICMPv6 instead', () => {
    const { app, stack, web } = estate();
    const flow = new AllowFlow(stack, 'Ping4From6', { from: CLIENTS, to: web, ports: [Port.icmp()] });
    expect(errorOf(() => app.synth())).toContain(
      `AllowFlow '${flow.node.path}' allows only icmp/-1/-1, but its Azure rules would name IPv6 addresses ("2001:db8:ff::/64"), which no ICMPv4 packet comes from or goes to, and Azure's Icmp protocol would open ICMPv6 there. Use Port.icmpv6() for IPv6, or name the IPv4 addresses (Peer.ipv4()).`);
  });

  test('ICMPv4 next to SSH from an IPv6 peer: the IPv6 rules carry SSH only, and ICMPv6 stays denied', () => {
    const { app, stack, web1 } = estate();
    new AllowFlow(stack, 'Ops', { from: CLIENTS, to: web1, ports: [Port.icmp(), Port.SSH] });
    const rules = rulesOf(synthApp(app).v6).map(fields);
    expect(rules.map((r) => `${r.protocol} ${r.destination_port_range} ${r.source_address_prefix}`).sort()).toEqual([
      'Tcp 22 2001:db8:ff::/64',
      'Tcp 443 2001:db8:ff::/64',
    ]);
    expect(stack).toAllowFlow(CLIENTS, web1, Port.SSH);
    expect(stack).toDenyFlow(CLIENTS, web1, Port.icmpv6());
  });

  test('a dual-stack member of another VNet: its IPv6 address gets a rule only for local members that have IPv6 addresses, never an error', () => {
    // GIVEN Web in VNet a (web1 IPv4 only), Db in VNet b known by an IPv4 and an IPv6 address
    const render = (webIpv6: boolean) => {
      const { app, a, b } = twoVnetsWebToDb();
      new Workload(a.stack, 'Web1', { binding: AzureBinding.networkInterface(a.nic('web-nic', '10.1.1.10')), addresses: webIpv6 ? ['10.1.1.10', '2001:db8:1::10'] : ['10.1.1.10'], labels: { role: 'web' } });
      new Workload(b.stack, 'Db1', { binding: AzureBinding.networkInterface(b.nic('db-nic', '10.1.1.60')), addresses: ['10.1.1.60', '2001:db8:2::60'], labels: { role: 'db' } });
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

describe('a DenyFlow between two dual-stack Azure segments', () => {
  /**
   * One VNet with a subnet NSG; Web1 and Api1 each have an IPv4 and an IPv6 ip configuration; Api
   * lets the IPv6 range in on 8080 and Web may send there, and a DenyFlow forbids Web to Api on 8080.
   */
  function dualStackEstate(order: 'flows-first' | 'members-first' = 'members-first', dualStack = true, lateApiMember = false) {
    const app = newApp();
    const { stack, rg, subnet } = azureStack(app, 'z');
    new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, subnetIds: [subnet.id] });
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    const api = new Segment(stack, 'Api', { selector: { tier: 'api' } });
    const member = (id: string, ipv4: string, ipv6: string, tier: string) => new Workload(stack, id, {
      labels: { tier },
      binding: AzureBinding.networkInterface(new NetworkInterface(stack, `${id}-nic`, {
        name: `${id}-nic`,
        resourceGroupName: rg.name,
        location: rg.location,
        ipConfiguration: [
          { name: 'ipv4', primary: true, subnetId: subnet.id, privateIpAddressAllocation: 'Static', privateIpAddress: ipv4 },
          ...(dualStack ? [{ name: 'ipv6', subnetId: subnet.id, privateIpAddressVersion: 'IPv6', privateIpAddressAllocation: 'Static', privateIpAddress: ipv6 }] : []),
        ],
      })),
    });
    const members = () => ({ web1: member('Web1', '10.1.1.21', '2001:db8:1::21', 'web'), api1: member('Api1', '10.1.1.31', '2001:db8:1::31', 'api') });
    const flows = () => {
      if (dualStack) {
        api.allowFrom(Peer.ipv6('2001:db8:1::/64'), Port.tcp(8080));
        web.allowTo(Peer.ipv6('2001:db8:1::/64'), Port.tcp(8080));
      }
      new DenyFlow(stack, 'NoWebApi', { from: web, to: api, ports: [Port.tcp(8080)] });
    };
    const late = () => (lateApiMember ? { api2: member('Api2', '10.1.1.32', '2001:db8:1::32', 'api') } : {});
    if (order === 'flows-first') {
      flows();
      return { app, stack, ...members(), ...late() };
    }
    const declared = members();
    flows();
    return { app, stack, ...declared, ...late() };
  }

  const denyRules = (out: any) => rulesOf(out).filter((r) => r.access === 'Deny').map(fields)
    .sort((a, b) => `${a.direction}|${a.name}`.localeCompare(`${b.direction}|${b.name}`));

  test('the deny also names the members by their IPv6 addresses, so web->api over IPv6 is denied', () => {
    // GIVEN IPv6 allow rules that would let Web reach Api over IPv6, and a DenyFlow Web -> Api
    const { app, stack, web1, api1 } = dualStackEstate();
    // WHEN
    const out = synthApp(app).z;
    // THEN besides the ASG deny rules, one deny per direction between the IPv6 addresses
    const ipv6Denies = denyRules(out).filter((r) => r.source_application_security_group_ids === undefined);
    expect(ipv6Denies).toEqual([
      expect.objectContaining({
        direction: 'Inbound',
        access: 'Deny',
        protocol: 'Tcp',
        destination_port_range: '8080',
        source_address_prefixes: ['2001:db8:1::21/128'],
        destination_address_prefixes: ['2001:db8:1::31/128'],
      }),
      expect.objectContaining({
        direction: 'Outbound',
        access: 'Deny',
        protocol: 'Tcp',
        destination_port_range: '8080',
        source_address_prefixes: ['2001:db8:1::21/128'],
        destination_address_prefixes: ['2001:db8:1::31/128'],
      }),
    ]);
    for (const rule of ipv6Denies) {
      expect(rule.priority).toBeGreaterThanOrEqual(150);
      expect(rule.priority).toBeLessThanOrEqual(199);
      expect(rule.destination_application_security_group_ids).toBeUndefined();
    }
    // and the evaluator: denied over IPv4 and over IPv6, while the IPv6 allow still holds for others
    expect(stack).toDenyFlow(web1, api1, Port.tcp(8080));
    expect(stack).toDenyFlow('2001:db8:1::21', api1, Port.tcp(8080));
    expect(stack).toDenyFlow('2001:db8:1::21', '2001:db8:1::31', Port.tcp(8080));
    expect(stack).toAllowFlow('2001:db8:1::99', api1, Port.tcp(8080));
  });

  test('a member joining later is added to the same IPv6 deny rules (updated in place, one rule per direction)', () => {
    // GIVEN the estate, and the same estate with a second dual-stack Api member declared last
    const ipv6Denies = (out: any) => denyRules(out).filter((r) => r.source_application_security_group_ids === undefined);
    const before = ipv6Denies(synthApp(dualStackEstate().app).z);
    const { app, stack, api2 } = dualStackEstate('members-first', true, true);
    // WHEN synthesized
    const after = ipv6Denies(synthApp(app).z);
    // THEN the rules keep their names and priorities, and name both Api members
    expect(after.map((r) => [r.name, r.priority])).toEqual(before.map((r) => [r.name, r.priority]));
    expect(after.map((r) => [r.direction, r.source_address_prefixes, r.destination_address_prefixes])).toEqual([
      ['Inbound', ['2001:db8:1::21/128'], ['2001:db8:1::31/128', '2001:db8:1::32/128']],
      ['Outbound', ['2001:db8:1::21/128'], ['2001:db8:1::31/128', '2001:db8:1::32/128']],
    ]);
    expect(stack).toDenyFlow('2001:db8:1::21', api2!, Port.tcp(8080));
    expect(stack).toAllowFlow('2001:db8:1::99', api2!, Port.tcp(8080));
  });

  test('a DenyFlow from a dual-stack segment to anywhere also denies its IPv6 traffic', () => {
    // GIVEN Web may send 443 to any IPv6 address, and a DenyFlow forbids Web to send 443 anywhere
    const { app, stack, web1 } = dualStackEstate();
    const web = stack.node.findChild('Web') as Segment;
    web.allowTo(Peer.anyIpv6(), Port.HTTPS);
    new DenyFlow(stack, 'NoWebOut', { from: web, ports: [Port.HTTPS] });
    // WHEN synthesized
    const out = synthApp(app).z;
    // THEN besides the ASG rule, one outbound deny from Web's IPv6 addresses to anywhere
    const denies = denyRules(out).filter((r) => r.destination_port_range === '443');
    expect(denies).toHaveLength(2);
    expect(denies.filter((r) => r.source_application_security_group_ids)).toEqual([
      expect.objectContaining({ direction: 'Outbound', access: 'Deny', destination_address_prefix: '*' }),
    ]);
    expect(denies.filter((r) => !r.source_application_security_group_ids)).toEqual([
      expect.objectContaining({ direction: 'Outbound', access: 'Deny', protocol: 'Tcp', source_address_prefixes: ['2001:db8:1::21/128'], destination_address_prefix: '*' }),
    ]);
    // and the evaluator denies 443 from Web over IPv4 and IPv6
    expect(stack).toDenyFlow(web1, '2001:db8:bad::1', Port.HTTPS);
    expect(stack).toDenyFlow('2001:db8:1::21', '2001:db8:bad::1', Port.HTTPS);
    expect(stack).toDenyFlow('10.1.1.21', '203.0.113.9', Port.HTTPS);
  });

  test('a DenyFlow of ICMPv6 and SSH from a dual-stack segment to anywhere denies ICMPv6 over IPv6 and SSH over both (the ASG rule carries no ICMPv6)', () => {
    // GIVEN Web may ping and reach any IPv6 address, and a DenyFlow forbids Web to send ICMPv6 and SSH anywhere
    const { app, stack, web1 } = dualStackEstate();
    const web = stack.node.findChild('Web') as Segment;
    web.allowTo(Peer.anyIpv6(), Port.icmpv6(), Port.SSH);
    new DenyFlow(stack, 'NoWebOut', { from: web, ports: [Port.icmpv6(), Port.SSH] });
    // WHEN synthesized (it used to fail: ICMPv6 "between Azure segment 'z/Web' and "*"")
    const out = synthApp(app).z;
    // THEN the ASG rule denies SSH only; the IPv6 rules deny ICMPv6 and SSH from Web's IPv6 addresses
    const denies = denyRules(out).filter((r) => r.destination_address_prefix === '*' && r.direction === 'Outbound' && r.protocol !== '*');
    expect(denies.map((r) => `${r.protocol} ${r.destination_port_range} ${r.source_application_security_group_ids ? 'ASG' : r.source_address_prefixes}`).sort()).toEqual([
      'Icmp * 2001:db8:1::21/128',
      'Tcp 22 2001:db8:1::21/128',
      'Tcp 22 ASG',
    ]);
    expect(stack).toDenyFlow('2001:db8:1::21', '2001:db8:bad::1', Port.icmpv6());
    expect(stack).toDenyFlow('2001:db8:1::21', '2001:db8:bad::1', Port.SSH);
    expect(stack).toDenyFlow(web1, '203.0.113.9', Port.SSH);
  });

  test('an allow to a service tag from a dual-stack segment also names its members\' IPv6 addresses: the tag holds IPv6 prefixes, the ASG matches IPv4 only', () => {
    // GIVEN Web may reach the Internet on HTTPS
    const { app, stack, web1 } = dualStackEstate();
    const web = stack.node.findChild('Web') as Segment;
    web.allowTo(Peer.azureServiceTag('Internet'), Port.HTTPS);
    // WHEN
    const out = synthApp(app).z;
    // THEN one rule from the ASG, one from Web's IPv6 addresses
    const toInternet = rulesOf(out).filter((r) => r.access === 'Allow' && r.destination_address_prefix === 'Internet');
    expect(toInternet.map((r) => (r.source_application_security_group_ids ? 'ASG' : r.source_address_prefixes.join(','))).sort()).toEqual(['2001:db8:1::21/128', 'ASG']);
    expect(stack).toAllowFlow(web1, '2001:4860:4860::8888', Port.HTTPS);
    expect(stack).toAllowFlow(web1, '8.8.8.8', Port.HTTPS);
  });

  test("the evaluator judges a query from a member's IPv6 address as IPv6 traffic of its NIC (the ASG deny rules never match it)", () => {
    // GIVEN the synthesized JSON without the IPv6 deny rules (the rendering before this fix)
    const { app, stack, web1, api1 } = dualStackEstate();
    const json = JSON.parse(synthApp(app).z.text);
    const rules = json.resource.azurerm_network_security_rule;
    for (const [name, rule] of Object.entries<any>(rules)) {
      if (rule.access === 'Deny' && rule['//']?.microseg && rule.source_application_security_group_ids === undefined) delete rules[name];
    }
    const before = { [stack.node.id]: json };
    // THEN web1's IPv6 address reaches api over the IPv6 allow rules: the evaluator shows the hole
    expect(before).toAllowFlow('2001:db8:1::21', api1, Port.tcp(8080));
    expect(before).toAllowFlow('2001:db8:1::21', '2001:db8:1::31', Port.tcp(8080));
    // and so do the two workloads, whose packets may be IPv6 ones (each family is its own path)
    expect(before).toAllowFlow(web1, api1, Port.tcp(8080));
    // while IPv4 traffic, from web1's IPv4 address, meets the ASG deny rules
    expect(before).toDenyFlow('10.1.1.21', api1, Port.tcp(8080));
    expect(before).toDenyFlow('10.1.1.21', '10.1.1.31', Port.tcp(8080));
  });

  test('the IPv4 deny rules keep their names, and the output does not depend on declaration order', () => {
    // GIVEN the same program with and without IPv6 ip configurations, WHEN synthesized
    // THEN the ASG-to-ASG deny rules are the same, and declaring flows first changes nothing
    const ipv4Names = (out: any) => denyRules(out)
      .filter((r) => r.source_application_security_group_ids && r.destination_application_security_group_ids).map((r) => r.name);
    const dual = synthApp(dualStackEstate().app).z;
    const single = synthApp(dualStackEstate('members-first', false).app).z;
    expect(ipv4Names(single)).toHaveLength(2);
    expect(ipv4Names(dual)).toEqual(ipv4Names(single));
    expect(synthApp(dualStackEstate('flows-first').app).z.text).toEqual(dual.text);
  });
});
