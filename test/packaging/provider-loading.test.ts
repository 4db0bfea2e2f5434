import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { compiledLibrary, REPO as repo } from './compiled-library';

// GIVEN the compiled library (dist/, what the package ships), loaded by a fresh Node process as an app loads the package
// WHEN the process requires the package root, and then declares and synthesizes an app of one platform
// THEN the root loads no @cdktf/provider-* package, and the app loads only its own platform's provider:
// an AWS-only user need not install the Azure and vSphere providers (they are optional peers).

beforeAll(() => {
  compiledLibrary();
}, 180_000);

/** Runs `body` in a fresh Node process and returns the provider packages it loaded; `./dist` is the compiled library. */
function providersLoadedBy(body: string): string[] {
  const script = `
    ${body}
    const loaded = new Set();
    for (const file of Object.keys(require.cache)) {
      const match = /node_modules[\\\\/](@cdktf[\\\\/]provider-[a-z]+)[\\\\/]/.exec(file);
      if (match) loaded.add(match[1].replace('\\\\', '/'));
    }
    process.stdout.write('\\nLOADED ' + JSON.stringify([...loaded].sort()) + '\\n');
  `;
  const run = spawnSync(process.execPath, ['-e', script], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1' },
  });
  if (run.status !== 0) throw new Error(`node exited ${run.status}:\n${run.stdout}\n${run.stderr}`);
  const line = run.stdout.split('\n').find((l) => l.startsWith('LOADED '));
  return JSON.parse(line!.slice('LOADED '.length));
}

test('requiring the package root loads no provider package', () => {
  expect(providersLoadedBy("require('./dist');")).toEqual([]);
});

test('the evaluator and the matchers load no provider package', () => {
  expect(providersLoadedBy("require('./dist/verify'); require('./dist/verify/jest');")).toEqual([]);
});

test('an AWS-only app loads the AWS provider only, and its workloads get their groups', () => {
  const loaded = providersLoadedBy(`
    const { TerraformStack, Testing } = require('cdktf');
    const { AwsEnforcement, AwsBinding, Port, Segment, Workload } = require('./dist');
    const { Instance } = require('@cdktf/provider-aws/lib/instance');
    const { AwsProvider } = require('@cdktf/provider-aws/lib/provider');
    const app = Testing.app();
    const stack = new TerraformStack(app, 'shop');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    const api = new Segment(stack, 'Api', { selector: { tier: 'api' } });
    api.allowFrom(web, Port.tcp(8080));
    for (const tier of ['web', 'api']) {
      const vm = new Instance(stack, tier, { ami: 'ami-1', instanceType: 't3.micro' });
      new Workload(stack, tier + '-workload', { binding: AwsBinding.instance(vm), labels: { tier } });
    }
    const json = JSON.parse(Testing.synth(stack, true));
    const groups = json.resource.aws_instance.api.vpc_security_group_ids;
    if (!(groups.length === 1 && /aws_security_group/.test(groups[0]))) throw new Error('api has no group: ' + JSON.stringify(groups));
  `);
  expect(loaded).toEqual(['@cdktf/provider-aws']);
});

test('an app of servers known only by address, with host firewalls, loads no provider package', () => {
  const loaded = providersLoadedBy(`
    const { TerraformStack, Testing } = require('cdktf');
    const { HostBinding, Port, Workload, AllowFlow } = require('./dist');
    const app = Testing.app();
    const stack = new TerraformStack(app, 'dc');
    const web = new Workload(stack, 'Web', { binding: HostBinding.linux(['10.0.0.1']) });
    const db = new Workload(stack, 'Db', { binding: HostBinding.linux(['10.0.0.2']) });
    new AllowFlow(stack, 'WebToDb', { from: web, to: db, ports: [Port.POSTGRES] });
    const json = JSON.parse(Testing.synth(stack, true));
    if (Object.keys(json.resource.terraform_data).length !== 2) throw new Error('no rule sets: ' + JSON.stringify(json.resource));
  `);
  expect(loaded).toEqual([]);
});

