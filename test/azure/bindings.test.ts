import { LinuxVirtualMachine } from '@cdktf/provider-azurerm/lib/linux-virtual-machine';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { AwsBinding, AzureBinding, AzureEnforcement, AzureEnforcementProps, Peer, Port, Segment, Workload } from '../../lib';
import '../../lib/verify/jest';
import { evaluate } from '../../lib/verify/evaluate';
import { loadTerraformStacks } from '../../lib/verify/model/load-terraform';
import { instance, newApp, resourcesOf, synthApp } from '../helpers';
import { awsAndAzureStacks, azureStack, fields } from './azure-fixtures';
import { linuxScaleSet, nodePool, privateEndpoint, windowsScaleSet } from './binding-fixtures';

const ASG_OF = (json: any, segment: string) => {
  const entry = Object.entries<any>(json.resource.azurerm_application_security_group)
    .find(([, asg]) => asg.tags['microseg-segment'] === `az/${segment}`);
  if (!entry) throw new Error(`no ASG for ${segment}`);
  return `\${azurerm_application_security_group.${entry[0]}.id}`;
};

/**
 * An Azure stack `az` (VNet 10.1.0.0/16, subnet 10.1.1.0/24 and a private-endpoint subnet
 * 10.1.2.0/24 with NSG network policies on) with an enforcement on both subnets, a web NIC in
 * segment Web, a segment Api, and the flow Web -> Api on tcp/8080.
 */
function estate(props: Partial<AzureEnforcementProps> = {}) {
  const app = newApp();
  const az = azureStack(app, 'az');
  const peSubnet = new Subnet(az.stack, 'PeSubnet', {
    name: 'endpoints', resourceGroupName: az.rg.name, virtualNetworkName: az.vnet.name, addressPrefixes: ['10.1.2.0/24'], privateEndpointNetworkPolicies: 'Enabled',
  });
  new AzureEnforcement(az.stack, 'Azure', { resourceGroupName: az.rg.name, location: az.rg.location, subnetIds: [az.subnet.id, peSubnet.id], ...props });
  const web = new Segment(az.stack, 'Web', { selector: { tier: 'web' } });
  const api = new Segment(az.stack, 'Api', { selector: { tier: 'api' } });
  api.allowFrom(web, Port.tcp(8080));
  const webVm = new Workload(az.stack, 'WebVm', { binding: AzureBinding.networkInterface(az.nic('web-nic')), labels: { tier: 'web' } });
  return { app, az, peSubnet, web, api, webVm };
}

