import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { NetworkPolicyV1, NetworkPolicyV1Config } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { Lazy, TerraformStack, Token } from 'cdktf';
import { KubernetesBinding } from './binding';
import { CLUSTER_POLICY_LIMITS, clusterPolicyLimitProblems } from './cluster-policy-limits';
import { KubernetesEnforcement } from './enforcement';
import { DEFAULT_DENY_POLICY_NAME, DNS_POLICY_NAME, DNS_RESOLVER_POLICY_NAME, NAMESPACE_NAME_LABEL, kubernetesName } from './kubernetes-names';
import { ClusterPolicyProtocolJson, clusterPolicyProtocols, networkPolicyPorts } from './kubernetes-ports';
import { podsHeldBy } from './pod-cidrs';
import { PodSet, readPodSet, selects } from './pod-set';
import { DenyFlow } from '../deny-flow';
import { IFlowEndpoint } from '../endpoint';
import { AllowFlow } from '../flow';
import { GuardrailAllow } from '../guardrail-allow';
import { Inventory } from '../inventory';
import { cidrContains, familyOf } from '../model/cidr';
import { cidrRegions } from '../model/cidr-regions';
import { Atom, ResolvedSide, TrafficEnd, atomName, cidrHoldsWorkload, commonPorts, denyEnforcedAt, flowRenderedAt, isAddressOnly, sideAsRendered, sideHolds } from '../model/guardrail-semantics';
import { PortSpec, coversSpec, portKey } from '../model/ports';
import { Peer } from '../peer';
import { Platform } from '../platform';
import { bulkResource } from '../private/bulk-resource';
import { idFromKey } from '../private/identity';
import { pathOf } from '../private/path-of';
import { UNRESOLVED_ENDPOINT } from '../private/unresolved-endpoint';
import { writeProvenance } from '../provenance/resource-comments';
import { PlatformRenderer, PolicyRegistry, compare, stackOf } from '../registry';
import { openSideDenies } from '../render/guardrail-sides';
import { oncePerDeclarationState } from '../render/once-per-declarations';
import { PendingWorkloads } from '../render/pending-workloads';
import { ResolvedPolicy } from '../render/resolve-policy';
import { recordInventory } from '../render/workload-inventory';
import { Segment } from '../segment';
import { Workload } from '../workload';

/** The pods of one workload in a cluster and the NetworkPolicy that selects them. */
interface PodPolicy {
  readonly workload: Workload;
  readonly cluster: ClusterState;
  readonly podSet: PodSet;
  readonly resource: NetworkPolicyV1;
}

/** Everything rendered for one KubernetesEnforcement (one cluster in one stack). */
interface ClusterState {
  readonly enforcement: KubernetesEnforcement;
  readonly namespaces: Map<string, NetworkPolicyV1[]>;
  readonly pods: Map<Workload, PodPolicy>;
  /** ClusterNetworkPolicies by key (`accept|<workload identity>`, `deny|<workload identity>`, `baseline`). */
  readonly clusterPolicies: Map<string, Manifest>;
}

/** A NetworkPolicy rule being planned, with the flow it serves. */
interface PlannedRule {
  readonly flow: AllowFlow;
  readonly json: Record<string, unknown>;
}

/** An allow flow resolved for the DenyFlow checks: its sides, its ports and whether it is a GuardrailAllow's. */
interface ResolvedFlow {
  readonly flow: AllowFlow;
  readonly from: ResolvedSide<Workload>;
  readonly to: ResolvedSide<Workload>;
  readonly ports: PortSpec[];
  readonly grant: boolean;
}

/** A ClusterNetworkPolicy rule being planned. */
interface PlannedClusterRule {
  readonly owner: string;
  readonly json: Record<string, unknown>;
}

/** What the renderer decides from the complete program: the rules of every policy and the problems found. */
interface Plan {
  readonly ingress: Map<PodPolicy, PlannedRule[]>;
  readonly egress: Map<PodPolicy, PlannedRule[]>;
  readonly clusterIngress: Map<string, PlannedClusterRule[]>;
  readonly clusterEgress: Map<string, PlannedClusterRule[]>;
  /** Problems by flow or guardrail construct path. */
  readonly problems: Map<string, Set<string>>;
  /** CIDRs carved out of an allowed CIDR (`ipBlock.except`) by flow path, end workload and CIDR. */
  readonly excepts: Map<string, string[]>;
}

/** A flow's side as the Kubernetes rules name it. */
interface NamedSide {
  /** Pods of this cluster: namespace and selector. */
  readonly pods: Array<{ namespace: string; selector: Readonly<Record<string, string>> }>;
  /** Addresses (CIDRs, possibly Terraform expressions). */
  readonly cidrs: string[];
  /** Anywhere (a guardrail side without endpoint). */
  readonly anywhere: boolean;
  /** The CIDR when the side is a CIDR peer (`Peer.ipv4`, `Peer.ipv6`), which holds pods too. */
  readonly peerCidr?: string;
}

const CLUSTER_POLICY_KIND = 'ClusterNetworkPolicy';

/** What the DNS allowance (`microseg-allow-dns`) lets pods reach the resolver on. */
const DNS_PORTS: readonly PortSpec[] = [{ protocol: 'udp', from: 53, to: 53 }, { protocol: 'tcp', from: 53, to: 53 }];

/** The annotation prefix that names the flow of each NetworkPolicy rule. */
const RULE_ANNOTATION_PREFIX = 'microseg.cdktf.io/';

/**
 * Renders Kubernetes workloads' policy, per KubernetesEnforcement (cluster and stack):
 * - every managed namespace: a `microseg-default-deny` NetworkPolicy (all pods, both policy types,
 *   no rule) and, unless turned off, `microseg-allow-dns` (egress to the cluster's DNS resolver);
 * - every workload: one NetworkPolicy selecting its pods by the labels they carry, with an ingress
 *   rule per flow into it and an egress rule per flow out of it (peers: pods by namespace and pod
 *   selector, other platforms and CIDRs by `ipBlock`);
 * - guardrails, when the cluster serves ClusterNetworkPolicy: per workload one Admin tier policy of
 *   `Accept` rules (GuardrailAllows) and one of `Deny` rules (DenyFlows), and optionally a Baseline
 *   default deny; otherwise GuardrailAllows are ordinary allows and flows that would override a
 *   DenyFlow fail synthesis.
 * The rules are written when the app is synthesized, from the complete program.
 */
export class NetworkPolicyRenderer implements PlatformRenderer {
  private readonly clusters = new Map<KubernetesEnforcement, ClusterState>();
  private readonly pending: PendingWorkloads<KubernetesEnforcement>;
  private cached?: { signature: string; plan: Plan };
  /** The segments guardrails name, as of `declared` flows and denies (see guardrailSegments). */
  private guardrailSides?: { readonly declared: number; readonly denied: ReadonlySet<Segment>; readonly granted: ReadonlySet<Segment> };
  private openEgress?: () => ReadonlyArray<{ readonly deny: DenyFlow; readonly addresses: string[] }>;

  public constructor(private readonly registry: PolicyRegistry) {
    this.pending = new PendingWorkloads(registry, {
      enforcementOf: (scope) => KubernetesEnforcement.of(scope),
      missing: (workload) => `Workload '${workload.node.path}' is bound with ${workload.binding!.factory} but stack '${stackOf(workload).node.path}' has no KubernetesEnforcement. Add new KubernetesEnforcement(stack, 'Cluster', { clusterName: 'prod' }) to that stack.`,
    });
    // other platforms name pods by the cluster's declared CIDRs: known before any of them renders a flow
    for (const workload of registry.workloads) this.lendAddresses(workload);
  }

  public onWorkload(workload: Workload): void {
    if (workload.platform !== Platform.KUBERNETES) return;
    this.lendAddresses(workload);
    const enforcement = this.pending.enforcementOf(workload);
    if (enforcement) this.setUp(workload, this.clusters.get(enforcement)!);
  }

