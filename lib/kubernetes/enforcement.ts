import { TerraformProvider, Token } from 'cdktf';
import { Construct } from 'constructs';
import { ClusterNetworkPolicyApiVersion } from './cluster-network-policy-api';
import { checkCidr, familyOf } from '../model/cidr';
import { PolicyRegistry } from '../registry';
import { StackEnforcement } from '../render/stack-enforcement';

/** Properties of {@link KubernetesEnforcement}. */
export interface KubernetesEnforcementProps {
  /**
   * The cluster's name, used in messages and in the names of the cluster-scoped policies
   * (lowercase letters, digits and `-`).
   */
  readonly clusterName: string;

  /**
   * The `kubernetes` provider that reaches this cluster; the enforcement's resources use it.
   * @default - the stack's default `kubernetes` provider
   */
  readonly provider?: TerraformProvider;

  /**
   * The cluster's pod CIDRs. Other platforms (security groups, NSGs, NSX) name the cluster's pods by
   * these addresses in cross-platform flows, and so do the policies of other clusters.
   * @default - none: a flow between this cluster's pods and another platform is a synth error
   */
  readonly podCidrs?: string[];

  /**
   * The cluster's node CIDRs: where pods' traffic comes from when it leaves the cluster through the
   * nodes' addresses (SNAT). Other platforms name the cluster's pods by these too.
   * @default - none
   */
  readonly nodeCidrs?: string[];

  /**
   * Namespaces that get the default deny even if no workload of the app runs there yet.
   * @default - the namespaces of the app's workloads in this cluster
   */
  readonly managedNamespaces?: string[];

  /**
   * Whether every managed namespace may reach the cluster's DNS resolver (UDP and TCP 53 to
   * `dnsPodLabels` in `dnsNamespace`). Egress default deny otherwise breaks name resolution. When
   * `dnsNamespace` itself is managed, the resolver pods also get a policy of their own
   * (`microseg-dns-resolver`: UDP and TCP 53 in from anywhere, every egress), so the namespace's
   * default deny does not cut name resolution for the whole cluster.
   * A `DenyFlow` wins over it as over any allow: with `clusterNetworkPolicy` its Admin `Deny` blocks
   * DNS too; without, a `DenyFlow` from pods that covers the resolver on UDP or TCP 53 fails
   * synthesis (turn this off and declare the DNS flows, or leave DNS out of the `DenyFlow`).
   * @default true
   */
  readonly allowDns?: boolean;

  /**
   * The namespace of the cluster's DNS resolver.
   * @default 'kube-system'
   */
  readonly dnsNamespace?: string;

  /**
   * The labels of the cluster's DNS resolver pods.
   * @default { 'k8s-app': 'kube-dns' }
   */
  readonly dnsPodLabels?: { [key: string]: string };

  /**
   * Whether to label the pods of every bound Deployment, StatefulSet, DaemonSet and Pod with
   * `microseg.cdktf.io/workload: <workload name>` (in the pod template) and select them by that label,
   * so that workloads whose own labels overlap stay apart. Off, the pods' labels are never touched and
   * the policies select them by the labels they carry. Changing a pod template's labels rolls the pods
   * out again. Pods of other tools (`KubernetesBinding.pods`) are never relabelled.
   * @default false
   */
  readonly labelPods?: boolean;

  /**
   * Whether the cluster serves ClusterNetworkPolicy (`policy.networking.k8s.io`: Calico, Antrea,
   * OVN-Kubernetes, GKE Dataplane V2). With it, `DenyFlow`s become Admin tier `Deny` rules and
   * `GuardrailAllow`s Admin tier `Accept` rules, rendered with `kubernetes_manifest`, which needs the
   * CRD installed and API access when Terraform plans. Without it, guardrails fall back to what
   * NetworkPolicy can express: a `GuardrailAllow` is an ordinary allow, and an application flow that
   * would let through traffic a `DenyFlow` forbids fails synthesis (an `ipBlock` `except` carves a
   * narrower denied CIDR out of a wider allowed one).
   * @default true
   */
  readonly clusterNetworkPolicy?: boolean;

