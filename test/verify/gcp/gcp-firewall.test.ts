import { GcpEstate, ref } from './gcp-estate';
import { shopEstate } from './shop-estate';
import { evaluate } from '../../../lib/verify/evaluate';
import { LayerVerdict } from '../../../lib/verify/layers/layer-verdict';
import { Verdict } from '../../../lib/verify/verdict';

const VPC = 'vpc';

function point(verdict: Verdict, direction: 'ingress' | 'egress'): LayerVerdict {
  const found = verdict.layers.find((layer) => layer.layer === 'gcp-firewall' && layer.point.startsWith(`${direction} of`));
  if (!found) throw new Error(`no ${direction} point in ${verdict.layers.map((layer) => layer.point).join('; ')}`);
  return found;
}

function deciding(layer: LayerVerdict): string[] {
  return layer.decidingRules.map((rule) => rule.address);
}

describe('Google Cloud firewalls: network firewall policy rules', () => {
  const model = shopEstate('BEFORE_CLASSIC_FIREWALL').estate.model();

  test('ingress by secure tag: the app tier reaches the db tier on 5432; the web tier does not', () => {
    // GIVEN db_from_app allows tcp/5432 from the app secure tag to the db secure tag
    // WHEN app1 and web1 connect to db1
    const allowed = evaluate(model, { from: 'google_compute_instance.app1', to: 'google_compute_instance.db1', port: 'tcp/5432' });
    const denied = evaluate(model, { from: 'google_compute_instance.web1', to: 'google_compute_instance.db1', port: 'tcp/5432' });
    // THEN app1 passes both points by the rules that name its tags, web1 is stopped at both
    expect(allowed.allowed).toBe(true);
    expect(deciding(point(allowed, 'egress'))).toEqual(['google_compute_network_firewall_policy_rule.app_to_db']);
    expect(deciding(point(allowed, 'ingress'))).toEqual(['google_compute_network_firewall_policy_rule.db_from_app']);
    expect(point(allowed, 'ingress').decidingRules[0].flows).toEqual(['shop/Db/AllowFromApp']);
    expect(point(allowed, 'ingress').reason).toContain('global network firewall policy google_compute_network_firewall_policy.shop');
    expect(point(allowed, 'ingress').reason).toContain('priority 1010 allow ingress tcp/5432');
    expect(denied.denied).toBe(true);
    expect(deciding(point(denied, 'ingress'))).toEqual(['google_compute_network_firewall_policy_rule.ingress_deny']);
    expect(deciding(point(denied, 'egress'))).toEqual(['google_compute_network_firewall_policy_rule.egress_deny']);
  });

  test('ingress by CIDR: anyone reaches the web tier on 443, not on 80', () => {
    const https = evaluate(model, { from: '198.51.100.7', to: 'google_compute_instance.web1', port: 'tcp/443' });
    expect(https.allowed).toBe(true);
    expect(deciding(point(https, 'ingress'))).toEqual(['google_compute_network_firewall_policy_rule.web_https']);
    const http = evaluate(model, { from: '198.51.100.7', to: 'google_compute_instance.web1', port: 'tcp/80' });
    expect(http.denied).toBe(true);
    expect(deciding(point(http, 'ingress'))).toEqual(['google_compute_network_firewall_policy_rule.ingress_deny']);
    expect(point(http, 'ingress').reason).toContain('priority 65001 deny ingress');
  });

  test('egress to addresses: the app tier may send 5432 into the db subnetwork only', () => {
    const inside = evaluate(model, { from: 'google_compute_instance.app1', to: '10.0.3.77', port: 'tcp/5432' });
    expect(inside.allowed).toBe(true);
    expect(deciding(point(inside, 'egress'))).toEqual(['google_compute_network_firewall_policy_rule.app_to_db']);
    const outside = evaluate(model, { from: 'google_compute_instance.app1', to: '10.0.4.5', port: 'tcp/5432' });
    expect(outside.denied).toBe(true);
    expect(deciding(point(outside, 'egress'))).toEqual(['google_compute_network_firewall_policy_rule.egress_deny']);
  });

  test('ICMP: echo from 10.0.0.0/8 reaches the db tier; UDP from there does not, nor ICMP from outside', () => {
    const echo = evaluate(model, { from: '10.9.9.9', to: 'google_compute_instance.db1', port: 'icmp/8' });
    expect(echo.allowed).toBe(true);
    expect(deciding(point(echo, 'ingress'))).toEqual(['google_compute_network_firewall_policy_rule.db_icmp']);
    expect(evaluate(model, { from: '10.9.9.9', to: 'google_compute_instance.db1', port: 'udp/53' }).denied).toBe(true);
    expect(evaluate(model, { from: '198.51.100.7', to: 'google_compute_instance.db1', port: 'icmp/8' }).denied).toBe(true);
  });

  test('all protocols: the web tier may send anything to the partner range, nothing elsewhere', () => {
    for (const port of ['udp/9999', 'tcp/25', 'icmp/8', 'all']) {
      const verdict = evaluate(model, { from: 'google_compute_instance.web1', to: '203.0.113.9', port });
      expect(verdict.allowed).toBe(true);
      expect(deciding(point(verdict, 'egress'))).toEqual(['google_compute_network_firewall_policy_rule.web_to_partner']);
    }
    expect(evaluate(model, { from: 'google_compute_instance.web1', to: '198.51.100.1', port: 'udp/9999' }).denied).toBe(true);
  });

  test('port ranges: 8000-8100 from web to app is allowed inside the range, denied above it', () => {
    const inRange = evaluate(model, { from: 'google_compute_instance.web1', to: 'google_compute_instance.app1', port: 'tcp/8050' });
    expect(inRange.allowed).toBe(true);
    expect(deciding(point(inRange, 'ingress'))).toEqual(['google_compute_network_firewall_policy_rule.app_from_web']);
    const above = evaluate(model, { from: 'google_compute_instance.web1', to: 'google_compute_instance.app1', port: 'tcp/8101' });
    expect(above.denied).toBe(true);
    expect(deciding(point(above, 'ingress'))).toEqual(['google_compute_network_firewall_policy_rule.ingress_deny']);
  });

  test('a disabled rule does not apply: SSH to the db tier meets the ingress deny', () => {
    const ssh = evaluate(model, { from: '198.51.100.7', to: 'google_compute_instance.db1', port: 'tcp/22' });
    expect(ssh.denied).toBe(true);
    expect(deciding(point(ssh, 'ingress'))).toEqual(['google_compute_network_firewall_policy_rule.ingress_deny']);
  });

  test('src_ip_ranges and src_secure_tags combine with OR', () => {
    const { estate, tags } = shopEstate('BEFORE_CLASSIC_FIREWALL');
    estate.rule('shop', 'app_7000', { priority: 1100, action: 'allow', l4: [{ protocol: 'tcp', ports: ['7000'] }], srcRanges: ['192.0.2.0/24'], srcTags: [tags.web], targetTags: [tags.app] });
    const either = estate.model();
    const byRange = evaluate(either, { from: '192.0.2.5', to: 'google_compute_instance.app1', port: 'tcp/7000' });
    expect(deciding(point(byRange, 'ingress'))).toEqual(['google_compute_network_firewall_policy_rule.app_7000']);
    expect(byRange.allowed).toBe(true);
    const byTag = evaluate(either, { from: 'google_compute_instance.web1', to: 'google_compute_instance.app1', port: 'tcp/7000' });
    expect(point(byTag, 'ingress')).toMatchObject({ status: 'allowed' });
    expect(deciding(point(byTag, 'ingress'))).toEqual(['google_compute_network_firewall_policy_rule.app_7000']);
    expect(point(evaluate(either, { from: '198.51.100.5', to: 'google_compute_instance.app1', port: 'tcp/7000' }), 'ingress').status).toBe('denied');
  });

  test('a source secure tag matches only VMs in the tag key\'s network', () => {
    // GIVEN a VM of another network that carries the web tag value (its key is scoped to vpc)
    const { estate, tags } = shopEstate('BEFORE_CLASSIC_FIREWALL');
    estate.network('other');
    estate.subnet('elsewhere', 'other', '10.0.1.0/24');
    estate.instance('stray', { subnet: 'elsewhere', ip: '10.0.1.99', tags: [tags.web] });
    const verdict = evaluate(estate.model(), { from: 'google_compute_instance.stray', to: 'google_compute_instance.app1', port: 'tcp/8080' });
    // THEN the app tier's ingress does not take it for a web VM
    expect(point(verdict, 'ingress').status).toBe('denied');
    expect(deciding(point(verdict, 'ingress'))).toEqual(['google_compute_network_firewall_policy_rule.ingress_deny']);
    // and its own egress meets no rule of its network: the implied rule allows it
    expect(deciding(point(verdict, 'egress'))).toEqual(['google_compute_network.other implied rule allow egress']);
  });

  test('sources the JSON cannot resolve (FQDNs, address groups) count for deny rules, never for allow rules', () => {
    const { estate, tags } = shopEstate('BEFORE_CLASSIC_FIREWALL');
    estate.rule('shop', 'deny_fqdn', { priority: 10, action: 'deny', l4: [{ protocol: 'tcp', ports: ['443'] }], extraMatch: { src_fqdns: ['bad.example.com'] }, targetTags: [tags.web] });
    estate.rule('shop', 'allow_group', { priority: 20, action: 'allow', l4: [{ protocol: 'tcp', ports: ['9443'] }], extraMatch: { src_address_groups: ['projects/shop/locations/global/addressGroups/partners'] }, targetTags: [tags.web] });
    const verdictModel = estate.model();
    const https = evaluate(verdictModel, { from: '198.51.100.7', to: 'google_compute_instance.web1', port: 'tcp/443' });
    expect(https.denied).toBe(true);
    expect(deciding(point(https, 'ingress'))).toEqual(['google_compute_network_firewall_policy_rule.deny_fqdn']);
    expect(point(https, 'ingress').decidingRules[0].summary).toContain('src_fqdns=bad.example.com (not evaluated)');
    const partner = evaluate(verdictModel, { from: '198.51.100.7', to: 'google_compute_instance.web1', port: 'tcp/9443' });
    expect(deciding(point(partner, 'ingress'))).toEqual(['google_compute_network_firewall_policy_rule.ingress_deny']);
  });

  test('an action the evaluator does not model makes the point unknown, never allowed', () => {
    const { estate, tags } = shopEstate('BEFORE_CLASSIC_FIREWALL');
    estate.rule('shop', 'inspect', { priority: 5, action: 'apply_security_profile_group', l4: [{ protocol: 'tcp', ports: ['443'] }], srcRanges: ['0.0.0.0/0'], targetTags: [tags.web] });
    const verdict = evaluate(estate.model(), { from: '198.51.100.7', to: 'google_compute_instance.web1', port: 'tcp/443' });
    expect(verdict.allowed).toBe(false);
    expect(point(verdict, 'ingress').status).toBe('unknown');
    expect(point(verdict, 'ingress').reason).toContain('a rule whose action the evaluator does not model (google_compute_network_firewall_policy_rule.inspect) decides tcp/443: not evaluated');
  });
});

