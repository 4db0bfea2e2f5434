import { ComputeInstanceTemplate } from '@cdktf/provider-google/lib/compute-instance-template';
import { DenyFlow, GcpBinding, GcpEnforcementProps, Peer, Port, Segment, Workload } from '../../lib';
import '../../lib/verify/jest';
import { errorOf, newApp, resourcesOf, synthApp } from '../helpers';
import { gcpEstate, vm } from './gcp-fixtures';

// Guardrails in a folder's (or organization's) hierarchical policy name the DenyFlow's local
// members by address. A dual-stack VM whose IPv6 address Google Cloud assigns at apply has only its
// IPv4 address known at synth: its DenyFlow must fail rather than deny IPv4 only while the network
// policy's application rules let IPv6 reach the VM by its secure tag.

type Nic = { stackType?: string; ipv6Address?: string; ipv6AccessConfig?: Array<{ networkTier: string; externalIpv6?: string }> };

const DUAL_STACK: Nic = { stackType: 'IPV4_IPV6', ipv6AccessConfig: [{ networkTier: 'PREMIUM' }] };
const SSH = [{ ip_protocol: 'tcp', ports: ['22'] }];

/** A network (under folder 123 unless props say otherwise) with segment Web and its VM Web1 at 10.0.0.5. */
function estate(nic: Nic, props: Partial<GcpEnforcementProps> = { folder: 'folders/123' }, addresses?: string[]) {
  const app = newApp();
  const { stack } = gcpEstate(app, 'gcp', props);
  const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
  const instance = vm(stack, 'web', { networkInterface: [{ network: 'vpc', subnetwork: 'app', networkIp: '10.0.0.5', ...nic }] });
  const web1 = new Workload(stack, 'Web1', { binding: GcpBinding.instance(instance), labels: { tier: 'web' }, ...(addresses ? { addresses } : {}) });
  return { app, stack, web, web1 };
}

function rules(out: { json: any }, type: string): Array<[string, string, number, unknown]> {
  return Object.values<any>(resourcesOf(out as any, type))
    .filter((r) => !String(r.rule_name ?? '').startsWith('microseg-default'))
    .map((r): [string, string, number, unknown] => [r.direction, r.action, r.priority, r.match])
    .sort((a, b) => (JSON.stringify([a[0], a[1], a[3]]) < JSON.stringify([b[0], b[1], b[3]]) ? -1 : 1));
}

