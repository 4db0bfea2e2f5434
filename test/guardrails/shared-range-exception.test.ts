import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ComputeInstanceTemplate } from '@cdktf/provider-google/lib/compute-instance-template';
import { ComputeSubnetwork } from '@cdktf/provider-google/lib/compute-subnetwork';
import { App, TerraformStack } from 'cdktf';
import {
  AllowFlow, AwsBinding, AwsEnforcement, AzureBinding, AzureEnforcement, DenyFlow, DenyFlowProps, GcpBinding, GuardrailAllow, HostFirewall,
  IFlowEndpoint, KubernetesBinding, MicrosegSuppressions, NsxEnforcement, Peer, Port, Segment, VsphereBinding, Workload,
} from '../../lib';
import '../../lib/verify/jest';
import { azureStack } from '../azure/azure-fixtures';
import { linuxScaleSet } from '../azure/binding-fixtures';
import { gcpEstate, vm as gcpVm } from '../gcp/gcp-fixtures';
import { awsStack, errorOf, instance, newApp, synthApp } from '../helpers';
import { deployment, kubeEstate, podWorkload } from '../kubernetes/k8s-fixtures';
import { nsxStack, vm } from '../vsphere/nsx-fixtures';

// A GuardrailAllow's exception to a DenyFlow must be no wider than its sides. Where the enforcing
// end's platform can name the granted workload only by a range it shares with other hosts (a
// cluster's pod CIDRs, the subnets of a resource without a fixed address), the rendered exception
// would admit those hosts too, although the DenyFlow forbids them: synthesis refuses it.

/** Pods Bastion and Web in cluster 'prod' (pod CIDR 10.244.0.0/16), an Azure VM Db (10.1.1.20). */
function podsAndAzure() {
  const app: App = newApp();
  const kube = kubeEstate(app, 'k');
  const bastion = podWorkload(kube, 'ops', 'bastion');
  const web = podWorkload(kube, 'shop', 'web');
  const az = azureStack(app, 'a');
  new AzureEnforcement(az.stack, 'Azure', { resourceGroupName: az.rg.name, location: az.rg.location, subnetIds: [az.subnet.id] });
  const db = new Workload(az.stack, 'Db', { binding: AzureBinding.networkInterface(az.nic('db-nic', '10.1.1.20')), addresses: ['10.1.1.20'] });
  return { app, kube, stack: az.stack, az, bastion, web, db };
}

/** A GuardrailAllow of SSH from the Bastion pods to Db, and the pods' egress flow to it. */
function grantBastion(e: ReturnType<typeof podsAndAzure>): void {
  new GuardrailAllow(e.stack, 'BastionSsh', { from: e.bastion, to: e.db, ports: [Port.SSH] });
  new AllowFlow(e.stack, 'BastionEgress', { from: e.bastion, to: e.db, ports: [Port.SSH] });
}

/** The estate synthesizes, and only the Bastion pods reach Db on SSH. */
function expectBastionOnly(e: ReturnType<typeof podsAndAzure>): void {
  expect(() => synthApp(e.app)).not.toThrow();
  expect(e.app).toAllowFlow(e.bastion, e.db, Port.SSH);
  expect(e.app).toDenyFlow(e.web, e.db, Port.SSH);
}

/** An NSX stack 'n' with its enforcement and a VM workload Vault (10.9.0.5), plus the provider of the other platform whose rules its flows hold. */
function nsxVault(app: App, otherProvider?: 'aws' | 'azurerm'): { nsx: TerraformStack; vault: Workload } {
  const nsx = nsxStack(app, 'n');
  if (otherProvider === 'aws') new AwsProvider(nsx, 'aws', { region: 'eu-west-1' });
  if (otherProvider === 'azurerm') new AzurermProvider(nsx, 'azurerm', { features: [{}] });
  new NsxEnforcement(nsx, 'Nsx');
  const vault = new Workload(nsx, 'Vault', { binding: VsphereBinding.virtualMachine(vm(nsx, 'vault-vm')), addresses: ['10.9.0.5'] });
  return { nsx, vault };
}

const POD_RANGE_SENTENCE = "but Azure NSGs can name 'k/BastionPods' there only by \"10.244.0.0/16\" (the pod CIDRs of KubernetesEnforcement 'k/Cluster'), which it shares with other hosts.";