describe('Google Cloud firewalls: hierarchical policies and goto_next', () => {
  function withHierarchy(): GcpEstate {
    const { estate, tags } = shopEstate('BEFORE_CLASSIC_FIREWALL');
    estate.hierarchicalPolicy('org', 'organizations/1234');
    estate.hierarchicalPolicy('team', 'folders/5678');
    const hierarchical = 'google_compute_firewall_policy_rule';
    // SSH: from inside the company, let the network policy decide; from anywhere else, deny
    estate.rule('org', 'org_ssh_internal', { priority: 100, action: 'goto_next', l4: [{ protocol: 'tcp', ports: ['22'] }], srcRanges: ['10.0.0.0/8'] }, hierarchical);
    estate.rule('org', 'org_ssh_deny', { priority: 200, action: 'deny', l4: [{ protocol: 'tcp', ports: ['22'] }], srcRanges: ['0.0.0.0/0'] }, hierarchical);
    // monitoring: the organization allows it before the folder's deny and before the network policy
    estate.rule('org', 'org_monitoring', { priority: 300, action: 'allow', l4: [{ protocol: 'tcp', ports: ['9100'] }], srcRanges: ['0.0.0.0/0'] }, hierarchical);
    estate.rule('team', 'team_monitoring_deny', { priority: 1, action: 'deny', l4: [{ protocol: 'tcp', ports: ['9100', '6379'] }], srcRanges: ['0.0.0.0/0'] }, hierarchical);
    estate.rule('shop', 'db_ssh_internal', { priority: 1050, action: 'allow', l4: [{ protocol: 'tcp', ports: ['22'] }], srcRanges: ['10.0.0.0/8'], targetTags: [tags.db] });
    estate.rule('shop', 'app_redis', { priority: 1060, action: 'allow', l4: [{ protocol: 'tcp', ports: ['6379'] }], srcRanges: ['0.0.0.0/0'], targetTags: [tags.app] });
    return estate;
  }
  const model = withHierarchy().model();

  test('goto_next hands the connection to the network policy, which allows it', () => {
    const verdict = evaluate(model, { from: '10.1.1.1', to: 'google_compute_instance.db1', port: 'tcp/22' });
    expect(verdict.allowed).toBe(true);
    expect(deciding(point(verdict, 'ingress'))).toEqual([
      'google_compute_firewall_policy_rule.org_ssh_internal',
      'google_compute_network_firewall_policy_rule.db_ssh_internal',
    ]);
    expect(point(verdict, 'ingress').decidingRules[0].summary).toContain('hierarchical firewall policy google_compute_firewall_policy.org (organizations/1234): priority 100 goto_next');
  });

  test('a hierarchical deny ends the evaluation before any network policy rule', () => {
    const verdict = evaluate(model, { from: '198.51.100.7', to: 'google_compute_instance.db1', port: 'tcp/22' });
    expect(verdict.denied).toBe(true);
    expect(deciding(point(verdict, 'ingress'))).toEqual(['google_compute_firewall_policy_rule.org_ssh_deny']);
    // the folder's deny beats the network policy's allow
    const redis = evaluate(model, { from: '198.51.100.7', to: 'google_compute_instance.app1', port: 'tcp/6379' });
    expect(redis.denied).toBe(true);
    expect(deciding(point(redis, 'ingress'))).toEqual(['google_compute_firewall_policy_rule.team_monitoring_deny']);
  });

  test('a hierarchical allow ends it too, and the organization comes before the folder', () => {
    const verdict = evaluate(model, { from: '198.51.100.7', to: 'google_compute_instance.app1', port: 'tcp/9100' });
    expect(verdict.allowed).toBe(true);
    expect(deciding(point(verdict, 'ingress'))).toEqual(['google_compute_firewall_policy_rule.org_monitoring']);
  });
});

