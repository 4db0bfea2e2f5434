import { ApplicationSecurityGroup } from '@cdktf/provider-azurerm/lib/application-security-group';
import { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule';
import { TerraformResource, TerraformStack, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { DenyFlow } from '../deny-flow';
import { GuardrailAllow } from '../guardrail-allow';
import { Inventory } from '../inventory';
import { PeerKind } from '../peer';
import { Platform } from '../platform';
import { AsgMembership } from './asg-membership';
import { boundKind, boundSubnets, describeBound } from './bound-resource';
import { NSG_CAPABILITIES } from './capabilities';
import { isValidDenyPriority } from './deny-priority';
import { AzureEnforcement } from './enforcement';
import { ipv6AddressesOf, isIpv6Literal, literalNicAddresses } from './ipv6-members';
import { AzureNsg, azureName, createNsg, nsgsOf } from './nsg';
import { AZURE_ASGS_PER_NIC, AZURE_NSG_LIMITS, nsgQuotaFindings } from './nsg-quota';
import { AzureProtocol, SideFields, addressSide, azureProtocol, destinationFields, portFields, protocolName, sourceFields } from './nsg-rule-fields';
import { otherRegionProblems } from './one-region';
import { twoVnetProblems } from './one-vnet';
import { AZURE_APPLICATION_FIRST, AZURE_GUARDRAIL_ALLOW, AZURE_GUARDRAIL_DENY } from './priority-bands';
import { PrioritySlots, prioritySlots } from './priority-slots';
import { subnetElementOf } from './subnet-vnet';
import { inexpressiblePorts, inexpressibleSide, unaddressedMemberProblem } from '../model/capabilities';
import { cidrContainsValid, familyOf, isHostCidr } from '../model/cidr';
import { peerOf } from '../model/policy-side';
import { coversSpec, intersectPortLists, mergePortSpecs, PortSpec, portKey, travelsOver } from '../model/ports';
import { membersSeenFrom } from '../model/remote-members';
import { addressFamilyOf } from '../private/address-family';
import { bulkResource } from '../private/bulk-resource';
import { azureRuleDescription, mergedDescription } from '../private/description';
import { digest, idFromKey, pathKey } from '../private/identity';
import { appendTo } from '../private/multimap';
import { byPath } from '../private/path-of';
import { tagValue } from '../private/tag-value';
import { terraformText } from '../private/terraform-text';
import { writeProvenance } from '../provenance/resource-comments';
import { PolicyRegistry, PlatformRenderer, compare, stackOf } from '../registry';
import { addressOnlyHostsOf, addressOnlyHostsOfApp } from '../render/address-only-hosts';
import { Allocations } from '../render/allocations';
import { warnOnce } from '../render/app-wide-validation';
import { dependOnAllows, exceptionsOf } from '../render/apply-order';
import { addressAdvice } from '../render/cross-platform-addresses';
import { FlowBucket, FlowBuckets } from '../render/flow-buckets';
import { FlowProblems, RenderedFlow } from '../render/flow-problems';
import { openSideDenies } from '../render/guardrail-sides';
import { PendingWorkloads } from '../render/pending-workloads';
import { readOnce } from '../render/read-once';
import { ResolvedPolicy, Side } from '../render/resolve-policy';
import { rulesContainer } from '../render/rules-container';
import { SegmentFlows } from '../render/segment-flows';
import { recordInventory } from '../render/workload-inventory';
import { Segment } from '../segment';
import { Workload } from '../workload';

/** The lowest priority an application allow rule takes (100-199 is the guardrail band). */
const MIN_PRIORITY = AZURE_APPLICATION_FIRST;

/** A flow the renderer turns into rules: an application or guardrail allow, or a guardrail deny. */
type AnyFlow = RenderedFlow;

/** Which band a rule takes: application allows, guardrail allows, guardrail denies. */
type Tier = 'app' | 'guardrail-allow' | 'guardrail-deny';

function tierOf(flow: AnyFlow): Tier {
  if (DenyFlow.isDenyFlow(flow)) return 'guardrail-deny';
  return GuardrailAllow.isGuardrailFlow(flow) ? 'guardrail-allow' : 'app';
}

/** An application security group rendered for one segment in one enforcement (VNet). */
interface AzureAsg {
  readonly segment: Segment;
  readonly enforcement: AzureEnforcement;
  readonly resource: ApplicationSecurityGroup;
  /** The ASG's `id` reference, read once. */
  readonly idRef: string;
  /** Identity: segment identity and enforcement path. */
  readonly key: string;
}

/**
 * The remote side of a rule as Azure names it: an ASG of the same VNet, the IPv6 addresses of the
 * members of such an ASG (which never matches IPv6 traffic itself), one address prefix (a peer the
 * flow names, `*`), or the addresses of a segment's members outside the VNet. The key names the
 * side by identity, never by an address that may be edited: a flow's peer by the flow, members'
 * addresses by their segment and family, so an edited CIDR or a new member updates the rule in place.
 */
type RemoteRef =
  | { readonly kind: 'asg'; readonly key: string; readonly asg: AzureAsg }
  | { readonly kind: 'ipv6-members'; readonly key: string; readonly asg: AzureAsg }
  | {
    /** An existing ASG a flow names by id (`Peer.azureApplicationSecurityGroup`). */
    readonly kind: 'external-asg';
    readonly key: string;
    readonly value: string;
  }
  | {
    readonly kind: 'prefix';
    readonly key: string;
    readonly value: string;
    /**
     * Set when the prefix is IPv6 though its text does not say so: `*` standing for IPv6 traffic only
     * (a DenyFlow's IPv6 rule towards anywhere), or `Peer.ipv6()` of a Terraform expression.
     */
    readonly ipv6?: boolean;
  }
  | {
    readonly kind: 'addresses';
    readonly key: string;
    /** The addresses, sorted by member and position, without duplicates. */
    readonly values: readonly string[];
    readonly ipv6: boolean;
    /** Set when the addresses are members' rather than peers the flow names. */
    readonly memberAddress: boolean;
  };

type Direction = 'Inbound' | 'Outbound';

/**
 * The managed end of a rule: a segment's ASG or, for a DenyFlow enforced at every workload of the
 * enforcement (see openSideDenies), the address prefix of the DenyFlow's open side (`*` for anywhere).
 */
interface LocalEnd {
  readonly enforcement: AzureEnforcement;
  /** Identity inside the enforcement: the segment's identity, `open:<DenyFlow identity>`, or `hosts:<segment identity>` (`hosts6:` for IPv6). */
  readonly path: string;
  /** The ASG, when the end is a segment's. */
  readonly asg?: AzureAsg;
  /** The address prefix, when the end is every workload in it. */
  readonly prefix?: string;
  /** The addresses of a segment's hosts known only by their addresses, when the end is those hosts (one family). */
  readonly prefixes?: string[];
}

/**
 * The address prefixes of an enforcement's subnets, when synthesis can read every one of them (each
 * id refers to an `azurerm_subnet` resource of its stack with literal `address_prefixes`).
 */
/**
 * A host known only by its addresses whose address is a range inside the enforcement's subnets that
 * holds a NIC the enforcement manages: the NSG rules that name the range (its allows, at exactly its
 * addresses) would match that NIC too, in flows no segment of the NIC declares.
 */
function hostRangeProblems(registry: PolicyRegistry, enforcement: AzureEnforcement, managed: readonly Workload[]): string[] {
  const prefixes = subnetPrefixesOf(enforcement);
  if (!prefixes || managed.length === 0) return [];
  const problems: string[] = [];
  for (const host of registry.workloads) {
    if (host.platform !== Platform.EXTERNAL) continue;
    for (const range of host.addressCidrs) {
      if (Token.isUnresolved(range) || isHostCidr(range) || !prefixes.some((prefix) => cidrContainsValid(prefix, range))) continue;
      for (const nic of managed) {
        const inside = literalNicAddresses(nic).find((address) => cidrContainsValid(range, address));
        if (inside === undefined) continue;
        problems.push(`Workload '${host.node.path}' address "${range}" lies in a subnet of AzureEnforcement '${enforcement.node.path}' and holds workload '${nic.node.path}' (${inside}), whose NIC that NSG manages: the rules that admit the range would admit that NIC too. Give the hosts' own addresses instead of the range, or move them to a subnet of their own.`);
        break;
      }
    }
  }
  return problems;
}

function subnetPrefixesOf(enforcement: AzureEnforcement): string[] | undefined {
  const stack = stackOf(enforcement);
  const out: string[] = [];
  for (const id of enforcement.subnetIds) {
    const subnet = subnetElementOf(stack, id);
    const prefixes = subnet instanceof TerraformResource ? (subnet as { addressPrefixesInput?: string[] }).addressPrefixesInput : undefined;
    if (prefixes === undefined || Token.isUnresolved(prefixes) || prefixes.some((prefix) => Token.isUnresolved(prefix))) return undefined;
    out.push(...prefixes);
  }
  return out;
}

function asgEnd(asg: AzureAsg): LocalEnd {
  return { enforcement: asg.enforcement, path: asg.segment.identity, asg };
}

/**
 * The identity of a flow for the rules that belong to it alone (those naming a peer it names): its
 * `stableId`, else, for a flow declared through a segment's helper (`allowFrom`, ...), the
 * segment's identity and the flow's id, so renaming the segment (same `stableId`) keeps its rules;
 * else its construct path.
 */
function flowIdentity(flow: AnyFlow): string {
  const scope = flow.node.scope;
  if (flow.identity === flow.node.path && scope && Segment.isSegment(scope)) return `${scope.identity}/${flow.node.id}`;
  return flow.identity;
}

/** The last readable component of an identity (`shop/Web` to `Web`; a workload's own segment by the workload). */
function shortName(identity: string): string {
  const parts = identity.split('/').filter((part) => part.length > 0);
  const last = parts[parts.length - 1] ?? identity;
  return last === 'Self' && parts.length > 1 ? parts[parts.length - 2] : last;
}

/** What identifies a bucket: enforcement, direction, local end, remote side and band. */
interface BucketDefinition {
  readonly key: string;
  readonly direction: Direction;
  readonly local: LocalEnd;
  readonly remote: RemoteRef;
  /** The band of the bucket's rules. */
  readonly tier: Tier;
  /**
   * Whether the remote side is IPv6, so the local side is named by its members' IPv6 addresses
   * (ASGs hold IPv4 ip-configurations only and would never match).
   */
  readonly ipv6: boolean;
}

/**
 * All rules of one enforcement, direction, local end and remote side. Its flows' ports merge into
 * one rule per declaring stack and protocol, named from the bucket's identity (never from the
 * ports), so adding, removing or editing a port updates that rule in place.
 */
interface Bucket extends FlowBucket<AnyFlow> {
  /** The latest definition: the remote addresses follow the members of the remote segment. */
  definition: BucketDefinition;
  /** The rule definitions of the bucket by key. */
  readonly defs: Map<string, RuleDef>;
  /** When the bucket was created, counted from the renderer's first bucket. */
  readonly created: number;
}

/** One rule: a bucket's ports of one protocol for the flows of one stack, rendered in every NSG of its enforcement. */
interface RuleDef {
  /**
   * Identity of the rule inside its enforcement, also its priority key: band, direction, local
   * end, remote side, protocol and declaring stack. Never ports, addresses or descriptions.
   */
  readonly key: string;
  readonly bucket: Bucket;
  /** The stack whose flows the rule serves, and whose state holds it. */
  readonly stack: TerraformStack;
  readonly protocol: AzureProtocol;
  /** The merged ports of the flows. */
  specs: PortSpec[];
  /** The flows it serves, by construct path. */
  flows: AnyFlow[];
  readonly rendered: Map<string, { container: Construct; resource: NetworkSecurityRule }>;
}

/** What the renderer keeps per enforcement. */
interface EnforcementState {
  readonly enforcement: AzureEnforcement;
  readonly defs: Map<string, RuleDef>;
  allocation?: Record<Direction, Record<Tier, PrioritySlots>>;
  /** The allocation whose priorities the rendered rules carry. */
  numberedBy?: Record<Direction, Record<Tier, PrioritySlots>>;
}

/**
 * Renders the policy of Azure workloads as application security groups (one per segment with Azure
 * members per enforcement) and `azurerm_network_security_rule` resources in the enforcement's NSGs.
 *
 * Which NSGs get a rule: every NSG of the enforcement. A rule names the segments' ASGs, so it only
 * ever matches traffic of member NICs; in a subnet NSG it covers every member NIC of the subnet, in
 * a NIC NSG it is inert unless the NIC is a member. Putting each rule into every NSG is therefore
 * exactly as permissive as the intent, needs no knowledge of which subnet a NIC sits in (often only
 * known at apply), and keeps every NSG of the enforcement identical. The price is rule count
 * (rules x NSGs resources), checked against the per-NSG quota at synth.
 *
 * Stateful: the source side gets an Outbound rule, the destination side an Inbound rule, and no
 * return rules.
 *
 * Safe change: a rule's construct id and name derive from its identity (band, direction, the two
 * sides by segment or flow identity, protocol, declaring stack), never from ports, addresses or
 * descriptions, which are fields updated in place; priorities come from the persisted allocation.
 * A flow declared in several stacks has a copy of its rules in each (see lib/azure/README.md).
 */
export class NsgRenderer implements PlatformRenderer {
  private readonly asgs = new Map<Segment, Map<AzureEnforcement, AzureAsg>>();
  private readonly states = new Map<AzureEnforcement, EnforcementState>();
  private readonly flowsBySegment = new SegmentFlows<AnyFlow>();
  private readonly bucketsByKey = new Map<string, Bucket>();
  /**
   * The buckets that may name a segment's members by their IPv6 addresses (as their local or their
   * remote side), by segment: a new member updates those, and only those, whatever the size of the
   * app. A bucket is filed under every segment any of its definitions named; the reader checks the
   * current one.
   */
  private readonly ipv6BucketsBySegment = new Map<Segment, Set<Bucket>>();
  private readonly buckets = new FlowBuckets<AnyFlow, BucketDefinition, Bucket>({
    create: (definition) => {
      const bucket: Bucket = { key: definition.key, definition, byFlow: new Map(), defs: new Map(), created: this.bucketsByKey.size };
      this.bucketsByKey.set(definition.key, bucket);
      this.fileIpv6Bucket(bucket);
      return bucket;
    },
    reconcile: (bucket) => this.reconcile(bucket),
  });
  private readonly pending: PendingWorkloads<AzureEnforcement>;
  private readonly problems = new FlowProblems();
  private readonly enforcements = new Set<AzureEnforcement>();
  private readonly attached = new Map<Workload, AzureAsg[]>();
  private readonly enrolled = new Map<AzureEnforcement, Workload[]>();
  private readonly ipv6Checked = new WeakSet<AnyFlow>();
  private readonly denies: DenyFlow[] = [];
  private readonly membership = new AsgMembership();
  /** Rules whose fields changed since the renderer last finished: rendered (again) in every NSG of their enforcement. */
  private readonly changed = new Set<RuleDef>();
  /** NSGs created since the renderer last finished: every rule of their enforcement is rendered in them. */
  private readonly newNsgs: AzureNsg[] = [];
  /** Workloads that joined an ASG since the renderer last finished, in order: their memberships are written then. */
  private readonly joins: Array<{ readonly workload: Workload; readonly asg: AzureAsg }> = [];

  public constructor(private readonly registry: PolicyRegistry) {
    this.pending = new PendingWorkloads(registry, {
      enforcementOf: (scope) => AzureEnforcement.of(scope),
      missing: (workload) => `Workload '${workload.node.path}' is bound to Azure ${describeBound(workload)} but stack '${stackOf(workload).node.path}' has no AzureEnforcement. Add new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, subnetIds: [subnet.id] }) to that stack.`,
    });
  }

  public onWorkload(workload: Workload): void {
    if (workload.platform !== Platform.AZURE) return;
    recordInventory(workload);
    const enforcement = this.pending.enforcementOf(workload);
    if (enforcement) this.enroll(workload, enforcement);
  }

  public onEnforcement(stack: TerraformStack): void {
    const enforcement = AzureEnforcement.of(stack);
    if (!enforcement || this.enforcements.has(enforcement)) return; // another platform's enforcement, or seen
    this.enforcements.add(enforcement);
    this.stateOf(enforcement);
    this.watchQuotas(enforcement);
    enforcement.node.addValidation({ validate: () => this.warnRulesMovingStack(enforcement) });
    enforcement.node.addValidation({ validate: () => this.warnProtocolWindows(enforcement) });
    enforcement.node.addValidation({ validate: () => twoVnetProblems(enforcement, this.enrolled.get(enforcement) ?? []) });
    enforcement.node.addValidation({ validate: () => otherRegionProblems(enforcement, this.enrolled.get(enforcement) ?? []) });
    enforcement.node.addValidation({ validate: () => hostRangeProblems(this.registry, enforcement, this.enrolled.get(enforcement) ?? []) });
    this.pending.release(stack, (workload) => this.enroll(workload, enforcement), this);
    // a DenyFlow enforced at every workload (openSideDenies) also covers the new enforcement
    for (const deny of this.denies) this.renderFlow(deny);
  }

  public onMembership(workload: Workload, segment: Segment): void {
    let created = false;
    if (workload.platform === Platform.AZURE) {
      const enforcement = AzureEnforcement.of(workload);
      if (!enforcement) return; // rendered once the stack's enforcement is declared
      created = !this.asgs.get(segment)?.has(enforcement);
      const asg = this.ensureAsg(segment, enforcement);
      this.attach(workload, asg);
    }
    // A new member can change the remote side of the segment's rules in every enforcement (a new
    // ASG, or the addresses of members outside the VNet), so the segment's flows are recomputed;
    // rules keep their identity and only their fields change. While the registry replays, every
    // member is known to the flows' first rendering: only a new ASG changes them.
    if (created || !this.registry.replaying) for (const flow of this.flowsBySegment.of(segment)) this.renderFlow(flow);
    // ... and the IPv6 addresses that stand for the segment's members
    const named = [...(this.ipv6BucketsBySegment.get(segment) ?? [])].sort((a, b) => a.created - b.created);
    for (const bucket of named) {
      if (ipv6MembersOf(bucket.definition).includes(segment)) this.reconcile(bucket);
    }
  }

  /** Files a bucket under the segments whose members' IPv6 addresses its definition names. */
  private fileIpv6Bucket(bucket: Bucket): void {
    for (const segment of ipv6MembersOf(bucket.definition)) {
      const filed = this.ipv6BucketsBySegment.get(segment) ?? new Set<Bucket>();
      filed.add(bucket);
      this.ipv6BucketsBySegment.set(segment, filed);
    }
  }

  public onDenyFlow(deny: DenyFlow): void {
    this.denies.push(deny);
    this.onFlow(deny);
  }

  public onFlow(flow: AnyFlow): void {
    this.flowsBySegment.add(flow);
    this.renderFlow(flow);
  }

  /** Gives a workload of an enforcement its NIC NSG (if asked for and its type has one) and its checks. */
  private enroll(workload: Workload, enforcement: AzureEnforcement): void {
    appendTo(this.enrolled, enforcement, workload);
    this.watchNicQuota(workload);
    if (boundKind(workload) === 'private-endpoint') workload.node.addValidation({ validate: () => privateEndpointPolicyProblems(workload) });
    const kind = boundKind(workload);
    if (!enforcement.nicNsgs || kind === 'private-endpoint' || kind === 'node-pool') {
      // only a subnet NSG can filter a private endpoint or a node pool
      workload.node.addValidation({ validate: () => uncoveredNicProblems(workload, enforcement) });
      return;
    }
    const identity = workload.identity;
    const key = `${enforcement.node.path}#nic:${identity}`;
    const id = idFromKey(`NicNsg-${pathKey(identity)}`);
    const nsg = createNsg(enforcement, id, enforcement, key, azureName('nsg', key));
    const problem = this.membership.placeNicNsg(enforcement, `${id}-Association`, workload, nsg);
    if (problem) workload.addProblem(problem);
    this.newNsgs.push(nsg);
  }

  /**
   * Writes the memberships of the workloads that joined an ASG, and creates the resources of the
   * rules that changed (and of every rule in the NSGs created) since the last time, once the
   * program is told: each rule's resource is created once, with its final ports, addresses and
   * description, and its priority from the allocation of every rule as a plain number. A later
   * declaration that changes the allocation renumbers the rules it moved.
   */
  public onRendered(): void {
    for (const { workload, asg } of this.joins.splice(0)) this.membership.join(workload, asg, this.attached.get(workload)!);
    for (const def of this.changed) {
      for (const nsg of nsgsOf(def.bucket.definition.local.enforcement)) this.renderDefIn(def, nsg);
    }
    this.changed.clear();
    for (const nsg of this.newNsgs.splice(0)) {
      for (const def of [...this.stateOf(nsg.enforcement).defs.values()].sort((a, b) => compare(a.key, b.key))) {
        if (!def.rendered.has(nsg.key)) this.renderDefIn(def, nsg);
      }
    }
    for (const state of this.states.values()) {
      if (state.defs.size === 0) continue;
      const allocation = this.allocationOf(state);
      if (state.numberedBy === allocation) continue;
      state.numberedBy = allocation;
      for (const def of state.defs.values()) {
        const { direction, tier } = def.bucket.definition;
        const priority = this.priorityOf(state, direction, tier, def.key);
        for (const { resource } of def.rendered.values()) resource.priority = priority;
      }
    }
    this.orderGuardrailDenies();
    this.orderAssociations();
  }

  /**
   * Makes each NSG's association wait for the NSG's allow rules of its stack: Terraform then puts an
   * NSG in force (on a subnet or NIC whose workloads already run) only once the rules that let their
   * flows through exist, and takes it off before it destroys them. An NSG alone denies what Azure's
   * default rules deny (inbound from outside the VNet, among others), and ours denies everything.
   */
  private orderAssociations(): void {
    for (const state of this.states.values()) {
      const allows = [...state.defs.values()].filter((def) => def.bucket.definition.tier !== 'guardrail-deny');
      for (const nsg of nsgsOf(state.enforcement)) {
        const association = nsg.association;
        if (!association) continue;
        const stack = TerraformStack.of(association);
        const rules = allows.filter((def) => def.stack === stack).flatMap((def) => def.rendered.get(nsg.key)?.resource ?? []);
        dependOnAllows(association, nsg.probeRule ? [nsg.probeRule, ...rules] : rules);
      }
    }
  }

  /**
   * Makes each guardrail-deny rule depend on the guardrail-allow rules, in the same NSG, direction
   * and stack, of the GuardrailAllows that carve exceptions from its DenyFlows. Every rule is its
   * own resource: without `depends_on` Terraform may create the deny before the allow (or destroy
   * the allow before the deny), and the excepted flow drops while the apply runs. Recomputed each
   * time the renderer finishes, so later declarations, re-rendered and removed rules count. Rules in
   * other stacks are left out (a `depends_on` across stacks would add a stack dependency; their
   * order is the order of the stacks' applies).
   */
  private orderGuardrailDenies(): void {
    const exceptions = exceptionsOf(this.registry);
    for (const state of this.states.values()) {
      const defs = [...state.defs.values()];
      const allows = defs.filter((d) => d.bucket.definition.tier === 'guardrail-allow');
      for (const def of defs) {
        if (def.bucket.definition.tier !== 'guardrail-deny') continue;
        const excepted = new Set<AnyFlow>();
        if (allows.length > 0) {
          for (const flow of def.flows) if (DenyFlow.isDenyFlow(flow)) for (const grant of exceptions(flow)) excepted.add(grant);
        }
        const before = excepted.size === 0 ? [] : allows.filter((allow) => allow.stack === def.stack
          && allow.bucket.definition.direction === def.bucket.definition.direction
          && allow.flows.some((flow) => excepted.has(flow)));
        for (const [nsgKey, { resource }] of def.rendered) {
          dependOnAllows(resource, before.flatMap((allow) => allow.rendered.get(nsgKey)?.resource ?? []));
        }
      }
    }
  }

  /** Recomputes what one flow contributes to each bucket and reconciles the buckets that changed. */
  private renderFlow(flow: AnyFlow): void {
    if (flow.problems().length > 0) return; // synthesis will fail with the flow's problems
    const wanted = new Map<string, BucketDefinition>();
    const tier = tierOf(flow);
    const add = (local: LocalEnd, direction: Direction, remote: RemoteRef) => {
      const ipv6 = remote.kind === 'ipv6-members' || (remote.kind === 'addresses' && remote.ipv6)
        || (remote.kind === 'prefix' && (remote.ipv6 === true || isIpv6Literal(remote.value)));
      // An open-side end of another family than the remote has nothing to deny.
      if (local.prefix !== undefined && local.prefix !== '*' && isIpv6Literal(local.prefix) !== ipv6) return;
      if (local.prefixes !== undefined && isIpv6Literal(local.prefixes[0]) !== ipv6) return;
      // Without local IPv6 addresses, a guardrail deny has nothing to deny (no rule of the policy
      // lets IPv6 traffic reach those members), and a remote member's IPv6 address is only one of
      // its addresses (the flow holds over IPv4); only an IPv6 peer the flow names needs them.
      const optional = tier === 'guardrail-deny' || (remote.kind === 'addresses' && remote.memberAddress);
      if (ipv6 && optional && local.asg && this.memberIpv6Addresses(local.asg).length === 0) return;
      const key = `${tier}|${local.enforcement.node.path}|${direction}|${local.path}|${remote.key}`;
      wanted.set(key, { key, direction, local, remote, tier, ipv6 });
    };
    const resolved = ResolvedPolicy.of(this.registry).flow(flow);
    const from = resolved.from.segment;
    const to = resolved.to.segment;
    for (const asg of from ? this.asgsOf(from) : []) {
      for (const remote of this.remotesOf(flow, resolved.to, asg.enforcement)) add(asgEnd(asg), 'Outbound', remote);
    }
    for (const asg of to ? this.asgsOf(to) : []) {
      for (const remote of this.remotesOf(flow, resolved.from, asg.enforcement)) add(asgEnd(asg), 'Inbound', remote);
    }
    {
      // A host known only by its addresses may sit in a subnet whose NSG the library places, which
      // would drop its traffic: the NSGs of each enforcement whose subnets hold it admit the flow at
      // exactly the host's addresses (such a rule matches no other host, wherever the NSG is). One
      // rule per family names them all, so a host joining or leaving updates it in place. That NSG
      // is the host's enforcement point, so a DenyFlow naming the host is denied there too, in the
      // guardrail band before every allow.
      const ends: Array<[Side, Side, Direction]> = [[resolved.to, resolved.from, 'Inbound'], [resolved.from, resolved.to, 'Outbound']];
      for (const [side, other, direction] of ends) {
        const hosts = side.segment ? addressOnlyHostsOf(side) : this.namedHostsInPeer(side);
        // the other end is a segment, or a peer the hosts' own segment names (a CIDR, anywhere)
        const managed = other.segment ?? side.segment;
        if (hosts.length === 0 || !managed) continue;
        const owner = side.segment ? side.segment.identity : `peer:${flowIdentity(flow)}`;
        for (const [enforcement, held] of this.enforcementsHolding(hosts, managed)) {
          const remotes = this.remotesOf(flow, other, enforcement);
          for (const ipv6 of [false, true]) {
            const prefixes = held.filter((host) => isIpv6Literal(host) === ipv6);
            if (prefixes.length === 0) continue;
            const local: LocalEnd = { enforcement, path: `hosts${ipv6 ? '6' : ''}:${owner}`, prefixes };
            for (const remote of remotes) add(local, direction, remote);
          }
        }
      }
    }
    if (!DenyFlow.isDenyFlow(flow)) {
      // a service tag (Internet, a region's Storage) holds IPv6 prefixes as well: an allow towards it
      // from an ASG, which matches IPv4 only, also names the members' IPv6 addresses when they have some
      for (const bucket of [...wanted.values()]) {
        const remote = bucket.remote;
        if (!bucket.local.asg || bucket.ipv6 || remote.kind !== 'prefix' || !isServiceTag(remote.value)) continue;
        if (this.memberIpv6Addresses(bucket.local.asg).length === 0) continue;
        add(bucket.local, bucket.direction, { kind: 'prefix', key: `${remote.key}-ipv6`, value: remote.value, ipv6: true });
      }
    }
    if (DenyFlow.isDenyFlow(flow)) {
      // ASGs hold IPv4 ip-configurations only, so a deny whose local side is an ASG also gets an IPv6
      // rule naming the local members' IPv6 addresses (add() skips it when they have none): towards
      // another segment, it names that segment's members' IPv6 addresses (address lists that follow
      // the members, see onMembership); towards anywhere, `*`
      for (const bucket of [...wanted.values()]) {
        if (!bucket.local.asg || bucket.ipv6) continue;
        const remote = bucket.remote;
        if (remote.kind === 'asg' && this.memberIpv6Addresses(remote.asg).length > 0) {
          add(bucket.local, bucket.direction, { kind: 'ipv6-members', key: `ipv6-members:${remote.asg.segment.identity}`, asg: remote.asg });
        } else if (remote.kind === 'prefix' && remote.value === '*') {
          add(bucket.local, bucket.direction, { kind: 'prefix', key: 'any-ipv6:*', value: '*', ipv6: true });
        } else if (remote.kind === 'prefix' && isServiceTag(remote.value)) {
          // a service tag (Internet, a region's Storage) holds IPv6 prefixes as well
          add(bucket.local, bucket.direction, { kind: 'prefix', key: `${remote.key}-ipv6`, value: remote.value, ipv6: true });
        }
      }
      // address-only members against an open side: denied at every workload of each enforcement
      for (const open of openSideDenies(this.registry, flow)) {
        const prefix = open.open ?? '*';
        for (const enforcement of [...this.enforcements].sort(byPath)) {
          const local: LocalEnd = { enforcement, path: `open:${flowIdentity(flow)}`, prefix };
          for (const remote of addressRemotes('external', open.addresses, false, enforcement)) add(local, open.direction === 'inbound' ? 'Inbound' : 'Outbound', remote);
        }
      }
    }
    const specs = [...resolved.ports];
    if (wanted.size > 0) {
      const inexpressible = inexpressiblePorts(specs, NSG_CAPABILITIES);
      if (inexpressible) {
        this.problems.of(flow).add(inexpressible);
        return;
      }
      // a DenyFlow denies each family where it can (reconcile leaves a port out of the other family's
      // rules); an allow that some side cannot carry would be silently missing
      const deny = DenyFlow.isDenyFlow(flow);
      const ipv4Side = [...wanted.values()].find((b) => !b.ipv6);
      if (!deny && specs.some((s) => s.protocol === 'icmpv6') && ipv4Side) {
        const remote = ipv4Side.remote.kind === 'asg' || ipv4Side.remote.kind === 'ipv6-members' ? `segment '${ipv4Side.remote.asg.segment.node.path}' (its ASG)`
          : ipv4Side.remote.kind === 'prefix' ? `"${ipv4Side.remote.value}"`
            : ipv4Side.remote.kind === 'external-asg' ? `application security group "${ipv4Side.remote.value}"` : `"${ipv4Side.remote.values.join('", "')}"`;
        this.problems.of(flow).add(`allows ICMPv6 between ${ipv4Side.local.asg ? `Azure segment '${ipv4Side.local.asg.segment.node.path}'` : `the Azure workloads in "${ipv4Side.local.prefix}"`} and ${remote}, which no Azure rule can express: application security groups hold IPv4 ip-configurations only, and Azure's Icmp protocol would also open ICMPv4. Name the IPv6 side with Peer.ipv6() (the Azure members are then named by their IPv6 addresses), or use Port.icmp().`);
        return;
      }
      // every rule would name IPv6 addresses and every port is ICMPv4: Azure's Icmp would open ICMPv6 instead
      if (!deny && ![...wanted.values()].some((b) => specs.some((spec) => travelsOver(spec, b.ipv6 ? 'ipv6' : 'ipv4')))) {
        const values = [...new Set([...wanted.values()].flatMap((b) => (b.remote.kind === 'prefix' ? [b.remote.value] : b.remote.kind === 'addresses' ? b.remote.values : [])))];
        this.problems.of(flow).add(`allows only ${specs.map(portKey).join(', ')}, but its Azure rules would name IPv6 addresses${values.length > 0 ? ` (${values.map((v) => `"${v}"`).join(', ')})` : ''}, which no ICMPv4 packet comes from or goes to, and Azure's Icmp protocol would open ICMPv6 there. Use Port.icmpv6() for IPv6, or name the IPv4 addresses (Peer.ipv4()).`);
        return;
      }
      if ([...wanted.values()].some((b) => requiresIpv6(b))) this.checkIpv6Members(flow);
    }
    this.buckets.update(flow, wanted, specs);
    // A bucket the flow already was in keeps its rules; only its remote addresses may have moved
    // (a member joined the remote segment), which updates its rules in place.
    for (const definition of wanted.values()) {
      const bucket = this.bucketsByKey.get(definition.key)!;
      if (definitionFields(bucket.definition) === definitionFields(definition)) continue;
      bucket.definition = definition;
      this.fileIpv6Bucket(bucket);
      this.reconcile(bucket);
    }
  }

  /**
   * The enforcements whose NSGs a flow's hosts known only by addresses sit behind, each with those
   * of the hosts it holds: an enforcement whose subnets' prefixes are all known holds the hosts
   * inside them; one with a subnet whose prefixes synthesis cannot read (an id from a variable,
   * another stack, a data source) holds them all where `managed` (the flow's other segment, or the
   * hosts' own when the other end is a peer) has its ASG. A rule that names a host's exact address
   * matches no other host, so one in an NSG the host is not behind is inert.
   */
  private enforcementsHolding(hosts: readonly string[], managed: Segment): Array<[AzureEnforcement, string[]]> {
    const withAsg = new Set(this.asgsOf(managed).map((asg) => asg.enforcement));
    const out: Array<[AzureEnforcement, string[]]> = [];
    for (const enforcement of [...this.enforcements].sort(byPath)) {
      const prefixes = subnetPrefixesOf(enforcement);
      const held = prefixes
        ? hosts.filter((host) => prefixes.some((prefix) => cidrContainsValid(prefix, host)))
        : withAsg.has(enforcement) ? [...hosts] : [];
      if (held.length > 0) out.push([enforcement, held]);
    }
    return out;
  }

  /**
   * The addresses of the hosts known only by their addresses that a flow side's CIDR peer holds: a
   * wider peer (`0.0.0.0/0`) reaches the hosts the program names inside an enforced subnet, at their
   * exact addresses (the managed NICs the CIDR also holds decide for themselves).
   */
  private namedHostsInPeer(side: Side): string[] {
    const peer = peerOf(side);
    if (!peer || peer.kind !== 'address' || Token.isUnresolved(peer.value)) return [];
    return addressOnlyHostsOfApp(this.registry).filter((cidr) => cidrContainsValid(peer.value, cidr));
  }

  /** The remote sides that stand for a flow side as seen from `enforcement`'s VNet. */
  private remotesOf(flow: AnyFlow, side: Side, enforcement: AzureEnforcement): RemoteRef[] {
    if (side.anywhere && DenyFlow.isDenyFlow(flow)) return [{ kind: 'prefix', key: 'any:*', value: '*' }];
    const peer = peerOf(side);
    if (peer) {
      const problem = inexpressibleSide(peer, NSG_CAPABILITIES, enforcement.node.path);
      if (problem) {
        this.problems.of(flow).add(problem);
        return [];
      }
      // like a CIDR: named by the flow, so pointing the flow at another ASG updates the rule in place
      if (peer.kind === 'named' && peer.peerKind === PeerKind.AZURE_APPLICATION_SECURITY_GROUP) return [{ kind: 'external-asg', key: `peer:${flowIdentity(flow)}`, value: peer.value }];
      // the flow's own peer: named by the flow, so editing the CIDR updates the rule in place
      const ipv6 = peer.kind === 'address' && peer.family === 'ipv6';
      return [{ kind: 'prefix', key: `peer:${flowIdentity(flow)}`, value: peer.value, ...(ipv6 ? { ipv6 } : {}) }];
    }
    const segment = side.segment;
    if (!segment) return [];
    const remotes: RemoteRef[] = [];
    // ASGs of one rule must all belong to one VNet: only the segment's ASG in this enforcement is
    // used; members elsewhere (another VNet, another platform, external hosts) are addressed by
    // their addresses.
    const asg = this.asgs.get(segment)?.get(enforcement);
    if (asg) remotes.push({ kind: 'asg', key: `asg:${segment.identity}`, asg });
    const seen = membersSeenFrom(side, Platform.AZURE, (own) => own === enforcement);
    const byIdentity = (a: Workload, b: Workload) => compare(a.identity, b.identity);
    for (const { workload: member, enforcement: memberEnforcement } of [...seen.unaddressed].sort((a, b) => byIdentity(a.workload, b.workload))) {
      const advice = addressAdvice(member);
      const problem = unaddressedMemberProblem(member.node.path, memberEnforcement!.node.path, NSG_CAPABILITIES, enforcement.node.path, advice);
      this.problems.of(flow).add(problem);
    }
    const addresses = [...seen.remote].sort(byIdentity).flatMap((member) => member.addressCidrs);
    remotes.push(...addressRemotes(`members:${segment.identity}`, addresses, true, enforcement));
    return remotes;
  }

  /**
   * Brings a bucket's rules in line with its flows: one rule per declaring stack and protocol, with
   * the merged ports of those flows. A rule that stays is rendered again (once, when the renderer
   * finishes: onRendered) under the same construct id and name (an in-place update of its ports,
   * addresses, description); only a rule no flow of its stack needs any more is removed.
   */
  private reconcile(bucket: Bucket): void {
    const definition = bucket.definition;
    const state = this.stateOf(definition.local.enforcement);
    const groups = new Map<string, { stack: TerraformStack; protocol: AzureProtocol; specs: PortSpec[]; flows: Set<AnyFlow> }>();
    for (const [flow, contributions] of bucket.byFlow) {
      const stack = stackOf(flow);
      for (const { spec } of contributions) {
        // Azure's Icmp has no family: an IPv6 rule of it would open ICMPv6 for a flow of ICMPv4
        if (!travelsOver(spec, definition.ipv6 ? 'ipv6' : 'ipv4')) continue;
        const protocol = azureProtocol(spec);
        const key = `${definition.tier}|${definition.direction}|${definition.local.path}|${definition.remote.key}|${protocol}@${stack.node.path}`;
        const group = groups.get(key) ?? { stack, protocol, specs: [], flows: new Set<AnyFlow>() };
        group.specs.push(spec);
        group.flows.add(flow);
        groups.set(key, group);
      }
    }
    for (const [key, def] of bucket.defs) {
      if (groups.has(key)) continue;
      for (const rendered of def.rendered.values()) rendered.container.node.tryRemoveChild(rendered.resource.node.id);
      this.changed.delete(def);
      bucket.defs.delete(key);
      state.defs.delete(key);
      state.allocation = undefined;
    }
    for (const key of [...groups.keys()].sort(compare)) {
      const group = groups.get(key)!;
      let def = bucket.defs.get(key);
      if (!def) {
        def = { key, bucket, stack: group.stack, protocol: group.protocol, specs: [], flows: [], rendered: new Map() };
        bucket.defs.set(key, def);
        state.defs.set(key, def);
        state.allocation = undefined;
      }
      def.specs = mergePortSpecs(group.specs);
      def.flows = [...group.flows].sort(byPath);
      this.changed.add(def);
    }
  }

  /**
   * Creates (or creates again, under the same construct id) the resource of one rule in one NSG.
   * Its construct id and `name` come from the rule's key and the NSG, so they never change while
   * the rule lives.
   */
  private renderDefIn(def: RuleDef, nsg: AzureNsg): void {
    const { direction, local, tier } = def.bucket.definition;
    const enforcement = local.enforcement;
    const state = this.stateOf(enforcement);
    const previous = def.rendered.get(nsg.key);
    if (previous) previous.container.node.tryRemoveChild(previous.resource.node.id);
    const container = rulesContainer(def.stack, 'MicrosegAzure');
    const id = idFromKey(`${nsg.key}-${def.key}`);
    const { source, destination } = this.sidesOf(def);
    const paths = def.flows.map((flow) => flow.node.path);
    const resource = new NetworkSecurityRule(container, id, {
      name: ruleName(def),
      resourceGroupName: enforcement.resourceGroupName,
      networkSecurityGroupName: readOnce(nsg.resource, 'name'),
      // Priority from the persisted allocation: rules are rendered once every rule is known (onRendered).
      priority: this.priorityOf(state, direction, tier, def.key),
      direction,
      access: tier === 'guardrail-deny' ? 'Deny' : 'Allow',
      protocol: def.protocol,
      sourcePortRange: '*',
      ...portFields(def.protocol, def.specs),
      ...sourceFields(source),
      ...destinationFields(destination),
      description: azureRuleDescription(mergedDescription(def.flows.map((flow) => flow.description))),
    });
    bulkResource(resource);
    writeProvenance(resource, tier === 'guardrail-deny' ? { flows: [], guardrails: paths } : { flows: paths });
    def.rendered.set(nsg.key, { container, resource });
  }

  /** The source and destination of a rule as it names them: ASGs, one prefix or several. */
  private sidesOf(def: RuleDef): { readonly source: SideFields; readonly destination: SideFields } {
    const { direction, local, remote, ipv6 } = def.bucket.definition;
    const localSide: SideFields = local.prefixes ? addressSide(local.prefixes) : !local.asg ? { prefix: local.prefix! }
      : ipv6 ? { prefixes: this.memberIpv6Addresses(local.asg) } : { asgs: [local.asg.idRef] };
    const remoteSide: SideFields = remote.kind === 'asg' ? { asgs: [remote.asg.idRef] }
      : remote.kind === 'external-asg' ? { asgs: [remote.value] }
        : remote.kind === 'ipv6-members' ? { prefixes: this.memberIpv6Addresses(remote.asg) }
          : remote.kind === 'prefix' ? { prefix: remote.value } : addressSide(remote.values);
    return direction === 'Outbound' ? { source: localSide, destination: remoteSide } : { source: remoteSide, destination: localSide };
  }

  /** The IPv6 addresses of a segment's members in an enforcement, sorted. */
  private memberIpv6Addresses(asg: AzureAsg): string[] {
    const addresses = this.localMembers(asg).flatMap((member) => ipv6AddressesOf(member));
    return [...new Set(addresses)].sort(compare);
  }

  /** The members of an ASG's segment that are Azure workloads of its enforcement, by path. */
  private localMembers(asg: AzureAsg): Workload[] {
    return ResolvedPolicy.of(this.registry).segmentSide(asg.segment).members
      .filter((member) => member.workload.platform === Platform.AZURE && member.enforcement === asg.enforcement)
      .map((member) => member.workload);
  }

  /**
   * Reports, at synth (once every member is known), the Azure members of an IPv6 flow's segments
   * that have no IPv6 address: their ASG would never match the flow's IPv6 traffic, and without an
   * address no rule can name them.
   */
  private checkIpv6Members(flow: AnyFlow): void {
    if (this.ipv6Checked.has(flow)) return;
    this.ipv6Checked.add(flow);
    const kind = DenyFlow.isDenyFlow(flow) ? 'DenyFlow' : 'AllowFlow';
    flow.node.addValidation({
      validate: () => {
        const missing = new Map<string, { member: Workload; remote: string }>();
        for (const bucket of this.buckets.bucketsOf(flow).sort((a, b) => a.created - b.created)) {
          const { local, remote } = bucket.definition;
          if (!requiresIpv6(bucket.definition) || !local.asg) continue;
          for (const member of this.localMembers(local.asg)) {
            if (ipv6AddressesOf(member).length === 0 && !missing.has(member.node.path)) missing.set(member.node.path, { member, remote: remote.kind === 'prefix' ? remote.value : '' });
          }
        }
        return [...missing.values()].map(({ member, remote }) => `${kind} '${flow.node.path}' is IPv6 traffic ("${remote}") to or from Azure workload '${member.node.path}', but the workload has no IPv6 address known at synth: Azure application security groups hold IPv4 ip-configurations only, so a rule naming its ASG would never match. Give the workload its IPv6 address (addresses: ['2001:db8::10'], or a literal IPv6 private_ip_address on its NIC), or keep the flow IPv4.`);
      },
    });
  }

  /**
   * The priority of a rule. Priorities are unique per direction within an NSG, and every NSG of an
   * enforcement holds the same rules, so one allocation per enforcement, direction and band serves
   * all its NSGs. The allocation is persisted (lib/render/allocations.ts): a rule keeps its priority
   * while it lives, and a new rule never takes a priority another rule held in the previous
   * synthesis, so no apply meets two rules with one priority (nor two rules swapping theirs).
   */
  private priorityOf(state: EnforcementState, direction: Direction, tier: Tier, key: string): number {
    const allocation = this.allocationOf(state);
    // a rule without a priority is reported at synth; a guardrail deny falls back to its band's end
    const fallback = tier === 'guardrail-deny' ? AZURE_GUARDRAIL_DENY.last : state.enforcement.denyPriority;
    return allocation[direction][tier].assigned.get(key) ?? fallback;
  }

  /**
   * Priorities per direction and band: guardrail allows 100-149, guardrail denies 150-199 (so a
   * GuardrailAllow beats a DenyFlow and both beat every application rule), application allows
   * 200 to denyPriority - 1.
   */
  private allocationOf(state: EnforcementState): Record<Direction, Record<Tier, PrioritySlots>> {
    if (!state.allocation) {
      const enforcement = state.enforcement;
      // an invalid denyPriority (NaN, 5000) fails the synth with the enforcement's own message: allocate as with the default
      const deny = isValidDenyPriority(enforcement.denyPriority) ? enforcement.denyPriority : 4096;
      const last = deny - 1;
      const keys = (direction: Direction, tier: Tier) => [...state.defs.values()]
        .filter((d) => d.bucket.definition.direction === direction && d.bucket.definition.tier === tier)
        .map((d) => d.key).sort(compare);
      const space = (direction: Direction, tier: Tier) => `azure-nsg:${enforcement.node.path}:${direction}:${tier}`;
      const bands = (direction: Direction): Record<Tier, PrioritySlots> => ({
        // the load-balancer probe rule's priority is the enforcement's, never a flow's, even while the
        // probe rule is off: turning it on then never meets a flow's rule at its priority in one apply
        'app': prioritySlots(enforcement, space(direction, 'app'), keys(direction, 'app'), { first: MIN_PRIORITY, last },
          direction === 'Inbound' ? [deny - 1] : []),
        'guardrail-allow': prioritySlots(enforcement, space(direction, 'guardrail-allow'), keys(direction, 'guardrail-allow'), AZURE_GUARDRAIL_ALLOW),
        'guardrail-deny': prioritySlots(enforcement, space(direction, 'guardrail-deny'), keys(direction, 'guardrail-deny'), AZURE_GUARDRAIL_DENY),
      });
      state.allocation = { Inbound: bands('Inbound'), Outbound: bands('Outbound') };
    }
    return state.allocation;
  }

  private stateOf(enforcement: AzureEnforcement): EnforcementState {
    let state = this.states.get(enforcement);
    if (!state) {
      state = { enforcement, defs: new Map() };
      this.states.set(enforcement, state);
    }
    return state;
  }

  private asgsOf(segment: Segment): AzureAsg[] {
    return [...(this.asgs.get(segment)?.values() ?? [])].sort((a, b) => compare(a.key, b.key));
  }

  private ensureAsg(segment: Segment, enforcement: AzureEnforcement): AzureAsg {
    let bySegment = this.asgs.get(segment);
    if (!bySegment) {
      bySegment = new Map();
      this.asgs.set(segment, bySegment);
    }
    const existing = bySegment.get(enforcement);
    if (existing) return existing;
    // named from the segment's identity: renaming the segment (same stableId) changes nothing
    const identity = segment.identity;
    const key = `${identity}@${enforcement.node.path}`;
    const resource = bulkResource(new ApplicationSecurityGroup(enforcement, idFromKey(`Asg-${pathKey(identity)}`), {
      name: azureName('asg', key),
      resourceGroupName: enforcement.resourceGroupName,
      location: enforcement.location,
      tags: { ...enforcement.tags, 'microseg-segment': tagValue(identity) },
    }));
    const asg: AzureAsg = { segment, enforcement, resource, idRef: resource.id, key };
    bySegment.set(enforcement, asg);
    if (!segment.implicit) Inventory.of(stackOf(enforcement)).addGroup(segment.node.path, segment.selector, resource, segment.identity);
    return asg;
  }

  /** Puts a workload's bound resource into a segment's ASG (for a NIC, the association covers all IP configurations). */
  private attach(workload: Workload, asg: AzureAsg): void {
    const list = this.attached.get(workload) ?? [];
    if (list.includes(asg)) return;
    list.push(asg);
    list.sort((a, b) => compare(a.key, b.key));
    this.attached.set(workload, list);
    this.joins.push({ workload, asg });
  }

  private watchNicQuota(workload: Workload): void {
    workload.node.addValidation({
      validate: () => {
        const list = this.attached.get(workload) ?? [];
        const own = this.membership.userAsgCount(workload);
        if (list.length + own <= AZURE_ASGS_PER_NIC) return [];
        return [`Workload '${workload.node.path}' would join ${list.length + own} application security groups (${list.map((a) => a.segment.node.path).join(', ')}${own > 0 ? ` and ${own} set on the resource itself` : ''}); Azure allows ${AZURE_ASGS_PER_NIC} per NIC IP configuration. Merge segments (one segment per role, with a shared selector) or name fewer workloads directly in flows.`];
      },
    });
  }

  /**
   * Records which stacks hold a copy of each rule (by meaning: band, direction, sides and protocol)
   * in the allocation file, and warns when every copy a rule had in the previous synthesis is gone
   * while a copy appears in another stack: the flow's declaration moved, and Terraform destroys the
   * rule in one stack's apply and creates it in the other's, so the traffic drops in between unless
   * the new stack is applied first. Nothing to warn about when a copy stays (a second stack declared
   * the flow, or one of two declarations was removed).
   */
  private warnRulesMovingStack(enforcement: AzureEnforcement): string[] {
    const allocations = Allocations.of(enforcement);
    const holders = new Map<string, { stacks: Set<string>; defs: RuleDef[] }>();
    for (const def of this.stateOf(enforcement).defs.values()) {
      const meaning = `azure-nsg:${enforcement.node.path}|${ruleMeaning(def)}`;
      const entry = holders.get(meaning) ?? { stacks: new Set<string>(), defs: [] };
      entry.stacks.add(def.stack.node.path);
      entry.defs.push(def);
      holders.set(meaning, entry);
    }
    // A flow whose rules share a meaning with another flow's (one rule, several flows' ports) moves
    // too when its ports leave one stack's rule for another's: track each flow's stacks as well.
    const flowStacks = new Map<string, { stacks: Set<string>; defs: RuleDef[] }>();
    for (const def of this.stateOf(enforcement).defs.values()) {
      for (const flow of def.flows) {
        const key = `azure-nsg-flow:${enforcement.node.path}|${flow.identity}`;
        const entry = flowStacks.get(key) ?? { stacks: new Set<string>(), defs: [] };
        entry.stacks.add(def.stack.node.path);
        entry.defs.push({ ...def, flows: [flow] });
        flowStacks.set(key, entry);
      }
    }
    for (const [meaning, { stacks, defs }] of [...holders, ...flowStacks]) {
      const now = [...stacks].sort(compare);
      const before = allocations.previousOwner(meaning)?.split(',') ?? [];
      allocations.owner(meaning, [now.join(',')]);
      if (before.length === 0 || before.some((stack) => stacks.has(stack))) continue;
      const old = before.map((s) => `'${s}'`).join(', ');
      for (const def of defs) {
        const stack = def.stack.node.path;
        for (const flow of def.flows) {
          const deny = DenyFlow.isDenyFlow(flow);
          warnOnce(flow, `[microseg-rule-moves-stack] ${deny ? 'DenyFlow' : 'AllowFlow'} '${flow.node.path}': its Azure NSG rules in '${enforcement.node.path}' move from stack ${old} to stack '${stack}'. Terraform destroys them when ${old} is applied and creates them when '${stack}' is applied: ${deny ? 'the traffic it denies passes' : 'its traffic drops'} between the two applies unless '${stack}' is applied first. Deploy '${stack}' before ${old}, or declare the flow in both stacks for one deployment and then remove the old declaration.`);
        }
      }
    }
    return [];
  }

  /**
   * Warns when a rule of the previous synthesis (the allocation file knows its key) is gone while a
   * rule of another protocol between the same ends takes over part of its traffic: a flow widened
   * to all traffic (Tcp and Udp rules give way to a `*` rule) or narrowed from it. An Azure rule has
   * one protocol, and its name holds it, so Terraform destroys the one and creates the other, in no
   * order, and the traffic both carry drops (or, for a DenyFlow, passes) in between.
   */
  private warnProtocolWindows(enforcement: AzureEnforcement): string[] {
    const allocations = Allocations.of(enforcement);
    const state = this.stateOf(enforcement);
    // each rule's ports are remembered, so that the next synthesis knows what a rule that goes carried
    const portsKey = (key: string) => `azure-nsg-rule-ports:${enforcement.node.path}|${key}`;
    for (const def of state.defs.values()) allocations.owner(portsKey(def.key), [rememberedPorts(def.specs)]);
    const byEnds = new Map<string, RuleDef[]>();
    const bySides = new Map<string, RuleDef[]>();
    for (const def of state.defs.values()) {
      const parts = ruleKeyParts(def.key);
      if (!parts) continue;
      appendTo(byEnds, parts.ends, def);
      appendTo(bySides, parts.sides, def);
    }
    for (const direction of ['Inbound', 'Outbound'] as const) {
      for (const tier of ['app', 'guardrail-allow', 'guardrail-deny'] as const) {
        const previous = new Set(allocations.previousKeys(`azure-nsg:${enforcement.node.path}:${direction}:${tier}`));
        for (const key of previous) {
          const gone = ruleKeyParts(key);
          if (!gone || state.defs.has(key)) continue;
          const carried = parsedPorts(allocations.previousOwner(portsKey(key)));
          // what rules that stay between the same sides (another stack's copy) carry does not drop
          const staying = (bySides.get(gone.sides) ?? []).filter((d) => previous.has(d.key)).flatMap((d) => d.specs);
          for (const def of byEnds.get(gone.ends) ?? []) {
            if (previous.has(def.key)) continue; // it was there already: nothing is created
            if (gone.protocol !== '*' && def.protocol !== '*') continue; // Tcp and Udp rules share no traffic
            let common = gone.protocol === '*' ? def.specs.map(portKey).join(', ') : `${gone.protocol} traffic the ${gone.protocol} rule allowed`;
            if (carried) {
              const dropping = intersectPortLists(carried, def.specs).filter((spec) => !staying.some((kept) => coversSpec(kept, spec)));
              if (dropping.length === 0) continue;
              common = dropping.map(portKey).join(', ');
            }
            for (const flow of def.flows) {
              const deny = DenyFlow.isDenyFlow(flow);
              warnOnce(flow, `[microseg-nsg-rule-window] ${deny ? 'DenyFlow' : 'AllowFlow'} '${flow.node.path}': the ${direction} rules of AzureEnforcement '${enforcement.node.path}' `
                + `between '${def.bucket.definition.local.path}' and ${remoteText(def.bucket.definition.remote.key)} lose their ${gone.protocol} rule and gain a ${def.protocol} rule `
                + `(an Azure rule has one protocol, and its name holds it), which Terraform destroys and creates in no order: ${common} ${deny ? 'passes' : 'drops'} between the two. `
                + 'To avoid it, deploy once with both (keep the old ports in a flow of their own), then remove the old one.');
            }
          }
        }
      }
    }
    return [];
  }

  private watchQuotas(enforcement: AzureEnforcement): void {
    enforcement.node.addValidation({
      validate: () => {
        const me = `AzureEnforcement '${enforcement.node.path}'`;
        const state = this.stateOf(enforcement);
        const defs = [...state.defs.values()];
        const problems: string[] = [];
        const allocation = this.allocationOf(state);
        for (const direction of ['Inbound', 'Outbound'] as const) {
          const left = allocation[direction].app.unassigned;
          if (left.length > 0) {
            const probe = direction === 'Inbound';
            const count = defs.filter((d) => d.bucket.definition.direction === direction && d.bucket.definition.tier === 'app').length;
            const advice = [
              ...(enforcement.denyPriority < 4096 ? [`raise denyPriority (now ${enforcement.denyPriority}, at most 4096)`] : []),
              'declare the ports of one peer in one flow', 'use fewer peers', 'or split the workloads over several VNets/stacks',
            ].join(', ');
            problems.push(`${me}: ${count} ${direction} rules do not fit in priorities ${MIN_PRIORITY}-${enforcement.denyPriority - 1}${probe ? ` (${enforcement.loadBalancerProbePriority} is kept for the load-balancer probe rule)` : ''} (no priority left for "${left[0]}"${left.length > 1 ? ` and ${left.length - 1} more` : ''}). ${advice[0].toUpperCase()}${advice.slice(1)}.`);
          }
          for (const [tier, band] of [['guardrail-allow', AZURE_GUARDRAIL_ALLOW], ['guardrail-deny', AZURE_GUARDRAIL_DENY]] as const) {
            const rest = allocation[direction][tier].unassigned;
            if (rest.length === 0) continue;
            problems.push(`${me}: ${defs.filter((d) => d.bucket.definition.direction === direction && d.bucket.definition.tier === tier).length} ${direction} ${tier} rules do not fit in the guardrail band ${band.first}-${band.last} (no priority left for "${rest[0]}"${rest.length > 1 ? ` and ${rest.length - 1} more` : ''}). Merge guardrails (one DenyFlow or GuardrailAllow with several ports or a wider selector).`);
          }
        }
        const shapes = defs.map((d) => {
          const { direction, ipv6, local, remote } = d.bucket.definition;
          const localAsgs = !ipv6 && local.asg ? [local.asg.key] : [];
          const remoteAsgs = remote.kind === 'asg' ? [remote.asg.key] : remote.kind === 'external-asg' ? [remote.value] : [];
          return { name: d.key, sourceAsgs: direction === 'Outbound' ? localAsgs : remoteAsgs, destinationAsgs: direction === 'Outbound' ? remoteAsgs : localAsgs };
        });
        const own = enforcement.ownRulesPerNsg;
        const rulesPerNsg = shapes.length + own; // + the deny rules (and the load-balancer probe rule)
        if (rulesPerNsg > enforcement.maxRulesPerNsg) {
          problems.push(`${me}: each of its NSGs needs ${rulesPerNsg} rules (${shapes.length} flow rules and ${own} of its own); the limit is ${enforcement.maxRulesPerNsg} per NSG. Declare the ports of one peer in one flow (each flow naming a CIDR or service tag has its own rule per protocol), use fewer peers (a segment or a service tag instead of many CIDRs), declare a flow that several stacks need in one of them (each declaring stack has its own copy of its rules), or split the workloads over several VNets/stacks.`);
        }
        // by rule name, worked out only for the rules that break the limit
        const crowded: Array<{ name: string; def: RuleDef; side: 'source' | 'destination'; count: number }> = [];
        for (const def of defs) {
          const sides = this.sidesOf(def);
          for (const side of ['source', 'destination'] as const) {
            const count = sides[side].prefixes?.length ?? 0;
            if (count > AZURE_NSG_LIMITS.addressesPerRuleSide) crowded.push({ name: ruleName(def), def, side, count });
          }
        }
        for (const { name, def, side, count } of crowded.sort((a, b) => compare(a.name, b.name))) {
          const flows = def.flows.map((flow) => `'${flow.node.path}'`).join(', ');
          problems.push(`${me}: rule "${name}" (flows ${flows}) names ${count} addresses on its ${side} side; Azure allows ${AZURE_NSG_LIMITS.addressesPerRuleSide} per rule side. Name the hosts by the CIDRs that hold them (Peer.ipv4('10.20.0.0/16'), or fewer, wider addresses on the workloads), or split them across segments.`);
        }
        for (const finding of nsgQuotaFindings(shapes, { ...AZURE_NSG_LIMITS, rulesPerNsg: Number.MAX_SAFE_INTEGER })) {
          if (finding.quota === 'asgs-per-rule-side') {
            problems.push(`${me}: rule "${finding.rule}" names ${finding.count} ASGs on its ${finding.side} side; Azure allows ${finding.limit}. Split the rule.`);
          } else if (finding.quota === 'asgs-per-nsg') {
            problems.push(`${me}: its NSGs' rules name ${finding.count} application security groups (${finding.asgs.slice(0, 3).join(', ')}, ...); Azure allows ${finding.limit} per NSG. Use fewer segments with Azure members in flows (merge segments, or name segments instead of single workloads), or split the workloads over several VNets/stacks.`);
          }
        }
        return problems;
      },
    });
  }
}

/** Whether a prefix is a service tag (`Internet`, `Storage.WestEurope`): neither an address nor a Terraform expression. */
function isServiceTag(prefix: string): boolean {
  return !Token.isUnresolved(prefix) && familyOf(prefix) === undefined;
}

/** Whether every local member of a bucket needs an IPv6 address: an allow towards an IPv6 peer the flow names. */
function requiresIpv6(bucket: BucketDefinition): boolean {
  return bucket.ipv6 && bucket.tier !== 'guardrail-deny' && !(bucket.remote.kind === 'addresses' && bucket.remote.memberAddress);
}

/**
 * The address remotes of a list of addresses: one per family (a Terraform expression is IPv6 when
 * its text names IPv6, see `addressFamilyOf`; `scope` is any construct of the app), named `<key>`
 * and `<key>-ipv6`, with the addresses in order and without duplicates.
 */
function addressRemotes(key: string, addresses: readonly string[], memberAddress: boolean, scope: IConstruct): RemoteRef[] {
  const unique = [...new Set(addresses)];
  const v6 = unique.filter((a) => addressFamilyOf(a, scope) === 'ipv6');
  const v4 = unique.filter((a) => !v6.includes(a));
  return [
    ...(v4.length > 0 ? [{ kind: 'addresses' as const, key, values: v4, ipv6: false, memberAddress }] : []),
    ...(v6.length > 0 ? [{ kind: 'addresses' as const, key: `${key}-ipv6`, values: v6, ipv6: true, memberAddress }] : []),
  ];
}

/** The segments whose members a bucket's rules name by their IPv6 addresses: its own (an IPv6 rule at an ASG) and its remote one. */
function ipv6MembersOf(definition: BucketDefinition): Segment[] {
  const { ipv6, local, remote } = definition;
  const segments: Segment[] = [];
  if (ipv6 && local.asg) segments.push(local.asg.segment);
  if (remote.kind === 'ipv6-members') segments.push(remote.asg.segment);
  return segments;
}

/** What of a bucket's definition its rules' fields depend on (beyond the key): the remote addresses and the family. */
function definitionFields(definition: BucketDefinition): string {
  const remote = definition.remote;
  const values = remote.kind === 'addresses' ? remote.values : remote.kind === 'prefix' || remote.kind === 'external-asg' ? [remote.value] : [];
  return JSON.stringify([definition.ipv6, values, definition.local.prefixes ?? []]);
}

/**
 * What a rule does, whichever stack or flow declares it: band, direction, local side, remote side
 * (a peer by its value) and protocol. Two copies of one rule in two stacks share it.
 */
function ruleMeaning(def: RuleDef): string {
  const { tier, direction, local, remote } = def.bucket.definition;
  const remoteMeaning = remote.kind === 'prefix' ? `prefix:${remote.value}` : remote.kind === 'external-asg' ? `asg-id:${remote.value}` : remote.key;
  return `${tier}|${direction}|${local.path}|${remoteMeaning}|${def.protocol}`;
}

/**
 * The Azure name of a rule (unique in its NSG, at most 80 characters): a short readable part
 * (direction, local and remote names, protocol) and a digest of the rule's key. Neither ports,
 * addresses nor descriptions are part of it, so editing them updates the rule in place.
 */
function ruleName(def: RuleDef): string {
  const { direction, local, remote } = def.bucket.definition;
  const remoteName = remote.kind === 'asg' ? shortName(remote.asg.segment.identity)
    : remote.kind === 'ipv6-members' ? `${shortName(remote.asg.segment.identity)}-ipv6`
      : remote.key.startsWith('peer:') ? shortName(remote.key.slice('peer:'.length))
        : remote.key.startsWith('members:') ? `${shortName(remote.key.slice('members:'.length))}-members`
          : remote.key.replace(/:.*$/, '');
  const localName = local.asg ? shortName(local.asg.segment.identity) : 'open';
  const readable = `${direction === 'Inbound' ? 'in' : 'out'}-${localName}-${remoteName}-${protocolName(def.protocol)}`
    .replace(/[^A-Za-z0-9_-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '').slice(0, 64);
  return `ms-${readable}-${digest(def.key)}`;
}

/**
 * Without NIC-level NSGs (and always for a private endpoint or a node pool, which have none), a
 * bound resource whose subnets are all outside the enforcement's `subnetIds` is covered by no NSG
 * at all, and Azure then allows everything to and from it. Subnet ids are usually references; they
 * are compared as Terraform will read them, and a value that cannot be read is not reported (it
 * cannot be checked).
 */
function uncoveredNicProblems(workload: Workload, enforcement: AzureEnforcement): string[] {
  const subnets = boundSubnets(workload);
  if (subnets === undefined) return [];
  const kind = boundKind(workload);
  const fix = kind === 'nic' || kind === 'scale-set' ? 'Add the subnet to subnetIds, or set nicNsgs: true.' : `Add the subnet to subnetIds (only a subnet NSG filters a ${kind === 'node-pool' ? 'node pool' : 'private endpoint'}).`;
  if (subnets.length === 0) {
    return [`Workload '${workload.node.path}': ${describeBound(workload)} names no subnet (vnet_subnet_id), so AKS places it in a VNet it manages, which no NSG of AzureEnforcement '${enforcement.node.path}' covers. Set vnet_subnet_id to a subnet of subnetIds.`];
  }
  const stack = stackOf(workload.resource!);
  const boundIds = subnets.map((subnet) => terraformText(stack, subnet.subnetId));
  const enforced = enforcement.subnetIds.map((id) => terraformText(stack, id));
  if (boundIds.some((id) => id === undefined) || enforced.some((id) => id === undefined)) return [];
  if (boundIds.some((id) => enforced.includes(id))) return [];
  const nicNsgsOff = kind === 'nic' || kind === 'scale-set' ? ', and nicNsgs is off' : '';
  return [`Workload '${workload.node.path}': ${describeBound(workload)} is in subnet ${boundIds.map((id) => `"${id}"`).join(', ')}, which has no NSG of AzureEnforcement '${enforcement.node.path}'${nicNsgsOff}: no NSG would filter its traffic, and Azure allows everything without one. ${fix}`];
}

/** The values of `private_endpoint_network_policies` under which NSGs filter a private endpoint's traffic. */
const NSG_ENABLED_POLICIES = ['Enabled', 'NetworkSecurityGroupEnabled'];

/**
 * NSGs (and so ASG rules) filter a private endpoint's traffic only when its subnet has
 * `private_endpoint_network_policies` `Enabled` or `NetworkSecurityGroupEnabled`; the provider's
 * default is `Disabled`. Checked when the subnet is an `azurerm_subnet` of the stack.
 */
function privateEndpointPolicyProblems(workload: Workload): string[] {
  const subnetId = boundSubnets(workload)?.[0]?.subnetId;
  const stack = stackOf(workload.resource!);
  const subnet = subnetElementOf(stack, subnetId);
  if (!subnet || !(subnet instanceof TerraformResource)) return [];
  const policies = (subnet as any).privateEndpointNetworkPoliciesInput as string | undefined;
  if (policies !== undefined && (Token.isUnresolved(policies) || NSG_ENABLED_POLICIES.includes(policies))) return [];
  return [`Workload '${workload.node.path}': ${describeBound(workload)} is in subnet '${subnet.node.path}', whose private_endpoint_network_policies is ${policies === undefined ? 'not set (the provider defaults to "Disabled")' : `"${policies}"`}: NSGs do not filter private endpoints there, so every flow to it would be allowed. Set privateEndpointNetworkPolicies: 'Enabled' (or 'NetworkSecurityGroupEnabled') on the subnet.`];
}

/** A rule key's protocol; the rest of it (band, direction, ends and declaring stack), which rules of other protocols between the same ends share; and its sides alone (without the stack). */
function ruleKeyParts(key: string): { ends: string; sides: string; protocol: AzureProtocol } | undefined {
  const match = /^(.*)\|(Tcp|Udp|Icmp|\*)@([^@]*)$/.exec(key);
  return match ? { ends: `${match[1]}@${match[3]}`, sides: match[1], protocol: match[2] as AzureProtocol } : undefined;
}

/** A rule's ports as the allocation file remembers them (`tcp:443:443,udp:53:53`), read back by {@link parsedPorts}. */
function rememberedPorts(specs: readonly PortSpec[]): string {
  return specs.map((spec) => `${spec.protocol}:${spec.from}:${spec.to}`).join(',');
}

/** The ports a rule carried, as remembered (see rememberedPorts); undefined when not known or not readable. */
function parsedPorts(text: string | undefined): PortSpec[] | undefined {
  if (text === undefined || text === '') return undefined;
  const specs = text.split(',').map((part) => part.split(':'));
  const valid = specs.every(([protocol, from, to]) => ['tcp', 'udp', 'sctp', 'icmp', 'icmpv6', 'all'].includes(protocol) && Number.isInteger(+from) && Number.isInteger(+to));
  return valid ? specs.map(([protocol, from, to]) => ({ protocol: protocol as PortSpec['protocol'], from: +from, to: +to })) : undefined;
}

/** A rule's remote side as warnings name it (`asg:shop/Web` is segment 'shop/Web'). */
function remoteText(key: string): string {
  const [kind, ...rest] = key.split(':');
  const value = rest.join(':');
  if (kind === 'asg') return `segment '${value}'`;
  if (kind === 'members' || kind === 'ipv6-members') return `the members of segment '${value}'`;
  if (kind === 'peer') return `the peer of flow '${value}'`;
  return key;
}
