import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { AwsEnforcement, NsxEnforcement, NsxPolicyCategory, Peer, Port, Segment, Workload, AwsBinding, VsphereBinding } from '../../lib';
import { PolicyRegistry } from '../../lib/registry';
import { evaluate, loadTerraformStacks } from '../../lib/verify';
import { NSX_ALLOW_SEQUENCES } from '../../lib/vsphere/nsx-sequence-bands';
import { awsStack, errorOf, instance, newApp, resourcesOf, synthApp } from '../helpers';
import { nsxAllows, nsxStack, one, ref, vm } from './nsx-fixtures';

/** The three-tier estate on vSphere: web, app and db VMs, HTTPS from anywhere, SSH from an admin CIDR. */
function threeTier(props: { vmTags?: string[] } = {}) {
  const app = newApp();
  const stack = nsxStack(app, 'dc');
  new NsxEnforcement(stack, 'Nsx');
  const web = new Segment(stack, 'Web', { selector: { app: 'shop', tier: 'web' } });
  const api = new Segment(stack, 'App', { selector: { app: 'shop', tier: 'app' } });
  const db = new Segment(stack, 'Db', { selector: { app: 'shop', tier: 'db' } });
  const all = new Segment(stack, 'Shop', { selector: { app: 'shop' } });
  new Workload(stack, 'WebVm', { binding: VsphereBinding.virtualMachine(vm(stack, 'web', { tags: props.vmTags ?? [] })), labels: { app: 'shop', tier: 'web' } });
  new Workload(stack, 'AppVm', { binding: VsphereBinding.virtualMachine(vm(stack, 'app')), labels: { app: 'shop', tier: 'app' } });
  new Workload(stack, 'DbVm', { binding: VsphereBinding.virtualMachine(vm(stack, 'db')), labels: { app: 'shop', tier: 'db' } });
  web.allowFrom(Peer.anyIpv4(), Port.HTTPS);
  api.allowFrom(web, Port.tcp(8080));
  db.allowFrom(api, Port.POSTGRES);
  all.allowFrom(Peer.ipv4('192.0.2.0/24'), Port.SSH);
  return { app, stack, web, api, db, all };
}