describe('Google Cloud firewalls: the classic VPC firewall rule trap', () => {
  function withDefaultAllowInternal(order?: string) {
    const { estate } = shopEstate(order);
    estate.add('google_compute_firewall', 'default_allow_internal', {
      name: 'default-allow-internal',
      network: ref('google_compute_network', VPC, 'name'),
      direction: 'INGRESS',
      priority: 65534,
      source_ranges: ['10.0.0.0/8'],
      allow: [{ protocol: 'tcp' }, { protocol: 'udp' }, { protocol: 'icmp' }],
    });
    return estate.model();
  }

  test.each([['AFTER_CLASSIC_FIREWALL', 'configured'], [undefined, 'default']])(
    'with order %s the classic allow opens what the network policy closes', (order, source) => {
      // GIVEN a classic rule like default-allow-internal and a network policy that denies web -> db
      const verdict = evaluate(withDefaultAllowInternal(order), { from: 'google_compute_instance.web1', to: 'google_compute_instance.db1', port: 'tcp/5432' });
      // THEN the ingress of db1 is allowed, by the classic rule
      const ingress = point(verdict, 'ingress');
      expect(ingress.status).toBe('allowed');
      expect(deciding(ingress)).toEqual(['google_compute_firewall.default_allow_internal']);
      expect(ingress.reason).toContain(`VPC firewall rules before network firewall policies (AFTER_CLASSIC_FIREWALL, ${source})`);
      expect(ingress.decidingRules[0].summary).toContain('VPC firewall rules of google_compute_network.vpc: priority 65534 allow ingress');
    });

  test('with BEFORE_CLASSIC_FIREWALL the network policy\'s deny comes first', () => {
    const verdict = evaluate(withDefaultAllowInternal('BEFORE_CLASSIC_FIREWALL'), { from: 'google_compute_instance.web1', to: 'google_compute_instance.db1', port: 'tcp/5432' });
    const ingress = point(verdict, 'ingress');
    expect(ingress.status).toBe('denied');
    expect(deciding(ingress)).toEqual(['google_compute_network_firewall_policy_rule.ingress_deny']);
    expect(ingress.reason).toContain('network firewall policies before VPC firewall rules (BEFORE_CLASSIC_FIREWALL, configured)');
    // the classic rule still lets what no policy rule decides through: there is none here, so it never decides
    expect(deciding(point(evaluate(withDefaultAllowInternal('BEFORE_CLASSIC_FIREWALL'),
      { from: 'google_compute_instance.app1', to: 'google_compute_instance.db1', port: 'tcp/5432' }), 'ingress')))
      .toEqual(['google_compute_network_firewall_policy_rule.db_from_app']);
  });

  test('classic rules: a deny wins over an allow of equal priority; a disabled one does not apply; target tags select VMs', () => {
    const estate = new GcpEstate();
    estate.network(VPC);
    estate.subnet('s', VPC, '10.5.0.0/24');
    estate.instance('tagged', { subnet: 's', ip: '10.5.0.5', networkTags: ['db'] });
    estate.instance('plain', { subnet: 's', ip: '10.5.0.6' });
    const network = ref('google_compute_network', VPC);
    estate.add('google_compute_firewall', 'allow_pg', { name: 'allow-pg', network, source_ranges: ['10.0.0.0/8'], allow: [{ protocol: 'tcp', ports: ['5432'] }] });
    estate.add('google_compute_firewall', 'deny_pg', { name: 'deny-pg', network, source_ranges: ['10.9.0.0/16'], deny: [{ protocol: 'tcp', ports: ['5432'] }] });
    estate.add('google_compute_firewall', 'ssh_disabled', { name: 'ssh', network, source_ranges: ['0.0.0.0/0'], allow: [{ protocol: 'tcp', ports: ['22'] }], disabled: true });
    estate.add('google_compute_firewall', 'db_only', { name: 'db-only', network, source_tags: ['web'], target_tags: ['db'], allow: [{ protocol: 'tcp', ports: ['6000-6010'] }] });
    estate.instance('web', { subnet: 's', ip: '10.5.0.7', networkTags: ['web'] });
    const model = estate.model();
    expect(deciding(point(evaluate(model, { from: '10.9.1.1', to: 'google_compute_instance.plain', port: 'tcp/5432' }), 'ingress'))).toEqual(['google_compute_firewall.deny_pg']);
    expect(evaluate(model, { from: '10.8.1.1', to: 'google_compute_instance.plain', port: 'tcp/5432' }).allowed).toBe(true);
    const ssh = point(evaluate(model, { from: '10.8.1.1', to: 'google_compute_instance.plain', port: 'tcp/22' }), 'ingress');
    expect(ssh.status).toBe('denied');
    expect(deciding(ssh)).toEqual(['google_compute_network.vpc implied rule deny ingress']);
    expect(evaluate(model, { from: 'google_compute_instance.web', to: 'google_compute_instance.tagged', port: 'tcp/6005' }).allowed).toBe(true);
    expect(evaluate(model, { from: 'google_compute_instance.web', to: 'google_compute_instance.plain', port: 'tcp/6005' }).denied).toBe(true);
    expect(evaluate(model, { from: 'google_compute_instance.plain', to: 'google_compute_instance.tagged', port: 'tcp/6005' }).denied).toBe(true);
  });
});

