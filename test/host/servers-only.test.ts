import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { AllowFlow, AwsBinding, AwsEnforcement, HostFirewallEnforcement, Port, Workload } from '../../lib';
import { awsStack, instance, newApp, resourcesOf, synthApp } from '../helpers';

// A stack's HostFirewallEnforcement covers its servers: a managed database runs no host firewall,
// so it gets no rule set (whose rules would never be applied anywhere).

test('GIVEN a HostFirewallEnforcement over an instance and a database WHEN synthesized THEN only the instance gets a rule set', () => {
  const app = newApp();
  const stack = awsStack(app, 'w');
  new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-1' });
  new HostFirewallEnforcement(stack, 'Hosts');
  const api = new Workload(stack, 'Api', { binding: AwsBinding.instance(instance(stack, 'api-vm', { privateIp: '10.0.1.10' })), addresses: ['10.0.1.10'] });
  const db = new Workload(stack, 'Db', { binding: AwsBinding.dbInstance(new DbInstance(stack, 'db', { engine: 'postgres', instanceClass: 'db.t3.micro', allocatedStorage: 10 }), { subnetCidrs: ['10.0.5.0/24'] }) });
  new AllowFlow(stack, 'ApiDb', { from: api, to: db, ports: [Port.POSTGRES] });
  const documents = resourcesOf(synthApp(app).w, 'aws_ssm_document');
  expect(Object.keys(documents)).toEqual([expect.stringMatching(/^MicrosegHost-w-Api/)]);
  expect(JSON.stringify(synthApp(app).w.json)).not.toContain('MicrosegHost-w-Db');
});
