import { KubeFacts, kubeFacts } from './kube-facts';
import { kubeOf } from './kube-host';
import { KubeEndpoint } from './kube-policy-model';
import { KubeDecider, KubeDirectionVerdict, evaluateConnection } from './kube-semantics';
import { fromTraffic, toTraffic } from './kube-traffic';
import type { Estate } from '../../estate/estate';
import { Host } from '../../estate/host';
import { DecidingRule, Layer, LayerVerdict } from '../../layers/layer-verdict';
import { ruleOrigin } from '../../layers/rule-origin';
import { decidedVerdict } from '../../layers/verdicts';
import { Traffic } from '../../net/traffic';

/** The layer id of Kubernetes policies (NetworkPolicy and ClusterNetworkPolicy). */
export const KUBERNETES_LAYER = 'kubernetes-network-policy';

/**
 * NetworkPolicy and ClusterNetworkPolicy: egress at the source pods, ingress at the destination
 * pods, each with Kubernetes' tiers (see `kube-semantics.ts`). A host that is not a pod has no
 * point here.
 */
export class KubernetesLayer implements Layer {
  public readonly id = KUBERNETES_LAYER;
  private readonly facts: KubeFacts;

  constructor(private readonly estate: Estate) {
    this.facts = kubeFacts(estate);
  }

  public get present(): boolean {
    return this.facts.present;
  }

  public evaluate(source: Host, destination: Host, query: Traffic): LayerVerdict[] {
    const from = endpointOf(source);
    const to = endpointOf(destination);
    if (!from.pod && !to.pod) return [];
    const verdict = evaluateConnection(this.facts, from, to, fromTraffic(query));
    const out: LayerVerdict[] = [];
    if (verdict.egress) out.push(this.pointVerdict(`egress of ${source.name}`, verdict.egress, query));
    if (verdict.ingress) out.push(this.pointVerdict(`ingress of ${destination.name}`, verdict.ingress, query));
    return out;
  }

  private pointVerdict(point: string, direction: KubeDirectionVerdict, query: Traffic): LayerVerdict {
    const rules = direction.deciders.map((decider) => this.rule(decider, direction.direction));
    return decidedVerdict({
      layer: KUBERNETES_LAYER,
      point,
      query,
      allowed: toTraffic(query, direction.allowed),
      decidingRules: rules,
      allowedReason: direction.deciders.some((d) => d.action === 'Accept') ? `a ClusterNetworkPolicy Accept rule allows it at ${point}`
        : direction.isolated ? `a NetworkPolicy rule allows it at ${point}` : `no NetworkPolicy isolates the pods for ${direction.direction}, and no ClusterNetworkPolicy denies it`,
      deniedReason: direction.deciders.some((d) => d.action === 'Deny') ? `a ClusterNetworkPolicy Deny rule denies it at ${point}`
        : direction.isolated ? `the pods are isolated for ${direction.direction} and no rule allows it` : `no rule allows it at ${point}`,
    });
  }

  private rule(decider: KubeDecider, direction: string): DecidingRule {
    const resource = decider.policy ? this.facts.resourceOf(decider.policy.id) : undefined;
    if (!resource) return { address: 'kubernetes default', flows: [], summary: `no policy decides ${direction}: Kubernetes allows it` };
    const suffix = decider.index === undefined ? '' : `.${direction}[${decider.index}]`;
    const tier = 'tier' in decider.policy! ? `${decider.policy.tier} tier priority ${decider.policy.priority} ` : '';
    const summary = decider.action === 'isolated'
      ? `NetworkPolicy selects the pods for ${direction}: what no rule allows is denied`
      : `${tier}${decider.action} ${direction}`;
    const origin = ruleOrigin(this.estate, resource, summary, suffix);
    // a NetworkPolicy rule names its own flow in an annotation; the resource lists them all
    const flow = decider.index === undefined ? undefined : this.facts.ruleFlow(resource.key, direction, decider.index);
    return flow ? { ...origin, flows: [flow] } : origin;
  }
}

function endpointOf(host: Host): KubeEndpoint {
  const pod = kubeOf(host);
  return { ...(pod ? { pod } : {}), ranges: host.ranges };
}
