import {
  KubeClusterPolicy, KubeClusterPolicyPeer, KubeClusterPolicyProtocol, KubeClusterPolicyRule, KubeClusterView, KubeLabelSelector,
  KubeNetworkPolicy, KubeNetworkPolicyPeer, KubeNetworkPolicyPort, KubeNetworkPolicyRule,
} from './kube-policy-model';
import { NAMESPACE_NAME_LABEL } from './kube-semantics';
import type { Estate } from '../../estate/estate';
import { JsonObject, TerraformResource, asArray, asObject, blocksAt, stringsAt } from '../../model/terraform-model';

/** Workload resource types whose pods the evaluator reads (the pod template's namespace and labels). */
export const POD_OWNER_TYPES = ['kubernetes_deployment_v1', 'kubernetes_stateful_set_v1', 'kubernetes_daemon_set_v1', 'kubernetes_pod_v1'];

/** The NetworkPolicy resource type. */
export const NETWORK_POLICY_TYPE = 'kubernetes_network_policy_v1';

/** The manifest resource type that carries ClusterNetworkPolicies. */
export const MANIFEST_TYPE = 'kubernetes_manifest';

/** The namespace resource type (its labels are read for namespace selectors). */
export const NAMESPACE_TYPE = 'kubernetes_namespace_v1';

/** What Kubernetes knows of a host: the pods it stands for. */
export interface KubePodFacts {
  /** The cluster: the stack and the provider configuration of the resource. */
  readonly cluster: string;
  /** The pods' namespace. */
  readonly namespace: string;
  /** The pods' labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** Key of the resource the pods are read from (a Deployment, or the NetworkPolicy that selects pods of other tools). */
  readonly resourceKey?: string;
}

/** The policies of every cluster in the JSON, read once per estate. */
export class KubeFacts implements KubeClusterView {
  public readonly networkPolicies: KubeNetworkPolicy[] = [];
  public readonly clusterPolicies: KubeClusterPolicy[] = [];
  private readonly resources = new Map<string, TerraformResource>();
  private readonly namespaces = new Map<string, Record<string, string>>();

  constructor(estate: Estate) {
    const model = estate.model;
    for (const resource of model.resourcesOfType(NAMESPACE_TYPE)) {
      const metadata = blocksAt(resource.body, 'metadata')[0] ?? {};
      const name = literal(metadata.name);
      if (name) this.namespaces.set(`${clusterOf(resource)}|${name}`, literalMap(metadata.labels));
    }
    for (const resource of model.resourcesOfType(NETWORK_POLICY_TYPE)) {
      this.resources.set(resource.key, resource);
      this.networkPolicies.push(readNetworkPolicy(resource));
    }
    for (const resource of model.resourcesOfType(MANIFEST_TYPE)) {
      const policy = readClusterPolicy(resource);
      if (!policy) continue;
      this.resources.set(resource.key, resource);
      this.clusterPolicies.push(policy);
    }
  }

  /** Whether the JSON holds any Kubernetes policy. */
  public get present(): boolean {
    return this.networkPolicies.length > 0 || this.clusterPolicies.length > 0;
  }

  /** The resource a policy was read from. */
  public resourceOf(id: string): TerraformResource | undefined {
    return this.resources.get(id);
  }

  /** The flow a NetworkPolicy rule serves, from the rule's `microseg.cdktf.io/<direction>-<index>` annotation. */
  public ruleFlow(resourceKey: string, direction: string, index: number): string | undefined {
    const resource = this.resources.get(resourceKey);
    if (!resource || resource.type !== NETWORK_POLICY_TYPE) return undefined;
    const metadata = blocksAt(resource.body, 'metadata')[0] ?? {};
    const flow = asObject(metadata.annotations)[`microseg.cdktf.io/${direction}-${index}`];
    return typeof flow === 'string' ? flow : undefined;
  }

  /** A namespace's labels: those its namespace resource gives, and always its name label. */
  public namespaceLabels(cluster: string, namespace: string): Readonly<Record<string, string>> {
    return { ...(this.namespaces.get(`${cluster}|${namespace}`) ?? {}), [NAMESPACE_NAME_LABEL]: namespace };
  }
}