describe('NSX rendering', () => {
  test('membership: one complete nsxt_policy_vm_tags per VM with its labels and one tag per segment, sorted', () => {
    // GIVEN / WHEN
    const out = synthApp(threeTier().app).dc;

    // THEN
    const vmTags = resourcesOf(out, 'nsxt_policy_vm_tags');
    expect(Object.keys(vmTags)).toHaveLength(3);
    expect(one(out, 'nsxt_policy_vm_tags', 'WebVm')).toEqual(expect.objectContaining({
      instance_id: '${vsphere_virtual_machine.web.id}',
      tag: [
        { scope: 'app', tag: 'shop' },
        { scope: 'microseg', tag: 'dc/Shop' },
        { scope: 'microseg', tag: 'dc/Web' },
        { scope: 'microseg', tag: 'managed:dc:Nsx' },
        { scope: 'tier', tag: 'web' },
      ],
    }));
  });

  test('one group per segment selects its tag; groups and services are create_before_destroy', () => {
    const out = synthApp(threeTier().app).dc;
    const webGroup = one(out, 'nsxt_policy_group', 'Group-dc-Web');
    expect(webGroup).toEqual(expect.objectContaining({
      display_name: 'microseg dc/Web',
      domain: 'default',
      criteria: [{ condition: [{ key: 'Tag', member_type: 'VirtualMachine', operator: 'EQUALS', value: 'microseg|dc/Web' }] }],
      lifecycle: { create_before_destroy: true },
    }));
    expect(webGroup.conjunction).toBeUndefined();
    for (const service of Object.values<any>(resourcesOf(out, 'nsxt_policy_service'))) {
      expect(service.lifecycle).toEqual({ create_before_destroy: true });
    }
    // each flow has its own service, named after the flow (never after its ports)
    expect(one(out, 'nsxt_policy_service', 'Service-dc-Db-AllowFrom-dc-App')).toEqual(expect.objectContaining({
      display_name: 'microseg dc/Db/AllowFrom-dc-App',
      l4_port_set_entry: [{ display_name: 'TCP 5432', protocol: 'TCP', destination_ports: ['5432'] }],
    }));
    // CIDR peers become address groups of the flow's own
    expect(one(out, 'nsxt_policy_group', 'Addresses-peer-dc-Shop-AllowFrom').criteria).toEqual([{ ipaddress_expression: { ip_addresses: ['192.0.2.0/24'] } }]);
  });

  test('a parent policy and one rule per flow with sequence number, groups, service, action, direction, scope', () => {
    const out = synthApp(threeTier().app).dc;
    expect(Object.values(resourcesOf(out, 'nsxt_policy_parent_security_policy'))).toEqual([expect.objectContaining({
      display_name: 'microseg-dc',
      domain: 'default',
      category: 'Application',
      sequence_number: 1000,
      stateful: true,
      tcp_strict: true,
    })]);
    expect(resourcesOf(out, 'nsxt_policy_security_policy')).toEqual({});
    const policyPath = ref(out, 'nsxt_policy_parent_security_policy', 'Policy', 'path');
    const web = ref(out, 'nsxt_policy_group', 'Group-dc-Web', 'path');
    const api = ref(out, 'nsxt_policy_group', 'Group-dc-App', 'path');
    const rule = one(out, 'nsxt_policy_security_policy_rule', 'Rule-dc-App-AllowFrom-dc-Web');
    expect(rule).toEqual(expect.objectContaining({
      policy_path: policyPath,
      display_name: 'Web to App tcp/8080',
      source_groups: [web],
      destination_groups: [api],
      services: [ref(out, 'nsxt_policy_service', 'Service-dc-App-AllowFrom-dc-Web', 'path')],
      action: 'ALLOW',
      direction: 'IN_OUT',
      scope: [api, web],
      logged: true,
    }));
    expect(rule['//'].microseg.flows).toEqual(['dc/App/AllowFrom-dc-Web-tcp-8080']);
    const allows = Object.values<any>(resourcesOf(out, 'nsxt_policy_security_policy_rule')).filter((r) => r.action === 'ALLOW');
    expect(allows).toHaveLength(4);
    const numbers = allows.map((r) => r.sequence_number);
    expect(new Set(numbers).size).toBe(4);
    for (const n of numbers) expect(n >= NSX_ALLOW_SEQUENCES.first && n <= NSX_ALLOW_SEQUENCES.last).toBe(true);
    // an address peer is a group on its side, and only tag groups are applied-to
    const https = one(out, 'nsxt_policy_security_policy_rule', 'Rule-dc-Web-AllowFrom-ipv4-0-0-0-0');
    expect(https.source_groups).toEqual([ref(out, 'nsxt_policy_group', 'Addresses-peer-dc-Web-AllowFrom', 'path')]);
    expect(https.scope).toEqual([web]);
  });

  test('two DROP rules end the policy, scoped to every managed VM (in a segment or not), in both directions', () => {
    const out = synthApp(threeTier().app).dc;
    const groups = [ref(out, 'nsxt_policy_group', 'ManagedVms', 'path')];
    expect(one(out, 'nsxt_policy_group', 'ManagedVms').criteria).toEqual([{
      condition: [{ key: 'Tag', member_type: 'VirtualMachine', operator: 'EQUALS', value: 'microseg|managed:dc:Nsx' }],
    }]);
    const dropIn = one(out, 'nsxt_policy_security_policy_rule', 'DefaultDenyIn');
    const dropOut = one(out, 'nsxt_policy_security_policy_rule', 'DefaultDenyOut');
    expect(dropIn).toEqual(expect.objectContaining({ action: 'DROP', direction: 'IN', source_groups: [], destination_groups: groups, scope: groups, services: [] }));
    expect(dropOut).toEqual(expect.objectContaining({ action: 'DROP', direction: 'OUT', source_groups: groups, destination_groups: [], scope: groups, services: [] }));
    const max = Math.max(...Object.values<any>(resourcesOf(out, 'nsxt_policy_security_policy_rule')).filter((r) => r.action === 'ALLOW').map((r) => r.sequence_number));
    expect(dropIn.sequence_number).toBeGreaterThan(max);
    expect(dropOut.sequence_number).toBeGreaterThan(dropIn.sequence_number);
  });

  test('the stack requires the vmware/nsxt provider', () => {
    const out = synthApp(threeTier().app).dc;
    expect(out.json.terraform.required_providers.nsxt).toEqual({ source: 'vmware/nsxt', version: '~> 3.8' });
  });

  test('vSphere tags mirror labels and segments; the VM keeps its own tags first', () => {
    const out = synthApp(threeTier({ vmTags: ['urn:vmomi:InventoryServiceTag:own'] }).app).dc;
    const categories = Object.values<any>(resourcesOf(out, 'vsphere_tag_category'));
    expect(categories.map((c) => c.name).sort()).toEqual(['dc/Nsx/app', 'dc/Nsx/microseg', 'dc/Nsx/tier']);
    for (const c of categories) expect(c).toEqual(expect.objectContaining({ cardinality: 'MULTIPLE', associable_types: ['VirtualMachine'] }));
    expect(one(out, 'vsphere_tag', 'Tag-microseg-dc-Web')).toEqual(expect.objectContaining({ name: 'dc/Web', category_id: ref(out, 'vsphere_tag_category', 'TagCategory-microseg', 'id') }));
    expect(resourcesOf(out, 'vsphere_virtual_machine').web.tags).toEqual([
      'urn:vmomi:InventoryServiceTag:own',
      ref(out, 'vsphere_tag', 'Tag-app-shop', 'id'),
      ref(out, 'vsphere_tag', 'Tag-microseg-dc-Shop', 'id'),
      ref(out, 'vsphere_tag', 'Tag-microseg-dc-Web', 'id'),
      ref(out, 'vsphere_tag', 'Tag-microseg-managed', 'id'),
      ref(out, 'vsphere_tag', 'Tag-tier-web', 'id'),
    ]);
  });

  test('vsphereTags: false renders NSX tags only', () => {
    const app = newApp();
    const stack = nsxStack(app, 'dc');
    new NsxEnforcement(stack, 'Nsx', { vsphereTags: false, category: NsxPolicyCategory.ENVIRONMENT, domain: 'prod', tagScope: 'seg', policySequenceNumber: 10, policyName: 'shop', logging: false });
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    new Workload(stack, 'WebVm', { binding: VsphereBinding.virtualMachine(vm(stack, 'web')), labels: { tier: 'web' } });
    web.allowFrom(Peer.anyIpv4(), Port.HTTPS);
    const out = synthApp(app).dc;
    expect(resourcesOf(out, 'vsphere_tag')).toEqual({});
    expect(resourcesOf(out, 'vsphere_virtual_machine').web.tags).toBeUndefined();
    expect(Object.values<any>(resourcesOf(out, 'nsxt_policy_parent_security_policy'))[0]).toEqual(expect.objectContaining({ display_name: 'shop', domain: 'prod', category: 'Environment', sequence_number: 10 }));
    expect(one(out, 'nsxt_policy_group', 'Group-dc-Web')).toEqual(expect.objectContaining({ domain: 'prod', criteria: [{ condition: [expect.objectContaining({ value: 'seg|dc/Web' })] }] }));
    expect(one(out, 'nsxt_policy_security_policy_rule', 'Rule-').logged).toBe(false);
  });

  test('the inventory names each segment group and VM binding', () => {
    const out = synthApp(threeTier().app).dc;
    const inventory = out.json['//'].microseg;
    expect(inventory.segments['dc/Web'].groups).toEqual([`nsxt_policy_group.${Object.keys(resourcesOf(out, 'nsxt_policy_group')).find((n) => n.includes('Group-dc-Web'))}`]);
    expect(inventory.workloads['dc/WebVm']).toEqual(expect.objectContaining({ binding: 'vsphere_virtual_machine.web', segments: ['dc/Shop', 'dc/Web'] }));
  });
});

