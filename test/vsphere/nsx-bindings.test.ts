import { App, TerraformStack, Testing } from 'cdktf';
import * as microseg from '../../lib';
import { NsxPolicyCategory, nsxt } from '../../lib';

const {
  NsxConjunctionOperator,
  NsxGroupConditionKey,
  NsxGroupConditionMemberType,
  NsxGroupConditionOperator,
  NsxIcmpProtocol,
  NsxIpVersion,
  NsxL4Protocol,
  NsxRuleAction,
  NsxRuleDirection,
  NSXT_PROVIDER_VERSION_CONSTRAINT,
  NsxtPolicyGroup,
  NsxtPolicyParentSecurityPolicy,
  NsxtPolicySecurityPolicyRule,
  NsxtPolicyService,
  NsxtPolicyVmTags,
  NsxtProvider,
} = nsxt;

// ---------------------------------------------------------------------------------------------
// Schema whitelist, one table per Terraform type.
//
// Derived from the NSX section of /work/shared/reference/platforms.md. Entries marked `// doc`
// are NOT in platforms.md: they come from the vmware/nsxt provider docs and schema
// (website/docs/r/*.html.markdown, nsxt/policy_common.go, nsxt/resource_nsxt_policy_group.go,
// nsxt/resource_nsxt_policy_service.go, nsxt/provider.go) and were checked there.
// A leaf is `true`; a nested block is a nested table. A key emitted by a binding that is not in
// its table (a typo, a made-up argument) fails the test.
// ---------------------------------------------------------------------------------------------
type Table = { readonly [key: string]: true | Table };

const TAG: Table = { scope: true, tag: true };

const RULE_COMMON: Table = {
  display_name: true,
  description: true, // doc
  sequence_number: true,
  source_groups: true,
  destination_groups: true,
  sources_excluded: true, // doc
  destinations_excluded: true, // doc
  services: true,
  profiles: true, // doc
  scope: true,
  action: true,
  direction: true,
  ip_version: true,
  logged: true,
  disabled: true,
  notes: true, // doc
  log_label: true, // doc
  tag: TAG, // doc
};

const POLICY_COMMON: Table = {
  display_name: true,
  description: true, // doc
  domain: true,
  nsx_id: true, // doc
  category: true,
  sequence_number: true,
  stateful: true,
  tcp_strict: true,
  scope: true,
  locked: true, // doc
  comments: true, // doc
  tag: TAG, // doc
};

const WHITELIST: { readonly [tfType: string]: Table } = {
  nsxt: {
    host: true,
    username: true,
    password: true,
    allow_unverified_ssl: true, // doc
    ca_file: true, // doc
    client_auth_cert_file: true, // doc
    client_auth_key_file: true, // doc
    remote_auth: true, // doc
    max_retries: true, // doc
    retry_min_delay: true, // doc
    retry_max_delay: true, // doc
    retry_on_status_codes: true, // doc
    enforcement_point: true, // doc
    global_manager: true, // doc
    alias: true, // Terraform meta-argument
  },
  nsxt_policy_vm_tags: {
    instance_id: true,
    tag: TAG,
  },
  nsxt_policy_group: {
    display_name: true,
    description: true,
    domain: true,
    nsx_id: true,
    criteria: {
      condition: { key: true, member_type: true, operator: true, value: true },
      ipaddress_expression: { ip_addresses: true },
      path_expression: { member_paths: true }, // doc
    },
    conjunction: { operator: true },
    tag: TAG, // doc
  },
  nsxt_policy_service: {
    display_name: true,
    description: true, // doc
    nsx_id: true, // doc
    l4_port_set_entry: {
      display_name: true, // doc
      description: true, // doc
      protocol: true,
      destination_ports: true,
      source_ports: true, // doc
    },
    icmp_entry: {
      display_name: true, // doc
      description: true, // doc
      protocol: true,
      icmp_type: true,
      icmp_code: true,
    },
    ip_protocol_entry: { display_name: true, description: true, protocol: true }, // doc
    tag: TAG, // doc
  },
  nsxt_policy_parent_security_policy: POLICY_COMMON,
  nsxt_policy_security_policy_rule: {
    ...RULE_COMMON,
    policy_path: true,
    nsx_id: true, // doc (configurable since provider 3.7.0)
  },
};

