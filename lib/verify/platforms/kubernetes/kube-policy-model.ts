/**
 * Kubernetes network policy objects as the evaluator reads them, independent of where they come from
 * (the Terraform JSON, or a truth table written as data). Field names follow the Kubernetes API.
 */

/** A label selector requirement (`matchExpressions` entry). */
export interface KubeSelectorRequirement {
  /** The label key. */
  readonly key: string;
  /** `In`, `NotIn`, `Exists` or `DoesNotExist`. */
  readonly operator: string;
  /** The values for `In` and `NotIn`. */
  readonly values?: readonly string[];
}

/** A Kubernetes label selector; empty selects everything. */
export interface KubeLabelSelector {
  /** Labels that must be present with these values. */
  readonly matchLabels?: Readonly<Record<string, string>>;
  /** Further requirements, all of which must hold. */
  readonly matchExpressions?: readonly KubeSelectorRequirement[];
}

/** A container port a pod names (for named ports in policies). */
export interface KubeNamedPort {
  /** `tcp`, `udp` or `sctp`. */
  readonly protocol: 'tcp' | 'udp' | 'sctp';
  /** The port number. */
  readonly port: number;
}

/** A pod (or the pods of a workload): its cluster, namespace and labels. */
export interface KubePod {
  /** Which cluster it runs in; policies apply only within their cluster. */
  readonly cluster: string;
  /** Its namespace. */
  readonly namespace: string;
  /** Its labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** Its named container ports, if known. */
  readonly namedPorts?: Readonly<Record<string, KubeNamedPort>>;
}

/** One end of a connection: a pod (with its IPs when known) or an address outside the cluster. */
export interface KubeEndpoint {
  /** The pod, when the end is one. */
  readonly pod?: KubePod;
  /** Its addresses (host CIDRs, or the CIDR it stands for). */
  readonly ranges: readonly string[];
}

/** A NetworkPolicy peer (`from` / `to` entry). */
export interface KubeNetworkPolicyPeer {
  /** Pods selected by labels (in the policy's namespace, or in the namespaces `namespaceSelector` selects). */
  readonly podSelector?: KubeLabelSelector;
  /** Namespaces selected by labels. */
  readonly namespaceSelector?: KubeLabelSelector;
  /** Addresses (`cidr` minus `except`). */
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
}

/** A NetworkPolicy port: a protocol (TCP by default) and a port, a named port or a range (`endPort`). */
export interface KubeNetworkPolicyPort {
  /** `TCP`, `UDP` or `SCTP`. */
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  /** The port number or name; absent for every port of the protocol. */
  readonly port?: number | string;
  /** The last port of a range starting at `port`. */
  readonly endPort?: number;
}

/** A NetworkPolicy rule: traffic from/to any of its peers on any of its ports (empty lists match everything). */
export interface KubeNetworkPolicyRule {
  /** Peers; empty = every source or destination. */
  readonly peers: readonly KubeNetworkPolicyPeer[];
  /** Ports; empty = every port of every protocol. */
  readonly ports: readonly KubeNetworkPolicyPort[];
}

/** A NetworkPolicy (`networking.k8s.io/v1`). */
export interface KubeNetworkPolicy {
  /** How verdicts name it (a Terraform address, or a name in a truth table). */
  readonly id: string;
  /** The cluster it lives in. */
  readonly cluster: string;
  /** Its namespace. */
  readonly namespace: string;
  /** The pods of its namespace it applies to. */
  readonly podSelector: KubeLabelSelector;
  /** Ingress rules, when the policy has the `Ingress` type (an empty list isolates and allows nothing). */
  readonly ingress?: readonly KubeNetworkPolicyRule[];
  /** Egress rules, when the policy has the `Egress` type. */
  readonly egress?: readonly KubeNetworkPolicyRule[];
}

/** A ClusterNetworkPolicy peer: exactly one field is set. */
export interface KubeClusterPolicyPeer {
  /** Every pod of the namespaces selected. */
  readonly namespaces?: KubeLabelSelector;
  /** Pods selected by namespace and pod labels. */
  readonly pods?: { readonly namespaceSelector: KubeLabelSelector; readonly podSelector: KubeLabelSelector };
  /** CIDRs (egress only); they match pod addresses too. */
  readonly networks?: readonly string[];
}

/** A ClusterNetworkPolicy protocol entry. */
export interface KubeClusterPolicyProtocol {
  /** `tcp`, `udp` or `sctp`; absent for a named port. */
  readonly protocol?: 'tcp' | 'udp' | 'sctp';
  /** The port, or the first port of a range; absent for every port. */
  readonly port?: number;
  /** The last port of a range. */
  readonly endPort?: number;
  /** A destination named port. */
  readonly namedPort?: string;
}

/** A ClusterNetworkPolicy rule. */
export interface KubeClusterPolicyRule {
  /** The rule's name, if any. */
  readonly name?: string;
  /** What it does with matching traffic. */
  readonly action: 'Accept' | 'Deny' | 'Pass';
  /** Peers (at least one). */
  readonly peers: readonly KubeClusterPolicyPeer[];
  /** Protocol entries; absent = every protocol. */
  readonly protocols?: readonly KubeClusterPolicyProtocol[];
}

/** A ClusterNetworkPolicy (`policy.networking.k8s.io`). */
export interface KubeClusterPolicy {
  /** How verdicts name it. */
  readonly id: string;
  /** The cluster it lives in. */
  readonly cluster: string;
  /** `Admin` (before NetworkPolicy) or `Baseline` (after). */
  readonly tier: 'Admin' | 'Baseline';
  /** 0-1000, lower first. */
  readonly priority: number;
  /** The pods it applies to: namespaces, or pods by namespace and pod labels. */
  readonly subject: {
    readonly namespaces?: KubeLabelSelector;
    readonly pods?: { readonly namespaceSelector: KubeLabelSelector; readonly podSelector: KubeLabelSelector };
  };
  /** Ingress rules in order. */
  readonly ingress: readonly KubeClusterPolicyRule[];
  /** Egress rules in order. */
  readonly egress: readonly KubeClusterPolicyRule[];
}

/** Everything the semantics needs of the clusters: their policies and their namespaces' labels. */
export interface KubeClusterView {
  /** Every NetworkPolicy. */
  readonly networkPolicies: readonly KubeNetworkPolicy[];
  /** Every ClusterNetworkPolicy. */
  readonly clusterPolicies: readonly KubeClusterPolicy[];
  /** The labels of a namespace (at least `kubernetes.io/metadata.name`). */
  namespaceLabels(cluster: string, namespace: string): Readonly<Record<string, string>>;
}
