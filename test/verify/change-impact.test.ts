import * as fs from 'fs';
import * as path from 'path';
import { fixtureDir } from './fixtures';
import { ChangeImpact, changeImpact, formatChangeImpact } from '../../lib/verify/diff/change-impact';
import { replacingArguments } from '../../lib/verify/diff/replacement-rules';
import { evaluate } from '../../lib/verify/evaluate';
import { loadTerraformStacks } from '../../lib/verify/model/load-terraform';

// Small hand-written stacks: each test changes one thing and checks what Terraform would do with it
// (the provider's replace-vs-update rules, `moved` blocks, create_before_destroy) and what that does
// to traffic that is allowed both before and after.

type Json = Record<string, any>;

const FLOW = 'app/Api/AllowFrom-app-Web-tcp-8080';

/** Segments Web and Api (one instance each) on AWS security groups; Web reaches Api on tcp/8080 through `rules`. */
function awsApp(rules: Json = webToApiRules(), groups: Json = {}, extra: Json = {}): Json {
  return {
    '//': {
      microseg: {
        version: 1,
        segments: {
          'app/Web': { selector: { tier: 'web' }, groups: ['aws_security_group.web'] },
          'app/Api': { selector: { tier: 'api' }, groups: ['aws_security_group.api'] },
        },
        workloads: {
          'app/WebVm': { labels: { tier: 'web' }, segments: ['app/Web'], binding: 'aws_instance.web', addresses: ['10.0.1.10'] },
          'app/ApiVm': { labels: { tier: 'api' }, segments: ['app/Api'], binding: 'aws_instance.api', addresses: ['10.0.2.10'] },
        },
      },
    },
    'resource': {
      aws_instance: {
        web: { ami: 'ami-1', instance_type: 't3.micro', private_ip: '10.0.1.10', vpc_security_group_ids: ['${aws_security_group.web.id}'] },
        api: { ami: 'ami-1', instance_type: 't3.micro', private_ip: '10.0.2.10', vpc_security_group_ids: ['${aws_security_group.api.id}'] },
      },
      aws_security_group: {
        web: { name: 'web', description: 'web', vpc_id: 'vpc-1', ...groups.web },
        api: { name: 'api', description: 'api', vpc_id: 'vpc-1', ...groups.api },
      },
      ...rules,
      ...extra,
    },
  };
}

/** The two rules of the Web-to-Api flow, under the given Terraform names, with overrides. */
function webToApiRules(names = { egress: 'web_out_api_8080', ingress: 'api_in_web_8080' }, egress: Json = {}, ingress: Json = {}): Json {
  const provenance = { '//': { microseg: { flows: [FLOW] } } };
  return {
    aws_vpc_security_group_egress_rule: {
      [names.egress]: { ...provenance, security_group_id: '${aws_security_group.web.id}', ip_protocol: 'tcp', from_port: 8080, to_port: 8080, referenced_security_group_id: '${aws_security_group.api.id}', ...egress },
    },
    aws_vpc_security_group_ingress_rule: {
      [names.ingress]: { ...provenance, security_group_id: '${aws_security_group.api.id}', ip_protocol: 'tcp', from_port: 8080, to_port: 8080, referenced_security_group_id: '${aws_security_group.web.id}', ...ingress },
    },
  };
}

/** A hand-written fixture's stack JSON (test/fixtures), to change. */
function fixtureJson(name: string): Json {
  return JSON.parse(fs.readFileSync(path.join(fixtureDir(name), 'cdk.tf.json'), 'utf8'));
}

/** The impact of a change; every test also checks that evaluating every pair finds the same interruptions as the scoped evaluation. */
function impactOf(before: Json, after: Json): ChangeImpact {
  const impact = changeImpact(loadTerraformStacks(before), loadTerraformStacks(after));
  expect(changeImpact(loadTerraformStacks(before), loadTerraformStacks(after), { compareEveryPair: true }).interrupted).toEqual(impact.interrupted);
  return impact;
}

/** `action address (reasons)` of every planned change of every stack, sorted. */
function planLines(impact: ChangeImpact): string[] {
  return impact.stacks.flatMap((stack) => [...stack.destroyed, ...stack.replaced, ...stack.updated, ...stack.created]
    .map((change) => `${stack.stack} ${change.action} ${change.address}${change.movedFrom ? ` <- ${change.movedFrom}` : ''} (${change.reasons.join(', ')})`)).sort();
}

