import { decidingAddresses, loadFixture } from './fixtures';
import { evaluate } from '../../lib/verify/evaluate';
import { loadTerraformStacks } from '../../lib/verify/model/load-terraform';

const model = loadFixture('azure-nsg');

describe('Azure network security groups', () => {
  test('outbound NIC NSG, inbound subnet NSG then NIC NSG: every level must allow', () => {
    const verdict = evaluate(model, { from: 'az/WebNic', to: 'az/DbNic', port: 'tcp/5432' });
    expect(verdict.allowed).toBe(true);
    expect(verdict.layers.map((l) => l.point)).toEqual([
      'outbound NSG azurerm_network_security_group.web (az/WebNsg) at NIC of az/WebNic',
      'inbound NSG azurerm_network_security_group.dbsubnet (az/DbSubnetNsg) at subnet of az/DbNic',
      'inbound NSG azurerm_network_security_group.db (az/DbNsg) at NIC of az/DbNic',
    ]);
    expect(decidingAddresses(verdict.layers)).toEqual([
      'azurerm_network_security_rule.web_out_5432_db',
      'azurerm_network_security_group.dbsubnet default rule AllowVNetInBound',
      'azurerm_network_security_rule.db_in_5432_web',
    ]);
  });

  test('AllowVNetInBound lets an intra-VNet flow through an NSG that has no deny rule of its own', () => {
    const verdict = evaluate(model, { from: 'azurerm_network_interface.other', to: 'azurerm_network_interface.app', port: 'tcp/22' });
    expect(verdict.allowed).toBe(true);
    expect(decidingAddresses(verdict.layers)).toEqual(['azurerm_network_security_group.app default rule AllowVNetInBound']);
  });

  test('a Deny * rule at 4096 overrides AllowVNetInBound', () => {
    const verdict = evaluate(model, { from: 'azurerm_network_interface.other', to: 'az/DbNic', port: 'tcp/22' });
    expect(verdict.denied).toBe(true);
    const nic = verdict.layers.find((l) => l.point.includes('at NIC of az/DbNic'));
    expect(decidingAddresses([nic!])).toEqual(['azurerm_network_security_rule.db_in_deny_all']);
    // the subnet level alone would have allowed it
    expect(verdict.layers.find((l) => l.point.includes('at subnet of az/DbNic'))).toMatchObject({ allowed: true });
  });

  test('ASG rules match only NICs associated with the ASG', () => {
    expect(evaluate(model, { from: 'azurerm_network_interface.other', to: 'az/DbNic', port: 'tcp/5432' }).denied).toBe(true);
  });

  test('a level with no NSG allows, and says so', () => {
    const verdict = evaluate(model, { from: 'azurerm_network_interface.other', to: 'azurerm_network_interface.app', port: 'tcp/22' });
    expect(verdict.layers[0]).toMatchObject({ status: 'skipped' });
    expect(verdict.layers[0].reason).toContain('no NSG is associated');
  });

  test('addresses outside the VNet meet DenyAllInBound; Internet rules (inline security_rule) admit public sources', () => {
    const denied = evaluate(model, { from: '203.0.113.5', to: 'azurerm_network_interface.app', port: 'tcp/22' });
    expect(denied.denied).toBe(true);
    expect(decidingAddresses(denied.layers)).toEqual(['azurerm_network_security_group.app default rule DenyAllInBound']);
    const allowed = evaluate(model, { from: '203.0.113.5', to: 'azurerm_network_interface.app', port: 'tcp/443' });
    expect(allowed.allowed).toBe(true);
    expect(decidingAddresses(allowed.layers)).toEqual(['azurerm_network_security_group.app.security_rule[0]']);
    // a private address outside the VNet is not Internet
    expect(evaluate(model, { from: '192.168.7.7', to: 'azurerm_network_interface.app', port: 'tcp/443' }).denied).toBe(true);
  });

  test('the VirtualNetwork tag covers configured extra address spaces', () => {
    expect(evaluate(model, { from: '192.168.7.7', to: 'azurerm_network_interface.app', port: 'tcp/22' }, { vnetAddressSpaces: ['192.168.0.0/16'] }).allowed).toBe(true);
  });

  test('outbound defaults: AllowInternetOutBound, and a custom deny before it', () => {
    expect(evaluate(model, { from: 'azurerm_network_interface.app', to: '203.0.113.5', port: 'tcp/443' }).allowed).toBe(true);
    expect(evaluate(model, { from: 'az/WebNic', to: '8.8.8.8', port: 'udp/53' }).denied).toBe(true);
  });

  test('service tags are named peers; public ones are also part of Internet', () => {
    const storage = evaluate(model, { from: 'az/DbNic', to: 'tag:Storage', port: 'tcp/443' });
    expect(storage.allowed).toBe(true);
    expect(decidingAddresses(storage.layers)).toEqual([
      'azurerm_network_security_rule.db_out_storage',
      'azurerm_network_security_group.dbsubnet default rule AllowInternetOutBound',
    ]);
    expect(evaluate(model, { from: 'az/DbNic', to: { kind: 'azure-service-tag', value: 'Storage' }, port: 'tcp/443' }).allowed).toBe(true);
    // the db NSG has no outbound deny rule of its own, so AllowInternetOutBound lets Sql through too
    const sql = evaluate(model, { from: 'az/DbNic', to: 'tag:Sql', port: 'tcp/443' });
    expect(decidingAddresses(sql.layers)[0]).toBe('azurerm_network_security_group.db default rule AllowInternetOutBound');
    expect(evaluate(model, { from: 'az/WebNic', to: 'tag:Storage', port: 'tcp/443' }).denied).toBe(true);
    expect(evaluate(model, { from: 'az/DbNic', to: 'tag:AzureLoadBalancer', port: 'tcp/443' }).denied).toBe(true);
  });

  test('port ranges: 8000-8100 covers 8050 but not 8101', () => {
    expect(evaluate(model, { from: 'az/WebNic', to: 'azurerm_network_interface.app', port: 'tcp/8050' }).allowed).toBe(true);
    expect(evaluate(model, { from: 'az/WebNic', to: 'azurerm_network_interface.app', port: 'tcp/8101' }).denied).toBe(true);
  });

  test('segments: hypothetical members carry the ASG and sit where the real members are', () => {
    expect(evaluate(model, { from: 'az/Web', to: 'az/Db', port: 'tcp/5432' }).allowed).toBe(true);
    expect(evaluate(model, { from: 'az/Web', to: 'az/Db', port: 'tcp/22' }).denied).toBe(true);
  });

  test('a segment without members is placed behind the NSGs whose rules name its ASG', () => {
    const json = JSON.parse(JSON.stringify(model.stacks[0].json));
    delete json.resource.azurerm_network_interface_application_security_group_association.db;
    const empty = loadTerraformStacks({ az: json });
    const verdict = evaluate(empty, { from: 'az/Web', to: 'az/Db', port: 'tcp/5432' });
    expect(verdict.allowed).toBe(true);
    expect(verdict.layers.map((l) => l.point)).toEqual([
      'outbound NSG azurerm_network_security_group.web (az/WebNsg) at NIC of az/Web',
      'inbound NSG azurerm_network_security_group.db (az/DbNsg) at NIC of az/Db',
    ]);
  });
});