describe('a GuardrailAllow whose side is named by a shared range', () => {
  test('GIVEN a DenyFlow to an Azure VM from anywhere WHEN a GuardrailAllow grants it to pods THEN synthesis fails, naming the range and the fixes', () => {
    // GIVEN
    const e = podsAndAzure();
    new DenyFlow(e.stack, 'NoSsh', { to: e.db, ports: [Port.SSH] });
    // WHEN
    new GuardrailAllow(e.stack, 'BastionSsh', { from: e.bastion, to: e.db, ports: [Port.SSH] });
    // THEN
    expect(errorOf(() => synthApp(e.app))).toContain(`GuardrailAllow 'a/BastionSsh' grants tcp/22 from workload 'k/BastionPods' to 'a/Db', ${POD_RANGE_SENTENCE} `
      + "DenyFlow 'a/NoSsh' forbids every other host of that range there, and the exception would admit them too. "
      + "Give 'k/BastionPods' addresses of its own, leave the range out of the DenyFlow, or grant the whole range by naming it (from: Peer.ipv4(\"10.244.0.0/16\")).");
  });

  test('the exception at a source end: a DenyFlow from the Azure VM to anywhere, granted to pods, fails the same way', () => {
    const e = podsAndAzure();
    new DenyFlow(e.stack, 'NoEgress', { from: e.db, ports: [Port.HTTPS] });
    new GuardrailAllow(e.stack, 'ToBastion', { from: e.db, to: e.bastion, ports: [Port.allTraffic()] });
    expect(errorOf(() => synthApp(e.app))).toContain("GuardrailAllow 'a/ToBastion' grants tcp/443 from 'a/Db' to workload 'k/BastionPods', but Azure NSGs can name 'k/BastionPods' there only by \"10.244.0.0/16\"");
  });

  test('a workload of the range that its own end stops is no hole: Web\'s pods deny the DenyFlow at their egress', () => {
    const e = podsAndAzure();
    const pods = new Segment(e.kube, 'AllPods', { members: [e.bastion, e.web] });
    new DenyFlow(e.stack, 'NoPodSsh', { from: pods, to: e.db, ports: [Port.SSH] });
    grantBastion(e);
    new AllowFlow(e.stack, 'WebSsh', { from: e.web, to: e.db, ports: [Port.SSH] });
    expectBastionOnly(e);
  });

  test('a workload of the range whose own end grants a range holding this end is not stopped there: each exception is refused', () => {
    // Bastion's egress admits Workers' subnet, which holds Db; Db's ingress admits the pod range, which holds Bastion
    const e = podsAndAzure();
    const workers = new Workload(e.stack, 'Workers', { binding: AzureBinding.virtualMachineScaleSet(linuxScaleSet(e.stack, 'workers', e.az)), addresses: ['10.1.1.0/24'] });
    new DenyFlow(e.stack, 'NoBastionDb', { from: e.bastion, to: e.db, ports: [Port.SSH] });
    new GuardrailAllow(e.stack, 'WebDb', { from: e.web, to: e.db, ports: [Port.SSH] });
    new GuardrailAllow(e.stack, 'BastionWorkers', { from: e.bastion, to: workers, ports: [Port.SSH] });
    const error = errorOf(() => synthApp(e.app));
    expect(error).toContain("GuardrailAllow 'a/WebDb' grants tcp/22 from workload 'k/WebPods' to 'a/Db', but Azure NSGs can name 'k/WebPods' there only by \"10.244.0.0/16\"");
    expect(error).toContain("DenyFlow 'a/NoBastionDb' forbids workload 'k/BastionPods' there, and the exception would admit them too.");
    expect(error).toContain("GuardrailAllow 'a/BastionWorkers' grants tcp/22 from 'k/BastionPods' to workload 'a/Workers', but Kubernetes network policy can name 'a/Workers' there only by \"10.1.1.0/24\" (its addresses)");
  });

  test('a DenyFlow naming another workload of the range that cannot deny at its own end is named in the error', () => {
    const e = podsAndAzure();
    const other = new Workload(e.stack, 'Legacy', { addresses: ['10.244.9.9'] });
    new DenyFlow(e.stack, 'NoLegacySsh', { from: other, to: e.db, ports: [Port.SSH] });
    new GuardrailAllow(e.stack, 'BastionSsh', { from: e.bastion, to: e.db, ports: [Port.SSH] });
    expect(errorOf(() => synthApp(e.app))).toContain("DenyFlow 'a/NoLegacySsh' forbids workload 'a/Legacy' there, and the exception would admit them too.");
  });

  test('without the check, the rendered exception lets another pod through: the Azure rule names the whole pod CIDR', () => {
    // the granted range as the user names it: the exception then grants every pod, as it says
    const e = podsAndAzure();
    new DenyFlow(e.stack, 'NoSsh', { to: e.db, ports: [Port.SSH] });
    new GuardrailAllow(e.stack, 'PodsSsh', { from: Peer.ipv4('10.244.0.0/16'), to: e.db, ports: [Port.SSH] });
    new AllowFlow(e.stack, 'BastionSsh', { from: e.bastion, to: e.db, ports: [Port.SSH] });
    new AllowFlow(e.stack, 'WebSsh', { from: e.web, to: e.db, ports: [Port.SSH] });
    expect(() => synthApp(e.app)).not.toThrow();
    expect(e.app).toAllowFlow(e.bastion, e.db, Port.SSH);
    expect(e.app).toAllowFlow(e.web, e.db, Port.SSH);
    expect(e.app).toDenyFlow('203.0.113.7', e.db, Port.SSH);
  });

  test.each<[string, (e: ReturnType<typeof podsAndAzure>) => IFlowEndpoint]>([
    ['the DenyFlow names only the granted pods', (e) => e.bastion],
    ['the DenyFlow names a CIDR outside the pod range', () => Peer.ipv4('192.168.0.0/16')],
  ])('no error when %s, and the other pods stay where their own flows put them', (_, denied) => {
    const e = podsAndAzure();
    new DenyFlow(e.stack, 'NoSsh', { from: denied(e), to: e.db, ports: [Port.SSH] });
    grantBastion(e);
    expectBastionOnly(e);
  });

  test('no error when the ports do not meet: the DenyFlow is on SSH, the exception on HTTPS', () => {
    const e = podsAndAzure();
    new DenyFlow(e.stack, 'NoSsh', { to: e.db, ports: [Port.SSH] });
    new GuardrailAllow(e.stack, 'BastionHttps', { from: e.bastion, to: e.db, ports: [Port.HTTPS] });
    expect(() => synthApp(e.app)).not.toThrow();
  });

  test('no error when the pods have addresses of their own', () => {
    const app = newApp();
    const kube = kubeEstate(app, 'k');
    const bastion = new Workload(kube, 'BastionPods', { binding: KubernetesBinding.deployment(deployment(kube, 'ops', 'bastion')), addresses: ['10.244.7.10'] });
    const az = azureStack(app, 'a');
    new AzureEnforcement(az.stack, 'Azure', { resourceGroupName: az.rg.name, location: az.rg.location, subnetIds: [az.subnet.id] });
    const db = new Workload(az.stack, 'Db', { binding: AzureBinding.networkInterface(az.nic('db-nic', '10.1.1.20')), addresses: ['10.1.1.20'] });
    new DenyFlow(az.stack, 'NoSsh', { to: db, ports: [Port.SSH] });
    new GuardrailAllow(az.stack, 'BastionSsh', { from: bastion, to: db, ports: [Port.SSH] });
    expect(() => synthApp(app)).not.toThrow();
    expect(app).toDenyFlow('10.244.7.11', db, Port.SSH);
  });

  test('no error inside one cluster: the pods are named by selector there', () => {
    const app = newApp();
    const kube = kubeEstate(app, 'k');
    const bastion = podWorkload(kube, 'ops', 'bastion');
    const web = podWorkload(kube, 'shop', 'web');
    const db = podWorkload(kube, 'data', 'db');
    new DenyFlow(kube, 'NoSsh', { to: db, ports: [Port.SSH] });
    new GuardrailAllow(kube, 'BastionSsh', { from: bastion, to: db, ports: [Port.SSH] });
    expect(() => synthApp(app)).not.toThrow();
    expect(app).toAllowFlow(bastion, db, Port.SSH);
    expect(app).toDenyFlow(web, db, Port.SSH);
  });
});