describe('Google Cloud firewalls: implied rules', () => {
  test('without any rule, egress is allowed and ingress denied, each by its implied rule', () => {
    const estate = new GcpEstate();
    estate.network(VPC);
    estate.subnet('s', VPC, '10.5.0.0/24');
    estate.instance('vm', { subnet: 's', ip: '10.5.0.5' });
    const model = estate.model();
    const out = evaluate(model, { from: 'google_compute_instance.vm', to: '198.51.100.1', port: 'tcp/443' });
    expect(out.allowed).toBe(true);
    expect(point(out, 'egress').decidingRules[0]).toMatchObject({
      address: 'google_compute_network.vpc implied rule allow egress', summary: 'implied rule, priority 65535: allow every outgoing connection',
    });
    const into = evaluate(model, { from: '198.51.100.1', to: 'google_compute_instance.vm', port: 'tcp/443' });
    expect(into.denied).toBe(true);
    expect(point(into, 'ingress').decidingRules[0].address).toBe('google_compute_network.vpc implied rule deny ingress');
    expect(point(into, 'ingress').reason).toContain('implied rule, priority 65535: deny every incoming connection');
  });
});

describe('Google Cloud endpoints: instance templates, managed instance groups, location tag bindings', () => {
  function estateWithBindings() {
    const { estate, tags } = shopEstate('BEFORE_CLASSIC_FIREWALL');
    estate.add('google_compute_instance_template', 'app_template', {
      name_prefix: 'app-',
      machine_type: 'e2-small',
      network_interface: [{ subnetwork: ref('google_compute_subnetwork', 'app') }],
      resource_manager_tags: { 'tagKeys/1': tags.app },
    });
    estate.add('google_compute_instance_group_manager', 'app_mig', {
      name: 'app-mig',
      base_instance_name: 'app',
      zone: 'europe-west1-b',
      target_size: 3,
      version: [{ instance_template: ref('google_compute_instance_template', 'app_template', 'self_link_unique') }],
    });
    // an instance of the JSON tagged by a binding, and an existing instance outside it
    estate.instance('legacy', { subnet: 'db', ip: '10.0.3.50' });
    estate.add('google_tags_location_tag_binding', 'legacy_db', {
      parent: `//compute.googleapis.com/projects/shop/zones/europe-west1-b/instances/${ref('google_compute_instance', 'legacy', 'instance_id')}`,
      tag_value: tags.db,
      location: 'europe-west1-b',
    });
    estate.add('google_tags_location_tag_binding', 'existing_db', {
      parent: '//compute.googleapis.com/projects/shop/zones/europe-west1-b/instances/1234567890', tag_value: tags.db, location: 'europe-west1-b',
    });
    return estate.model();
  }
  const model = estateWithBindings();

  test('a managed instance group is a VM of its template: its secure tags, its subnetwork\'s range', () => {
    const allowed = evaluate(model, { from: 'google_compute_instance.web1', to: 'google_compute_instance_group_manager.app_mig', port: 'tcp/8080' });
    expect(allowed.allowed).toBe(true);
    expect(deciding(point(allowed, 'ingress'))).toEqual(['google_compute_network_firewall_policy_rule.app_from_web']);
    expect(allowed.paths[0].to).toBe('gcp/app_mig');
    const toDb = evaluate(model, { from: 'google_compute_instance_group_manager.app_mig', to: 'google_compute_instance.db1', port: 'tcp/5432' });
    expect(toDb.allowed).toBe(true);
    expect(evaluate(model, { from: 'google_compute_instance_group_manager.app_mig', to: 'google_compute_instance.web1', port: 'tcp/443' }).denied).toBe(true);
    // the template on its own is the same VM
    expect(evaluate(model, { from: 'google_compute_instance_template.app_template', to: 'google_compute_instance.db1', port: 'tcp/5432' }).allowed).toBe(true);
  });

  test('a location tag binding gives an instance its secure tag value', () => {
    const allowed = evaluate(model, { from: 'google_compute_instance.app1', to: 'google_compute_instance.legacy', port: 'tcp/5432' });
    expect(allowed.allowed).toBe(true);
    expect(deciding(point(allowed, 'ingress'))).toEqual(['google_compute_network_firewall_policy_rule.db_from_app']);
    expect(evaluate(model, { from: 'google_compute_instance.web1', to: 'google_compute_instance.legacy', port: 'tcp/5432' }).denied).toBe(true);
  });

  test('a binding to an instance outside the JSON stands for a VM of the tag key\'s network carrying the value', () => {
    const verdict = evaluate(model, { from: 'google_compute_instance.app1', to: 'google_tags_location_tag_binding.existing_db', port: 'tcp/5432' });
    expect(point(verdict, 'ingress')).toMatchObject({ status: 'allowed' });
    expect(deciding(point(verdict, 'ingress'))).toEqual(['google_compute_network_firewall_policy_rule.db_from_app']);
    expect(point(evaluate(model, { from: '198.51.100.7', to: 'google_tags_location_tag_binding.existing_db', port: 'tcp/5432' }), 'ingress').status).toBe('denied');
  });
});

