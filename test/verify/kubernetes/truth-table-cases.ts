// The Kubernetes network policy conformance layout (test/e2e/network/netpol in kubernetes/kubernetes),
// rebuilt as data: namespaces x, y, z (labelled ns=<name> and kubernetes.io/metadata.name=<name>),
// each with pods a, b, c (labelled pod=<name>), serving TCP, UDP and SCTP on ports 80 and 81 under the
// named ports serve-<port>-<protocol>. Pod IPs: 10.1.<1|2|3 for x|y|z>.<1|2|3 for a|b|c>.
//
// Every expected matrix below was written from the Kubernetes rules (the NetworkPolicy documentation
// and the ClusterNetworkPolicy API), not from the evaluator: rows are the client (from), columns the
// server (to), both in the order x/a x/b x/c y/a y/b y/c z/a z/b z/c; X = connects, . = blocked. A pod
// can always reach itself, so the diagonal is X.
import {
  KubeClusterPolicy, KubeClusterPolicyRule, KubeLabelSelector, KubeNetworkPolicy, KubeNetworkPolicyRule,
} from '../../../lib/verify/platforms/kubernetes/kube-policy-model';

export const CLUSTER = 'truth-table';
export const NAMESPACES = ['x', 'y', 'z'] as const;
export const PODS = ['a', 'b', 'c'] as const;

/** One probe of a case: a port and the full 9x9 expected matrix. */
export interface Probe {
  readonly port: 'tcp/80' | 'tcp/81' | 'tcp/82' | 'udp/80' | 'udp/81' | 'sctp/80' | 'sctp/81';
  readonly matrix: readonly string[];
}

/** One case: the policies in force and what every pod pair gets. */
export interface TruthTableCase {
  readonly name: string;
  readonly networkPolicies: readonly KubeNetworkPolicy[];
  readonly clusterPolicies?: readonly KubeClusterPolicy[];
  readonly probes: readonly Probe[];
}

const ALL = ['XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX'];

/** Only x/a's column is blocked (from everyone but itself). */
const XA_ISOLATED = ['XXX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', '.XX XXX XXX'];

/** x/a accepts from namespace y only (and itself). */
const XA_FROM_Y = ['XXX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', '.XX XXX XXX'];

/** Nothing reaches namespace x's pods but themselves. */
const X_INGRESS_CLOSED = ['X.. XXX XXX', '.X. XXX XXX', '..X XXX XXX', '... XXX XXX', '... XXX XXX', '... XXX XXX', '... XXX XXX', '... XXX XXX', '... XXX XXX'];

