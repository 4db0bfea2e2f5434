import * as fs from 'fs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { NetworkInterface } from '@cdktf/provider-azurerm/lib/network-interface';
import { AllowFlow, AwsEnforcement, AzureEnforcement, Peer, Port, Segment, Workload, AwsBinding, AzureBinding } from '../../lib';
import { errorOf, instance, newApp, resourcesOf, synthApp } from '../helpers';
import { azureStack, fields, foreignReferences, twoVnetsWebToDb } from './azure-fixtures';
import { azureVerdict } from './nsg-eval';

describe('NIC NSGs', () => {
  test('one NSG per member NIC with its association and deny rules; every NSG gets every rule', () => {
    // GIVEN a flow declared before the NICs, and NIC NSGs only
    const app = newApp();
    const { stack, rg, nic } = azureStack(app, 'nics');
    new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, nicNsgs: true });
    const api = new Segment(stack, 'Api', { selector: { role: 'api' } });
    const db = new Segment(stack, 'Db', { selector: { role: 'db' } });
    db.allowFrom(api, Port.POSTGRES);
    // WHEN the NICs come later
    new Workload(stack, 'ApiVm', { binding: AzureBinding.networkInterface(nic('api-nic')), labels: { role: 'api' } });
    new Workload(stack, 'DbVm', { binding: AzureBinding.networkInterface(nic('db-nic')), labels: { role: 'db' } });
    new Workload(stack, 'OtherVm', { binding: AzureBinding.networkInterface(nic('other-nic')), labels: { role: 'other' } });
    const json = synthApp(app).nics.json;

    // THEN each NIC has its NSG, each with two deny rules, the load-balancer probe rule and the two flow rules
    const nsgs = Object.keys(resourcesOf({ json } as any, 'azurerm_network_security_group'));
    expect(nsgs).toHaveLength(3);
    const associations = Object.values<any>(json.resource.azurerm_network_interface_security_group_association).map(fields);
    expect(associations.map((a) => a.network_interface_id).sort()).toEqual([
      '${azurerm_network_interface.api-nic.id}', '${azurerm_network_interface.db-nic.id}', '${azurerm_network_interface.other-nic.id}',
    ]);
    expect(json.resource.azurerm_subnet_network_security_group_association).toBeUndefined();
    // each association waits for its NSG's allow rules (the flow's and the probe's): the NSG is put in
    // force on a running NIC only once they exist
    for (const association of Object.values<any>(json.resource.azurerm_network_interface_security_group_association)) {
      const nsgName = association.network_security_group_id.replace(/\.id\}$/, '.name}');
      const allows = Object.entries<any>(json.resource.azurerm_network_security_rule)
        .filter(([, rule]) => rule.network_security_group_name === nsgName && rule.access === 'Allow')
        .map(([name]) => `azurerm_network_security_rule.${name}`).sort();
      expect(allows).toHaveLength(3);
      expect(association.depends_on).toEqual(allows);
    }
    for (const nsg of nsgs) {
      const rules = Object.values<any>(json.resource.azurerm_network_security_rule).filter((r) => r.network_security_group_name === `\${azurerm_network_security_group.${nsg}.name}`);
      expect(rules.map((r) => `${r.access} ${r.direction} ${r.priority >= 4095 ? r.priority : 'p'} ${r.destination_port_range}`).sort()).toEqual([
        'Allow Inbound 4095 *', 'Allow Inbound p 5432', 'Allow Outbound p 5432', 'Deny Inbound 4096 *', 'Deny Outbound 4096 *',
      ]);
    }
    // and the policy holds
    expect(azureVerdict(json, { nic: 'api-nic' }, { nic: 'db-nic' }, 'Tcp', 5432).allowed).toBe(true);
    expect(azureVerdict(json, { nic: 'other-nic' }, { nic: 'db-nic' }, 'Tcp', 5432).allowed).toBe(false);
    expect(azureVerdict(json, { nic: 'db-nic' }, { nic: 'api-nic' }, 'Tcp', 5432).allowed).toBe(false);
    expect(foreignReferences(json)).toEqual([]);
  });
});

