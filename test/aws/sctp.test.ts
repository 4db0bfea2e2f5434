import { Instance } from '@cdktf/provider-aws/lib/instance';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { AwsBinding, AwsEnforcement, DenyFlow, Port, Segment, Workload } from '../../lib';
import { evaluate } from '../../lib/verify/evaluate';
import { loadTerraformStacks } from '../../lib/verify/model/load-terraform';
import { awsStack, errorOf, newApp, resourcesOf, synthApp } from '../helpers';

/** A radio network and a core (5G NGAP runs on SCTP 38412) in two subnets with network ACLs. */
function core(port: Port, deny?: Port) {
  const app = newApp();
  const stack = awsStack(app, 'core');
  const enforcement = new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123', networkAcls: true });
  const ran = new Segment(stack, 'Ran', { selector: { tier: 'ran' } });
  const amf = new Segment(stack, 'Amf', { selector: { tier: 'amf' } });
  for (const [segment, tier, cidr, ip] of [[ran, 'ran', '10.0.1.0/24', '10.0.1.10'], [amf, 'amf', '10.0.2.0/24', '10.0.2.10']] as const) {
    const subnet = new Subnet(stack, `${tier}-subnet`, { vpcId: 'vpc-0123', cidrBlock: cidr });
    enforcement.addSubnet({ segment, subnetId: subnet.id, cidr });
    const instance = new Instance(stack, tier, { ami: 'ami-0abcdef1234567890', instanceType: 't3.micro', subnetId: subnet.id, privateIp: ip });
    new Workload(stack, `${tier}-workload`, { binding: AwsBinding.instance(instance), labels: { tier } });
  }
  amf.allowFrom(ran, port);
  if (deny) new DenyFlow(stack, 'NoNgap', { from: amf, to: ran, ports: [deny] });
  return app;
}

describe('SCTP on AWS', () => {
  test('GIVEN every SCTP port between two segments WHEN synthesized THEN security group rules and ACL entries name IP protocol 132 without ports, and the evaluator names SCTP only that way', () => {
    // GIVEN
    const app = core(Port.allSctp());
    // WHEN
    const out = synthApp(app).core;
    // THEN AWS applies ports to tcp, udp and ICMP only: an SCTP rule carries none
    const ingress = Object.values<any>(resourcesOf(out, 'aws_vpc_security_group_ingress_rule'));
    expect(ingress).toEqual([expect.objectContaining({ ip_protocol: '132' })]);
    expect(ingress[0].from_port).toBeUndefined();
    expect(ingress[0].to_port).toBeUndefined();
    const egress = Object.values<any>(resourcesOf(out, 'aws_vpc_security_group_egress_rule'));
    expect(egress).toEqual([expect.objectContaining({ ip_protocol: '132' })]);
    const aclRules = Object.values<any>(resourcesOf(out, 'aws_network_acl_rule')).filter((r) => r.protocol === '132');
    // out of the radio subnet, into the core subnet, and the replies back (the whole protocol)
    expect(aclRules.map((r) => `${r.egress ? 'egress' : 'ingress'} ${r.cidr_block}`).sort()).toEqual([
      'egress 10.0.1.0/24', 'egress 10.0.2.0/24', 'ingress 10.0.1.0/24', 'ingress 10.0.2.0/24',
    ]);
    for (const rule of aclRules) expect([rule.from_port, rule.to_port]).toEqual([undefined, undefined]);
    const model = loadTerraformStacks({ core: out.json });
    const check = (from: string, to: string, port: string) => evaluate(model, { from, to, port }).allowed;
    // the security groups decide the direction (the ACLs let the whole protocol back, being stateless)
    expect(check('core/Ran', 'core/Amf', 'sctp/38412')).toBe(true);
    expect(check('core/Ran', 'core/Amf', 'sctp/9')).toBe(true);
    expect(check('core/Ran', 'core/Amf', 'tcp/38412')).toBe(false);
    expect(check('core/Amf', 'core/Ran', 'sctp/38412')).toBe(false);
  });

  test('GIVEN one SCTP port WHEN AWS rules would render it THEN synthesis fails: they would allow every SCTP port', () => {
    // GIVEN
    const app = core(Port.sctp(38412));
    // WHEN
    const message = errorOf(() => synthApp(app));
    // THEN
    expect(message).toContain("AllowFlow 'core/Amf/AllowFrom-core-Ran-sctp-38412' names SCTP port 38412, but security group rules cannot match SCTP ports: a rule for IP protocol 132 matches every SCTP port. Use Port.allSctp() if that is acceptable, or keep the flow off AWS.");
    expect(message).toContain('names SCTP port 38412, but network ACL entries cannot match SCTP ports');
  });

  test('GIVEN a DenyFlow on one SCTP port WHEN network ACLs would deny it THEN synthesis fails: the entry would deny every SCTP port', () => {
    // GIVEN
    const app = core(Port.allSctp(), Port.sctp(38412));
    // WHEN
    const message = errorOf(() => synthApp(app));
    // THEN
    expect(message).toContain("DenyFlow 'core/NoNgap' names SCTP port 38412, but network ACL entries cannot match SCTP ports");
  });
});
