import { TerraformStack, TerraformVariable } from 'cdktf';
import { AllowFlow, AwsEnforcement, AzureEnforcement, DenyFlow, NsxEnforcement, nsxt, Peer, Port, Segment, Workload, AwsBinding, AzureBinding, VsphereBinding } from '../../lib';
import { evaluate, loadTerraformStacks } from '../../lib/verify';
import '../../lib/verify/jest';
import { awsAndAzureStacks, azureStack, foreignReferences } from '../azure/azure-fixtures';
import { awsStack, instance, newApp, synthApp } from '../helpers';
import { nsxStack, vm } from '../vsphere/nsx-fixtures';

// Review reproducers: realistic programs that mix platforms, checked through the evaluator for
// allowed AND denied flows.

function mixedApp(order: 'forward' | 'reverse' = 'forward') {
  const app = newApp();
  // the flow db.allowFrom(web) lives in the Azure stack, so its AWS egress rule does too
  const { aws, az } = awsAndAzureStacks(app);
  // api.allowFrom(web) lives in the AWS stack, so its NSX rule (api has an NSX member) does too
  new nsxt.NsxtProvider(aws, 'nsxt', { host: 'nsx.example', username: 'u', password: 'p' });
  const nsx = nsxStack(app, 'nsx');
  new NsxEnforcement(nsx, 'Nsx');

  const web = new Segment(aws, 'Web', { selector: { app: 'mix', tier: 'web' } });
  const db = new Segment(az.stack, 'Db', { selector: { app: 'mix', tier: 'db' } });
  const api = new Segment(aws, 'Api', { selector: { app: 'mix', tier: 'api' } });
  const steps: Array<() => void> = [
    () => db.allowFrom(web, Port.POSTGRES),
    () => api.allowFrom(web, Port.tcp(8080)),
    () => {
      const i = instance(aws, 'web-vm', { privateIp: '10.0.1.10' });
      new Workload(aws, 'web', { binding: AwsBinding.instance(i), labels: { app: 'mix', tier: 'web' }, addresses: [i.privateIp] });
    },
    () => {
      const n = az.nic('db-nic', '10.1.1.20');
      new Workload(az.stack, 'db', { binding: AzureBinding.networkInterface(n), labels: { app: 'mix', tier: 'db' }, addresses: ['10.1.1.20'] });
    },
    () => {
      const i = instance(aws, 'api-aws-vm', { privateIp: '10.0.2.10' });
      new Workload(aws, 'api-aws', { binding: AwsBinding.instance(i), labels: { app: 'mix', tier: 'api' }, addresses: ['10.0.2.10'] });
    },
    () => new Workload(nsx, 'api-nsx', { binding: VsphereBinding.virtualMachine(vm(nsx, 'api-nsx-vm')), labels: { app: 'mix', tier: 'api' }, addresses: ['10.9.0.10'] }),
    () => new Workload(az.stack, 'other', { binding: AzureBinding.networkInterface(az.nic('other-nic', '10.1.1.30')), labels: { app: 'mix', tier: 'other' }, addresses: ['10.1.1.30'] }),
  ];
  for (const step of order === 'forward' ? steps : [...steps].reverse()) step();
  return { app, aws, az, nsx, web, db, api };
}

describe('review: a flow between an AWS segment and an Azure segment', () => {
  test('allowed one way on the declared port, denied otherwise', () => {
    const { aws } = mixedApp();
    expect(aws).toAllowFlow('aws/web', 'azure/db', 'tcp/5432');
    expect(aws).toDenyFlow('aws/web', 'azure/db', 'tcp/22');
    expect(aws).toDenyFlow('azure/db', 'aws/web', 'tcp/5432');
    expect(aws).toDenyFlow('azure/other', 'azure/db', 'tcp/5432');
    expect(aws).toDenyFlow('aws/api-aws', 'azure/db', 'tcp/5432');
  });
});

