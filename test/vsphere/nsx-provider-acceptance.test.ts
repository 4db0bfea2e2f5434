import { AllowFlow, NsxEnforcement, NsxEnforcementProps, Peer, Port, Segment, Workload, VsphereBinding } from '../../lib';
import { evaluate, loadTerraformStacks } from '../../lib/verify';
import { errorOf, newApp, resourcesOf, synthApp } from '../helpers';
import { nsxStack, one, vm } from './nsx-fixtures';

// Output that the vmware/nsxt provider or the NSX API would reject at plan or apply must be valid,
// or fail synthesis with a clear message (issue 11, items 13 and 19).

/** A stack `dc` with an NSX enforcement, a web segment and one web VM. */
function webEstate(props: NsxEnforcementProps = {}) {
  const app = newApp();
  const stack = nsxStack(app, 'dc');
  new NsxEnforcement(stack, 'Nsx', props);
  const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
  new Workload(stack, 'WebVm', { binding: VsphereBinding.virtualMachine(vm(stack, 'web')), labels: { tier: 'web' }, addresses: ['10.0.0.10'] });
  return { app, stack, web };
}

/** The evaluator's verdict on a synthesized app. */
function verdictsOf(out: ReturnType<typeof synthApp>) {
  const model = loadTerraformStacks(Object.fromEntries(Object.entries(out).map(([name, stack]) => [name, stack.json])));
  return (from: string, to: string, port: string) => evaluate(model, { from, to, port });
}

describe('NSX services: a range counts as two of the 15 values of an l4_port_set_entry', () => {
  test('eight TCP ranges render two entries, each within 15 values, and every range stays allowed', () => {
    // GIVEN a flow with eight ranges that do not merge
    const { app, web } = webEstate();
    const ranges = Array.from({ length: 8 }, (_, i) => Port.tcpRange(9000 + 100 * i, 9009 + 100 * i));
    web.allowFrom(Peer.ipv4('192.0.2.0/24'), ...ranges);

    // WHEN
    const out = synthApp(app);

    // THEN the exact entries: seven ranges (14 values) and the eighth alone
    const service = one(out.dc, 'nsxt_policy_service', 'Service-dc-Web-AllowFrom-ipv4-192-0-2-0_24');
    expect(service.l4_port_set_entry.map((e: any) => ({ protocol: e.protocol, destination_ports: e.destination_ports }))).toEqual([
      { protocol: 'TCP', destination_ports: ['9000-9009', '9100-9109', '9200-9209', '9300-9309', '9400-9409', '9500-9509', '9600-9609'] },
      { protocol: 'TCP', destination_ports: ['9700-9709'] },
    ]);
    // and the meaning is unchanged: the last range is allowed, the gap between ranges is not
    const check = verdictsOf(out);
    expect(check('192.0.2.5', 'dc/WebVm', 'tcp/9705').allowed).toBe(true);
    expect(check('192.0.2.5', 'dc/WebVm', 'tcp/9050').allowed).toBe(false);
  });
});

