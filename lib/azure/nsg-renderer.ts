import { ApplicationSecurityGroup } from '@cdktf/provider-azurerm/lib/application-security-group';
import { NetworkInterface } from '@cdktf/provider-azurerm/lib/network-interface';
import { NetworkInterfaceApplicationSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/network-interface-application-security-group-association';
import { NetworkInterfaceSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/network-interface-security-group-association';
import { NetworkSecurityRule, NetworkSecurityRuleConfig } from '@cdktf/provider-azurerm/lib/network-security-rule';
import { Lazy, TerraformResource, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { DenyFlow } from '../deny-flow';
import { GuardrailAllow } from '../guardrail-allow';
import { openSideDenies } from '../guardrail-overlap';
import { Inventory } from '../inventory';
import { Peer, PeerKind } from '../peer';
import { Platform } from '../platform';
import { AzureEnforcement } from './enforcement';
import { ipv6AddressesOf, isIpv6Literal } from './ipv6-members';
import { azureRuleDescription, mergedDescription } from '../private/description';
import { AZURE_APPLICATION_FIRST, AZURE_GUARDRAIL_ALLOW, AZURE_GUARDRAIL_DENY } from '../private/guardrail-band';
import { digest, idFromKey, pathKey } from '../private/identity';
import { AZURE_ASGS_PER_NIC, AZURE_NSG_LIMITS, nsgQuotaFindings } from '../private/nsg-quota';
import { PortSpec } from '../private/port-range';
import { PriorityAllocation, allocatePriorities } from '../private/priority-allocator';
import { MergedRule, mergeBucket } from '../private/rule-bucket';
import { PolicyRegistry, PlatformRenderer, compare, stackOf } from '../registry';
import { FlowBucket, FlowBuckets, ownerStack } from '../render/flow-buckets';
import { FlowProblems, RenderedFlow } from '../render/flow-problems';
import { PendingWorkloads } from '../render/pending-workloads';
import { rulesContainer } from '../render/rules-container';
import { SegmentFlows } from '../render/segment-flows';
import { recordInventory } from '../render/workload-inventory';
import { Segment } from '../segment';
import { Workload } from '../workload';
import { AzureNsg, azureName, createNsg, nsgsOf } from './nsg';
import { twoVnetProblems } from './one-vnet';
import { terraformText } from './subnet-vnet';

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
  /** Identity: segment path and enforcement path. */
  readonly key: string;
}

/**
 * The remote side of a rule as Azure names it: an ASG of the same VNet, the IPv6 addresses of the
 * members of such an ASG (which never matches IPv6 traffic itself), or an address prefix.
 */
type RemoteRef =
  | { readonly kind: 'asg'; readonly key: string; readonly asg: AzureAsg }
  | { readonly kind: 'ipv6-members'; readonly key: string; readonly asg: AzureAsg }
  | {
    readonly kind: 'prefix';
    readonly key: string;
    readonly value: string;
    /** Set when the prefix is a member's address rather than a peer the flow names. */
    readonly memberAddress?: boolean;
    /** Set when `*` stands for IPv6 traffic only (a DenyFlow's IPv6 rule towards anywhere). */
    readonly ipv6?: boolean;
  };

type Direction = 'Inbound' | 'Outbound';

/**
 * The managed end of a rule: a segment's ASG or, for a DenyFlow enforced at every workload of the
 * enforcement (see openSideDenies), the address prefix of the DenyFlow's open side (`*` for anywhere).
 */
interface LocalEnd {
  readonly enforcement: AzureEnforcement;
  /** Identity inside the enforcement: the segment's path, or `open:<prefix>`. */
  readonly path: string;
  /** The ASG, when the end is a segment's. */
  readonly asg?: AzureAsg;
  /** The address prefix, when the end is every workload in it. */
  readonly prefix?: string;
}

function asgEnd(asg: AzureAsg): LocalEnd {
  return { enforcement: asg.enforcement, path: asg.segment.node.path, asg };
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

/** All rules of one enforcement, direction, local ASG and remote side: their ports merge. */
interface Bucket extends BucketDefinition, FlowBucket<AnyFlow> {
  /** The rule definitions of the bucket by identity. */
  readonly defs: Map<string, RuleDef>;
}

/** One logical rule, rendered once in every NSG of its enforcement. */
interface RuleDef {
  /** Meaning of the rule inside its enforcement: direction, local segment, remote, ports. */
  readonly identity: string;
  readonly bucket: Bucket;
  rule: MergedRule;
  owner: TerraformStack;
  readonly rendered: Map<string, { container: Construct; resource: TerraformResource }>;
}

/** What the renderer keeps per enforcement. */
interface EnforcementState {
  readonly enforcement: AzureEnforcement;
  readonly defs: Map<string, RuleDef>;
  allocation?: Record<Direction, Record<Tier, PriorityAllocation>>;
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
 */
export class NsgRenderer implements PlatformRenderer {
  private readonly asgs = new Map<Segment, Map<AzureEnforcement, AzureAsg>>();
  private readonly states = new Map<AzureEnforcement, EnforcementState>();
  private readonly flowsBySegment = new SegmentFlows<AnyFlow>();
  private readonly buckets = new FlowBuckets<AnyFlow, BucketDefinition, Bucket>({
    create: (definition) => ({ ...definition, byFlow: new Map(), defs: new Map() }),
    reconcile: (bucket) => this.reconcile(bucket),
  });
  private readonly pending: PendingWorkloads<AzureEnforcement>;
  private readonly problems = new FlowProblems();
  private readonly enforcements = new Set<AzureEnforcement>();
  private readonly attached = new Map<Workload, AzureAsg[]>();
  private readonly enrolled = new Map<AzureEnforcement, Workload[]>();
  private readonly ipv6Checked = new WeakSet<AnyFlow>();
  private readonly denies: DenyFlow[] = [];

  public constructor(private readonly registry: PolicyRegistry) {
    this.pending = new PendingWorkloads(registry, {
      enforcementOf: (scope) => AzureEnforcement.of(scope),
      missing: (workload) => `Workload '${workload.node.path}' is bound to Azure NIC '${workload.resource!.node.path}' but stack '${stackOf(workload).node.path}' has no AzureEnforcement. Add new AzureEnforcement(stack, 'Azure', { resourceGroupName: rg.name, location: rg.location, subnetIds: [subnet.id] }) to that stack.`,
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
    enforcement.node.addValidation({ validate: () => twoVnetProblems(enforcement, this.enrolled.get(enforcement) ?? []) });
    this.pending.release(stack, (workload) => this.enroll(workload, enforcement), this);
    // a DenyFlow enforced at every workload (openSideDenies) also covers the new enforcement
    for (const deny of this.denies) this.renderFlow(deny);
  }

  public onMembership(workload: Workload, segment: Segment): void {
    if (workload.platform === Platform.AZURE) {
      const enforcement = AzureEnforcement.of(workload);
      if (!enforcement) return; // rendered once the stack's enforcement is declared
      const asg = this.ensureAsg(segment, enforcement);
      this.attach(workload, asg);
    }
    // A new member can change the remote side of the segment's rules in every enforcement (a new
    // ASG, or addresses of a member outside the VNet), so the segment's flows are recomputed; the
    // buckets they already had are untouched.
    for (const flow of this.flowsBySegment.of(segment)) this.renderFlow(flow);
    // ... except the IPv6 addresses that stand for the segment's members
    for (const bucket of this.buckets.values()) {
      const local = bucket.ipv6 && bucket.local.asg?.segment === segment;
      const remote = bucket.remote.kind === 'ipv6-members' && bucket.remote.asg.segment === segment;
      if (!local && !remote) continue;
      for (const def of bucket.defs.values()) {
        for (const rendered of def.rendered.values()) this.writeAddressSides(def, rendered.resource as NetworkSecurityRule);
      }
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

  /** Gives a workload of an enforcement its NIC NSG (if asked for) and its quota check. */
  private enroll(workload: Workload, enforcement: AzureEnforcement): void {
    this.enrolled.set(enforcement, [...(this.enrolled.get(enforcement) ?? []), workload]);
    this.watchNicQuota(workload);
    if (!enforcement.nicNsgs) {
      workload.node.addValidation({ validate: () => uncoveredNicProblems(workload, enforcement) });
      return;
    }
    const nic = workload.resource as NetworkInterface;
    const key = `${enforcement.node.path}#nic:${workload.node.path}`;
    const id = idFromKey(`NicNsg-${pathKey(workload.node.path)}`);
    const nsg = createNsg(enforcement, id, enforcement, key, azureName('nsg', key));
    new NetworkInterfaceSecurityGroupAssociation(enforcement, `${id}-Association`, {
      networkInterfaceId: nic.id,
      networkSecurityGroupId: nsg.resource.id,
    });
    for (const def of [...this.stateOf(enforcement).defs.values()].sort((a, b) => compare(a.identity, b.identity))) {
      this.renderDefIn(def, nsg);
    }
  }

  /** Recomputes what one flow contributes to each bucket and reconciles the buckets that changed. */
  private renderFlow(flow: AnyFlow): void {
    if (flow.problems().length > 0) return; // synthesis will fail with the flow's problems
    const wanted = new Map<string, BucketDefinition>();
    const tier = tierOf(flow);
    const add = (local: LocalEnd, direction: Direction, remote: RemoteRef) => {
      const ipv6 = remote.kind === 'ipv6-members' || (remote.kind === 'prefix' && (remote.ipv6 === true || isIpv6Literal(remote.value)));
      // An open-side end of another family than the remote has nothing to deny.
      if (local.prefix !== undefined && local.prefix !== '*' && isIpv6Literal(local.prefix) !== ipv6) return;
      // Without local IPv6 addresses, a guardrail deny has nothing to deny (no rule of the policy
      // lets IPv6 traffic reach those members), and a remote member's IPv6 address is only one of
      // its addresses (the flow holds over IPv4); only an IPv6 peer the flow names needs them.
      const optional = tier === 'guardrail-deny' || (remote.kind === 'prefix' && remote.memberAddress === true);
      if (ipv6 && optional && local.asg && this.memberIpv6Addresses(local.asg).length === 0) return;
      // application buckets keep their historical keys (and rule identities)
      const key = `${tier === 'app' ? '' : `${tier}|`}${local.enforcement.node.path}|${direction}|${local.path}|${remote.key}`;
      wanted.set(key, { key, direction, local, remote, tier, ipv6 });
    };
    const from = flow.fromSegment;
    const to = flow.toSegment;
    for (const asg of from ? this.asgsOf(from) : []) {
      for (const remote of this.remotesOf(flow, flow.to, to, asg.enforcement)) add(asgEnd(asg), 'Outbound', remote);
    }
    for (const asg of to ? this.asgsOf(to) : []) {
      for (const remote of this.remotesOf(flow, flow.from, from, asg.enforcement)) add(asgEnd(asg), 'Inbound', remote);
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
          add(bucket.local, bucket.direction, { kind: 'ipv6-members', key: `ipv6-members:${remote.asg.segment.node.path}`, asg: remote.asg });
        } else if (remote.kind === 'prefix' && remote.value === '*') {
          add(bucket.local, bucket.direction, { kind: 'prefix', key: 'any-ipv6:*', value: '*', ipv6: true });
        }
      }
      // address-only members against an open side: denied at every workload of each enforcement
      for (const open of openSideDenies(this.registry, flow)) {
        const prefix = open.open ?? '*';
        for (const enforcement of [...this.enforcements].sort((a, b) => compare(a.node.path, b.node.path))) {
          const local: LocalEnd = { enforcement, path: `open:${prefix}`, prefix };
          open.addresses.forEach((cidr, index) => {
            const key = Token.isUnresolved(cidr) ? `addr:${flow.node.path}#${index}` : `cidr:${cidr}`;
            add(local, open.direction === 'inbound' ? 'Inbound' : 'Outbound', { kind: 'prefix', key, value: cidr });
          });
        }
      }
    }
    const specs = flow.ports.map((p) => p._toSpec());
    if (wanted.size > 0) {
      const typed = specs.filter((s) => (s.protocol === 'icmp' || s.protocol === 'icmpv6') && s.from !== -1);
      if (typed.length > 0) {
        this.problems.of(flow).add(`allows ICMP type ${typed[0].from}${typed[0].to === -1 ? '' : ` code ${typed[0].to}`}, but Azure NSG rules cannot match ICMP types or codes: rendering it would allow every ICMP message. Use Port.icmp() (every type) if that is acceptable, or keep the flow off Azure.`);
        return;
      }
      const ipv4Side = [...wanted.values()].find((b) => !b.ipv6);
      if (specs.some((s) => s.protocol === 'icmpv6') && ipv4Side) {
        const remote = ipv4Side.remote.kind !== 'prefix' ? `segment '${ipv4Side.remote.asg.segment.node.path}' (its ASG)` : `"${ipv4Side.remote.value}"`;
        this.problems.of(flow).add(`allows ICMPv6 between ${ipv4Side.local.asg ? `Azure segment '${ipv4Side.local.asg.segment.node.path}'` : `the Azure workloads in "${ipv4Side.local.prefix}"`} and ${remote}, which no Azure rule can express: application security groups hold IPv4 ip-configurations only, and Azure's Icmp protocol would also open ICMPv4. Name the IPv6 side with Peer.ipv6() (the Azure members are then named by their IPv6 addresses), or use Port.icmp().`);
        return;
      }
      if ([...wanted.values()].some((b) => requiresIpv6(b))) this.checkIpv6Members(flow);
    }
    this.buckets.update(flow, wanted, specs);
  }

  /** The remote sides that stand for `endpoint` as seen from `enforcement`'s VNet. */
  private remotesOf(flow: AnyFlow, endpoint: unknown, segment: Segment | undefined, enforcement: AzureEnforcement): RemoteRef[] {
    if (endpoint === undefined && DenyFlow.isDenyFlow(flow)) return [{ kind: 'prefix', key: 'any:*', value: '*' }];
    if (endpoint instanceof Peer) {
      switch (endpoint.kind) {
        case PeerKind.IPV4:
        case PeerKind.IPV6:
          return [{ kind: 'prefix', key: `cidr:${endpoint.value}`, value: endpoint.value }];
        case PeerKind.AZURE_SERVICE_TAG:
          return [{ kind: 'prefix', key: `tag:${endpoint.value}`, value: endpoint.value }];
        default:
          this.problems.of(flow).add(`names ${endpoint.expression}, which Azure NSGs cannot express, while one side has Azure members in '${enforcement.node.path}'. Use Peer.ipv4() with the prefix list's CIDRs or Peer.azureServiceTag().`);
          return [];
      }
    }
    if (!segment) return [];
    const remotes: RemoteRef[] = [];
    // ASGs of one rule must all belong to one VNet: only the segment's ASG in this enforcement is
    // used; members elsewhere (another VNet, another platform, external hosts) are addressed by
    // their addresses.
    const asg = this.asgs.get(segment)?.get(enforcement);
    if (asg) remotes.push({ kind: 'asg', key: `asg:${segment.node.path}`, asg });
    for (const member of this.registry.membersOf(segment)) {
      const memberEnforcement = member.platform === Platform.AZURE ? AzureEnforcement.of(member) : undefined;
      if (member.platform === Platform.AZURE && !memberEnforcement) continue; // reported on the workload
      if (memberEnforcement === enforcement) continue; // in the ASG
      if (member.addressCidrs.length === 0) {
        // another platform's workload without addresses: reported by the cross-platform check (lib/render/cross-platform-addresses.ts)
        if (!memberEnforcement) continue;
        this.problems.of(flow).add(`needs the addresses of workload '${member.node.path}', which is an Azure workload of another VNet ('${memberEnforcement.node.path}'), whose ASGs cannot appear in rules of '${enforcement.node.path}', but it has none. Give the workload addresses, for example addresses: [nic.privateIpAddress].`);
        continue;
      }
      member.addressCidrs.forEach((cidr, index) => {
        const key = Token.isUnresolved(cidr) ? `addr:${member.node.path}#${index}` : `cidr:${cidr}`;
        remotes.push({ kind: 'prefix', key, value: cidr, memberAddress: true });
      });
    }
    return remotes;
  }

  /** Brings a bucket's rule definitions in line with its merged rules. */
  private reconcile(bucket: Bucket): void {
    const state = this.stateOf(bucket.local.enforcement);
    const merged = mergeBucket([...bucket.byFlow.values()].flat());
    const wanted = new Map<string, MergedRule>();
    const tierPart = bucket.tier === 'app' ? '' : `${bucket.tier}|`;
    for (const rule of merged) wanted.set(`${tierPart}${bucket.direction}|${bucket.local.path}|${bucket.remote.key}|${rule.portKey}`, rule);
    for (const [identity, def] of bucket.defs) {
      if (wanted.has(identity)) continue;
      for (const rendered of def.rendered.values()) rendered.container.node.tryRemoveChild(rendered.resource.node.id);
      bucket.defs.delete(identity);
      state.defs.delete(identity);
      state.allocation = undefined;
    }
    for (const [identity, rule] of wanted) {
      const owner = ownerStack(bucket, rule);
      const existing = bucket.defs.get(identity);
      if (existing && existing.owner === owner) {
        existing.rule = rule;
        for (const rendered of existing.rendered.values()) {
          rendered.resource.addOverride('//.microseg', existing.bucket.tier === 'guardrail-deny' ? { flows: [], guardrails: rule.flows } : { flows: rule.flows });
          // a flow joining or leaving the rule changes its description, which Azure updates in place
          (rendered.resource as NetworkSecurityRule).description = ruleDescription(existing);
        }
        continue;
      }
      if (existing) {
        for (const rendered of existing.rendered.values()) rendered.container.node.tryRemoveChild(rendered.resource.node.id);
        existing.rendered.clear();
        existing.rule = rule;
        existing.owner = owner;
      }
      const def: RuleDef = existing ?? { identity, bucket, rule, owner, rendered: new Map() };
      bucket.defs.set(identity, def);
      state.defs.set(identity, def);
      state.allocation = undefined;
      for (const nsg of nsgsOf(bucket.local.enforcement)) this.renderDefIn(def, nsg);
    }
  }

  /** Creates the resource of one rule definition in one NSG. */
  private renderDefIn(def: RuleDef, nsg: AzureNsg): void {
    const { direction, local, remote } = def.bucket;
    const enforcement = local.enforcement;
    const state = this.stateOf(enforcement);
    const container = rulesContainer(def.owner, 'MicrosegAzure');
    const tier = def.bucket.tier;
    const id = idFromKey(`${nsg.key}-${tier === 'app' ? '' : `${tier}-`}${direction}-${local.path}-${remote.key}-${def.rule.portKey}`);
    const spec = def.rule.spec;
    const localSide: { asg?: string[]; prefix?: string; prefixes?: string[] } = !local.asg ? { prefix: local.prefix! }
      : def.bucket.ipv6 ? { prefixes: this.memberIpv6Addresses(local.asg) } : { asg: [local.asg.resource.id] };
    const remoteSide: { asg?: string[]; prefix?: string; prefixes?: string[] } = remote.kind === 'asg' ? { asg: [remote.asg.resource.id] }
      : remote.kind === 'ipv6-members' ? { prefixes: this.memberIpv6Addresses(remote.asg) } : { prefix: remote.value };
    const [source, destination] = direction === 'Outbound' ? [localSide, remoteSide] : [remoteSide, localSide];
    const config: NetworkSecurityRuleConfig = {
      name: ruleName(def),
      resourceGroupName: enforcement.resourceGroupName,
      networkSecurityGroupName: nsg.resource.name,
      // Priority from meaning: see allocatePriorities. Resolved at synth, once every rule is known.
      priority: Lazy.numberValue({ produce: () => this.priorityOf(state, direction, tier, def.identity) }),
      direction,
      access: tier === 'guardrail-deny' ? 'Deny' : 'Allow',
      protocol: azureProtocol(spec),
      sourcePortRange: '*',
      destinationPortRange: azurePortRange(spec),
      ...(source.asg ? { sourceApplicationSecurityGroupIds: source.asg }
        : source.prefixes ? { sourceAddressPrefixes: source.prefixes } : { sourceAddressPrefix: source.prefix }),
      ...(destination.asg ? { destinationApplicationSecurityGroupIds: destination.asg }
        : destination.prefixes ? { destinationAddressPrefixes: destination.prefixes } : { destinationAddressPrefix: destination.prefix }),
      description: ruleDescription(def),
    };
    const resource = new NetworkSecurityRule(container, id, config);
    resource.addOverride('//.microseg', tier === 'guardrail-deny' ? { flows: [], guardrails: def.rule.flows } : { flows: def.rule.flows });
    def.rendered.set(nsg.key, { container, resource });
  }

  /** Writes the current IPv6 addresses of an IPv6 rule's members into the sides that name them. */
  private writeAddressSides(def: RuleDef, resource: NetworkSecurityRule): void {
    const { direction, local, remote } = def.bucket;
    if (local.asg) { // an open side is its own prefix
      const addresses = this.memberIpv6Addresses(local.asg);
      if (direction === 'Outbound') resource.sourceAddressPrefixes = addresses;
      else resource.destinationAddressPrefixes = addresses;
    }
    if (remote.kind === 'ipv6-members') {
      const addresses = this.memberIpv6Addresses(remote.asg);
      if (direction === 'Outbound') resource.destinationAddressPrefixes = addresses;
      else resource.sourceAddressPrefixes = addresses;
    }
  }

  /** The IPv6 addresses of a segment's members in an enforcement, sorted. */
  private memberIpv6Addresses(asg: AzureAsg): string[] {
    const addresses = this.localMembers(asg).flatMap((member) => ipv6AddressesOf(member));
    return [...new Set(addresses)].sort(compare);
  }

  /** The members of an ASG's segment that are Azure workloads of its enforcement, by path. */
  private localMembers(asg: AzureAsg): Workload[] {
    return this.registry.membersOf(asg.segment)
      .filter((member) => member.platform === Platform.AZURE && AzureEnforcement.of(member) === asg.enforcement)
      .sort((a, b) => compare(a.node.path, b.node.path));
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
        for (const bucket of this.buckets.values()) {
          if (!requiresIpv6(bucket) || !bucket.byFlow.has(flow) || !bucket.local.asg) continue;
          for (const member of this.localMembers(bucket.local.asg)) {
            if (ipv6AddressesOf(member).length === 0 && !missing.has(member.node.path)) missing.set(member.node.path, { member, remote: bucket.remote.kind === 'prefix' ? bucket.remote.value : '' });
          }
        }
        return [...missing.values()].map(({ member, remote }) => `${kind} '${flow.node.path}' is IPv6 traffic ("${remote}") to or from Azure workload '${member.node.path}', but the workload has no IPv6 address known at synth: Azure application security groups hold IPv4 ip-configurations only, so a rule naming its ASG would never match. Give the workload its IPv6 address (addresses: ['2001:db8::10'], or a literal IPv6 private_ip_address on its NIC), or keep the flow IPv4.`);
      },
    });
  }

  /**
   * The priority of a rule. Priorities are unique per direction within an NSG, and every NSG of an
   * enforcement holds the same rules, so one allocation per enforcement and direction serves all
   * its NSGs. The allocation hashes each rule's identity into 100..denyPriority-1 and probes
   * linearly (lib/private/priority-allocator.ts): adding or removing a flow leaves every other
   * rule's priority where it was, barring a probe collision.
   */
  private priorityOf(state: EnforcementState, direction: Direction, tier: Tier, identity: string): number {
    const allocation = this.allocationOf(state);
    // a rule without a priority is reported at synth; a guardrail deny falls back to its band's end
    const fallback = tier === 'guardrail-deny' ? AZURE_GUARDRAIL_DENY.last : state.enforcement.denyPriority;
    return allocation[direction][tier].assigned.get(identity) ?? fallback;
  }

  /**
   * Priorities per direction and band: guardrail allows 100-149, guardrail denies 150-199 (so a
   * GuardrailAllow beats a DenyFlow and both beat every application rule), application allows
   * 200 to denyPriority - 1.
   */
  private allocationOf(state: EnforcementState): Record<Direction, Record<Tier, PriorityAllocation>> {
    if (!state.allocation) {
      const max = Math.max(MIN_PRIORITY, state.enforcement.denyPriority - 1);
      const keys = (direction: Direction, tier: Tier) => [...state.defs.values()]
        .filter((d) => d.bucket.direction === direction && d.bucket.tier === tier)
        .map((d) => d.identity);
      const bands = (direction: Direction): Record<Tier, PriorityAllocation> => ({
        // the load-balancer probe rule's priority is the enforcement's, never a flow's
        'app': allocatePriorities(keys(direction, 'app'), MIN_PRIORITY, max, direction === 'Inbound' && state.enforcement.allowLoadBalancerProbes ? [state.enforcement.loadBalancerProbePriority] : []),
        'guardrail-allow': allocatePriorities(keys(direction, 'guardrail-allow'), AZURE_GUARDRAIL_ALLOW.first, AZURE_GUARDRAIL_ALLOW.last),
        'guardrail-deny': allocatePriorities(keys(direction, 'guardrail-deny'), AZURE_GUARDRAIL_DENY.first, AZURE_GUARDRAIL_DENY.last),
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
    const key = `${segment.node.path}@${enforcement.node.path}`;
    const resource = new ApplicationSecurityGroup(enforcement, idFromKey(`Asg-${pathKey(segment.node.path)}`), {
      name: azureName('asg', key),
      resourceGroupName: enforcement.resourceGroupName,
      location: enforcement.location,
      tags: { ...enforcement.tags, 'microseg-segment': segment.node.path },
    });
    const asg: AzureAsg = { segment, enforcement, resource, key };
    bySegment.set(enforcement, asg);
    if (!segment.implicit) Inventory.of(stackOf(enforcement)).addGroup(segment.node.path, segment.selector, resource);
    return asg;
  }

  /** Puts a workload's NIC into a segment's ASG (the association covers all IP configurations). */
  private attach(workload: Workload, asg: AzureAsg): void {
    const list = this.attached.get(workload) ?? [];
    if (list.includes(asg)) return;
    list.push(asg);
    list.sort((a, b) => compare(a.key, b.key));
    this.attached.set(workload, list);
    new NetworkInterfaceApplicationSecurityGroupAssociation(workload, idFromKey(`AsgAssociation-${asg.key}`), {
      networkInterfaceId: (workload.resource as NetworkInterface).id,
      applicationSecurityGroupId: asg.resource.id,
    });
  }

  private watchNicQuota(workload: Workload): void {
    workload.node.addValidation({
      validate: () => {
        const list = this.attached.get(workload) ?? [];
        if (list.length <= AZURE_ASGS_PER_NIC) return [];
        return [`Workload '${workload.node.path}' would join ${list.length} application security groups (${list.map((a) => a.segment.node.path).join(', ')}); Azure allows ${AZURE_ASGS_PER_NIC} per NIC IP configuration. Merge segments (one segment per role, with a shared selector) or name fewer workloads directly in flows.`];
      },
    });
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
            const probe = direction === 'Inbound' && enforcement.allowLoadBalancerProbes;
            const count = defs.filter((d) => d.bucket.direction === direction && d.bucket.tier === 'app').length;
            const advice = [
              ...(enforcement.denyPriority < 4096 ? [`raise denyPriority (now ${enforcement.denyPriority}, at most 4096)`] : []),
              ...(probe ? [`set allowLoadBalancerProbes: false to free priority ${enforcement.loadBalancerProbePriority} (then allow Peer.azureServiceTag('AzureLoadBalancer') only into the segments behind a load balancer)`] : []),
              'merge ports into ranges', 'use fewer peers', 'or split the workloads over several VNets/stacks',
            ].join(', ');
            problems.push(`${me}: ${count} ${direction} rules do not fit in priorities ${MIN_PRIORITY}-${enforcement.denyPriority - 1}${probe ? ` (${enforcement.loadBalancerProbePriority} is the load-balancer probe rule's)` : ''} (no priority left for "${left[0]}"${left.length > 1 ? ` and ${left.length - 1} more` : ''}). ${advice[0].toUpperCase()}${advice.slice(1)}.`);
          }
          for (const [tier, band] of [['guardrail-allow', AZURE_GUARDRAIL_ALLOW], ['guardrail-deny', AZURE_GUARDRAIL_DENY]] as const) {
            const rest = allocation[direction][tier].unassigned;
            if (rest.length === 0) continue;
            problems.push(`${me}: ${defs.filter((d) => d.bucket.direction === direction && d.bucket.tier === tier).length} ${direction} ${tier} rules do not fit in the guardrail band ${band.first}-${band.last} (no priority left for "${rest[0]}"${rest.length > 1 ? ` and ${rest.length - 1} more` : ''}). Merge guardrails (one DenyFlow or GuardrailAllow with several ports or a wider selector).`);
          }
        }
        const shapes = defs.map((d) => {
          const local = !d.bucket.ipv6 && d.bucket.local.asg ? [d.bucket.local.asg.key] : [];
          const remote = d.bucket.remote.kind === 'asg' ? [d.bucket.remote.asg.key] : [];
          return { name: d.identity, sourceAsgs: d.bucket.direction === 'Outbound' ? local : remote, destinationAsgs: d.bucket.direction === 'Outbound' ? remote : local };
        });
        const own = enforcement.ownRulesPerNsg;
        const rulesPerNsg = shapes.length + own; // + the deny rules (and the load-balancer probe rule)
        if (rulesPerNsg > enforcement.maxRulesPerNsg) {
          problems.push(`${me}: each of its NSGs needs ${rulesPerNsg} rules (${shapes.length} flow rules and ${own} of its own); the limit is ${enforcement.maxRulesPerNsg} per NSG. Merge ports into ranges, use fewer peers (a segment or a service tag instead of many CIDRs), or split the workloads over several VNets/stacks.`);
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

/** Whether every local member of a bucket needs an IPv6 address: an allow towards an IPv6 peer the flow names. */
function requiresIpv6(bucket: BucketDefinition): boolean {
  return bucket.ipv6 && bucket.tier !== 'guardrail-deny' && !(bucket.remote.kind === 'prefix' && bucket.remote.memberAddress === true);
}

/** The protocol of a port spec as Azure writes it. ICMP rules match every type and code. */
function azureProtocol(spec: PortSpec): string {
  switch (spec.protocol) {
    case 'tcp': return 'Tcp';
    case 'udp': return 'Udp';
    case 'icmp':
    case 'icmpv6': return 'Icmp';
    default: return '*';
  }
}

/** The destination port range of a port spec as Azure writes it (`443`, `8000-8100`, `*`). */
function azurePortRange(spec: PortSpec): string {
  if (spec.protocol !== 'tcp' && spec.protocol !== 'udp') return '*';
  if (spec.from <= 0 && spec.to >= 65535) return '*';
  return spec.from === spec.to ? `${spec.from}` : `${spec.from}-${spec.to}`;
}

/**
 * The Azure name of a rule (unique in its NSG, at most 80 characters): a short readable part
 * (direction, local and remote names, ports) and a digest of the rule's full identity.
 */
function ruleName(def: RuleDef): string {
  const { direction, local, remote } = def.bucket;
  const short = (segment: Segment) => (segment.implicit ? segment.node.scope!.node.id : segment.node.id);
  const remoteName = remote.kind === 'asg' ? short(remote.asg.segment)
    : remote.kind === 'ipv6-members' ? `${short(remote.asg.segment)}-ipv6` : remote.key.replace(/^(cidr|tag|addr):/, '');
  const localName = local.asg ? short(local.asg.segment) : local.prefix === '*' ? 'any' : local.prefix!;
  const readable = `${direction === 'Inbound' ? 'in' : 'out'}-${localName}-${remoteName}-${def.rule.portKey}`
    .replace(/[^A-Za-z0-9_-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '').slice(0, 64);
  return `ms-${readable}-${digest(def.identity)}`;
}

/**
 * The description of a rule: the descriptions of the flows it serves (sorted, joined, cut to
 * Azure's limit). It updates in place and is part of no name, so editing a flow's description
 * never replaces a rule.
 */
function ruleDescription(def: RuleDef): string {
  const flows = [...def.bucket.byFlow.keys()].filter((flow) => def.rule.flows.includes(flow.node.path));
  return azureRuleDescription(mergedDescription(flows.map((flow) => flow.description)));
}

/**
 * Without NIC-level NSGs, a NIC whose subnets are all outside the enforcement's `subnetIds` is
 * covered by no NSG at all, and Azure then allows everything to and from it. Subnet ids are usually
 * references; they are compared as Terraform will read them, and a value that cannot be read is
 * not reported (it cannot be checked).
 */
function uncoveredNicProblems(workload: Workload, enforcement: AzureEnforcement): string[] {
  const nic = workload.resource as NetworkInterface;
  const configurations = nic.ipConfigurationInput;
  if (!Array.isArray(configurations)) return [];
  const stack = stackOf(nic);
  const nicSubnets = configurations.map((c) => terraformText(stack, c.subnetId));
  const enforced = enforcement.subnetIds.map((id) => terraformText(stack, id));
  if (nicSubnets.some((id) => id === undefined) || enforced.some((id) => id === undefined)) return [];
  if (nicSubnets.some((id) => enforced.includes(id))) return [];
  return [`Workload '${workload.node.path}': NIC '${nic.node.path}' is in subnet ${nicSubnets.map((id) => `"${id}"`).join(', ')}, which has no NSG of AzureEnforcement '${enforcement.node.path}', and nicNsgs is off: no NSG would filter its traffic, and Azure allows everything without one. Add the subnet to subnetIds, or set nicNsgs: true.`];
}