describe('review: a segment with members on two platforms (AWS and NSX)', () => {
  test('both members are reachable from web on 8080 and nothing else', () => {
    const { aws } = mixedApp();
    expect(aws).toAllowFlow('aws/web', 'aws/api-aws', 'tcp/8080');
    expect(aws).toAllowFlow('aws/web', 'nsx/api-nsx', 'tcp/8080');
    expect(aws).toDenyFlow('aws/web', 'nsx/api-nsx', 'tcp/8081');
    expect(aws).toDenyFlow('nsx/api-nsx', 'aws/web', 'tcp/8080');
    expect(aws).toDenyFlow('nsx/api-nsx', 'aws/api-aws', 'tcp/8080');
  });

  test('every ${...} names a resource of its own stack', () => {
    const { app } = mixedApp();
    const stacks = synthApp(app);
    for (const [name, s] of Object.entries(stacks)) expect([name, foreignReferences(s.json)]).toEqual([name, []]);
  });

  test('permuting declarations gives byte-identical output', () => {
    const a = synthApp(mixedApp('forward').app);
    const b = synthApp(mixedApp('reverse').app);
    for (const name of Object.keys(a)) expect(b[name].text).toEqual(a[name].text);
  });
});

describe('review: a workload named directly in a flow', () => {
  test('AWS workload to AWS workload', () => {
    const app = newApp();
    const stack = awsStack(app, 'direct');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    const a = new Workload(stack, 'a', { binding: AwsBinding.instance(instance(stack, 'a-vm', { privateIp: '10.0.0.5' })) });
    const b = new Workload(stack, 'b', { binding: AwsBinding.instance(instance(stack, 'b-vm', { privateIp: '10.0.0.6' })) });
    const c = new Workload(stack, 'c', { binding: AwsBinding.instance(instance(stack, 'c-vm', { privateIp: '10.0.0.7' })) });
    new AllowFlow(stack, 'AtoB', { from: a, to: b, ports: [Port.tcp(9000)] });
    expect(stack).toAllowFlow(a, b, Port.tcp(9000));
    expect(stack).toDenyFlow(b, a, Port.tcp(9000));
    expect(stack).toDenyFlow(c, b, Port.tcp(9000));
    expect(stack).toDenyFlow(a, c, Port.tcp(9000));
  });

  test('NSX workload to a CIDR peer and from an Azure workload', () => {
    const app = newApp();
    const nsx = nsxStack(app, 'nsx');
    new NsxEnforcement(nsx, 'Nsx');
    const az = azureStack(app, 'azure');
    new AzureEnforcement(az.stack, 'Azure', { resourceGroupName: az.rg.name, location: az.rg.location, nicNsgs: true });
    const v = new Workload(nsx, 'v', { binding: VsphereBinding.virtualMachine(vm(nsx, 'v-vm')), addresses: ['10.9.0.10'] });
    const w = new Workload(nsx, 'w', { binding: VsphereBinding.virtualMachine(vm(nsx, 'w-vm')), addresses: ['10.9.0.11'] });
    const n = new Workload(az.stack, 'n', { binding: AzureBinding.networkInterface(az.nic('n-nic', '10.1.1.40')), addresses: ['10.1.1.40'] });
    new AllowFlow(nsx, 'VtoNet', { from: v, to: Peer.ipv4('203.0.113.0/24'), ports: [Port.HTTPS] });
    new AllowFlow(az.stack, 'NtoV', { from: n, to: v, ports: [Port.SSH] });
    new nsxt.NsxtProvider(az.stack, 'nsxt', { host: 'nsx.example', username: 'u', password: 'p' }); // NtoV's NSX rule lives in the Azure stack
    expect(nsx).toAllowFlow(v, '203.0.113.9', Port.HTTPS);
    expect(nsx).toDenyFlow(w, '203.0.113.9', Port.HTTPS);
    expect(nsx).toAllowFlow(n, v, Port.SSH);
    expect(nsx).toDenyFlow(n, w, Port.SSH);
    expect(nsx).toDenyFlow(v, n, Port.SSH);
  });
});

