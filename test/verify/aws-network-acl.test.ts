import { decidingAddresses, loadFixture } from './fixtures';
import { evaluate } from '../../lib/verify/evaluate';

const model = loadFixture('aws-nacl');

describe('AWS network ACLs', () => {
  test('request and return traffic both pass: four checks, in path order', () => {
    const verdict = evaluate(model, { from: 'aws_instance.web1', to: 'aws_instance.app1', port: 'tcp/8080' });
    expect(verdict.allowed).toBe(true);
    const acl = verdict.layers.filter((l) => l.layer === 'aws-network-acl');
    expect(acl.map((l) => l.point)).toEqual([
      'egress of subnet aws_subnet.web (request)',
      'ingress of subnet aws_subnet.app (request)',
      'egress of subnet aws_subnet.app (return)',
      'ingress of subnet aws_subnet.web (return)',
    ]);
    expect(decidingAddresses(acl)).toEqual([
      'aws_network_acl_rule.web_out_8080_app',
      'aws_network_acl_rule.app_in_8080_web',
      'aws_network_acl_rule.app_out_ephemeral',
      'aws_network_acl_rule.web_in_ephemeral',
    ]);
  });

  test('no matching rule means the implicit deny', () => {
    const verdict = evaluate(model, { from: 'aws_instance.web1', to: 'aws_instance.app1', port: 'tcp/5432' });
    expect(verdict.denied).toBe(true);
    const egress = verdict.layers.find((l) => l.point === 'egress of subnet aws_subnet.web (request)');
    expect(egress).toMatchObject({ status: 'denied' });
    expect(decidingAddresses([egress!])).toEqual(['aws_network_acl.web (*)']);
    expect(egress!.reason).toContain('implicit deny');
  });

  test('return traffic denied for part of the ephemeral range denies the flow and names the passing ports', () => {
    const verdict = evaluate(model, { from: 'aws_instance.web1', to: 'aws_instance.db1', port: 'tcp/5432' });
    expect(verdict.allowed).toBe(false);
    const returnPoint = verdict.layers.find((l) => l.point === 'egress of subnet aws_subnet.db (return)');
    expect(returnPoint).toMatchObject({ status: 'denied' });
    expect(returnPoint!.reason).toContain('only tcp/32768-49999 pass');
    expect(decidingAddresses([returnPoint!])).toEqual(['aws_network_acl.db.egress[0]', 'aws_network_acl.db.egress[1]']);
  });

  test('the ephemeral range is configurable', () => {
    const verdict = evaluate(model, { from: 'aws_instance.web1', to: 'aws_instance.db1', port: 'tcp/5432' }, { ephemeralPorts: [32768, 49999] });
    expect(verdict.allowed).toBe(true);
  });

  test('traffic within one subnet is not filtered', () => {
    const verdict = evaluate(model, { from: 'aws_instance.web1', to: 'aws_instance.web2', port: 'tcp/9999' });
    expect(verdict.allowed).toBe(true);
    expect(verdict.layers.find((l) => l.layer === 'aws-network-acl')).toMatchObject({ status: 'skipped' });
  });

  test('the reverse direction needs its own request rule', () => {
    expect(evaluate(model, { from: 'aws_instance.app1', to: 'aws_instance.web1', port: 'tcp/8080' }).denied).toBe(true);
  });

  test('a CIDR endpoint is placed in the aws_subnet that contains it', () => {
    expect(evaluate(model, { from: 'aws_instance.web1', to: '10.0.2.99', port: 'tcp/8080' }).allowed).toBe(true);
    expect(evaluate(model, { from: 'aws_instance.web1', to: '10.0.5.5', port: 'tcp/8080' }).denied).toBe(true);
  });

  test('subnet CIDRs from the inventory place endpoints; a subnet without ACL association is skipped', () => {
    const verdict = evaluate(model, { from: '10.0.4.7', to: 'aws_instance.web1', port: 'tcp/40000' });
    const mgmt = verdict.layers.find((l) => l.point === 'egress of subnet subnet-0mgmt');
    expect(mgmt).toMatchObject({ status: 'skipped' });
    expect(mgmt!.reason).toContain('no network ACL is associated');
    // web's egress has no rule back to 10.0.4.0/24: return traffic fails
    expect(verdict.allowed).toBe(false);
  });

  test('an explicit deny rule decides before later rules and names the guardrail that wrote it', () => {
    const verdict = evaluate(model, { from: 'aws_instance.web1', to: 'aws_instance.app1', port: 'tcp/23' });
    expect(verdict.denied).toBe(true);
    const egress = verdict.layers.find((l) => l.point === 'egress of subnet aws_subnet.web (request)')!;
    expect(egress.decidingRules).toEqual([{
      address: 'aws_network_acl_rule.web_out_deny_telnet',
      constructPath: 'net/WebAcl/deny-telnet',
      flows: [],
      guardrails: ['net/NoTelnet'],
      summary: '#50 deny tcp/23 to 0.0.0.0/0',
    }]);
    expect(egress.reason).toContain('denies tcp/23');
  });
});
