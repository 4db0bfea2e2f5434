import {
  KubeClusterPolicy, KubeClusterPolicyPeer, KubeClusterPolicyProtocol, KubeClusterPolicyRule, KubeClusterView, KubeEndpoint,
  KubeLabelSelector, KubeNetworkPolicy, KubeNetworkPolicyPeer, KubeNetworkPolicyPort, KubeNetworkPolicyRule, KubePod,
} from './kube-policy-model';
import {
  ALL_KUBE_TRAFFIC, KubeTraffic, NO_KUBE_TRAFFIC, kubeIntersect, kubeIsEmpty, kubePorts, kubeSubtract, kubeUnion,
} from './kube-traffic';
import { cidrContains, cidrOverlaps, parseCidr } from '../../net/cidr';
import { MatchLevel, bestMatch } from '../../net/rule-traffic';

/** The label every namespace carries with its own name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Which way a rule looks: egress at the source pod, ingress at the destination pod. */
export type KubeDirection = 'ingress' | 'egress';

/** A rule (or default) that decided part of a direction's verdict. */
export interface KubeDecider {
  /** The policy (NetworkPolicy or ClusterNetworkPolicy); absent for a default. */
  readonly policy?: KubeNetworkPolicy | KubeClusterPolicy;
  /** The rule's index in its direction, when a rule decided. */
  readonly index?: number;
  /** What it did: `allow` (a NetworkPolicy rule), `Accept`, `Deny`, `Pass`, `isolated` (a NetworkPolicy tier that allows nothing more), `default`. */
  readonly action: string;
}

/** The verdict of one direction at one pod. */
export interface KubeDirectionVerdict {
  /** The direction. */
  readonly direction: KubeDirection;
  /** The part of the query that passes. */
  readonly allowed: KubeTraffic;
  /** The rules that decided, in evaluation order. */
  readonly deciders: readonly KubeDecider[];
  /** Whether any NetworkPolicy selects the pod for this direction. */
  readonly isolated: boolean;
}

/** The verdict of a connection: the source pod's egress and the destination pod's ingress (absent for a non-pod end). */
export interface KubeConnectionVerdict {
  /** Egress at the source pod, if the source is a pod of a cluster. */
  readonly egress?: KubeDirectionVerdict;
  /** Ingress at the destination pod, if the destination is a pod of a cluster. */
  readonly ingress?: KubeDirectionVerdict;
  /** What passes both (everything, from a pod to itself). */
  readonly allowed: KubeTraffic;
}

/**
 * Evaluates a connection with Kubernetes' semantics: the source pod's egress and the destination pod's
 * ingress must both allow it. Each direction: ClusterNetworkPolicy Admin tier (by priority, rules in
 * order; Accept and Deny end it, Pass skips to the NetworkPolicy tier), then NetworkPolicy (additive:
 * once any policy selects the pod for the direction, only what some rule allows passes), then the
 * Baseline tier, then the default allow. A pod can always reach itself.
 */
export function evaluateConnection(
  view: KubeClusterView, source: KubeEndpoint, destination: KubeEndpoint, query: KubeTraffic,
): KubeConnectionVerdict {
  if (source.pod && destination.pod && samePod(source, destination)) return { allowed: query };
  const egress = source.pod ? evaluateDirection(view, 'egress', source.pod, destination, query) : undefined;
  const ingress = destination.pod ? evaluateDirection(view, 'ingress', destination.pod, source, query) : undefined;
  let allowed = query;
  if (egress) allowed = kubeIntersect(allowed, egress.allowed);
  if (ingress) allowed = kubeIntersect(allowed, ingress.allowed);
  return { ...(egress ? { egress } : {}), ...(ingress ? { ingress } : {}), allowed };
}