/** Allowed values of enumerated arguments, keyed `<tf type>.<dotted path>`. */
const ENUM_WHITELIST: { readonly [path: string]: readonly string[] } = {
  'nsxt_policy_group.criteria.condition.key': ['Tag', /* doc: */ 'Name', 'OSName', 'ComputerName'],
  'nsxt_policy_group.criteria.condition.member_type': ['VirtualMachine', /* doc: */ 'Segment', 'SegmentPort', 'IPSet', 'LogicalPort', 'LogicalSwitch'],
  'nsxt_policy_group.criteria.condition.operator': ['EQUALS', /* doc: */ 'NOTEQUALS', 'CONTAINS', 'STARTSWITH', 'ENDSWITH'],
  'nsxt_policy_group.conjunction.operator': ['OR', 'AND'],
  'nsxt_policy_service.l4_port_set_entry.protocol': ['TCP', 'UDP'],
  'nsxt_policy_service.icmp_entry.protocol': ['ICMPv4', 'ICMPv6'],
  'nsxt_policy_parent_security_policy.category': ['Ethernet', 'Emergency', 'Infrastructure', 'Environment', 'Application'],
  'nsxt_policy_security_policy_rule.action': ['ALLOW', 'DROP', 'REJECT', 'JUMP_TO_APPLICATION'],
  'nsxt_policy_security_policy_rule.direction': ['IN', 'OUT', 'IN_OUT'],
  'nsxt_policy_security_policy_rule.ip_version': ['IPV4', 'IPV6', 'IPV4_IPV6', 'NONE'],
};

/** Terraform meta-arguments and cdktf metadata a resource may carry besides its schema. */
const META_KEYS = new Set(['//', 'provider', 'depends_on', 'count', 'for_each', 'lifecycle', 'provisioner', 'connection']);

/** Returns every violation of the whitelists in one synthesized block (empty = OK). */
function violations(tfType: string, body: { [k: string]: unknown }, table: Table, prefix = '', top = true): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (top && META_KEYS.has(key)) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    const spec = table[key];
    if (spec === undefined) {
      out.push(`${tfType}: unknown argument '${path}'`);
      continue;
    }
    if (spec !== true) {
      const items = Array.isArray(value) ? value : [value];
      for (const item of items) {
        if (typeof item !== 'object' || item === null) {
          out.push(`${tfType}: block '${path}' is not an object`);
        } else {
          out.push(...violations(tfType, item as { [k: string]: unknown }, spec, path, false));
        }
      }
      continue;
    }
    const allowed = ENUM_WHITELIST[`${tfType}.${path}`];
    if (allowed !== undefined && !allowed.includes(value as string)) {
      out.push(`${tfType}: value '${String(value)}' not allowed for '${path}'`);
    }
  }
  return out;
}

/** Checks every provider and resource block of a synthesized stack against the whitelists. */
function allViolations(synth: any): string[] {
  const out: string[] = [];
  for (const [name, blocks] of Object.entries(synth.provider ?? {})) {
    for (const block of blocks as object[]) {
      out.push(...violations(name, block as { [k: string]: unknown }, WHITELIST[name] ?? {}));
    }
  }
  for (const [tfType, byId] of Object.entries(synth.resource ?? {})) {
    for (const body of Object.values(byId as object)) {
      out.push(...violations(tfType, body as { [k: string]: unknown }, WHITELIST[tfType] ?? {}));
    }
  }
  return out;
}

function newStack(): TerraformStack {
  const app: App = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new NsxtProvider(stack, 'nsxt', {
    host: 'nsx.example.com',
    username: 'admin',
    password: 'secret',
    allowUnverifiedSsl: true,
    caFile: 'ca.pem',
    clientAuthCertFile: 'client.pem',
    clientAuthKeyFile: 'client.key',
    remoteAuth: false,
    maxRetries: 10,
    retryMinDelay: 500,
    retryMaxDelay: 5000,
    retryOnStatusCodes: [429, 503],
    enforcementPoint: 'default',
    globalManager: false,
  });
  return stack;
}

function strip(body: { [k: string]: unknown }): { [k: string]: unknown } {
  const { ['//']: _meta, ...rest } = body;
  return rest;
}