  public onEnforcement(stack: TerraformStack): void {
    const enforcement = KubernetesEnforcement.of(stack);
    if (!enforcement || this.clusters.has(enforcement)) return;
    const cluster: ClusterState = { enforcement, namespaces: new Map(), pods: new Map(), clusterPolicies: new Map() };
    this.clusters.set(enforcement, cluster);
    for (const namespace of enforcement.managedNamespaces) this.ensureNamespace(cluster, namespace);
    if (enforcement.baselineDefaultDeny) this.ensureClusterPolicy(cluster, 'baseline');
    enforcement.node.addValidation({ validate: () => this.clusterProblems(cluster) });
    this.pending.release(stack, (workload) => this.setUp(workload, cluster), this);
  }

  public onMembership(workload: Workload, segment: Segment): void {
    // a host known only by its addresses that joins a DenyFlow's side may make it an open-side deny
    if (workload.platform === Platform.EXTERNAL) this.ensureOpenEgressPolicies();
    const pod = this.podPolicyOf(workload);
    if (!pod) return;
    const stack = stackOf(pod.cluster.enforcement);
    if (!segment.implicit) Inventory.of(stack).addGroup(segment.node.path, segment.selector, pod.resource, segment.identity);
    this.ensureGuardrailPolicies(pod);
  }

  public onFlow(flow: AllowFlow): void {
    flow.node.addValidation({ validate: () => this.problemsOf(flow, 'AllowFlow') });
    if (GuardrailAllow.isGuardrailFlow(flow)) for (const pod of this.podsOf(flow.fromSegment, flow.toSegment)) this.ensureGuardrailPolicies(pod);
  }

  public onDenyFlow(deny: DenyFlow): void {
    deny.node.addValidation({ validate: () => this.problemsOf(deny, 'DenyFlow') });
    for (const pod of this.podsOf(deny.fromSegment, deny.toSegment)) this.ensureGuardrailPolicies(pod);
    this.ensureOpenEgressPolicies();
  }

  /**
   * The DenyFlows whose destination side holds hosts known only by their addresses and whose source
   * side is open (anywhere, a CIDR): enforced at every managed workload of the open side, at its
   * egress (see `openSideDenies`), each with those hosts' addresses.
   */
  private openEgressDenies(): ReadonlyArray<{ readonly deny: DenyFlow; readonly addresses: string[] }> {
    // asked at every membership: worked out once per declaration state
    this.openEgress ??= oncePerDeclarationState(this.registry, () => this.registry.denyFlows.flatMap((deny) => {
      if (deny.problems().length > 0) return [];
      const outbound = openSideDenies(this.registry, deny).filter((o) => o.direction === 'outbound');
      return outbound.length === 0 ? [] : [{ deny, addresses: [...new Set(outbound.flatMap((o) => o.addresses))].sort(compare) }];
    }));
    return this.openEgress();
  }

  /** Whether a pod lies in the open source side of a DenyFlow (anywhere, or a CIDR that holds it). */
  private inOpenSource(deny: DenyFlow, pod: PodPolicy): boolean {
    if (deny.from === undefined) return true;
    const side = ResolvedPolicy.of(this.registry).semanticSide(deny.from);
    return sideHolds(side, { kind: 'workload', workload: pod.workload }) === 'yes';
  }