describe('AWS resources without a fixed address, named by their subnets', () => {
  /** A Lambda function in subnet 10.0.4.0/24 (AWS) and an NSX VM. */
  function lambdaAndNsx() {
    const app = newApp();
    const aws: TerraformStack = awsStack(app, 'w');
    new AwsEnforcement(aws, 'Aws', { vpcId: 'vpc-1' });
    const fn = new LambdaFunction(aws, 'fn', { functionName: 'f', role: 'arn:aws:iam::123456789012:role/f', vpcConfig: { subnetIds: ['subnet-4'], securityGroupIds: [] } });
    const job = new Workload(aws, 'Job', { binding: AwsBinding.lambdaFunction(fn, { subnetCidrs: ['10.0.4.0/24'] }) });
    const { nsx, vault } = nsxVault(app);
    return { app, nsx, job, vault };
  }

  test('GIVEN a DenyFlow to an NSX VM from anywhere WHEN a GuardrailAllow grants it to a Lambda function THEN synthesis fails, naming its subnets', () => {
    const e = lambdaAndNsx();
    new DenyFlow(e.nsx, 'NoVault', { to: e.vault, ports: [Port.tcp(8200)] });
    new GuardrailAllow(e.nsx, 'JobVault', { from: e.job, to: e.vault, ports: [Port.tcp(8200)] });
    expect(errorOf(() => synthApp(e.app))).toContain("GuardrailAllow 'n/JobVault' grants tcp/8200 from workload 'w/Job' to 'n/Vault', but the NSX distributed firewall can name 'w/Job' there only by \"10.0.4.0/24\" (the subnets it runs in, from AwsBinding.lambdaFunction's subnetCidrs), which it shares with other hosts.");
  });

  test('a function given an address of its own is exact: no error, and a neighbour in its subnet stays denied', () => {
    const app = newApp();
    const aws = awsStack(app, 'w');
    new AwsEnforcement(aws, 'Aws', { vpcId: 'vpc-1' });
    const job = new Workload(aws, 'Job', { addresses: ['10.0.4.10'], binding: AwsBinding.lambdaFunction(new LambdaFunction(aws, 'fn', { functionName: 'f', role: 'arn:aws:iam::123456789012:role/f', vpcConfig: { subnetIds: ['subnet-4'], securityGroupIds: [] } })) });
    const { nsx, vault } = nsxVault(app, 'aws');
    new DenyFlow(nsx, 'NoVault', { to: vault, ports: [Port.tcp(8200)] });
    new GuardrailAllow(nsx, 'JobVault', { from: job, to: vault, ports: [Port.tcp(8200)] });
    expect(() => synthApp(app)).not.toThrow();
    expect(app).toDenyFlow('10.0.4.11', vault, Port.tcp(8200));
  });
});

