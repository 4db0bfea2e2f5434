import { DenyFlow, GuardrailAllow, Peer, Port, Segment } from '../../lib';
import { evaluate, loadTerraformStacks } from '../../lib/verify';
import { errorOf, newApp, synthApp } from '../helpers';
import { gcpEstate, vmWorkload } from './gcp-fixtures';

/** The resources of one type in a synthesized stack, by name. */
function resources(stack: { json: any }, type: string): Record<string, any> {
  return stack.json.resource?.[type] ?? {};
}

function rules(stack: { json: any }): any[] {
  return Object.values(resources(stack, 'google_compute_network_firewall_policy_rule'));
}

function threeTier() {
  const app = newApp();
  const { stack, network, enforcement } = gcpEstate(app, 'gcp');
  const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
  const app1 = new Segment(stack, 'App', { selector: { tier: 'app' } });
  const db = new Segment(stack, 'Db', { selector: { tier: 'db' } });
  vmWorkload(stack, 'web');
  vmWorkload(stack, 'app');
  vmWorkload(stack, 'db');
  return { app, stack, network, enforcement, web, app1, db };
}

/** The tag value reference of a segment: `${google_tags_tag_value.<name>.id}` (`tagValues/<id>`). */
function tagValueOf(stack: { json: any }, segmentPath: string): string {
  const values = resources(stack, 'google_tags_tag_value');
  const name = Object.keys(values).find((n) => values[n].description === `Members of segment ${segmentPath}`);
  if (!name) throw new Error(`no tag value for ${segmentPath}`);
  return `\${google_tags_tag_value.${name}.id}`;
}