  /** Gives every pod that an open-side DenyFlow is enforced at its Admin Deny policy (see openEgressDenies). */
  private ensureOpenEgressPolicies(): void {
    const denies = this.openEgressDenies();
    if (denies.length === 0) return;
    for (const cluster of this.clusters.values()) {
      if (!cluster.enforcement.clusterNetworkPolicy) continue;
      for (const pod of cluster.pods.values()) {
        if (denies.some(({ deny }) => this.inOpenSource(deny, pod))) this.ensureClusterPolicy(cluster, `deny|${pod.workload.identity}`, pod);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Resources (created as declarations arrive; their rules are written at synthesis)
  // ---------------------------------------------------------------------------------------------

  /** Gives a Kubernetes workload without addresses of its own its cluster's declared CIDRs. */
  private lendAddresses(workload: Workload): void {
    if (workload.platform !== Platform.KUBERNETES || workload.addressCidrs.length > 0) return;
    const enforcement = KubernetesEnforcement.of(workload);
    if (!enforcement || enforcement.externalAddresses.length === 0) return;
    const which = [enforcement.podCidrs.length > 0 ? 'pod' : '', enforcement.nodeCidrs.length > 0 ? 'node' : ''].filter((w) => w !== '').join(' and ');
    workload._lendAddresses(enforcement.externalAddresses, `the ${which} CIDRs of KubernetesEnforcement '${enforcement.node.path}'`);
  }

  private setUp(workload: Workload, cluster: ClusterState): void {
    if (cluster.pods.has(workload)) return;
    const reading = readPodSet(workload.binding as KubernetesBinding);
    for (const problem of reading.problems) workload.addProblem(problem);
    if (!reading.podSet) return;
    const enforcement = cluster.enforcement;
    const podSet = enforcement.labelPods && workload.resource ? labelPods(workload, reading.podSet) : reading.podSet;
    const resource = bulkResource(new NetworkPolicyV1(enforcement, idFromKey(`Pods-${workload.identity}`), {
      ...(enforcement.provider ? { provider: enforcement.provider } : {}),
      metadata: {
        name: kubernetesName('microseg', workload.identity),
        namespace: podSet.namespace,
        labels: { 'app.kubernetes.io/managed-by': 'cdktf-microseg' },
        // which flow each rule serves, for operators reading the cluster and for the evaluator
        annotations: Lazy.anyValue({ produce: () => ruleAnnotations(this.plan(), pod) }) as any,
      },
      spec: {
        podSelector: { matchLabels: { ...podSet.selector } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: Lazy.anyValue({ produce: () => this.plan().ingress.get(pod)?.map((r) => r.json) ?? [] }) as any,
        egress: Lazy.anyValue({ produce: () => this.plan().egress.get(pod)?.map((r) => r.json) ?? [] }) as any,
      },
    }));
    const pod: PodPolicy = { workload, cluster, podSet, resource };
    cluster.pods.set(workload, pod);
    const flows = Lazy.listValue({
      produce: () => {
        const rules = [...(this.plan().ingress.get(pod) ?? []), ...(this.plan().egress.get(pod) ?? [])];
        return [...new Set(rules.map((r) => r.flow.node.path))].sort(compare);
      },
    });
    writeProvenance(resource, { flows: flows as unknown as string[] });
    this.ensureNamespace(cluster, podSet.namespace);
    if (workload.resource) {
      recordInventory(workload);
    } else {
      // pods of other tools have no resource: the evaluator reads them from the policy that selects them
      Inventory.of(stackOf(enforcement)).addWorkload(workload.node.path, {
        labels: workload.labels,
        segments: () => workload.segments.map((s) => s.node.path),
        binding: resource,
        addresses: workload.addressCidrs.filter((a) => !Token.isUnresolved(a)),
        identity: workload.identity,
      });
    }
    workload.node.addValidation({ validate: () => this.overlapProblems(pod) });
  }

  private ensureNamespace(cluster: ClusterState, namespace: string): void {
    if (cluster.namespaces.has(namespace)) return;
    const enforcement = cluster.enforcement;
    const provider = enforcement.provider ? { provider: enforcement.provider } : {};
    const policy = (id: string, name: string, spec: NetworkPolicyV1Config['spec']) => bulkResource(new NetworkPolicyV1(enforcement, idFromKey(`${id}-${namespace}`), {
      ...provider,
      metadata: { name, namespace, labels: { 'app.kubernetes.io/managed-by': 'cdktf-microseg' } },
      spec,
    }));
    const dnsPorts = networkPolicyPorts(DNS_PORTS).entries.map(({ protocol, port }) => ({ protocol, port }));
    const deny = policy('DefaultDeny', DEFAULT_DENY_POLICY_NAME, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    writeProvenance(deny, { defaultDeny: true });
    const policies = [deny];
    if (enforcement.allowDns) {
      policies.push(policy('AllowDns', DNS_POLICY_NAME, {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{
          to: [{
            namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: enforcement.dnsNamespace } },
            podSelector: { matchLabels: { ...enforcement.dnsPodLabels } },
          }],
          ports: dnsPorts,
        }],
      }));
    }
    if (enforcement.allowDns && namespace === enforcement.dnsNamespace) {
      // The namespace's default deny would cut the resolver off too: every managed namespace's DNS
      // allowance would reach pods that take no query and cannot ask upstream or the API.
      policies.push(policy('DnsResolver', DNS_RESOLVER_POLICY_NAME, {
        podSelector: { matchLabels: { ...enforcement.dnsPodLabels } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ ports: dnsPorts }],
        egress: [{}],
      }));
    }
    cluster.namespaces.set(namespace, policies);
  }

  /** Creates the Admin tier policies a workload's guardrails need (once each). */
  private ensureGuardrailPolicies(pod: PodPolicy): void {
    if (!pod.cluster.enforcement.clusterNetworkPolicy) return;
    const { denied, granted } = this.guardrailSegments();
    const segments = this.registry.segmentsOf(pod.workload);
    if (segments.some((segment) => denied.has(segment)) || this.openEgressDenies().some(({ deny }) => this.inOpenSource(deny, pod))) {
      this.ensureClusterPolicy(pod.cluster, `deny|${pod.workload.identity}`, pod);
    }
    if (segments.some((segment) => granted.has(segment))) {
      this.ensureClusterPolicy(pod.cluster, `accept|${pod.workload.identity}`, pod);
    }
  }

  /**
   * The segments (a workload named directly: its one-member segment) that a DenyFlow names, and
   * those a GuardrailAllow names, over every declaration the registry knows: worked out again only
   * when a flow or deny was declared since, so each membership looks its segments up instead of
   * reading every flow.
   */
  private guardrailSegments(): { readonly denied: ReadonlySet<Segment>; readonly granted: ReadonlySet<Segment> } {
    const declared = this.registry.flows.length + this.registry.denyFlows.length;
    if (this.guardrailSides?.declared !== declared) {
      const named = (flows: ReadonlyArray<AllowFlow | DenyFlow>) => {
        const segments = new Set<Segment>();
        for (const flow of flows) {
          for (const [endpoint, segment] of [[flow.from, flow.fromSegment], [flow.to, flow.toSegment]] as const) {
            if (endpoint !== undefined && segment !== undefined) segments.add(segment);
          }
        }
        return segments;
      };
      this.guardrailSides = {
        declared,
        denied: named(this.registry.denyFlows),
        granted: named(this.registry.flows.filter((flow) => GuardrailAllow.isGuardrailFlow(flow))),
      };
    }
    return this.guardrailSides;
  }

  private ensureClusterPolicy(cluster: ClusterState, key: string, pod?: PodPolicy): void {
    if (cluster.clusterPolicies.has(key)) return;
    const enforcement = cluster.enforcement;
    const [kind] = key.split('|');
    const baseline = kind === 'baseline';
    const name = baseline ? `microseg-${enforcement.clusterName}-baseline-deny` : kubernetesName(`microseg-${enforcement.clusterName}-${kind}`, pod!.workload.identity, 253);
    const subject = baseline
      ? { namespaces: { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: Lazy.listValue({ produce: () => [...cluster.namespaces.keys()].sort(compare) }) }] } }
      : {
        pods: {
          namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: pod!.podSet.namespace } },
          podSelector: { matchLabels: { ...pod!.podSet.selector } },
        },
      };
    const manifest = bulkResource(new Manifest(enforcement, idFromKey(`ClusterPolicy-${key}`), {
      ...(enforcement.provider ? { provider: enforcement.provider } : {}),
      manifest: Lazy.anyValue({
        produce: () => {
          const plan = this.plan();
          const ingress = baseline ? [{ name: 'microseg-baseline-deny', action: 'Deny', from: [{ namespaces: {} }] }] : (plan.clusterIngress.get(key) ?? []).map((r) => r.json);
          const egress = baseline
            ? [{ name: 'microseg-baseline-deny', action: 'Deny', to: [{ namespaces: {} }, { networks: ['0.0.0.0/0', '::/0'] }] }]
            : (plan.clusterEgress.get(key) ?? []).map((r) => r.json);
          return {
            apiVersion: enforcement.clusterNetworkPolicyApiVersion,
            kind: CLUSTER_POLICY_KIND,
            metadata: { name },
            spec: {
              tier: baseline ? 'Baseline' : 'Admin',
              priority: baseline ? enforcement.baselinePriority : kind === 'accept' ? enforcement.guardrailAllowPriority : enforcement.guardrailDenyPriority,
              subject,
              ...(ingress.length > 0 ? { ingress } : {}),
              ...(egress.length > 0 ? { egress } : {}),
            },
          };
        },
      }) as any,
    }));
    const owners = Lazy.listValue({
      produce: () => {
        const plan = this.plan();
        return [...new Set([...(plan.clusterIngress.get(key) ?? []), ...(plan.clusterEgress.get(key) ?? [])].map((r) => r.owner))].sort(compare);
      },
    }) as unknown as string[];
    if (kind === 'deny') writeProvenance(manifest, { guardrails: owners });
    else if (kind === 'accept') writeProvenance(manifest, { flows: owners, guardrail: true });
    else writeProvenance(manifest, { defaultDeny: true });
    cluster.clusterPolicies.set(key, manifest);
  }

  // ---------------------------------------------------------------------------------------------
  // The plan: every rule, from the complete program
  // ---------------------------------------------------------------------------------------------

  private plan(): Plan {
    const registry = this.registry;
    // every flow, deny, workload, segment and membership is a declaration: their count changes with
    // any of them (counting the members of every segment, sorted, on every call cost segments times
    // members per pod policy)
    const pods = [...this.clusters.values()].reduce((n, c) => n + c.pods.size, 0);
    const signature = `${registry.declarationCount}|${pods}`;
    if (this.cached?.signature === signature) return this.cached.plan;
    const plan: Plan = {
      ingress: new Map(), egress: new Map(), clusterIngress: new Map(), clusterEgress: new Map(), problems: new Map(), excepts: new Map(),
    };
    const flows = registry.flows.filter((f) => f.problems().length === 0 && f.from !== UNRESOLVED_ENDPOINT && f.to !== UNRESOLVED_ENDPOINT)
      .sort((a, b) => compare(a.identity, b.identity) || compare(pathOf(a), pathOf(b)));
    const denies = registry.denyFlows.filter((d) => d.problems().length === 0)
      .sort((a, b) => compare(a.identity, b.identity) || compare(pathOf(a), pathOf(b)));
    for (const deny of denies) this.planDenyFallback(plan, deny, flows);
    for (const deny of denies) this.planDnsFallback(plan, deny, flows);
    for (const deny of denies) this.planDnsResolverFallback(plan, deny);
    for (const flow of flows) this.planFlow(plan, flow);
    for (const deny of denies) this.planDeny(plan, deny);
    this.cached = { signature, plan };
    return plan;
  }

  private addProblem(plan: Plan, owner: AllowFlow | DenyFlow, problem: string): void {
    const path = owner.node.path;
    if (!plan.problems.has(path)) plan.problems.set(path, new Set());
    plan.problems.get(path)!.add(problem);
  }

  /** The NetworkPolicy rules (and, for a GuardrailAllow, the Admin Accept rules) of one flow. */
  private planFlow(plan: Plan, flow: AllowFlow): void {
    const specs = flow.ports.map((p) => p._toSpec());
    const ports = networkPolicyPorts(specs);
    const grant = GuardrailAllow.isGuardrailFlow(flow);
    const ends: Array<[TrafficEnd, Segment | undefined, IFlowEndpoint]> = [['source', flow.fromSegment, flow.to], ['destination', flow.toSegment, flow.from]];
    for (const [end, segment, other] of ends) {
      for (const pod of this.podsOf(segment)) {
        if (ports.problem) {
          this.addProblem(plan, flow, ports.problem);
          continue;
        }
        const side = this.nameSide(plan, flow, other, pod.cluster, `the ${end === 'source' ? 'egress' : 'ingress'} of workload '${pod.workload.node.path}'`);
        const peers = this.networkPolicyPeers(plan, side, pod, flow, end);
        if (peers.length === 0) continue; // no peer yet: a rule without peers would match everything
        const direction = end === 'source' ? 'to' : 'from';
        const json: Record<string, unknown> = { [direction]: peers, ...(ports.all ? {} : { ports: ports.entries }) };
        const map = end === 'source' ? plan.egress : plan.ingress;
        if (!map.has(pod)) map.set(pod, []);
        map.get(pod)!.push({ flow, json });
        if (grant && pod.cluster.enforcement.clusterNetworkPolicy) this.planClusterRule(plan, flow, 'accept', 'Accept', pod, end, side, specs);
      }
    }
  }

  /** The Admin Deny rules of a DenyFlow at the workloads of its sides, where ClusterNetworkPolicy can say them. */
  private planDeny(plan: Plan, deny: DenyFlow): void {
    const specs = deny.ports.map((p) => p._toSpec());
    const open = this.openEgressDenies().find((o) => o.deny === deny);
    if (open) {
      for (const cluster of this.clusters.values()) {
        if (!cluster.enforcement.clusterNetworkPolicy) continue;
        for (const pod of cluster.pods.values()) {
          if (!this.inOpenSource(deny, pod)) continue;
          this.planClusterRule(plan, deny, 'deny', 'Deny', pod, 'source', { pods: [], cidrs: open.addresses, anywhere: false }, specs);
        }
      }
    }
    const ends: Array<[TrafficEnd, Segment | undefined, IFlowEndpoint | undefined]> = [['source', deny.fromSegment, deny.to], ['destination', deny.toSegment, deny.from]];
    for (const [end, segment, other] of ends) {
      for (const pod of this.podsOf(segment)) {
        if (!pod.cluster.enforcement.clusterNetworkPolicy) continue; // checked by planDenyFallback
        const side = this.nameSide(plan, deny, other, pod.cluster, `the ${end === 'source' ? 'egress' : 'ingress'} of workload '${pod.workload.node.path}'`);
        this.planClusterRule(plan, deny, 'deny', 'Deny', pod, end, side, specs);
      }
    }
  }

  private planClusterRule(
    plan: Plan, owner: AllowFlow | DenyFlow, kind: 'accept' | 'deny', action: string, pod: PodPolicy, end: TrafficEnd, side: NamedSide, specs: PortSpec[],
  ): void {
    const protocols = clusterPolicyProtocols(specs);
    if (protocols.problem) {
      this.addProblem(plan, owner, protocols.problem);
      return;
    }
    const peers: Array<Record<string, unknown>> = side.pods.map(clusterPodsPeer);
    if (end === 'source') {
      const networks = side.anywhere ? ['0.0.0.0/0', '::/0'] : side.cidrs;
      const size = CLUSTER_POLICY_LIMITS.networksPerPeer;
      for (let i = 0; i < networks.length; i += size) peers.push({ networks: networks.slice(i, i + size) });
    } else if (side.anywhere) {
      peers.push({ namespaces: {} }); // every pod; addresses outside the cluster are left to NetworkPolicy's default deny
    } else if (side.peerCidr !== undefined) {
      const inside = this.podsInsideCidr(plan, owner, action, pod, side.peerCidr);
      if (inside === undefined) return;
      peers.push(...inside);
    }
    // ingress from addresses outside the cluster, which ClusterNetworkPolicy cannot name, is checked against NetworkPolicy (planDenyFallback)
    if (peers.length === 0) return;
    const key = `${kind}|${pod.workload.identity}`;
    const map = end === 'source' ? plan.clusterEgress : plan.clusterIngress;
    if (!map.has(key)) map.set(key, []);
    const ownerPath = owner.node.path;
    const json: Record<string, unknown> = {
      name: kubernetesName(kind, owner.identity, CLUSTER_POLICY_LIMITS.ruleNameLength),
      action,
      [end === 'source' ? 'to' : 'from']: peers,
      ...(protocols.all ? {} : { protocols: protocols.entries as ClusterPolicyProtocolJson[] }),
    };
    map.get(key)!.push({ owner: ownerPath, json });
  }

  /**
   * The ClusterNetworkPolicy ingress peers for the pods inside a guardrail's CIDR peer, at workload
   * `pod`: `namespaces: {}` when the CIDR holds every pod of the cluster (`0.0.0.0/0`, or a CIDR
   * holding all its pod CIDRs); otherwise the workloads of the cluster the shared model puts inside
   * it (by their own addresses or the node CIDRs lent to them). Undefined, with a problem, when the
   * CIDR holds only part of the pod CIDRs: ingress peers name pods by namespace and labels, and pod
   * addresses do not follow labels.
   */
  private podsInsideCidr(
    plan: Plan, owner: AllowFlow | DenyFlow, action: string, pod: PodPolicy, cidr: string,
  ): Array<Record<string, unknown>> | undefined {
    const cluster = pod.cluster;
    const enforcement = cluster.enforcement;
    const held = podsHeldBy(cidr, enforcement.podCidrs);
    if (held === 'all') return [{ namespaces: {} }];
    if (held === 'some') {
      const known = enforcement.podCidrs.some((c) => Token.isUnresolved(c)) ? 'whose podCidrs are known only at apply' : `(podCidrs ${enforcement.podCidrs.map((c) => JSON.stringify(c)).join(', ')})`;
      const verb = action === 'Deny' ? 'deny' : 'grant';
      this.addProblem(plan, owner, `names "${cidr}", which holds only part of the pods of cluster '${enforcement.clusterName}' ${known}, at the ingress of workload '${pod.workload.node.path}': ClusterNetworkPolicy names pods at ingress by namespace and labels, not by address, so it cannot ${verb} the traffic of just the pods inside "${cidr}". Name the pods' workloads or segments instead, or give a CIDR that holds all of the cluster's pod CIDRs or none of them.`);
      return undefined;
    }
    return [...cluster.pods.values()].filter((other) => cidrHoldsWorkload(cidr, other.workload) === 'yes').map((other) => clusterPodsPeer(other.podSet));
  }

  /** How a rule at a workload of `cluster` names the other side of a flow or guardrail. */
  private nameSide(plan: Plan, owner: AllowFlow | DenyFlow, endpoint: IFlowEndpoint | undefined, cluster: ClusterState, where: string): NamedSide {
    if (endpoint === undefined) return { pods: [], cidrs: [], anywhere: true };
    if (endpoint instanceof Peer) {
      if (endpoint.isCidr) return { pods: [], cidrs: [endpoint.value], anywhere: false, peerCidr: endpoint.value };
      this.addProblem(plan, owner, `names ${endpoint.expression}, which Kubernetes policies cannot express (they name pods, namespaces and CIDRs) for ${where}. Give the addresses behind it as Peer.ipv4(...) instead.`);
      return { pods: [], cidrs: [], anywhere: false };
    }
    const segment = Segment.isSegment(endpoint) ? endpoint : Workload.isWorkload(endpoint) ? endpoint._asSegment() : undefined;
    const side: NamedSide = { pods: [], cidrs: [], anywhere: false };
    for (const member of segment ? this.registry.membersOf(segment) : []) {
      const pod = cluster.pods.get(member);
      if (pod) {
        side.pods.push({ namespace: pod.podSet.namespace, selector: pod.podSet.selector });
        continue;
      }
      if (member.platform === Platform.KUBERNETES && KubernetesEnforcement.of(member) === cluster.enforcement) continue; // its pods could not be read: reported on it
      if (member.addressCidrs.length === 0) {
        const fix = member.platform === Platform.KUBERNETES
          ? `declare podCidrs (or nodeCidrs) on KubernetesEnforcement '${KubernetesEnforcement.of(member)?.node.path ?? '?'}'`
          : 'give the workload addresses, for example addresses: [instance.privateIp]';
        this.addProblem(plan, owner, `needs the addresses of workload '${member.node.path}' (${member.platform}) for ${where} (a Kubernetes policy names other platforms' workloads by address), but it has none: ${fix}.`);
        continue;
      }
      side.cidrs.push(...member.addressCidrs);
    }
    // the cluster's own pods seen by other platforms: their rules need the pods' addresses
    if (segment) this.checkPodAddressesFor(plan, owner, segment, cluster);
    side.cidrs.splice(0, side.cidrs.length, ...[...new Set(side.cidrs)]);
    return side;
  }

  /** A flow between this cluster's pods and another platform's workloads needs the cluster's CIDRs there. */
  private checkPodAddressesFor(plan: Plan, owner: AllowFlow | DenyFlow, otherSegment: Segment, cluster: ClusterState): void {
    const others = this.registry.membersOf(otherSegment).filter((m) => m.platform !== Platform.KUBERNETES && m.platform !== Platform.EXTERNAL);
    if (others.length === 0 || DenyFlow.isDenyFlow(owner) || cluster.enforcement.externalAddresses.length > 0) return;
    const platforms = [...new Set(others.map((m) => m.platform))].sort().join(' and ');
    this.addProblem(plan, owner, `needs the addresses of the pods of cluster '${cluster.enforcement.clusterName}' for the ${platforms} rules of its other side, but KubernetesEnforcement '${cluster.enforcement.node.path}' declares neither podCidrs nor nodeCidrs. Declare podCidrs: ['10.244.0.0/16'] (the cluster's pod network), or nodeCidrs when pods leave the cluster through the nodes' addresses.`);
  }

  /** NetworkPolicy peers (snake_case, as `kubernetes_network_policy_v1` writes them). */
  private networkPolicyPeers(plan: Plan, side: NamedSide, pod: PodPolicy, flow: AllowFlow, end: TrafficEnd): Array<Record<string, unknown>> {
    const peers: Array<Record<string, unknown>> = side.pods.map((p) => (p.namespace === pod.podSet.namespace
      ? { pod_selector: { match_labels: { ...p.selector } } }
      : { namespace_selector: { match_labels: { [NAMESPACE_NAME_LABEL]: p.namespace } }, pod_selector: { match_labels: { ...p.selector } } }));
    for (const cidr of side.cidrs) {
      const except = plan.excepts.get(exceptKey(flow, pod.workload, end, cidr)) ?? [];
      peers.push({ ip_block: { cidr, ...(except.length > 0 ? { except: [...except].sort(compare) } : {}) } });
    }
    return peers;
  }

  /**
   * What NetworkPolicy alone must guarantee of a DenyFlow: at every workload of a cluster without
   * ClusterNetworkPolicy where the DenyFlow is enforced (and, with ClusterNetworkPolicy, at ingress
   * from addresses, which it cannot name), no allow rule lets its traffic through. A narrower denied
   * CIDR inside an allowed one becomes `ipBlock.except` when the denied ports cover the flow's; any
   * other overlap fails synthesis, unless a GuardrailAllow grants the traffic.
   */
  private planDenyFallback(plan: Plan, deny: DenyFlow, flows: AllowFlow[]): void {
    const denyFrom = ResolvedPolicy.of(this.registry).semanticSide(deny.from);
    const denyTo = ResolvedPolicy.of(this.registry).semanticSide(deny.to);
    const denied = deny.ports.map((p) => p._toSpec());
    // pods in an open source side get an Admin Deny to the hosts known only by their addresses (planDeny)
    const openEgress = this.openEgressDenies().some((o) => o.deny === deny);
    const resolved = flows.map((flow): ResolvedFlow => ({
      flow,
      from: ResolvedPolicy.of(this.registry).semanticSide(flow.from),
      to: ResolvedPolicy.of(this.registry).semanticSide(flow.to),
      ports: flow.ports.map((p) => p._toSpec()),
      grant: GuardrailAllow.isGuardrailFlow(flow),
    }));
    // Address ranges are looked at as the regions every range involved cuts them into (cidrRegions):
    // a flow from 0.0.0.0/0 and a grant from 10.0.0.0/8 are not taken for the same hosts.
    const regions = cidrRegions([
      ...[...resolved.flatMap((f) => [...f.from.atoms, ...f.to.atoms]), ...denyFrom.atoms, ...denyTo.atoms]
        .flatMap((atom) => (atom.kind === 'cidr' ? [atom.cidr] : [])),
      // a flow's rules may name another platform's workload by a range it shares
      ...this.registry.workloads.flatMap((workload) => workload.sharedAddressCidrs.filter((cidr) => !Token.isUnresolved(cidr))),
    ]) as Array<Atom<Workload>>;
    // What does not depend on the pod, per end, once per DenyFlow: the other ends that lie in the
    // DenyFlow's other side (it is enforced nowhere else) and the pods of its own side.
    const ends = (['source', 'destination'] as const).map((end) => {
      const [denyOwn, denyOther] = end === 'source' ? [denyFrom, denyTo] : [denyTo, denyFrom];
      const named = [...resolved.flatMap((f) => (end === 'source' ? f.to : f.from).atoms), ...denyOther.atoms];
      const others = uniqueAtoms([...named.filter((atom) => atom.kind !== 'cidr'), ...regions]);
      return {
        end,
        candidates: others.filter((other) => sideHolds(denyOther, other) !== 'no'),
        // the pods the shared model leaves outside the DenyFlow's CIDR, which may still have addresses in it
        uncertain: others.filter((other) => other.kind === 'workload' && other.workload.platform === Platform.KUBERNETES && sideHolds(denyOther, other) === 'no'),
        cidrs: literalCidrsOf(denyOther),
        denyOwn,
        ownCidrs: literalCidrsOf(denyOwn),
        // the DenyFlow's other end where nothing enforces it but the pods (see denyEnforcedAt)
        addressOnly: denyOther.atoms.filter((other) => other.kind === 'workload' && isAddressOnly(other.workload) && sideHolds(denyOther, other, { membersOnly: true }) === 'yes'),
        members: new Set(this.podsOf(end === 'source' ? deny.fromSegment : deny.toSegment)),
      };
    });
    for (const cluster of [...this.clusters.values()]) {
      const cnp = cluster.enforcement.clusterNetworkPolicy;
      const inCluster = this.asRenderedIn(cluster, resolved);
      for (const pod of cluster.pods.values()) {
        const self: Atom<Workload> = { kind: 'workload', workload: pod.workload };
        for (const { end, candidates, uncertain, cidrs, denyOwn, ownCidrs, addressOnly, members } of ends) {
          // a flow is rendered at the pod's end only where the pod is a member of the flow's side there
          const own = inCluster.filter((f) => sideHolds(end === 'source' ? f.from : f.to, self, { membersOnly: true }) === 'yes');
          if (own.length === 0) continue;
          // where planDeny renders an Admin Deny (the pods are a member of the DenyFlow's side), it says it
          const member = cnp && (members.has(pod) || (end === 'source' && openEgress && this.inOpenSource(deny, pod)));
          for (const other of candidates) {
            // one workload's pods talk to each other (replicas), so a pod workload is its own other end too
            if (member && (end === 'source' || (other.kind === 'workload' && cluster.pods.has(other.workload)))) continue;
            const [source, destination] = end === 'source' ? [self, other] : [other, self];
            if (denyEnforcedAt(denyFrom, denyTo, source, destination, end) !== 'yes') continue;
            const at = own.filter((f) => flowRenderedAt(f.from, f.to, source, destination, end) === 'yes');
            for (const f of at.filter((x) => !x.grant)) {
              const common = commonPorts(f.ports, denied);
              if (common.length === 0) continue;
              const granted = common.every((spec) => at.some((g) => g.grant && g.ports.some((p) => coversSpec(p, spec))));
              if (granted) continue;
              const wider = f.flow[end === 'source' ? 'to' : 'from'];
              const narrower = end === 'source' ? deny.to : deny.from;
              if (other.kind === 'cidr' && wider instanceof Peer && wider.isCidr && narrower instanceof Peer && narrower.isCidr
                && narrower.value !== wider.value && cidrWithin(wider.value, narrower.value)
                && f.ports.every((spec) => denied.some((d) => coversSpec(d, spec)))) {
                const key = exceptKey(f.flow, pod.workload, end, wider.value);
                plan.excepts.set(key, [...new Set([...(plan.excepts.get(key) ?? []), narrower.value])]);
                continue;
              }
              const why = !cnp ? `cluster '${cluster.enforcement.clusterName}' has no ClusterNetworkPolicy (KubernetesEnforcement clusterNetworkPolicy: false) and NetworkPolicy cannot deny`
                : end === 'source' ? 'the pods are not a member of the DenyFlow\'s side, and its ClusterNetworkPolicy Admin Deny selects the pods of its own sides only. Name the pods in the DenyFlow\'s side to deny their egress there'
                  : 'ClusterNetworkPolicy cannot deny traffic from addresses at ingress (its ingress peers are namespaces and pods) and NetworkPolicy cannot deny';
              // a range of the DenyFlow's that holds the flow's own range is shown as the flow's: that is what it allows
              const shown = (atom: Atom<Workload>) => (atom === other && other.kind === 'cidr' && !other.except?.length && wider instanceof Peer && wider.isCidr && cidrWithin(other.cidr, wider.value)
                ? `"${wider.value}"` : atomName(atom));
              this.addProblem(plan, deny, `is overridden by AllowFlow '${f.flow.node.path}', which allows ${common.map(portKey).join(', ')} from ${shown(source)} to ${shown(destination)} at workload '${pod.workload.node.path}': ${why}. Remove the flow or narrow its ports or endpoints, or ask the platform team for a GuardrailAllow that grants it.`);
            }
          }
          // with ClusterNetworkPolicy, planDeny's Admin Deny names the CIDR by address at egress, and podsInsideCidr refuses it at ingress
          if (!cnp && cidrs.length > 0 && members.has(pod)) this.planPartialPodCidrFallback(plan, deny, pod, end, own, uncertain, cidrs, denied);
          if (ownCidrs.length > 0 && addressOnly.length > 0) {
            this.planPartialPodCidrSideFallback(plan, deny, pod, end, own, denyOwn, ownCidrs, addressOnly, denied);
          }
        }
      }
    }
  }

  /**
   * The rest of {@link planDenyFallback} at workload `pod` of a cluster without ClusterNetworkPolicy:
   * the pods of the cluster that the DenyFlow's other side names only by a CIDR (`cidrs`) holding
   * part of the cluster's pod CIDRs. The shared model puts such pods outside the CIDR (their lent
   * range is not inside it), but any of them may get an address in it: pod addresses do not follow
   * labels. The caller has checked that `pod` is a member of the DenyFlow's side at `end`. A flow
   * of `own` that names those pods by namespace and labels admits them whatever their address, so
   * one that shares ports with the DenyFlow fails synthesis, unless a GuardrailAllow grants the
   * traffic. Flows that name them by address are checked with the CIDRs in planDenyFallback.
   */
  private planPartialPodCidrFallback(
    plan: Plan, deny: DenyFlow, pod: PodPolicy, end: TrafficEnd, own: readonly ResolvedFlow[],
    uncertain: ReadonlyArray<Atom<Workload>>, cidrs: readonly string[], denied: readonly PortSpec[],
  ): void {
    const cluster = pod.cluster;
    const enforcement = cluster.enforcement;
    const podCidrs = enforcement.podCidrs;
    if (podCidrs.length === 0 || podCidrs.some((c) => Token.isUnresolved(c))) return;
    const cidr = cidrs.find((c) => podsHeldBy(c, podCidrs) === 'some');
    if (cidr === undefined) return;
    const self: Atom<Workload> = { kind: 'workload', workload: pod.workload };
    for (const other of uncertain) {
      if (other.kind !== 'workload' || other.workload === pod.workload || !cluster.pods.has(other.workload)) continue;
      // only pods that draw their addresses from the pod CIDRs (not given addresses of their own)
      if (!podCidrs.every((c) => other.workload.sharedAddressCidrs.includes(c))) continue;
      const [source, destination] = end === 'source' ? [self, other] : [other, self];
      const at = own.filter((f) => sideHolds(end === 'source' ? f.to : f.from, other, { membersOnly: true }) === 'yes');
      for (const f of at.filter((x) => !x.grant)) {
        const common = commonPorts(f.ports, denied);
        if (common.length === 0) continue;
        if (common.every((spec) => at.some((g) => g.grant && g.ports.some((p) => coversSpec(p, spec))))) continue;
        const fix = end === 'source'
          ? `Turn on clusterNetworkPolicy (its Admin Deny names "${cidr}" by address at egress), remove the flow or narrow its ports or endpoints, or ask the platform team for a GuardrailAllow that grants it.`
          : 'Remove the flow or narrow its ports or endpoints, give the DenyFlow a CIDR outside the pod CIDRs if the hosts it means are not pods (ClusterNetworkPolicy cannot name pods by address at ingress either), or ask the platform team for a GuardrailAllow that grants it.';
        this.addProblem(plan, deny, `is overridden by AllowFlow '${f.flow.node.path}', which allows ${common.map(portKey).join(', ')} from ${atomName(source)} to ${atomName(destination)} at workload '${pod.workload.node.path}': the DenyFlow names "${cidr}", which holds only part of the pods of cluster '${enforcement.clusterName}' (podCidrs ${podCidrs.map((c) => JSON.stringify(c)).join(', ')}), and the pods of workload '${other.workload.node.path}' may have addresses in it (pod addresses do not follow labels), but the flow admits them by namespace and labels whatever their addresses: cluster '${enforcement.clusterName}' has no ClusterNetworkPolicy (KubernetesEnforcement clusterNetworkPolicy: false) and NetworkPolicy cannot deny. ${fix}`);
      }
    }
  }

  /**
   * The rest of {@link planDenyFallback} at workload `pod` when the DenyFlow's own side at `end`
   * (`denyOwn`) is a CIDR (`cidrs`) holding part of the cluster's pod CIDRs and its other side
   * holds hosts known only by their addresses (`addressOnly`), which enforce nothing. With the
   * whole pod CIDRs the pod lies in the DenyFlow's side and the DenyFlow is enforced at its end
   * (see denyEnforcedAt); with part of them the shared model puts it outside, yet its pods may have
   * addresses inside. Neither NetworkPolicy nor ClusterNetworkPolicy (whose subjects and ingress
   * peers are pods by namespace and labels) can deny just the pods inside the CIDR, so a flow of
   * `own` between the pod and such a host on the DenyFlow's ports fails synthesis, with or without
   * ClusterNetworkPolicy, unless a GuardrailAllow grants the traffic.
   */
  private planPartialPodCidrSideFallback(
    plan: Plan, deny: DenyFlow, pod: PodPolicy, end: TrafficEnd, own: readonly ResolvedFlow[],
    denyOwn: ResolvedSide<Workload>, cidrs: readonly string[], addressOnly: ReadonlyArray<Atom<Workload>>, denied: readonly PortSpec[],
  ): void {
    const enforcement = pod.cluster.enforcement;
    const podCidrs = enforcement.podCidrs;
    if (podCidrs.length === 0 || podCidrs.some((c) => Token.isUnresolved(c))) return;
    // pods with addresses of their own are judged by them (planDenyFallback)
    if (!podCidrs.every((c) => pod.workload.sharedAddressCidrs.includes(c))) return;
    const self: Atom<Workload> = { kind: 'workload', workload: pod.workload };
    if (sideHolds(denyOwn, self) !== 'no') return;
    const cidr = cidrs.find((c) => podsHeldBy(c, podCidrs) === 'some');
    if (cidr === undefined) return;
    const cnp = enforcement.clusterNetworkPolicy;
    const direction = end === 'source' ? 'egress' : 'ingress';
    const why = !cnp ? `cluster '${enforcement.clusterName}' has no ClusterNetworkPolicy (KubernetesEnforcement clusterNetworkPolicy: false) and NetworkPolicy cannot deny`
      : end === 'source' ? `ClusterNetworkPolicy selects the pods an Admin Deny applies to by namespace and labels, not by address, so it cannot deny the egress of just the pods inside "${cidr}", and NetworkPolicy cannot deny`
        : 'ClusterNetworkPolicy cannot deny traffic from addresses at ingress (its ingress peers are namespaces and pods) and NetworkPolicy cannot deny';
    const fix = end === 'source'
      ? `${cnp ? 'Give' : 'Turn on clusterNetworkPolicy and give'} the DenyFlow the cluster's whole pod CIDRs if it means every pod, or name the pods by their workloads or segments instead of by address (${cnp ? 'an' : 'its'} Admin Deny then denies their egress); give it a CIDR outside the pod CIDRs if the hosts it means are not pods; otherwise remove the flow or narrow its ports or endpoints, or ask the platform team for a GuardrailAllow that grants it.`
      : `Remove the flow or narrow its ports or endpoints, give the DenyFlow a CIDR outside the pod CIDRs if the hosts it means are not pods${cnp ? '' : ' (ClusterNetworkPolicy cannot deny traffic from addresses at ingress either)'}, or ask the platform team for a GuardrailAllow that grants it.`;
    for (const other of addressOnly) {
      const [source, destination] = end === 'source' ? [self, other] : [other, self];
      const at = own.filter((f) => flowRenderedAt(f.from, f.to, source, destination, end) === 'yes');
      for (const f of at.filter((x) => !x.grant)) {
        const common = commonPorts(f.ports, denied);
        if (common.length === 0) continue;
        if (common.every((spec) => at.some((g) => g.grant && g.ports.some((p) => coversSpec(p, spec))))) continue;
        this.addProblem(plan, deny, `is overridden by AllowFlow '${f.flow.node.path}', which allows ${common.map(portKey).join(', ')} from ${atomName(source)} to ${atomName(destination)} at workload '${pod.workload.node.path}': the DenyFlow names "${cidr}", which holds only part of the pods of cluster '${enforcement.clusterName}' (podCidrs ${podCidrs.map((c) => JSON.stringify(c)).join(', ')}), and the pods of workload '${pod.workload.node.path}' may have addresses in it (pod addresses do not follow labels), but the flow's ${direction} rule selects them by namespace and labels whatever their addresses: ${why}. ${fix}`);
      }
    }
  }

  /**
   * The flows' sides as the NetworkPolicy and ClusterNetworkPolicy rules of `cluster` name them: an
   * application flow names the workloads of other platforms and other clusters by their addresses,
   * shared ranges included (another cluster's pod CIDRs, a Lambda's subnets), as `ipBlock`s and
   * networks that hold every host of those ranges. A grant is held to its sides.
   */
  private asRenderedIn<F extends { readonly from: ResolvedSide<Workload>; readonly to: ResolvedSide<Workload>; readonly grant: boolean }>(
    cluster: ClusterState, flows: readonly F[],
  ): F[] {
    const sides = new Map<ResolvedSide<Workload>, ResolvedSide<Workload>>();
    const rendered = (side: ResolvedSide<Workload>) => {
      let out = sides.get(side);
      if (!out) {
        out = sideAsRendered(side, (workload) => !cluster.pods.has(workload));
        sides.set(side, out);
      }
      return out;
    };
    return flows.map((f) => (f.grant ? f : { ...f, from: rendered(f.from), to: rendered(f.to) }));
  }

  /**
   * What NetworkPolicy alone must guarantee of a DenyFlow against the DNS allowance (`allowDns`): in
   * a cluster without ClusterNetworkPolicy, `microseg-allow-dns` lets every pod of a managed
   * namespace reach the DNS resolver on UDP and TCP 53, and nothing can deny it. A DenyFlow enforced
   * at pods' egress (they are members of its source side) whose destination holds the resolver
   * fails synthesis on those ports, unless a GuardrailAllow from the pods grants them. With
   * ClusterNetworkPolicy its Admin Deny wins over the allowance, like over any allow.
   */
  private planDnsFallback(plan: Plan, deny: DenyFlow, flows: AllowFlow[]): void {
    const denied = deny.ports.map((p) => p._toSpec());
    const dnsDenied = DNS_PORTS.filter((spec) => denied.some((d) => coversSpec(d, spec)));
    if (dnsDenied.length === 0) return;
    const grants = flows.filter((f) => GuardrailAllow.isGuardrailFlow(f));
    for (const pod of this.podsOf(deny.fromSegment)) {
      const enforcement = pod.cluster.enforcement;
      if (enforcement.clusterNetworkPolicy || !enforcement.allowDns || !this.holdsDnsResolver(deny.to, pod.cluster)) continue;
      const granting = grants.filter((g) => this.podsOf(g.fromSegment).includes(pod) && this.holdsDnsResolver(g.to, pod.cluster));
      const open = dnsDenied.filter((spec) => !granting.some((g) => g.ports.some((p) => coversSpec(p._toSpec(), spec))));
      if (open.length === 0) continue;
      const resolver = resolverPods(enforcement);
      this.addProblem(plan, deny, `is overridden by the DNS allowance of KubernetesEnforcement '${enforcement.node.path}' (allowDns): NetworkPolicy "${DNS_POLICY_NAME}" in namespace "${pod.podSet.namespace}" lets the pods of workload '${pod.workload.node.path}' reach the DNS resolver (${resolver}) on ${open.map(portKey).join(', ')}, and cluster '${enforcement.clusterName}' has no ClusterNetworkPolicy (clusterNetworkPolicy: false) while NetworkPolicy cannot deny. Set allowDns: false on the enforcement (and declare the DNS flows the other workloads need), leave DNS out of the DenyFlow (its ports or destination), or ask the platform team for a GuardrailAllow that grants these pods DNS.`);
    }
  }

  /**
   * What NetworkPolicy alone must guarantee of a DenyFlow against the resolver's own policy
   * (`microseg-dns-resolver`, in a managed DNS namespace): it takes DNS queries from every address
   * and lets the resolver reach every address, and no NetworkPolicy can deny either. A DenyFlow of
   * DNS into the resolver from addresses (anywhere, a CIDR, hosts outside the cluster) fails
   * synthesis, as ClusterNetworkPolicy cannot name addresses at ingress; without ClusterNetworkPolicy
   * so does a DenyFlow enforced at the resolver's egress (its pods a member of the source side, or
   * in an open source side towards hosts known only by their addresses). The pods' own queries are
   * `planDnsFallback`'s.
   */
  private planDnsResolverFallback(plan: Plan, deny: DenyFlow): void {
    const policy = ResolvedPolicy.of(this.registry);
    const from = policy.semanticSide(deny.from);
    const fromAddresses = from.any || from.atoms.some((atom) => atom.kind !== 'workload' || atom.workload.platform !== Platform.KUBERNETES);
    const dnsDenied = DNS_PORTS.filter((spec) => deny.ports.some((p) => coversSpec(p._toSpec(), spec)));
    for (const cluster of [...this.clusters.values()]) {
      const enforcement = cluster.enforcement;
      if (!enforcement.allowDns || !cluster.namespaces.has(enforcement.dnsNamespace)) continue;
      const resolver = `NetworkPolicy "${DNS_RESOLVER_POLICY_NAME}" of KubernetesEnforcement '${enforcement.node.path}' (allowDns), which lets the DNS resolver (${resolverPods(enforcement)})`;
      const fix = 'Leave the resolver (or DNS) out of the DenyFlow, or set allowDns: false on the enforcement and declare the flows the resolver and the pods need.';
      if (dnsDenied.length > 0 && fromAddresses && this.holdsDnsResolver(deny.to, cluster)) {
        const why = enforcement.clusterNetworkPolicy ? 'ClusterNetworkPolicy cannot deny traffic from addresses at ingress' : `cluster '${enforcement.clusterName}' has no ClusterNetworkPolicy`;
        this.addProblem(plan, deny, `is overridden by ${resolver} take ${dnsDenied.map(portKey).join(', ')} from any address: ${why} and NetworkPolicy cannot deny. ${fix}`);
      }
      if (enforcement.clusterNetworkPolicy) continue;
      const members = this.podsOf(deny.fromSegment).some((pod) => pod.cluster === cluster && this.isDnsResolver(pod));
      const open = this.openEgressDenies().some((o) => o.deny === deny)
        && [...cluster.pods.values()].some((pod) => this.isDnsResolver(pod) && this.inOpenSource(deny, pod));
      if (members || open) {
        this.addProblem(plan, deny, `is overridden by ${resolver} reach every address: cluster '${enforcement.clusterName}' has no ClusterNetworkPolicy (clusterNetworkPolicy: false) and NetworkPolicy cannot deny. ${fix}`);
      }
    }
  }

  /** Whether a workload's pods are the DNS resolver's of its cluster. */
  private isDnsResolver(pod: PodPolicy): boolean {
    const enforcement = pod.cluster.enforcement;
    return pod.podSet.namespace === enforcement.dnsNamespace
      && (selects(pod.podSet.selector, enforcement.dnsPodLabels) || selects(enforcement.dnsPodLabels, pod.podSet.labels));
  }

  /**
   * Whether a flow's or guardrail's destination holds the DNS resolver of `cluster`: anywhere, a CIDR
   * that holds (some of) its pods, or a workload of the cluster whose pods are the resolver's.
   */
  private holdsDnsResolver(endpoint: IFlowEndpoint | undefined, cluster: ClusterState): boolean {
    if (endpoint === undefined) return true;
    const enforcement = cluster.enforcement;
    if (endpoint instanceof Peer) return endpoint.isCidr && podsHeldBy(endpoint.value, enforcement.podCidrs) !== 'none';
    const segment = Segment.isSegment(endpoint) ? endpoint : Workload.isWorkload(endpoint) ? endpoint._asSegment() : undefined;
    return (segment ? this.registry.membersOf(segment) : []).some((member) => {
      const pods = cluster.pods.get(member)?.podSet;
      return pods !== undefined && pods.namespace === enforcement.dnsNamespace
        && (selects(pods.selector, enforcement.dnsPodLabels) || selects(enforcement.dnsPodLabels, pods.labels));
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Validation
  // ---------------------------------------------------------------------------------------------

  private problemsOf(owner: AllowFlow | DenyFlow, kind: string): string[] {
    if (this.clusters.size === 0) return [];
    return [...(this.plan().problems.get(owner.node.path) ?? [])].map((p) => `${kind} '${owner.node.path}' ${p}`);
  }

  private clusterProblems(cluster: ClusterState): string[] {
    const plan = this.plan();
    const problems: string[] = [];
    for (const [key, manifest] of [...cluster.clusterPolicies.entries()].sort((a, b) => compare(a[0], b[0]))) {
      const found = clusterPolicyLimitProblems(plan.clusterIngress.get(key) ?? [], plan.clusterEgress.get(key) ?? []);
      for (const problem of found) problems.push(`KubernetesEnforcement '${cluster.enforcement.node.path}': ClusterNetworkPolicy '${manifest.node.path}' ${problem}`);
    }
    return problems;
  }

  /** A workload whose NetworkPolicy would also select another workload's pods would lend them its rules. */
  private overlapProblems(pod: PodPolicy): string[] {
    const problems: string[] = [];
    for (const other of pod.cluster.pods.values()) {
      if (other === pod || other.podSet.namespace !== pod.podSet.namespace) continue;
      if (!selects(pod.podSet.selector, other.podSet.labels)) continue;
      const selector = Object.entries(pod.podSet.selector).map(([k, v]) => `${k}=${v}`).join(',');
      problems.push(`Workload '${pod.workload.node.path}' selects its pods by {${selector}}, which the pods of workload '${other.workload.node.path}' in namespace "${pod.podSet.namespace}" carry too: its NetworkPolicy would allow them its flows. Give the pods a label that tells them apart (for example app.kubernetes.io/name), and select by it.`);
    }
    return problems;
  }

  // ---------------------------------------------------------------------------------------------
  // Lookups
  // ---------------------------------------------------------------------------------------------

  private podPolicyOf(workload: Workload): PodPolicy | undefined {
    if (workload.platform !== Platform.KUBERNETES) return undefined;
    const enforcement = KubernetesEnforcement.of(workload);
    return enforcement ? this.clusters.get(enforcement)?.pods.get(workload) : undefined;
  }

  /** The pod policies of the members of the segments, each once, in member order. */
  private podsOf(...segments: Array<Segment | undefined>): PodPolicy[] {
    const out: PodPolicy[] = [];
    for (const segment of segments) {
      for (const member of segment ? this.registry.membersOf(segment) : []) {
        const pod = this.podPolicyOf(member);
        if (pod && !out.includes(pod)) out.push(pod);
      }
    }
    return out;
  }
}

/** The label the enforcement adds to a workload's pods when it labels them (`labelPods`). */
export const WORKLOAD_LABEL = 'microseg.cdktf.io/workload';

/**
 * Adds {@link WORKLOAD_LABEL} to the pod template (a Pod: its metadata) of a bound resource and
 * selects the pods by it alone.
 */
function labelPods(workload: Workload, podSet: PodSet): PodSet {
  const value = kubernetesName('w', workload.identity);
  const labels = { ...podSet.labels, [WORKLOAD_LABEL]: value };
  const resource = workload.resource as any;
  if (workload.resource!.terraformResourceType === 'kubernetes_pod_v1') {
    resource.putMetadata({ ...resource.metadataInput, labels });
  } else {
    const spec = resource.specInput;
    resource.putSpec({ ...spec, template: { ...spec.template, metadata: { ...spec.template.metadata, labels } } });
  }
  return { namespace: podSet.namespace, labels, selector: { [WORKLOAD_LABEL]: value } };
}

/** The annotation naming the flow of each rule: `microseg.cdktf.io/ingress-0` to the flow's construct path. */
function ruleAnnotations(plan: Plan, pod: PodPolicy): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [direction, map] of [['ingress', plan.ingress], ['egress', plan.egress]] as const) {
    (map.get(pod) ?? []).forEach((rule, index) => { out[`${RULE_ANNOTATION_PREFIX}${direction}-${index}`] = rule.flow.node.path; });
  }
  return out;
}

