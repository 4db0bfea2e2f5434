import { App } from 'cdktf';
import { azureThreeTier, ADMIN_CIDR } from '../../examples/azure-three-tier/main';
import { AzureEnforcement, Peer, Port, Segment, Workload, AzureBinding } from '../../lib';
import { newApp, resourcesOf, synthApp } from '../helpers';
import { azureStack, fields, foreignReferences, rulePriorities } from './azure-fixtures';
import { azureVerdict } from './nsg-eval';

const ASG = (id: string) => `\${azurerm_application_security_group.${id}.id}`;

function synthExample() {
  const app = newApp();
  azureThreeTier(app);
  return synthApp(app)['azure-three-tier'];
}

/** Terraform name of the ASG rendered for a segment of the example. */
function asgOf(stack: any, segment: string): string {
  const entry = Object.entries<any>(resourcesOf(stack, 'azurerm_application_security_group'))
    .find(([, asg]) => asg.tags['microseg-segment'] === `azure-three-tier/${segment}`);
  if (!entry) throw new Error(`no ASG for ${segment}`);
  return entry[0];
}

describe('azure three-tier example', () => {
  const stack = synthExample();
  const rules = Object.values<any>(resourcesOf(stack, 'azurerm_network_security_rule'));

  test('one ASG per segment with Azure members, in the enforcement resource group and region', () => {
    const asgs = resourcesOf(stack, 'azurerm_application_security_group');
    expect(Object.values<any>(asgs).map((a) => a.tags['microseg-segment']).sort())
      .toEqual(['azure-three-tier/App', 'azure-three-tier/Db', 'azure-three-tier/Managed', 'azure-three-tier/Web']);
    expect(fields(asgs[asgOf(stack, 'Web')])).toEqual({
      name: expect.stringMatching(/^asg-azure-three-tier-Web-[A-Za-z0-9_-]+-[0-9a-f]{8}$/),
      resource_group_name: '${azurerm_resource_group.Rg.name}',
      location: '${azurerm_resource_group.Rg.location}',
      tags: { 'microseg-segment': 'azure-three-tier/Web' },
    });
  });

  test('each NIC joins the ASG of each of its segments', () => {
    const associations = Object.values<any>(resourcesOf(stack, 'azurerm_network_interface_application_security_group_association'));
    const of = (nic: string) => associations.filter((a) => a.network_interface_id === `\${azurerm_network_interface.${nic}.id}`)
      .map((a) => a.application_security_group_id).sort();
    expect(of('web-nic')).toEqual([ASG(asgOf(stack, 'Managed')), ASG(asgOf(stack, 'Web'))].sort());
    expect(of('app-nic')).toEqual([ASG(asgOf(stack, 'App')), ASG(asgOf(stack, 'Managed'))].sort());
    expect(of('db-nic')).toEqual([ASG(asgOf(stack, 'Db')), ASG(asgOf(stack, 'Managed'))].sort());
  });

  test('one subnet NSG, associated with the subnet once its allow rules exist (Terraform creates them first)', () => {
    expect(Object.keys(resourcesOf(stack, 'azurerm_network_security_group'))).toHaveLength(1);
    const allows = Object.entries<any>(resourcesOf(stack, 'azurerm_network_security_rule'))
      .filter(([, rule]) => rule.access === 'Allow').map(([name]) => `azurerm_network_security_rule.${name}`).sort();
    expect(allows.length).toBeGreaterThan(2);
    expect(Object.values(resourcesOf(stack, 'azurerm_subnet_network_security_group_association')).map(fields)).toEqual([{
      subnet_id: '${azurerm_subnet.Subnet.id}',
      network_security_group_id: expect.stringMatching(/^\$\{azurerm_network_security_group\.[^.]+\.id\}$/),
      depends_on: allows,
    }]);
  });

  test('web to app 8080: an outbound rule on the source side and an inbound rule on the destination side, ASG ids on both', () => {
    const flowRules = rules.filter((r) => r.destination_port_range === '8080');
    expect(flowRules).toHaveLength(2);
    for (const direction of ['Outbound', 'Inbound']) {
      const rule = flowRules.find((r) => r.direction === direction);
      expect(rule['//'].microseg).toEqual({ flows: ['azure-three-tier/App/AllowFrom-azure-three-tier-Web-tcp-8080'] });
      expect(fields(rule)).toEqual({
        name: expect.stringMatching(direction === 'Inbound' ? /^ms-in-App-Web-tcp-[0-9a-f]{8}$/ : /^ms-out-Web-App-tcp-[0-9a-f]{8}$/),
        resource_group_name: '${azurerm_resource_group.Rg.name}',
        network_security_group_name: expect.stringMatching(/^\$\{azurerm_network_security_group\.[^.]+\.name\}$/),
        priority: expect.any(Number),
        direction,
        access: 'Allow',
        protocol: 'Tcp',
        source_port_range: '*',
        destination_port_range: '8080',
        source_application_security_group_ids: [ASG(asgOf(stack, 'Web'))],
        destination_application_security_group_ids: [ASG(asgOf(stack, 'App'))],
        description: expect.any(String),
      });
      expect(rule.priority).toBeGreaterThanOrEqual(100);
      expect(rule.priority).toBeLessThanOrEqual(4095);
    }
  });

  test('CIDR peers become address prefixes, inbound only (stateful: no return rules)', () => {
    const https = rules.filter((r) => r.destination_port_range === '443');
    expect(https).toEqual([expect.objectContaining({
      direction: 'Inbound',
      access: 'Allow',
      protocol: 'Tcp',
      source_address_prefix: '0.0.0.0/0',
      destination_application_security_group_ids: [ASG(asgOf(stack, 'Web'))],
    })]);
    const ssh = rules.filter((r) => r.destination_port_range === '22');
    expect(ssh).toEqual([expect.objectContaining({ direction: 'Inbound', source_address_prefix: ADMIN_CIDR })]);
  });

  test('deny-all rules at 4096 in both directions override Azure defaults', () => {
    const deny = rules.filter((r) => r.access === 'Deny');
    expect(deny.map((r) => r.direction).sort()).toEqual(['Inbound', 'Outbound']);
    for (const rule of deny) {
      expect(rule).toMatchObject({
        priority: 4096,
        protocol: '*',
        source_port_range: '*',
        destination_port_range: '*',
        source_address_prefix: '*',
        destination_address_prefix: '*',
      });
    }
    expect(rules.filter((r) => r.access === 'Allow').every((r) => r.priority < 4096)).toBe(true);
  });

  test('declared flows are allowed', () => {
    expect(azureVerdict(stack.json, { ip: '203.0.113.9' }, { nic: 'web-nic' }, 'Tcp', 443).allowed).toBe(true);
    expect(azureVerdict(stack.json, { nic: 'web-nic' }, { nic: 'app-nic' }, 'Tcp', 8080).allowed).toBe(true);
    expect(azureVerdict(stack.json, { nic: 'app-nic' }, { nic: 'db-nic' }, 'Tcp', 5432).allowed).toBe(true);
    for (const nic of ['web-nic', 'app-nic', 'db-nic']) {
      expect(azureVerdict(stack.json, { ip: '198.51.100.20' }, { nic }, 'Tcp', 22).allowed).toBe(true);
    }
  });

  test('everything else is denied, including intra-VNet traffic that AllowVNetInBound would allow', () => {
    const webToDb = azureVerdict(stack.json, { nic: 'web-nic' }, { nic: 'db-nic' }, 'Tcp', 5432);
    expect(webToDb.allowed).toBe(false);
    expect(webToDb.trace.join('\n')).toMatch(/microseg-deny-all-outbound.*\(4096\) Deny/);
    // the same JSON without our deny rules: Azure's defaults let web reach db
    const withoutDeny = JSON.parse(JSON.stringify(stack.json));
    const all = withoutDeny.resource.azurerm_network_security_rule;
    for (const [name, rule] of Object.entries<any>(all)) if (rule.access === 'Deny') delete all[name];
    expect(azureVerdict(withoutDeny, { nic: 'web-nic' }, { nic: 'db-nic' }, 'Tcp', 5432).allowed).toBe(true);

    expect(azureVerdict(stack.json, { nic: 'web-nic' }, { nic: 'app-nic' }, 'Tcp', 8081).allowed).toBe(false);
    expect(azureVerdict(stack.json, { nic: 'app-nic' }, { nic: 'web-nic' }, 'Tcp', 8080).allowed).toBe(false); // no return rule needed, none given
    expect(azureVerdict(stack.json, { nic: 'db-nic' }, { nic: 'app-nic' }, 'Tcp', 5432).allowed).toBe(false);
    expect(azureVerdict(stack.json, { ip: '203.0.113.9' }, { nic: 'web-nic' }, 'Tcp', 80).allowed).toBe(false);
    expect(azureVerdict(stack.json, { ip: '203.0.113.9' }, { nic: 'db-nic' }, 'Tcp', 22).allowed).toBe(false);
    expect(azureVerdict(stack.json, { nic: 'web-nic' }, { ip: '203.0.113.9' }, 'Tcp', 443).allowed).toBe(false); // AllowInternetOutBound shadowed
    // health probes pass: allowLoadBalancerProbes is on by default
    expect(azureVerdict(stack.json, { tag: 'AzureLoadBalancer' }, { nic: 'web-nic' }, 'Tcp', 443).allowed).toBe(true);
  });

  test('priorities are unique per direction in each NSG and every reference is local', () => {
    const seen = new Set<string>();
    for (const rule of rules) {
      const key = `${rule.network_security_group_name}|${rule.direction}|${rule.priority}`;
      expect(seen.has(key)).toBe(false);
      seen.add(key);
    }
    expect(foreignReferences(stack.json)).toEqual([]);
  });
});

