import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { decidingAddresses } from './fixtures';
import { estateOf } from '../../lib/verify/estate/estate';
import { awsFacts } from '../../lib/verify/platforms/aws/aws-facts';
import { evaluate } from '../../lib/verify/evaluate';
import { loadTerraform } from '../../lib/verify/model/load-terraform';
import { TerraformModel } from '../../lib/verify/model/terraform-model';
import { buildCrossStackApp } from '../fixtures/cross-stack/app';

let outdir: string;
let model: TerraformModel;

beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-cross-stack-'));
  buildCrossStackApp(outdir).app.synth();
  model = loadTerraform(outdir);
});

afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

describe('cross-stack references written by a real two-stack cdktf app', () => {
  test('loads every stack of cdktf.out', () => {
    expect(model.stacks.map((s) => s.name)).toEqual(['compute', 'network']);
  });

  test('a remote-state output reference resolves to the producing stack\'s resource', () => {
    const estate = estateOf(model);
    const web = model.resource('compute/aws_instance.web')!;
    const groups = estate.resolver.values('compute', web.body.vpc_security_group_ids);
    expect(groups).toEqual([{ kind: 'reference', key: 'network/aws_security_group.WebSg', attribute: 'id' }]);
  });

  test('concat of a cross-stack list and a local list resolves to both groups', () => {
    const estate = estateOf(model);
    const db = model.resource('compute/aws_instance.db')!;
    expect(awsFacts(estate).interfaceFacts(db).securityGroups).toEqual(['network/aws_security_group.DbSg', 'compute/aws_security_group.MonitoringSg']);
  });

  test('a flow whose rules live in both stacks is allowed, and the rules are named with their stack', () => {
    const verdict = evaluate(model, { from: 'aws_instance.web', to: 'aws_instance.db', port: 'tcp/5432' });
    expect(verdict.allowed).toBe(true);
    expect(decidingAddresses(verdict.layers)).toEqual([
      'compute:aws_vpc_security_group_egress_rule.WebToDb',
      'network:aws_vpc_security_group_ingress_rule.DbFromWeb',
    ]);
  });

  test('the reverse flow is denied', () => {
    expect(evaluate(model, { from: 'compute/db', to: 'compute/web', port: 'tcp/5432' }).denied).toBe(true);
  });

  test('segments named by one stack\'s inventory are found and evaluated', () => {
    expect(evaluate(model, { from: 'network/Web', to: 'network/Db', port: 'tcp/5432' }).allowed).toBe(true);
    expect(evaluate(model, { from: 'network/Db', to: 'network/Web', port: 'tcp/5432' }).denied).toBe(true);
  });

  test('an unresolved address expression matches the rule that names it, not a hypothetical member', () => {
    expect(evaluate(model, { from: 'aws_instance.web', to: 'aws_instance.db', port: 'tcp/9100' }).allowed).toBe(true);
    expect(evaluate(model, { from: 'network/Web', to: 'compute:aws_instance.db', port: 'tcp/9100' }).allowed).toBe(false);
  });

  test('a single stack directory and a single cdk.tf.json load as one stack', () => {
    expect(loadTerraform(path.join(outdir, 'stacks', 'network')).stacks.map((s) => s.name)).toEqual(['network']);
    expect(loadTerraform(path.join(outdir, 'stacks', 'compute', 'cdk.tf.json')).resources.length).toBeGreaterThan(3);
  });
});