describe('every layer that renders the exception is checked', () => {
  /** A Lambda function Job in subnet 10.0.4.0/24 and an instance Web (10.0.4.7) in the same subnet. */
  function awsWithLambda(app: App) {
    const aws = awsStack(app, 'w');
    new AwsEnforcement(aws, 'Aws', { vpcId: 'vpc-1' });
    const fn = new LambdaFunction(aws, 'fn', { functionName: 'f', role: 'arn:aws:iam::123456789012:role/f', vpcConfig: { subnetIds: ['subnet-4'], securityGroupIds: [] } });
    const job = new Workload(aws, 'Job', { binding: AwsBinding.lambdaFunction(fn, { subnetCidrs: ['10.0.4.0/24'] }) });
    const web = new Workload(aws, 'Web', { binding: AwsBinding.instance(instance(aws, 'web-vm', { privateIp: '10.0.4.7' })), addresses: ['10.0.4.7'] });
    return { aws, job, web };
  }

  test('Kubernetes at the pods\' ingress: a Lambda granted to Db pods would admit its whole subnet', () => {
    const app = newApp();
    const db = podWorkload(kubeEstate(app, 'k'), 'data', 'db');
    const { aws, job } = awsWithLambda(app);
    new DenyFlow(aws, 'NoDb', { to: db, ports: [Port.POSTGRES] });
    new GuardrailAllow(aws, 'JobDb', { from: job, to: db, ports: [Port.POSTGRES] });
    expect(errorOf(() => synthApp(app))).toContain("GuardrailAllow 'w/JobDb' grants tcp/5432 from workload 'w/Job' to 'k/DbPods', but Kubernetes network policy can name 'w/Job' there only by \"10.0.4.0/24\"");
  });

  test('Kubernetes at the pods\' egress: Bastion pods granted to a Lambda would reach Web, which the DenyFlow forbids', () => {
    const app = newApp();
    const bastion = podWorkload(kubeEstate(app, 'k'), 'ops', 'bastion');
    const { aws, job, web } = awsWithLambda(app);
    new DenyFlow(aws, 'NoBastionWeb', { from: bastion, to: web, ports: [Port.HTTPS] });
    new GuardrailAllow(aws, 'BastionJob', { from: bastion, to: job, ports: [Port.HTTPS] });
    new AllowFlow(aws, 'BastionWeb', { from: bastion, to: web, ports: [Port.HTTPS] });
    expect(errorOf(() => synthApp(app))).toContain("DenyFlow 'w/NoBastionWeb' forbids workload 'w/Web' there, and the exception would admit them too.");
  });

  test('pods of another cluster are named by its pod CIDRs', () => {
    const app = newApp();
    const bastion = podWorkload(kubeEstate(app, 'ka'), 'ops', 'bastion');
    const b = kubeEstate(app, 'kb', { clusterName: 'other', podCidrs: ['10.245.0.0/16'] });
    const db = podWorkload(b, 'data', 'db');
    new DenyFlow(b, 'NoSsh', { to: db, ports: [Port.SSH] });
    new GuardrailAllow(b, 'BastionSsh', { from: bastion, to: db, ports: [Port.SSH] });
    expect(errorOf(() => synthApp(app))).toContain("GuardrailAllow 'kb/BastionSsh' grants tcp/22 from workload 'ka/BastionPods' to 'kb/DbPods', but Kubernetes network policy can name 'ka/BastionPods' there only by \"10.244.0.0/16\" (the pod CIDRs of KubernetesEnforcement 'ka/Cluster')");
  });

  test('a host firewall on an AWS instance names a Lambda of the same VPC by its subnet, although its security groups name it exactly', () => {
    const app = newApp();
    const { aws, job, web } = awsWithLambda(app);
    const api = new Workload(aws, 'Api', { binding: AwsBinding.instance(instance(aws, 'api-vm', { privateIp: '10.0.1.10' })), addresses: ['10.0.1.10'] });
    new DenyFlow(aws, 'NoSsh', { to: api, ports: [Port.SSH] });
    new GuardrailAllow(aws, 'JobSsh', { from: job, to: api, ports: [Port.SSH] });
    new AllowFlow(aws, 'WebSsh', { from: web, to: api, ports: [Port.SSH] });
    // without the host firewall the security groups refuse Web's flow; with it, the exception at the host is the problem
    expect(errorOf(() => synthApp(app))).toContain('AWS security groups cannot deny');
    new HostFirewall(aws, 'ApiFirewall', { workload: api });
    expect(errorOf(() => synthApp(app))).toContain("GuardrailAllow 'w/JobSsh' grants tcp/22 from workload 'w/Job' to 'w/Api', but the host firewall can name 'w/Job' there only by \"10.0.4.0/24\"");
  });

  test('a Google Cloud hierarchical policy names the template by its subnet; the network policy names it by tag', () => {
    const template = (stack: TerraformStack) => new ComputeInstanceTemplate(stack, 'batch', { machineType: 'e2-small', disk: [{ sourceImage: 'debian-cloud/debian-12' }], networkInterface: [{ network: 'vpc' }] });
    const build = (folder?: string) => {
      const app = newApp();
      const g = gcpEstate(app, 'g', { subnetCidrs: ['10.20.0.0/24'], ...(folder ? { folder } : {}) });
      const batch = new Workload(g.stack, 'Batch', { binding: GcpBinding.instanceTemplate(template(g.stack)) });
      const db = new Workload(g.stack, 'Db', { binding: GcpBinding.instance(gcpVm(g.stack, 'db')), addresses: ['10.20.1.5'] });
      new DenyFlow(g.stack, 'NoSsh', { to: db, ports: [Port.SSH] });
      new GuardrailAllow(g.stack, 'BatchSsh', { from: batch, to: db, ports: [Port.SSH] });
      return app;
    };
    expect(errorOf(() => synthApp(build('folders/123')))).toContain("but the hierarchical firewall policy of folders/123 can name 'g/Batch' there only by \"10.20.0.0/24\" (the subnetCidrs of GcpEnforcement 'g/Gcp')");
    expect(() => synthApp(build())).not.toThrow();
  });

  test('a DenyFlow from a host known only by its address, enforced at every managed workload, is overridden for it too', () => {
    const app = newApp();
    const { job } = awsWithLambda(app);
    const { nsx, vault } = nsxVault(app, 'aws');
    const legacy = new Workload(nsx, 'Legacy', { addresses: ['10.0.4.50'] });
    new DenyFlow(nsx, 'NoLegacy', { from: legacy, ports: [Port.tcp(8200)] });
    new GuardrailAllow(nsx, 'JobVault', { from: job, to: vault, ports: [Port.tcp(8200)] });
    expect(errorOf(() => synthApp(app))).toContain("DenyFlow 'n/NoLegacy' forbids workload 'n/Legacy' there, and the exception would admit them too.");
  });

  test('a range known only at apply against a DenyFlow CIDR: an unproven error, which a reason suppresses', () => {
    const build = () => {
      const app = newApp();
      const aws = awsStack(app, 'w');
      new AwsEnforcement(aws, 'Aws', { vpcId: 'vpc-1' });
      const subnet = new Subnet(aws, 'sn', { vpcId: 'vpc-1', cidrBlock: '10.0.4.0/24' });
      const fn = new LambdaFunction(aws, 'fn', { functionName: 'f', role: 'arn:aws:iam::123456789012:role/f', vpcConfig: { subnetIds: [subnet.id], securityGroupIds: [] } });
      const job = new Workload(aws, 'Job', { binding: AwsBinding.lambdaFunction(fn, { subnetCidrs: [subnet.cidrBlock] }) });
      const { nsx, vault } = nsxVault(app, 'aws');
      new DenyFlow(nsx, 'NoCorp', { from: Peer.ipv4('10.0.0.0/8'), to: vault, ports: [Port.tcp(8200)] });
      const grant = new GuardrailAllow(nsx, 'JobVault', { from: job, to: vault, ports: [Port.tcp(8200)] });
      return { app, job, grant };
    };
    const e = build();
    // the subnet's CIDR is a network: its expression stays as it is, without a host prefix
    expect(e.job.addressCidrs).toEqual([expect.stringMatching(/^\$\{TfToken\[TOKEN\.\d+\]\}$/)]);
    expect(errorOf(() => synthApp(e.app))).toContain("[MS-GUARDRAIL-UNPROVEN] GuardrailAllow 'n/JobVault' grants tcp/8200 from workload 'w/Job' to 'n/Vault', but the NSX distributed firewall can name 'w/Job' there only by a range known only at apply (the subnets it runs in, from AwsBinding.lambdaFunction's subnetCidrs), which it shares with other hosts. DenyFlow 'n/NoCorp' forbids the hosts of \"10.0.0.0/8\" there, which the range may hold");
    const suppressed = build();
    MicrosegSuppressions.addSuppressions(suppressed.grant, [{ id: 'MS-GUARDRAIL-UNPROVEN', reason: 'the jobs subnet is 192.168.4.0/24, outside the corporate range' }]);
    const stacks = synthApp(suppressed.app);
    // the NSX group names the subnet's CIDR itself, never as a host
    const group = stacks.n.json.resource.nsxt_policy_group['Nsx_Addresses-members-w-Job-Self-bfe260b7_1B0715E9'];
    expect(group.criteria[0].ipaddress_expression.ip_addresses).toEqual(['${data.terraform_remote_state.cross-stack-reference-input-w.outputs.cross-stack-output-aws_subnetsncidr_block}']);
  });
});

