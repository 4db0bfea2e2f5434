import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import type { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupEgressRule, VpcSecurityGroupEgressRuleConfig } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { TerraformResource, TerraformStack, Token } from 'cdktf';
import { Construct, Node } from 'constructs';
import { DenyFlow } from '../deny-flow';
import { AllowFlow } from '../flow';
import { Inventory } from '../inventory';
import { inexpressiblePorts, inexpressibleSide, unaddressedMemberProblem } from '../model/capabilities';
import { peerOf } from '../model/policy-side';
import { PortSpec, portKey, travelsOver } from '../model/ports';
import { membersSeenFrom } from '../model/remote-members';
import { Peer, PeerKind } from '../peer';
import { Platform } from '../platform';
import { SecurityGroupList, boundKindOf } from './bound-resource';
import { SECURITY_GROUP_CAPABILITIES } from './capabilities';
import { AwsEnforcement } from './enforcement';
import { LegacyRuleMoves, legacyRuleAddresses } from './legacy-rule-address';
import { assignAddresses, groupClaims, PermissionAddress, PermissionClaim, PermissionRequest, slotOfAddress, stackOfAddress } from './permission-owners';
import { ruleEditWindows, RuleEditWindow } from './rule-edit-order';
import { compareVpcIds } from './vpc-identity';
import { addressFamilyOf } from '../private/address-family';
import { bulkResource } from '../private/bulk-resource';
import { awsDescription, mergedDescription } from '../private/description';
import { flatText } from '../private/flat-text';
import { idFromKey, pathKey } from '../private/identity';
import { pathOf } from '../private/path-of';
import { tagValue } from '../private/tag-value';
import { terraformText } from '../private/terraform-text';
import { writeProvenance } from '../provenance/resource-comments';
import { PolicyRegistry, PlatformRenderer, compare, stackOf } from '../registry';
import { Allocations } from '../render/allocations';
import { warnOnce } from '../render/app-wide-validation';
import { addressAdvice } from '../render/cross-platform-addresses';
import { FlowBucket, FlowBuckets } from '../render/flow-buckets';
import { FlowProblems, FlowProblemSet } from '../render/flow-problems';
import { PendingWorkloads } from '../render/pending-workloads';
import { readOnce } from '../render/read-once';
import { ResolvedPolicy, Side } from '../render/resolve-policy';
import { rulesContainer } from '../render/rules-container';
import { SegmentFlows } from '../render/segment-flows';
import { recordInventory } from '../render/workload-inventory';
import { Segment } from '../segment';
import { Workload } from '../workload';

/** A security group rendered for one segment in one enforcement (VPC). */
interface AwsGroup {
  readonly segment: Segment;
  readonly enforcement: AwsEnforcement;
  readonly resource: SecurityGroup;
  /** Identity of the group: the segment's identity and the enforcement's path. */
  readonly key: string;
  /** The key as its rules' construct ids begin (`pathKey`), worked out once for all of them. */
  readonly idKey: string;
  /** The group as the peer of other groups' rules, made once (set right after the group, which it refers to). */
  asPeer: PeerRef;
}

/** The groups a workload carries: the user's own, its segments', or the unsegmented guard. */
interface Attachments {
  /** The bound resource's group list (the user's groups, and where ours go). */
  readonly list?: SecurityGroupList;
  readonly groups: AwsGroup[];
  unsegmented?: SecurityGroup;
}

/**
 * The other side of a rule, as AWS names it. `key` is the exact peer (rules with one key and one
 * port spec are one AWS permission); `slot` names where the peer comes from without its value (the
 * flow's own peer, a member's n-th address, a group's identity), so an edited address updates the
 * rule in place.
 */
type PeerRef =
  | { readonly kind: 'group'; readonly key: string; readonly slot: string; readonly group: AwsGroup }
  | { readonly kind: 'cidr_ipv4' | 'cidr_ipv6' | 'prefix_list' | 'external_group'; readonly key: string; readonly slot: string; readonly value: string; readonly maxEntries?: number };

type Direction = 'ingress' | 'egress';

/** What identifies a bucket: group, direction and peer. */
interface BucketDefinition {
  readonly key: string;
  readonly group: AwsGroup;
  readonly direction: Direction;
  readonly peer: PeerRef;
}

/** A rule resource and the permission it renders. */
interface RenderedRule {
  readonly container: Construct;
  readonly permission: string;
  /** The permission as last requested, until the rule is built from it (its flows make the rule's provenance and description); a built rule is updated in place and keeps no request. */
  request?: PermissionRequest;
  /** The resource, once built (while the registry replays, rules are built when the replay ends). */
  resource?: VpcSecurityGroupIngressRule | VpcSecurityGroupEgressRule;
}

/**
 * All rules of one group, direction and exact peer: one rule per distinct permission (identical
 * permissions of several flows or port entries are rendered once, by their owner).
 */
interface Bucket extends BucketDefinition, FlowBucket<AllowFlow> {
  /**
   * `<stack path>|<id key>` (see heldKey) of each rule the bucket renders, in the order they were rendered
   * (the rules are in the renderer's `held`: most buckets render one rule, and a map per bucket
   * would cost several times the rule's own record).
   */
  ruleKeys: string[];
}

/** A rendered rule where it lives (`<stack path>|<id key>` (see heldKey)): the bucket that renders it. */
interface HeldRule {
  readonly bucket: Bucket;
  /** Whether the rule keeps the address it had in the previous synthesis. */
  kept: boolean;
  readonly rule: RenderedRule;
}