describe('replace-vs-update table', () => {
  test.each([
    // [type, arguments that changed, arguments that force replacement]
    ['aws_vpc_security_group_ingress_rule', ['security_group_id', 'from_port', 'to_port', 'ip_protocol', 'cidr_ipv4', 'description'], ['security_group_id']],
    ['aws_vpc_security_group_egress_rule', ['from_port', 'to_port', 'ip_protocol', 'cidr_ipv4', 'description'], []],
    ['aws_security_group', ['name', 'name_prefix', 'description', 'vpc_id', 'tags', 'revoke_rules_on_delete'], ['name', 'name_prefix', 'description', 'vpc_id']],
    ['aws_network_acl_rule', ['rule_number', 'egress', 'protocol', 'rule_action', 'cidr_block', 'from_port', 'to_port'], ['rule_number', 'egress', 'protocol', 'rule_action', 'cidr_block', 'from_port', 'to_port']],
    ['aws_network_acl_association', ['network_acl_id', 'subnet_id'], ['network_acl_id', 'subnet_id']],
    ['azurerm_network_security_rule', ['name', 'network_security_group_name', 'resource_group_name', 'priority', 'destination_port_range', 'source_address_prefix', 'description'],
      ['name', 'network_security_group_name', 'resource_group_name']],
    ['azurerm_application_security_group', ['name', 'resource_group_name', 'location', 'tags'], ['name', 'resource_group_name', 'location']],
    ['nsxt_policy_security_policy_rule', ['policy_path', 'sequence_number', 'display_name', 'source_groups', 'services', 'action'], ['policy_path']],
    ['nsxt_policy_group', ['nsx_id', 'domain', 'display_name', 'description', 'criteria'], ['nsx_id', 'domain']],
    ['nsxt_policy_service', ['nsx_id', 'display_name', 'l4_port_set_entry'], ['nsx_id']],
    ['aws_instance', ['vpc_security_group_ids'], []],
  ])('%s: of %j, %j force replacement', (type, changed, forcing) => {
    const peer = { cidr_ipv4: '10.0.0.0/8' };
    expect(replacingArguments(type, changed, peer, peer)).toEqual(forcing);
  });

  test('a security group rule whose peer changes kind is replaced, whichever two kinds', () => {
    expect(replacingArguments('aws_vpc_security_group_egress_rule', ['cidr_ipv4', 'prefix_list_id'], { cidr_ipv4: '10.0.0.0/8' }, { prefix_list_id: 'pl-1' }))
      .toEqual(['peer kind (cidr_ipv4 -> prefix_list_id)']);
  });
});