test.each<[string, (ext: Workload, gdb: Workload) => Partial<DenyFlowProps>]>([
  ['that VM itself', (_ext, gdb) => ({ from: gdb })],
  ['a CIDR holding the template\'s subnet', (ext) => ({ from: Peer.ipv4('10.20.0.0/24'), to: ext })],
  ['anywhere', (ext) => ({ to: ext })],
])('a Google Cloud hierarchical policy names the exception\'s own side by its range too: another VM of the template\'s subnet would be exempted from a DenyFlow from %s', (_, denied) => {
  const app = newApp();
  const g = gcpEstate(app, 'g', { subnetCidrs: ['10.20.0.0/24'], folder: 'folders/123' });
  const template = new ComputeInstanceTemplate(g.stack, 'batch', { machineType: 'e2-small', disk: [{ sourceImage: 'debian-cloud/debian-12' }], networkInterface: [{ network: 'vpc' }] });
  const batch = new Workload(g.stack, 'Batch', { binding: GcpBinding.instanceTemplate(template) });
  const gdb = new Workload(g.stack, 'GDb', { binding: GcpBinding.instance(gcpVm(g.stack, 'gdb', { networkInterface: [{ network: 'vpc', subnetwork: 'app', networkIp: '10.20.0.5' }] })), addresses: ['10.20.0.5'] });
  const ext = new Workload(g.stack, 'Ext', { addresses: ['10.9.0.50'] });
  new DenyFlow(g.stack, 'Deny', { ...denied(ext, gdb), ports: [Port.SSH] });
  new GuardrailAllow(g.stack, 'Grant', { from: batch, to: ext, ports: [Port.SSH] });
  expect(errorOf(() => synthApp(app))).toContain("GuardrailAllow 'g/Grant' grants tcp/22 from workload 'g/Batch', but the hierarchical firewall policy of folders/123 names 'g/Batch' at its own end too, only by \"10.20.0.0/24\" (the subnetCidrs of GcpEnforcement 'g/Gcp'), which it shares with other hosts. DenyFlow 'g/Deny' forbids workload 'g/GDb' there, and the exception would exempt them too.");
});