/** Namespace x's pods reach nothing but themselves. */
const X_EGRESS_CLOSED = ['X.. ... ...', '.X. ... ...', '..X ... ...', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX'];

const sel = (matchLabels: Record<string, string>): KubeLabelSelector => ({ matchLabels });
const ns = (name: string): KubeLabelSelector => sel({ ns: name });
const pod = (name: string): KubeLabelSelector => sel({ pod: name });
const ANY: KubeLabelSelector = {};

function np(
  name: string, namespace: string, podSelector: KubeLabelSelector, rules: { ingress?: KubeNetworkPolicyRule[]; egress?: KubeNetworkPolicyRule[] },
): KubeNetworkPolicy {
  return { id: name, cluster: CLUSTER, namespace, podSelector, ...rules };
}

function rule(peers: KubeNetworkPolicyRule['peers'] = [], ports: KubeNetworkPolicyRule['ports'] = []): KubeNetworkPolicyRule {
  return { peers, ports };
}

function cnp(name: string, tier: 'Admin' | 'Baseline', priority: number, subject: KubeClusterPolicy['subject'],
  rules: { ingress?: KubeClusterPolicyRule[]; egress?: KubeClusterPolicyRule[] }): KubeClusterPolicy {
  return { id: name, cluster: CLUSTER, tier, priority, subject, ingress: rules.ingress ?? [], egress: rules.egress ?? [] };
}

export const NETWORK_POLICY_CASES: readonly TruthTableCase[] = [
  {
    name: 'default-deny-ingress in x',
    networkPolicies: [np('deny-ingress', 'x', ANY, { ingress: [] })],
    probes: [{ port: 'tcp/80', matrix: X_INGRESS_CLOSED }, { port: 'udp/81', matrix: X_INGRESS_CLOSED }],
  },
  {
    name: 'default-deny-all in x',
    networkPolicies: [np('deny-all', 'x', ANY, { ingress: [], egress: [] })],
    probes: [{
      port: 'tcp/80',
      matrix: ['X.. ... ...', '.X. ... ...', '..X ... ...', '... XXX XXX', '... XXX XXX', '... XXX XXX', '... XXX XXX', '... XXX XXX', '... XXX XXX'],
    }],
  },
  {
    name: 'allow ingress to x/a from pods of the server namespace with pod=b (PodSelector)',
    networkPolicies: [np('x-a-from-b', 'x', pod('a'), { ingress: [rule([{ podSelector: pod('b') }])] })],
    probes: [{
      port: 'tcp/80',
      matrix: ['XXX XXX XXX', 'XXX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', '.XX XXX XXX'],
    }],
  },
  {
    name: 'allow ingress to x/a from pods in all namespaces (empty NamespaceSelector)',
    networkPolicies: [np('x-a-from-all-ns', 'x', pod('a'), { ingress: [rule([{ namespaceSelector: ANY }])] })],
    probes: [{ port: 'tcp/80', matrix: ALL }, { port: 'udp/80', matrix: ALL }],
  },
  {
    name: 'allow ingress to x/a only from namespace y (NamespaceSelector)',
    networkPolicies: [np('x-a-from-y', 'x', pod('a'), { ingress: [rule([{ namespaceSelector: ns('y') }])] })],
    probes: [{ port: 'tcp/80', matrix: XA_FROM_Y }],
  },
  {
    name: 'PodSelector with MatchExpressions (pod In [b, c])',
    networkPolicies: [np('x-a-from-b-c', 'x', pod('a'), {
      ingress: [rule([{ podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b', 'c'] }] } }])],
    })],
    probes: [{
      port: 'tcp/80',
      matrix: ['XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', '.XX XXX XXX'],
    }],
  },
  {
    name: 'NamespaceSelector with MatchExpressions (ns NotIn [x])',
    networkPolicies: [np('x-a-from-not-x', 'x', pod('a'), {
      ingress: [rule([{ namespaceSelector: { matchExpressions: [{ key: 'ns', operator: 'NotIn', values: ['x'] }] } }])],
    })],
    probes: [{
      port: 'tcp/80',
      matrix: ['XXX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX'],
    }],
  },
  {
    name: 'PodSelector or NamespaceSelector (two peers)',
    networkPolicies: [np('x-a-from-y-or-b', 'x', pod('a'), { ingress: [rule([{ namespaceSelector: ns('y') }, { podSelector: pod('b') }])] })],
    probes: [{
      port: 'tcp/80',
      matrix: ['XXX XXX XXX', 'XXX XXX XXX', '.XX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', '.XX XXX XXX'],
    }],
  },
  {
    name: 'PodSelector and NamespaceSelector (one peer: pod=b in y or z)',
    networkPolicies: [np('x-a-from-b-in-y-z', 'x', pod('a'), {
      ingress: [rule([{ namespaceSelector: { matchExpressions: [{ key: 'ns', operator: 'In', values: ['y', 'z'] }] }, podSelector: pod('b') }])],
    })],
    probes: [{
      port: 'tcp/80',
      matrix: ['XXX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', 'XXX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', 'XXX XXX XXX', '.XX XXX XXX'],
    }],
  },
  {
    name: 'multiple PodSelectors and NamespaceSelectors (pod In [b, c] in ns NotIn [x])',
    networkPolicies: [np('x-a-from-bc-not-x', 'x', pod('a'), {
      ingress: [rule([{
        namespaceSelector: { matchExpressions: [{ key: 'ns', operator: 'NotIn', values: ['x'] }] },
        podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b', 'c'] }] },
      }])],
    })],
    probes: [{
      port: 'tcp/80',
      matrix: ['XXX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', '.XX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX'],
    }],
  },
  {
    name: 'any PodSelector (every pod of the policy namespace)',
    networkPolicies: [np('x-a-from-x', 'x', pod('a'), { ingress: [rule([{ podSelector: ANY }])] })],
    probes: [{
      port: 'tcp/80',
      matrix: ['XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', '.XX XXX XXX'],
    }],
  },
  {
    name: 'Ports: x/a accepts namespace y on TCP 81 only',
    networkPolicies: [np('x-a-from-y-81', 'x', pod('a'), { ingress: [rule([{ namespaceSelector: ns('y') }], [{ protocol: 'TCP', port: 81 }])] })],
    probes: [{ port: 'tcp/80', matrix: XA_ISOLATED }, { port: 'tcp/81', matrix: XA_FROM_Y }, { port: 'udp/81', matrix: XA_ISOLATED }],
  },
  {
    name: 'stacked policies with overlapping podSelectors add up (TCP 80 and TCP 81 from y)',
    networkPolicies: [
      np('x-a-from-y-80', 'x', pod('a'), { ingress: [rule([{ namespaceSelector: ns('y') }], [{ protocol: 'TCP', port: 80 }])] }),
      np('x-all-from-y-81', 'x', ANY, { ingress: [rule([{ namespaceSelector: ns('y') }], [{ protocol: 'TCP', port: 81 }])] }),
    ],
    probes: [
      {
        port: 'tcp/80',
        matrix: ['X.. XXX XXX', '.X. XXX XXX', '..X XXX XXX', 'X.. XXX XXX', 'X.. XXX XXX', 'X.. XXX XXX', '... XXX XXX', '... XXX XXX', '... XXX XXX'],
      },
      {
        port: 'tcp/81',
        matrix: ['X.. XXX XXX', '.X. XXX XXX', '..X XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', '... XXX XXX', '... XXX XXX', '... XXX XXX'],
      },
      { port: 'udp/80', matrix: X_INGRESS_CLOSED },
    ],
  },
  {
    name: 'allow-all ingress in x',
    networkPolicies: [np('allow-all', 'x', ANY, { ingress: [rule()] })],
    probes: [{ port: 'tcp/80', matrix: ALL }, { port: 'udp/81', matrix: ALL }, { port: 'sctp/80', matrix: ALL }],
  },
  {
    name: 'ingress on one named port (serve-81-tcp)',
    networkPolicies: [np('x-named-81', 'x', ANY, { ingress: [rule([], [{ protocol: 'TCP', port: 'serve-81-tcp' }])] })],
    probes: [{ port: 'tcp/81', matrix: ALL }, { port: 'tcp/80', matrix: X_INGRESS_CLOSED }],
  },
  {
    name: 'ingress from a namespace on one named port (serve-80-tcp from y)',
    networkPolicies: [np('x-named-80-from-y', 'x', ANY, { ingress: [rule([{ namespaceSelector: ns('y') }], [{ protocol: 'TCP', port: 'serve-80-tcp' }])] })],
    probes: [
      {
        port: 'tcp/80',
        matrix: ['X.. XXX XXX', '.X. XXX XXX', '..X XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', '... XXX XXX', '... XXX XXX', '... XXX XXX'],
      },
      { port: 'tcp/81', matrix: X_INGRESS_CLOSED },
    ],
  },
  {
    name: 'egress on one named port (serve-80-udp)',
    networkPolicies: [np('x-egress-named-udp', 'x', ANY, { egress: [rule([], [{ protocol: 'UDP', port: 'serve-80-udp' }])] })],
    probes: [{ port: 'udp/80', matrix: ALL }, { port: 'tcp/80', matrix: X_EGRESS_CLOSED }],
  },
  {
    name: 'deny ingress from pods of other namespaces',
    networkPolicies: [np('x-from-x', 'x', ANY, { ingress: [rule([{ podSelector: ANY }])] })],
    probes: [{
      port: 'tcp/80',
      matrix: ['XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', '... XXX XXX', '... XXX XXX', '... XXX XXX', '... XXX XXX', '... XXX XXX', '... XXX XXX'],
    }],
  },
  {
    name: 'deny egress based on PodSelector (x/a to pod=b only)',
    networkPolicies: [np('x-a-to-b', 'x', pod('a'), { egress: [rule([{ podSelector: pod('b') }])] })],
    probes: [{
      port: 'tcp/80',
      matrix: ['XX. ... ...', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX'],
    }],
  },
  {
    name: 'deny egress from all pods in a namespace',
    networkPolicies: [np('x-no-egress', 'x', ANY, { egress: [] })],
    probes: [{ port: 'tcp/80', matrix: X_EGRESS_CLOSED }, { port: 'udp/80', matrix: X_EGRESS_CLOSED }],
  },
  {
    name: 'Ingress and Egress in one policy (x/a talks with x/b only)',
    networkPolicies: [np('x-a-with-b', 'x', pod('a'), { ingress: [rule([{ podSelector: pod('b') }])], egress: [rule([{ podSelector: pod('b') }])] })],
    probes: [{
      port: 'tcp/80',
      matrix: ['XX. ... ...', 'XXX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', '.XX XXX XXX'],
    }],
  },
  {
    name: 'egress denied at the client even when the server allows it',
    networkPolicies: [
      np('y-allow-all', 'y', ANY, { ingress: [rule()] }),
      np('x-a-to-b', 'x', pod('a'), { egress: [rule([{ podSelector: pod('b') }])] }),
    ],
    probes: [{
      port: 'tcp/80',
      matrix: ['XX. ... ...', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX'],
    }],
  },
  {
    name: 'egress to a server in another namespace (PodSelector and NamespaceSelector)',
    networkPolicies: [np('x-a-to-y-a', 'x', pod('a'), { egress: [rule([{ namespaceSelector: ns('y'), podSelector: pod('a') }])] })],
    probes: [{
      port: 'tcp/80',
      matrix: ['X.. X.. ...', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX'],
    }],
  },
  {
    name: 'ingress on any port of one protocol (UDP)',
    networkPolicies: [np('x-a-udp', 'x', pod('a'), { ingress: [rule([{ namespaceSelector: ANY }], [{ protocol: 'UDP' }])] })],
    probes: [{ port: 'tcp/80', matrix: XA_ISOLATED }, { port: 'udp/80', matrix: ALL }, { port: 'udp/81', matrix: ALL }],
  },
  {
    name: 'several ingress policies: the allow-all one wins',
    networkPolicies: [
      np('x-a-from-b-80', 'x', pod('a'), { ingress: [rule([{ podSelector: pod('b') }], [{ protocol: 'TCP', port: 80 }])] }),
      np('x-a-allow-all', 'x', pod('a'), { ingress: [rule()] }),
    ],
    probes: [{ port: 'tcp/80', matrix: ALL }, { port: 'tcp/81', matrix: ALL }],
  },
  {
    name: 'several egress policies: the allow-all one wins',
    networkPolicies: [
      np('x-a-to-b-80', 'x', pod('a'), { egress: [rule([{ podSelector: pod('b') }], [{ protocol: 'TCP', port: 80 }])] }),
      np('x-a-egress-all', 'x', pod('a'), { egress: [rule()] }),
    ],
    probes: [{ port: 'tcp/80', matrix: ALL }, { port: 'udp/81', matrix: ALL }],
  },
  {
    name: 'egress to a server in a CIDR block (namespace y addresses)',
    networkPolicies: [np('x-a-to-cidr', 'x', pod('a'), { egress: [rule([{ ipBlock: { cidr: '10.1.2.0/24' } }])] })],
    probes: [{
      port: 'tcp/80',
      matrix: ['X.. XXX ...', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX'],
    }],
  },
  {
    name: 'except clause of an egress CIDR block (y/b excluded)',
    networkPolicies: [np('x-a-to-cidr-except', 'x', pod('a'), { egress: [rule([{ ipBlock: { cidr: '10.1.2.0/24', except: ['10.1.2.2/32'] } }])] })],
    probes: [{
      port: 'tcp/80',
      matrix: ['X.. X.X ...', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX'],
    }],
  },
  {
    name: 'an address in both a CIDR and its except is allowed by another rule',
    networkPolicies: [np('x-a-to-cidr-both', 'x', pod('a'), {
      egress: [rule([{ ipBlock: { cidr: '10.1.2.0/24', except: ['10.1.2.2/32'] } }]), rule([{ ipBlock: { cidr: '10.1.2.2/32' } }])],
    })],
    probes: [{
      port: 'tcp/80',
      matrix: ['X.. XXX ...', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX'],
    }],
  },
  {
    name: 'ingress and egress controlled independently (x/a: no ingress, any egress)',
    networkPolicies: [
      np('x-a-no-ingress', 'x', pod('a'), { ingress: [] }),
      np('x-a-any-egress', 'x', pod('a'), { egress: [rule()] }),
    ],
    probes: [{ port: 'tcp/80', matrix: XA_ISOLATED }],
  },
  {
    name: "'protocol: SCTP' is not TCP",
    networkPolicies: [np('x-a-sctp-80', 'x', pod('a'), { ingress: [rule([], [{ protocol: 'SCTP', port: 80 }])] })],
    probes: [{ port: 'tcp/80', matrix: XA_ISOLATED }, { port: 'sctp/80', matrix: ALL }, { port: 'sctp/81', matrix: XA_ISOLATED }],
  },
  {
    name: 'a UDP-only policy does not allow TCP',
    networkPolicies: [np('x-a-udp-80', 'x', pod('a'), { ingress: [rule([], [{ protocol: 'UDP', port: 80 }])] })],
    probes: [{ port: 'udp/80', matrix: ALL }, { port: 'tcp/80', matrix: XA_ISOLATED }, { port: 'udp/81', matrix: XA_ISOLATED }],
  },
  {
    name: 'port range (endPort): TCP 80-81 from y',
    networkPolicies: [np('x-a-range', 'x', pod('a'), { ingress: [rule([{ namespaceSelector: ns('y') }], [{ protocol: 'TCP', port: 80, endPort: 81 }])] })],
    probes: [{ port: 'tcp/80', matrix: XA_FROM_Y }, { port: 'tcp/81', matrix: XA_FROM_Y }, { port: 'tcp/82', matrix: XA_ISOLATED }],
  },
  {
    name: 'NamespaceSelector on the default label kubernetes.io/metadata.name',
    networkPolicies: [np('x-a-from-y-by-name', 'x', pod('a'), { ingress: [rule([{ namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'y' }) }])] })],
    probes: [{ port: 'tcp/80', matrix: XA_FROM_Y }],
  },
  {
    name: 'ingress from a CIDR block (namespace z addresses)',
    networkPolicies: [np('x-a-from-cidr', 'x', pod('a'), { ingress: [rule([{ ipBlock: { cidr: '10.1.3.0/24' } }])] })],
    probes: [{
      port: 'tcp/80',
      matrix: ['XXX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', '.XX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX'],
    }],
  },
];

export const CLUSTER_NETWORK_POLICY_CASES: readonly TruthTableCase[] = [
  {
    name: 'Admin Deny (y to x) wins over a NetworkPolicy allow-all',
    networkPolicies: [np('x-allow-all', 'x', ANY, { ingress: [rule()] })],
    clusterPolicies: [cnp('deny-y-to-x', 'Admin', 10, { namespaces: ns('x') }, { ingress: [{ action: 'Deny', peers: [{ namespaces: ns('y') }] }] })],
    probes: [{
      port: 'tcp/80',
      matrix: ['XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', '... XXX XXX', '... XXX XXX', '... XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX'],
    }],
  },
  {
    name: 'Admin Accept (z to x) wins over a NetworkPolicy default deny',
    networkPolicies: [np('x-deny-ingress', 'x', ANY, { ingress: [] })],
    clusterPolicies: [cnp('accept-z-to-x', 'Admin', 10, { namespaces: ns('x') }, { ingress: [{ action: 'Accept', peers: [{ namespaces: ns('z') }] }] })],
    probes: [{
      port: 'tcp/80',
      matrix: ['X.. XXX XXX', '.X. XXX XXX', '..X XXX XXX', '... XXX XXX', '... XXX XXX', '... XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX'],
    }],
  },
  {
    name: 'Admin Pass hands y to the NetworkPolicy tier; a later Admin Deny takes the rest',
    networkPolicies: [np('x-from-y', 'x', ANY, { ingress: [rule([{ namespaceSelector: ns('y') }])] })],
    clusterPolicies: [
      cnp('pass-y', 'Admin', 10, { namespaces: ns('x') }, { ingress: [{ action: 'Pass', peers: [{ namespaces: ns('y') }] }] }),
      cnp('deny-all-to-x', 'Admin', 20, { namespaces: ns('x') }, { ingress: [{ action: 'Deny', peers: [{ namespaces: ANY }] }] }),
    ],
    probes: [{
      port: 'tcp/80',
      matrix: ['X.. XXX XXX', '.X. XXX XXX', '..X XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', '... XXX XXX', '... XXX XXX', '... XXX XXX'],
    }],
  },
  {
    name: 'Baseline default deny; a NetworkPolicy in y overrides it (from x only)',
    networkPolicies: [np('y-from-x', 'y', ANY, { ingress: [rule([{ namespaceSelector: ns('x') }])] })],
    clusterPolicies: [cnp('baseline-deny', 'Baseline', 100, { namespaces: ANY }, { ingress: [{ action: 'Deny', peers: [{ namespaces: ANY }] }] })],
    probes: [{
      port: 'tcp/80',
      matrix: ['X.. XXX ...', '.X. XXX ...', '..X XXX ...', '... X.. ...', '... .X. ...', '... ..X ...', '... ... X..', '... ... .X.', '... ... ..X'],
    }],
  },
  {
    name: 'Admin egress Deny to networks (z addresses) on TCP 80 only',
    networkPolicies: [],
    clusterPolicies: [cnp('x-not-to-z-80', 'Admin', 10, { namespaces: ns('x') }, {
      egress: [{ action: 'Deny', peers: [{ networks: ['10.1.3.0/24'] }], protocols: [{ protocol: 'tcp', port: 80 }] }],
    })],
    probes: [
      {
        port: 'tcp/80',
        matrix: ['XXX XXX ...', 'XXX XXX ...', 'XXX XXX ...', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX'],
      },
      { port: 'tcp/81', matrix: ALL },
    ],
  },
  {
    name: 'Admin priorities: Accept at 5 before Deny at 10',
    networkPolicies: [],
    clusterPolicies: [
      cnp('accept-y', 'Admin', 5, { namespaces: ns('x') }, { ingress: [{ action: 'Accept', peers: [{ namespaces: ns('y') }] }] }),
      cnp('deny-all', 'Admin', 10, { namespaces: ns('x') }, { ingress: [{ action: 'Deny', peers: [{ namespaces: ANY }] }] }),
    ],
    probes: [{
      port: 'tcp/80',
      matrix: ['X.. XXX XXX', '.X. XXX XXX', '..X XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', 'XXX XXX XXX', '... XXX XXX', '... XXX XXX', '... XXX XXX'],
    }],
  },
  {
    name: 'Admin priorities: Deny at 5 before Accept at 10',
    networkPolicies: [],
    clusterPolicies: [
      cnp('accept-y', 'Admin', 10, { namespaces: ns('x') }, { ingress: [{ action: 'Accept', peers: [{ namespaces: ns('y') }] }] }),
      cnp('deny-all', 'Admin', 5, { namespaces: ns('x') }, { ingress: [{ action: 'Deny', peers: [{ namespaces: ANY }] }] }),
    ],
    probes: [{ port: 'tcp/80', matrix: X_INGRESS_CLOSED }],
  },
  {
    name: 'Admin egress Accept does not bypass the destination ingress NetworkPolicy',
    networkPolicies: [np('y-deny-ingress', 'y', ANY, { ingress: [] })],
    clusterPolicies: [cnp('x-to-y', 'Admin', 10, { namespaces: ns('x') }, { egress: [{ action: 'Accept', peers: [{ namespaces: ns('y') }] }] })],
    probes: [{
      port: 'tcp/80',
      matrix: ['XXX ... XXX', 'XXX ... XXX', 'XXX ... XXX', 'XXX X.. XXX', 'XXX .X. XXX', 'XXX ..X XXX', 'XXX ... XXX', 'XXX ... XXX', 'XXX ... XXX'],
    }],
  },
  {
    name: 'Baseline Accept does not override NetworkPolicy isolation',
    networkPolicies: [np('x-deny-ingress', 'x', ANY, { ingress: [] })],
    clusterPolicies: [cnp('baseline-accept', 'Baseline', 10, { namespaces: ANY }, { ingress: [{ action: 'Accept', peers: [{ namespaces: ANY }] }] })],
    probes: [{ port: 'tcp/80', matrix: X_INGRESS_CLOSED }],
  },
  {
    name: 'Admin Deny on a port range (TCP 80-81) into z, pods subject',
    networkPolicies: [],
    clusterPolicies: [cnp('z-closed-80-81', 'Admin', 10, { pods: { namespaceSelector: ns('z'), podSelector: ANY } }, {
      ingress: [{ action: 'Deny', peers: [{ namespaces: ANY }], protocols: [{ protocol: 'tcp', port: 80, endPort: 81 }] }],
    })],
    probes: [
      {
        port: 'tcp/81',
        matrix: ['XXX XXX ...', 'XXX XXX ...', 'XXX XXX ...', 'XXX XXX ...', 'XXX XXX ...', 'XXX XXX ...', 'XXX XXX X..', 'XXX XXX .X.', 'XXX XXX ..X'],
      },
      { port: 'udp/80', matrix: ALL },
    ],
  },
];
