import { AwsEnforcement, Port, Segment, Workload, AwsBinding } from '../../lib';
import { evaluate, loadTerraformStacks } from '../../lib/verify';
import { awsStack, instance, newApp, synthApp } from '../helpers';

describe('address-only workloads', () => {
  test('are named in the inventory, so verdicts accept their construct path', () => {
    // GIVEN a bastion known only by its address, allowed to SSH into the db tier
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    const db = new Segment(stack, 'Db', { selector: { tier: 'db' } });
    new Workload(stack, 'DbVm', { binding: AwsBinding.instance(instance(stack, 'db')), labels: { tier: 'db' } });
    const bastion = new Workload(stack, 'Bastion', { addresses: ['203.0.113.10'], labels: { role: 'bastion' } });
    db.allowFrom(bastion, Port.SSH);

    // WHEN
    const out = synthApp(app);
    const model = loadTerraformStacks({ shop: out.shop.json });

    // THEN
    expect(out.shop.json['//'].microseg.workloads['shop/Bastion']).toEqual({
      labels: { role: 'bastion' }, segments: [], addresses: ['203.0.113.10/32'],
    });
    expect(evaluate(model, { from: 'shop/Bastion', to: 'shop/DbVm', port: 'tcp/22' }).allowed).toBe(true);
    expect(evaluate(model, { from: 'shop/Bastion', to: 'shop/DbVm', port: 'tcp/5432' }).allowed).toBe(false);
  });
});
