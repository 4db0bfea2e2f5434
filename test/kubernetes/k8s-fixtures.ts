import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { KubernetesBinding, KubernetesEnforcement, KubernetesEnforcementProps, Workload } from '../../lib';

/** A stack with a kubernetes provider. */
export function kubeStack(app: App, id: string): TerraformStack {
  const stack = new TerraformStack(app, id);
  new KubernetesProvider(stack, 'kubernetes', { configPath: '~/.kube/config' });
  return stack;
}

/** A stack with a kubernetes provider and the cluster's enforcement. */
export function kubeEstate(app: App, id: string, props: Partial<KubernetesEnforcementProps> = {}): TerraformStack {
  const stack = kubeStack(app, id);
  new KubernetesEnforcement(stack, 'Cluster', { clusterName: 'prod', podCidrs: ['10.244.0.0/16'], ...props });
  return stack;
}

/** A Deployment `name` in `namespace` whose pods carry `app: name` (plus `extraLabels`). */
export function deployment(stack: TerraformStack, namespace: string, name: string, extraLabels: Record<string, string> = {}): DeploymentV1 {
  const labels = { app: name, ...extraLabels };
  return new DeploymentV1(stack, `${namespace}-${name}`, {
    metadata: { name, namespace },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels }, spec: { container: [{ name, image: `example/${name}:1` }] } },
    },
  });
}

/** A workload bound to a Deployment, with microseg labels `tier: name`. */
export function podWorkload(stack: TerraformStack, namespace: string, name: string, labels: Record<string, string> = { tier: name }): Workload {
  return new Workload(stack, `${name[0].toUpperCase()}${name.slice(1)}Pods`, { binding: KubernetesBinding.deployment(deployment(stack, namespace, name)), labels });
}