describe('peers outside the VNet', () => {
  test('an AWS member is addressed by its private IP expression; a service tag by its name', () => {
    // GIVEN an AWS instance (with addresses) and an Azure NIC in one stack
    const app = newApp();
    const { stack, rg, subnet, nic } = azureStack(app, 'mixed');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-12345678' });
    // (the probe allowed per port by a flow, so the NSGs' own probe rule is off)
    new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, subnetIds: [subnet.id], allowLoadBalancerProbes: false });
    const ec2 = instance(stack, 'Ec2');
    const client = new Workload(stack, 'Client', { binding: AwsBinding.instance(ec2), addresses: [ec2.privateIp] });
    const api = new Segment(stack, 'Api', { selector: { role: 'api' } });
    // the AWS client's egress rule names the NIC by its address (a cross-platform flow needs both sides' addresses)
    const apiNic = nic('api-nic');
    new Workload(stack, 'ApiVm', { binding: AzureBinding.networkInterface(apiNic), labels: { role: 'api' }, addresses: [apiNic.privateIpAddress] });
    api.allowFrom(client, Port.HTTPS);
    api.allowFrom(Peer.azureServiceTag('AzureLoadBalancer'), Port.tcp(8080));
    api.allowTo(Peer.azureServiceTag('Storage'), Port.HTTPS);
    const json = synthApp(app).mixed.json;

    // THEN
    const rules = Object.values<any>(json.resource.azurerm_network_security_rule).filter((r) => r.access === 'Allow').map(fields);
    expect(rules.find((r) => r.destination_port_range === '443' && r.direction === 'Inbound')).toMatchObject({
      source_address_prefix: '${aws_instance.Ec2.private_ip}/32',
      destination_application_security_group_ids: [expect.stringMatching(/azurerm_application_security_group/)],
    });
    expect(rules.find((r) => r.destination_port_range === '8080')).toMatchObject({ direction: 'Inbound', source_address_prefix: 'AzureLoadBalancer' });
    expect(rules.find((r) => r.direction === 'Outbound')).toMatchObject({ destination_address_prefix: 'Storage', destination_port_range: '443' });
    expect(azureVerdict(json, { tag: 'AzureLoadBalancer' }, { nic: 'api-nic' }, 'Tcp', 8080).allowed).toBe(true);
    expect(azureVerdict(json, { tag: 'AzureLoadBalancer' }, { nic: 'api-nic' }, 'Tcp', 22).allowed).toBe(false);
    expect(azureVerdict(json, { nic: 'api-nic' }, { tag: 'Storage' }, 'Tcp', 443).allowed).toBe(true);
  });

  test('a member in another VNet is addressed by its addresses, never by its ASG', () => {
    // GIVEN a segment with members in two stacks (two VNets); the flow lives in stack a
    const { app, a, b } = twoVnetsWebToDb();
    new Workload(a.stack, 'Db1', { binding: AzureBinding.networkInterface(a.nic('db-nic', '10.1.1.50')), labels: { role: 'db' }, addresses: ['10.1.1.50'] });
    new Workload(a.stack, 'Web1', { binding: AzureBinding.networkInterface(a.nic('web-nic', '10.1.1.60')), labels: { role: 'web' } });
    new Workload(b.stack, 'Web2', { binding: AzureBinding.networkInterface(b.nic('web-nic', '10.2.1.60')), labels: { role: 'web' }, addresses: ['10.2.1.60'] });
    const out = synthApp(app);

    // THEN a's inbound rules to Db: one from Web's ASG of a, one from Web2's address
    const inbound = Object.values<any>(out.a.json.resource.azurerm_network_security_rule).filter((r) => r.direction === 'Inbound' && r.access === 'Allow' && r['//']?.microseg);
    expect(inbound.map((r) => r.source_address_prefix ?? r.source_application_security_group_ids[0]).sort()).toEqual([
      expect.stringMatching(/^\$\{azurerm_application_security_group\.Azure_Asg-a-Web-/), '10.2.1.60/32',
    ]);
    expect(azureVerdict(out.a.json, { nic: 'web-nic' }, { nic: 'db-nic' }, 'Tcp', 5432).allowed).toBe(true);
    expect(azureVerdict(out.a.json, { ip: '10.2.1.60' }, { nic: 'db-nic' }, 'Tcp', 5432).allowed).toBe(true);
    expect(azureVerdict(out.a.json, { ip: '10.2.1.61' }, { nic: 'db-nic' }, 'Tcp', 5432).allowed).toBe(false);
    // b's web members reach db through b's NSG by db's address; the rule lives with the flow (stack a)
    const bRules = Object.values<any>(out.a.json.resource.azurerm_network_security_rule).filter((r) => r.network_security_group_name.includes('cross-stack-reference-input-b'));
    expect(bRules.map(fields)).toEqual([expect.objectContaining({ direction: 'Outbound', destination_address_prefix: '10.1.1.50/32', destination_port_range: '5432' })]);
    // no rule in any stack mixes ASGs of both VNets
    for (const stack of [out.a.json, out.b.json]) {
      for (const rule of Object.values<any>(stack.resource.azurerm_network_security_rule ?? {})) {
        const ids: string[] = [...(rule.source_application_security_group_ids ?? []), ...(rule.destination_application_security_group_ids ?? [])];
        const remote = ids.filter((id) => id.includes('cross-stack-reference-input'));
        expect(remote.length === 0 || remote.length === ids.length).toBe(true);
      }
    }
  });
});

