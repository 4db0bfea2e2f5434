import { AllowFlow, AwsEnforcement, NsxEnforcement, Port, Segment, Workload, AwsBinding, AzureBinding, VsphereBinding } from '../../lib';
import '../../lib/verify/jest';
import { awsAndAzureStacks } from '../azure/azure-fixtures';
import { awsStack, errorOf, instance, newApp } from '../helpers';
import { nsxStack, vm } from '../vsphere/nsx-fixtures';

// A cross-platform flow renders each platform's half by the other side's addresses: a member
// without addresses is a synth error in both directions, naming the workload, the flow and the fix.

/** An AWS stack and an Azure stack (with the AWS provider, since its flows render AWS rules too). */
function awsAndAzure() {
  const app = newApp();
  const { aws, az } = awsAndAzureStacks(app);
  const awsSegment = new Segment(aws, 'Api', { selector: { tier: 'api' } });
  const azureSegment = new Segment(az.stack, 'Web', { selector: { tier: 'web' } });
  return { app, aws, az, awsSegment, azureSegment };
}

describe('a cross-platform flow whose member has no addresses', () => {
  test('an Azure source without addresses towards an AWS segment fails synthesis naming the workload, the flow and the fix', () => {
    // GIVEN an Azure web NIC without addresses and an AWS api instance with its address
    const { app, aws, az, awsSegment, azureSegment } = awsAndAzure();
    new Workload(az.stack, 'web', { binding: AzureBinding.networkInterface(az.nic('web-nic')), labels: { tier: 'web' } });
    const apiVm = instance(aws, 'api-vm', { privateIp: '10.0.2.10' });
    new Workload(aws, 'api', { binding: AwsBinding.instance(apiVm), labels: { tier: 'api' }, addresses: [apiVm.privateIp] });
    // WHEN
    const flow = new AllowFlow(az.stack, 'WebToApi', { from: azureSegment, to: awsSegment, ports: [Port.tcp(8080)] });
    // THEN
    expect(errorOf(() => app.synth())).toContain(`AllowFlow '${flow.node.path}' needs the addresses of workload 'azure/web' (azure) for the aws rules of its other side, but it has none. Give the workload addresses, for example addresses: [nic.privateIpAddress].`);
  });

  test('an AWS source without addresses towards an Azure segment fails the same way', () => {
    const { app, aws, az, awsSegment, azureSegment } = awsAndAzure();
    const webNic = az.nic('web-nic', '10.1.1.20');
    new Workload(az.stack, 'web', { binding: AzureBinding.networkInterface(webNic), labels: { tier: 'web' }, addresses: [webNic.privateIpAddress] });
    new Workload(aws, 'api', { binding: AwsBinding.instance(instance(aws, 'api-vm')), labels: { tier: 'api' } });
    const flow = new AllowFlow(az.stack, 'ApiToWeb', { from: awsSegment, to: azureSegment, ports: [Port.HTTPS] });
    const error = errorOf(() => app.synth());
    expect(error).toContain(`AllowFlow '${flow.node.path}' needs the addresses of workload 'aws/api' (aws) for the azure rules of its other side, but it has none. Give the workload addresses, for example addresses: [instance.privateIp].`);
    expect(error.match(/needs the addresses of workload 'aws\/api'/g)).toHaveLength(1);
  });

  test('an NSX member without addresses is reported once, with the vSphere fix', () => {
    const app = newApp();
    const nsx = nsxStack(app, 'nsx');
    new NsxEnforcement(nsx, 'Nsx');
    const aws = awsStack(app, 'aws');
    new AwsEnforcement(aws, 'Aws', { vpcId: 'vpc-0123' });
    const v = new Workload(nsx, 'v', { binding: VsphereBinding.virtualMachine(vm(nsx, 'v-vm')) });
    const apiVm = instance(aws, 'api-vm', { privateIp: '10.0.2.10' });
    const a = new Workload(aws, 'a', { binding: AwsBinding.instance(apiVm), addresses: [apiVm.privateIp] });
    const flow = new AllowFlow(aws, 'AToV', { from: a, to: v, ports: [Port.HTTPS] });
    const error = errorOf(() => app.synth());
    expect(error).toContain(`AllowFlow '${flow.node.path}' needs the addresses of workload 'nsx/v' (nsx) for the aws rules of its other side, but it has none. Give the workload addresses, for example addresses: [vm.defaultIpAddress].`);
    expect(error.match(/needs the addresses of (vSphere )?workload 'nsx\/v'/g)).toHaveLength(1);
  });

  test('with addresses on both sides the flow works both ways it is declared, and only those', () => {
    const { aws, az, awsSegment, azureSegment } = awsAndAzure();
    const webNic = az.nic('web-nic', '10.1.1.20');
    new Workload(az.stack, 'web', { binding: AzureBinding.networkInterface(webNic), labels: { tier: 'web' }, addresses: [webNic.privateIpAddress] });
    const apiVm = instance(aws, 'api-vm', { privateIp: '10.0.2.10' });
    new Workload(aws, 'api', { binding: AwsBinding.instance(apiVm), labels: { tier: 'api' }, addresses: [apiVm.privateIp] });
    new AllowFlow(az.stack, 'WebToApi', { from: azureSegment, to: awsSegment, ports: [Port.tcp(8080)] });
    expect(aws).toAllowFlow('azure/web', 'aws/api', Port.tcp(8080));
    expect(aws).toDenyFlow('azure/web', 'aws/api', Port.tcp(8081));
    expect(aws).toDenyFlow('aws/api', 'azure/web', Port.tcp(8080));
  });
});