describe('what other GuardrailAllows grant is not widened', () => {
  test('one GuardrailAllow per pod, and a DenyFlow from both: every host it forbids is granted', () => {
    const e = podsAndAzure();
    const pods = new Segment(e.kube, 'AllPods', { members: [e.bastion, e.web] });
    new DenyFlow(e.stack, 'NoPodSsh', { from: pods, to: e.db, ports: [Port.SSH] });
    new GuardrailAllow(e.stack, 'BastionSsh', { from: e.bastion, to: e.db, ports: [Port.SSH] });
    new GuardrailAllow(e.stack, 'WebSsh', { from: e.web, to: e.db, ports: [Port.SSH] });
    expect(() => synthApp(e.app)).not.toThrow();
  });

  test('a GuardrailAllow of the whole pod range beside one of the bastion pods', () => {
    const e = podsAndAzure();
    new DenyFlow(e.stack, 'NoSsh', { to: e.db, ports: [Port.SSH] });
    new GuardrailAllow(e.stack, 'BastionSsh', { from: e.bastion, to: e.db, ports: [Port.SSH] });
    new GuardrailAllow(e.stack, 'PodsSsh', { from: Peer.ipv4('10.244.0.0/16'), to: e.db, ports: [Port.SSH] });
    expect(() => synthApp(e.app)).not.toThrow();
  });
});