describe('errors at synth', () => {
  test('an Azure workload in a stack without AzureEnforcement', () => {
    const app = newApp();
    const { stack, nic } = azureStack(app, 'bare');
    new Workload(stack, 'Vm', { binding: AzureBinding.networkInterface(nic('vm-nic')) });
    const message = errorOf(() => app.synth());
    expect(message).toContain("Workload 'bare/Vm' is bound to Azure NIC 'bare/vm-nic' but stack 'bare' has no AzureEnforcement");
    expect(message).toContain("new AzureEnforcement(stack, 'Azure'");
  });

  test('an enforcement without any NSG placement', () => {
    const app = newApp();
    const { stack, rg } = azureStack(app, 'noplace');
    new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location });
    const message = errorOf(() => app.synth());
    expect(message).toContain("AzureEnforcement 'noplace/Azure' places no NSG");
    expect(message).toContain('Pass subnetIds: [subnet.id] and/or nicNsgs: true');
  });

  test.each([
    [4000, false], [4001, true],
  ])('%d addresses of external hosts on one rule side: refused over Azure\'s 4000 per rule side (%s)', (count, refused) => {
    const app = newApp();
    const { stack, rg, subnet, nic } = azureStack(app, 'wide');
    new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, subnetIds: [subnet.id] });
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    const partners = new Segment(stack, 'Partners', { selector: { tier: 'partner' } });
    new Workload(stack, 'Web1', { binding: AzureBinding.networkInterface(nic('web1-nic')), labels: { tier: 'web' } });
    const addresses = Array.from({ length: count }, (_, i) => `100.64.${Math.floor(i / 250)}.${(i % 250) + 1}`);
    new Workload(stack, 'Partners1', { addresses, labels: { tier: 'partner' } });
    web.allowFrom(partners, Port.HTTPS);
    if (refused) {
      expect(errorOf(() => synthApp(app))).toMatch(new RegExp(`AzureEnforcement 'wide/Azure': rule "ms-in-Web-Partners-members-tcp-[0-9a-f]+" \\(flows 'wide/Web/AllowFrom-wide-Partners-tcp-443'\\) names ${count} addresses on its source side; Azure allows 4000 per rule side\\. Name the hosts by the CIDRs`));
      return;
    }
    const rules = Object.values<any>(resourcesOf(synthApp(app).wide, 'azurerm_network_security_rule')).filter((rule) => rule.destination_port_range === '443');
    expect(rules.map((rule) => rule.source_address_prefixes.length)).toEqual([4000]);
  });

  test.each([
    ['northeurope', true], ['West Europe', false], ['westeurope', false],
  ])('an enforcement in %s and a NIC in westeurope: refused when the regions differ (%s)', (location, refused) => {
    const app = newApp();
    const { stack, subnet } = azureStack(app, 'region');
    new AzureEnforcement(stack, 'Azure', { resourceGroupName: 'shared-rg', location, subnetIds: [subnet.id] });
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    const nic = new NetworkInterface(stack, 'nic1', {
      name: 'nic1',
      resourceGroupName: 'app-rg',
      location: 'westeurope',
      ipConfiguration: [{ name: 'primary', subnetId: subnet.id, privateIpAddressAllocation: 'Dynamic' }],
    });
    new Workload(stack, 'Web1', { binding: AzureBinding.networkInterface(nic), labels: { tier: 'web' } });
    web.allowInternally(Port.HTTPS);
    const message = `AzureEnforcement 'region/Azure' has location "${location}", but NIC 'region/nic1' of workload 'region/Web1' is in "westeurope". Its ASGs and NSGs must be in the region of the NICs they attach to, or Azure rejects the associations at apply. Set the enforcement's location to "westeurope"`;
    if (refused) expect(errorOf(() => synthApp(app))).toContain(message);
    else expect(Object.values<any>(resourcesOf(synthApp(app).region, 'azurerm_application_security_group')).map((asg) => asg.location)).toEqual([location]);
  });

  test('more than 20 ASGs on one NIC', () => {
    const app = newApp();
    const { stack, rg, subnet, nic } = azureStack(app, 'wide');
    new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, subnetIds: [subnet.id] });
    const segments = Array.from({ length: 21 }, (_, i) => new Segment(stack, `S${String(i).padStart(2, '0')}`, { selector: { shop: 'yes' } }));
    new Workload(stack, 'Vm', { binding: AzureBinding.networkInterface(nic('vm-nic')), labels: { shop: 'yes' } });
    expect(segments).toHaveLength(21);
    const message = errorOf(() => app.synth());
    expect(message).toContain("Workload 'wide/Vm' would join 21 application security groups (wide/S00, wide/S01");
    expect(message).toContain('Azure allows 20 per NIC IP configuration. Merge segments');
  });

  test('more rules than maxRulesPerNsg', () => {
    const app = newApp();
    const { stack, rg, subnet, nic } = azureStack(app, 'many');
    new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, subnetIds: [subnet.id], maxRulesPerNsg: 5 });
    const api = new Segment(stack, 'Api', { members: [new Workload(stack, 'Vm', { binding: AzureBinding.networkInterface(nic('vm-nic')) })] });
    for (const port of [1001, 1003, 1005, 1007]) api.allowFrom(Peer.ipv4('192.0.2.0/24'), Port.tcp(port));
    const message = errorOf(() => app.synth());
    expect(message).toContain("AzureEnforcement 'many/Azure': each of its NSGs needs 7 rules (4 flow rules and 3 of its own); the limit is 5 per NSG. Declare the ports of one peer in one flow");
  });

  test('more than 100 ASGs across the rules of one NSG', () => {
    const app = newApp();
    const { stack, rg, subnet, nic } = azureStack(app, 'asgs');
    new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, subnetIds: [subnet.id] });
    const target = new Workload(stack, 'Target', { binding: AzureBinding.networkInterface(nic('target-nic', '10.1.2.1')) });
    for (let i = 0; i < 100; i++) {
      const client = new Workload(stack, `C${i}`, { binding: AzureBinding.networkInterface(nic(`c${i}-nic`, `10.1.3.${i}`)) });
      new Segment(stack, `Seg${i}`, { members: [client] }).allowTo(target, Port.HTTPS);
    }
    const message = errorOf(() => app.synth());
    expect(message).toMatch(/AzureEnforcement 'asgs\/Azure': its NSGs' rules name 101 application security groups \(.*\); Azure allows 100 per NSG\. Use fewer segments/);
  });

  test('priorities exhausted below denyPriority (the probe rule\'s priority is kept even with the probe rule off)', () => {
    const app = newApp();
    const { stack, rg, subnet, nic } = azureStack(app, 'full');
    new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, subnetIds: [subnet.id], denyPriority: 202, allowLoadBalancerProbes: false });
    const api = new Segment(stack, 'Api', { members: [new Workload(stack, 'Vm', { binding: AzureBinding.networkInterface(nic('vm-nic')) })] });
    for (const port of [1001, 1003, 1005]) api.allowFrom(Peer.ipv4('192.0.2.0/24'), Port.tcp(port));
    const message = errorOf(() => app.synth());
    expect(message).toMatch(/AzureEnforcement 'full\/Azure': 3 Inbound rules do not fit in priorities 200-201 \(201 is kept for the load-balancer probe rule\) \(no priority left for "app\|Inbound\|full\/Api\|peer:full\/Api\/AllowFrom-ipv4-192\.0\.2\.0_24(-tcp-\d+)?\|Tcp@full" and 1 more\)\. Raise denyPriority \(now 202, at most 4096\), declare the ports of one peer in one flow/);
  });

  test('a member of another VNet without addresses', () => {
    const { app, a, b } = twoVnetsWebToDb();
    new Workload(a.stack, 'Db1', { binding: AzureBinding.networkInterface(a.nic('db-nic')), labels: { role: 'db' } });
    new Workload(b.stack, 'Web2', { binding: AzureBinding.networkInterface(b.nic('web-nic')), labels: { role: 'web' } });
    const message = errorOf(() => app.synth());
    // the message every platform gives for a member of another enforcement it cannot name (lib/model/capabilities.ts)
    expect(message).toContain("AllowFlow 'a/Db/AllowFrom-a-Web-tcp-5432' needs the addresses of workload 'b/Web2' (in 'b/Azure', whose application security groups the rules of 'a/Azure' cannot name), but it has none. Give the workload addresses, for example addresses: [nic.privateIpAddress].");
  });

  test('ICMP types and AWS prefix lists cannot be rendered on Azure', () => {
    const app = newApp();
    const { stack, rg, subnet, nic } = azureStack(app, 'icmp');
    new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, subnetIds: [subnet.id] });
    const api = new Segment(stack, 'Api', { members: [new Workload(stack, 'Vm', { binding: AzureBinding.networkInterface(nic('vm-nic')) })] });
    api.allowFrom(Peer.ipv4('192.0.2.0/24'), Port.icmp(8, 0));
    api.allowFrom(Peer.awsPrefixList('pl-0123456789abcdef0'), Port.HTTPS);
    const message = errorOf(() => app.synth());
    expect(message).toContain("AllowFlow 'icmp/Api/AllowFrom-ipv4-192.0.2.0_24-icmp-8-0' names ICMP type 8 code 0, but Azure NSG rules cannot match ICMP types or codes");
    expect(message).toContain('Use Port.icmp() (every type)');
    expect(message).toContain("names Peer.awsPrefixList(\"pl-0123456789abcdef0\"), which Azure NSGs of 'icmp/Azure' cannot express (they match application security groups, addresses and service tags only), so the flow would be dropped there. Use Peer.ipv4() or Peer.ipv6() with the addresses behind it or Peer.azureServiceTag() or Peer.azureApplicationSecurityGroup().");
  });

  test('GIVEN SCTP WHEN Azure NSG rules would render it THEN synthesis fails: no NSG protocol stands for SCTP', () => {
    // GIVEN
    const app = newApp();
    const { stack, rg, subnet, nic } = azureStack(app, 'sctp');
    new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, subnetIds: [subnet.id] });
    const amf = new Segment(stack, 'Amf', { members: [new Workload(stack, 'Vm', { binding: AzureBinding.networkInterface(nic('vm-nic')) })] });
    amf.allowFrom(Peer.ipv4('192.0.2.0/24'), Port.allSctp());
    // WHEN
    const message = errorOf(() => app.synth());
    // THEN
    expect(message).toContain("AllowFlow 'sctp/Amf/AllowFrom-ipv4-192.0.2.0_24-sctp-0-65535' names SCTP, but Azure NSG rules cannot match SCTP (no rule protocol stands for it). Keep the flow off Azure, for example on Kubernetes pods, whose NetworkPolicy matches SCTP ports.");
  });

  test.each([5000, NaN, Infinity])('an invalid denyPriority (%s) fails with the enforcement\'s message, never an internal error', (denyPriority) => {
    const app = newApp();
    const { stack, rg, subnet } = azureStack(app, 'deny');
    new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, subnetIds: [subnet.id], denyPriority });
    const message = errorOf(() => app.synth());
    expect(message).toContain(`AzureEnforcement 'deny/Azure': denyPriority ${denyPriority} is outside 201-4096`);
    expect(message).not.toContain('allocateSlots');
  });
});