describe('change impact: AWS security group rules', () => {
  test('GIVEN an unchanged app THEN nothing is planned, interrupted or duplicated', () => {
    const impact = impactOf({ app: awsApp() }, { app: awsApp() });
    expect(impact).toEqual({ stacks: [], interrupted: [], interruptedFlows: [], duplicates: [] });
  });

  test('GIVEN a group whose VPC comes from a data source WHEN nothing changes THEN nothing is planned', () => {
    const app = () => {
      const json = awsApp(undefined, { api: { vpc_id: '${data.aws_vpc.main.id}' } });
      json.data = { aws_vpc: { main: { default: true } } };
      return json;
    };
    expect(impactOf({ app: app() }, { app: app() }).stacks).toEqual([]);
  });

  test('WHEN the ports and the description of a rule change THEN it is updated in place and no traffic drops', () => {
    const after = awsApp(webToApiRules(undefined, { to_port: 8081, description: 'web to api' }, { to_port: 8081 }));
    const impact = impactOf({ app: awsApp() }, { app: after });
    expect(planLines(impact)).toEqual([
      'app update aws_vpc_security_group_egress_rule.web_out_api_8080 (description, to_port)',
      'app update aws_vpc_security_group_ingress_rule.api_in_web_8080 (to_port)',
    ]);
    expect(impact.interrupted).toEqual([]);
    expect(impact.duplicates).toEqual([]);
  });

  test('WHEN a flow\'s two rules per direction are joined into one range THEN the destroyed rule\'s port drops while the apply may destroy before it updates', () => {
    const two = (port: number, names: { egress: string; ingress: string }) =>
      webToApiRules(names, { from_port: port, to_port: port }, { from_port: port, to_port: port });
    const first = two(8080, { egress: 'out_0', ingress: 'in_0' });
    const second = two(8082, { egress: 'out_1', ingress: 'in_1' });
    const before = awsApp({
      aws_vpc_security_group_egress_rule: { ...first.aws_vpc_security_group_egress_rule, ...second.aws_vpc_security_group_egress_rule },
      aws_vpc_security_group_ingress_rule: { ...first.aws_vpc_security_group_ingress_rule, ...second.aws_vpc_security_group_ingress_rule },
    });
    const after = awsApp(webToApiRules({ egress: 'out_1', ingress: 'in_1' }, { from_port: 8080, to_port: 8082 }, { from_port: 8080, to_port: 8082 }));

    const impact = impactOf({ app: before }, { app: after });

    expect(planLines(impact)).toEqual([
      'app destroy aws_vpc_security_group_egress_rule.out_0 (address gone)',
      'app destroy aws_vpc_security_group_ingress_rule.in_0 (address gone)',
      'app update aws_vpc_security_group_egress_rule.out_1 (from_port)',
      'app update aws_vpc_security_group_ingress_rule.in_1 (from_port)',
    ]);
    expect(impact.interrupted).toContainEqual(expect.objectContaining({
      level: 'workload', from: 'app/WebVm', to: 'app/ApiVm', ports: ['tcp/8080'], moments: ['while stack app applies, before its updates'],
    }));
    expect(impact.interrupted.flatMap((traffic) => traffic.ports)).not.toContain('tcp/8082');
  });

  test('WHEN the peer changes kind (group to CIDR) THEN the rule is replaced, and the traffic still allowed after drops meanwhile', () => {
    const after = awsApp(webToApiRules(undefined, {}, { referenced_security_group_id: undefined, cidr_ipv4: '10.0.1.10/32' }));
    const impact = impactOf({ app: awsApp() }, { app: after });
    expect(planLines(impact)).toEqual([
      'app replace aws_vpc_security_group_ingress_rule.api_in_web_8080 (peer kind (referenced_security_group_id -> cidr_ipv4))',
    ]);
    expect(impact.interruptedFlows).toEqual([FLOW]);
    expect(impact.interrupted).toContainEqual(expect.objectContaining({
      level: 'workload', from: 'app/WebVm', to: 'app/ApiVm', ports: ['tcp/8080'], resources: ['app:aws_vpc_security_group_ingress_rule.api_in_web_8080'],
    }));
  });

  test('WHEN a rule\'s address changes (its name depends on something else) THEN it is destroyed and created, and the flow drops', () => {
    const after = awsApp(webToApiRules({ egress: 'web_out_api_8080', ingress: 'api_in_web_8080_v2' }));
    const impact = impactOf({ app: awsApp() }, { app: after });
    expect(planLines(impact)).toEqual([
      'app create aws_vpc_security_group_ingress_rule.api_in_web_8080_v2 (new address)',
      'app destroy aws_vpc_security_group_ingress_rule.api_in_web_8080 (address gone)',
    ]);
    expect(impact.interruptedFlows).toEqual([FLOW]);
    // the create may run while the old rule still exists: AWS refuses the identical permission
    expect(impact.duplicates).toEqual([expect.objectContaining({
      kind: 'aws-permission',
      when: 'during-apply',
      resources: ['app:aws_vpc_security_group_ingress_rule.api_in_web_8080', 'app:aws_vpc_security_group_ingress_rule.api_in_web_8080_v2'],
    })]);
  });

  test('WHEN the same rename comes with a moved block THEN the rule keeps its state: nothing is destroyed', () => {
    const after = awsApp(webToApiRules({ egress: 'web_out_api_8080', ingress: 'api_in_web_8080_v2' }));
    after.moved = [{ from: 'aws_vpc_security_group_ingress_rule.api_in_web_8080', to: 'aws_vpc_security_group_ingress_rule.api_in_web_8080_v2' }];
    const impact = impactOf({ app: awsApp() }, { app: after });
    expect(planLines(impact)).toEqual([]);
    expect(impact.interrupted).toEqual([]);
    expect(impact.duplicates).toEqual([]);
  });

  test('WHEN a group\'s description changes THEN the group is replaced, and so is every rule naming it in security_group_id; the flow drops', () => {
    const impact = impactOf({ app: awsApp() }, { app: awsApp(undefined, { api: { description: 'the api tier' } }) });
    expect(planLines(impact)).toEqual([
      'app replace aws_security_group.api (description)',
      'app replace aws_vpc_security_group_ingress_rule.api_in_web_8080 (security_group_id)',
      'app update aws_instance.api (vpc_security_group_ids)',
      'app update aws_vpc_security_group_egress_rule.web_out_api_8080 (referenced_security_group_id)',
    ]);
    expect(impact.interruptedFlows).toEqual([FLOW]);
  });

  test('WHEN a group named with a fixed name creates before it destroys THEN AWS refuses the second group of that name', () => {
    const cbd = { lifecycle: { create_before_destroy: true } };
    const impact = impactOf({ app: awsApp(undefined, { api: cbd }) }, { app: awsApp(undefined, { api: { ...cbd, description: 'the api tier' } }) });
    expect(impact.stacks[0].replaced[0].refusedTogether).toEqual(['sg-name:vpc-1|api']);
    expect(impact.duplicates.map((failure) => [failure.kind, failure.when])).toEqual([['sg-name', 'during-apply']]);
    expect(impact.interruptedFlows).toEqual([FLOW]);
  });

  test('WHEN the replaced group (name_prefix) and its rules create before they destroy THEN no traffic drops', () => {
    const cbd = { lifecycle: { create_before_destroy: true } };
    const prefixed = { ...cbd, name: undefined, name_prefix: 'api-' };
    const before = awsApp(webToApiRules(undefined, {}, cbd), { api: prefixed });
    const after = awsApp(webToApiRules(undefined, {}, cbd), { api: { ...prefixed, description: 'the api tier' } });
    const impact = impactOf({ app: before }, { app: after });
    const replaced = impact.stacks[0].replaced;
    expect(replaced.map((change) => [change.address, change.createBeforeDestroy, change.refusedTogether])).toEqual([
      ['aws_security_group.api', true, []],
      ['aws_vpc_security_group_ingress_rule.api_in_web_8080', true, []],
    ]);
    expect(replaced[1].flows).toEqual([FLOW]);
    expect(impact.interrupted).toEqual([]);
    expect(impact.duplicates).toEqual([]);
  });

  test('WHEN another rule with the identical permission is added to the group THEN the apply fails on the duplicate', () => {
    const ingress = webToApiRules().aws_vpc_security_group_ingress_rule;
    const extra = { aws_vpc_security_group_ingress_rule: { ...ingress, api_in_web_again: ingress.api_in_web_8080 } };
    const impact = impactOf({ app: awsApp() }, { app: awsApp(undefined, undefined, extra) });
    expect(impact.duplicates).toEqual([expect.objectContaining({
      kind: 'aws-permission',
      when: 'after',
      resources: ['app:aws_vpc_security_group_ingress_rule.api_in_web_8080', 'app:aws_vpc_security_group_ingress_rule.api_in_web_again'],
      flows: [FLOW],
    })]);
  });
});