test('a workload with addresses of its own and a shared range is told to leave the range out', () => {
  const app = newApp();
  const aws = awsStack(app, 'w');
  new AwsEnforcement(aws, 'Aws', { vpcId: 'vpc-1' });
  const fn = new LambdaFunction(aws, 'fn', { functionName: 'f', role: 'arn:aws:iam::123456789012:role/f', vpcConfig: { subnetIds: ['subnet-4'], securityGroupIds: [] } });
  const job = new Workload(aws, 'Job', { addresses: ['10.0.4.10'], binding: AwsBinding.lambdaFunction(fn, { subnetCidrs: ['10.0.4.0/24'] }) });
  const { nsx, vault } = nsxVault(app, 'aws');
  new DenyFlow(nsx, 'NoVault', { to: vault, ports: [Port.tcp(8200)] });
  new GuardrailAllow(nsx, 'JobVault', { from: job, to: vault, ports: [Port.tcp(8200)] });
  expect(errorOf(() => synthApp(app))).toContain("Leave the shared range out of 'w/Job' (it has addresses of its own: \"10.0.4.10/32\")");
});

describe('a range given as the workload\'s own addresses', () => {
  test('an Azure scale set named by its subnet: the exception at an NSX VM would admit another VM of that subnet', () => {
    const app = newApp();
    const az = azureStack(app, 'a');
    new AzureEnforcement(az.stack, 'Azure', { resourceGroupName: az.rg.name, location: az.rg.location, subnetIds: [az.subnet.id] });
    const workers = new Workload(az.stack, 'Workers', { binding: AzureBinding.virtualMachineScaleSet(linuxScaleSet(az.stack, 'workers', az)), addresses: ['10.1.1.0/24'] });
    new Workload(az.stack, 'Web', { binding: AzureBinding.networkInterface(az.nic('web-nic', '10.1.1.20')), addresses: ['10.1.1.20'] });
    const { nsx, vault } = nsxVault(app, 'azurerm');
    new DenyFlow(nsx, 'NoVault', { to: vault, ports: [Port.tcp(8200)] });
    new GuardrailAllow(nsx, 'WorkersVault', { from: workers, to: vault, ports: [Port.tcp(8200)] });
    expect(errorOf(() => synthApp(app))).toContain("GuardrailAllow 'n/WorkersVault' grants tcp/8200 from workload 'a/Workers' to 'n/Vault', but the NSX distributed firewall can name 'a/Workers' there only by \"10.1.1.0/24\" (its addresses), which it shares with other hosts.");
  });

  test('a host known only by a range is that range: granting it is exact', () => {
    const e = podsAndAzure();
    const partners = new Workload(e.stack, 'Partners', { addresses: ['203.0.113.0/24'] });
    new DenyFlow(e.stack, 'NoSsh', { to: e.db, ports: [Port.SSH] });
    new GuardrailAllow(e.stack, 'PartnersSsh', { from: partners, to: e.db, ports: [Port.SSH] });
    expect(() => synthApp(e.app)).not.toThrow();
    expect(e.app).toAllowFlow('203.0.113.9', e.db, Port.SSH);
    expect(e.app).toDenyFlow('198.51.100.9', e.db, Port.SSH);
  });

  test('a GCP instance template given its subnet as an expression: the range stays a network, and the exception is refused', () => {
    const app = newApp();
    const g = gcpEstate(app, 'g', { folder: 'folders/123' });
    const subnet = new ComputeSubnetwork(g.stack, 'sn', { name: 'app', network: 'vpc', ipCidrRange: '10.20.0.0/24' });
    const template = new ComputeInstanceTemplate(g.stack, 'batch', { machineType: 'e2-small', disk: [{ sourceImage: 'debian-cloud/debian-12' }], networkInterface: [{ network: 'vpc' }] });
    const batch = new Workload(g.stack, 'Batch', { binding: GcpBinding.instanceTemplate(template), addresses: [subnet.ipCidrRange] });
    const db = new Workload(g.stack, 'Db', { binding: GcpBinding.instance(gcpVm(g.stack, 'db')), addresses: ['10.20.1.5'] });
    expect(batch.addressCidrs).toEqual([expect.stringMatching(/^\$\{TfToken\[TOKEN\.\d+\]\}$/)]);
    new DenyFlow(g.stack, 'NoSsh', { to: db, ports: [Port.SSH] });
    new GuardrailAllow(g.stack, 'BatchSsh', { from: batch, to: db, ports: [Port.SSH] });
    expect(errorOf(() => synthApp(app))).toContain("but the hierarchical firewall policy of folders/123 can name 'g/Batch' there only by a range known only at apply (its addresses), which it shares with other hosts. DenyFlow 'g/NoSsh' forbids every other host of that range there");
  });
});