describe('Azure bindings beyond the NIC', () => {
  describe('a Linux virtual machine scale set', () => {
    const { app, az, webVm } = estate();
    const vmss = linuxScaleSet(az.stack, 'api-vmss', { rg: az.rg, subnet: az.subnet }, { asgIds: ['/subscriptions/0000/resourceGroups/ops/providers/Microsoft.Network/applicationSecurityGroups/monitoring'] });
    const apiScaleSet = new Workload(az.stack, 'ApiScaleSet', { binding: AzureBinding.virtualMachineScaleSet(vmss), labels: { tier: 'api' } });
    const json = synthApp(app).az.json;

    test('THEN its ip configuration carries the user\'s ASG and then the segment\'s, and no association resource', () => {
      const body = resourcesOf({ json, text: '' }, 'azurerm_linux_virtual_machine_scale_set')['api-vmss'];
      expect(body.network_interface).toEqual([{
        name: 'nic',
        primary: true,
        ip_configuration: [{
          name: 'internal',
          primary: true,
          subnet_id: '${azurerm_subnet.Subnet.id}',
          application_security_group_ids: ['/subscriptions/0000/resourceGroups/ops/providers/Microsoft.Network/applicationSecurityGroups/monitoring', ASG_OF(json, 'Api')],
        }],
      }]);
      const associations = Object.values<any>(json.resource.azurerm_network_interface_application_security_group_association);
      expect(associations.map((a) => a.network_interface_id)).toEqual(['${azurerm_network_interface.web-nic.id}']);
    });

    test('THEN the evaluator lets Web reach it on 8080 and nothing else', () => {
      expect(json).toAllowFlow(webVm, apiScaleSet, Port.tcp(8080));
      expect(json).toDenyFlow(webVm, apiScaleSet, Port.tcp(22));
      expect(json).toDenyFlow(apiScaleSet, webVm, Port.tcp(8080));
      expect(json).toAllowFlow('az/Web', 'az/Api', Port.tcp(8080));
    });

    test('THEN the evaluator places it in its subnet: a host there is judged by the subnet NSG', () => {
      const verdict = evaluate(loadTerraformStacks({ az: json }), { from: 'az/WebVm', to: 'az/ApiScaleSet', port: 'tcp/8080' });
      expect(verdict.layers.map((layer) => layer.point)).toEqual([
        expect.stringMatching(/^outbound NSG .* at subnet of az\/WebVm$/),
        expect.stringMatching(/^inbound NSG .* at subnet of az\/ApiScaleSet$/),
      ]);
    });
  });

  test('a Windows scale set binds the same way, and nicNsgs puts the NIC NSG on its network interface', () => {
    const { app, az, webVm } = estate({ nicNsgs: true });
    const vmss = windowsScaleSet(az.stack, 'api-win', { rg: az.rg, subnet: az.subnet });
    const api = new Workload(az.stack, 'ApiWin', { binding: AzureBinding.virtualMachineScaleSet(vmss), labels: { tier: 'api' } });
    const json = synthApp(app).az.json;
    const nic = json.resource.azurerm_windows_virtual_machine_scale_set['api-win'].network_interface[0];
    expect(nic.network_security_group_id).toMatch(/^\$\{azurerm_network_security_group\.[^.]+\.id\}$/);
    expect(nic.ip_configuration[0].application_security_group_ids).toEqual([ASG_OF(json, 'Api')]);
    expect(json).toAllowFlow(webVm, api, Port.tcp(8080));
    expect(json).toDenyFlow(webVm, api, Port.tcp(3389));
  });

  test('a scale set that sets its own network_security_group_id with nicNsgs on is a synth error', () => {
    const { app, az } = estate({ nicNsgs: true });
    const vmss = linuxScaleSet(az.stack, 'api-vmss', { rg: az.rg, subnet: az.subnet }, { nsgId: '/subscriptions/0000/resourceGroups/ops/providers/Microsoft.Network/networkSecurityGroups/legacy' });
    new Workload(az.stack, 'ApiScaleSet', { binding: AzureBinding.virtualMachineScaleSet(vmss), labels: { tier: 'api' } });
    expect(() => app.synth()).toThrow(/Workload 'az\/ApiScaleSet' sets network_security_group_id on network_interface "nic" of scale set 'az\/api-vmss', and nicNsgs puts the enforcement's NSG there/);
  });

  test('a scale set whose own ASGs and its segments\' exceed 20 per ip configuration is a synth error', () => {
    const { app, az } = estate();
    const own = Array.from({ length: 19 }, (_, i) => `/subscriptions/0000/resourceGroups/ops/providers/Microsoft.Network/applicationSecurityGroups/own${i}`);
    const vmss = linuxScaleSet(az.stack, 'api-vmss', { rg: az.rg, subnet: az.subnet }, { asgIds: own });
    new Segment(az.stack, 'Monitored', { selector: { monitored: 'yes' } }).allowFrom(Peer.ipv4('10.9.0.0/16'), Port.tcp(9100));
    new Workload(az.stack, 'ApiScaleSet', { binding: AzureBinding.virtualMachineScaleSet(vmss), labels: { tier: 'api', monitored: 'yes' } });
    expect(() => app.synth()).toThrow("Workload 'az/ApiScaleSet' would join 21 application security groups (az/Api, az/Monitored and 19 set on the resource itself); Azure allows 20 per NIC IP configuration.");
  });

  describe('a private endpoint', () => {
    const { app, az, peSubnet, webVm } = estate();
    const endpoint = privateEndpoint(az.stack, 'blob-pe', { rg: az.rg, subnet: peSubnet }, '10.1.2.10');
    const blob = new Workload(az.stack, 'Blob', { binding: AzureBinding.privateEndpoint(endpoint), labels: { tier: 'api' } });
    const json = synthApp(app).az.json;

    test('THEN it joins the ASG through azurerm_private_endpoint_application_security_group_association', () => {
      expect(Object.values<any>(json.resource.azurerm_private_endpoint_application_security_group_association).map(fields)).toEqual([{
        private_endpoint_id: '${azurerm_private_endpoint.blob-pe.id}',
        application_security_group_id: ASG_OF(json, 'Api'),
      }]);
    });

    test('THEN the evaluator lets Web reach it on 8080 and nothing else, by workload and by address', () => {
      expect(json).toAllowFlow(webVm, blob, Port.tcp(8080));
      expect(json).toDenyFlow(webVm, blob, Port.HTTPS);
      expect(json).toDenyFlow(blob, webVm, Port.tcp(8080));
      expect(json).toAllowFlow(webVm, '10.1.2.10', Port.tcp(8080));
      expect(json).toDenyFlow(webVm, '10.1.2.10', Port.HTTPS);
    });

    test('THEN, were its subnet\'s network policies off, the evaluator sees no NSG filtering it', () => {
      // a source outside the enforced subnets (an address inside one is behind that subnet's NSG)
      expect(json).toDenyFlow('10.9.9.9', 'az/Blob', Port.HTTPS);
      const off = JSON.parse(JSON.stringify(json));
      off.resource.azurerm_subnet.PeSubnet.private_endpoint_network_policies = 'Disabled';
      expect(off).toAllowFlow('10.9.9.9', 'az/Blob', Port.HTTPS);
    });
  });

  test('a private endpoint in a subnet without NSG network policies is a synth error', () => {
    const { app, az } = estate();
    const endpoint = privateEndpoint(az.stack, 'blob-pe', { rg: az.rg, subnet: az.subnet });
    new Workload(az.stack, 'Blob', { binding: AzureBinding.privateEndpoint(endpoint), labels: { tier: 'api' } });
    expect(() => app.synth()).toThrow(/Workload 'az\/Blob': private endpoint 'az\/blob-pe' is in subnet 'az\/Subnet', whose private_endpoint_network_policies is not set \(the provider defaults to "Disabled"\): NSGs do not filter private endpoints there.*Set privateEndpointNetworkPolicies: 'Enabled'/);
  });

  describe('an AKS node pool', () => {
    const { app, az, webVm } = estate();
    const pool = nodePool(az.stack, 'ApiPool', { rg: az.rg, subnet: az.subnet }, { asgIds: ['/subscriptions/0000/resourceGroups/ops/providers/Microsoft.Network/applicationSecurityGroups/monitoring'] });
    const api = new Workload(az.stack, 'ApiNodes', { binding: AzureBinding.kubernetesNodePool(pool), labels: { tier: 'api' } });
    const json = synthApp(app).az.json;

    test('THEN node_network_profile keeps the user\'s settings and lists the user\'s ASG and then the segment\'s', () => {
      expect(json.resource.azurerm_kubernetes_cluster_node_pool.ApiPool.node_network_profile).toEqual({
        allowed_host_ports: [{ port_start: 30000, port_end: 30100, protocol: 'TCP' }],
        application_security_group_ids: ['/subscriptions/0000/resourceGroups/ops/providers/Microsoft.Network/applicationSecurityGroups/monitoring', ASG_OF(json, 'Api')],
      });
    });

    test('THEN the evaluator lets Web reach its nodes on 8080 and nothing else', () => {
      expect(json).toAllowFlow(webVm, api, Port.tcp(8080));
      expect(json).toDenyFlow(webVm, api, Port.tcp(10250));
      expect(json).toDenyFlow(api, webVm, Port.tcp(8080));
    });
  });

  test('a node pool without vnet_subnet_id is a synth error (AKS puts it in a VNet no NSG of the enforcement covers)', () => {
    const { app, az } = estate();
    const pool = nodePool(az.stack, 'ApiPool', { rg: az.rg, subnet: az.subnet }, { subnet: false });
    new Workload(az.stack, 'ApiNodes', { binding: AzureBinding.kubernetesNodePool(pool), labels: { tier: 'api' } });
    expect(() => app.synth()).toThrow(/Workload 'az\/ApiNodes': AKS node pool 'az\/ApiPool' names no subnet \(vnet_subnet_id\).*Set vnet_subnet_id to a subnet of subnetIds/);
  });

  test('a node pool outside the enforcement\'s subnets is a synth error even with nicNsgs (only a subnet NSG filters it)', () => {
    const { app, az } = estate({ subnetIds: [], nicNsgs: true });
    const pool = nodePool(az.stack, 'ApiPool', { rg: az.rg, subnet: az.subnet });
    new Workload(az.stack, 'ApiNodes', { binding: AzureBinding.kubernetesNodePool(pool), labels: { tier: 'api' } });
    expect(() => app.synth()).toThrow(/AKS node pool 'az\/ApiPool' is in subnet "\$\{azurerm_subnet.Subnet.id\}", which has no NSG of AzureEnforcement 'az\/Azure': no NSG would filter its traffic.*Add the subnet to subnetIds \(only a subnet NSG filters a node pool\)/);
  });

  test('a resource of a type no Azure binding takes is a synth error listing the supported ones', () => {
    const { app, az } = estate();
    const vm = new LinuxVirtualMachine(az.stack, 'api-vm', {
      name: 'api',
      resourceGroupName: az.rg.name,
      location: az.rg.location,
      size: 'Standard_B2s',
      adminUsername: 'azureuser',
      networkInterfaceIds: [az.nic('api-nic').id],
      osDisk: { caching: 'ReadWrite', storageAccountType: 'Standard_LRS' },
      sourceImageId: '/img',
    });
    new Workload(az.stack, 'ApiVm', { binding: AzureBinding.virtualMachineScaleSet(vm), labels: { tier: 'api' } });
    expect(() => app.synth()).toThrow("Workload 'az/ApiVm' is bound with AzureBinding.virtualMachineScaleSet(...) to 'az/api-vm' of type azurerm_linux_virtual_machine, but AzureBinding.virtualMachineScaleSet binds azurerm_linux_virtual_machine_scale_set or azurerm_windows_virtual_machine_scale_set. Azure bindings: AzureBinding.networkInterface (azurerm_network_interface), AzureBinding.virtualMachineScaleSet (azurerm_linux_virtual_machine_scale_set, azurerm_windows_virtual_machine_scale_set), AzureBinding.privateEndpoint (azurerm_private_endpoint), AzureBinding.kubernetesNodePool (azurerm_kubernetes_cluster_node_pool). For a VM, bind its network interface.");
  });

  describe('a scale set in a flow with another platform', () => {
    function crossPlatform(addresses?: string[]) {
      const app = newApp();
      const { aws, az } = awsAndAzureStacks(app);
      const web = new Segment(aws, 'Web', { selector: { tier: 'web' } });
      const api = new Segment(az.stack, 'Api', { selector: { tier: 'api' } });
      api.allowFrom(web, Port.tcp(8080));
      const webVm = new Workload(aws, 'WebVm', { binding: AwsBinding.instance(instance(aws, 'web', { privateIp: '10.0.1.10' })), labels: { tier: 'web' }, addresses: ['10.0.1.10'] });
      const vmss = linuxScaleSet(az.stack, 'api-vmss', { rg: az.rg, subnet: az.subnet });
      const apiScaleSet = new Workload(az.stack, 'ApiScaleSet', { binding: AzureBinding.virtualMachineScaleSet(vmss), labels: { tier: 'api' }, ...(addresses ? { addresses } : {}) });
      return { app, webVm, apiScaleSet };
    }

    test('WHEN it has no addresses THEN synthesis fails naming the flow, the workload and the subnet CIDRs to give', () => {
      const { app } = crossPlatform();
      expect(() => app.synth()).toThrow(/AllowFlow 'azure\/Api\/AllowFrom-aws-Web-tcp-8080' needs the addresses of workload 'azure\/ApiScaleSet' \(azure\) for the aws rules of its other side, but it has none\. Give the workload addresses, for example addresses: \['10\.1\.2\.0\/24' \(the CIDRs of the scale set's subnets: its instances have no fixed address\)\]/);
    });

    test('WHEN its subnet CIDR is given THEN the AWS rule names that CIDR and the evaluator allows 8080 only', () => {
      const { app, webVm, apiScaleSet } = crossPlatform(['10.1.1.0/24']);
      const stacks = synthApp(app);
      // the flow is declared in the azure stack, which therefore holds its AWS rules too
      const egress = Object.values(stacks).flatMap((stack) => Object.values<any>(resourcesOf(stack, 'aws_vpc_security_group_egress_rule')));
      expect(egress.map((rule) => [rule.cidr_ipv4, rule.from_port, rule.to_port])).toEqual([['10.1.1.0/24', 8080, 8080]]);
      const model = { aws: stacks.aws.json, azure: stacks.azure.json };
      expect(model).toAllowFlow(webVm, apiScaleSet, Port.tcp(8080));
      expect(model).toDenyFlow(webVm, apiScaleSet, Port.tcp(22));
    });
  });
});
