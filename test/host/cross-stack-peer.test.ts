import { AllowFlow, AwsBinding, AwsEnforcement, GcpBinding, HostFirewall, Port, Workload } from '../../lib';
import { gcpEstate, vm } from '../gcp/gcp-fixtures';
import { awsStack, errorOf, instance, newApp, synthApp } from '../helpers';

// A rule set cannot reference another stack's expressions. When the peer has literal addresses and
// only its binding adds an expression (an instance's interface address), the advice says so.

test('GIVEN a GCP instance with literal addresses but no networkIp WHEN an AWS host firewall in another stack names it THEN the error points at the binding\'s address', () => {
  const app = newApp();
  const g = gcpEstate(app, 'g');
  const batch = new Workload(g.stack, 'Batch', { binding: GcpBinding.instance(vm(g.stack, 'batch')), addresses: ['10.20.0.5'] });
  const aws = awsStack(app, 'w');
  new AwsEnforcement(aws, 'Aws', { vpcId: 'vpc-1' });
  const api = new Workload(aws, 'Api', { binding: AwsBinding.instance(instance(aws, 'api-vm', { privateIp: '10.0.1.10' })), addresses: ['10.0.1.10'] });
  new HostFirewall(aws, 'ApiFirewall', { workload: api });
  new AllowFlow(aws, 'BatchApi', { from: batch, to: api, ports: [Port.HTTPS] });
  expect(errorOf(() => synthApp(app))).toContain("names workload 'g/Batch' of stack 'g' by an address known only at apply, which a rule set in stack 'w' cannot reference. Its GcpBinding.instance binding adds that address from the resource: set it literally on the resource (for example the instance's private or network IP), or declare both in one stack.");
});
