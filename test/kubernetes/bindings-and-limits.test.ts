import { Instance } from '@cdktf/provider-aws/lib/instance';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DaemonSetV1 } from '@cdktf/provider-kubernetes/lib/daemon-set-v1';
import { StatefulSetV1 } from '@cdktf/provider-kubernetes/lib/stateful-set-v1';
import { App } from 'cdktf';
import {
  AwsBinding, AwsEnforcement, ClusterNetworkPolicyApiVersion, DenyFlow, KubernetesBinding, Peer, Port, Segment, Workload,
} from '../../lib';
import { evaluate, loadTerraformStacks } from '../../lib/verify';
import { newApp, synthApp } from '../helpers';
import { kubeEstate, podWorkload } from './k8s-fixtures';

function verdicts(app: App) {
  const out = synthApp(app);
  const model = loadTerraformStacks(Object.fromEntries(Object.entries(out).map(([name, stack]) => [name, stack.json])));
  return { out, check: (from: string, to: string, port: string) => evaluate(model, { from, to, port }) };
}

describe('Kubernetes bindings', () => {
  test('GIVEN a StatefulSet and a DaemonSet WHEN bound THEN their pod templates are the pods the policies select and the evaluator reads', () => {
    // GIVEN
    const app = newApp();
    const stack = kubeEstate(app, 'k8s');
    const template = (app_: string) => ({ metadata: { labels: { app: app_ } }, spec: { container: [{ name: app_, image: `example/${app_}:1` }] } });
    const db = new StatefulSetV1(stack, 'db', {
      metadata: { name: 'db', namespace: 'data' },
      spec: { serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: template('db') },
    });
    const agent = new DaemonSetV1(stack, 'agent', {
      metadata: { name: 'agent', namespace: 'ops' },
      spec: { selector: { matchLabels: { app: 'agent' } }, template: template('agent') },
    });
    const dbPods = new Workload(stack, 'DbPods', { binding: KubernetesBinding.statefulSet(db) });
    const agents = new Workload(stack, 'Agents', { binding: KubernetesBinding.daemonSet(agent) });
    agents._asSegment().allowTo(dbPods, Port.tcp(9187));
    // WHEN
    const { out, check } = verdicts(app);
    // THEN
    const policies = Object.values<any>(out.k8s.json.resource.kubernetes_network_policy_v1).filter((p) => p.spec.pod_selector.match_labels);
    expect(policies.map((p) => [p.metadata.namespace, p.spec.pod_selector.match_labels.app]).sort()).toEqual([['data', 'db'], ['ops', 'agent']]);
    expect(check('k8s/Agents', 'k8s/DbPods', 'tcp/9187').allowed).toBe(true);
    expect(check('k8s/DbPods', 'k8s/Agents', 'tcp/9187').allowed).toBe(false);
  });

  test('GIVEN a binding to a resource of another type THEN synthesis fails naming the factory and the type', () => {
    const app = newApp();
    const stack = kubeEstate(app, 'k8s');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const vm = new Instance(stack, 'vm', { ami: 'ami-1', instanceType: 't3.micro' });
    new Workload(stack, 'Wrong', { binding: KubernetesBinding.deployment(vm) });
    expect(() => app.synth()).toThrow(/Workload 'k8s\/Wrong' is bound with KubernetesBinding\.deployment\(\.\.\.\) to 'k8s\/vm' of type aws_instance, but KubernetesBinding\.deployment binds type kubernetes_deployment_v1/);
  });

  test.each([true, false])('GIVEN a DaemonSet with hostNetwork %s THEN synthesis refuses host-network pods, which NetworkPolicies never select', (hostNetwork) => {
    const app = newApp();
    const stack = kubeEstate(app, 'k8s', { clusterNetworkPolicy: false });
    const api = podWorkload(stack, 'shop', 'api');
    const exporter = new DaemonSetV1(stack, 'exporter', {
      metadata: { name: 'node-exporter', namespace: 'monitoring' },
      spec: {
        selector: { matchLabels: { app: 'node-exporter' } },
        template: { metadata: { labels: { app: 'node-exporter' } }, spec: { hostNetwork, container: [{ name: 'exporter', image: 'prom/node-exporter' }] } },
      },
    });
    const workload = new Workload(stack, 'Exporter', { binding: KubernetesBinding.daemonSet(exporter) });
    api.allowFrom(workload, Port.tcp(8080));
    const message = "Workload 'k8s/Exporter' is bound with KubernetesBinding.daemonSet('k8s/exporter'), whose pods use the host's network (hostNetwork: true). NetworkPolicies do not apply to such pods";
    if (hostNetwork) expect(() => app.synth()).toThrow(message);
    else expect(verdicts(app).check('k8s/Exporter', 'k8s/ApiPods', 'tcp/8080').allowed).toBe(true);
  });

  test('GIVEN pods of other tools without labels THEN synthesis fails instead of selecting the whole namespace', () => {
    const app = newApp();
    const stack = kubeEstate(app, 'k8s');
    new Workload(stack, 'All', { binding: KubernetesBinding.pods('shop', {}) });
    expect(() => app.synth()).toThrow(/KubernetesBinding\.pods\("shop", \{\}\), which would select every pod of the namespace/);
  });
});

