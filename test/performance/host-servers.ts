import { App } from 'cdktf';
import { AllowFlow, AwsBinding, AwsEnforcement, Port, Workload } from '../../lib';
import { HostDelivery, HostFirewall } from '../../lib/host';
import { awsStack, instance } from '../helpers';

/**
 * Declares in `app` an AWS stack `hosts` of `servers` instances, each with its address; every
 * other one has its own HostFirewall (its rule set delivered by `delivery`, by default SSM), and
 * each server reaches the next over SSH.
 */
export function buildHostServers(app: App, servers: number, delivery?: HostDelivery): void {
  const stack = awsStack(app, 'hosts');
  new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
  let previous: Workload | undefined;
  for (let i = 0; i < servers; i++) {
    const workload = new Workload(stack, `Server${i}`, {
      binding: AwsBinding.instance(instance(stack, `vm${i}`)),
      addresses: [`10.0.${Math.floor(i / 200)}.${(i % 200) + 1}`],
    });
    if (i % 2 === 0) new HostFirewall(stack, `Server${i}Firewall`, { workload, ...(delivery ? { delivery } : {}) });
    if (previous) new AllowFlow(stack, `Ssh${i}`, { from: previous, to: workload, ports: [Port.SSH] });
    previous = workload;
  }
}