describe('change impact: rules across stacks', () => {
  /** Stack `groups` holds the groups and instances (exported), `team` and `other` may hold rules referencing them through remote state. */
  function twoStacks(teamRules: Json, otherRules: Json): Json {
    const app = awsApp({});
    app.output = {
      web_id: { value: '${aws_security_group.web.id}' },
      api_id: { value: '${aws_security_group.api.id}' },
    };
    const team = (rules: Json) => {
      const text = JSON.stringify(rules).split('${aws_security_group.web.id}').join('${data.terraform_remote_state.cross-stack-reference-input-app.outputs.web_id}')
        .split('${aws_security_group.api.id}').join('${data.terraform_remote_state.cross-stack-reference-input-app.outputs.api_id}');
      return { data: { terraform_remote_state: { 'cross-stack-reference-input-app': { backend: 'local', config: { path: 'app.tfstate' } } } }, resource: JSON.parse(text) };
    };
    return { app, team: team(teamRules), other: team(otherRules) };
  }

  test('WHEN a second stack declares the identical rule THEN the second apply fails on the duplicate permission', () => {
    const impact = impactOf(twoStacks(webToApiRules(), {}), twoStacks(webToApiRules(), webToApiRules()));
    expect(impact.duplicates.map((failure) => [failure.kind, failure.when, failure.resources])).toEqual([
      ['aws-permission', 'after', ['other:aws_vpc_security_group_egress_rule.web_out_api_8080', 'team:aws_vpc_security_group_egress_rule.web_out_api_8080']],
      ['aws-permission', 'after', ['other:aws_vpc_security_group_ingress_rule.api_in_web_8080', 'team:aws_vpc_security_group_ingress_rule.api_in_web_8080']],
    ]);
    expect(impact.interrupted).toEqual([]);
  });

  test('WHEN a rule moves from one stack to another THEN the move is reported, and the flow drops while the losing stack applies first', () => {
    const impact = impactOf(twoStacks(webToApiRules(), {}), twoStacks({}, webToApiRules()));
    expect(impact.duplicates.filter((failure) => failure.kind === 'moves-stack').map((failure) => failure.resources)).toEqual([
      ['team:aws_vpc_security_group_egress_rule.web_out_api_8080', 'other:aws_vpc_security_group_egress_rule.web_out_api_8080'],
      ['team:aws_vpc_security_group_ingress_rule.api_in_web_8080', 'other:aws_vpc_security_group_ingress_rule.api_in_web_8080'],
    ]);
    expect(impact.duplicates.find((failure) => failure.kind === 'moves-stack')?.detail).toEqual(
      'the rule moves from stack team to stack other; if team applies first: the traffic drops until other applies; '
      + 'if other applies first: both rules exist at once (an identical one fails)');
    expect(impact.duplicates.filter((failure) => failure.kind === 'aws-permission').map((failure) => failure.when)).toEqual(['between-stack-applies', 'between-stack-applies']);
    expect(impact.interruptedFlows).toEqual([FLOW]);
    expect(impact.interrupted[0].moments).toEqual([
      'before stack other applies (app, team applied)',
      'while stack team applies (app applied; other not yet applied)',
    ]);
  });

  test('WHEN the producing stack replaces a group THEN a stack that names it keeps the old id until it applies, and the flow drops meanwhile', () => {
    // GIVEN team holds the Api ingress rule naming Web by reference (referenced_security_group_id updates in place)
    const ingressOnly = (rules: Json) => ({ aws_vpc_security_group_ingress_rule: rules.aws_vpc_security_group_ingress_rule });
    const before = twoStacks(ingressOnly(webToApiRules()), {});
    before.app.resource.aws_vpc_security_group_egress_rule = webToApiRules().aws_vpc_security_group_egress_rule;
    // WHEN app replaces the Web group (a new description), keeping its address and its output
    const after = twoStacks(ingressOnly(webToApiRules()), {});
    after.app.resource.aws_vpc_security_group_egress_rule = webToApiRules().aws_vpc_security_group_egress_rule;
    after.app.resource.aws_security_group.web.description = 'the web tier';
    const impact = impactOf(before, after);
    // THEN team's rule is only updated, yet Web to Api drops from app's apply until team's
    expect(planLines(impact)).toEqual([
      'app replace aws_security_group.web (description)',
      'app replace aws_vpc_security_group_egress_rule.web_out_api_8080 (security_group_id)',
      'app update aws_instance.web (vpc_security_group_ids)',
      'team update aws_vpc_security_group_ingress_rule.api_in_web_8080 (referenced_security_group_id)',
    ]);
    expect(impact.interrupted.filter((traffic) => traffic.level === 'workload').map((traffic) => [traffic.from, traffic.to, traffic.moments])).toEqual([
      ['app/WebVm', 'app/ApiVm', [
        'while stack app applies (other, team not yet applied)',
        'before stack other applies (app applied; team not yet applied)',
        'before stack team applies (app, other applied)',
      ]],
    ]);
  });
});