describe('NSX addresses given as Terraform expressions', () => {
  test('render bare, without the /32 the provider rejects after an IPv6 address', () => {
    // GIVEN an external host and a VM of another platform known only by Terraform expressions
    const { app, stack, web } = webEstate();
    const monitor = vm(stack, 'monitor-v6');
    new Workload(stack, 'Monitor', { addresses: [monitor.defaultIpAddress] });
    new AllowFlow(stack, 'MonitorToWeb', { from: stack.node.findChild('Monitor') as Workload, to: web, ports: [Port.HTTPS] });

    // WHEN
    const out = synthApp(app);

    // THEN the address group holds the expression as it is
    const group = one(out.dc, 'nsxt_policy_group', 'Monitor');
    expect(group.criteria).toEqual([{ ipaddress_expression: { ip_addresses: ['${vsphere_virtual_machine.monitor-v6.default_ip_address}'] } }]);
    expect(JSON.stringify(resourcesOf(out.dc, 'nsxt_policy_group'))).not.toContain('}/32');
    // and the rule that names it is there: from that group only, into the web VMs only
    const rule = one(out.dc, 'nsxt_policy_security_policy_rule', 'MonitorToWeb');
    expect(rule).toEqual(expect.objectContaining({ action: 'ALLOW', direction: 'IN', source_groups: ['${nsxt_policy_group.' + Object.keys(resourcesOf(out.dc, 'nsxt_policy_group')).find((n) => n.includes('Monitor')) + '.path}'] }));
  });

  test('an expression naming an IPv6 attribute goes into the IPv6 criteria, never mixed with IPv4 literals', () => {
    // GIVEN a segment of one literal IPv4 host and one host whose address is an IPv6 attribute
    const { app, stack, web } = webEstate();
    const v6 = vm(stack, 'v6-host');
    const clients = new Segment(stack, 'Clients', { selector: { role: 'client' } });
    new Workload(stack, 'V4Client', { addresses: ['192.0.2.10'], labels: { role: 'client' } });
    new Workload(stack, 'V6Client', { addresses: [`${v6.getStringAttribute('ipv6_address')}`], labels: { role: 'client' } });
    web.allowFrom(clients, Port.HTTPS);

    // WHEN
    const out = synthApp(app);

    // THEN one criteria per family, ORed
    const group = one(out.dc, 'nsxt_policy_group', 'Clients');
    expect(group.criteria).toEqual([
      { ipaddress_expression: { ip_addresses: ['192.0.2.10/32'] } },
      { ipaddress_expression: { ip_addresses: ['${vsphere_virtual_machine.v6-host.ipv6_address}'] } },
    ]);
    expect(group.conjunction).toEqual([{ operator: 'OR' }]);
  });
});

describe('NSX display names are 1-255 characters', () => {
  test('a flow with an empty description gets a display_name derived from its path', () => {
    // GIVEN
    const { app, stack, web } = webEstate();
    new AllowFlow(stack, 'Https', { from: Peer.anyIpv4(), to: web, ports: [Port.HTTPS], description: '' });

    // WHEN
    const out = synthApp(app);

    // THEN
    expect(one(out.dc, 'nsxt_policy_security_policy_rule', 'Https').display_name).toBe('microseg flow dc/Https');
  });

  test('a description longer than 255 characters is cut to 255', () => {
    const { app, stack, web } = webEstate();
    new AllowFlow(stack, 'Https', { from: Peer.anyIpv4(), to: web, ports: [Port.HTTPS], description: 'x'.repeat(300) });
    expect(one(synthApp(app).dc, 'nsxt_policy_security_policy_rule', 'Https').display_name).toBe('x'.repeat(255));
  });

  test('an empty policy name is a synth error naming the enforcement', () => {
    const { app } = webEstate({ policyName: '' });
    expect(errorOf(() => synthApp(app))).toContain('NsxEnforcement \'dc/Nsx\': policyName "" is not a valid NSX display_name (1-255 characters, not blank).');
  });
});

describe('NSX policy sequence numbers are 0-999,999', () => {
  test.each([
    ['policySequenceNumber', { policySequenceNumber: 1_000_000 }, '1000000 is outside 0-999999'],
    ['policySequenceNumber', { policySequenceNumber: -1 }, '-1 is outside 0-999999'],
    ['guardrailSequenceNumber', { guardrailSequenceNumber: 2_000_000 }, '2000000 is outside 0-999999'],
  ])('%s out of range is a synth error with the value and the range', (prop, props, text) => {
    const { app } = webEstate(props);
    expect(errorOf(() => synthApp(app))).toContain(`NsxEnforcement 'dc/Nsx': ${prop} ${text} (the range NSX allows for a policy's sequence_number).`);
  });

  test('the bounds themselves are accepted', () => {
    const { app, web } = webEstate({ policySequenceNumber: 999_999, guardrailSequenceNumber: 0 });
    web.allowFrom(Peer.anyIpv4(), Port.HTTPS);
    const policy = Object.values<any>(resourcesOf(synthApp(app).dc, 'nsxt_policy_parent_security_policy'));
    expect(policy.map((p) => p.sequence_number)).toEqual([999_999]);
  });
});