describe('review: several stacks (segment, workloads and flow in three stacks)', () => {
  test('the rules work and reference only their own stack', () => {
    const app = newApp();
    const net = awsStack(app, 'net');
    new AwsEnforcement(net, 'Aws', { vpcId: 'vpc-0123' });
    const web = new Segment(net, 'Web', { selector: { app: 'ms', tier: 'web' } });
    const db = new Segment(net, 'Db', { selector: { app: 'ms', tier: 'db' } });
    const compute: TerraformStack = awsStack(app, 'compute');
    new AwsEnforcement(compute, 'Aws', { vpcId: 'vpc-0123' });
    new Workload(compute, 'web', { binding: AwsBinding.instance(instance(compute, 'web-vm')), labels: { app: 'ms', tier: 'web' } });
    new Workload(compute, 'db', { binding: AwsBinding.instance(instance(compute, 'db-vm')), labels: { app: 'ms', tier: 'db' } });
    const flows = awsStack(app, 'flows');
    new AwsEnforcement(flows, 'Aws', { vpcId: 'vpc-0123' });
    new AllowFlow(flows, 'WebToDb', { from: web, to: db, ports: [Port.POSTGRES] });
    expect(net).toAllowFlow('compute/web', 'compute/db', Port.POSTGRES);
    expect(net).toDenyFlow('compute/db', 'compute/web', Port.POSTGRES);
    expect(net).toDenyFlow('compute/web', 'compute/db', Port.SSH);
    const stacks = synthApp(app);
    for (const [name, s] of Object.entries(stacks)) expect([name, foreignReferences(s.json)]).toEqual([name, []]);
  });
});

describe('review: an Azure workload addressed by nic.privateIpAddress (the address the library recommends)', () => {
  test('the evaluator resolves the NIC\'s address: allowed where declared, denied elsewhere', () => {
    // GIVEN an AWS web segment allowed to an Azure db whose addresses are the NIC's Terraform attribute
    const app = newApp();
    const { aws, az } = awsAndAzureStacks(app);
    const web = new Segment(aws, 'Web', { selector: { tier: 'web' } });
    const db = new Segment(az.stack, 'Db', { selector: { tier: 'db' } });
    const webVm = instance(aws, 'web-vm', { privateIp: '10.0.1.10' });
    new Workload(aws, 'web', { binding: AwsBinding.instance(webVm), labels: { tier: 'web' }, addresses: [webVm.privateIp] });
    const dbNic = az.nic('db-nic', '10.1.1.20');
    new Workload(az.stack, 'db', { binding: AzureBinding.networkInterface(dbNic), labels: { tier: 'db' }, addresses: [dbNic.privateIpAddress] });
    // WHEN
    db.allowFrom(web, Port.POSTGRES);
    // THEN the AWS egress rule names the NIC's attribute, and the evaluator reads it as the NIC's address
    const egress = Object.values<any>(synthApp(app).azure.json.resource.aws_vpc_security_group_egress_rule);
    expect(egress.map((r) => r.cidr_ipv4)).toEqual(['${azurerm_network_interface.db-nic.private_ip_address}/32']);
    expect(aws).toAllowFlow('aws/web', 'azure/db', Port.POSTGRES);
    expect(aws).toDenyFlow('aws/web', 'azure/db', Port.SSH);
    expect(aws).toDenyFlow('azure/db', 'aws/web', Port.POSTGRES);
  });
});