/**
 * Renders the policy of AWS workloads as security groups and per-rule resources
 * (`aws_vpc_security_group_ingress_rule` / `_egress_rule`), reactively: each event recomputes only
 * the rule buckets it touches. Every port entry of a flow is its own rule, named by the group's
 * identity, the direction, the peer's slot, the flow's identity and the entry's index: never by
 * port values or addresses (they update in place) nor by other flows, so adding, removing or
 * editing one flow never renames or rewrites another flow's rules. A permission that several
 * entries ask for identically is rendered once, by an owner that stays while it still asks for it.
 */
export class SecurityGroupRenderer implements PlatformRenderer {
  private readonly groups = new Map<Segment, Map<AwsEnforcement, AwsGroup>>();
  private readonly flowsBySegment = new SegmentFlows<AllowFlow>();
  private readonly buckets = new FlowBuckets<AllowFlow, BucketDefinition, Bucket>({
    create: ({ key, group, direction, peer }) => ({
      key, group, direction, peer, byFlow: new Map(), ruleKeys: [],
    }),
    reconcile: (bucket) => this.reconcile(bucket),
  });
  private readonly pending: PendingWorkloads<AwsEnforcement>;
  private readonly problems = new FlowProblems();
  private readonly attached = new Map<Workload, Attachments>();
  private readonly validatedStacks = new Set<TerraformStack>();
  private readonly enforcements = new Set<AwsEnforcement>();
  private readonly unsegmentedUsers = new Map<AwsEnforcement, Set<Workload>>();
  /** The rule at each `<stack path>|<id key>` (see heldKey), which bucket renders it, and whether it keeps a previous address there. */
  private readonly held = new Map<string, HeldRule>();
  /** Warnings of the rules of a bucket that move to another stack, as of its latest reconcile (only buckets that have some). */
  private readonly moves = new Map<Bucket, readonly string[]>();
  /** Warnings of the windows of a bucket's change from the previous synthesis, as of its latest reconcile (only buckets that have some). */
  private readonly windows = new Map<Bucket, readonly string[]>();
  /**
   * Per bucket key, the peer slot through which a flow reaches that bucket, for the flows whose slot
   * is not the bucket's own (two members with one address): the others take the bucket's.
   */
  private readonly peerSlots = new Map<string, Map<AllowFlow, string>>();

  /** Rules decided since the registry last told every declaration, built then (onRendered). */
  private readonly toBuild: RuleToBuild[] = [];

  public constructor(private readonly registry: PolicyRegistry) {
    this.pending = new PendingWorkloads(registry, {
      enforcementOf: (scope) => AwsEnforcement.of(scope),
      missing: (workload) => `Workload '${workload.node.path}' is bound to an AWS ${workload.resource!.terraformResourceType} but stack '${stackOf(workload).node.path}' has no AwsEnforcement. Add new AwsEnforcement(stack, 'Aws', { vpcId: vpc.id }) to that stack.`,
    });
  }

  /**
   * Builds the rules decided since the last call. cdktf captures and keeps the whole call stack for
   * every token a resource creates: built here, right below the registry's end of the replay, a rule
   * takes a short stack instead of the chain of events and renderer calls that decided it, which
   * costs time in every capture and memory in every kept trace. The constructor is called in this
   * loop, not in a helper, for the same reason.
   */
  public onRendered(): void {
    for (let i = 0; i < this.toBuild.length; i++) {
      const { bucket, key, rule, id, legacy } = this.toBuild[i];
      if (this.held.get(key)?.rule !== rule) continue; // withdrawn before it was built
      const request = rule.request!;
      rule.request = undefined;
      const config = ruleConfig(bucket, request);
      const resource = bucket.direction === 'ingress'
        ? new VpcSecurityGroupIngressRule(rule.container, id, config)
        : new VpcSecurityGroupEgressRule(rule.container, id, config);
      bulkResource(resource);
      writeProvenance(resource, { flows: request.flows });
      rule.resource = resource;
      if (legacy && bucket.byFlow.has(legacy.owner)) keepLegacyAddress(resource, rule.container, legacy.id, stackOf(legacy.owner));
    }
    this.toBuild.length = 0;
  }

  public onWorkload(workload: Workload): void {
    if (workload.platform !== Platform.AWS) return;
    recordInventory(workload);
    const enforcement = this.pending.enforcementOf(workload);
    if (enforcement) this.enroll(workload, enforcement);
  }

  public onEnforcement(stack: TerraformStack): void {
    const enforcement = AwsEnforcement.of(stack);
    if (!enforcement) return; // another platform's enforcement
    this.enforcements.add(enforcement);
    this.watchRuleQuota(enforcement);
    this.pending.release(stack, (workload) => this.enroll(workload, enforcement), this);
  }

  public onMembership(workload: Workload, segment: Segment): void {
    if (workload.platform === Platform.AWS) {
      const enforcement = AwsEnforcement.of(workload);
      if (!enforcement) return; // rendered once the stack's enforcement is declared
      if (!this.rendersGroup(segment)) return; // a stand-in no AllowFlow names: it has no flows to re-render either
      const { group, created } = this.ensureGroup(segment, enforcement);
      this.attach(workload, group);
      // With one VPC, members are addressed by their group, so an existing group means the peers
      // of the segment's flows are unchanged; other VPCs address members by IP and need a re-render.
      // While the registry replays, every member is known to the flows' first rendering already.
      if (!created && (this.enforcements.size <= 1 || this.registry.replaying)) return;
    }
    for (const flow of this.flowsBySegment.of(segment)) this.renderFlow(flow);
  }

  public onFlow(flow: AllowFlow): void {
    this.flowsBySegment.add(flow);
    const { from, to } = ResolvedPolicy.of(this.registry).flow(flow);
    for (const segment of [from.segment, to.segment]) {
      if (segment && isStandIn(segment)) this.groupStandIn(segment);
    }
    this.renderFlow(flow);
  }

