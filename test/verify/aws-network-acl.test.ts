import * as fs from 'fs';
import * as path from 'path';
import { decidingAddresses, fixtureDir, loadFixture } from './fixtures';
import { AllowFlow, AwsBinding, AwsEnforcement, Port, Segment, Workload } from '../../lib';
import { evaluate } from '../../lib/verify/evaluate';
import { loadTerraformStacks } from '../../lib/verify/model/load-terraform';
import { awsProtocol, describeAwsPorts } from '../../lib/verify/platforms/aws/aws-protocol';
import { awsStack, instance, newApp, synthApp } from '../helpers';

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

describe('AWS network ACLs: ICMP type and code', () => {
  /** The aws-nacl fixture plus ICMP entries web -> app: `requests` on the request path, `replies` on the return path. */
  function icmpModel(requests: Record<string, unknown>, replies: Record<string, unknown>, denies: Record<string, unknown>[] = []) {
    const stack = JSON.parse(fs.readFileSync(path.join(fixtureDir('aws-nacl'), 'cdk.tf.json'), 'utf8'));
    const rules = stack.resource.aws_network_acl_rule;
    const entry = (acl: string, egress: boolean, number: number, cidr: string, fields: Record<string, unknown>, action = 'allow') =>
      ({ network_acl_id: `\${aws_network_acl.${acl}.id}`, rule_number: number, egress, rule_action: action, cidr_block: cidr, ...fields });
    rules.web_out_icmp = entry('web', true, 300, '10.0.2.0/24', requests);
    rules.app_in_icmp = entry('app', false, 300, '10.0.1.0/24', requests);
    rules.app_out_icmp_reply = entry('app', true, 300, '10.0.1.0/24', replies);
    rules.web_in_icmp_reply = entry('web', false, 300, '10.0.2.0/24', replies);
    denies.forEach((fields, i) => { rules[`web_out_icmp_deny_${i}`] = entry('web', true, 10 + i, '10.0.2.0/24', fields, 'deny'); });
    return loadTerraformStacks({ net: stack });
  }
  const ECHO = { protocol: '1', icmp_type: 8, icmp_code: -1 };
  const ECHO_REPLY = { protocol: '1', icmp_type: 0, icmp_code: 0 };

  test('ping passes when the return entry is exactly the echo reply (type 0 code 0)', () => {
    const ping = icmpModel(ECHO, ECHO_REPLY);
    const verdict = evaluate(ping, { from: 'aws_instance.web1', to: 'aws_instance.app1', port: 'icmp/8' });
    expect(verdict.allowed).toBe(true);
    expect(verdict.layers.find((l) => l.point === 'ingress of subnet aws_subnet.web (return)')).toMatchObject({ status: 'allowed' });
    expect(evaluate(ping, { from: 'aws_instance.web1', to: 'aws_instance.app1', port: 'icmp/8/0' }).allowed).toBe(true);
    // the reverse direction has no request entry
    expect(evaluate(ping, { from: 'aws_instance.app1', to: 'aws_instance.web1', port: 'icmp/8' }).denied).toBe(true);
  });

  test('a return entry of another code or type lets no echo reply back: ping is denied', () => {
    for (const replies of [{ protocol: '1', icmp_type: 0, icmp_code: 1 }, { protocol: '1', icmp_type: 3, icmp_code: 0 }]) {
      const verdict = evaluate(icmpModel(ECHO, replies), { from: 'aws_instance.web1', to: 'aws_instance.app1', port: 'icmp/8' });
      expect(verdict.allowed).toBe(false);
      expect(verdict.layers.find((l) => l.point === 'ingress of subnet aws_subnet.web (return)')).toMatchObject({ status: 'denied' });
    }
  });

  test('a request entry restricted to code 0 allows exactly code 0 of its type', () => {
    const codeZero = icmpModel({ protocol: '1', icmp_type: 8, icmp_code: 0 }, ECHO_REPLY);
    expect(evaluate(codeZero, { from: 'aws_instance.web1', to: 'aws_instance.app1', port: 'icmp/8/0' }).allowed).toBe(true);
    expect(evaluate(codeZero, { from: 'aws_instance.web1', to: 'aws_instance.app1', port: 'icmp/8/1' }).denied).toBe(true);
    // every code of type 8 is more than the entry allows
    expect(evaluate(codeZero, { from: 'aws_instance.web1', to: 'aws_instance.app1', port: 'icmp/8' }).allowed).toBe(false);
  });

  test('a deny entry with a code denies that code only; without a code, every code of its type', () => {
    const byCode = icmpModel(ECHO, ECHO_REPLY, [{ protocol: '1', icmp_type: 8, icmp_code: 5 }]);
    expect(evaluate(byCode, { from: 'aws_instance.web1', to: 'aws_instance.app1', port: 'icmp/8/0' }).allowed).toBe(true);
    expect(evaluate(byCode, { from: 'aws_instance.web1', to: 'aws_instance.app1', port: 'icmp/8/5' }).denied).toBe(true);
    expect(evaluate(byCode, { from: 'aws_instance.web1', to: 'aws_instance.app1', port: 'icmp/8' }).allowed).toBe(false);
    const byType = icmpModel(ECHO, ECHO_REPLY, [{ protocol: '1', icmp_type: 8, icmp_code: -1 }]);
    expect(evaluate(byType, { from: 'aws_instance.web1', to: 'aws_instance.app1', port: 'icmp/8/0' }).denied).toBe(true);
  });

  test('an entry without icmp_type and icmp_code is type 0 code 0 (the provider sends 0): it lets echo replies through, never echo requests', () => {
    const unset = icmpModel({ protocol: '1' }, ECHO_REPLY);
    const request = (port: string) => evaluate(unset, { from: 'aws_instance.web1', to: 'aws_instance.app1', port }).layers
      .find((l) => l.point === 'egress of subnet aws_subnet.web (request)');
    expect(request('icmp/8')).toMatchObject({ status: 'denied' });
    expect(request('icmp/0/0')).toMatchObject({ status: 'allowed' });
  });

  test('a TCP entry without from_port and to_port matches port 0 only (the provider sends 0-0)', () => {
    const stack = JSON.parse(fs.readFileSync(path.join(fixtureDir('aws-nacl'), 'cdk.tf.json'), 'utf8'));
    for (const name of ['web_out_8080_app', 'app_in_8080_web']) {
      delete stack.resource.aws_network_acl_rule[name].from_port;
      delete stack.resource.aws_network_acl_rule[name].to_port;
    }
    const verdict = evaluate(loadTerraformStacks({ net: stack }), { from: 'aws_instance.web1', to: 'aws_instance.app1', port: 'tcp/8080' });
    expect(verdict.denied).toBe(true);
    expect(verdict.layers.find((l) => l.point === 'egress of subnet aws_subnet.web (request)')).toMatchObject({ status: 'denied' });
  });

  test('protocol "ipv6-icmp", a network ACL entry\'s name for 58, is ICMPv6', () => {
    expect(awsProtocol('ipv6-icmp')).toBe('icmpv6');
    expect(describeAwsPorts({ protocol: 'ipv6-icmp', icmpType: 128, icmpCode: 0 })).toBe('icmpv6/128/0');
  });

  test('the reply of a timestamp request (13) is a timestamp reply (14, code 0)', () => {
    const request = { protocol: '1', icmp_type: 13, icmp_code: -1 };
    expect(evaluate(icmpModel(request, { protocol: '1', icmp_type: 14, icmp_code: 0 }), { from: 'aws_instance.web1', to: 'aws_instance.app1', port: 'icmp/13' }).allowed).toBe(true);
    expect(evaluate(icmpModel(request, ECHO_REPLY), { from: 'aws_instance.web1', to: 'aws_instance.app1', port: 'icmp/13' }).allowed).toBe(false);
  });
});

