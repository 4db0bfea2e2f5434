import { AwsBinding, Port, Segment, Workload } from '../../lib';
import { evaluate, loadTerraformStacks } from '../../lib/verify';
import { awsWebEstate, instance, synthApp } from '../helpers';

describe('a bound resource whose logical id the app overrides', () => {
  test('is named in the inventory by the address it is written at, so the evaluator finds it', () => {
    // GIVEN a web instance and a db instance, the db one renamed in Terraform with overrideLogicalId
    const { app, stack, web } = awsWebEstate('shop');
    const db = new Segment(stack, 'Db', { selector: { tier: 'db' } });
    const dbInstance = instance(stack, 'db');
    dbInstance.overrideLogicalId('orders_db');
    new Workload(stack, 'DbVm', { binding: AwsBinding.instance(dbInstance), labels: { tier: 'db' } });
    db.allowFrom(web, Port.tcp(5432));

    // WHEN
    const out = synthApp(app);
    const model = loadTerraformStacks({ shop: out.shop.json });

    // THEN the inventory names the instance where it is written, and the flow reads as declared
    expect(Object.keys(out.shop.json.resource.aws_instance)).toContain('orders_db');
    expect(out.shop.json['//'].microseg.workloads['shop/DbVm'].binding).toBe('aws_instance.orders_db');
    expect(evaluate(model, { from: 'shop/WebVm', to: 'shop/DbVm', port: 'tcp/5432' }).allowed).toBe(true);
    expect(evaluate(model, { from: 'shop/WebVm', to: 'shop/DbVm', port: 'tcp/22' }).allowed).toBe(false);
    expect(evaluate(model, { from: 'shop/DbVm', to: 'shop/WebVm', port: 'tcp/5432' }).allowed).toBe(false);
  });
});