  /**
   * Whether a segment gets security groups. A stand-in segment (a workload's one-member segment, a
   * DenyFlow's selector) gets them only once an AllowFlow names it: a guardrail alone has nothing
   * to allow, and an empty group would still count towards the groups-per-interface quota.
   */
  private rendersGroup(segment: Segment): boolean {
    return !isStandIn(segment) || [...this.flowsBySegment.of(segment)].length > 0;
  }

  /** Gives a stand-in segment that an AllowFlow now names its groups and attaches them to its members. */
  private groupStandIn(segment: Segment): void {
    for (const { workload: member, enforcement } of ResolvedPolicy.of(this.registry).segmentSide(segment).members) {
      if (member.platform !== Platform.AWS) continue;
      if (!enforcement) continue; // rendered once the stack's enforcement is declared
      this.attach(member, this.ensureGroup(segment, enforcement as AwsEnforcement).group);
    }
  }

  /** Gives a workload of an enforcement its interface quota check and its default-deny guard. */
  private enroll(workload: Workload, enforcement: AwsEnforcement): void {
    const replacement = workload.resource && boundKindOf(workload)?.replacement?.(workload.resource);
    if (replacement) warnOnce(workload, `[microseg:binding-replaces-resource] Workload '${workload.node.path}' is bound to '${workload.resource!.node.path}', which ${replacement}`);
    const defaultVpc = workload.resource && boundKindOf(workload)?.defaultVpc?.(workload.resource);
    if (defaultVpc) warnOnce(workload, `[microseg:binding-default-vpc] Workload '${workload.node.path}' is bound to '${workload.resource!.node.path}', which ${defaultVpc}`);
    this.watchInterfaceQuota(workload, enforcement);
    this.guardUnsegmented(workload, enforcement);
  }

  /** Recomputes what one flow contributes to each bucket and reconciles the buckets that changed. */
  private renderFlow(flow: AllowFlow): void {
    if (flow.problems().length > 0) return; // synthesis will fail with the flow's problems
    const problems = this.problems.of(flow);
    problems.clear();
    const wanted = new Map<string, BucketDefinition>();
    const add = (group: AwsGroup, direction: Direction, peer: PeerRef) => {
      const key = flatText(`${group.key}|${direction}|${peer.key}`);
      if (wanted.has(key)) return; // two members with one address: the first (by path) names the rule
      wanted.set(key, { key, group, direction, peer });
      // a new bucket takes this definition, so its slot is this one
      const bucketSlot = this.buckets.get(key)?.peer.slot ?? peer.slot;
      if (bucketSlot !== peer.slot) {
        if (!this.peerSlots.has(key)) this.peerSlots.set(key, new Map());
        this.peerSlots.get(key)!.set(flow, peer.slot);
      } else {
        this.peerSlots.get(key)?.delete(flow);
      }
    };
    const resolved = ResolvedPolicy.of(this.registry).flow(flow);
    const from = resolved.from.segment;
    const to = resolved.to.segment;
    for (const group of from ? this.groupsOf(from) : []) {
      for (const peer of this.peersOf(problems, resolved.to, group)) add(group, 'egress', peer);
    }
    for (const group of to ? this.groupsOf(to) : []) {
      for (const peer of this.peersOf(problems, resolved.from, group)) add(group, 'ingress', peer);
    }
    const inexpressible = wanted.size > 0 ? inexpressiblePorts(resolved.ports, SECURITY_GROUP_CAPABILITIES) : undefined;
    if (inexpressible) {
      problems.add(inexpressible);
      wanted.clear();
    }
    const carried = [...wanted.values()].some((definition) => resolved.ports.some((spec) => peerCarries(definition.peer, spec)));
    if (wanted.size > 0 && !carried) {
      problems.add(otherFamilyProblem([...wanted.values()].map((definition) => definition.peer), resolved.ports));
      wanted.clear();
    }
    this.buckets.update(flow, wanted, resolved.ports);
  }

  /** The rule peers that stand for a flow side as seen from `group`'s VPC. */
  private peersOf(problems: FlowProblemSet, side: Side, group: AwsGroup): PeerRef[] {
    const peer = peerOf(side);
    if (peer) {
      const problem = inexpressibleSide(peer, SECURITY_GROUP_CAPABILITIES, pathOf(group.enforcement));
      if (problem) {
        problems.add(problem);
        return [];
      }
      if (peer.kind === 'named' && peer.peerKind === PeerKind.AWS_SECURITY_GROUP) return [{ kind: 'external_group', key: `extsg:${peer.value}`, slot: 'peer', value: peer.value }];
      if (peer.kind === 'named') return [{ kind: 'prefix_list', key: `pl:${peer.value}`, slot: 'peer', value: peer.value, maxEntries: peer.maxEntries }];
      // an expression is keyed by its text, not its token: two reads of one attribute are two tokens
      // for one permission, which AWS refuses to hold twice in a group
      const text = terraformText(stackOf(group.enforcement), peer.value) ?? peer.value;
      return [{ kind: peer.family === 'ipv4' ? 'cidr_ipv4' : 'cidr_ipv6', key: `cidr:${text}`, slot: 'peer', value: peer.value }];
    }
    if (!side.segment) return [];
    const peers: PeerRef[] = [];
    const sameVpc = [...(this.groups.get(side.segment)?.values() ?? [])].filter((g) => g.enforcement._sharesNetworkWith(group.enforcement));
    for (const other of sameVpc) peers.push(other.asPeer);
    // A member in this VPC is covered by its segment's group (which exists, or is being created
    // right now and will re-render this flow).
    const seen = membersSeenFrom(side, Platform.AWS, (own) => (own as AwsEnforcement)._sharesNetworkWith(group.enforcement));
    for (const { workload, enforcement } of seen.unaddressed) {
      const advice = addressAdvice(workload);
      const where = group.enforcement.node.path;
      problems.add(unaddressedMemberProblem(workload.node.path, enforcement!.node.path, SECURITY_GROUP_CAPABILITIES, where, advice));
    }
    for (const member of seen.remote) {
      member.addressCidrs.forEach((cidr, index) => {
        const slot = `addr:${member.identity}#${index}`;
        const key = Token.isUnresolved(cidr) ? slot : `cidr:${cidr}`;
        peers.push({ kind: addressFamilyOf(cidr, member) === 'ipv6' ? 'cidr_ipv6' : 'cidr_ipv4', key, slot, value: cidr });
      });
    }
    return peers;
  }

