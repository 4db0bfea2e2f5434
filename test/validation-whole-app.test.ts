import * as fs from 'fs';
import * as path from 'path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Aspects, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AwsBinding, AwsEnforcement, MicrosegChecks, Peer, Port, Segment, Workload } from '../lib';
import { awsStack, errorOf, instance, newApp } from './helpers';

// Synthesis fails as a whole: when any stack is invalid, no stack's Terraform is written, wherever
// the stacks sit in the tree and whatever finds the problem.

/** The stacks whose Terraform was written. */
function written(outdir: string): string[] {
  const stacks = path.join(outdir, 'stacks');
  return fs.existsSync(stacks) ? fs.readdirSync(stacks).filter((stack) => fs.existsSync(path.join(stacks, stack, 'cdk.tf.json'))).sort() : [];
}

/** A stack with an AWS enforcement, a segment Web with one instance, and Web open to `peer` on `port`. */
function webStack(stack: TerraformStack, tier: string, peer: Peer, port: Port): void {
  new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
  const web = new Segment(stack, 'Web', { selector: { tier } });
  new Workload(stack, 'WebVm', { binding: AwsBinding.instance(instance(stack, 'vm')), labels: { tier } });
  web.allowFrom(peer, port);
}

describe('nothing is written when a stack is invalid', () => {
  test('stacks under a plain construct (a stage): the invalid second stack keeps the first from being written', () => {
    const app = newApp();
    const stage = new Construct(app, 'Stage');
    for (const [id, cidr] of [['a', '10.0.0.0/8'], ['b', '10.0.0.0/33']]) {
      const stack = new TerraformStack(stage, id);
      new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
      webStack(stack, id, Peer.ipv4(cidr), Port.HTTPS);
    }
    expect(errorOf(() => app.synth())).toContain("[Stage/a] [Stage/b/Web/AllowFrom-ipv4-10.0.0.0_33-tcp-443] AllowFlow 'Stage/b/Web/AllowFrom-ipv4-10.0.0.0_33-tcp-443' Peer.ipv4(\"10.0.0.0/33\")");
    expect(written(app.outdir)).toEqual([]);
  });

  test('a stack nested in a valid stack: its invalid flow keeps both from being written, and is reported once', () => {
    const app = newApp();
    const outer = awsStack(app, 'outer');
    webStack(outer, 'outer', Peer.ipv4('10.0.0.0/8'), Port.HTTPS);
    const inner = new TerraformStack(outer, 'inner');
    new AwsProvider(inner, 'aws', { region: 'eu-west-1' });
    webStack(inner, 'inner', Peer.ipv4('10.0.0.0/33'), Port.HTTPS);
    const error = errorOf(() => app.synth());
    const problem = "[outer/inner/Web/AllowFrom-ipv4-10.0.0.0_33-tcp-443] AllowFlow 'outer/inner/Web/AllowFrom-ipv4-10.0.0.0_33-tcp-443' Peer.ipv4(\"10.0.0.0/33\")";
    expect(error).toContain(problem);
    expect(error.split(problem).length - 1).toBe(1);
    expect(written(app.outdir)).toEqual([]);
  });

  test('an error finding of MicrosegChecks in the second stack keeps the first from being written, and says why', () => {
    const app = newApp();
    webStack(awsStack(app, 'a'), 'web-a', Peer.ipv4('10.0.0.0/8'), Port.HTTPS);
    webStack(awsStack(app, 'b'), 'web-b', Peer.anyIpv4(), Port.SSH);
    MicrosegChecks.applyTo(app);
    const error = errorOf(() => app.synth());
    expect(error).toContain("[a] [microseg] this stack is not written while the checks fail in stack 'b' ([MS-ADMIN-OPEN] on 'b/Web/AllowFrom-ipv4-0.0.0.0_0-tcp-22')");
    expect(written(app.outdir)).toEqual([]);
  });

  test('a pack on one stack only holds nothing back for another stack, which it does not check', () => {
    const app = newApp();
    const a = awsStack(app, 'a');
    webStack(a, 'web-a', Peer.ipv4('10.0.0.0/8'), Port.HTTPS);
    webStack(awsStack(app, 'b'), 'web-b', Peer.anyIpv4(), Port.SSH);
    Aspects.of(a).add(new MicrosegChecks());
    app.synth();
    expect(written(app.outdir)).toEqual(['a', 'b']);
  });

  test('without findings every stack is written', () => {
    const app = newApp();
    webStack(awsStack(app, 'a'), 'web-a', Peer.ipv4('10.0.0.0/8'), Port.HTTPS);
    webStack(awsStack(app, 'b'), 'web-b', Peer.ipv4('10.1.0.0/16'), Port.HTTPS);
    MicrosegChecks.applyTo(app);
    app.synth();
    expect(written(app.outdir)).toEqual(['a', 'b']);
  });
});