describe('NSX rendering of workloads named directly, ICMP and all traffic', () => {
  test('a workload named in a flow gets its own tag and group; ICMP renders icmp_entry; all traffic takes no service', () => {
    // GIVEN
    const app = newApp();
    const stack = nsxStack(app, 'dc');
    new NsxEnforcement(stack, 'Nsx');
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    new Workload(stack, 'WebVm', { binding: VsphereBinding.virtualMachine(vm(stack, 'web')), labels: { tier: 'web' } });
    const monitor = new Workload(stack, 'Monitor', { binding: VsphereBinding.virtualMachine(vm(stack, 'monitor')) });
    web.allowFrom(monitor, Port.icmp(8, 0), Port.tcp(9100));
    web.allowInternally(Port.allTraffic());

    // WHEN
    const out = synthApp(app).dc;

    // THEN the monitor VM carries the tag of its hidden one-member segment
    expect(one(out, 'nsxt_policy_vm_tags', 'Monitor').tag).toEqual([{ scope: 'microseg', tag: 'dc/Monitor/Self' }, { scope: 'microseg', tag: 'managed:dc:Nsx' }]);
    const monitorGroup = ref(out, 'nsxt_policy_group', 'Group-dc-Monitor-Self', 'path');
    const webGroup = ref(out, 'nsxt_policy_group', 'Group-dc-Web', 'path');
    const service = one(out, 'nsxt_policy_service', 'Service-dc-Web-AllowFrom-dc-Monitor');
    expect(service.icmp_entry).toEqual([{ display_name: 'ICMPv4 8/0', protocol: 'ICMPv4', icmp_type: '8', icmp_code: '0' }]);
    expect(service.l4_port_set_entry).toEqual([{ display_name: 'TCP 9100', protocol: 'TCP', destination_ports: ['9100'] }]);
    const fromMonitor = one(out, 'nsxt_policy_security_policy_rule', 'AllowFrom-dc-Monitor');
    expect(fromMonitor).toEqual(expect.objectContaining({
      source_groups: [monitorGroup], destination_groups: [webGroup], scope: [monitorGroup, webGroup],
    }));
    const internal = one(out, 'nsxt_policy_security_policy_rule', 'Internal');
    expect(internal).toEqual(expect.objectContaining({ source_groups: [webGroup], destination_groups: [webGroup], services: [], scope: [webGroup] }));
    expect(nsxAllows(out, { vm: 'monitor' }, { vm: 'web' }, 'tcp', 9100)).toBe(true);
    expect(nsxAllows(out, { vm: 'web' }, { vm: 'monitor' }, 'tcp', 9100)).toBe(false);
    expect(nsxAllows(out, { vm: 'web' }, { vm: 'web' }, 'udp', 9999)).toBe(true);
  });
});

