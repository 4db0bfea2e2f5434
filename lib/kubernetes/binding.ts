import { TerraformResource, Token } from 'cdktf';
import { Platform } from '../platform';
import { WorkloadBinding } from '../workload-binding';

/**
 * Binds a workload to pods of a Kubernetes cluster protected by the {@link KubernetesEnforcement} of
 * its stack: the pods a Deployment, StatefulSet, DaemonSet or Pod resource runs (their template's
 * namespace and labels), or pods deployed by other tools (Helm, GitOps) given as a namespace and pod
 * labels. The pods' labels are never rewritten: the workload's NetworkPolicy selects them by the
 * labels they already have.
 */
export class KubernetesBinding extends WorkloadBinding {
  /**
   * The pods of a Deployment (`kubernetes_deployment_v1`, `DeploymentV1` of
   * `@cdktf/provider-kubernetes/lib/deployment-v1`).
   * @param deployment the deployment
   */
  public static deployment(deployment: TerraformResource): KubernetesBinding {
    return new KubernetesBinding(deployment, 'kubernetes_deployment_v1', 'KubernetesBinding.deployment');
  }

  /**
   * The pods of a StatefulSet (`kubernetes_stateful_set_v1`, `StatefulSetV1` of
   * `@cdktf/provider-kubernetes/lib/stateful-set-v1`).
   * @param statefulSet the stateful set
   */
  public static statefulSet(statefulSet: TerraformResource): KubernetesBinding {
    return new KubernetesBinding(statefulSet, 'kubernetes_stateful_set_v1', 'KubernetesBinding.statefulSet');
  }

  /**
   * The pods of a DaemonSet (`kubernetes_daemon_set_v1`, `DaemonSetV1` of
   * `@cdktf/provider-kubernetes/lib/daemon-set-v1`).
   * @param daemonSet the daemon set
   */
  public static daemonSet(daemonSet: TerraformResource): KubernetesBinding {
    return new KubernetesBinding(daemonSet, 'kubernetes_daemon_set_v1', 'KubernetesBinding.daemonSet');
  }

  /**
   * One Pod (`kubernetes_pod_v1`, `PodV1` of `@cdktf/provider-kubernetes/lib/pod-v1`).
   * @param pod the pod
   */
  public static pod(pod: TerraformResource): KubernetesBinding {
    return new KubernetesBinding(pod, 'kubernetes_pod_v1', 'KubernetesBinding.pod');
  }

  /**
   * Pods deployed by another tool (a Helm chart, a GitOps controller), known by their namespace and
   * labels: every pod of the namespace that carries all of `podLabels` is a pod of the workload.
   * @param namespace the pods' namespace
   * @param podLabels labels every pod of the workload carries (at least one)
   */
  public static pods(namespace: string, podLabels: { [key: string]: string }): KubernetesBinding {
    return new KubernetesBinding(undefined, 'pods', 'KubernetesBinding.pods', namespace, podLabels);
  }

  /** Every binding but one Pod stands for several pods, which reach each other through the pod network. */
  public get severalHosts(): boolean {
    return this.factory !== 'KubernetesBinding.pod';
  }

  /** The namespace given to {@link KubernetesBinding.pods}; undefined for a bound resource. */
  public readonly namespace?: string;
  /** The pod labels given to {@link KubernetesBinding.pods}; undefined for a bound resource. */
  public readonly podLabels?: { [key: string]: string };

  private constructor(
    resource: TerraformResource | undefined, resourceType: string, factory: string, namespace?: string, podLabels?: { [key: string]: string },
  ) {
    // a binding to pods of other tools has no resource: the workload then renders as a pod set only
    super(Platform.KUBERNETES, resource as TerraformResource, resourceType, factory);
    this.namespace = namespace;
    this.podLabels = podLabels === undefined ? undefined : { ...podLabels };
  }

  /** The problems of the binding (empty when it is sound). */
  public validate(): string[] {
    if (this.resourceType !== 'pods') return super.validate();
    const problems: string[] = [];
    const namespace = this.namespace;
    if (typeof namespace !== 'string' || !DNS_LABEL.test(namespace)) {
      problems.push(`is bound with ${this.factory}(${JSON.stringify(namespace)}, ...), which is not a namespace name. Give the pods' namespace as written in Kubernetes, for example "shop".`);
    }
    const labels = Object.entries(this.podLabels ?? {});
    if (labels.length === 0) {
      problems.push(`is bound with ${this.factory}("${namespace}", {}), which would select every pod of the namespace. Give the labels the pods carry, for example { app: "web" }.`);
    }
    for (const [key, value] of labels) {
      if (typeof value !== 'string' || Token.isUnresolved(value) || Token.isUnresolved(key)) {
        problems.push(`is bound with ${this.factory}(...) whose pod label "${key}" is ${JSON.stringify(value)}. Pod labels are literal strings.`);
      }
    }
    return problems;
  }
}

/** A Kubernetes namespace name (RFC 1123 label). */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