  /** Brings a bucket's rendered rules in line with the permissions its flows ask for. */
  private reconcile(bucket: Bucket): void {
    const claims: PermissionClaim[] = [];
    const slots = this.peerSlots.get(bucket.key);
    const stacks = new Map<string, TerraformStack>();
    for (const [flow, contributions] of bucket.byFlow) {
      const peerSlot = slots?.get(flow) ?? bucket.peer.slot;
      const stack = pathOf(stackOf(flow));
      stacks.set(stack, stackOf(flow));
      contributions.forEach((contribution, index) => {
        if (!peerCarries(bucket.peer, contribution.spec)) return; // an IPv4 address carries no ICMPv6, nor an IPv6 one ICMPv4
        claims.push({ address: `${stack}|${peerSlot}|${flow.identity}#${index}`, spec: contribution.spec, flow: pathOf(flow) });
      });
    }
    const allocations = Allocations.of(bucket.group.enforcement);
    const ownerGroup = `aws-security-group-rule|${bucket.key}`;
    const ownerKey = (permission: string) => `${ownerGroup}|${permission}`;
    // an address is asked about several times: its held key is worked out once
    const keys = new Map<string, string>();
    const keyAt = (address: string) => {
      let key = keys.get(address);
      if (key === undefined) keys.set(address, key = this.heldKey(bucket, address));
      return key;
    };
    const addresses = assignAddresses(groupClaims(claims), {
      previous: (permission) => allocations.previousOwner(ownerKey(permission)),
      reusable: (address) => this.holderAt(bucket, keyAt(address))?.kept !== true,
      available: (address) => this.holderAt(bucket, keyAt(address)) === undefined,
      previousRules: () => allocations.previousOwnersIn(ownerGroup),
    });
    const wanted = new Map<string, { request: PermissionRequest; stack: TerraformStack; id: string; kept: boolean }>();
    const moves: string[] = [];
    for (const { request, address, movedFrom, kept } of addresses) {
      allocations.owner(ownerKey(request.permission), [address]);
      const stack = stacks.get(stackOfAddress(address))!; // addresses are only assigned in stacks of current claims
      // only an address a rule takes is named: its id is a digest
      wanted.set(keyAt(address), { request, stack, id: this.ruleIdAt(bucket, address), kept });
      if (movedFrom) moves.push(moveWarning(bucket, request, stackOfAddress(movedFrom), stack.node.path));
    }
    if (moves.length > 0) this.moves.set(bucket, moves);
    else this.moves.delete(bucket);
    this.warnOfWindows(bucket, allocations.previousOwnersIn(ownerGroup), addresses);
    for (const key of [...bucket.ruleKeys]) {
      if (wanted.get(key)?.request.permission !== this.held.get(key)!.rule.permission) this.unrender(bucket, key);
    }
    const evicted = new Set<Bucket>();
    let legacyAddressOf: ReturnType<typeof legacyRuleAddresses> | undefined;
    for (const [key, { request, stack, id, kept }] of wanted) {
      const held = this.held.get(key);
      // only a kept address can be held elsewhere: by a rule that started there, which gives way
      if (held && held.bucket !== bucket) {
        this.unrender(held.bucket, key);
        evicted.add(held.bucket);
      }
      if (held?.bucket === bucket) {
        held.kept = kept;
        const existing = held.rule;
        if (!existing.resource) {
          existing.request = request; // built with the latest request
          continue;
        }
        writeProvenance(existing.resource, { flows: request.flows });
        // a flow joining or leaving the rule changes its description, which AWS updates in place
        existing.resource.description = ruleDescription(bucket, request);
        continue;
      }
      const container = rulesContainer(stack, 'Microseg');
      const rule: RenderedRule = { container, permission: request.permission, request };
      this.held.set(key, { bucket, kept, rule });
      // a first key gets an array of its own size (a push onto an empty array reserves 17 places)
      if (bucket.ruleKeys.length === 0) bucket.ruleKeys = [key];
      else bucket.ruleKeys.push(key);
      // the earlier address derives from the claims as they are now: worked out here, so the queue keeps no claims
      legacyAddressOf ??= legacyRuleAddresses(bucket, claims);
      const legacy = legacyAddressOf(request.spec);
      const owner = legacy && [...bucket.byFlow.keys()].find((flow) => pathOf(flow) === legacy.owner);
      this.toBuild.push({ bucket, key, rule, id, ...(legacy && owner ? { legacy: { id: legacy.id, owner } } : {}) });
    }
    for (const other of evicted) this.reconcile(other);
  }

  /** Records the warnings of the windows a bucket's change from the previous synthesis leaves (see `ruleEditWindows`). */
  private warnOfWindows(bucket: Bucket, previous: ReadonlyArray<readonly [string, string]>, addresses: readonly PermissionAddress[]): void {
    const windows = ruleEditWindows(previous, addresses.map(({ address, request }) => ({ address, permission: request.permission })));
    if (windows.length === 0) {
      this.windows.delete(bucket);
      return;
    }
    const flowsOf = new Map(addresses.map(({ request }) => [request.permission, request.flows]));
    this.windows.set(bucket, windows.map((window) => editWindowWarning(bucket, window, flowsOf.get(window.after) ?? [])));
  }

