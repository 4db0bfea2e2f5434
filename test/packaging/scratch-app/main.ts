// A user's cdktf app that installs cdktf-microseg by name: nothing here may reach into the library's
// sources or dist/ paths.
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { App, TerraformStack } from 'cdktf';
import { AwsBinding, AwsEnforcement, Port, Segment, Workload, nsxt } from 'cdktf-microseg';
import { evaluate, loadTerraform } from 'cdktf-microseg/verify';

const app = new App({ outdir: 'cdktf.out' });
const stack = new TerraformStack(app, 'shop');
new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
const vpc = new Vpc(stack, 'Vpc', { cidrBlock: '10.0.0.0/16' });
new AwsEnforcement(stack, 'Aws', { vpcId: vpc.id });

const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
const api = new Segment(stack, 'Api', { selector: { tier: 'api' } });
const db = new Segment(stack, 'Db', { selector: { tier: 'db' } });
api.allowFrom(web, Port.tcp(8080));
db.allowFrom(api, Port.POSTGRES);
for (const tier of ['web', 'api', 'db']) {
  const vm = new Instance(stack, `${tier}-vm`, { ami: 'ami-0abcdef1234567890', instanceType: 't3.micro' });
  new Workload(stack, `${tier}-workload`, { binding: AwsBinding.instance(vm), labels: { tier } });
}
app.synth();

// The evaluator's entry point resolves by name too.
const verdict = evaluate(loadTerraform('cdktf.out'), { from: 'shop/Web', to: 'shop/Api', port: 'tcp/8080' });
if (!verdict.allowed) throw new Error('web -> api on tcp/8080 should be allowed');

// The NSX bindings resolve by name too, as the package's `nsxt` submodule.
if (nsxt.NsxtPolicyGroup.tfResourceType !== 'nsxt_policy_group') throw new Error('nsxt.NsxtPolicyGroup should bind nsxt_policy_group');