describe('review: an address the evaluator cannot resolve', () => {
  test('is reported unknown, never denied', () => {
    // GIVEN an Azure db whose address comes from a Terraform variable (known only at plan)
    const app = newApp();
    const { aws, az } = awsAndAzureStacks(app);
    const dbIp = new TerraformVariable(az.stack, 'db_ip', { type: 'string' });
    const webVm = instance(aws, 'web-vm', { privateIp: '10.0.1.10' });
    new Workload(aws, 'web', { binding: AwsBinding.instance(webVm), labels: { tier: 'web' }, addresses: [webVm.privateIp] });
    new Workload(az.stack, 'db', { binding: AzureBinding.networkInterface(az.nic('db-nic', '10.1.1.20')), labels: { tier: 'db' }, addresses: [dbIp.stringValue] });
    new Segment(az.stack, 'Db', { selector: { tier: 'db' } }).allowFrom(new Segment(aws, 'Web', { selector: { tier: 'web' } }), Port.POSTGRES);
    // WHEN
    const stacks = synthApp(app);
    const model = loadTerraformStacks(Object.fromEntries(Object.entries(stacks).map(([name, s]) => [name, s.json])));
    const verdict = evaluate(model, { from: 'aws/web', to: 'azure/db', port: 'tcp/5432' });
    // THEN the web egress rule names ${var.db_ip}/32: it may be the db's address
    const egress = verdict.layers.find((l) => l.layer === 'aws-security-group')!;
    expect([egress.status, verdict.allowed, verdict.denied]).toEqual(['unknown', false, false]);
    expect(egress.reason).toMatch(/names the address \$\{azure:var\.db_ip\}\/32, which the Terraform JSON does not resolve: it may be azure\/db's/);
    // and a port no rule names is still denied
    expect(evaluate(model, { from: 'aws/web', to: 'azure/db', port: 'tcp/22' }).denied).toBe(true);
  });

  test('an Azure NSG Allow naming an unresolved address is unknown too; a Deny ahead of it still denies', () => {
    // GIVEN an external client known by a variable's value, allowed into an Azure segment
    const app = newApp();
    const az = azureStack(app, 'azure');
    new AzureEnforcement(az.stack, 'Azure', { resourceGroupName: az.rg.name, location: az.rg.location, subnetIds: [az.subnet.id] });
    const clientIp = new TerraformVariable(az.stack, 'client_ip', { type: 'string' });
    const client = new Workload(az.stack, 'client', { addresses: [clientIp.stringValue] });
    new Workload(az.stack, 'db', { binding: AzureBinding.networkInterface(az.nic('db-nic', '10.1.1.20')), labels: { tier: 'db' } });
    const db = new Segment(az.stack, 'Db', { selector: { tier: 'db' } });
    db.allowFrom(client, Port.POSTGRES, Port.SSH);
    new DenyFlow(az.stack, 'NoSsh', { to: db, ports: [Port.SSH] });
    const stacks = synthApp(app);
    const model = loadTerraformStacks(Object.fromEntries(Object.entries(stacks).map(([name, s]) => [name, s.json])));
    // WHEN a host the evaluator knows asks (the variable may hold its address)
    const postgres = evaluate(model, { from: '203.0.113.7', to: 'azure/db', port: 'tcp/5432' });
    const ssh = evaluate(model, { from: '203.0.113.7', to: 'azure/db', port: 'tcp/22' });
    // THEN
    expect([postgres.allowed, postgres.denied, postgres.paths[0].status]).toEqual([false, false, 'unknown']);
    expect(ssh.denied).toBe(true);
  });

  test('an NSX group holding an unresolved address is unknown at the vNIC; a port no rule allows still denies', () => {
    // GIVEN an external client known by a variable's value, allowed into an NSX segment
    const app = newApp();
    const dc = nsxStack(app, 'dc');
    new NsxEnforcement(dc, 'Nsx');
    const clientIp = new TerraformVariable(dc, 'client_ip', { type: 'string' });
    const client = new Workload(dc, 'client', { addresses: [clientIp.stringValue] });
    new Workload(dc, 'DbVm', { binding: VsphereBinding.virtualMachine(vm(dc, 'db')), labels: { tier: 'db' }, addresses: ['10.1.0.10'] });
    new Segment(dc, 'Db', { selector: { tier: 'db' } }).allowFrom(client, Port.POSTGRES);
    const stacks = synthApp(app);
    const model = loadTerraformStacks(Object.fromEntries(Object.entries(stacks).map(([name, s]) => [name, s.json])));
    // WHEN a host the evaluator knows asks (the variable may hold its address)
    const postgres = evaluate(model, { from: '203.0.113.7', to: 'dc/DbVm', port: 'tcp/5432' });
    const ssh = evaluate(model, { from: '203.0.113.7', to: 'dc/DbVm', port: 'tcp/22' });
    // THEN
    const inbound = postgres.layers.find((l) => l.point === 'IN at vNIC of dc/DbVm')!;
    expect([inbound.status, postgres.allowed, postgres.denied]).toEqual(['unknown', false, false]);
    expect(inbound.reason).toMatch(/names the address \$\{dc:var\.client_ip\}, which the Terraform JSON does not resolve: it may be 203\.0\.113\.7's/);
    expect([ssh.allowed, ssh.denied]).toEqual([false, true]);
  });
});