describe('AWS network ACLs and a host known only by its addresses', () => {
  test('a host inside a mapped subnet is in that subnet: traffic with a workload of the same subnet crosses no ACL', () => {
    // GIVEN a subnet with network ACLs, an instance in it, and an appliance known by an address inside it
    const app = newApp();
    const stack = awsStack(app, 's');
    const enforcement = new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-1', networkAcls: true });
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    enforcement.addSubnet({ segment: web, subnetId: 'subnet-web', cidr: '10.0.1.0/24' });
    new Workload(stack, 'WebVm', { binding: AwsBinding.instance(instance(stack, 'webvm', { subnetId: 'subnet-web', privateIp: '10.0.1.10' })), labels: { tier: 'web' } });
    const appliance = new Workload(stack, 'Appliance', { addresses: ['10.0.1.200'] });
    new AllowFlow(stack, 'WebToAppliance', { from: web, to: appliance, ports: [Port.SSH] });
    const json = synthApp(app).s.json;
    // WHEN the flow is evaluated
    const verdict = evaluate(loadTerraformStacks({ s: json }), { from: 's/WebVm', to: 's/Appliance', port: 'tcp/22' });
    // THEN no ACL entry was needed, and the ACL layer is skipped as within one subnet
    expect(Object.keys(json.resource.aws_network_acl_rule ?? {})).toEqual([]);
    expect(verdict.allowed).toBe(true);
    expect(verdict.layers.filter((l) => l.layer === 'aws-network-acl').map((l) => l.reason)).toEqual([
      'both ends are in the same subnet; network ACLs do not filter traffic within a subnet',
    ]);
  });
});

