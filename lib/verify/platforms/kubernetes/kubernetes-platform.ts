import { KubePodFacts, MANIFEST_TYPE, NAMESPACE_TYPE, NETWORK_POLICY_TYPE, POD_OWNER_TYPES, kubeFacts, podFactsOf } from './kube-facts';
import { KUBERNETES, kubeOf } from './kube-host';
import { KubernetesLayer } from './kube-layer';
import { selectorMatches } from './kube-semantics';
import type { Estate } from '../../estate/estate';
import { Host, hostWithAddresses } from '../../estate/host';
import { JsonObject, TerraformResource, asObject, blocksAt } from '../../model/terraform-model';
import { Value } from '../../model/value';
import { EvaluatorPlatform, Placement, PlatformChangeRules, UniqueKey, ValueText } from '../evaluator-platform';

/**
 * Kubernetes (hashicorp/kubernetes): a NetworkPolicy's metadata (name, namespace) forces
 * replacement, its spec updates in place; a manifest is replaced when its kind, API version or name
 * changes. A NetworkPolicy name is unique per namespace, a ClusterNetworkPolicy name per cluster.
 */
const KUBERNETES_CHANGE_RULES: PlatformChangeRules = {
  // metadata also holds labels and annotations, which update in place: its name and namespace are compared below
  forceNew: {
    [NETWORK_POLICY_TYPE]: [],
    [MANIFEST_TYPE]: [],
  },
  ruleTypes: [NETWORK_POLICY_TYPE, MANIFEST_TYPE],
  extraReplacements: (type: string, oldBody: JsonObject, newBody: JsonObject): string[] => {
    if (type === NETWORK_POLICY_TYPE) {
      const identity = (body: JsonObject) => {
        const metadata = blocksAt(body, 'metadata')[0] ?? {};
        return JSON.stringify([metadata.name, metadata.namespace ?? 'default']);
      };
      return identity(oldBody) === identity(newBody) ? [] : ['metadata (name or namespace)'];
    }
    if (type !== MANIFEST_TYPE) return [];
    const identity = (body: JsonObject) => {
      const manifest = asObject(body.manifest);
      return JSON.stringify([manifest.apiVersion, manifest.kind, asObject(manifest.metadata).name, asObject(manifest.metadata).namespace]);
    };
    return identity(oldBody) === identity(newBody) ? [] : ['manifest (kind, apiVersion or name)'];
  },
  uniqueKeys: (resource: TerraformResource, text: ValueText): UniqueKey[] => {
    const cluster = `${resource.stack}|${text(resource.body.provider) || 'kubernetes'}`;
    if (resource.type === NETWORK_POLICY_TYPE) {
      const metadata = blocksAt(resource.body, 'metadata')[0] ?? {};
      return [{ kind: 'kubernetes-object', key: [cluster, 'NetworkPolicy', text(metadata.namespace) || 'default', text(metadata.name)].join('|') }];
    }
    if (resource.type === MANIFEST_TYPE) {
      const manifest = asObject(resource.body.manifest);
      return [{ kind: 'kubernetes-object', key: [cluster, String(manifest.kind), String(asObject(manifest.metadata).namespace ?? ''), String(asObject(manifest.metadata).name)].join('|') }];
    }
    return [];
  },
};

/** Pods of Kubernetes clusters behind NetworkPolicy and ClusterNetworkPolicy; a workload's NetworkPolicy is its group. */
export const KUBERNETES_PLATFORM: EvaluatorPlatform = {
  changeRules: KUBERNETES_CHANGE_RULES,
  name: KUBERNETES,
  layers: (estate) => [new KubernetesLayer(estate)],
  evaluatedTypes: [NETWORK_POLICY_TYPE, MANIFEST_TYPE, NAMESPACE_TYPE, ...POD_OWNER_TYPES],
  scopedTypes: [...POD_OWNER_TYPES],
  addressRuleTypes: [NETWORK_POLICY_TYPE, MANIFEST_TYPE],
  groupTypes: [NETWORK_POLICY_TYPE],
  endpointTypes: [...POD_OWNER_TYPES, NETWORK_POLICY_TYPE],
  primaryAddresses: {},
  hostOf: (_estate, resource, name, extraAddresses) => podHost(resource, name, extraAddresses),
  placements: (estate, groupKeys) => podPlacements(estate, groupKeys),
  namesByIdentity: (host) => kubeOf(host) !== undefined,
  carriesGroup: (estate, host, groupKey) => {
    const pod = kubeOf(host);
    const resource = estate.model.resource(groupKey);
    const policy = resource ? kubeFacts(estate).networkPolicies.find((p) => p.id === resource.key) : undefined;
    return pod !== undefined && policy !== undefined && policy.cluster === pod.cluster && policy.namespace === pod.namespace
      && selectorMatches(policy.podSelector, pod.labels);
  },
  signature: (host) => {
    const pod = kubeOf(host);
    return pod ? [pod.cluster, pod.namespace, pod.labels, pod.resourceKey ?? null] : null;
  },
  keysOf: (host) => {
    const pod = kubeOf(host);
    return pod?.resourceKey ? [pod.resourceKey] : [];
  },
  ruleAddressTexts: (estate) => {
    const facts = kubeFacts(estate);
    const texts = new Set<string>();
    for (const policy of facts.networkPolicies) {
      for (const rule of [...(policy.ingress ?? []), ...(policy.egress ?? [])]) {
        for (const peer of rule.peers) if (peer.ipBlock && !peer.ipBlock.cidr.includes('${')) texts.add(peer.ipBlock.cidr);
      }
    }
    return [...texts].sort();
  },
  namesGroupsOnBothSides: () => false,
};

function podHost(resource: TerraformResource, name: string, extraAddresses: readonly Value[]): Host | undefined {
  const facts = podFactsOf(resource);
  if (!facts) return undefined;
  return hostWithAddresses({ name, platforms: { [KUBERNETES]: facts } }, extraAddresses, []);
}

/**
 * One hypothetical member per workload NetworkPolicy: a pod in its namespace carrying the labels it
 * selects by, at the addresses the workloads bound to those pods were given (the cluster's CIDRs).
 */
function podPlacements(estate: Estate, groupKeys: readonly string[]): Placement[] {
  const placements: Placement[] = [];
  for (const key of groupKeys) {
    const resource = estate.model.resource(key);
    const facts = resource ? podFactsOf(resource) : undefined;
    if (!resource || !facts) continue;
    const ranges = new Set<string>();
    for (const workload of estate.inventory.workloads.values()) {
      const bound = workload.bindingKey ? estate.model.resource(workload.bindingKey) : undefined;
      const pods = bound ? podFactsOf(bound) : undefined;
      if (!pods || pods.cluster !== facts.cluster || pods.namespace !== facts.namespace) continue;
      if (!Object.entries(facts.labels).every(([k, v]) => pods.labels[k] === v)) continue;
      for (const value of workload.addresses) if (value.kind === 'literal') ranges.add(String(value.value));
    }
    const label = `${facts.namespace}/${Object.entries(facts.labels).map(([k, v]) => `${k}=${v}`).join(',')}`;
    placements.push({ label, ranges: [...ranges].sort(), facts: facts satisfies KubePodFacts });
  }
  return placements;
}
