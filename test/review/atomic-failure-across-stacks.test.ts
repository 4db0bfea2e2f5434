import * as fs from 'fs';
import * as path from 'path';
import { App, Aspects, TerraformStack } from 'cdktf';
import { AllowFlow, AwsEnforcement, NsxEnforcement, Peer, Port, Segment, Workload, AwsBinding, VsphereBinding } from '../../lib';
import { awsStack, errorOf, instance, newApp } from '../helpers';
import { nsxStack, vm } from '../vsphere/nsx-fixtures';

// DESIGN.md "Atomic failure: invalid intent fails synthesis with every problem listed; nothing is
// half-written" across stacks: cdktf's App.synth() validates and writes stack by stack, so every
// stack also validates the others' constructs (lib/render/app-wide-validation.ts) and the first
// stack synthesized fails with every problem of the app before anything is written.

/** A valid AWS stack `id` of `app`: its own VPC and one segment, open to the internet on HTTPS, with one instance. */
function validStack(app: App, id: string, vpcId: string): { stack: TerraformStack; segment: Segment } {
  const stack = awsStack(app, id);
  new AwsEnforcement(stack, 'Aws', { vpcId });
  const segment = new Segment(stack, 'Web', { selector: { team: id } });
  segment.allowFrom(Peer.anyIpv4(), Port.HTTPS);
  new Workload(stack, 'web', { binding: AwsBinding.instance(instance(stack, 'web-vm')), labels: { team: id } });
  return { stack, segment };
}

function threeStacks() {
  const app = newApp();
  validStack(app, 'a-valid', 'vpc-1');

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

  test('an app synthesized again is validated again: a problem added since fails it before any stack is written', () => {
    // GIVEN an app of two valid stacks, synthesized once
    const app = newApp();
    validStack(app, 'a-first', 'vpc-1');
    const second = validStack(app, 'b-second', 'vpc-2').segment;
    app.synth();
    const firstFile = path.join(app.outdir, 'stacks', 'a-first', 'cdk.tf.json');
    expect(fs.existsSync(firstFile)).toBe(true);
    // WHEN the second stack gains a problem that is no policy declaration, and the app is synthesized again
    fs.rmSync(firstFile);
    second.node.addValidation({ validate: () => ['the web segment is not ready'] });
    const message = errorOf(() => app.synth());
    // THEN the synthesis fails with that problem, and the first stack is not written
    expect(message).toContain('[b-second/Web] the web segment is not ready');
    expect(fs.existsSync(firstFile)).toBe(false);
  });

  test('a flow an aspect declares while a later stack is synthesized is validated before that stack is written', () => {
    // GIVEN three valid stacks, the second with an aspect that declares an invalid flow in the third
    const app = newApp();
    const stacks = ['a-first', 'b-second', 'c-third'].map((id, index) => validStack(app, id, `vpc-${index}`).stack);
    let declared = false;
    Aspects.of(stacks[1]).add({
      visit: () => {
        if (declared) return;
        declared = true;
        new Segment(stacks[2], 'Late', { selector: { team: 'late' } }).allowFrom(Peer.ipv4('10.0.0.5/16'), Port.SSH);
      },
    });
    // WHEN the app is synthesized
    const message = errorOf(() => app.synth());
    // THEN the late flow's problem fails the second stack's check: neither it nor the third is written
    expect(declared).toBe(true);
    expect(message).toContain('Peer.ipv4("10.0.0.5/16") has host bits set');
    expect(fs.existsSync(path.join(app.outdir, 'stacks', 'b-second', 'cdk.tf.json'))).toBe(false);
    expect(fs.existsSync(path.join(app.outdir, 'stacks', 'c-third', 'cdk.tf.json'))).toBe(false);
  });
});
