import * as fs from 'fs';
import * as path_ from 'path';
import { LinuxVirtualMachine } from '@cdktf/provider-azurerm/lib/linux-virtual-machine';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, TerraformStack, TerraformVariable } from 'cdktf';
import { ValidateBinaryVersion } from 'cdktf/lib/validations/validate-binary-version';
import { AllowFlow, AwsBinding, AwsEnforcement, Peer, Port, Segment, Workload } from '../../lib';
import { HostBinding, HostDelivery, HostFirewall } from '../../lib/host';
import '../../lib/verify/jest';
import { runCli } from '../cli/run-cli';
import { awsStack, errorOf, instance, newApp, synthApp } from '../helpers';
import { hostEstate, ruleSetFiles } from './estate';

describe('host firewall deliveries', () => {
  test('Azure: a run command on the VM carries the rule set script, updated in place', () => {
    // GIVEN a Linux server on Azure whose host firewall is delivered by a run command
    const app = newApp();
    const stack = new TerraformStack(app, 'az');
    new AzurermProvider(stack, 'azurerm', { features: [{}] });
    const vm = new LinuxVirtualMachine(stack, 'vm', {
      name: 'app1',
      location: 'westeurope',
      resourceGroupName: 'rg',
      size: 'Standard_B1s',
      networkInterfaceIds: ['nic-id'],
      adminUsername: 'ops',
      osDisk: { caching: 'ReadWrite', storageAccountType: 'Standard_LRS' },
    });
    const app1 = new Workload(stack, 'App1', { binding: HostBinding.linux(['10.1.1.4']) });
    const client = new Workload(stack, 'Client', { addresses: ['10.1.1.5'] });
    new HostFirewall(stack, 'App1Host', { workload: app1, delivery: HostDelivery.azureRunCommand(vm, 'westeurope') });
    new AllowFlow(stack, 'ClientToApp', { from: client, to: app1, ports: [Port.tcp(8443)] });
    // WHEN
    const json = synthApp(app).az.json;
    // THEN one run command on that VM, its script loading the nftables rule set, and no file carrier
    const commands = Object.values<any>(json.resource.azurerm_virtual_machine_run_command);
    expect(commands).toHaveLength(1);
    expect(commands[0]).toMatchObject({ location: 'westeurope', virtual_machine_id: '${azurerm_linux_virtual_machine.vm.id}' });
    expect(commands[0].source.script).toContain('    ip saddr 10.1.1.5/32 tcp dport 8443 accept comment "microseg 1 Client to App1 tcp/8443"');
    expect(commands[0].source.script).toMatch(/\nnft -f \/etc\/microseg\/az-App1-[0-9a-f]{8}\.nft\n$/);
    expect(json.resource.terraform_data).toBeUndefined();
    // and the matchers read the host layer from it
    expect(stack).toAllowFlow('az/Client', 'az/App1', 'tcp/8443');
    expect(stack).toDenyFlow('az/Client', 'az/App1', 'tcp/22');
  });

  test('a rule set delivered by SSM that would cut off the SSM agent warns, naming what to let out; flows for it silence the warning', () => {
    const warningsOf = (agentFlows: boolean) => {
      const app = newApp();
      const stack = awsStack(app, 'ssm');
      new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
      const server = new Workload(stack, 'Reports', { binding: AwsBinding.instance(instance(stack, 'reports', { privateIp: '10.30.1.10' })) });
      new HostFirewall(stack, 'ReportsHost', { workload: server });
      if (agentFlows) {
        server.allowTo(Peer.ipv4('10.30.9.0/24'), Port.HTTPS);
        server.allowTo(Peer.ipv4('169.254.169.254/32'), Port.HTTP);
      }
      app.synth();
      return app.node.findAll().flatMap((construct) => construct.node.metadata)
        .filter((entry) => entry.type === '@cdktf/warn').map((entry) => String(entry.data));
    };
    expect(warningsOf(false)).toEqual(["[microseg-host-delivery-egress] Workload 'ssm/Reports': its rule set arrives by HostDelivery.awsSsm(), but its output chain lets out none of HTTPS to the Systems Manager endpoints (ssm, ssmmessages, ec2messages); HTTP to the instance metadata service (its credentials). Once the rule set is loaded, the agent is cut off and no later change reaches the server. Declare flows from the workload for them (Peer.ipv4(<the subnets of its VPC interface endpoints>) or Peer.awsPrefixList(...), Port.HTTPS; Peer.ipv4('169.254.169.254/32'), Port.HTTP), or deliver with HostDelivery.files()."]);
    expect(warningsOf(true)).toEqual([]);
  });

  test('a rule set file naming an address known only at apply warns with a stable id and the output to use', () => {
    // GIVEN a server known only by address reached from an instance whose address is known at apply
    const app = newApp();
    const stack = awsStack(app, 'mixed');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    const vm = instance(stack, 'api');
    const api = new Workload(stack, 'Api', { binding: AwsBinding.instance(vm), addresses: [vm.privateIp] });
    const server = new Workload(stack, 'Server', { binding: HostBinding.linux(['10.9.0.5']) });
    new AllowFlow(stack, 'ApiToServer', { from: api, to: server, ports: [Port.HTTPS] });
    // WHEN
    app.synth();
    // THEN
    const warnings = app.node.findAll().flatMap((construct) => construct.node.metadata)
      .filter((entry) => entry.type === '@cdktf/warn').map((entry) => String(entry.data));
    expect(warnings).toEqual([expect.stringMatching(
      /^\[microseg-host-file-expression\] Workload 'mixed\/Server': its rule set file names addresses known only at apply \(of 'mixed\/Api'\).*terraform output microseg_host_mixed_Server_[0-9a-f]{8}/,
    )]);
  });

  test('a CIDR peer known only at apply goes into the rule set as its expression, in the family the flow declared', () => {
    // GIVEN a server reached from two partner ranges that are Terraform variables, one IPv4 and one IPv6
    const app = newApp();
    const stack = new TerraformStack(app, 'dc');
    const v4 = new TerraformVariable(stack, 'partner_cidr', { type: 'string' });
    const v6 = new TerraformVariable(stack, 'partner_range', { type: 'string' });
    const server = new Workload(stack, 'Server', { binding: HostBinding.linux(['10.9.0.5', 'fd00::5']) });
    server.allowFrom(Peer.ipv4(v4.stringValue), Port.HTTPS);
    server.allowFrom(Peer.ipv6(v6.stringValue), Port.SSH);
    // WHEN
    const files = ruleSetFiles(synthApp(app).dc.json);
    // THEN each range is matched in its own family: the IPv6 one although its name does not say IPv6
    const nft = Object.entries(files).find(([name]) => name.endsWith('.nft'))![1];
    expect(nft).toContain('ip saddr ${var.partner_cidr} tcp dport 443 accept');
    expect(nft).toContain('ip6 saddr ${var.partner_range} tcp dport 22 accept');
  });

  test('without a Terraform binary that runs terraform_data, synthesis fails once per stack with cdktf\'s message', () => {
    // GIVEN the four servers of the demo estate, known by address, whose rule set files are carried by terraform_data
    const { app } = hostEstate();
    // WHEN the app is synthesized where asking Terraform its version fails (cdktf's check runs a
    // command that does not exist instead of `terraform version`)
    const check = ValidateBinaryVersion.prototype.validate;
    const spy = jest.spyOn(ValidateBinaryVersion.prototype, 'validate').mockImplementation(function (this: any) {
      this.versionCommand = 'microseg-no-such-terraform version';
      return check.call(this);
    });
    let message: string;
    try {
      message = errorOf(() => app.synth());
    } finally {
      spy.mockRestore();
    }
    // THEN it fails, saying so once, on the stack (not once per server), and writes nothing
    const lines = message.split('\n').filter((line) => line.includes('Could not determine version of terraform'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\s*\[estate\] Could not determine version of terraform, microseg-no-such-terraform version failed/);
    expect(fs.existsSync(path_.join(app.outdir, 'stacks', 'estate', 'cdk.tf.json'))).toBe(false);
  });

  test('a peer address known only at apply in another stack is a synth error naming both stacks', () => {
    const app = newApp();
    const one = awsStack(app, 'one');
    const two = awsStack(app, 'two');
    new AwsEnforcement(two, 'Aws', { vpcId: 'vpc-0123' });
    const vm = instance(two, 'api');
    const api = new Workload(two, 'Api', { binding: AwsBinding.instance(vm), addresses: [vm.privateIp] });
    const server = new Workload(one, 'Server', { binding: HostBinding.linux(['10.9.0.5']) });
    new AllowFlow(one, 'ApiToServer', { from: api, to: server, ports: [Port.HTTPS] });
    expect(errorOf(() => app.synth())).toContain("Workload 'one/Server' has a host firewall whose rule set names workload 'two/Api' of stack 'two' by an address known only at apply, which a rule set in stack 'one' cannot reference.");
  });

  test('host firewalls in two stacks naming each other by addresses known only at apply: both errors, not a stack cycle', () => {
    // GIVEN an instance with a host firewall in each of two stacks, addressed by its private_ip attribute
    const app = newApp();
    const [a, b] = ['cloud1', 'cloud2'].map((name) => {
      const stack = awsStack(app, name);
      new AwsEnforcement(stack, 'Aws', { vpcId: `vpc-${name}` });
      const vm = instance(stack, 'vm');
      const workload = new Workload(stack, 'W', { binding: AwsBinding.instance(vm), addresses: [vm.privateIp] });
      new HostFirewall(stack, 'Hf', { workload, delivery: HostDelivery.files() });
      return workload;
    });
    // WHEN a third stack declares the flow between them
    new AllowFlow(awsStack(app, 'flows'), 'AtoB', { from: a, to: b, ports: [Port.HTTP] });
    // THEN synthesis names both host firewalls' problem; their rule sets reference no other stack, so no cycle hides it
    const message = errorOf(() => app.synth());
    expect(message).toContain("Workload 'cloud1/W' has a host firewall whose rule set names workload 'cloud2/W' of stack 'cloud2' by an address known only at apply");
    expect(message).toContain("Workload 'cloud2/W' has a host firewall whose rule set names workload 'cloud1/W' of stack 'cloud1' by an address known only at apply");
    expect(message).not.toContain('would depend on each other');
  });

  test('the rule sets do not depend on the order of declarations, and a later flow is in them', () => {
    // GIVEN the same program declared in two orders, the flow before the servers in the second
    const declare = (app: App, flowFirst: boolean) => {
      const stack = new TerraformStack(app, 'order');
      const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
      const flow = () => new AllowFlow(stack, 'AdminSsh', { from: new Workload(stack, 'Admin', { addresses: ['10.0.9.9'] }), to: web, ports: [Port.SSH] });
      if (flowFirst) flow();
      new Workload(stack, 'W2', { binding: HostBinding.linux(['10.0.0.2']), labels: { tier: 'web' } });
      new Workload(stack, 'W1', { binding: HostBinding.linux(['10.0.0.1']), labels: { tier: 'web' } });
      if (!flowFirst) flow();
    };
    const first = newApp();
    declare(first, false);
    const second = newApp();
    declare(second, true);
    // WHEN both are synthesized / THEN the rule sets are byte-identical and hold the flow
    const a = ruleSetFiles(synthApp(first).order.json);
    const b = ruleSetFiles(synthApp(second).order.json);
    expect(b).toEqual(a);
    expect(Object.values(a).filter((text) => text.includes('ip saddr 10.0.9.9/32 tcp dport 22 accept'))).toHaveLength(2);
  });

  test('microseg query explains a host-level denial', async () => {
    // GIVEN the demo estate synthesized to a directory
    const { app } = hostEstate();
    app.synth();
    // WHEN Web to Db on Postgres is queried with --explain
    const run = await runCli('query', app.outdir, '--from', 'estate/Web', '--to', 'estate/Db', '--port', 'tcp/5432', '--explain');
    // THEN it is denied, at Web's output chain by the DenyFlow
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('output of the nftables host firewall of estate/Web');
    expect(run.stdout).toContain('estate/NoWebToDb');
  });
});