describe('Kubernetes across platforms', () => {
  function mixed(podCidrs: string[], dbAddresses: string[]) {
    const app = newApp();
    const stack = kubeEstate(app, 'mixed', { podCidrs });
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    const api = new Segment(stack, 'Api', { selector: { tier: 'api' } });
    const db = new Segment(stack, 'Db', { selector: { tier: 'db' } });
    podWorkload(stack, 'back', 'api');
    new Workload(stack, 'DbVm', { binding: AwsBinding.instance(new Instance(stack, 'db', { ami: 'ami-1', instanceType: 't3.micro' })), labels: { tier: 'db' }, addresses: dbAddresses });
    db.allowFrom(api, Port.POSTGRES);
    return app;
  }

  test('GIVEN a flow from pods to an AWS instance WHEN the cluster declares no pod CIDRs THEN synthesis fails naming the flow and the fix', () => {
    expect(() => mixed([], ['10.0.3.10']).synth()).toThrow(/AllowFlow 'mixed\/Db\/AllowFrom-mixed-Api-tcp-5432' needs the addresses of the pods of cluster 'prod' for the aws rules of its other side, but KubernetesEnforcement 'mixed\/Cluster' declares neither podCidrs nor nodeCidrs/);
  });

  test('GIVEN a flow from pods to an AWS instance WHEN the instance has no addresses THEN synthesis fails naming the flow and the workload', () => {
    expect(() => mixed(['10.244.0.0/16'], []).synth()).toThrow(/AllowFlow 'mixed\/Db\/AllowFrom-mixed-Api-tcp-5432' needs the addresses of workload 'mixed\/DbVm' \(aws\) for the egress of workload 'mixed\/ApiPods'/);
  });

  test('GIVEN both sides known THEN the pods egress to the instance and the security group admits the pod network', () => {
    const { check } = verdicts(mixed(['10.244.0.0/16'], ['10.0.3.10']));
    expect(check('mixed/Api', 'mixed/Db', 'tcp/5432').allowed).toBe(true);
    expect(check('mixed/Db', 'mixed/Api', 'tcp/5432').allowed).toBe(false);
    expect(check('mixed/Api', 'mixed/Db', 'tcp/5433').allowed).toBe(false);
  });
});

describe('ClusterNetworkPolicy options and limits', () => {
  test('GIVEN the v1beta1 API version THEN the manifests use it', () => {
    const app = newApp();
    const stack = kubeEstate(app, 'k8s', { clusterNetworkPolicyApiVersion: ClusterNetworkPolicyApiVersion.V1BETA1 });
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    podWorkload(stack, 'front', 'web');
    new DenyFlow(stack, 'NoSsh', { from: Peer.ipv4('0.0.0.0/0'), to: web, ports: [Port.SSH] });
    new DenyFlow(stack, 'NoTelnet', { from: web, ports: [Port.tcp(23)] });
    const { out } = verdicts(app);
    const manifests = Object.values<any>(out.k8s.json.resource.kubernetes_manifest).map((m) => m.manifest);
    expect(manifests.map((m) => m.apiVersion)).toEqual(['policy.networking.k8s.io/v1beta1']);
    expect(manifests[0].spec.egress).toEqual([expect.objectContaining({ action: 'Deny', to: [{ networks: ['0.0.0.0/0', '::/0'] }] })]);
  });

  test('GIVEN 26 DenyFlows on one workload THEN synthesis fails on the 25-rule limit of a ClusterNetworkPolicy', () => {
    const app = newApp();
    const stack = kubeEstate(app, 'k8s');
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    podWorkload(stack, 'front', 'web');
    for (let i = 0; i < 26; i++) new DenyFlow(stack, `NoPort${i}`, { from: web, to: Peer.ipv4(`192.0.2.${i}/32`), ports: [Port.tcp(1000 + i)] });
    expect(() => app.synth()).toThrow(/KubernetesEnforcement 'k8s\/Cluster': ClusterNetworkPolicy '[^']+' would hold 26 egress rules .*ClusterNetworkPolicy allows 25 per direction/s);
  });
});