  /**
   * The ClusterNetworkPolicy API version the cluster serves.
   * @default ClusterNetworkPolicyApiVersion.V1ALPHA2
   */
  readonly clusterNetworkPolicyApiVersion?: ClusterNetworkPolicyApiVersion;

  /**
   * Admin tier priority (0-1000, lower first) of the policies of `GuardrailAllow`s. Lower than
   * `guardrailDenyPriority`, so a grant wins over a deny.
   * @default 100
   */
  readonly guardrailAllowPriority?: number;

  /**
   * Admin tier priority (0-1000) of the policies of `DenyFlow`s.
   * @default 110
   */
  readonly guardrailDenyPriority?: number;

  /**
   * Whether to add a Baseline tier ClusterNetworkPolicy that denies all pod traffic to and from the
   * managed namespaces (NetworkPolicy overrides it): a second default deny, for pods a NetworkPolicy
   * has not selected yet. Needs `clusterNetworkPolicy`.
   * @default false
   */
  readonly baselineDefaultDeny?: boolean;

  /**
   * Baseline tier priority (0-1000) of the baseline default deny.
   * @default 1000
   */
  readonly baselinePriority?: number;
}

/**
 * The Kubernetes enforcement of one cluster in one stack: every workload bound with
 * {@link KubernetesBinding} in the stack gets its NetworkPolicy (`kubernetes_network_policy_v1`,
 * selecting its pods by their labels, both policy types), every managed namespace a default deny in
 * both directions (and, unless `allowDns` is false, egress to the cluster's DNS resolver), and
 * guardrails become ClusterNetworkPolicies (`kubernetes_manifest`) or, without them, what
 * NetworkPolicy can express.
 */
export class KubernetesEnforcement extends Construct {
  /** The enforcement of the stack that `scope` belongs to, if any. */
  public static of(scope: Construct): KubernetesEnforcement | undefined {
    return KUBERNETES_ENFORCEMENT.of(scope);
  }

  /** The cluster's name. */
  public readonly clusterName: string;
  /** The provider of the cluster, if given. */
  public readonly provider?: TerraformProvider;
  /** Pod CIDRs. */
  public readonly podCidrs: string[];
  /** Node CIDRs. */
  public readonly nodeCidrs: string[];
  /** Namespaces managed in addition to those of the workloads. */
  public readonly managedNamespaces: string[];
  /** Whether managed namespaces may reach the DNS resolver. */
  public readonly allowDns: boolean;
  /** The DNS resolver's namespace. */
  public readonly dnsNamespace: string;
  /** The DNS resolver pods' labels. */
  public readonly dnsPodLabels: { [key: string]: string };
  /** Whether the enforcement labels the pods it selects. */
  public readonly labelPods: boolean;
  /** Whether the cluster serves ClusterNetworkPolicy. */
  public readonly clusterNetworkPolicy: boolean;
  /** The ClusterNetworkPolicy API version. */
  public readonly clusterNetworkPolicyApiVersion: ClusterNetworkPolicyApiVersion;
  /** Admin priority of guardrail allows. */
  public readonly guardrailAllowPriority: number;
  /** Admin priority of guardrail denies. */
  public readonly guardrailDenyPriority: number;
  /** Whether a Baseline default deny is rendered. */
  public readonly baselineDefaultDeny: boolean;
  /** Baseline priority of the default deny. */
  public readonly baselinePriority: number;
  private readonly problems: string[] = [];