  /** Removes a bucket's rule at `key` (`<stack path>|<id key>` (see heldKey)). */
  private unrender(bucket: Bucket, key: string): void {
    const rendered = this.held.get(key)!.rule; // the bucket's own rule: a bucket only removes what it holds
    if (rendered.resource) {
      LegacyRuleMoves.of(stackOf(rendered.container)).remove(`${rendered.resource.terraformResourceType}.${rendered.resource.friendlyUniqueId}`);
      rendered.container.node.tryRemoveChild(rendered.resource.node.id);
    }
    bucket.ruleKeys.splice(bucket.ruleKeys.indexOf(key), 1);
    this.held.delete(key);
  }

  /** The construct id of the rule at `address` (`<stack path>|<slot>`) of a bucket: group identity, direction and slot, never ports or addresses. */
  private ruleIdAt(bucket: Bucket, address: string): string {
    return idFromKey(ruleIdKey(bucket, address));
  }

  /**
   * Where the rule at a bucket's `address` is held: its stack and what its construct id is made of,
   * so that asking whether an address is taken costs no digest (one key, one id).
   */
  private heldKey(bucket: Bucket, address: string): string {
    return flatText(`${stackOfAddress(address)}|${ruleIdKey(bucket, address)}`);
  }

  /** The rule of another bucket held at `key` (see heldKey), if any. */
  private holderAt(bucket: Bucket, key: string): HeldRule | undefined {
    const holder = this.held.get(key);
    return holder && holder.bucket !== bucket ? holder : undefined;
  }

  private groupsOf(segment: Segment): AwsGroup[] {
    return [...(this.groups.get(segment)?.values() ?? [])].sort((a, b) => compare(a.key, b.key));
  }

  private ensureGroup(segment: Segment, enforcement: AwsEnforcement): { group: AwsGroup; created: boolean } {
    let bySegment = this.groups.get(segment);
    if (!bySegment) {
      bySegment = new Map();
      this.groups.set(segment, bySegment);
    }
    const existing = bySegment.get(enforcement);
    if (existing) return { group: existing, created: false };
    const identity = segment.identity;
    const name = shortName(segment);
    // Built as the rules are: cdktf's preparation pass meets the groups before the workloads'
    // resources, and resolving 2,000 groups' bodies there (the 10x bench estate) left the pass
    // promoting 160 MB of the resources' short-lived objects to the old generation, which every
    // later young collection of the synthesis paid for.
    const resource = bulkResource(new SecurityGroup(enforcement, idFromKey(`Sg-${pathKey(identity)}`), {
      namePrefix: groupNamePrefix(name),
      // name_prefix, description and vpc_id force replacement: they derive from the segment's
      // identity only, so editing the segment's description (a tag) or renaming a segment that keeps
      // its stableId never replaces the group.
      description: groupDescription(segment),
      vpcId: enforcement.vpcId,
      // Replaced only when vpc_id (or the segment's identity) changes. Rules are per-rule resources
      // that Terraform deletes before their group, so teardown needs no revoking; with revoking, a
      // replaced group would silently take the rules other stacks own along (AWS revokes the rules
      // of other groups that reference it). Without it the delete fails loudly while such a rule
      // still references the group, and nothing is cut behind Terraform's back.
      revokeRulesOnDelete: false,
      lifecycle: { createBeforeDestroy: true },
      tags: {
        ...enforcement.tags,
        'Name': tagValue(name),
        'microseg:segment': tagValue(identity),
        ...userDescriptionTag(segment),
      },
    }));
    const key = `${identity}@${enforcement.node.path}`;
    const peerKey = `sg:${key}`;
    const group: AwsGroup = { segment, enforcement, resource, key, idKey: pathKey(key), asPeer: undefined! };
    group.asPeer = { kind: 'group', key: peerKey, slot: peerKey, group };
    bySegment.set(enforcement, group);
    if (!segment.implicit) Inventory.of(stackOf(enforcement)).addGroup(segment.node.path, segment.selector, resource, segment.identity);
    return { group, created: true };
  }

  /** Adds a group to a workload's interface, keeping the groups the user set. */
  private attach(workload: Workload, group: AwsGroup): void {
    const state = this.attachmentState(workload);
    if (state.groups.includes(group)) return;
    state.groups.push(group);
    state.groups.sort((a, b) => compare(a.key, b.key));
    this.applyAttachments(workload, state);
  }

  /**
   * Gives a workload that is in no segment (yet) the enforcement's empty "unsegmented" group, so it
   * is default-deny too: without any group, AWS would put the interface in the VPC's default group,
   * which lets all traffic out. The group goes away when the workload joins its first segment.
   */
  private guardUnsegmented(workload: Workload, enforcement: AwsEnforcement): void {
    const state = this.attachmentState(workload);
    if (state.groups.length > 0) return;
    // every declaration is known: a workload that is about to join a group gets no guard to throw away
    if (this.registry.segmentsOf(workload).some((segment) => !isStandIn(segment) || ResolvedPolicy.of(this.registry).isNamedByFlow(segment))) return;
    if (ResolvedPolicy.of(this.registry).isNamedByFlow(workload)) return;
    state.unsegmented = this.unsegmentedGroup(enforcement, workload);
    this.applyAttachments(workload, state);
  }

  private attachmentState(workload: Workload): Attachments {
    let state = this.attached.get(workload);
    if (!state) {
      const resource = workload.resource;
      state = { groups: [], list: resource ? boundKindOf(workload)?.groupList(resource) : undefined };
      this.attached.set(workload, state);
    }
    return state;
  }