describe('Google Cloud network firewall policy rendering', () => {
  test('GIVEN a network WHEN synthesized THEN it gets a policy, its association, the enforcement order and a default deny both ways for managed workloads', () => {
    // GIVEN
    const { app } = threeTier();
    // WHEN
    const out = synthApp(app).gcp;
    // THEN
    const network = Object.values(resources(out, 'google_compute_network'))[0];
    expect(network.network_firewall_policy_enforcement_order).toBe('BEFORE_CLASSIC_FIREWALL');
    const [policyName, policy] = Object.entries(resources(out, 'google_compute_network_firewall_policy'))[0];
    expect(policy.project).toBe('shop-prod');
    const association = Object.values(resources(out, 'google_compute_network_firewall_policy_association'))[0];
    expect(association.firewall_policy).toBe(`\${google_compute_network_firewall_policy.${policyName}.name}`);
    expect(association.attachment_target).toMatch(/^\$\{google_compute_network\.[^.]+\.id\}$/);
    const denies = rules(out).filter((r) => r.action === 'deny');
    expect(denies.map((r) => [r.direction, r.priority, r.match.src_ip_ranges ?? r.match.dest_ip_ranges]).sort()).toEqual([
      ['EGRESS', 65001, ['0.0.0.0/0']], ['EGRESS', 65003, ['::/0']], ['INGRESS', 65000, ['0.0.0.0/0']], ['INGRESS', 65002, ['::/0']],
    ]);
    for (const deny of denies) expect(deny.match.layer4_configs).toEqual([{ ip_protocol: 'all' }]);
    // every managed workload carries the managed tag the default deny targets
    const keys = resources(out, 'google_tags_tag_key');
    const managedKey = Object.keys(keys).find((k) => keys[k].short_name.startsWith('microseg-managed-'))!;
    expect(keys[managedKey]).toMatchObject({ purpose: 'GCE_FIREWALL', purpose_data: { network: 'shop-prod/${google_compute_network.Vpc.name}' }, parent: 'projects/shop-prod' });
    const managedValue = Object.entries(resources(out, 'google_tags_tag_value')).find(([, v]) => v.parent === `\${google_tags_tag_key.${managedKey}.id}`)![0];
    for (const deny of denies) expect(deny.target_secure_tags).toEqual([{ name: `\${google_tags_tag_value.${managedValue}.id}` }]);
    for (const instance of Object.values(resources(out, 'google_compute_instance'))) {
      expect(instance.params.resource_manager_tags[`\${google_tags_tag_key.${managedKey}.id}`]).toBe(`\${google_tags_tag_value.${managedValue}.id}`);
    }
  });

  test('GIVEN segment-to-segment flows WHEN synthesized THEN ingress names the source by secure tag and egress names the destination by address', () => {
    // GIVEN
    const { app, web, app1, db } = threeTier();
    app1.allowFrom(web, Port.tcp(8080), Port.tcpRange(9000, 9100));
    db.allowFrom(app1, Port.POSTGRES);
    // WHEN
    const out = synthApp(app).gcp;
    // THEN
    const ingress = rules(out).filter((r) => r.direction === 'INGRESS' && r.action === 'allow');
    const egress = rules(out).filter((r) => r.direction === 'EGRESS' && r.action === 'allow');
    const intoApp = ingress.find((r) => r.target_secure_tags[0].name === tagValueOf(out, 'gcp/App'))!;
    expect(intoApp.match).toEqual({
      layer4_configs: [{ ip_protocol: 'tcp', ports: ['8080', '9000-9100'] }],
      src_secure_tags: [{ name: tagValueOf(out, 'gcp/Web') }],
    });
    const fromWeb = egress.find((r) => r.target_secure_tags[0].name === tagValueOf(out, 'gcp/Web'))!;
    expect(fromWeb.match).toEqual({
      layer4_configs: [{ ip_protocol: 'tcp', ports: ['8080', '9000-9100'] }],
      dest_ip_ranges: ['${google_compute_instance.app-vm.network_interface[0].network_ip}/32'],
    });
    const intoDb = ingress.find((r) => r.target_secure_tags[0].name === tagValueOf(out, 'gcp/Db'))!;
    expect(intoDb.match.layer4_configs).toEqual([{ ip_protocol: 'tcp', ports: ['5432'] }]);
    // application rules sit in the application band, ahead of the default deny
    for (const rule of [...ingress, ...egress]) {
      expect(rule.priority).toBeGreaterThanOrEqual(10000);
      expect(rule.priority).toBeLessThan(65000);
    }
    expect(new Set(rules(out).map((r) => r.priority)).size).toBe(rules(out).length);
  });

  test('GIVEN CIDR peers, UDP, ICMP and all traffic WHEN synthesized THEN the rules carry ranges and layer4 configs', () => {
    // GIVEN
    const { app, web, db } = threeTier();
    web.allowFrom(Peer.ipv4('203.0.113.0/24'), Port.HTTPS, Port.icmp());
    web.allowTo(Peer.ipv6('2001:db8::/64'), Port.udp(53));
    db.allowFrom(Peer.ipv4('198.51.100.0/24'), Port.allTraffic());
    // WHEN
    const out = synthApp(app).gcp;
    // THEN
    const allows = rules(out).filter((r) => r.action === 'allow');
    expect(allows.find((r) => r.match.src_ip_ranges?.[0] === '203.0.113.0/24')).toMatchObject({
      direction: 'INGRESS', match: { layer4_configs: [{ ip_protocol: 'tcp', ports: ['443'] }, { ip_protocol: 'icmp' }] },
    });
    expect(allows.find((r) => r.match.dest_ip_ranges?.[0] === '2001:db8::/64')).toMatchObject({
      direction: 'EGRESS', match: { layer4_configs: [{ ip_protocol: 'udp', ports: ['53'] }] },
    });
    expect(allows.find((r) => r.match.src_ip_ranges?.[0] === '198.51.100.0/24')).toMatchObject({
      direction: 'INGRESS', match: { layer4_configs: [{ ip_protocol: 'all' }] },
    });
  });

  test('GIVEN ICMP of both families towards address ranges WHEN synthesized THEN each family\'s rule carries its own ICMP only', () => {
    const { app, web } = threeTier();
    web.allowTo(Peer.ipv6('2001:db8::/64'), Port.tcp(443), Port.icmp(), Port.icmpv6());
    web.allowTo(Peer.ipv4('203.0.113.0/24'), Port.tcp(443), Port.icmp(), Port.icmpv6());
    const allows = rules(synthApp(app).gcp).filter((r) => r.action === 'allow' && r.direction === 'EGRESS');
    expect(allows.find((r) => r.match.dest_ip_ranges?.[0] === '2001:db8::/64').match.layer4_configs).toEqual([{ ip_protocol: 'tcp', ports: ['443'] }, { ip_protocol: '58' }]);
    expect(allows.find((r) => r.match.dest_ip_ranges?.[0] === '203.0.113.0/24').match.layer4_configs).toEqual([{ ip_protocol: 'tcp', ports: ['443'] }, { ip_protocol: 'icmp' }]);
  });

  test('GIVEN only ICMPv4 towards IPv6 addresses WHEN synthesized THEN the flow is refused: no rule of it could match a packet', () => {
    const { app, web } = threeTier();
    web.allowFrom(Peer.anyIpv6(), Port.icmp());
    expect(errorOf(() => synthApp(app))).toContain("AllowFlow 'gcp/Web/AllowFrom-ipv6-::_0-icmp--1--1' allows only icmp/-1/-1, but its firewall policy rules would name IPv6 addresses only, which no ICMPv4 packet comes from or goes to. Use Port.icmpv6(), or name the IPv4 addresses (Peer.ipv4()).");
  });

  test('GIVEN a DenyFlow of ICMPv6 only between segments of IPv4 VMs WHEN synthesized THEN it is no error: the ingress rule names the secure tag, and no egress rule is needed where no packet can match', () => {
    const { app, stack, web, db } = threeTier();
    db.allowFrom(web, Port.tcp(5432));
    new DenyFlow(stack, 'NoPingV6', { from: web, to: db, ports: [Port.icmpv6()] });
    const denies = rules(synthApp(app).gcp).filter((r) => r.action === 'deny' && r.priority < 3000);
    expect(denies.map((r) => [r.direction, r.match.layer4_configs])).toEqual([['INGRESS', [{ ip_protocol: '58' }]]]);
  });

  test('GIVEN a DenyFlow and a GuardrailAllow WHEN synthesized THEN they are deny and allow rules in bands ahead of the application rules', () => {
    // GIVEN
    const { app, stack, web, db } = threeTier();
    db.allowFrom(web, Port.POSTGRES);
    new DenyFlow(stack, 'NoWebToDb', { from: web, to: db, ports: [Port.allTcp()] });
    new GuardrailAllow(stack, 'Backup', { from: Peer.ipv4('10.99.0.0/24'), to: db, ports: [Port.tcp(5432)] });
    // WHEN
    const out = synthApp(app).gcp;
    // THEN
    const guardDeny = rules(out).filter((r) => r.action === 'deny' && r.priority < 65000);
    expect(guardDeny.map((r) => r.direction).sort()).toEqual(['EGRESS', 'INGRESS']);
    for (const rule of guardDeny) {
      expect(rule.priority).toBeGreaterThanOrEqual(2000);
      expect(rule.priority).toBeLessThanOrEqual(2999);
      expect(rule.match.layer4_configs).toEqual([{ ip_protocol: 'tcp' }]);
    }
    const grant = rules(out).find((r) => r.match.src_ip_ranges?.[0] === '10.99.0.0/24')!;
    expect(grant).toMatchObject({ action: 'allow', direction: 'INGRESS', target_secure_tags: [{ name: tagValueOf(out, 'gcp/Db') }] });
    expect(grant.priority).toBeGreaterThanOrEqual(1000);
    expect(grant.priority).toBeLessThanOrEqual(1999);
  });
});

