import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { ComputeInstanceTemplate } from '@cdktf/provider-google/lib/compute-instance-template';
import { PodV1 } from '@cdktf/provider-kubernetes/lib/pod-v1';
import { App } from 'cdktf';
import { AllowFlow, AwsBinding, AwsEnforcement, AzureBinding, AzureEnforcement, GcpBinding, KubernetesBinding, Peer, Port, Workload } from '../../lib';
import '../../lib/verify/jest';
import { azureStack } from '../azure/azure-fixtures';
import { linuxScaleSet } from '../azure/binding-fixtures';
import { gcpEstate, vmWorkload } from '../gcp/gcp-fixtures';
import { awsStack, errorOf } from '../helpers';
import { deployment, kubeEstate } from '../kubernetes/k8s-fixtures';

// A workload bound to several hosts (the pods of a Deployment, the VMs of an instance template)
// may have a flow to itself: its hosts reach each other through the network, which the platform
// filters. A workload of one host may not: traffic inside one host is not filtered.

describe('a flow from a workload to itself', () => {
  test('kubernetes: the pods of a Deployment may reach each other on the declared port only', () => {
    // GIVEN the pods of one Deployment
    const app = new App();
    const stack = kubeEstate(app, 'k');
    const ring = new Workload(stack, 'Ring', { binding: KubernetesBinding.deployment(deployment(stack, 'data', 'ring')) });
    // WHEN they may reach each other on 7000
    new AllowFlow(stack, 'Gossip', { from: ring, to: ring, ports: [Port.tcp(7000)] });
    // THEN replica to replica is allowed on 7000 and denied elsewhere
    expect(stack).toAllowFlow(ring, ring, Port.tcp(7000));
    expect(stack).toDenyFlow(ring, ring, Port.tcp(7001));
  });

  test('gcp: the VMs of an instance template may reach each other through the helper', () => {
    const app = new App();
    const { stack } = gcpEstate(app, 'g', { subnetCidrs: ['10.0.0.0/24'] });
    const template = new ComputeInstanceTemplate(stack, 'tpl', { machineType: 'e2-small', disk: [{ sourceImage: 'debian-cloud/debian-12' }], networkInterface: [{ network: 'vpc', subnetwork: 'app' }] });
    const workers = new Workload(stack, 'Workers', { binding: GcpBinding.instanceTemplate(template), labels: { tier: 'workers' } });
    workers.allowFrom(workers, Port.tcp(7000));
    expect(stack).toAllowFlow(workers, workers, Port.tcp(7000));
    expect(stack).toDenyFlow(workers, workers, Port.tcp(22));
  });

  test('aws: the instances of a launch template may reach each other (a rule of their group naming the group)', () => {
    const app = new App();
    const stack = awsStack(app, 'a');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    const template = new LaunchTemplate(stack, 'tpl', { networkInterfaces: [{ deviceIndex: 0, subnetId: 'subnet-1' }] });
    const asg = new Workload(stack, 'Asg', { binding: AwsBinding.launchTemplate(template), labels: { tier: 'asg' } });
    new AllowFlow(stack, 'Peers', { from: asg, to: asg, ports: [Port.tcp(7000)] });
    expect(stack).toAllowFlow(asg, asg, Port.tcp(7000));
    expect(stack).toDenyFlow(asg, asg, Port.tcp(7001));
  });

  test('azure: the VMs of a scale set may reach each other', () => {
    const app = new App();
    const az = azureStack(app, 'z');
    new AzureEnforcement(az.stack, 'Azure', { resourceGroupName: az.rg.name, location: az.rg.location, subnetIds: [az.subnet.id] });
    const scaleSet = new Workload(az.stack, 'Vmss', { binding: AzureBinding.virtualMachineScaleSet(linuxScaleSet(az.stack, 'vmss', { rg: az.rg, subnet: az.subnet })) });
    new AllowFlow(az.stack, 'Peers', { from: scaleSet, to: scaleSet, ports: [Port.tcp(7000)] });
    expect(az.stack).toAllowFlow(scaleSet, scaleSet, Port.tcp(7000));
    expect(az.stack).toDenyFlow(scaleSet, scaleSet, Port.tcp(7001));
  });

  test.each([
    ['kubernetes, one Pod', (app: App) => {
      const stack = kubeEstate(app, 'k');
      const pod = new PodV1(stack, 'single', { metadata: { name: 'single', namespace: 'data', labels: { app: 'single' } }, spec: { container: [{ name: 'c', image: 'busybox' }] } });
      return new Workload(stack, 'Single', { binding: KubernetesBinding.pod(pod) });
    }],
    ['gcp, one VM', (app: App) => {
      const { stack } = gcpEstate(app, 'g', { subnetCidrs: ['10.0.0.0/24'] });
      return vmWorkload(stack, 'single');
    }],
  ])('%s: refused, naming the flow and the workload', (_what, declare) => {
    const app = new App();
    const single = declare(app);
    new AllowFlow(single.node.scope!, 'Self', { from: single, to: single, ports: [Port.tcp(7000)] });
    expect(errorOf(() => app.synth())).toContain(`AllowFlow '${single.node.scope!.node.path}/Self' goes from workload '${single.node.path}' to itself. Traffic inside one host is not filtered; remove the flow.`);
  });

  test('a peer to itself stays refused whatever the bindings', () => {
    const app = new App();
    const stack = kubeEstate(app, 'k');
    new AllowFlow(stack, 'Loop', { from: Peer.ipv4('10.0.0.0/8'), to: Peer.ipv4('10.0.0.0/8'), ports: [Port.HTTPS] });
    expect(errorOf(() => app.synth())).toContain("AllowFlow 'k/Loop' goes from Peer.ipv4(\"10.0.0.0/8\") to itself.");
  });
});
