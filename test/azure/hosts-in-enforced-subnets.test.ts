import { AllowFlow, AzureBinding, AzureEnforcement, DenyFlow, Peer, Port, Segment, Workload } from '../../lib';
import { evaluate, loadTerraformStacks } from '../../lib/verify';
import { errorOf, newApp, resourcesOf, synthApp } from '../helpers';
import { azureStack } from './azure-fixtures';

// A host known only by its addresses (an appliance, another team's server) can sit in a subnet
// whose NSG the library places; that NSG denies everything no rule allows, in both directions.

/** One subnet 10.1.1.0/24 with its NSG, a web NIC, and an appliance at 10.1.1.200 that no binding manages. */
function estate() {
  const app = newApp();
  const az = azureStack(app, 'az');
  new AzureEnforcement(az.stack, 'Azure', { resourceGroupName: az.rg.name, location: az.rg.location, subnetIds: [az.subnet.id] });
  const web = new Segment(az.stack, 'Web', { selector: { tier: 'web' } });
  new Workload(az.stack, 'WebVm', { binding: AzureBinding.networkInterface(az.nic('web-nic')), labels: { tier: 'web' } });
  const appliance = new Workload(az.stack, 'Appliance', { addresses: ['10.1.1.200'] });
  return { app, stack: az.stack, web, appliance };
}

/** The NSG rules as `direction access source -> destination ports`, ASGs by segment name. */
function ruleLines(json: any): string[] {
  const asgName = (ref: string) => /Asg-az-(\w+)-/.exec(ref)?.[1] ?? ref;
  const side = (prefix: unknown, asgs: unknown) => (Array.isArray(asgs) ? asgs.map(asgName).join(',') : String(prefix));
  return Object.values<any>(resourcesOf({ json } as any, 'azurerm_network_security_rule'))
    .map((r) => `${r.direction} ${r.access} ${side(r.source_address_prefix, r.source_application_security_group_ids)} -> ${side(r.destination_address_prefix, r.destination_application_security_group_ids)} ${r.destination_port_range}`)
    .sort();
}