/** One direction at `pod`, whose peer is `other` (the destination for egress, the source for ingress). */
export function evaluateDirection(
  view: KubeClusterView, direction: KubeDirection, pod: KubePod, other: KubeEndpoint, query: KubeTraffic,
): KubeDirectionVerdict {
  const destination = direction === 'egress' ? other : { pod, ranges: [] };
  const deciders: KubeDecider[] = [];
  let allowed = NO_KUBE_TRAFFIC;
  const admin = tierOutcome(view, 'Admin', direction, pod, other, destination, query, deciders);
  allowed = admin.accepted;
  let undecided = admin.undecided;
  const policies = view.networkPolicies.filter((policy) => policy.cluster === pod.cluster && policy.namespace === pod.namespace
    && policy[direction] !== undefined && selectorMatches(policy.podSelector, pod.labels));
  const isolated = policies.length > 0;
  if (isolated && !kubeIsEmpty(undecided)) {
    let granted = NO_KUBE_TRAFFIC;
    for (const policy of policies) {
      policy[direction]!.forEach((rule, index) => {
        const matched = kubeIntersect(kubeSubtract(undecided, granted), npRuleTraffic(view, policy, rule, other, destination));
        if (kubeIsEmpty(matched)) return;
        granted = kubeUnion(granted, matched);
        deciders.push({ policy, index, action: 'allow' });
      });
    }
    allowed = kubeUnion(allowed, granted);
    if (!kubeIsEmpty(kubeSubtract(undecided, granted))) deciders.push({ policy: policies[0], action: 'isolated' });
    undecided = NO_KUBE_TRAFFIC;
  }
  if (!kubeIsEmpty(undecided)) {
    const baseline = tierOutcome(view, 'Baseline', direction, pod, other, destination, undecided, deciders);
    allowed = kubeUnion(allowed, baseline.accepted);
    if (!kubeIsEmpty(baseline.undecided)) deciders.push({ action: 'default' });
    allowed = kubeUnion(allowed, baseline.undecided);
  }
  return { direction, allowed: kubeIntersect(query, allowed), deciders, isolated };
}