test('a Kubernetes-only app loads the Kubernetes provider only, and its pods get their NetworkPolicy', () => {
  const loaded = providersLoadedBy(`
    const { TerraformStack, Testing } = require('cdktf');
    const { KubernetesEnforcement, KubernetesBinding, Port, Segment, Workload } = require('./dist');
    const app = Testing.app();
    const { KubernetesProvider } = require('@cdktf/provider-kubernetes/lib/provider');
    const stack = new TerraformStack(app, 'shop');
    new KubernetesProvider(stack, 'kubernetes', {});
    new KubernetesEnforcement(stack, 'Cluster', { clusterName: 'prod' });
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    new Workload(stack, 'WebPods', { binding: KubernetesBinding.pods('shop', { app: 'web' }), labels: { tier: 'web' } });
    web.allowInternally(Port.HTTPS);
    const json = JSON.parse(Testing.synth(stack, true));
    if (Object.keys(json.resource.kubernetes_network_policy_v1).length !== 3) throw new Error('expected default deny, DNS and the pods policy');
  `);
  expect(loaded).toEqual(['@cdktf/provider-kubernetes']);
});

test('outside the platform folders, no library file imports a provider module, not even for types', () => {
  // GIVEN every TypeScript file of lib/ outside the platform folders lib/aws, lib/azure, lib/vsphere, lib/kubernetes, lib/gcp and lib/host
  const platformFolders = ['aws', 'azure', 'vsphere', 'kubernetes', 'gcp', 'host'].map((folder) => path.join(repo, 'lib', folder) + path.sep);
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (file.endsWith('.ts') && !platformFolders.some((folder) => file.startsWith(folder))) files.push(file);
    }
  };
  walk(path.join(repo, 'lib'));
  expect(files).toContain(path.join(repo, 'lib', 'workload.ts'));
  // WHEN their imports are read THEN none names a @cdktf/provider-* module
  const offenders = files.filter((file) => /from\s+['"]@cdktf\/provider-|require\(\s*['"]@cdktf\/provider-|import\(\s*['"]@cdktf\/provider-/.test(fs.readFileSync(file, 'utf8')));
  expect(offenders.map((file) => path.relative(repo, file))).toEqual([]);
});

test('a Google Cloud-only app loads the Google provider only, and its instances get their secure tags', () => {
  const loaded = providersLoadedBy(`
    const { TerraformStack, Testing } = require('cdktf');
    const { GcpEnforcement, GcpBinding, Port, Segment, Workload } = require('./dist');
    const { ComputeInstance } = require('@cdktf/provider-google/lib/compute-instance');
    const { ComputeNetwork } = require('@cdktf/provider-google/lib/compute-network');
    const { GoogleProvider } = require('@cdktf/provider-google/lib/provider');
    const app = Testing.app();
    const stack = new TerraformStack(app, 'shop');
    new GoogleProvider(stack, 'google', { project: 'shop-prod' });
    const network = new ComputeNetwork(stack, 'Vpc', { name: 'vpc' });
    new GcpEnforcement(stack, 'Gcp', { project: 'shop-prod', network });
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    const api = new Segment(stack, 'Api', { selector: { tier: 'api' } });
    api.allowFrom(web, Port.tcp(8080));
    for (const tier of ['web', 'api']) {
      const vm = new ComputeInstance(stack, tier, {
        name: tier, machineType: 'e2-small', zone: 'europe-west1-b',
        bootDisk: { initializeParams: { image: 'debian-cloud/debian-12' } }, networkInterface: [{ network: 'vpc' }],
      });
      new Workload(stack, tier + '-workload', { binding: GcpBinding.instance(vm), labels: { tier } });
    }
    const json = JSON.parse(Testing.synth(stack, true));
    const tags = json.resource.google_compute_instance.api.params.resource_manager_tags;
    if (Object.keys(tags).length !== 2) throw new Error('api has no secure tags: ' + JSON.stringify(tags));
  `);
  expect(loaded).toEqual(['@cdktf/provider-google']);
});
