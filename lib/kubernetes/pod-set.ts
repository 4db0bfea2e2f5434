import { TerraformResource, Token } from 'cdktf';
import { KubernetesBinding } from './binding';

/** The pods a workload stands for: their namespace, their labels and the selector that picks them. */
export interface PodSet {
  /** The pods' namespace. */
  readonly namespace: string;
  /** The labels every pod carries (the template's labels). */
  readonly labels: Readonly<Record<string, string>>;
  /** The labels the workload's NetworkPolicy selects the pods by (the controller's own selector, else the labels). */
  readonly selector: Readonly<Record<string, string>>;
}

/** A pod set, or the problems that keep it from being read (sentences that follow the workload's path). */
export interface PodSetReading {
  readonly podSet?: PodSet;
  readonly problems: string[];
}

/**
 * Reads the pods a binding stands for from the configuration of the bound resource (a Deployment's,
 * StatefulSet's or DaemonSet's pod template and selector, a Pod's metadata) or from the namespace and
 * labels given to `KubernetesBinding.pods`. Namespace and labels must be literal: the policies name
 * them, and a value known only at apply cannot be checked against the pods.
 */
export function readPodSet(binding: KubernetesBinding): PodSetReading {
  if (binding.resourceType === 'pods') {
    const labels = { ...(binding.podLabels ?? {}) };
    return { podSet: { namespace: binding.namespace!, labels, selector: labels }, problems: [] };
  }
  const resource = binding.resource as TerraformResource & { metadataInput?: any; specInput?: any };
  const metadata = resource.metadataInput ?? {};
  const namespace = metadata.namespace ?? 'default';
  const problems: string[] = [];
  let labels: Record<string, string> | undefined;
  let selector: Record<string, string> | undefined;
  let podSpec: any;
  if (binding.resourceType === 'kubernetes_pod_v1') {
    labels = metadata.labels;
    podSpec = resource.specInput;
  } else {
    const spec = resource.specInput ?? {};
    labels = spec.template?.metadata?.labels;
    selector = spec.selector?.matchLabels;
    podSpec = spec.template?.spec;
  }
  const where = `${binding.factory}('${resource.node.path}')`;
  if (podSpec?.hostNetwork === true) {
    problems.push(`is bound with ${where}, whose pods use the host's network (hostNetwork: true). NetworkPolicies do not apply to such pods, and their traffic comes from the node's address, so no rule naming them would match. Name them by the nodes' addresses (a Workload with addresses: the node CIDRs) and enforce on the nodes with HostFirewall, or drop hostNetwork.`);
  }
  if (Token.isUnresolved(namespace)) {
    problems.push(`is bound with ${where}, whose namespace is known only at apply. Write the namespace as a string (the same as the namespace resource's name): the NetworkPolicies live in it.`);
  }
  if (labels === undefined || Token.isUnresolved(labels) || Object.keys(labels).length === 0) {
    problems.push(`is bound with ${where}, whose pods carry no literal labels. Give the pod template labels (for example { app: "web" }): NetworkPolicies select pods by labels.`);
  } else if (Object.entries(labels).some(([k, v]) => Token.isUnresolved(k) || Token.isUnresolved(v))) {
    problems.push(`is bound with ${where}, whose pod labels hold values known only at apply. Write them as strings.`);
  }
  if (selector !== undefined && (Token.isUnresolved(selector) || Object.values(selector).some((v) => Token.isUnresolved(v)))) selector = undefined;
  if (problems.length > 0) return { problems };
  const podLabels = { ...labels! };
  const chosen = selector && Object.keys(selector).length > 0 ? { ...selector } : podLabels;
  for (const [key, value] of Object.entries(chosen)) {
    if (podLabels[key] !== value) {
      problems.push(`is bound with ${where}, whose selector ${key}=${value} does not match its pod template labels. Kubernetes rejects such a controller; make the template carry the selector's labels.`);
    }
  }
  return problems.length > 0 ? { problems } : { podSet: { namespace, labels: podLabels, selector: chosen }, problems };
}

/** Whether every label of `selector` is in `labels` with the same value (an empty selector selects nothing here). */
export function selects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(selector);
  return keys.length > 0 && keys.every((key) => labels[key] === selector[key]);
}
