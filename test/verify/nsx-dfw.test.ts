import { decidingAddresses, loadFixture } from './fixtures';
import { evaluate } from '../../lib/verify/evaluate';
import { loadTerraformStacks } from '../../lib/verify/model/load-terraform';
import { TerraformModel } from '../../lib/verify/model/terraform-model';

const model = loadFixture('nsx-dfw');

function withDefaultRule(action: string): TerraformModel {
  const json = JSON.parse(JSON.stringify(model.stacks[0].json));
  json.resource.nsxt_policy_predefined_security_policy = {
    default_l3: { path: '/infra/domains/default/security-policies/default-layer3-section', default_rule: { action } },
  };
  return loadTerraformStacks({ dc: json });
}

describe('NSX distributed firewall', () => {
  test('an ALLOW rule matched at the source (OUT) and at the destination (IN) allows, tag matching ignores case', () => {
    const verdict = evaluate(model, { from: 'dc/WebVm', to: 'dc/DbVm', port: 'tcp/5432' });
    expect(verdict.allowed).toBe(true);
    expect(verdict.layers.map((l) => l.point)).toEqual(['OUT at vNIC of dc/WebVm', 'IN at vNIC of dc/DbVm']);
    expect(decidingAddresses(verdict.layers)).toEqual(['nsxt_policy_security_policy.shop.rule[0]', 'nsxt_policy_security_policy.shop.rule[0]']);
    expect(verdict.layers[0].decidingRules[0].summary).toBe('Application policy "shop" rule "web-to-db-pg": ALLOW IN_OUT dc/Web -> dc/Db pg');
    expect(verdict.layers[0].decidingRules[0].flows).toEqual(['dc/Db/AllowFromWeb']);
  });

  test('a DROP rule denies, and an earlier policy wins over a later one', () => {
    const verdict = evaluate(model, { from: 'dc/WebVm', to: 'dc/DbVm', port: 'tcp/22' });
    expect(verdict.denied).toBe(true);
    expect(decidingAddresses(verdict.layers)).toEqual(['nsxt_policy_security_policy.shop.rule[5]', 'nsxt_policy_security_policy.shop.rule[5]']);
  });

  test('categories: an Emergency DROP beats an Application ALLOW', () => {
    expect(evaluate(model, { from: '198.51.100.1', to: 'dc/WebVm', port: 'tcp/443' }).allowed).toBe(true);
    const verdict = evaluate(model, { from: '192.0.2.10', to: 'dc/WebVm', port: 'tcp/443' });
    expect(verdict.denied).toBe(true);
    expect(decidingAddresses(verdict.layers)).toEqual(['nsxt_policy_security_policy.emergency.rule[0]']);
  });

  test('direction: an IN-only ALLOW does not apply at the source vNIC', () => {
    const verdict = evaluate(model, { from: 'dc/WebVm', to: 'dc/DbVm', port: 'tcp/8443' });
    expect(verdict.allowed).toBe(false);
    expect(verdict.layers[0]).toMatchObject({ point: 'OUT at vNIC of dc/WebVm', status: 'denied' });
    expect(verdict.layers[1]).toMatchObject({ point: 'IN at vNIC of dc/DbVm', status: 'allowed' });
    expect(decidingAddresses([verdict.layers[1]])).toEqual(['nsxt_policy_security_policy.shop.rule[2]']);
  });

  test('scope: a rule applies only at vNICs of its applied-to groups', () => {
    expect(evaluate(model, { from: 'vsphere_virtual_machine.tools', to: 'dc/WebVm', port: 'tcp/7777' }).allowed).toBe(true);
    const verdict = evaluate(model, { from: 'vsphere_virtual_machine.tools', to: 'dc/DbVm', port: 'tcp/7777' });
    expect(verdict.denied).toBe(true);
    expect(verdict.layers[0]).toMatchObject({ point: 'OUT at vNIC of dc/ToolsVm', status: 'allowed' });
    expect(decidingAddresses([verdict.layers[1]])).toEqual(['nsxt_policy_security_policy.shop.rule[3]']);
  });

  test('GIVEN an Environment policy that jumps everything to Application, then drops other traffic WHEN a flow an Application rule allows is asked THEN it is allowed there, not left to the default rule', () => {
    // GIVEN the fixture with the default rule set to DROP and an Environment policy: a jump of all
    // traffic, then a DROP that matches nothing of the flow (from the blocked group)
    const json = JSON.parse(JSON.stringify(withDefaultRule('DROP').stacks[0].json));
    const rule = (display_name: string, action: string, source_groups: string[]) => ({
      display_name, action, direction: 'IN_OUT', source_groups, destination_groups: [], services: [], scope: [], logged: false,
    });
    json.resource.nsxt_policy_security_policy.zones = {
      display_name: 'zones',
      category: 'Environment',
      sequence_number: 1,
      stateful: true,
      rule: [rule('to-application', 'JUMP_TO_APPLICATION', []), rule('drop-blocked', 'DROP', ['${nsxt_policy_group.blocked.path}'])],
    };
    const jumped = loadTerraformStacks({ dc: json });
    // WHEN
    const verdict = evaluate(jumped, { from: 'dc/WebVm', to: 'dc/DbVm', port: 'tcp/5432' });
    // THEN the shop policy's Application rule decides at both vNICs, after the jump
    expect(verdict.allowed).toBe(true);
    expect(decidingAddresses(verdict.layers)).toEqual([
      'nsxt_policy_security_policy.zones.rule[0]', 'nsxt_policy_security_policy.shop.rule[0]',
      'nsxt_policy_security_policy.zones.rule[0]', 'nsxt_policy_security_policy.shop.rule[0]',
    ]);
    // and traffic no Application rule allows meets the default DROP after the jump
    const denied = evaluate(jumped, { from: 'vsphere_virtual_machine.tools', to: 'dc/WebVm', port: 'tcp/9999' });
    expect(denied.denied).toBe(true);
    expect(decidingAddresses([denied.layers[0]])).toEqual(['nsxt_policy_security_policy.zones.rule[0]', 'nsxt_policy_predefined_security_policy.default_l3.default_rule']);
  });

  test('the default Layer-3 rule allows what no rule matches', () => {
    const verdict = evaluate(model, { from: 'vsphere_virtual_machine.tools', to: 'dc/WebVm', port: 'tcp/9999' });
    expect(verdict.allowed).toBe(true);
    expect(decidingAddresses(verdict.layers)).toEqual(['NSX default Layer-3 rule', 'NSX default Layer-3 rule']);
  });

  test('a predefined policy that sets the default rule to DROP denies what no rule matches', () => {
    const verdict = evaluate(withDefaultRule('DROP'), { from: 'vsphere_virtual_machine.tools', to: 'dc/WebVm', port: 'tcp/9999' });
    expect(verdict.denied).toBe(true);
    expect(decidingAddresses(verdict.layers)[0]).toBe('nsxt_policy_predefined_security_policy.default_l3.default_rule');
  });

  test('parent policy with separate rule resources, ordered by sequence number; disabled rules are ignored', () => {
    const verdict = evaluate(model, { from: 'vsphere_virtual_machine.tools', to: 'dc/DbVm', port: 'tcp/22' });
    expect(verdict.denied).toBe(true);
    expect(decidingAddresses([verdict.layers[1]])).toEqual(['nsxt_policy_security_policy_rule.late_tools']);
  });

  test('segments: the hypothetical member carries the tags its group criteria require and those all real members share', () => {
    expect(evaluate(model, { from: 'dc/Web', to: 'dc/Db', port: 'tcp/5432' }).allowed).toBe(true);
    expect(evaluate(model, { from: 'dc/Web', to: 'dc/Db', port: 'tcp/7777' }).denied).toBe(true);
    // every real member also carries app|shop, so the shop policy's closing DROP applies to it too
    expect(evaluate(model, { from: 'dc/Web', to: 'dc/Db', port: 'tcp/22' }).denied).toBe(true);
  });
});