/** The Kubernetes facts of an estate, read on first use. */
export function kubeFacts(estate: Estate): KubeFacts {
  return estate.facts(readKubeFacts);
}

function readKubeFacts(estate: Estate): KubeFacts {
  return new KubeFacts(estate);
}

/** The cluster a resource belongs to: its stack and its provider configuration (`kubernetes` or `kubernetes.<alias>`). */
export function clusterOf(resource: TerraformResource): string {
  return `${resource.stack}|${literal(resource.body.provider) ?? 'kubernetes'}`;
}

/** The pods of a workload resource (pod template or pod metadata), or of the NetworkPolicy that selects pods of other tools. */
export function podFactsOf(resource: TerraformResource): KubePodFacts | undefined {
  const metadata = blocksAt(resource.body, 'metadata')[0] ?? {};
  const namespace = literal(metadata.namespace) ?? 'default';
  const cluster = clusterOf(resource);
  if (resource.type === 'kubernetes_pod_v1') return { cluster, namespace, labels: literalMap(metadata.labels), resourceKey: resource.key };
  if (resource.type === NETWORK_POLICY_TYPE) {
    const spec = blocksAt(resource.body, 'spec')[0] ?? {};
    const selector = blocksAt(spec, 'pod_selector')[0] ?? {};
    return { cluster, namespace, labels: literalMap(selector.match_labels), resourceKey: resource.key };
  }
  if (!POD_OWNER_TYPES.includes(resource.type)) return undefined;
  const spec = blocksAt(resource.body, 'spec')[0] ?? {};
  const template = blocksAt(spec, 'template')[0] ?? {};
  const templateMetadata = blocksAt(template, 'metadata')[0] ?? {};
  return { cluster, namespace, labels: literalMap(templateMetadata.labels), resourceKey: resource.key };
}

function readNetworkPolicy(resource: TerraformResource): KubeNetworkPolicy {
  const metadata = blocksAt(resource.body, 'metadata')[0] ?? {};
  const spec = blocksAt(resource.body, 'spec')[0] ?? {};
  const ingress = blocksAt(spec, 'ingress').map((rule) => readRule(rule, 'from'));
  const egress = blocksAt(spec, 'egress').map((rule) => readRule(rule, 'to'));
  const declared = stringsAt(spec, 'policy_types');
  // Kubernetes' default: Ingress always, Egress when the policy has egress rules
  const types = declared.length > 0 ? declared : ['Ingress', ...(egress.length > 0 ? ['Egress'] : [])];
  return {
    id: resource.key,
    cluster: clusterOf(resource),
    namespace: literal(metadata.namespace) ?? 'default',
    podSelector: readSelector(blocksAt(spec, 'pod_selector')[0] ?? {}),
    ...(types.includes('Ingress') ? { ingress } : {}),
    ...(types.includes('Egress') ? { egress } : {}),
  };
}

function readRule(rule: JsonObject, peersKey: string): KubeNetworkPolicyRule {
  return {
    peers: blocksAt(rule, peersKey).map(readPeer),
    ports: blocksAt(rule, 'ports').map(readPort),
  };
}

function readPeer(peer: JsonObject): KubeNetworkPolicyPeer {
  const ipBlock = blocksAt(peer, 'ip_block')[0];
  const podSelector = blocksAt(peer, 'pod_selector')[0];
  const namespaceSelector = blocksAt(peer, 'namespace_selector')[0];
  return {
    ...(podSelector ? { podSelector: readSelector(podSelector) } : {}),
    ...(namespaceSelector ? { namespaceSelector: readSelector(namespaceSelector) } : {}),
    ...(ipBlock ? { ipBlock: { cidr: String(ipBlock.cidr ?? ''), except: stringsAt(ipBlock, 'except') } } : {}),
  };
}