describe('Google Cloud secure tag names', () => {
  test('a tag value is named by its id or as tagValues/<name>; its bare numeric name is not a tag value name and matches no VM', () => {
    // GIVEN db1 tagged through `tagValues/${value.name}` and a key parent written as `tagKeys/${key.name}`
    const estate = new GcpEstate();
    estate.network(VPC);
    estate.subnet('s', VPC, '10.5.0.0/24');
    estate.add('google_tags_tag_key', 'tier', { parent: 'projects/shop', short_name: 'tier', purpose: 'GCE_FIREWALL', purpose_data: { network: 'shop/vpc' } });
    estate.add('google_tags_tag_value', 'db', { parent: `tagKeys/${ref('google_tags_tag_key', 'tier', 'name')}`, short_name: 'db' });
    estate.add('google_tags_tag_value', 'app', { parent: `tagKeys/${ref('google_tags_tag_key', 'tier', 'name')}`, short_name: 'app' });
    estate.instance('db1', { subnet: 's', ip: '10.5.0.5', tags: [`tagValues/${ref('google_tags_tag_value', 'db', 'name')}`] });
    estate.instance('app1', { subnet: 's', ip: '10.5.0.6', tags: [ref('google_tags_tag_value', 'app')] });
    estate.networkPolicy('p', VPC);
    estate.rule('p', 'named_by_id', { priority: 100, action: 'allow', l4: [{ protocol: 'tcp', ports: ['5432'] }], srcTags: [ref('google_tags_tag_value', 'app')], targetTags: [ref('google_tags_tag_value', 'db')] });
    estate.rule('p', 'bare_name', { priority: 110, action: 'allow', l4: [{ protocol: 'tcp', ports: ['6432'] }], srcTags: [ref('google_tags_tag_value', 'app', 'name')], targetTags: [`tagValues/${ref('google_tags_tag_value', 'db', 'name')}`] });
    const model = estate.model();
    // WHEN app1 connects to db1
    const byId = point(evaluate(model, { from: 'google_compute_instance.app1', to: 'google_compute_instance.db1', port: 'tcp/5432' }), 'ingress');
    const byBareName = point(evaluate(model, { from: 'google_compute_instance.app1', to: 'google_compute_instance.db1', port: 'tcp/6432' }), 'ingress');
    // THEN the rule naming both values properly allows it; the one naming the source by its bare numeric id does not
    expect(byId.status).toBe('allowed');
    expect(deciding(byId)).toEqual(['google_compute_network_firewall_policy_rule.named_by_id']);
    expect(byBareName.status).toBe('denied');
    expect(deciding(byBareName)).toEqual(['google_compute_network.vpc implied rule deny ingress']);
  });
});