/** The example's intent with a configurable set of extra or omitted flows, in a chosen order. */
function shop(app: App, options: { extra?: boolean; withoutAppToDb?: boolean; reversed?: boolean } = {}) {
  const { stack, rg, subnet, nic } = azureStack(app, 'shop');
  const steps: Array<() => void> = [];
  const segments: Record<string, Segment> = {};
  const nics: Record<string, any> = {};
  steps.push(() => new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, subnetIds: [subnet.id] }));
  steps.push(() => {
    for (const tier of ['web', 'app', 'db']) segments[tier] = new Segment(stack, tier, { selector: { tier } });
  });
  steps.push(() => {
    segments.web.allowFrom(Peer.anyIpv4(), Port.HTTPS);
    segments.app.allowFrom(segments.web, Port.tcp(8080));
    if (!options.withoutAppToDb) segments.db.allowFrom(segments.app, Port.POSTGRES);
    if (options.extra) segments.db.allowFrom(segments.web, Port.tcp(6379));
  });
  steps.push(() => {
    for (const tier of ['web', 'app', 'db']) {
      nics[tier] = nic(`${tier}-nic`);
      new Workload(stack, `${tier}-workload`, { binding: AzureBinding.networkInterface(nics[tier]), labels: { tier } });
    }
  });
  if (options.reversed) {
    // NICs first, then flows need segments: segments, workloads, flows, enforcement last
    steps[3]();
    steps[1]();
    steps[2]();
    steps[0]();
  } else {
    steps.forEach((s) => s());
  }
  return stack;
}