describe('NSX reachability (evaluated on the rendered JSON, see nsxAllows)', () => {
  const web = { vm: 'web' };
  const api = { vm: 'app' };
  const db = { vm: 'db' };

  test('declared flows are allowed', () => {
    const out = synthApp(threeTier().app).dc;
    expect(nsxAllows(out, { ip: '198.51.100.7' }, web, 'tcp', 443)).toBe(true);
    expect(nsxAllows(out, web, api, 'tcp', 8080)).toBe(true);
    expect(nsxAllows(out, api, db, 'tcp', 5432)).toBe(true);
    expect(nsxAllows(out, { ip: '192.0.2.10' }, db, 'tcp', 22)).toBe(true);
  });

  test('everything else is denied, both ways, although the NSX default rule allows', () => {
    const out = synthApp(threeTier().app).dc;
    expect(nsxAllows(out, web, db, 'tcp', 5432)).toBe(false); // skipping a tier
    expect(nsxAllows(out, db, api, 'tcp', 8080)).toBe(false); // reverse direction
    expect(nsxAllows(out, api, web, 'tcp', 443)).toBe(false);
    expect(nsxAllows(out, { ip: '198.51.100.7' }, api, 'tcp', 8080)).toBe(false); // from outside to an inner tier
    expect(nsxAllows(out, { ip: '198.51.100.7' }, db, 'tcp', 22)).toBe(false); // SSH only from the admin CIDR
    expect(nsxAllows(out, web, { ip: '198.51.100.7' }, 'tcp', 443)).toBe(false); // egress to the internet
    expect(nsxAllows(out, web, api, 'tcp', 8081)).toBe(false); // another port
    expect(nsxAllows(out, web, api, 'udp', 8080)).toBe(false); // another protocol
  });

  test('a segment without members renders no rule (an empty side would mean ANY)', () => {
    const { app, stack, web: webSegment } = threeTier();
    const empty = new Segment(stack, 'Empty', { selector: { tier: 'none' } });
    empty.allowFrom(webSegment, Port.tcp(9000));
    webSegment.allowFrom(empty, Port.tcp(9001));
    const out = synthApp(app).dc;
    const rules = Object.keys(resourcesOf(out, 'nsxt_policy_security_policy_rule'));
    expect(rules.filter((n) => n.includes('Empty'))).toEqual([]);
    expect(nsxAllows(out, web, { ip: '10.0.0.1' }, 'tcp', 9000)).toBe(false);
  });
});

