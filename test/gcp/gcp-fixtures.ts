import { ComputeInstance } from '@cdktf/provider-google/lib/compute-instance';
import { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { GcpBinding, GcpEnforcement, GcpEnforcementProps, Workload } from '../../lib';

/** A stack with a google provider. */
export function gcpStack(app: App, id: string): TerraformStack {
  const stack = new TerraformStack(app, id);
  new GoogleProvider(stack, 'google', { project: 'shop-prod', region: 'europe-west1' });
  return stack;
}

/** A stack with a google provider, a VPC network `vpc` and the enforcement of that network. */
export function gcpEstate(
  app: App, id: string, props: Partial<GcpEnforcementProps> = {},
): { stack: TerraformStack; network: ComputeNetwork; enforcement: GcpEnforcement } {
  const stack = gcpStack(app, id);
  const network = new ComputeNetwork(stack, 'Vpc', { name: 'vpc', autoCreateSubnetworks: false });
  const enforcement = new GcpEnforcement(stack, 'Gcp', { project: 'shop-prod', network, ...props });
  return { stack, network, enforcement };
}

/** A VM instance `name` on the network. */
export function vm(stack: TerraformStack, name: string, extra: Partial<ConstructorParameters<typeof ComputeInstance>[2]> = {}): ComputeInstance {
  return new ComputeInstance(stack, `${name}-vm`, {
    name,
    machineType: 'e2-small',
    zone: 'europe-west1-b',
    bootDisk: { initializeParams: { image: 'debian-cloud/debian-12' } },
    networkInterface: [{ network: 'vpc', subnetwork: 'app' }],
    ...extra,
  });
}

/** A workload bound to a new instance, labelled `tier: name`. */
export function vmWorkload(stack: TerraformStack, name: string, labels: Record<string, string> = { tier: name }): Workload {
  return new Workload(stack, `${name[0].toUpperCase()}${name.slice(1)}Vm`, { binding: GcpBinding.instance(vm(stack, name)), labels });
}