describe('priority stability and order independence', () => {
  const synth = (options: Parameters<typeof shop>[1]) => {
    const app = newApp();
    shop(app, options);
    return synthApp(app).shop.json;
  };
  const base = synth({});

  test('adding a flow renumbers no other rule', () => {
    const before = rulePriorities(base);
    const after = rulePriorities(synth({ extra: true }));
    const added = Object.keys(after).filter((k) => !(k in before));
    expect(added).toHaveLength(2); // web->db 6379: outbound at web, inbound at db
    for (const [key, priority] of Object.entries(before)) expect(after[key]).toBe(priority);
  });

  test('removing a flow renumbers no other rule and removes only its rules', () => {
    const before = rulePriorities(base);
    const after = rulePriorities(synth({ withoutAppToDb: true }));
    expect(Object.keys(before).filter((k) => !(k in after))).toHaveLength(2);
    for (const [key, priority] of Object.entries(after)) expect(before[key]).toBe(priority);
  });

  test('declaration order does not change the output', () => {
    const reversed = synth({ reversed: true });
    expect(reversed.resource).toEqual(base.resource);
    expect(azureVerdict(reversed, { nic: 'web-nic' }, { nic: 'app-nic' }, 'Tcp', 8080).allowed).toBe(true);
    expect(azureVerdict(reversed, { nic: 'web-nic' }, { nic: 'db-nic' }, 'Tcp', 5432).allowed).toBe(false);
  });

  test('the same program synthesizes byte-identical JSON', () => {
    const a = newApp();
    shop(a);
    const b = newApp();
    shop(b);
    expect(synthApp(a).shop.text).toBe(synthApp(b).shop.text);
  });
});