describe('NSX flows across platforms', () => {
  test('an address group names the addresses of a member declared after the app was rendered', () => {
    // GIVEN an NSX segment that a segment of external hosts may reach, rendered with one host
    const app = newApp();
    const dc = nsxStack(app, 'dc');
    new NsxEnforcement(dc, 'Nsx');
    const db = new Segment(dc, 'Db', { selector: { tier: 'db' } });
    new Workload(dc, 'DbVm', { binding: VsphereBinding.virtualMachine(vm(dc, 'db')), labels: { tier: 'db' }, addresses: ['10.1.0.10'] });
    const batch = new Segment(dc, 'Batch', { selector: { tier: 'batch' } });
    new Workload(dc, 'Batch1', { addresses: ['10.20.0.5'], labels: { tier: 'batch' } });
    db.allowFrom(batch, Port.POSTGRES);
    PolicyRegistry.of(dc).ensureRendered();

    // WHEN a second host joins the segment afterwards
    new Workload(dc, 'Batch2', { addresses: ['10.20.0.6', '2001:db8::6'], labels: { tier: 'batch' } });
    const out = synthApp(app).dc;

    // THEN the group the rule's source names holds both hosts, each family in its own criteria
    const members = one(out, 'nsxt_policy_group', 'members-dc-Batch');
    expect(members.criteria).toEqual([
      { ipaddress_expression: { ip_addresses: ['10.20.0.5/32', '10.20.0.6/32'] } },
      { ipaddress_expression: { ip_addresses: ['2001:db8::6/128'] } },
    ]);
    expect(members.conjunction).toEqual([{ operator: 'OR' }]);
    expect(nsxAllows(out, { ip: '10.20.0.6' }, { vm: 'db' }, 'tcp', 5432)).toBe(true);
    expect(nsxAllows(out, { ip: '10.20.0.7' }, { vm: 'db' }, 'tcp', 5432)).toBe(false);
  });

  test('members on AWS and external hosts are matched by their addresses, through remote state', () => {
    // GIVEN an NSX segment that AWS instances and an external host may reach
    const app = newApp();
    const dc = nsxStack(app, 'dc');
    new AwsProvider(dc, 'aws', { region: 'eu-west-1' }); // the AWS side of a flow lives in the flow's stack
    new NsxEnforcement(dc, 'Nsx');
    const db = new Segment(dc, 'Db', { selector: { tier: 'db' } });
    new Workload(dc, 'DbVm', { binding: VsphereBinding.virtualMachine(vm(dc, 'db')), labels: { tier: 'db' }, addresses: ['10.1.0.10'] });
    const aws = awsStack(app, 'cloud');
    new AwsEnforcement(aws, 'Aws', { vpcId: 'vpc-0123' });
    const api = new Segment(aws, 'Api', { selector: { tier: 'api' } });
    const ec2 = instance(aws, 'api');
    new Workload(aws, 'ApiVm', { binding: AwsBinding.instance(ec2), labels: { tier: 'api' }, addresses: [ec2.privateIp] });
    new Workload(dc, 'Batch', { addresses: ['10.20.0.5', '2001:db8::5'], labels: { tier: 'api' } });
    db.allowFrom(api, Port.POSTGRES);

    // WHEN
    const out = synthApp(app);

    // THEN the NSX rule's source is an address group: the instance's private IP (a remote-state
    // reference, bare: NSX takes a bare IP of either family), the external host's IPv4 and IPv6
    // addresses in separate criteria, ORed
    const members = one(out.dc, 'nsxt_policy_group', 'members-cloud-Api');
    expect(members.criteria).toEqual([
      { ipaddress_expression: { ip_addresses: [expect.stringMatching(/^\$\{data\.terraform_remote_state\.[^}]+\}$/), '10.20.0.5/32'] } },
      { ipaddress_expression: { ip_addresses: ['2001:db8::5/128'] } },
    ]);
    expect(members.conjunction).toEqual([{ operator: 'OR' }]);
    const rule = one(out.dc, 'nsxt_policy_security_policy_rule', 'Rule-cloud-Db'.replace('cloud', 'dc'));
    expect(rule.source_groups).toEqual([ref(out.dc, 'nsxt_policy_group', 'members-cloud-Api', 'path')]);
    expect(rule.scope).toEqual([ref(out.dc, 'nsxt_policy_group', 'Group-dc-Db', 'path')]);
    expect(nsxAllows(out.dc, { ip: '10.20.0.5' }, { vm: 'db' }, 'tcp', 5432)).toBe(true);
    expect(nsxAllows(out.dc, { ip: '10.20.0.6' }, { vm: 'db' }, 'tcp', 5432)).toBe(false);
    // and the AWS side addresses the vSphere VM by its addresses
    expect(Object.values<any>(resourcesOf(out.dc, 'aws_vpc_security_group_egress_rule'))).toEqual([expect.objectContaining({ cidr_ipv4: '10.1.0.10/32', from_port: 5432 })]);
    // every reference of the NSX stack names something of that stack
    const declared = new Set<string>();
    for (const section of ['resource', 'data'] as const) {
      for (const [type, byName] of Object.entries<any>(out.dc.json[section] ?? {})) for (const name of Object.keys(byName)) declared.add(`${section === 'data' ? 'data.' : ''}${type}.${name}`);
    }
    const text = JSON.stringify({ resource: out.dc.json.resource, data: out.dc.json.data });
    for (const match of text.matchAll(/\$\{([^}]*)\}/g)) {
      for (const reference of match[1].matchAll(/\b((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)\./g)) expect(declared).toContain(reference[1]);
    }
  });

  test('a peer NSX cannot match is an error naming the flow and the peer', () => {
    const { app, web } = threeTier();
    web.allowFrom(Peer.azureServiceTag('AzureLoadBalancer'), Port.HTTPS);
    const message = errorOf(() => synthApp(app));
    expect(message).toContain("AllowFlow 'dc/Web/AllowFrom-azure-service-tag-AzureLoadBalancer-tcp-443' names Peer.azureServiceTag(\"AzureLoadBalancer\"), which the NSX distributed firewall of 'dc/Nsx' cannot express (they match groups and addresses only), so the flow would be dropped there. Use Peer.ipv4() or Peer.ipv6() with the addresses behind it.");
  });

  test('a vSphere VM without addresses in a flow with AWS members is an error suggesting vm.defaultIpAddress', () => {
    const app = newApp();
    const dc = nsxStack(app, 'dc');
    new NsxEnforcement(dc, 'Nsx');
    const db = new Segment(dc, 'Db', { selector: { tier: 'db' } });
    new Workload(dc, 'DbVm', { binding: VsphereBinding.virtualMachine(vm(dc, 'db')), labels: { tier: 'db' } });
    const aws = awsStack(app, 'cloud');
    new AwsEnforcement(aws, 'Aws', { vpcId: 'vpc-0123' });
    const api = new Segment(aws, 'Api', { selector: { tier: 'api' } });
    const ec2 = instance(aws, 'api');
    new Workload(aws, 'ApiVm', { binding: AwsBinding.instance(ec2), labels: { tier: 'api' }, addresses: [ec2.privateIp] });
    db.allowFrom(api, Port.POSTGRES);
    expect(errorOf(() => synthApp(app))).toContain("AllowFlow 'dc/Db/AllowFrom-cloud-Api-tcp-5432' needs the addresses of workload 'dc/DbVm' (nsx) for the aws rules of its other side, but it has none. Give the workload addresses, for example addresses: [vm.defaultIpAddress].");
  });
});