describe('change impact: network ACL rules', () => {
  function acl(rules: Json): Json {
    return {
      resource: {
        aws_network_acl: { web: { vpc_id: 'vpc-1' } },
        aws_network_acl_rule: rules,
      },
    };
  }
  const entry = (number: number, extra: Json = {}) => ({
    '//': { microseg: { flows: [FLOW] } },
    'network_acl_id': '${aws_network_acl.web.id}',
    'rule_number': number,
    'egress': false,
    'protocol': '6',
    'rule_action': 'allow',
    'cidr_block': '10.0.1.0/24',
    'from_port': 8080,
    'to_port': 8080,
    ...extra,
  });

  test('WHEN any argument of an entry changes THEN it is replaced', () => {
    const impact = impactOf({ app: acl({ in_8080: entry(100) }) }, { app: acl({ in_8080: entry(100, { to_port: 8081 }) }) });
    expect(planLines(impact)).toEqual(['app replace aws_network_acl_rule.in_8080 (to_port)']);
    expect(impact.duplicates).toEqual([]);
  });

  test('WHEN an entry with create_before_destroy keeps its number THEN AWS refuses the new one while the old exists', () => {
    const cbd = { lifecycle: { create_before_destroy: true } };
    const impact = impactOf({ app: acl({ in_8080: entry(100, cbd) }) }, { app: acl({ in_8080: entry(100, { ...cbd, to_port: 8081 }) }) });
    expect(impact.stacks[0].replaced[0].refusedTogether).toEqual(['nacl-rule-number:${app/aws_network_acl.web.id}|ingress|100']);
    expect(impact.duplicates.map((failure) => [failure.kind, failure.when])).toEqual([['nacl-rule-number', 'during-apply']]);
  });

  test('WHEN an entry with create_before_destroy takes a new number THEN both may exist at once', () => {
    const cbd = { lifecycle: { create_before_destroy: true } };
    const impact = impactOf({ app: acl({ in_8080: entry(100, cbd) }) }, { app: acl({ in_8080: entry(110, { ...cbd, to_port: 8081 }) }) });
    expect(impact.stacks[0].replaced[0].refusedTogether).toEqual([]);
    expect(impact.duplicates).toEqual([]);
  });

  test('WHEN two entries of one direction take one number THEN the apply fails; a new entry taking a destroyed entry\'s number may too', () => {
    const before = acl({ a: entry(100), b: entry(110, { to_port: 9090, from_port: 9090 }) });
    const after = acl({
      a: entry(100), c: entry(110, { from_port: 9191, to_port: 9191 }), d: entry(100, { egress: true }), e: entry(100, { from_port: 1, to_port: 1 }),
    });
    const impact = impactOf({ app: before }, { app: after });
    expect(impact.duplicates.map((failure) => [failure.kind, failure.when, failure.resources])).toEqual([
      ['nacl-rule-number', 'after', ['app:aws_network_acl_rule.a', 'app:aws_network_acl_rule.e']],
      ['nacl-rule-number', 'during-apply', ['app:aws_network_acl_rule.b', 'app:aws_network_acl_rule.c']],
    ]);
  });
});