function readPort(port: JsonObject): KubeNetworkPolicyPort {
  const protocol = String(port.protocol ?? 'TCP').toUpperCase() as KubeNetworkPolicyPort['protocol'];
  const raw = port.port;
  const number = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : undefined;
  const endPort = typeof port.end_port === 'number' ? port.end_port : typeof port.end_port === 'string' && /^\d+$/.test(port.end_port) ? Number(port.end_port) : undefined;
  if (raw === undefined || raw === null || raw === '') return { protocol };
  return { protocol, port: number ?? String(raw), ...(endPort !== undefined ? { endPort } : {}) };
}

function readSelector(block: JsonObject): KubeLabelSelector {
  return {
    matchLabels: literalMap(block.match_labels ?? block.matchLabels),
    matchExpressions: [...blocksAt(block, 'match_expressions'), ...blocksAt(block, 'matchExpressions')].map((e) => ({
      key: String(e.key ?? ''),
      operator: String(e.operator ?? ''),
      values: asArray(e.values).map(String),
    })),
  };
}

function readClusterPolicy(resource: TerraformResource): KubeClusterPolicy | undefined {
  const manifest = asObject(resource.body.manifest);
  if (manifest.kind !== 'ClusterNetworkPolicy' || !String(manifest.apiVersion ?? '').startsWith('policy.networking.k8s.io/')) return undefined;
  const spec = asObject(manifest.spec);
  const subject = asObject(spec.subject);
  const tier = spec.tier === 'Baseline' ? 'Baseline' : 'Admin';
  return {
    id: resource.key,
    cluster: clusterOf(resource),
    tier,
    priority: typeof spec.priority === 'number' ? spec.priority : Number(spec.priority ?? 0),
    subject: {
      ...(subject.namespaces ? { namespaces: readSelector(asObject(subject.namespaces)) } : {}),
      ...(subject.pods ? { pods: readNamespacedPod(asObject(subject.pods)) } : {}),
    },
    ingress: asArray(spec.ingress).map((rule) => readClusterRule(asObject(rule), 'from')),
    egress: asArray(spec.egress).map((rule) => readClusterRule(asObject(rule), 'to')),
  };
}

function readNamespacedPod(pods: JsonObject): { namespaceSelector: KubeLabelSelector; podSelector: KubeLabelSelector } {
  return { namespaceSelector: readSelector(asObject(pods.namespaceSelector)), podSelector: readSelector(asObject(pods.podSelector)) };
}

function readClusterRule(rule: JsonObject, peersKey: string): KubeClusterPolicyRule {
  const action = rule.action === 'Accept' || rule.action === 'Pass' ? rule.action : 'Deny';
  const protocols = rule.protocols === undefined ? undefined : asArray(rule.protocols).map((p) => readClusterProtocol(asObject(p)));
  return {
    ...(typeof rule.name === 'string' ? { name: rule.name } : {}),
    action,
    peers: asArray(rule[peersKey]).map((peer): KubeClusterPolicyPeer => {
      const object = asObject(peer);
      if (object.networks !== undefined) return { networks: asArray(object.networks).map(String) };
      if (object.pods !== undefined) return { pods: readNamespacedPod(asObject(object.pods)) };
      if (object.namespaces !== undefined) return { namespaces: readSelector(asObject(object.namespaces)) };
      return {};
    }),
    ...(protocols ? { protocols } : {}),
  };
}

function readClusterProtocol(entry: JsonObject): KubeClusterPolicyProtocol {
  if (typeof entry.destinationNamedPort === 'string') return { namedPort: entry.destinationNamedPort };
  for (const protocol of ['tcp', 'udp', 'sctp'] as const) {
    if (entry[protocol] === undefined) continue;
    const port = asObject(asObject(entry[protocol]).destinationPort);
    if (typeof port.number === 'number') return { protocol, port: port.number };
    const range = asObject(port.range);
    if (typeof range.start === 'number' && typeof range.end === 'number') return { protocol, port: range.start, endPort: range.end };
    return { protocol };
  }
  return {};
}

/** A literal string (no Terraform expression), if the value is one. */
function literal(value: unknown): string | undefined {
  return typeof value === 'string' && !value.includes('${') ? value : undefined;
}

function literalMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(asObject(value))) {
    const text = literal(item);
    if (text !== undefined) out[key] = text;
  }
  return out;
}