describe('NSX SCTP', () => {
  test('GIVEN every SCTP port between segments WHEN synthesized THEN the flow\'s service is one IP protocol entry for 132 (L4 port sets are TCP and UDP only)', () => {
    // GIVEN
    const { app, api, web } = threeTier();
    api.allowFrom(web, Port.allSctp());
    // WHEN
    const out = synthApp(app).dc;
    // THEN
    const services = Object.values<any>(resourcesOf(out, 'nsxt_policy_service')).filter((s) => s.ip_protocol_entry);
    expect(services).toHaveLength(1);
    expect(services[0].ip_protocol_entry).toEqual([{ display_name: 'IP protocol 132', protocol: 132 }]);
    expect(services[0].l4_port_set_entry).toBeUndefined();
    // the evaluator reads the entry as every SCTP port and nothing else
    const model = loadTerraformStacks({ dc: out.json });
    expect(evaluate(model, { from: 'dc/Web', to: 'dc/App', port: 'sctp/38412' }).allowed).toBe(true);
    expect(evaluate(model, { from: 'dc/Web', to: 'dc/App', port: 'udp/38412' }).allowed).toBe(false);
    expect(evaluate(model, { from: 'dc/App', to: 'dc/Web', port: 'sctp/38412' }).allowed).toBe(false);
  });

  test('GIVEN one SCTP port WHEN NSX rules would render it THEN synthesis fails: an IP protocol entry allows every SCTP port', () => {
    // GIVEN
    const { app, api, web } = threeTier();
    api.allowFrom(web, Port.sctp(38412));
    // WHEN
    const message = errorOf(() => synthApp(app));
    // THEN
    expect(message).toContain("AllowFlow 'dc/App/AllowFrom-dc-Web-sctp-38412' names SCTP port 38412, but NSX rules cannot match SCTP ports: a rule for IP protocol 132 matches every SCTP port. Use Port.allSctp() if that is acceptable, or keep the flow off NSX.");
  });
});