describe('change impact: Azure NSG rules and ASGs', () => {
  function nsg(rules: Json, asgName = 'api'): Json {
    return {
      resource: {
        azurerm_network_security_group: { nsg: { name: 'nsg', resource_group_name: 'rg', location: 'westeurope' } },
        azurerm_application_security_group: { api: { name: asgName, resource_group_name: 'rg', location: 'westeurope' } },
        azurerm_network_security_rule: rules,
      },
    };
  }
  const rule = (name: string, priority: number, extra: Json = {}) => ({
    '//': { microseg: { flows: [FLOW] } },
    name,
    priority,
    'direction': 'Inbound',
    'access': 'Allow',
    'protocol': 'Tcp',
    'source_port_range': '*',
    'destination_port_range': '8080',
    'source_address_prefix': '10.0.1.0/24',
    'destination_application_security_group_ids': ['${azurerm_application_security_group.api.id}'],
    'network_security_group_name': '${azurerm_network_security_group.nsg.name}',
    'resource_group_name': 'rg',
    ...extra,
  });

  test('WHEN priority, ports and prefixes change THEN the rule is updated in place; WHEN its name changes THEN it is replaced', () => {
    const impact = impactOf({ app: nsg({ a: rule('a', 100), b: rule('b', 110) }) },
      { app: nsg({ a: rule('a', 120, { destination_port_range: '8080-8081', source_address_prefix: '10.0.0.0/16' }), b: rule('b2', 110) }) });
    expect(planLines(impact)).toEqual([
      'app replace azurerm_network_security_rule.b (name)',
      'app update azurerm_network_security_rule.a (destination_port_range, priority, source_address_prefix)',
    ]);
    expect(impact.duplicates).toEqual([]);
  });

  test('WHEN two rules swap priorities THEN the apply fails (SecurityRuleConflict)', () => {
    const impact = impactOf({ app: nsg({ a: rule('a', 100), b: rule('b', 110) }) }, { app: nsg({ a: rule('a', 110), b: rule('b', 100) }) });
    expect(impact.duplicates.map((failure) => [failure.kind, failure.when, failure.resources])).toEqual([
      ['nsg-priority', 'during-apply', ['app:azurerm_network_security_rule.b', 'app:azurerm_network_security_rule.a']],
      ['nsg-priority', 'during-apply', ['app:azurerm_network_security_rule.a', 'app:azurerm_network_security_rule.b']],
    ]);
  });

  test('WHEN two rules of one direction take one priority THEN the apply fails', () => {
    const impact = impactOf({ app: nsg({ a: rule('a', 100) }) }, { app: nsg({ a: rule('a', 100), b: rule('b', 100, { direction: 'Inbound' }) }) });
    expect(impact.duplicates.map((failure) => [failure.kind, failure.when])).toEqual([['nsg-priority', 'after']]);
  });

  test('WHEN an ASG is renamed THEN it is replaced, and every rule naming it is updated in place (its ids are not ForceNew)', () => {
    const impact = impactOf({ app: nsg({ a: rule('a', 100) }) }, { app: nsg({ a: rule('a', 100) }, 'api-tier') });
    expect(planLines(impact)).toEqual([
      'app replace azurerm_application_security_group.api (name)',
      'app update azurerm_network_security_rule.a (destination_application_security_group_ids)',
    ]);
  });
});

