import * as fs from 'fs';
import { AllowFlow, AwsEnforcement, NsxEnforcement, Peer, Port, Segment, Workload, AwsBinding, VsphereBinding } from '../../lib';
import { awsStack, errorOf, instance, newApp } from '../helpers';
import { nsxStack, vm } from '../vsphere/nsx-fixtures';

// DESIGN.md "Atomic failure: invalid intent fails synthesis with every problem listed; nothing is
// half-written" across stacks: cdktf's App.synth() validates and writes stack by stack, so every
// stack also validates the others' constructs (lib/render/app-wide-validation.ts) and the first
// stack synthesized fails with every problem of the app before anything is written.
function threeStacks() {
  const app = newApp();
  const ok = awsStack(app, 'a-valid');
  new AwsEnforcement(ok, 'Aws', { vpcId: 'vpc-1' });
  new Segment(ok, 'Web', { selector: { t: 'ok' } }).allowFrom(Peer.anyIpv4(), Port.HTTPS);
  new Workload(ok, 'web', { binding: AwsBinding.instance(instance(ok, 'web-vm')), labels: { t: 'ok' } });

  const aws = awsStack(app, 'b-invalid-aws');
  new AwsEnforcement(aws, 'Aws', { vpcId: 'vpc-1' });
  new Segment(aws, 'Db', { selector: { t: 'db' } }).allowFrom(Peer.ipv4('10.0.0.5/16'), Port.SSH);
  new Workload(aws, 'db', { binding: AwsBinding.instance(instance(aws, 'db-vm')), labels: { t: 'db' } });

  const nsx = nsxStack(app, 'c-invalid-nsx');
  new NsxEnforcement(nsx, 'Nsx');
  const v = new Segment(nsx, 'V', { selector: { t: 'v' } });
  new Workload(nsx, 'v', { binding: VsphereBinding.virtualMachine(vm(nsx, 'v-vm')), labels: { t: 'v' } });
  new AllowFlow(nsx, 'F', { from: v, to: Peer.ipv4('192.168.1.1/24'), ports: [Port.HTTPS] });
  return app;
}

describe('atomic failure across stacks', () => {
  test('every problem of every stack is listed', () => {
    const message = errorOf(() => threeStacks().synth());
    expect(message).toContain('Peer.ipv4("10.0.0.5/16") has host bits set');
    expect(message).toContain('Peer.ipv4("192.168.1.1/24") has host bits set');
  });

  test('nothing is written when any stack is invalid', () => {
    const app = threeStacks();
    errorOf(() => app.synth());
    expect(fs.existsSync(`${app.outdir}/stacks/a-valid/cdk.tf.json`)).toBe(false);
  });
});