  /** Writes the groups a workload should carry onto its resource's own group list. */
  private applyAttachments(workload: Workload, state: Attachments): void {
    const userGroups = state.list?.hasUserGroups === true;
    const guarded = state.groups.length === 0 && !userGroups && state.unsegmented !== undefined;
    const groups = guarded ? [state.unsegmented!] : state.groups.map((g) => g.resource);
    if (!guarded && state.unsegmented) this.releaseUnsegmented(workload, state);
    // The resource's own list, never aws_network_interface_sg_attachment: an interface created
    // without a list is put in the VPC's default group, which attachments never remove, and that
    // group lets all traffic out.
    state.list?.write(groups.map((g) => readOnce(g, 'id')));
  }


  /** Stops guarding a workload that joined a segment; the group goes when its last user does. */
  private releaseUnsegmented(workload: Workload, state: Attachments): void {
    const enforcement = AwsEnforcement.of(workload)!;
    state.unsegmented = undefined;
    const users = this.unsegmentedUsers.get(enforcement)!;
    users.delete(workload);
    if (users.size === 0) enforcement.node.tryRemoveChild('Unsegmented');
  }

  /** The enforcement's empty group for workloads in no segment, created on first use. */
  private unsegmentedGroup(enforcement: AwsEnforcement, workload: Workload): SecurityGroup {
    if (!this.unsegmentedUsers.has(enforcement)) this.unsegmentedUsers.set(enforcement, new Set());
    this.unsegmentedUsers.get(enforcement)!.add(workload);
    const existing = enforcement.node.tryFindChild('Unsegmented') as SecurityGroup | undefined;
    if (existing) return existing;
    return bulkResource(new SecurityGroup(enforcement, 'Unsegmented', {
      namePrefix: 'microseg-unsegmented-',
      description: 'microseg default deny for workloads in no segment',
      vpcId: enforcement.vpcId,
      revokeRulesOnDelete: false, // it never has rules, and nothing may reference it
      lifecycle: { createBeforeDestroy: true },
      tags: { ...enforcement.tags, 'Name': 'microseg-unsegmented', 'microseg:segment': 'none' },
    }));
  }

  private watchInterfaceQuota(workload: Workload, enforcement: AwsEnforcement): void {
    workload.node.addValidation({
      validate: () => {
        const vpc = otherVpcProblem(workload, enforcement);
        if (vpc) return [vpc];
        const state = this.attached.get(workload);
        const base = state?.list?.userGroupCount ?? 0;
        const count = (state?.groups.length ?? 0) + base;
        const kind = boundKindOf(workload);
        const apiLimited = kind?.apiMaxGroups !== undefined && kind.apiMaxGroups < enforcement.maxGroupsPerInterface;
        const limit = apiLimited ? kind!.apiMaxGroups! : enforcement.maxGroupsPerInterface;
        if (count <= limit) return [];
        const names = (state?.groups ?? []).map((g) => g.segment.node.path).join(', ');
        const quota = apiLimited
          ? `a ${kind!.noun} takes at most ${limit} (${kind!.groupField}), whatever the interface quota. Merge segments, or put the workload in fewer segments.`
          : `the quota is ${limit} per interface. Merge segments, or raise the quota with AWS and set maxGroupsPerInterface on '${enforcement.node.path}'.`;
        return [`Workload '${workload.node.path}' would carry ${count} security groups (${names}${base ? ` and ${base} of its own` : ''}); ${quota}`];
      },
    });
  }

  private watchRuleQuota(enforcement: AwsEnforcement): void {
    const stack = stackOf(enforcement);
    if (this.validatedStacks.has(stack)) return;
    this.validatedStacks.add(stack);
    enforcement.node.addValidation({
      validate: () => {
        // per group, its rules in the order of QUOTA_COUNTERS
        const counts = new Map<AwsGroup, number[]>();
        // one list named with several maxEntries counts as the largest, whichever flow came first
        const listEntries = new Map<string, number>();
        for (const flow of this.registry.flows) {
          for (const end of [flow.from, flow.to]) {
            if (end instanceof Peer && end.kind === PeerKind.AWS_PREFIX_LIST && end.maxEntries !== undefined) {
              listEntries.set(end.value, Math.max(listEntries.get(end.value) ?? 1, end.maxEntries));
            }
          }
        }
        for (const bucket of this.buckets.values()) {
          if (bucket.group.enforcement !== enforcement) continue;
          // counted per group object: a text key per bucket cost more than the count itself
          let groupCounts = counts.get(bucket.group);
          if (!groupCounts) counts.set(bucket.group, groupCounts = [0, 0, 0, 0]);
          // AWS counts a rule naming a prefix list as the list's max entries
          const weight = bucket.peer.kind === 'prefix_list' ? listEntries.get(bucket.peer.value) ?? 1 : 1;
          const rules = bucket.ruleKeys.length * weight;
          const first = bucket.direction === 'ingress' ? 0 : 2;
          if (bucket.peer.kind !== 'cidr_ipv6') groupCounts[first] += rules;
          if (bucket.peer.kind !== 'cidr_ipv4') groupCounts[first + 1] += rules;
        }
        for (const bucket of this.buckets.values()) {
          if (bucket.group.enforcement !== enforcement) continue;
          for (const move of this.moves.get(bucket) ?? []) warnOnce(enforcement, move);
          for (const window of this.windows.get(bucket) ?? []) warnOnce(enforcement, window);
        }
        const over: Array<{ readonly key: string; readonly count: number }> = [];
        for (const [group, groupCounts] of counts) {
          groupCounts.forEach((count, index) => {
            if (count <= enforcement.maxRulesPerGroup) return;
            over.push({ key: `${pathOf(group.segment)}|${QUOTA_COUNTERS[index]}`, count });
          });
        }
        const problems: string[] = [];
        for (const { key, count } of over.sort((a, b) => compare(a.key, b.key))) {
          const [segment, direction, family] = key.split('|');
          problems.push(`Segment '${segment}': its security group in '${enforcement.node.path}' needs ${count} ${direction} ${family} rules; the quota is ${enforcement.maxRulesPerGroup} per direction. Merge ports into ranges, use fewer peers (a segment instead of many CIDRs, or a prefix list, which counts as its max entries), split the segment, or raise the quota with AWS and set maxRulesPerGroup.`);
        }
        return problems;
      },
    });
  }
}