describe('Azure: a host known only by its addresses inside a subnet with an NSG', () => {
  test('GIVEN web -> the appliance on 8443 THEN the NSG lets web out to it and lets it in at exactly its address', () => {
    // GIVEN
    const { app, stack, web, appliance } = estate();
    // WHEN
    new AllowFlow(stack, 'WebToAppliance', { from: web, to: appliance, ports: [Port.tcp(8443)] });
    const json = synthApp(app).az.json;
    // THEN
    expect(ruleLines(json)).toEqual([
      'Inbound Allow AzureLoadBalancer -> * *', // the load balancer's probes (the enforcement's default)
      'Inbound Allow Web -> 10.1.1.200/32 8443',
      'Inbound Deny * -> * *',
      'Outbound Allow Web -> 10.1.1.200/32 8443',
      'Outbound Deny * -> * *',
    ]);
    // the evaluator puts the address behind the NSG of the subnet that contains it
    const model = loadTerraformStacks({ az: json });
    expect(evaluate(model, { from: 'az/WebVm', to: '10.1.1.200', port: 'tcp/8443' }).allowed).toBe(true);
    // from outside the VNet only the appliance's subnet NSG is on the path, and it admits web only
    const outside = evaluate(model, { from: '198.51.100.7', to: '10.1.1.200', port: 'tcp/8443' });
    expect(outside.denied).toBe(true);
    expect(outside.layers.filter((l) => l.status === 'denied').map((l) => l.point)).toEqual([expect.stringContaining('inbound NSG')]);
  });

  test('GIVEN the appliance -> web on 443 THEN the NSG lets it out from exactly its address and web in', () => {
    const { app, stack, web, appliance } = estate();
    new AllowFlow(stack, 'ApplianceToWeb', { from: appliance, to: web, ports: [Port.HTTPS] });
    const json = synthApp(app).az.json;
    expect(ruleLines(json)).toEqual(expect.arrayContaining(['Outbound Allow 10.1.1.200/32 -> Web 443', 'Inbound Allow 10.1.1.200/32 -> Web 443']));
    expect(ruleLines(json).filter((line) => line.startsWith('Outbound Allow'))).toEqual(['Outbound Allow 10.1.1.200/32 -> Web 443']);
  });

  test('GIVEN the appliance reached from a workload of another platform THEN the NSG admits it at the appliance\'s end, naming the other end by its address', () => {
    // GIVEN no Azure side: an address-only host stands for a workload of another platform here
    const { app, stack, appliance } = estate();
    new Workload(stack, 'OnPrem', { addresses: ['10.20.1.10'], labels: { tier: 'onprem' } });
    const onPremSegment = new Segment(stack, 'OnPremApps', { selector: { tier: 'onprem' } });
    // WHEN
    new AllowFlow(stack, 'OnPremToAppliance', { from: onPremSegment, to: appliance, ports: [Port.tcp(1000)] });
    const json = synthApp(app).az.json;
    // THEN
    expect(ruleLines(json).filter((line) => line.includes('10.1.1.200'))).toEqual(['Inbound Allow 10.20.1.10/32 -> 10.1.1.200/32 1000']);
  });

  test('GIVEN an appliance\'s segment allowed to and from CIDR peers THEN the NSG admits both flows at exactly its address', () => {
    // GIVEN a second appliance, in a segment whose flows name CIDRs rather than a segment
    const { app, stack } = estate();
    new Workload(stack, 'LegacyAppliance', { addresses: ['10.1.1.201'], labels: { tier: 'legacy' } });
    const legacy = new Segment(stack, 'Legacy', { selector: { tier: 'legacy' } });
    // WHEN
    legacy.allowTo(Peer.ipv4('203.0.113.0/24'), Port.HTTPS);
    legacy.allowFrom(Peer.ipv4('198.51.100.0/24'), Port.SSH);
    const json = synthApp(app).az.json;
    // THEN each flow has its rule at the appliance's end, and no other host is named
    expect(ruleLines(json).filter((line) => !line.includes('AzureLoadBalancer') && !line.includes('Deny'))).toEqual([
      'Inbound Allow 198.51.100.0/24 -> 10.1.1.201/32 22',
      'Outbound Allow 10.1.1.201/32 -> 203.0.113.0/24 443',
    ]);
    const model = loadTerraformStacks({ az: json });
    expect(evaluate(model, { from: '10.1.1.201', to: '203.0.113.7', port: 'tcp/443' }).allowed).toBe(true);
    expect(evaluate(model, { from: '198.51.100.9', to: '10.1.1.201', port: 'tcp/22' }).allowed).toBe(true);
    // AND nothing else: another port, the partner's way in, or the first appliance stays denied
    expect(evaluate(model, { from: '10.1.1.201', to: '203.0.113.7', port: 'tcp/22' }).denied).toBe(true);
    expect(evaluate(model, { from: '203.0.113.7', to: '10.1.1.201', port: 'tcp/443' }).denied).toBe(true);
    expect(evaluate(model, { from: '10.1.1.200', to: '203.0.113.7', port: 'tcp/443' }).denied).toBe(true);
  });

  test('GIVEN a host outside the enforcement\'s subnets THEN no rule names it: its traffic meets no NSG of the library', () => {
    const { app, stack, web } = estate();
    const partner = new Workload(stack, 'Partner', { addresses: ['203.0.113.10'] });
    new AllowFlow(stack, 'WebToPartner', { from: web, to: partner, ports: [Port.HTTPS] });
    const json = synthApp(app).az.json;
    expect(ruleLines(json).filter((line) => line.includes('203.0.113.10'))).toEqual(['Outbound Allow Web -> 203.0.113.10/32 443']);
  });

  test('GIVEN web may reach anywhere on a port THEN the NSG admits it at the appliance, the host the program names in the subnet, and nowhere else', () => {
    const { app, stack, web } = estate();
    new AllowFlow(stack, 'WebOut', { from: web, to: Peer.anyIpv4(), ports: [Port.tcp(9443)] });
    const json = synthApp(app).az.json;
    expect(ruleLines(json).filter((line) => line.startsWith('Inbound Allow Web'))).toEqual(['Inbound Allow Web -> 10.1.1.200/32 9443']);
    const model = loadTerraformStacks({ az: json });
    expect(evaluate(model, { from: 'az/WebVm', to: '10.1.1.200', port: 'tcp/9443' }).allowed).toBe(true);
  });

  test('GIVEN the appliance reached from anywhere and a partner WHEN DenyFlows name it THEN the NSG denies at exactly its address, before the allows', () => {
    // GIVEN flows that open the NSG for the appliance
    const { app, stack, appliance } = estate();
    const partner = new Workload(stack, 'Partner', { addresses: ['198.51.100.7'] });
    appliance.allowFrom(Peer.anyIpv4(), Port.HTTPS);
    new AllowFlow(stack, 'PartnerToAppliance', { from: partner, to: appliance, ports: [Port.POSTGRES] });
    // WHEN DenyFlows forbid what they allow
    new DenyFlow(stack, 'NothingIntoAppliance', { to: appliance, ports: [Port.HTTPS] });
    new DenyFlow(stack, 'NoPartner', { from: partner, to: appliance });
    const json = synthApp(app).az.json;
    // THEN deny rules in the guardrail band name the appliance's address
    const denies = Object.values<any>(resourcesOf({ json } as any, 'azurerm_network_security_rule'))
      .filter((r) => r.access === 'Deny' && r.priority < 200)
      .map((r) => `${r.direction} ${r.source_address_prefix ?? r.source_address_prefixes} -> ${r.destination_address_prefix ?? r.destination_address_prefixes} ${r.destination_port_range}`);
    expect(denies).toEqual(expect.arrayContaining(['Inbound * -> 10.1.1.200/32 443', 'Inbound 198.51.100.7/32 -> 10.1.1.200/32 *']));
    // AND what they forbid does not reach it, while the rest of the allows still do
    const model = loadTerraformStacks({ az: json });
    expect(evaluate(model, { from: '8.8.8.8', to: '10.1.1.200', port: 'tcp/443' }).denied).toBe(true);
    expect(evaluate(model, { from: '198.51.100.7', to: '10.1.1.200', port: 'tcp/5432' }).denied).toBe(true);
  });
});

