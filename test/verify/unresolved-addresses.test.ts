import { loadFixture } from './fixtures';
import { evaluate } from '../../lib/verify/evaluate';
import { loadTerraformStacks } from '../../lib/verify/model/load-terraform';
import { TerraformModel } from '../../lib/verify/model/terraform-model';

/** A copy of a hand-written fixture's JSON with `edit` applied to it. */
function editedFixture(name: string, stack: string, edit: (json: any) => void): TerraformModel {
  const json = JSON.parse(JSON.stringify(loadFixture(name).stacks[0].json));
  edit(json);
  return loadTerraformStacks({ [stack]: json });
}

/** The statuses a verdict reports: the overall allowed/denied flags and one point's status. */
function outcome(model: TerraformModel, from: string, to: string, port: string, point: string): [boolean, boolean, string | undefined] {
  const verdict = evaluate(model, { from, to, port });
  return [verdict.allowed, verdict.denied, verdict.layers.find((l) => l.point === point)?.status];
}

describe('an address the evaluator cannot resolve in a network ACL entry', () => {
  const WEB_EGRESS = 'egress of subnet aws_subnet.web (request)';
  const APP_EGRESS_RETURN = 'egress of subnet aws_subnet.app (return)';
  const aclRules = (json: any) => json.resource.aws_network_acl_rule;

  test('an allow entry naming a variable is unknown, never denied; ports it does not name stay denied', () => {
    // GIVEN web's egress entry for tcp/8080 names a variable instead of app's subnet
    const model = editedFixture('aws-nacl', 'net', (json) => { aclRules(json).web_out_8080_app.cidr_block = '${var.app_cidr}'; });
    // WHEN
    const verdict = evaluate(model, { from: 'aws_instance.web1', to: 'aws_instance.app1', port: 'tcp/8080' });
    // THEN the entry may be app's address: unknown at that point and overall
    const egress = verdict.layers.find((l) => l.point === WEB_EGRESS)!;
    expect([egress.status, verdict.allowed, verdict.denied]).toEqual(['unknown', false, false]);
    expect(egress.reason).toMatch(/aws_network_acl_rule\.web_out_8080_app names the address \$\{net:var\.app_cidr\}, which the Terraform JSON does not resolve: it may be net\/App1's/);
    // and a port no entry names is still denied with certainty
    expect(outcome(model, 'aws_instance.web1', 'aws_instance.app1', 'tcp/5432', WEB_EGRESS)).toEqual([false, true, 'denied']);
  });

  test('a deny entry naming a variable ahead of the deciding allow is unknown, never allowed', () => {
    // GIVEN a deny entry for tcp/8080 to a variable's address, numbered before web's allow
    const deny = (cidr: string) => editedFixture('aws-nacl', 'net', (json) => {
      Object.assign(aclRules(json).web_out_deny_telnet, { protocol: 'tcp', from_port: 8080, to_port: 8080, cidr_block: cidr });
    });
    // WHEN / THEN the deny may match app: unknown, never a confident allowed
    expect(outcome(deny('${var.blocked}'), 'aws_instance.web1', 'aws_instance.app1', 'tcp/8080', WEB_EGRESS)).toEqual([false, false, 'unknown']);
    // and with a literal CIDR that is not app's, the flow stays allowed with certainty
    expect(outcome(deny('10.9.0.0/16'), 'aws_instance.web1', 'aws_instance.app1', 'tcp/8080', WEB_EGRESS)).toEqual([true, false, 'allowed']);
  });

  test('an unresolved entry on the return leg makes the return point unknown', () => {
    // GIVEN app's egress entry for the return traffic names a variable
    const model = editedFixture('aws-nacl', 'net', (json) => { aclRules(json).app_out_ephemeral.cidr_block = '${var.web_cidr}'; });
    // WHEN / THEN
    expect(outcome(model, 'aws_instance.web1', 'aws_instance.app1', 'tcp/8080', APP_EGRESS_RETURN)).toEqual([false, false, 'unknown']);
    // and the resolvable original is allowed at every point
    expect(outcome(loadFixture('aws-nacl'), 'aws_instance.web1', 'aws_instance.app1', 'tcp/8080', APP_EGRESS_RETURN)).toEqual([true, false, 'allowed']);
  });
});

describe('an address the evaluator cannot resolve in an NSX group', () => {
  const WEB_IN = 'IN at vNIC of dc/WebVm';
  const DB_IN = 'IN at vNIC of dc/DbVm';

  test('an Emergency DROP whose group holds a variable, ahead of the deciding ALLOW, is unknown, never allowed', () => {
    // GIVEN the blocked group's ip addresses include a variable's value
    const model = editedFixture('nsx-dfw', 'dc', (json) => {
      json.resource.nsxt_policy_group.blocked.criteria[0].ipaddress_expression[0].ip_addresses.push('${var.blocked_ip}');
    });
    // WHEN an address outside the literal range asks for https, which an Application ALLOW grants
    const verdict = evaluate(model, { from: '198.51.100.1', to: 'dc/WebVm', port: 'tcp/443' });
    // THEN the DROP may match it
    const inbound = verdict.layers.find((l) => l.point === WEB_IN)!;
    expect([inbound.status, verdict.allowed, verdict.denied]).toEqual(['unknown', false, false]);
    expect(inbound.reason).toMatch(/nsxt_policy_security_policy\.emergency\.rule\[0\] names the address \$\{dc:var\.blocked_ip\}, which the Terraform JSON does not resolve: it may be 198\.51\.100\.1's/);
    // and an address inside the literal range is still denied with certainty
    expect(outcome(model, '192.0.2.10', 'dc/WebVm', 'tcp/443', WEB_IN)).toEqual([false, true, 'denied']);
    // and without the variable the https flow is allowed with certainty
    expect(outcome(loadFixture('nsx-dfw'), '198.51.100.1', 'dc/WebVm', 'tcp/443', WEB_IN)).toEqual([true, false, 'allowed']);
  });

  test('an ALLOW whose source group holds a variable is unknown, never denied', () => {
    // GIVEN partners (an IP group) may reach the db on postgres, and the default rule drops the rest
    const partners = (address: string) => editedFixture('nsx-dfw', 'dc', (json) => {
      json.resource.nsxt_policy_group.partners = { display_name: 'partners', nsx_id: 'partners', criteria: [{ ipaddress_expression: [{ ip_addresses: [address] }] }] };
      json.resource.nsxt_policy_security_policy.shop.rule.unshift({
        display_name: 'partners-to-db',
        action: 'ALLOW',
        direction: 'IN_OUT',
        source_groups: ['${nsxt_policy_group.partners.path}'],
        destination_groups: ['${nsxt_policy_group.db.path}'],
        services: ['${nsxt_policy_service.pg.path}'],
      });
      json.resource.nsxt_policy_predefined_security_policy = {
        default_l3: { path: '/infra/domains/default/security-policies/default-layer3-section', default_rule: { action: 'DROP' } },
      };
    });
    // WHEN / THEN the variable may hold the client's address
    expect(outcome(partners('${var.partner_ip}'), '203.0.113.9', 'dc/DbVm', 'tcp/5432', DB_IN)).toEqual([false, false, 'unknown']);
    // and a port the ALLOW does not name is still denied with certainty
    expect(outcome(partners('${var.partner_ip}'), '203.0.113.9', 'dc/DbVm', 'tcp/22', DB_IN)).toEqual([false, true, 'denied']);
    // and with literal addresses the verdicts are certain both ways
    expect(outcome(partners('203.0.113.0/24'), '203.0.113.9', 'dc/DbVm', 'tcp/5432', DB_IN)).toEqual([true, false, 'allowed']);
    expect(outcome(partners('203.0.113.0/24'), '198.51.100.1', 'dc/DbVm', 'tcp/5432', DB_IN)).toEqual([false, true, 'denied']);
  });
});

describe('an address the evaluator cannot resolve in an NSG Deny rule', () => {
  const DB_NIC = 'inbound NSG azurerm_network_security_group.db (az/DbNsg) at NIC of az/DbNic';
  const denyAhead = (source: string) => editedFixture('azure-nsg', 'az', (json) => {
    json.resource.azurerm_network_security_rule.db_in_deny_listed = {
      name: 'deny-listed',
      priority: 50,
      direction: 'Inbound',
      access: 'Deny',
      protocol: 'Tcp',
      source_port_range: '*',
      source_address_prefix: source,
      destination_address_prefix: '*',
      destination_port_range: '5432',
      resource_group_name: 'rg',
      network_security_group_name: '${azurerm_network_security_group.db.name}',
    };
  });

  test('a Deny ahead of the deciding Allow naming a variable is unknown, never allowed', () => {
    // GIVEN / WHEN / THEN the Deny may match web's address
    expect(outcome(denyAhead('${var.blocked}'), 'az/WebNic', 'az/DbNic', 'tcp/5432', DB_NIC)).toEqual([false, false, 'unknown']);
    // and a literal source that is not web's leaves the flow allowed with certainty
    expect(outcome(denyAhead('10.9.0.0/16'), 'az/WebNic', 'az/DbNic', 'tcp/5432', DB_NIC)).toEqual([true, false, 'allowed']);
  });
});