/** A ClusterNetworkPolicy `pods` peer: the pods carrying `selector` in `namespace`. */
function clusterPodsPeer(pods: { readonly namespace: string; readonly selector: Readonly<Record<string, string>> }): Record<string, unknown> {
  const namespaceSelector = { matchLabels: { [NAMESPACE_NAME_LABEL]: pods.namespace } };
  return { pods: { namespaceSelector, podSelector: { matchLabels: { ...pods.selector } } } };
}

function exceptKey(flow: AllowFlow, workload: Workload, end: TrafficEnd, cidr: string): string {
  return `${flow.node.path}|${workload.node.path}|${end}|${cidr}`;
}

/** The DNS resolver's pods as messages name them (`pods {k8s-app=kube-dns} in namespace "kube-system"`). */
function resolverPods(enforcement: KubernetesEnforcement): string {
  return `pods {${Object.entries(enforcement.dnsPodLabels).map(([k, v]) => `${k}=${v}`).join(',')}} in namespace "${enforcement.dnsNamespace}"`;
}

function uniqueAtoms(atoms: Array<Atom<Workload>>): Array<Atom<Workload>> {
  const seen = new Set<unknown>();
  return atoms.filter((atom) => {
    const key = atom.kind === 'workload' ? atom.workload : atom.kind === 'cidr' ? `cidr:${atom.cidr}` : `peer:${atom.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The literal CIDRs (`Peer.ipv4`, `Peer.ipv6`) a side names. */
function literalCidrsOf(side: ResolvedSide<Workload>): string[] {
  return side.atoms.flatMap((atom) => (atom.kind === 'cidr' && !Token.isUnresolved(atom.cidr) && familyOf(atom.cidr) ? [atom.cidr] : []));
}

function cidrWithin(outer: string, inner: string): boolean {
  if (Token.isUnresolved(outer) || Token.isUnresolved(inner) || familyOf(outer) !== familyOf(inner)) return false;
  try {
    return cidrContains(outer, inner);
  } catch {
    return false;
  }
}