describe('Google Cloud firewalls: regional policies, addresses as expressions, tags given by id', () => {
  test('a regional network firewall policy runs after the global one, for VMs of its region only', () => {
    const { estate } = shopEstate('BEFORE_CLASSIC_FIREWALL');
    estate.add('google_compute_region_network_firewall_policy', 'west', { name: 'west', region: 'europe-west1' });
    estate.add('google_compute_region_network_firewall_policy_association', 'west_vpc', {
      name: 'west-vpc', region: 'europe-west1', attachment_target: ref('google_compute_network', VPC), firewall_policy: ref('google_compute_region_network_firewall_policy', 'west', 'name'),
    });
    estate.add('google_compute_region_network_firewall_policy', 'east', { name: 'east', region: 'us-east1' });
    estate.add('google_compute_region_network_firewall_policy_association', 'east_vpc', {
      name: 'east-vpc', region: 'us-east1', attachment_target: ref('google_compute_network', VPC), firewall_policy: ref('google_compute_region_network_firewall_policy', 'east', 'name'),
    });
    // the global policy's last word for untagged traffic is its deny; for an untagged VM it has none
    estate.instance('untagged', { subnet: 'app', ip: '10.0.2.99' });
    const regional = 'google_compute_region_network_firewall_policy_rule';
    estate.add(regional, 'west_ssh', {
      firewall_policy: ref('google_compute_region_network_firewall_policy', 'west', 'name'),
      region: 'europe-west1',
      priority: 10,
      action: 'allow',
      direction: 'INGRESS',
      match: { src_ip_ranges: ['10.0.0.0/8'], layer4_configs: [{ ip_protocol: 'tcp', ports: ['22'] }] },
    });
    estate.add(regional, 'east_deny', {
      firewall_policy: ref('google_compute_region_network_firewall_policy', 'east', 'name'),
      region: 'us-east1',
      priority: 1,
      action: 'deny',
      direction: 'INGRESS',
      match: { src_ip_ranges: ['0.0.0.0/0'], layer4_configs: [{ ip_protocol: 'all' }] },
    });
    const model = estate.model();
    const untagged = evaluate(model, { from: '10.9.9.9', to: 'google_compute_instance.untagged', port: 'tcp/22' });
    expect(untagged.allowed).toBe(true);
    expect(deciding(point(untagged, 'ingress'))).toEqual([`${regional}.west_ssh`]);
    expect(point(untagged, 'ingress').decidingRules[0].summary).toContain('regional network firewall policy google_compute_region_network_firewall_policy.west');
    // a tagged VM meets the global policy's deny first
    expect(deciding(point(evaluate(model, { from: '10.9.9.9', to: 'google_compute_instance.db1', port: 'tcp/22' }), 'ingress')))
      .toEqual(['google_compute_network_firewall_policy_rule.ingress_deny']);
  });

  test('an egress rule naming a VM\'s address as an expression matches that VM; an unresolved variable makes the point unknown', () => {
    const { estate, tags } = shopEstate('BEFORE_CLASSIC_FIREWALL');
    estate.instance('cache', { subnet: 'db', tags: [tags.db] });
    estate.rule('shop', 'app_to_cache', {
      priority: 2030,
      action: 'allow',
      direction: 'EGRESS',
      l4: [{ protocol: 'tcp', ports: ['6379'] }],
      destRanges: ['${google_compute_instance.cache.network_interface[0].network_ip}/32'],
      targetTags: [tags.app],
    });
    estate.rule('shop', 'app_to_var', { priority: 2040, action: 'allow', direction: 'EGRESS', l4: [{ protocol: 'tcp', ports: ['11211'] }], destRanges: ['${var.memcached}'], targetTags: [tags.app] });
    const model = estate.model();
    const cache = evaluate(model, { from: 'google_compute_instance.app1', to: 'google_compute_instance.cache', port: 'tcp/6379' });
    expect(point(cache, 'egress').status).toBe('allowed');
    expect(deciding(point(cache, 'egress'))).toEqual(['google_compute_network_firewall_policy_rule.app_to_cache']);
    expect(point(evaluate(model, { from: 'google_compute_instance.app1', to: 'google_compute_instance.db1', port: 'tcp/6379' }), 'egress').status).toBe('denied');
    const memcached = point(evaluate(model, { from: 'google_compute_instance.app1', to: 'google_compute_instance.db1', port: 'tcp/11211' }), 'egress');
    expect(memcached.status).toBe('unknown');
    expect(memcached.reason).toContain('names the address ${gcp:var.memcached}');
  });

  test('a secure tag value given by id is a named peer: rules naming that id match it, others do not', () => {
    const { estate, tags } = shopEstate('BEFORE_CLASSIC_FIREWALL');
    estate.rule('shop', 'from_partner_tag', { priority: 1200, action: 'allow', l4: [{ protocol: 'tcp', ports: ['8443'] }], srcTags: ['tagValues/777'], targetTags: [tags.app] });
    const model = estate.model();
    const named = evaluate(model, { from: 'tagValues/777', to: 'google_compute_instance.app1', port: 'tcp/8443' });
    expect(named.allowed).toBe(true);
    expect(deciding(point(named, 'ingress'))).toEqual(['google_compute_network_firewall_policy_rule.from_partner_tag']);
    expect(evaluate(model, { from: { kind: 'gcp-secure-tag', value: 'tagValues/777' }, to: 'google_compute_instance.app1', port: 'tcp/8443' }).allowed).toBe(true);
    expect(evaluate(model, { from: 'tagValues/778', to: 'google_compute_instance.app1', port: 'tcp/8443' }).denied).toBe(true);
  });
});