describe('Google Cloud: a DenyFlow in the hierarchical policy and a dual-stack VM', () => {
  test.each([
    ['anywhere, in a folder', undefined, { folder: 'folders/123' }, DUAL_STACK],
    ['an IPv6 peer, in an organization', Peer.ipv6('2001:db8::/32'), { organization: 'organizations/42' }, DUAL_STACK],
    ['anywhere, to an IPV6_ONLY interface', undefined, { folder: 'folders/123' }, { stackType: 'IPV6_ONLY' }],
  ])('GIVEN a DenyFlow from %s to a VM whose IPv6 address GCP assigns WHEN synthesized THEN synthesis fails naming the DenyFlow, the workload, the enforcement, why and the fixes', (_what, from, props, nic) => {
    // GIVEN
    const { app, stack, web } = estate(nic, props);
    web.allowFrom(Peer.anyIpv6(), Port.SSH);
    new DenyFlow(stack, 'NoSshToWeb', { ...(from ? { from } : {}), to: web, ports: [Port.SSH] });
    // WHEN
    const error = errorOf(() => app.synth());
    // THEN
    const why = nic.stackType === 'IPV6_ONLY' ? 'network_interface[0] (stack_type IPV6_ONLY)' : 'network_interface[0] (stack_type IPV4_IPV6, an ipv6_access_config)';
    expect(error).toContain(`DenyFlow 'gcp/NoSshToWeb' cannot deny IPv6 traffic to workload 'gcp/Web1' in the hierarchical firewall policy of GcpEnforcement 'gcp/Gcp': its instance 'gcp/web-vm' has ${why}, whose IPv6 address Google Cloud assigns at apply, and hierarchical rules name workloads by address (they cannot name network-scoped secure tags), so the deny would miss its IPv6 address, while the DenyFlow's source covers IPv6`);
    expect(error).toContain('Give the workload its IPv6 address as a literal (addresses: ["2600:1900:4000::5"], kept with the instance\'s network_ip that the binding gives');
    expect(error).toContain('or set it on network_interface[0] (ipv6_access_config.external_ipv6, or ipv6_address for an internal one)');
    expect(error).toContain('or keep the guardrails in the network firewall policy: omit folder and organization on the GcpEnforcement.');
  });

  test('GIVEN a DenyFlow from a dual-stack VM to an IPv6 peer WHEN synthesized THEN synthesis fails for the egress direction', () => {
    // GIVEN
    const { app, stack, web } = estate(DUAL_STACK);
    web.allowTo(Peer.anyIpv6(), Port.HTTPS);
    new DenyFlow(stack, 'NoHttpsOut', { from: web, to: Peer.ipv6('2001:db8::/32'), ports: [Port.HTTPS] });
    // WHEN
    const error = errorOf(() => app.synth());
    // THEN
    expect(error).toContain('DenyFlow \'gcp/NoHttpsOut\' cannot deny IPv6 traffic from workload \'gcp/Web1\' in the hierarchical firewall policy of GcpEnforcement \'gcp/Gcp\'');
    expect(error).toContain('while the DenyFlow\'s destination covers IPv6');
    expect(error).not.toContain('traffic to workload');
  });

  test('GIVEN a DenyFlow from a dual-stack VM to a VM with a known IPv6 address WHEN synthesized THEN synthesis fails for the source only', () => {
    // GIVEN
    const { app, stack, web } = estate(DUAL_STACK);
    const db = new Segment(stack, 'Db', { selector: { tier: 'db' } });
    new Workload(stack, 'Db1', {
      binding: GcpBinding.instance(vm(stack, 'db', { networkInterface: [{ network: 'vpc', subnetwork: 'app', networkIp: '10.0.0.6', ...DUAL_STACK }] })),
      labels: { tier: 'db' },
      addresses: ['2600:1900:4000::6'],
    });
    db.allowFrom(web, Port.POSTGRES);
    new DenyFlow(stack, 'NoSshWebDb', { from: web, to: db, ports: [Port.SSH] });
    // WHEN
    const error = errorOf(() => app.synth());
    // THEN
    expect(error).toContain('DenyFlow \'gcp/NoSshWebDb\' cannot deny IPv6 traffic from workload \'gcp/Web1\'');
    expect(error).not.toContain('workload \'gcp/Db1\'');
  });

  test('GIVEN a DenyFlow between two dual-stack VMs whose IPv6 addresses GCP assigns WHEN synthesized THEN synthesis fails at both ends', () => {
    // GIVEN
    const { app, stack, web } = estate(DUAL_STACK);
    const db = new Segment(stack, 'Db', { selector: { tier: 'db' } });
    new Workload(stack, 'Db1', {
      binding: GcpBinding.instance(vm(stack, 'db', { networkInterface: [{ network: 'vpc', subnetwork: 'app', networkIp: '10.0.0.6', ...DUAL_STACK }] })),
      labels: { tier: 'db' },
    });
    db.allowFrom(web, Port.SSH);
    new DenyFlow(stack, 'NoSshWebDb', { from: web, to: db, ports: [Port.SSH] });
    // WHEN
    const error = errorOf(() => app.synth());
    // THEN
    expect(error).toContain('DenyFlow \'gcp/NoSshWebDb\' cannot deny IPv6 traffic from workload \'gcp/Web1\'');
    expect(error).toContain('DenyFlow \'gcp/NoSshWebDb\' cannot deny IPv6 traffic to workload \'gcp/Db1\'');
  });

  test('GIVEN a dual-stack instance template without an IPv6 range WHEN a DenyFlow from anywhere names it THEN synthesis fails suggesting the subnet\'s IPv6 range', () => {
    // GIVEN
    const app = newApp();
    const { stack } = gcpEstate(app, 'gcp', { folder: 'folders/123' });
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    const template = new ComputeInstanceTemplate(stack, 'web-template', {
      machineType: 'e2-small',
      disk: [{ sourceImage: 'debian-cloud/debian-12' }],
      networkInterface: [{ network: 'vpc', subnetwork: 'app', stackType: 'IPV4_IPV6' }],
    });
    new Workload(stack, 'WebGroup', { binding: GcpBinding.instanceTemplate(template), labels: { tier: 'web' }, addresses: ['10.0.0.0/24'] });
    new DenyFlow(stack, 'NoSshToWeb', { to: web, ports: [Port.SSH] });
    // WHEN
    const error = errorOf(() => app.synth());
    // THEN
    expect(error).toContain('DenyFlow \'gcp/NoSshToWeb\' cannot deny IPv6 traffic to workload \'gcp/WebGroup\' in the hierarchical firewall policy of GcpEnforcement \'gcp/Gcp\': the instances of its template \'gcp/web-template\' have network_interface[0] (stack_type IPV4_IPV6)');
    expect(error).toContain('Give the workload the IPv6 range of its instances\' subnet as a literal CIDR');
  });

  test('GIVEN a dual-stack VM WHEN the DenyFlow\'s other end is IPv4 only THEN it synthesizes with the IPv4 deny alone', () => {
    // GIVEN
    const { app, stack, web } = estate(DUAL_STACK);
    new DenyFlow(stack, 'NoSshToWeb', { from: Peer.ipv4('203.0.113.0/24'), to: web, ports: [Port.SSH] });
    // WHEN
    const out = synthApp(app).gcp;
    // THEN
    expect(rules(out, 'google_compute_firewall_policy_rule').map(([d, a, , m]) => [d, a, m])).toEqual([
      ['INGRESS', 'deny', { dest_ip_ranges: ['10.0.0.5/32'], layer4_configs: SSH, src_ip_ranges: ['203.0.113.0/24'] }],
    ]);
  });

  test('GIVEN a dual-stack VM whose workload gives its IPv6 address WHEN a DenyFlow from anywhere names it THEN the folder policy denies both families at its addresses and IPv6 SSH is denied', () => {
    // GIVEN
    const { app, stack, web, web1 } = estate(DUAL_STACK, { folder: 'folders/123' }, ['2600:1900:4000::5']);
    web.allowFrom(Peer.anyIpv6(), Port.SSH);
    web.allowFrom(Peer.anyIpv4(), Port.SSH);
    new DenyFlow(stack, 'NoSshToWeb', { to: web, ports: [Port.SSH] });
    // WHEN
    const out = synthApp(app).gcp;
    // THEN
    const denies = rules(out, 'google_compute_firewall_policy_rule').filter(([, action]) => action === 'deny').map(([d, , , m]) => [d, m]);
    expect(denies).toEqual([
      ['INGRESS', { dest_ip_ranges: ['10.0.0.5/32'], layer4_configs: SSH, src_ip_ranges: ['0.0.0.0/0'] }],
      ['INGRESS', { dest_ip_ranges: ['2600:1900:4000::5/128'], layer4_configs: SSH, src_ip_ranges: ['::/0'] }],
    ]);
    expect(app).toDenyFlow('2001:db8::1', web1, Port.SSH);
    expect(app).toDenyFlow('203.0.113.1', web1, Port.SSH);
  });

  test('GIVEN a dual-stack VM whose interface sets a literal external_ipv6 WHEN a DenyFlow from anywhere names it THEN the binding reads it and the folder policy denies IPv6 at it', () => {
    // GIVEN
    const { app, stack, web } = estate({ stackType: 'IPV4_IPV6', ipv6AccessConfig: [{ networkTier: 'PREMIUM', externalIpv6: '2600:1900:4000::5' }] });
    web.allowFrom(Peer.anyIpv6(), Port.SSH);
    new DenyFlow(stack, 'NoSshToWeb', { to: web, ports: [Port.SSH] });
    // WHEN
    const out = synthApp(app).gcp;
    // THEN
    const ingress = rules(out, 'google_compute_firewall_policy_rule').filter(([d]) => d === 'INGRESS').map(([, a, , m]) => [a, m]);
    expect(ingress).toEqual([
      ['deny', { dest_ip_ranges: ['10.0.0.5/32'], layer4_configs: SSH, src_ip_ranges: ['0.0.0.0/0'] }],
      ['deny', { dest_ip_ranges: ['2600:1900:4000::5/128'], layer4_configs: SSH, src_ip_ranges: ['::/0'] }],
    ]);
  });

  test('GIVEN an IPv4-only VM in a folder WHEN a DenyFlow from anywhere names it THEN its hierarchical and network rules are exactly the IPv4 ones', () => {
    // GIVEN
    const { app, stack, web } = estate({});
    web.allowFrom(Peer.anyIpv6(), Port.SSH);
    web.allowFrom(Peer.anyIpv4(), Port.SSH);
    new DenyFlow(stack, 'NoSshToWeb', { to: web, ports: [Port.SSH] });
    // WHEN
    const out = synthApp(app).gcp;
    // THEN
    expect(rules(out, 'google_compute_firewall_policy_rule')).toEqual([
      ['INGRESS', 'deny', 2168, { dest_ip_ranges: ['10.0.0.5/32'], layer4_configs: SSH, src_ip_ranges: ['0.0.0.0/0'] }],
    ]);
    expect(rules(out, 'google_compute_network_firewall_policy_rule')).toEqual([
      ['INGRESS', 'allow', 55221, { layer4_configs: SSH, src_ip_ranges: ['0.0.0.0/0'] }],
      ['INGRESS', 'allow', 28194, { layer4_configs: SSH, src_ip_ranges: ['::/0'] }],
    ]);
  });

  test('GIVEN a dual-stack VM and no folder or organization WHEN a DenyFlow from anywhere names it THEN the network policy denies both families at its secure tag', () => {
    // GIVEN
    const { app, stack, web, web1 } = estate(DUAL_STACK, {});
    web.allowFrom(Peer.anyIpv6(), Port.SSH);
    web.allowFrom(Peer.anyIpv4(), Port.SSH);
    new DenyFlow(stack, 'NoSshToWeb', { to: web, ports: [Port.SSH] });
    // WHEN
    const out = synthApp(app).gcp;
    // THEN
    expect(resourcesOf(out, 'google_compute_firewall_policy_rule')).toEqual({});
    expect(rules(out, 'google_compute_network_firewall_policy_rule')).toEqual([
      ['INGRESS', 'allow', 55221, { layer4_configs: SSH, src_ip_ranges: ['0.0.0.0/0'] }],
      ['INGRESS', 'allow', 28194, { layer4_configs: SSH, src_ip_ranges: ['::/0'] }],
      ['INGRESS', 'deny', 2168, { layer4_configs: SSH, src_ip_ranges: ['0.0.0.0/0'] }],
      ['INGRESS', 'deny', 2637, { layer4_configs: SSH, src_ip_ranges: ['::/0'] }],
    ]);
    const tagged = Object.values<any>(resourcesOf(out, 'google_compute_network_firewall_policy_rule')).filter((r) => r.action === 'deny' && r.direction === 'INGRESS' && r.priority < 3000);
    for (const rule of tagged) expect(rule.target_secure_tags).toHaveLength(1);
    expect(app).toDenyFlow('203.0.113.1', web1, Port.SSH);
  });
});
