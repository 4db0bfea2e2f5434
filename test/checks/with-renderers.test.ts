import * as fs from 'fs';
import * as path from 'path';
import { Aspects } from 'cdktf';
import { AwsEnforcement, MicrosegChecks, MicrosegSuppressions, Peer, Port, Segment, Workload, AwsBinding } from '../../lib';
import { awsStack, errorOf, instance, newApp, resourcesOf, synthApp } from '../helpers';
import { annotations } from './check-fixtures';

describe('policy checks next to the AWS renderer', () => {
  function shop() {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    const db = new Segment(stack, 'Db', { selector: { tier: 'db' } });
    const webVm = new Workload(stack, 'WebVm', { binding: AwsBinding.instance(instance(stack, 'web')), labels: { tier: 'web' } });
    new Workload(stack, 'DbVm', { binding: AwsBinding.instance(instance(stack, 'db')), labels: { tier: 'db' } });
    web.allowFrom(Peer.anyIpv4(), Port.HTTPS);
    db.allowFrom(web, Port.POSTGRES);
    return { app, stack, web, db, webVm };
  }

  test('GIVEN a compliant estate with a flow naming a workload directly WHEN synthesized THEN rules are rendered and no check fires', () => {
    const { app, stack, db, webVm } = shop();
    new Workload(stack, 'Ops', { addresses: ['10.9.0.10'] });
    db.allowFrom(webVm, Port.tcp(5433));
    MicrosegChecks.applyTo(app);

    const out = synthApp(app);

    const ingress = Object.values(resourcesOf(out.shop, 'aws_vpc_security_group_ingress_rule'));
    expect(ingress).toContainEqual(expect.objectContaining({ cidr_ipv4: '0.0.0.0/0', from_port: 443, to_port: 443, ip_protocol: 'tcp' }));
    expect(ingress).toContainEqual(expect.objectContaining({ from_port: 5432, to_port: 5432, ip_protocol: 'tcp' }));
    const findings = stack.node.findAll().flatMap((c) => [...annotations(c, 'warn'), ...annotations(c, 'error')]).filter((m) => m.startsWith('[MS-'));
    expect(findings).toEqual([expect.stringContaining("[MS-WORKLOAD-UNSEGMENTED] Workload 'shop/Ops'")]);
  });

  test('GIVEN Postgres open to ::/0 WHEN synthesized THEN synthesis fails and the stack is not written', () => {
    const { app, stack, db } = shop();
    const flow = db.allowFrom(Peer.anyIpv6(), Port.POSTGRES);
    Aspects.of(stack).add(new MicrosegChecks());

    expect(errorOf(() => app.synth())).toContain(`[MS-DB-OPEN] AllowFlow '${flow.node.path}' opens a database port to any address: Port.tcp(5432) (PostgreSQL) from Peer.anyIpv6() ("::/0") to 'shop/Db'.`);
    expect(fs.existsSync(path.join(app.outdir, 'stacks', 'shop', 'cdk.tf.json'))).toBe(false);
  });

  test('GIVEN the same flow with a suppression WHEN synthesized THEN the rule is rendered and the finding is an info', () => {
    const { app, stack, db } = shop();
    const flow = db.allowFrom(Peer.anyIpv6(), Port.POSTGRES);
    MicrosegSuppressions.addSuppressions(flow, [{ id: 'MS-DB-OPEN', reason: 'Read replica for a public data set (DATA-7)' }]);
    Aspects.of(stack).add(new MicrosegChecks());

    const out = synthApp(app);

    expect(Object.values(resourcesOf(out.shop, 'aws_vpc_security_group_ingress_rule'))).toContainEqual(expect.objectContaining({ cidr_ipv6: '::/0', from_port: 5432, to_port: 5432, ip_protocol: 'tcp' }));
    expect(annotations(flow, 'info')).toEqual([expect.stringContaining('[MS-DB-OPEN] suppressed: Read replica for a public data set (DATA-7)')]);
  });
});