/** The direction and address family of each of a group's four rule counts, as the quota message words them. */
const QUOTA_COUNTERS = ['ingress|IPv4', 'ingress|IPv6', 'egress|IPv4', 'egress|IPv6'];

/**
 * Whether a segment only stands for something else: a workload named directly in a flow or a
 * guardrail (its one-member segment), or the label selector of a DenyFlow.
 */
function isStandIn(segment: Segment): boolean {
  return segment.implicit || DenyFlow.isDenyFlow(segment.node.scope);
}

/** What a group stands for: the segment, or for a workload's one-member segment the workload. */
function subjectIdentity(segment: Segment): string {
  return segment.implicit ? (segment.node.scope as Workload).identity : segment.identity;
}

/** Whether traffic of `spec` can come from or go to a rule's peer: a CIDR carries its own family only (groups and prefix lists either). */
function peerCarries(peer: PeerRef, spec: PortSpec): boolean {
  if (peer.kind === 'cidr_ipv4') return travelsOver(spec, 'ipv4');
  return peer.kind !== 'cidr_ipv6' || travelsOver(spec, 'ipv6');
}

/** The problem of a flow whose every port is ICMP of the other IP family than every rule peer it would have. */
function otherFamilyProblem(peers: readonly PeerRef[], ports: readonly PortSpec[]): string {
  // only CIDR peers carry one family: every peer here is one
  const values = [...new Set(peers.flatMap((peer) => (peer.kind === 'group' ? [] : [peer.value])))].map((value) => `"${value}"`).join(', ');
  const ipv4 = peers.some((peer) => peer.kind === 'cidr_ipv4');
  return `allows only ${ports.map(portKey).join(', ')}, but its security group rules would name ${values}, ${ipv4 ? 'IPv4' : 'IPv6'} addresses, `
    + `which no ${ipv4 ? 'ICMPv6' : 'ICMPv4'} packet comes from or goes to. Use ${ipv4 ? 'Port.icmp()' : 'Port.icmpv6()'} for ${ipv4 ? 'IPv4' : 'IPv6'}, `
    + `or name the ${ipv4 ? 'IPv6' : 'IPv4'} addresses (${ipv4 ? 'Peer.ipv6()' : 'Peer.ipv4()'}, or the workloads' ${ipv4 ? 'IPv6' : 'IPv4'} addresses).`;
}

/**
 * The group's name prefix: the segment's short name in the characters EC2 takes. EC2 refuses a
 * group name that starts with `sg-` (the form of group ids), so such a name gets `ms-` in front; no
 * group could have been created with the bare one, so no existing group's name changes.
 */
function groupNamePrefix(name: string): string {
  const plain = name.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 60);
  return `${plain.startsWith('sg-') ? 'ms-' : ''}${plain}-`;
}

/** The last part of the subject's identity: names the group. */
function shortName(segment: Segment): string {
  const identity = subjectIdentity(segment);
  return identity.split('/').pop() || identity;
}

/**
 * The group's description, which forces replacement: it derives from identity only, never from the
 * segment's `description` (that goes into a tag, which updates in place).
 */
function groupDescription(segment: Segment): string {
  const kind = segment.implicit ? 'microseg workload' : 'microseg segment';
  return awsDescription(`${kind} ${subjectIdentity(segment)}`, kind);
}

/** The `microseg:description` tag carrying the user's description of a segment, when given. */
function userDescriptionTag(segment: Segment): Record<string, string> {
  const defaults = [`microseg segment ${segment.node.path}`, `microseg workload ${segment.node.scope?.node.path}`];
  if (defaults.includes(segment.description)) return {};
  // EC2 tag values take at most 256 characters; the description text rules keep them plain
  const text = awsDescription(segment.description, '', 255);
  return text ? { 'microseg:description': text } : {};
}

/**
 * Adds a `moved` block from the address the rule had when rules were named by their merged ports
 * (earlier releases), when that scheme rendered exactly this permission in this stack: the first
 * apply after an upgrade then renames the rule in the state instead of destroying and creating it
 * with no order between the two. Terraform ignores a `moved` block whose old address is not in the
 * state.
 */
function keepLegacyAddress(resource: TerraformResource, container: Construct, legacyId: string, legacyStack: TerraformStack): void {
  const stack = stackOf(container);
  if (legacyStack !== stack) return;
  const current = resource.friendlyUniqueId; // cdktf works it out once and keeps it: the synthesis needs it anyway
  // the id cdktf gives a resource at that path (a Node-like value: only its scopes are read)
  const logicalId = stack.getLogicalId({ scopes: [stack, container, { node: { id: legacyId } }] } as unknown as Node);
  if (logicalId !== current) LegacyRuleMoves.of(stack).add(`${resource.terraformResourceType}.${current}`, `${resource.terraformResourceType}.${logicalId}`);
}

/**
 * The warning for a rule that moves to another stack: its old stack no longer declares it, so its
 * traffic drops between the apply that destroys it and the apply that creates it again (creating it
 * first fails: AWS rejects an identical permission twice in one group).
 */