/** Every policy-level argument, shared by the parent policy and the inline-rules policy. */
const POLICY_ARGS = {
  displayName: 'shop',
  description: 'shop application policy',
  domain: 'default',
  nsxId: 'shop',
  category: NsxPolicyCategory.APPLICATION,
  sequenceNumber: 100,
  stateful: true,
  tcpStrict: true,
  scope: ['/infra/domains/default/groups/shop'],
  locked: false,
  comments: 'managed by cdktf-microseg',
  tag: [{ scope: 'managed-by', tag: 'cdktf-microseg' }],
};

describe('NSX-T bindings', () => {
  test('provider block and required_providers', () => {
    const stack = newStack();
    const synth = JSON.parse(Testing.synth(stack));
    expect(synth.terraform.required_providers.nsxt).toEqual({ source: 'vmware/nsxt', version: '~> 3.8' });
    expect(synth.terraform.required_providers.nsxt.source).toBe('vmware/nsxt');
    expect(NSXT_PROVIDER_VERSION_CONSTRAINT).toBe('~> 3.8');
    expect(synth.provider.nsxt).toEqual([{
      host: 'nsx.example.com',
      username: 'admin',
      password: 'secret',
      allow_unverified_ssl: true,
      ca_file: 'ca.pem',
      client_auth_cert_file: 'client.pem',
      client_auth_key_file: 'client.key',
      remote_auth: false,
      max_retries: 10,
      retry_min_delay: 500,
      retry_max_delay: 5000,
      retry_on_status_codes: [429, 503],
      enforcement_point: 'default',
      global_manager: false,
    }]);
    expect(allViolations(synth)).toEqual([]);
  });

  test('provider alias is emitted', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'alias');
    new NsxtProvider(stack, 'site-b', { host: 'nsx-b', alias: 'site_b' });
    const synth = JSON.parse(Testing.synth(stack));
    expect(synth.provider.nsxt).toEqual([{ host: 'nsx-b', alias: 'site_b' }]);
  });

  test('nsxt_policy_vm_tags', () => {
    const stack = newStack();
    new NsxtPolicyVmTags(stack, 'web1', {
      instanceId: '4211f0e5-7d2c-0000-0000-000000000001',
      tag: [{ scope: 'app', tag: 'shop' }, { scope: 'tier', tag: 'web' }],
    });
    const synth = JSON.parse(Testing.synth(stack));
    expect(strip(synth.resource.nsxt_policy_vm_tags.web1)).toEqual({
      instance_id: '4211f0e5-7d2c-0000-0000-000000000001',
      tag: [{ scope: 'app', tag: 'shop' }, { scope: 'tier', tag: 'web' }],
    });
    expect(allViolations(synth)).toEqual([]);
  });

  test('nsxt_policy_group with every argument', () => {
    const stack = newStack();
    const group = new NsxtPolicyGroup(stack, 'web', {
      displayName: 'shop-web',
      description: 'web tier of shop',
      domain: 'default',
      nsxId: 'shop-web',
      criteria: [
        {
          condition: [
            { key: NsxGroupConditionKey.TAG, memberType: NsxGroupConditionMemberType.VIRTUAL_MACHINE, operator: NsxGroupConditionOperator.EQUALS, value: 'app|shop' },
            { key: NsxGroupConditionKey.TAG, memberType: NsxGroupConditionMemberType.VIRTUAL_MACHINE, operator: NsxGroupConditionOperator.EQUALS, value: 'tier|web' },
          ],
        },
        { ipaddressExpression: { ipAddresses: ['10.0.1.0/24', '10.0.2.10-10.0.2.20'] } },
        { pathExpression: { memberPaths: ['/infra/domains/default/groups/other'] } },
      ],
      conjunction: [{ operator: NsxConjunctionOperator.OR }, { operator: NsxConjunctionOperator.OR }],
      tag: [{ scope: 'managed-by', tag: 'cdktf-microseg' }],
    });
    const synth = JSON.parse(Testing.synth(stack));
    expect(strip(synth.resource.nsxt_policy_group.web)).toEqual({
      display_name: 'shop-web',
      description: 'web tier of shop',
      domain: 'default',
      nsx_id: 'shop-web',
      criteria: [
        {
          condition: [
            { key: 'Tag', member_type: 'VirtualMachine', operator: 'EQUALS', value: 'app|shop' },
            { key: 'Tag', member_type: 'VirtualMachine', operator: 'EQUALS', value: 'tier|web' },
          ],
        },
        { ipaddress_expression: { ip_addresses: ['10.0.1.0/24', '10.0.2.10-10.0.2.20'] } },
        { path_expression: { member_paths: ['/infra/domains/default/groups/other'] } },
      ],
      conjunction: [{ operator: 'OR' }, { operator: 'OR' }],
      tag: [{ scope: 'managed-by', tag: 'cdktf-microseg' }],
    });
    expect(allViolations(synth)).toEqual([]);
    expect(group.criteriaInput).toHaveLength(3);
    expect(group.displayNameInput).toBe('shop-web');
  });

  test('group path getter becomes a ${nsxt_policy_group.<id>.path} reference', () => {
    const stack = newStack();
    const web = new NsxtPolicyGroup(stack, 'web', { displayName: 'web' });
    const db = new NsxtPolicyGroup(stack, 'db', { displayName: 'db' });
    const policy = new NsxtPolicyParentSecurityPolicy(stack, 'shop', { displayName: 'shop', category: NsxPolicyCategory.APPLICATION });
    new NsxtPolicySecurityPolicyRule(stack, 'web-to-db', {
      policyPath: policy.path,
      displayName: 'web-to-db',
      sequenceNumber: 1,
      sourceGroups: [web.path],
      destinationGroups: [db.path],
      scope: [web.path, db.path],
    });
    const synth = JSON.parse(Testing.synth(stack));
    const rule = synth.resource.nsxt_policy_security_policy_rule['web-to-db'];
    expect(rule.source_groups).toEqual(['${nsxt_policy_group.web.path}']);
    expect(rule.destination_groups).toEqual(['${nsxt_policy_group.db.path}']);
    expect(rule.scope).toEqual(['${nsxt_policy_group.web.path}', '${nsxt_policy_group.db.path}']);
    expect(rule.policy_path).toBe('${nsxt_policy_parent_security_policy.shop.path}');
    expect(allViolations(synth)).toEqual([]);
  });

  test('nsxt_policy_service with every entry type', () => {
    const stack = newStack();
    new NsxtPolicyService(stack, 'https', {
      displayName: 'shop-https',
      description: 'HTTPS and ICMP echo',
      nsxId: 'shop-https',
      l4PortSetEntry: [{
        displayName: 'tcp-443',
        description: 'https',
        protocol: NsxL4Protocol.TCP,
        destinationPorts: ['443', '8000-8100'],
        sourcePorts: ['1024-65535'],
      }],
      icmpEntry: [{ displayName: 'echo', description: 'ping', protocol: NsxIcmpProtocol.ICMPV4, icmpType: '8', icmpCode: '0' }],
      ipProtocolEntry: [{ displayName: 'esp', description: 'ipsec', protocol: 50 }],
      tag: [{ scope: 'managed-by', tag: 'cdktf-microseg' }],
    });
    const synth = JSON.parse(Testing.synth(stack));
    expect(strip(synth.resource.nsxt_policy_service.https)).toEqual({
      display_name: 'shop-https',
      description: 'HTTPS and ICMP echo',
      nsx_id: 'shop-https',
      l4_port_set_entry: [{
        display_name: 'tcp-443',
        description: 'https',
        protocol: 'TCP',
        destination_ports: ['443', '8000-8100'],
        source_ports: ['1024-65535'],
      }],
      icmp_entry: [{ display_name: 'echo', description: 'ping', protocol: 'ICMPv4', icmp_type: '8', icmp_code: '0' }],
      ip_protocol_entry: [{ display_name: 'esp', description: 'ipsec', protocol: 50 }],
      tag: [{ scope: 'managed-by', tag: 'cdktf-microseg' }],
    });
    expect(allViolations(synth)).toEqual([]);
  });

  test('nsxt_policy_parent_security_policy + nsxt_policy_security_policy_rule with every argument', () => {
    const stack = newStack();
    const policy = new NsxtPolicyParentSecurityPolicy(stack, 'shop', {
      ...POLICY_ARGS,
      lifecycle: { createBeforeDestroy: true },
    });
    new NsxtPolicySecurityPolicyRule(stack, 'allow', {
      policyPath: policy.path,
      displayName: 'web-to-db-5432',
      description: 'web may reach db',
      nsxId: 'web-to-db-5432',
      sequenceNumber: 10,
      sourceGroups: ['/infra/domains/default/groups/web'],
      destinationGroups: ['/infra/domains/default/groups/db'],
      sourcesExcluded: false,
      destinationsExcluded: false,
      services: ['/infra/services/pg'],
      profiles: ['/infra/context-profiles/pg'],
      scope: ['/infra/domains/default/groups/db'],
      action: NsxRuleAction.ALLOW,
      direction: NsxRuleDirection.IN,
      ipVersion: NsxIpVersion.IPV4,
      logged: true,
      disabled: false,
      notes: 'flow shop/web->db',
      logLabel: 'shop-web-db',
      tag: [{ scope: 'flow', tag: 'web-db' }],
    });
    const synth = JSON.parse(Testing.synth(stack));
    const { lifecycle, ...policyArgs } = strip(synth.resource.nsxt_policy_parent_security_policy.shop);
    expect(lifecycle).toEqual({ create_before_destroy: true });
    expect(policyArgs).toEqual({
      display_name: 'shop',
      description: 'shop application policy',
      domain: 'default',
      nsx_id: 'shop',
      category: 'Application',
      sequence_number: 100,
      stateful: true,
      tcp_strict: true,
      scope: ['/infra/domains/default/groups/shop'],
      locked: false,
      comments: 'managed by cdktf-microseg',
      tag: [{ scope: 'managed-by', tag: 'cdktf-microseg' }],
    });
    expect(strip(synth.resource.nsxt_policy_security_policy_rule.allow)).toEqual({
      policy_path: '${nsxt_policy_parent_security_policy.shop.path}',
      nsx_id: 'web-to-db-5432',
      display_name: 'web-to-db-5432',
      description: 'web may reach db',
      sequence_number: 10,
      source_groups: ['/infra/domains/default/groups/web'],
      destination_groups: ['/infra/domains/default/groups/db'],
      sources_excluded: false,
      destinations_excluded: false,
      services: ['/infra/services/pg'],
      profiles: ['/infra/context-profiles/pg'],
      scope: ['/infra/domains/default/groups/db'],
      action: 'ALLOW',
      direction: 'IN',
      ip_version: 'IPV4',
      logged: true,
      disabled: false,
      notes: 'flow shop/web->db',
      log_label: 'shop-web-db',
      tag: [{ scope: 'flow', tag: 'web-db' }],
    });
    expect(allViolations(synth)).toEqual([]);
  });

  test('every enum value is in the whitelist', () => {
    const check = (values: string[], key: string): void => {
      for (const v of values) {
        expect(ENUM_WHITELIST[key]).toContain(v);
      }
    };
    check(Object.values(NsxGroupConditionKey), 'nsxt_policy_group.criteria.condition.key');
    check(Object.values(NsxGroupConditionMemberType), 'nsxt_policy_group.criteria.condition.member_type');
    check(Object.values(NsxGroupConditionOperator), 'nsxt_policy_group.criteria.condition.operator');
    check(Object.values(NsxConjunctionOperator), 'nsxt_policy_group.conjunction.operator');
    check(Object.values(NsxL4Protocol), 'nsxt_policy_service.l4_port_set_entry.protocol');
    check(Object.values(NsxIcmpProtocol), 'nsxt_policy_service.icmp_entry.protocol');
    check(Object.values(NsxPolicyCategory), 'nsxt_policy_parent_security_policy.category');
    check(Object.values(NsxRuleAction), 'nsxt_policy_security_policy_rule.action');
    check(Object.values(NsxRuleDirection), 'nsxt_policy_security_policy_rule.direction');
    check(Object.values(NsxIpVersion), 'nsxt_policy_security_policy_rule.ip_version');
  });

  test('the whitelist check catches typos', () => {
    const bad = {
      resource: {
        nsxt_policy_service: { s: { display_name: 'x', l4_port_set_entry: [{ protocol: 'TCP', destination_port: ['443'] }] } },
        nsxt_policy_security_policy_rule: { r: { policy_path: 'p', display_name: 'r', sequence_number: 1, action: 'DENY' } },
        nsxt_policy_group: { g: { display_name: 'g', criteria: [{ condition: [{ key: 'tag', member_type: 'VirtualMachine', operator: 'EQUALS', value: 'a|b' }] }] } },
      },
    };
    expect(allViolations(bad)).toEqual([
      "nsxt_policy_service: unknown argument 'l4_port_set_entry.destination_port'",
      "nsxt_policy_security_policy_rule: value 'DENY' not allowed for 'action'",
      "nsxt_policy_group: value 'tag' not allowed for 'criteria.condition.key'",
    ]);
  });

  test('resources declare provider nsxt (validation fails without an NsxtProvider)', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'noprovider');
    new NsxtPolicyGroup(stack, 'g', { displayName: 'g' });
    expect(() => Testing.synth(stack, true)).toThrow(/nsxt/);
    const ok = newStack();
    new NsxtPolicyGroup(ok, 'g', { displayName: 'g' });
    expect(() => Testing.synth(ok, true)).not.toThrow();
  });

  test('HCL synthesis renders blocks', () => {
    const stack = newStack();
    new NsxtPolicyGroup(stack, 'web', {
      displayName: 'web',
      criteria: [{ condition: [{ key: NsxGroupConditionKey.TAG, memberType: NsxGroupConditionMemberType.VIRTUAL_MACHINE, operator: NsxGroupConditionOperator.EQUALS, value: 'tier|web' }] }],
    });
    const policy = new NsxtPolicyParentSecurityPolicy(stack, 'p', {
      displayName: 'p',
      category: NsxPolicyCategory.APPLICATION,
      stateful: true,
      tag: [{ scope: 'managed-by', tag: 'cdktf-microseg' }],
    });
    new NsxtPolicySecurityPolicyRule(stack, 'r', {
      policyPath: policy.path,
      displayName: 'r',
      sequenceNumber: 1,
      action: NsxRuleAction.DROP,
      sourceGroups: ['/infra/domains/default/groups/web'],
    });
    const hcl: string = Testing.synthHcl(stack);
    expect(hcl).toContain('resource "nsxt_policy_group" "web"');
    expect(hcl).toMatch(/criteria\s*{\s*condition\s*{/);
    expect(hcl).toMatch(/key\s*=\s*"Tag"/);
    expect(hcl).toContain('resource "nsxt_policy_security_policy_rule" "r"');
    expect(hcl).toMatch(/tag\s*{\s*scope\s*=\s*"managed-by"/);
    expect(hcl).toMatch(/stateful\s*=\s*true/);
    expect(hcl).toMatch(/host\s*=\s*"nsx.example.com"/);
  });
});

describe('the nsxt submodule', () => {
  test('GIVEN the package root WHEN listing its exports THEN the bindings are under `nsxt` only and the unused inline-rules policy is gone', () => {
    const rootNames = Object.keys(microseg);
    const bindingNames = Object.keys(nsxt).sort();
    expect(bindingNames).toEqual([
      'NSXT_PROVIDER_VERSION_CONSTRAINT',
      'NsxConjunctionOperator',
      'NsxGroupConditionKey',
      'NsxGroupConditionMemberType',
      'NsxGroupConditionOperator',
      'NsxIcmpProtocol',
      'NsxIpVersion',
      'NsxL4Protocol',
      'NsxRuleAction',
      'NsxRuleDirection',
      'NsxtPolicyGroup',
      'NsxtPolicyParentSecurityPolicy',
      'NsxtPolicySecurityPolicyRule',
      'NsxtPolicyService',
      'NsxtPolicyVmTags',
      'NsxtProvider',
    ]);
    expect(rootNames.filter((name) => bindingNames.includes(name))).toEqual([]);
    expect(rootNames.filter((name) => /^nsxt[A-Z]|ToTerraform$|^NsxtPolicySecurityPolicy$/.test(name))).toEqual([]);
    // the enforcement's category stays in the main API; the policy bindings take the same enum
    expect(rootNames).toContain('NsxPolicyCategory');
    expect(rootNames).toContain('NsxEnforcement');
  });
});