describe('Google Cloud secure tag purpose', () => {
  test('a tag value whose key lacks purpose GCE_FIREWALL matches no VM in a firewall rule', () => {
    const { estate } = shopEstate('BEFORE_CLASSIC_FIREWALL');
    estate.add('google_tags_tag_key', 'env', { parent: 'projects/shop', short_name: 'env' });
    const prod = estate.add('google_tags_tag_value', 'env_prod', { parent: ref('google_tags_tag_key', 'env'), short_name: 'prod' });
    estate.instance('prod1', { subnet: 'app', ip: '10.0.2.50', tags: [prod] });
    estate.rule('shop', 'to_prod', { priority: 1, action: 'allow', l4: [{ protocol: 'tcp', ports: ['22'] }], srcRanges: ['0.0.0.0/0'], targetTags: [prod] });
    const verdict = evaluate(estate.model(), { from: '198.51.100.7', to: 'google_compute_instance.prod1', port: 'tcp/22' });
    expect(verdict.denied).toBe(true);
    expect(deciding(point(verdict, 'ingress'))).toEqual(['google_compute_network.vpc implied rule deny ingress']);
  });
});

describe('Google Cloud networks outside the JSON', () => {
  test('a VM of a network the JSON does not hold is evaluated with the default order, and the verdict says what it cannot see', () => {
    const estate = new GcpEstate();
    const tags = estate.secureTags('tier', 'prod-vpc', ['db']);
    estate.add('google_compute_instance', 'db1', {
      name: 'db1',
      zone: 'europe-west1-b',
      network_interface: [{ network: 'projects/shop/global/networks/prod-vpc', network_ip: '10.0.3.10' }],
      params: { resource_manager_tags: { 'tagKeys/1': tags.db } },
    });
    estate.add('google_compute_network_firewall_policy', 'p', { name: 'p' });
    estate.add('google_compute_network_firewall_policy_association', 'p_prod', {
      name: 'p-prod', attachment_target: 'projects/shop/global/networks/prod-vpc', firewall_policy: ref('google_compute_network_firewall_policy', 'p', 'name'),
    });
    estate.rule('p', 'db_pg', { priority: 100, action: 'allow', l4: [{ protocol: 'tcp', ports: ['5432'] }], srcRanges: ['10.0.2.0/24'], targetTags: [tags.db] });
    const model = estate.model();
    const verdict = evaluate(model, { from: '10.0.2.7', to: 'google_compute_instance.db1', port: 'tcp/5432' });
    expect(verdict.allowed).toBe(true);
    expect(deciding(point(verdict, 'ingress'))).toEqual(['google_compute_network_firewall_policy_rule.db_pg']);
    expect(point(verdict, 'ingress').point).toBe('ingress of gcp/db1 in network network:prod-vpc');
    expect(point(verdict, 'ingress').reason).toContain('network:prod-vpc is not in the Terraform JSON: its enforcement order is taken as the default AFTER_CLASSIC_FIREWALL');
    expect(evaluate(model, { from: '10.0.9.7', to: 'google_compute_instance.db1', port: 'tcp/5432' }).denied).toBe(true);
  });
});

describe('Google Cloud VMs asked about by address', () => {
  test('a VM\'s own address stands for the VM: its firewalls decide', () => {
    const model = shopEstate('BEFORE_CLASSIC_FIREWALL').estate.model();
    const byAddress = evaluate(model, { from: '198.51.100.7', to: '10.0.3.10', port: 'tcp/5432' });
    expect(byAddress.denied).toBe(true);
    expect(deciding(point(byAddress, 'ingress'))).toEqual(['google_compute_network_firewall_policy_rule.ingress_deny']);
    expect(point(byAddress, 'ingress').point).toBe('ingress of 10.0.3.10 in network google_compute_network.vpc (gcp/vpc)');
    // an address no VM has is only an address
    expect(evaluate(model, { from: '198.51.100.7', to: '10.0.3.11', port: 'tcp/5432' }).layers.some((layer) => layer.layer === 'gcp-firewall' && layer.status !== 'skipped')).toBe(false);
  });
});
