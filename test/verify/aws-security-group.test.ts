import { decidingAddresses, loadFixture } from './fixtures';
import { evaluate } from '../../lib/verify/evaluate';
import { formatVerdict } from '../../lib/verify/format-verdict';
import { loadTerraformStacks } from '../../lib/verify/model/load-terraform';

const model = loadFixture('aws-sg');

describe('AWS security groups', () => {
  test('a flow allowed by the source egress rule and the destination ingress rule is allowed, citing both', () => {
    // WHEN
    const verdict = evaluate(model, { from: 'app/Web', to: 'app/Api', port: 'tcp/8080' });
    // THEN
    expect(verdict.allowed).toBe(true);
    expect(verdict.layers.map((l) => l.point)).toEqual(['egress of app/Web', 'ingress of app/Api']);
    expect(decidingAddresses(verdict.layers)).toEqual(['aws_vpc_security_group_egress_rule.web_out_8080_api', 'aws_vpc_security_group_ingress_rule.api_in_8080_web']);
    expect(verdict.layers[1].decidingRules[0]).toMatchObject({
      constructPath: 'app/Api/in-8080-web',
      flows: ['app/Api/AllowFromWeb'],
      summary: 'allow tcp/8080 from aws_security_group.web (app/Web)',
    });
  });

  test('without an egress rule the flow is denied even though the destination would accept it', () => {
    const verdict = evaluate(model, { from: 'app/Web', to: 'app/Db', port: 'tcp/5432' });
    expect(verdict.allowed).toBe(false);
    expect(verdict.denied).toBe(true);
    expect(verdict.layers[0]).toMatchObject({ point: 'egress of app/Web', status: 'denied', decidingRules: [] });
    expect(verdict.layers[0].reason).toContain('security groups deny by default');
    expect(verdict.layers[1].allowed).toBe(false);
  });

  test('the port must match: api to db is allowed on 5432 but not on 5433', () => {
    expect(evaluate(model, { from: 'app/Api', to: 'app/Db', port: 'tcp/5432' }).allowed).toBe(true);
    expect(evaluate(model, { from: 'app/Api', to: 'app/Db', port: 'tcp/5433' }).denied).toBe(true);
  });

  test('a CIDR rule admits addresses inside it and a /0 rule admits any address', () => {
    expect(evaluate(model, { from: '0.0.0.0/0', to: 'app/Web', port: 'tcp/443' }).allowed).toBe(true);
    expect(evaluate(model, { from: '198.51.100.4', to: 'app/Web', port: 'tcp/443' }).allowed).toBe(true);
    expect(evaluate(model, { from: '198.51.100.4', to: 'app/Web', port: 'tcp/80' }).denied).toBe(true);
    expect(evaluate(model, { from: 'app/Bastion', to: 'app/DbVm', port: 'tcp/22' }).allowed).toBe(true);
    expect(evaluate(model, { from: '10.9.0.6', to: 'app/DbVm', port: 'tcp/22' }).denied).toBe(true);
  });

  test('a CIDR endpoint wider than the rule is not fully admitted', () => {
    const verdict = evaluate(model, { from: '10.9.0.0/24', to: 'app/DbVm', port: 'tcp/22' });
    expect(verdict.allowed).toBe(false);
  });

  test('a symbolic address matches a rule that names the same expression', () => {
    expect(evaluate(model, { from: 'app/ApiVm', to: 'app/DbVm', port: 'tcp/6379' }).allowed).toBe(true);
    // the segment's hypothetical member has no known address, so the per-instance rule does not cover it
    expect(evaluate(model, { from: 'app/Api', to: 'app/Db', port: 'tcp/6379' }).allowed).toBe(false);
  });

  test('ICMP types: an echo-request-only rule admits type 8 and not type 3', () => {
    expect(evaluate(model, { from: 'app/Api', to: 'app/Db', port: 'icmp/8' }).allowed).toBe(true);
    expect(evaluate(model, { from: 'app/Api', to: 'app/Db', port: 'icmp/3' }).denied).toBe(true);
  });

  test('a prefix list rule admits an endpoint given as that prefix list', () => {
    expect(evaluate(model, { from: 'app/Api', to: 'pl-0123abcd', port: 'tcp/443' }).allowed).toBe(true);
    expect(evaluate(model, { from: 'app/Api', to: { kind: 'aws-prefix-list', value: 'pl-0123abcd' }, port: 'tcp/443' }).allowed).toBe(true);
    expect(evaluate(model, { from: 'app/Api', to: 'pl-0999ffff', port: 'tcp/443' }).denied).toBe(true);
  });

  test('a port range is allowed only when every port in it is', () => {
    const verdict = evaluate(model, { from: 'app/Web', to: 'app/Api', port: 'tcp/8080-8081' });
    expect(verdict.allowed).toBe(false);
    expect(verdict.denied).toBe(false);
    expect(verdict.layers[0].reason).toContain('only tcp/8080 passes');
  });

  test('legacy inline blocks and aws_security_group_rule are read too', () => {
    expect(evaluate(model, { from: '10.0.7.7', to: 'aws_instance.mail_vm', port: 'tcp/25' }).allowed).toBe(true);
    expect(evaluate(model, { from: '10.0.1.7', to: 'aws_instance.mail_vm', port: 'tcp/587' }).allowed).toBe(true);
    expect(evaluate(model, { from: '10.0.2.7', to: 'aws_instance.mail_vm', port: 'tcp/587' }).denied).toBe(true);
    const verdict = evaluate(model, { from: '10.0.7.7', to: 'aws_instance.mail_vm', port: 'tcp/25' });
    expect(decidingAddresses(verdict.layers)).toEqual(['aws_security_group.legacy.ingress[0]']);
  });

  test('an interface without security groups in the JSON is unknown, never silently allowed', () => {
    const verdict = evaluate(model, { from: 'aws_instance.untracked_vm', to: 'app/Web', port: 'tcp/443' });
    expect(verdict.allowed).toBe(false);
    expect(verdict.denied).toBe(false);
    expect(verdict.layers[0]).toMatchObject({ status: 'unknown' });
    expect(verdict.layers[0].reason).toContain('VPC default security group');
  });

  test('endpoints by group address, Terraform address and resource construct path', () => {
    expect(evaluate(model, { from: 'aws_security_group.web', to: 'aws_security_group.api', port: 'tcp/8080' }).allowed).toBe(true);
    expect(evaluate(model, { from: 'aws_instance.web_vm', to: 'app/ApiVm/Instance', port: 'tcp/8080' }).allowed).toBe(true);
    expect(evaluate(model, { from: 'app/WebVm', to: 'app/ApiVm', port: { protocol: 'tcp', port: 8080 } }).allowed).toBe(true);
  });

  test('the text formatter names the outcome, the points and the deciding rules', () => {
    const text = formatVerdict(evaluate(model, { from: 'app/Web', to: 'app/Api', port: 'tcp/8080' }));
    expect(text).toContain('ALLOWED: app/Web -> app/Api on tcp/8080');
    expect(text).toContain('[aws-security-group] ingress of app/Api: allowed');
    expect(text).toContain('aws_vpc_security_group_ingress_rule.api_in_8080_web (app/Api/in-8080-web): allow tcp/8080 from aws_security_group.web (app/Web) [flows: app/Api/AllowFromWeb]');
  });

  test('without an inventory, a construct path names the endpoint resources below it', () => {
    const json = JSON.parse(JSON.stringify(model.stacks[0].json));
    delete json['//'].microseg;
    const bare = loadTerraformStacks({ app: json });
    const verdict = evaluate(bare, { from: 'app/Web', to: 'app/ApiVm', port: 'tcp/8080' });
    expect(verdict).toMatchObject({ from: 'app/Web/SecurityGroup', to: 'app/ApiVm/Instance', allowed: true });
    expect(() => evaluate(bare, { from: 'app', to: 'app/ApiVm', port: 'tcp/8080' })).toThrow(/contains several endpoints/);
  });

  test('a rule whose port is not a number is refused as input, never read as every port', () => {
    const json = JSON.parse(JSON.stringify(model.stacks[0].json));
    const rule = json.resource.aws_vpc_security_group_ingress_rule.api_in_8080_web;
    rule.from_port = 'abc';
    const broken = loadTerraformStacks({ app: json });
    expect(() => evaluate(broken, { from: 'app/Web', to: 'app/Api', port: 'tcp/22' }))
      .toThrow('app:aws_vpc_security_group_ingress_rule.api_in_8080_web has "abc" where Terraform takes a number; the provider would refuse it.');
    // a value known only at apply stays unknown, not an error
    rule.from_port = '${var.port}';
    expect(() => evaluate(loadTerraformStacks({ app: json }), { from: 'app/Web', to: 'app/Api', port: 'tcp/22' })).not.toThrow();
  });
});