/** One ClusterNetworkPolicy tier: accepted traffic, and what is left for the next tier (passed or unmatched). */
function tierOutcome(
  view: KubeClusterView, tier: 'Admin' | 'Baseline', direction: KubeDirection, pod: KubePod, other: KubeEndpoint,
  destination: KubeEndpoint, query: KubeTraffic, deciders: KubeDecider[],
): { accepted: KubeTraffic; undecided: KubeTraffic } {
  const policies = view.clusterPolicies
    .filter((policy) => policy.cluster === pod.cluster && policy.tier === tier && subjectSelects(view, policy, pod))
    .sort((a, b) => a.priority - b.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  let remaining = query;
  let accepted = NO_KUBE_TRAFFIC;
  let passed = NO_KUBE_TRAFFIC;
  for (const policy of policies) {
    policy[direction].forEach((rule, index) => {
      if (kubeIsEmpty(remaining)) return;
      const match = cnpRuleMatch(view, policy.cluster, rule, other, destination);
      // an Accept takes only what it fully matches; Deny and Pass take what they touch
      const decided = kubeIntersect(remaining, rule.action === 'Accept' ? match.full : match.touched);
      if (kubeIsEmpty(decided)) return;
      if (rule.action === 'Accept') accepted = kubeUnion(accepted, decided);
      if (rule.action === 'Pass') passed = kubeUnion(passed, decided);
      remaining = kubeSubtract(remaining, decided);
      deciders.push({ policy, index, action: rule.action });
    });
  }
  return { accepted, undecided: kubeUnion(remaining, passed) };
}

/** The traffic a NetworkPolicy rule allows to or from `other` (fully matched peers only). */
function npRuleTraffic(
  view: KubeClusterView, policy: KubeNetworkPolicy, rule: KubeNetworkPolicyRule, other: KubeEndpoint, destination: KubeEndpoint,
): KubeTraffic {
  // the rule's ipBlocks together: an end with two addresses, each in one of them, is fully matched
  const blocks = rule.peers.flatMap((peer) => (peer.ipBlock ? [{ cidr: peer.ipBlock.cidr, except: peer.ipBlock.except ?? [] }] : []));
  const selected = rule.peers.filter((peer) => !peer.ipBlock).map((peer) => npPeerMatch(view, policy, peer, other));
  const peerMatch = rule.peers.length === 0 ? 'full' : [...selected, ipBlocksMatch(blocks, other)].reduce(bestMatch, 'none' as MatchLevel);
  if (peerMatch !== 'full') return NO_KUBE_TRAFFIC;
  if (rule.ports.length === 0) return ALL_KUBE_TRAFFIC;
  return rule.ports.map((port) => npPortTraffic(port, destination)).reduce(kubeUnion, NO_KUBE_TRAFFIC);
}

function npPeerMatch(view: KubeClusterView, policy: KubeNetworkPolicy, peer: KubeNetworkPolicyPeer, other: KubeEndpoint): MatchLevel {
  if (peer.ipBlock) return ipBlocksMatch([{ cidr: peer.ipBlock.cidr, except: peer.ipBlock.except ?? [] }], other);
  const pod = other.pod;
  if (!pod || pod.cluster !== policy.cluster) return 'none';
  if (peer.namespaceSelector) {
    if (!selectorMatches(peer.namespaceSelector, view.namespaceLabels(pod.cluster, pod.namespace))) return 'none';
  } else if (pod.namespace !== policy.namespace) {
    return 'none';
  }
  return !peer.podSelector || selectorMatches(peer.podSelector, pod.labels) ? 'full' : 'none';
}

function npPortTraffic(port: KubeNetworkPolicyPort, destination: KubeEndpoint): KubeTraffic {
  const protocol = port.protocol.toLowerCase() as 'tcp' | 'udp' | 'sctp';
  if (port.port === undefined) return kubePorts(protocol);
  if (typeof port.port === 'string') {
    const named = destination.pod?.namedPorts?.[port.port];
    return named && named.protocol === protocol ? kubePorts(protocol, named.port) : NO_KUBE_TRAFFIC;
  }
  return kubePorts(protocol, port.port, port.endPort ?? port.port);
}

/** How a ClusterNetworkPolicy rule matches: fully (every packet of `full`) and touched (some). */
function cnpRuleMatch(
  view: KubeClusterView, cluster: KubeClusterPolicy['cluster'], rule: KubeClusterPolicyRule, other: KubeEndpoint, destination: KubeEndpoint,
): { full: KubeTraffic; touched: KubeTraffic } {
  // the rule's networks together, as a NetworkPolicy rule's ipBlocks
  const networks = rule.peers.flatMap((peer) => peer.networks ?? []);
  const levels = rule.peers.filter((peer) => !peer.networks).map((peer) => cnpPeerMatch(view, cluster, peer, other));
  const level = [...levels, networks.length > 0 ? cnpNetworksMatch(networks, other) : 'none'].reduce(bestMatch, 'none' as MatchLevel);
  if (level === 'none') return { full: NO_KUBE_TRAFFIC, touched: NO_KUBE_TRAFFIC };
  const traffic = rule.protocols === undefined || rule.protocols.length === 0
    ? ALL_KUBE_TRAFFIC
    : rule.protocols.map((protocol) => cnpProtocolTraffic(protocol, destination)).reduce(kubeUnion, NO_KUBE_TRAFFIC);
  return { full: level === 'full' ? traffic : NO_KUBE_TRAFFIC, touched: traffic };
}

/** How a ClusterNetworkPolicy rule's networks together match an end. */
function cnpNetworksMatch(networks: readonly string[], other: KubeEndpoint): MatchLevel {
  // cluster-internal traffic is checked against networks too: 0.0.0.0/0 holds every IPv4 pod,
  // also one whose address is not known (a cluster without podCidrs), as the shared model says
  if (other.pod && other.ranges.length === 0 && networks.includes('0.0.0.0/0')) return 'full';
  return ipBlocksMatch(networks.map((cidr) => ({ cidr, except: [] })), other);
}

function cnpPeerMatch(view: KubeClusterView, cluster: KubeClusterPolicy['cluster'], peer: KubeClusterPolicyPeer, other: KubeEndpoint): MatchLevel {
  if (peer.networks) return cnpNetworksMatch(peer.networks, other);
  const pod = other.pod;
  // namespace and pod selectors select in the policy's own cluster only: another cluster's pods reach it by address
  if (!pod || pod.cluster !== cluster) return 'none';
  if (peer.namespaces) return selectorMatches(peer.namespaces, view.namespaceLabels(pod.cluster, pod.namespace)) ? 'full' : 'none';
  if (peer.pods) {
    return selectorMatches(peer.pods.namespaceSelector, view.namespaceLabels(pod.cluster, pod.namespace))
      && selectorMatches(peer.pods.podSelector, pod.labels) ? 'full' : 'none';
  }
  return 'none';
}

function cnpProtocolTraffic(protocol: KubeClusterPolicyProtocol, destination: KubeEndpoint): KubeTraffic {
  if (protocol.namedPort !== undefined) {
    const named = destination.pod?.namedPorts?.[protocol.namedPort];
    return named ? kubePorts(named.protocol, named.port) : NO_KUBE_TRAFFIC;
  }
  if (!protocol.protocol) return NO_KUBE_TRAFFIC;
  return protocol.port === undefined ? kubePorts(protocol.protocol) : kubePorts(protocol.protocol, protocol.port, protocol.endPort ?? protocol.port);
}

function subjectSelects(view: KubeClusterView, policy: KubeClusterPolicy, pod: KubePod): boolean {
  const labels = view.namespaceLabels(pod.cluster, pod.namespace);
  if (policy.subject.namespaces) return selectorMatches(policy.subject.namespaces, labels);
  const pods = policy.subject.pods;
  if (pods) return selectorMatches(pods.namespaceSelector, labels) && selectorMatches(pods.podSelector, pod.labels);
  return false;
}

/**
 * How an address block matches an end: full when every address the end stands for lies in `cidr`
 * and outside every `except`, none when none does, partial otherwise. An end without addresses (a pod
 * whose IP is not known) is not matched.
 */
/**
 * How IP blocks together match an end: fully when each of its addresses lies in one of them, not at
 * all when none overlaps any, partly otherwise.
 */
function ipBlocksMatch(blocks: ReadonlyArray<{ readonly cidr: string; readonly except: readonly string[] }>, other: KubeEndpoint): MatchLevel {
  const parsedBlocks = blocks.flatMap((block) => {
    const cidr = parseCidr(block.cidr);
    return cidr ? [{ cidr, excluded: block.except.map((text) => parseCidr(text)).filter((c) => c !== undefined) }] : [];
  });
  if (parsedBlocks.length === 0) return 'none';
  const parsed = other.ranges.map((text) => parseCidr(text)).filter((c) => c !== undefined);
  // a range that merely encloses another known range of the end (its subnet around its IP) says nothing more
  const encloses = (range: typeof parsed[number]) =>
    parsed.some((o) => o !== range && o.family === range.family && o.prefix > range.prefix && cidrContains(range, o));
  const specific = parsed.filter((range) => !encloses(range));
  const levels = specific.map((range): MatchLevel => parsedBlocks.map(({ cidr, excluded }): MatchLevel => {
    if (range.family !== cidr.family || !cidrOverlaps(cidr, range)) return 'none';
    if (excluded.some((e) => e.family === range.family && cidrContains(e, range))) return 'none';
    const inside = cidrContains(cidr, range) && !excluded.some((e) => e.family === range.family && cidrOverlaps(e, range));
    return inside ? 'full' : 'partial';
  }).reduce(bestMatch, 'none' as MatchLevel));
  if (levels.length === 0) return 'none';
  if (levels.every((level) => level === 'full')) return 'full';
  return levels.every((level) => level === 'none') ? 'none' : 'partial';
}

/** Whether a label selector selects these labels (an empty selector selects everything). */
export function selectorMatches(selector: KubeLabelSelector, labels: Readonly<Record<string, string>>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const requirement of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, requirement.key);
    const values = requirement.values ?? [];
    switch (requirement.operator) {
      case 'In': if (!has || !values.includes(labels[requirement.key])) return false; break;
      case 'NotIn': if (has && values.includes(labels[requirement.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** Whether both ends are one and the same pod: same pod facts and the same single address. */
function samePod(a: KubeEndpoint, b: KubeEndpoint): boolean {
  const single = (e: KubeEndpoint) => e.ranges.length === 1 && /\/(32|128)$/.test(e.ranges[0]);
  return single(a) && single(b) && a.ranges[0] === b.ranges[0]
    && a.pod!.cluster === b.pod!.cluster && a.pod!.namespace === b.pod!.namespace
    && JSON.stringify(sorted(a.pod!.labels)) === JSON.stringify(sorted(b.pod!.labels));
}

function sorted(labels: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(labels).sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
}