function moveWarning(bucket: Bucket, request: PermissionRequest, from: string, to: string): string {
  const flows = request.flows.map((f) => `'${f}'`).join(', ');
  const side = bucket.direction === 'ingress' ? 'from' : 'to';
  return `[microseg-rule-moves-stack] AllowFlow ${flows}: the ${bucket.direction} rule ${request.permission} ${side} ${bucket.peer.key} of the security group of '${bucket.group.key}' moves from stack '${from}' (which no longer declares it) to stack '${to}'. Its traffic drops between the two applies: apply '${from}' first, then '${to}' at once.`;
}

/**
 * The warning for traffic one rule of a bucket stops carrying while another starts, which Terraform
 * does in no order. (A `depends_on` would order a split, but it would hold only in the synthesis
 * that sees the change: the next one, as `cdktf deploy` runs, no longer knows the old rules.)
 */
function editWindowWarning(bucket: Bucket, window: RuleEditWindow, flows: readonly string[]): string {
  const side = bucket.direction === 'ingress' ? 'from' : 'to';
  const owners = flows.map((f) => `'${f}'`).join(', ');
  return `[microseg-sg-rule-window] AllowFlow ${owners}: the security group of '${bucket.group.key}' has its ${bucket.direction} rule ${window.before} ${side} ${bucket.peer.key} ${window.change} while rule ${window.after} is ${window.by}, which Terraform does in no order: traffic both match (${window.common}) drops between the two. To avoid it, deploy once with both (keep the old ports in a flow of their own), then remove the old one.`;
}

/** What the construct id of the rule at a bucket's `address` digests: the group's identity, the direction and the peer's slot. */
function ruleIdKey(bucket: Bucket, address: string): string {
  return `${bucket.group.idKey}-${bucket.direction}-${pathKey(slotOfAddress(address))}`;
}

/** The arguments of the rule that renders `permission` in a bucket. */
function ruleConfig(bucket: Bucket, permission: PermissionRequest): VpcSecurityGroupEgressRuleConfig {
  const { group, peer } = bucket;
  const spec = permission.spec;
  // AWS matches ports for tcp, udp and ICMP only; SCTP is IP protocol 132 and its rule has no ports
  const protocol = spec.protocol === 'all' ? '-1' : spec.protocol === 'sctp' ? '132' : spec.protocol;
  return {
    securityGroupId: readOnce(group.resource, 'id'),
    ipProtocol: protocol,
    ...(protocol === '-1' || protocol === '132' ? {} : { fromPort: spec.from, toPort: spec.to }),
    ...(peer.kind === 'group' ? { referencedSecurityGroupId: readOnce(peer.group.resource, 'id') } : {}),
    ...(peer.kind === 'cidr_ipv4' ? { cidrIpv4: peer.value } : {}),
    ...(peer.kind === 'cidr_ipv6' ? { cidrIpv6: peer.value } : {}),
    ...(peer.kind === 'prefix_list' ? { prefixListId: peer.value } : {}),
    ...(peer.kind === 'external_group' ? { referencedSecurityGroupId: peer.value } : {}),
    description: ruleDescription(bucket, permission),
  };
}

/**
 * The description of a rule: the descriptions of the flows it serves (sorted, joined, made fit for
 * AWS). It updates in place and is part of no construct id, so editing a flow's description never
 * replaces a rule.
 */
function ruleDescription(bucket: Bucket, rule: PermissionRequest): string {
  const flows = [...bucket.byFlow.keys()].filter((flow) => rule.flows.includes(pathOf(flow)));
  const { direction, peer } = bucket;
  // Each description is rewritten on its own, so one that AWS would reject entirely drops out
  // instead of leaving an empty part behind.
  const own = flows.map((flow) => awsDescription(flow.description, ''));
  const merged = awsDescription(mergedDescription(own), '');
  return merged || awsDescription(`microseg ${direction === 'ingress' ? 'from' : 'to'} ${peer.key} ${rule.permission}`, 'microseg');
}

/** A rule the renderer decided and builds in onRendered, with what its construction needs. */
interface RuleToBuild {
  readonly bucket: Bucket;
  /** `<stack path>|<id key>` (see heldKey) of the rule in its bucket. */
  readonly key: string;
  readonly rule: RenderedRule;
  /** The rule's construct id. */
  readonly id: string;
  /**
   * The rule's address in earlier releases, worked out from the bucket's claims when the rule was
   * decided: its construct id there and the flow whose stack held it.
   */
  readonly legacy?: { readonly id: string; readonly owner: AllowFlow };
}

/**
 * A bound resource that states its VPC (an interface endpoint's `vpc_id`) in another VPC than the
 * enforcement's, whose groups it would carry: AWS accepts only groups of the resource's own VPC.
 * Compared when both ids are literals, or both name an `aws_vpc` of the same stack.
 */
function otherVpcProblem(workload: Workload, enforcement: AwsEnforcement): string | undefined {
  const resource = workload.resource;
  if (resource?.terraformResourceType !== 'aws_vpc_endpoint') return undefined;
  const own = (resource as VpcEndpoint).vpcIdInput;
  if (own === undefined) return undefined;
  const vpcs = compareVpcIds({ value: own, stack: TerraformStack.of(resource) }, { value: enforcement.vpcId, stack: stackOf(enforcement) });
  if (vpcs.relation !== 'different') return undefined;
  return `Workload '${workload.node.path}' is bound to VPC endpoint '${resource.node.path}' in VPC "${vpcs.texts![0]}", but AwsEnforcement '${enforcement.node.path}' creates the segments' security groups in VPC "${vpcs.texts![1]}": an interface endpoint takes only security groups of its own VPC, so the apply would fail. Declare the workload in a stack whose AwsEnforcement has the endpoint's vpcId.`;
}