describe('identities of segments', () => {
  test('a segment cannot take a workload\'s own segment identity', () => {
    const app = newApp();
    const stack = nsxStack(app, 'dc');
    new NsxEnforcement(stack, 'Nsx');
    const web = new Workload(stack, 'Web', { binding: VsphereBinding.virtualMachine(vm(stack, 'web-vm')) });
    new Segment(stack, 'Imposter', { selector: { tier: 'x' }, stableId: 'dc/Web/Self' });
    web.allowTo(Peer.anyIpv4(), Port.HTTPS);
    expect(errorOf(() => synthApp(app))).toContain("Segment 'dc/Web/Self' has the identity \"dc/Web/Self\" of segment 'dc/Imposter'. One identity is one segment: give one of them a stableId of its own.");
  });

  test('an invalid stableId is reported as invalid, not as a clash', () => {
    const app = newApp();
    const stack = nsxStack(app, 'dc');
    new Workload(stack, 'A', { addresses: ['10.0.0.1'], stableId: 'db server' });
    new Workload(stack, 'B', { addresses: ['10.0.0.2'], stableId: 'db server' });
    const error = errorOf(() => synthApp(app));
    expect(error).toContain("Workload 'dc/B' has stableId \"db server\"; a stableId is 1-200 characters");
    expect(error).not.toContain('has the identity');
  });
});