describe('Google Cloud reachability through the evaluator', () => {
  function verdicts(app: ReturnType<typeof newApp>) {
    const out = synthApp(app);
    const model = loadTerraformStacks(Object.fromEntries(Object.entries(out).map(([name, stack]) => [name, stack.json])));
    return (from: string, to: string, port: string) => evaluate(model, { from, to, port });
  }

  test('GIVEN a three-tier estate WHEN flows are declared THEN declared flows pass and everything else is denied both ways', () => {
    // GIVEN
    const { app, web, app1, db } = threeTier();
    web.allowFrom(Peer.ipv4('203.0.113.0/24'), Port.HTTPS);
    app1.allowFrom(web, Port.tcp(8080));
    db.allowFrom(app1, Port.POSTGRES);
    // WHEN
    const check = verdicts(app);
    // THEN
    expect(check('203.0.113.7', 'gcp/WebVm', 'tcp/443').allowed).toBe(true);
    expect(check('gcp/WebVm', 'gcp/AppVm', 'tcp/8080').allowed).toBe(true);
    expect(check('gcp/AppVm', 'gcp/DbVm', 'tcp/5432').allowed).toBe(true);
    expect(check('gcp/WebVm', 'gcp/DbVm', 'tcp/5432').allowed).toBe(false);
    expect(check('gcp/WebVm', 'gcp/AppVm', 'tcp/8081').allowed).toBe(false);
    expect(check('gcp/AppVm', 'gcp/WebVm', 'tcp/8080').allowed).toBe(false);
    expect(check('198.51.100.1', 'gcp/WebVm', 'tcp/443').allowed).toBe(false);
    expect(check('gcp/WebVm', '198.51.100.1', 'tcp/443').allowed).toBe(false);
  });

  test('GIVEN a DenyFlow and a GuardrailAllow WHEN an application flow overlaps THEN the deny wins and the grant passes', () => {
    // GIVEN
    const { app, stack, web, db } = threeTier();
    db.allowFrom(web, Port.POSTGRES);
    new DenyFlow(stack, 'NoWebToDb', { from: web, to: db, ports: [Port.allTcp()] });
    new GuardrailAllow(stack, 'Backup', { from: Peer.ipv4('10.99.0.0/24'), to: db, ports: [Port.tcp(5432)] });
    // WHEN
    const check = verdicts(app);
    // THEN
    expect(check('gcp/WebVm', 'gcp/DbVm', 'tcp/5432').allowed).toBe(false);
    expect(check('10.99.0.5', 'gcp/DbVm', 'tcp/5432').allowed).toBe(true);
    expect(check('10.99.0.5', 'gcp/DbVm', 'tcp/22').allowed).toBe(false);
  });
});