describe('change impact: NSX rules, groups and services', () => {
  function nsx(ruleExtra: Json = {}, groupExtra: Json = {}): Json {
    return {
      resource: {
        nsxt_policy_parent_security_policy: { app: { display_name: 'app', category: 'Application', domain: 'default', sequence_number: 1000 } },
        nsxt_policy_group: { api: { display_name: 'api', domain: 'default', nsx_id: 'api', ...groupExtra } },
        nsxt_policy_service: { tcp_8080: { display_name: 'tcp-8080', nsx_id: 'tcp-8080', l4_port_set_entry: [{ protocol: 'TCP', destination_ports: ['8080'] }] } },
        nsxt_policy_security_policy_rule: {
          web_api: {
            '//': { microseg: { flows: [FLOW] } },
            'display_name': 'web to api',
            'policy_path': '${nsxt_policy_parent_security_policy.app.path}',
            'sequence_number': 10,
            'action': 'ALLOW',
            'destination_groups': ['${nsxt_policy_group.api.path}'],
            'services': ['${nsxt_policy_service.tcp_8080.path}'],
            ...ruleExtra,
          },
        },
      },
    };
  }

  test('WHEN a rule\'s sequence number and name change THEN it is updated in place', () => {
    const impact = impactOf({ app: nsx() }, { app: nsx({ sequence_number: 20, display_name: 'web to api (8080)' }) });
    expect(planLines(impact)).toEqual(['app update nsxt_policy_security_policy_rule.web_api (display_name, sequence_number)']);
  });

  test('WHEN a rule moves to another policy THEN it is replaced (policy_path)', () => {
    const after = nsx({ policy_path: '${nsxt_policy_parent_security_policy.other.path}' });
    after.resource.nsxt_policy_parent_security_policy.other = { display_name: 'other', category: 'Application', domain: 'default', sequence_number: 1001 };
    const impact = impactOf({ app: nsx() }, { app: after });
    expect(planLines(impact)).toEqual([
      'app create nsxt_policy_parent_security_policy.other (new address)',
      'app replace nsxt_policy_security_policy_rule.web_api (policy_path)',
    ]);
  });

  test('WHEN a group\'s nsx_id changes THEN it is replaced and the rule that names it is updated in place', () => {
    const impact = impactOf({ app: nsx() }, { app: nsx({}, { nsx_id: 'api-tier' }) });
    expect(planLines(impact)).toEqual([
      'app replace nsxt_policy_group.api (nsx_id)',
      'app update nsxt_policy_security_policy_rule.web_api (destination_groups)',
    ]);
  });

  test('WHEN a rule\'s group is swapped for a new one and the old group destroyed THEN the rule is updated before the destroy, and no traffic drops', () => {
    // the fixture's VMs and groups, with a default rule that drops what no rule allows
    const before = fixtureJson('nsx-dfw');
    before.resource.nsxt_policy_predefined_security_policy = {
      default_l3: { path: '/infra/domains/default/security-policies/default-layer3-section', default_rule: { action: 'DROP' } },
    };
    const after = JSON.parse(JSON.stringify(before).split('${nsxt_policy_group.db.path}').join('${nsxt_policy_group.db2.path}'));
    after.resource.nsxt_policy_group.db2 = { ...after.resource.nsxt_policy_group.db, nsx_id: 'db2', display_name: 'db2' };
    delete after.resource.nsxt_policy_group.db;
    after['//'].microseg.segments['dc/Db'].groups = ['nsxt_policy_group.db2'];
    const impact = impactOf({ dc: before }, { dc: after });
    expect(planLines(impact)).toContain('dc destroy nsxt_policy_group.db (address gone)');
    expect(planLines(impact)).toContain('dc update nsxt_policy_security_policy.shop (rule)');
    // Terraform creates db2, updates the policy to name it, then destroys db: the policy never names a missing group
    expect(impact.interrupted).toEqual([]);
    expect(evaluate(loadTerraformStacks({ dc: before }), { from: 'dc/WebVm', to: 'dc/DbVm', port: 'tcp/5432' }).allowed).toBe(true);
  });

  test('WHEN the group a rule names is replaced THEN the old group goes before the rule names the new one, and the traffic drops meanwhile', () => {
    const before = fixtureJson('nsx-dfw');
    before.resource.nsxt_policy_predefined_security_policy = {
      default_l3: { path: '/infra/domains/default/security-policies/default-layer3-section', default_rule: { action: 'DROP' } },
    };
    const after = JSON.parse(JSON.stringify(before));
    after.resource.nsxt_policy_group.db.nsx_id = 'db-tier';
    const impact = impactOf({ dc: before }, { dc: after });
    expect(planLines(impact)).toContain('dc replace nsxt_policy_group.db (nsx_id)');
    expect(impact.interrupted).toContainEqual(expect.objectContaining({ from: 'dc/WebVm', to: 'dc/DbVm', ports: ['tcp/5432'] }));
  });

  test('WHEN a second rule takes the sequence number of the first in one policy THEN it is reported', () => {
    const after = nsx();
    after.resource.nsxt_policy_security_policy_rule.web_api_2 = { ...after.resource.nsxt_policy_security_policy_rule.web_api, display_name: 'second' };
    const impact = impactOf({ app: nsx() }, { app: after });
    expect(impact.duplicates.map((failure) => [failure.kind, failure.when, failure.resources])).toEqual([
      ['nsx-sequence', 'after', ['app:nsxt_policy_security_policy_rule.web_api', 'app:nsxt_policy_security_policy_rule.web_api_2']],
    ]);
  });
});

describe('formatChangeImpact', () => {
  test('names each destroyed or replaced resource with its reasons and flows, then each interruption', () => {
    const after = awsApp(webToApiRules({ egress: 'web_out_api_8080', ingress: 'api_in_web_8080_v2' }));
    const text = formatChangeImpact(impactOf({ app: awsApp() }, { app: after }));
    expect(text.split('\n').slice(0, 2)).toEqual([
      'stack app: 1 destroyed, 0 replaced, 0 updated, 1 created',
      `  destroy aws_vpc_security_group_ingress_rule.api_in_web_8080 (address gone) serving ${FLOW}`,
    ]);
    expect(text).toContain(`interrupted app/WebVm -> app/ApiVm tcp/8080 while stack app applies: flows ${FLOW} via app:aws_vpc_security_group_ingress_rule.api_in_web_8080`);
  });
});