  /** Declares the Kubernetes enforcement of a cluster in this stack (one per stack). */
  public constructor(scope: Construct, id: string, props: KubernetesEnforcementProps) {
    super(scope, id);
    const stack = KUBERNETES_ENFORCEMENT.claim(this);
    this.clusterName = props.clusterName;
    this.provider = props.provider;
    this.podCidrs = this.cidrs('podCidrs', props.podCidrs ?? []);
    this.nodeCidrs = this.cidrs('nodeCidrs', props.nodeCidrs ?? []);
    this.managedNamespaces = [...(props.managedNamespaces ?? [])];
    this.allowDns = props.allowDns ?? true;
    this.dnsNamespace = props.dnsNamespace ?? 'kube-system';
    this.dnsPodLabels = { ...(props.dnsPodLabels ?? { 'k8s-app': 'kube-dns' }) };
    this.labelPods = props.labelPods ?? false;
    this.clusterNetworkPolicy = props.clusterNetworkPolicy ?? true;
    this.clusterNetworkPolicyApiVersion = props.clusterNetworkPolicyApiVersion ?? ClusterNetworkPolicyApiVersion.V1ALPHA2;
    this.guardrailAllowPriority = props.guardrailAllowPriority ?? 100;
    this.guardrailDenyPriority = props.guardrailDenyPriority ?? 110;
    this.baselineDefaultDeny = props.baselineDefaultDeny ?? false;
    this.baselinePriority = props.baselinePriority ?? 1000;
    if (typeof this.clusterName !== 'string' || !/^[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?$/.test(this.clusterName)) {
      this.problems.push(`clusterName ${JSON.stringify(this.clusterName)} is not a short DNS label. Use lowercase letters, digits and "-" (at most 42), for example "prod-eu".`);
    }
    for (const namespace of this.managedNamespaces) {
      if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace)) this.problems.push(`managedNamespaces holds "${namespace}", which is not a namespace name.`);
    }
    for (const [name, value] of [['guardrailAllowPriority', this.guardrailAllowPriority], ['guardrailDenyPriority', this.guardrailDenyPriority], ['baselinePriority', this.baselinePriority]] as const) {
      if (!Number.isInteger(value) || value < 0 || value > 1000) this.problems.push(`${name} ${value} is outside 0-1000, the ClusterNetworkPolicy priority range.`);
    }
    if (this.guardrailAllowPriority >= this.guardrailDenyPriority) {
      this.problems.push(`guardrailAllowPriority ${this.guardrailAllowPriority} is not lower than guardrailDenyPriority ${this.guardrailDenyPriority}: a GuardrailAllow must be evaluated before the DenyFlows it overrides. Give the allows the lower number.`);
    }
    if (this.baselineDefaultDeny && !this.clusterNetworkPolicy) {
      this.problems.push('has baselineDefaultDeny without clusterNetworkPolicy: the Baseline tier is a ClusterNetworkPolicy. Turn on clusterNetworkPolicy, or drop baselineDefaultDeny (the namespaces\' NetworkPolicy default deny holds either way).');
    }
    this.node.addValidation({ validate: () => this.problems.map((p) => `KubernetesEnforcement '${this.node.path}' ${p}`) });
    PolicyRegistry.of(this).addEnforcement(stack);
  }

  /** The addresses other platforms name the cluster's pods by: its pod CIDRs, then its node CIDRs. */
  public get externalAddresses(): string[] {
    return [...this.podCidrs, ...this.nodeCidrs];
  }

  private cidrs(name: string, values: string[]): string[] {
    const out: string[] = [];
    for (const value of values) {
      if (Token.isUnresolved(value)) {
        out.push(value);
        continue;
      }
      const family = familyOf(value);
      const checked: { cidr?: string; problem?: string } = family ? checkCidr(value, family) : { problem: `"${value}" is not a CIDR.` };
      if (checked.cidr) out.push(checked.cidr);
      else this.problems.push(`${name}: ${checked.problem ?? `"${value}" is not a CIDR.`} Use a network such as "10.244.0.0/16".`);
    }
    return out;
  }
}

const KUBERNETES_ENFORCEMENT = new StackEnforcement<KubernetesEnforcement>('KubernetesEnforcement', 'Declare one per stack (one cluster per stack).');