describe('AWS network ACLs: the VPC default network ACL, when the JSON manages it', () => {
  /** A VPC with two subnets and an open security group; its default ACL managed with `acl`. */
  function vpcWithDefaultAcl(acl: Record<string, unknown>) {
    const open = { ip_protocol: '-1', cidr_ipv4: '0.0.0.0/0', security_group_id: '${aws_security_group.open.id}' };
    const vm = (subnet: string, ip: string) => ({ ami: 'ami-1', instance_type: 't3.micro', subnet_id: `\${aws_subnet.${subnet}.id}`, private_ip: ip, vpc_security_group_ids: ['${aws_security_group.open.id}'] });
    return loadTerraformStacks({
      net: {
        resource: {
          aws_vpc: { main: { cidr_block: '10.0.0.0/16' } },
          aws_subnet: {
            a: { vpc_id: '${aws_vpc.main.id}', cidr_block: '10.0.1.0/24' },
            b: { vpc_id: '${aws_vpc.main.id}', cidr_block: '10.0.2.0/24' },
          },
          aws_security_group: { open: { name: 'open', vpc_id: '${aws_vpc.main.id}' } },
          aws_vpc_security_group_ingress_rule: { open_in: open },
          aws_vpc_security_group_egress_rule: { open_out: open },
          aws_instance: { a: vm('a', '10.0.1.10'), b: vm('b', '10.0.2.10') },
          aws_default_network_acl: { default: { default_network_acl_id: '${aws_vpc.main.default_network_acl_id}', ...acl } },
        },
      },
    });
  }
  const query = { from: 'aws_instance.a', to: 'aws_instance.b', port: 'tcp/443' };

  test('GIVEN no rules (Terraform removes the default ones) THEN it denies everything, for the subnets it lists and for the other subnets of its VPC', () => {
    for (const acl of [{ subnet_ids: ['${aws_subnet.a.id}', '${aws_subnet.b.id}'] }, {}]) {
      const verdict = evaluate(vpcWithDefaultAcl(acl), query);
      expect(verdict.denied).toBe(true);
      expect(decidingAddresses(verdict.layers.filter((l) => l.layer === 'aws-network-acl' && l.status === 'denied'))).toContain('aws_default_network_acl.default (*)');
    }
  });

  test('GIVEN inline rules THEN they decide, as a custom ACL\'s do', () => {
    const all = { protocol: '-1', rule_no: 100, action: 'allow', cidr_block: '0.0.0.0/0', from_port: 0, to_port: 0 };
    const verdict = evaluate(vpcWithDefaultAcl({ ingress: [all], egress: [all] }), query);
    expect(verdict.allowed).toBe(true);
    expect(decidingAddresses(verdict.layers.filter((l) => l.layer === 'aws-network-acl'))).toEqual(
      ['aws_default_network_acl.default.egress[0]', 'aws_default_network_acl.default.ingress[0]', 'aws_default_network_acl.default.egress[0]', 'aws_default_network_acl.default.ingress[0]']);
  });
});