describe('flows of two stacks that each need the other stack\'s NSGs', () => {
  test('are a synth error naming the flows and the two stacks, and nothing is written', () => {
    // GIVEN segment Db declared in stack b with members in stacks a and b (two VNets, each with its enforcement)
    const app = newApp();
    const a = azureStack(app, 'a');
    const b = azureStack(app, 'b');
    new AzureEnforcement(a.stack, 'Azure', { resourceGroupName: a.rg.name, location: a.rg.location, subnetIds: [a.subnet.id] });
    new AzureEnforcement(b.stack, 'Azure', { resourceGroupName: b.rg.name, location: b.rg.location, subnetIds: [b.subnet.id] });
    const db = new Segment(b.stack, 'Db', { selector: { role: 'db' } });
    const web = new Segment(a.stack, 'Web', { selector: { role: 'web' } });
    new Workload(a.stack, 'WebVm', { binding: AzureBinding.networkInterface(a.nic('web-nic', '10.1.1.60')), labels: { role: 'web' }, addresses: ['10.1.1.60'] });
    new Workload(a.stack, 'DbA', { binding: AzureBinding.networkInterface(a.nic('db-nic', '10.1.1.50')), labels: { role: 'db' }, addresses: ['10.1.1.50'] });
    new Workload(b.stack, 'DbB', { binding: AzureBinding.networkInterface(b.nic('db-nic', '10.2.1.50')), labels: { role: 'db' }, addresses: ['10.2.1.50'] });

    // WHEN b declares Db's internal flow (its rules go into a's NSG too) and a declares a flow to Db (its rules go into b's NSG too)
    db.allowInternally(Port.tcp(5432));
    new AllowFlow(a.stack, 'WebToDb', { from: web, to: db, ports: [Port.POSTGRES] });
    const message = errorOf(() => app.synth());

    // THEN synthesis fails with the project's message, not cdktf's raw one
    expect(message).not.toContain('Cannot add dependency');
    expect(message).toBe("Stacks 'b' and 'a' would depend on each other, which Terraform cannot deploy (cdktf: circular dependency). "
      + "'b' needs 'a': AllowFlow 'b/Db/AllowInternal-tcp-5432' (its azurerm_network_security_rule references 'a/Azure/Asg-b-Db-240378ff', 'a/Azure/SubnetNsg0', 'a/Rg'). "
      + "And 'a' needs 'b': AllowFlow 'a/WebToDb' (its azurerm_network_security_rule references 'b/Azure/Asg-b-Db-240378ff', 'b/Azure/SubnetNsg0', 'b/Rg'). "
      + "A flow's rules live in the stack that declares it and reference the enforcement resources (groups, NSGs, policies) of both its sides: declare the flows between these stacks in one of them, or in a third stack that neither of them needs.");
    expect(fs.existsSync(`${app.outdir}/stacks/a/cdk.tf.json`)).toBe(false);
    expect(fs.existsSync(`${app.outdir}/stacks/b/cdk.tf.json`)).toBe(false);
  });
});