describe('Azure: a host range known only by its addresses inside an enforced subnet', () => {
  /** A NIC Db at `dbAddress` and a farm of hosts known only as 10.1.1.0/27, reached by SSH from anywhere. */
  function farmBeside(dbAddress: string) {
    const app = newApp();
    const az = azureStack(app, 'az');
    new AzureEnforcement(az.stack, 'Azure', { resourceGroupName: az.rg.name, location: az.rg.location, subnetIds: [az.subnet.id] });
    new Workload(az.stack, 'Db', { binding: AzureBinding.networkInterface(az.nic('db-nic', dbAddress)), labels: { tier: 'db' } });
    new Workload(az.stack, 'Farm', { addresses: ['10.1.1.0/27'] }).allowFrom(Peer.anyIpv4(), Port.SSH);
    return app;
  }

  test('GIVEN the range holds a NIC the NSG manages THEN synthesis fails naming both: the rules that admit the range would admit that NIC', () => {
    const app = farmBeside('10.1.1.10');
    expect(errorOf(() => app.synth())).toContain('Workload \'az/Farm\' address "10.1.1.0/27" lies in a subnet of AzureEnforcement \'az/Azure\' and holds workload \'az/Db\' (10.1.1.10), whose NIC that NSG manages: the rules that admit the range would admit that NIC too.');
  });

  test('GIVEN the range holds no managed NIC THEN it synthesizes and the range is admitted', () => {
    const app = farmBeside('10.1.1.100');
    const model = loadTerraformStacks({ az: synthApp(app).az.json });
    expect(evaluate(model, { from: '8.8.8.8', to: '10.1.1.5', port: 'tcp/22' }).allowed).toBe(true);
    expect(evaluate(model, { from: '8.8.8.8', to: 'az/Db', port: 'tcp/22' }).denied).toBe(true);
  });
});
