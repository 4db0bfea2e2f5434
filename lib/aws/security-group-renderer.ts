import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule, VpcSecurityGroupEgressRuleConfig } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Fn, TerraformResource, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { DenyFlow } from '../deny-flow';
import { AllowFlow } from '../flow';
import { Inventory } from '../inventory';
import { Peer, PeerKind } from '../peer';
import { Platform } from '../platform';
import { awsDescription, mergedDescription } from '../private/description';
import { idFromKey, pathKey } from '../private/identity';
import { MergedRule, mergeBucket } from '../private/rule-bucket';
import { PolicyRegistry, PlatformRenderer, compare, stackOf } from '../registry';
import { FlowBucket, FlowBuckets, ownerStack } from '../render/flow-buckets';
import { FlowProblems } from '../render/flow-problems';
import { PendingWorkloads } from '../render/pending-workloads';
import { rulesContainer } from '../render/rules-container';
import { SegmentFlows } from '../render/segment-flows';
import { recordInventory } from '../render/workload-inventory';
import { Segment } from '../segment';
import { Workload } from '../workload';
import { boundInstance, boundNetworkInterface } from './bound-resource';
import { AwsEnforcement } from './enforcement';

/** A security group rendered for one segment in one enforcement (VPC). */
interface AwsGroup {
  readonly segment: Segment;
  readonly enforcement: AwsEnforcement;
  readonly resource: SecurityGroup;
  /** Identity of the group: segment path and enforcement path. */
  readonly key: string;
}

/** The groups a workload carries: the user's own, its segments', or the unsegmented guard. */
interface Attachments {
  readonly base?: string[];
  readonly groups: AwsGroup[];
  unsegmented?: SecurityGroup;
}

/** The other side of a rule, as AWS names it. */
type PeerRef =
  | { readonly kind: 'group'; readonly key: string; readonly group: AwsGroup }
  | { readonly kind: 'cidr_ipv4' | 'cidr_ipv6' | 'prefix_list'; readonly key: string; readonly value: string };

type Direction = 'ingress' | 'egress';

/** What identifies a bucket: group, direction and peer. */
interface BucketDefinition {
  readonly key: string;
  readonly group: AwsGroup;
  readonly direction: Direction;
  readonly peer: PeerRef;
}

/** All rules of one group, direction and peer: their ports merge. */
interface Bucket extends BucketDefinition, FlowBucket<AllowFlow> {
  readonly rendered: Map<string, { container: Construct; resource: TerraformResource }>;
}

/**
 * Renders the policy of AWS workloads as security groups and per-rule resources
 * (`aws_vpc_security_group_ingress_rule` / `_egress_rule`), reactively: each event recomputes only
 * the rule buckets it touches, and a rule's construct id derives from its meaning (group,
 * direction, peer, ports), so adding a flow never renames another flow's rules.
 */
export class SecurityGroupRenderer implements PlatformRenderer {
  private readonly groups = new Map<Segment, Map<AwsEnforcement, AwsGroup>>();
  private readonly flowsBySegment = new SegmentFlows<AllowFlow>();
  private readonly buckets = new FlowBuckets<AllowFlow, BucketDefinition, Bucket>({
    create: (definition) => ({ ...definition, byFlow: new Map(), rendered: new Map() }),
    reconcile: (bucket) => this.reconcile(bucket),
  });
  private readonly pending: PendingWorkloads<AwsEnforcement>;
  private readonly problems = new FlowProblems();
  private readonly attached = new Map<Workload, Attachments>();
  private readonly validatedStacks = new Set<TerraformStack>();
  private readonly enforcements = new Set<AwsEnforcement>();
  private readonly unsegmentedUsers = new Map<AwsEnforcement, Set<Workload>>();

  public constructor(private readonly registry: PolicyRegistry) {
    this.pending = new PendingWorkloads(registry, {
      enforcementOf: (scope) => AwsEnforcement.of(scope),
      missing: (workload) => `Workload '${workload.node.path}' is bound to an AWS ${workload.resource!.terraformResourceType} but stack '${stackOf(workload).node.path}' has no AwsEnforcement. Add new AwsEnforcement(stack, 'Aws', { vpcId: vpc.id }) to that stack.`,
    });
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
      if (!created && this.enforcements.size <= 1) return;
    }
    for (const flow of this.flowsBySegment.of(segment)) this.renderFlow(flow);
  }

  public onFlow(flow: AllowFlow): void {
    this.flowsBySegment.add(flow);
    for (const segment of [flow.fromSegment, flow.toSegment]) {
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
    for (const member of this.registry.membersOf(segment)) {
      if (member.platform !== Platform.AWS) continue;
      const enforcement = AwsEnforcement.of(member);
      if (!enforcement) continue; // rendered once the stack's enforcement is declared
      this.attach(member, this.ensureGroup(segment, enforcement).group);
    }
  }

  /** Gives a workload of an enforcement its interface quota check and its default-deny guard. */
  private enroll(workload: Workload, enforcement: AwsEnforcement): void {
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
      const key = `${group.key}|${direction}|${peer.key}`;
      wanted.set(key, { key, group, direction, peer });
    };
    const from = flow.fromSegment;
    const to = flow.toSegment;
    for (const group of from ? this.groupsOf(from) : []) {
      for (const peer of this.peersOf(problems, flow.to, to, group)) add(group, 'egress', peer);
    }
    for (const group of to ? this.groupsOf(to) : []) {
      for (const peer of this.peersOf(problems, flow.from, from, group)) add(group, 'ingress', peer);
    }
    this.buckets.update(flow, wanted, flow.ports.map((p) => p._toSpec()));
  }

  /** The rule peers that stand for `endpoint` as seen from `group`'s VPC. */
  private peersOf(problems: Set<string>, endpoint: unknown, segment: Segment | undefined, group: AwsGroup): PeerRef[] {
    if (endpoint instanceof Peer) {
      switch (endpoint.kind) {
        case PeerKind.IPV4: return [{ kind: 'cidr_ipv4', key: `cidr:${endpoint.value}`, value: endpoint.value }];
        case PeerKind.IPV6: return [{ kind: 'cidr_ipv6', key: `cidr:${endpoint.value}`, value: endpoint.value }];
        case PeerKind.AWS_PREFIX_LIST: return [{ kind: 'prefix_list', key: `pl:${endpoint.value}`, value: endpoint.value }];
        default: return []; // Azure service tags mean nothing to a security group
      }
    }
    if (!segment) return [];
    const peers: PeerRef[] = [];
    const sameVpc = [...(this.groups.get(segment)?.values() ?? [])].filter((g) => sameNetwork(g.enforcement, group.enforcement));
    for (const other of sameVpc) peers.push({ kind: 'group', key: `sg:${other.key}`, group: other });
    for (const member of this.registry.membersOf(segment)) {
      const memberEnforcement = member.platform === Platform.AWS ? AwsEnforcement.of(member) : undefined;
      if (member.platform === Platform.AWS && !memberEnforcement) continue; // reported on the workload
      // A member in this VPC is covered by its segment's group (which exists, or is being created
      // right now and will re-render this flow).
      if (memberEnforcement && sameNetwork(memberEnforcement, group.enforcement)) continue;
      if (member.addressCidrs.length === 0) {
        if (member.platform !== Platform.AWS) continue; // another platform's renderer reports it
        problems.add(`needs the addresses of workload '${member.node.path}' (in another VPC than '${group.enforcement.node.path}'), but it has none. Give the workload addresses, for example [instance.privateIp].`);
        continue;
      }
      member.addressCidrs.forEach((cidr, index) => {
        const key = Token.isUnresolved(cidr) ? `addr:${member.node.path}#${index}` : `cidr:${cidr}`;
        peers.push({ kind: cidr.includes(':') && !Token.isUnresolved(cidr) ? 'cidr_ipv6' : 'cidr_ipv4', key, value: cidr });
      });
    }
    return peers;
  }

  /** Brings a bucket's rendered rules in line with its merged rules. */
  private reconcile(bucket: Bucket): void {
    const contributions = [...bucket.byFlow.values()].flat();
    const merged = mergeBucket(contributions);
    const wanted = new Map<string, { rule: MergedRule; stack: TerraformStack }>();
    for (const rule of merged) {
      const owner = ownerStack(bucket, rule);
      wanted.set(`${stackIdentity(owner)}|${rule.portKey}`, { rule, stack: owner });
    }
    for (const [key, rendered] of bucket.rendered) {
      if (wanted.has(key)) continue;
      rendered.container.node.tryRemoveChild(rendered.resource.node.id);
      bucket.rendered.delete(key);
    }
    for (const [key, { rule, stack }] of wanted) {
      const existing = bucket.rendered.get(key);
      if (existing) {
        existing.resource.addOverride('//.microseg', { flows: rule.flows });
        // a flow joining or leaving the rule changes its description, which AWS updates in place
        (existing.resource as VpcSecurityGroupIngressRule | VpcSecurityGroupEgressRule).description = ruleDescription(bucket, rule);
        continue;
      }
      const container = rulesContainer(stack, 'Microseg');
      const resource = this.createRule(container, bucket, rule);
      bucket.rendered.set(key, { container, resource });
    }
  }

  private createRule(container: Construct, bucket: Bucket, rule: MergedRule): TerraformResource {
    const { group, direction, peer } = bucket;
    const peerName = peer.kind === 'group' ? (peer.group.segment.implicit ? peer.group.segment.node.scope!.node.path : peer.group.segment.node.path) : peer.key.replace(/^(cidr|pl):/, '');
    const peerId = peer.kind === 'group' ? `${peerName}${this.enforcementSuffix(peer.group)}` : peerName;
    const id = idFromKey(`${group.segment.node.path}${this.enforcementSuffix(group)}-${direction}-${peerId}-${rule.portKey}`);
    const protocol = rule.spec.protocol === 'all' ? '-1' : rule.spec.protocol;
    const config: VpcSecurityGroupEgressRuleConfig = {
      securityGroupId: group.resource.id,
      ipProtocol: protocol,
      ...(protocol === '-1' ? {} : { fromPort: rule.spec.from, toPort: rule.spec.to }),
      ...(peer.kind === 'group' ? { referencedSecurityGroupId: peer.group.resource.id } : {}),
      ...(peer.kind === 'cidr_ipv4' ? { cidrIpv4: peer.value } : {}),
      ...(peer.kind === 'cidr_ipv6' ? { cidrIpv6: peer.value } : {}),
      ...(peer.kind === 'prefix_list' ? { prefixListId: peer.value } : {}),
      description: ruleDescription(bucket, rule),
    };
    const resource = direction === 'ingress'
      ? new VpcSecurityGroupIngressRule(container, id, config)
      : new VpcSecurityGroupEgressRule(container, id, config);
    resource.addOverride('//.microseg', { flows: rule.flows });
    return resource;
  }

  /**
   * Tells a segment's groups apart in rule ids: a segment has a group per enforcement, and groups of
   * enforcements in other stacks than the segment's are named with their enforcement. Decided by
   * where things are declared, not by what was rendered first, so ids do not depend on declaration
   * order; single-stack estates keep the ids they had.
   */
  private enforcementSuffix(group: AwsGroup): string {
    return stackOf(group.enforcement) === stackOf(group.segment) ? '' : `@${group.enforcement.node.path}`;
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
    const subject = segment.implicit ? segment.node.scope!.node : segment.node;
    const resource = new SecurityGroup(enforcement, idFromKey(`Sg-${pathKey(segment.node.path)}`), {
      namePrefix: `${subject.id.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 60)}-`,
      // forces replacement of the group: the default derives from the segment's construct path only
      description: awsDescription(segment.description, awsDescription(`microseg segment ${segment.node.path}`, 'microseg segment')),
      vpcId: enforcement.vpcId,
      revokeRulesOnDelete: true,
      lifecycle: { createBeforeDestroy: true },
      tags: {
        ...enforcement.tags,
        'Name': subject.id,
        'microseg:segment': segment.node.path,
      },
    });
    const group: AwsGroup = { segment, enforcement, resource, key: `${segment.node.path}@${enforcement.node.path}` };
    bySegment.set(enforcement, group);
    if (!segment.implicit) Inventory.of(stackOf(enforcement)).addGroup(segment.node.path, segment.selector, resource);
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
    state.unsegmented = this.unsegmentedGroup(enforcement, workload);
    this.applyAttachments(workload, state);
  }

  private attachmentState(workload: Workload): Attachments {
    let state = this.attached.get(workload);
    if (!state) {
      state = { groups: [], base: userGroupIds(workload) };
      this.attached.set(workload, state);
    }
    return state;
  }

  /** Writes the groups a workload should carry onto its instance or ENI. */
  private applyAttachments(workload: Workload, state: Attachments): void {
    const userGroups = state.base !== undefined && (Token.isUnresolved(state.base) || state.base.length > 0);
    const guarded = state.groups.length === 0 && !userGroups && state.unsegmented !== undefined;
    const groups = guarded ? [state.unsegmented!] : state.groups.map((g) => g.resource);
    if (!guarded && state.unsegmented) this.releaseUnsegmented(workload, state);
    const ours = groups.map((g) => g.id);
    const base = state.base;
    const ids = base === undefined ? ours : Token.isUnresolved(base) ? Fn.concat([base, ours]) : [...base, ...ours];
    // The interface's own list, never aws_network_interface_sg_attachment: an interface created
    // without a list is put in the VPC's default group, which attachments never remove, and that
    // group lets all traffic out.
    const instance = boundInstance(workload);
    const eni = boundNetworkInterface(workload);
    if (instance) instance.vpcSecurityGroupIds = ids;
    else if (eni) eni.securityGroups = ids;
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
    return new SecurityGroup(enforcement, 'Unsegmented', {
      namePrefix: 'microseg-unsegmented-',
      description: 'microseg default deny for workloads in no segment',
      vpcId: enforcement.vpcId,
      revokeRulesOnDelete: true,
      lifecycle: { createBeforeDestroy: true },
      tags: { ...enforcement.tags, 'Name': 'microseg-unsegmented', 'microseg:segment': 'none' },
    });
  }

  private watchInterfaceQuota(workload: Workload, enforcement: AwsEnforcement): void {
    workload.node.addValidation({
      validate: () => {
        const state = this.attached.get(workload);
        const base = state?.base && !Token.isUnresolved(state.base) ? state.base.length : 0;
        const count = (state?.groups.length ?? 0) + base;
        if (count <= enforcement.maxGroupsPerInterface) return [];
        const names = (state?.groups ?? []).map((g) => g.segment.node.path).join(', ');
        return [`Workload '${workload.node.path}' would carry ${count} security groups (${names}${base ? ` and ${base} of its own` : ''}); the quota is ${enforcement.maxGroupsPerInterface} per interface. Merge segments, or raise the quota with AWS and set maxGroupsPerInterface on '${enforcement.node.path}'.`];
      },
    });
  }

  private watchRuleQuota(enforcement: AwsEnforcement): void {
    const stack = stackOf(enforcement);
    if (this.validatedStacks.has(stack)) return;
    this.validatedStacks.add(stack);
    enforcement.node.addValidation({
      validate: () => {
        const counts = new Map<string, number>();
        for (const bucket of this.buckets.values()) {
          if (bucket.group.enforcement !== enforcement) continue;
          const families = bucket.peer.kind === 'cidr_ipv4' ? ['IPv4'] : bucket.peer.kind === 'cidr_ipv6' ? ['IPv6'] : ['IPv4', 'IPv6'];
          for (const family of families) {
            const key = `${bucket.group.segment.node.path}|${bucket.direction}|${family}`;
            counts.set(key, (counts.get(key) ?? 0) + bucket.rendered.size);
          }
        }
        const problems: string[] = [];
        for (const [key, count] of [...counts.entries()].sort((a, b) => compare(a[0], b[0]))) {
          if (count <= enforcement.maxRulesPerGroup) continue;
          const [segment, direction, family] = key.split('|');
          problems.push(`Segment '${segment}': its security group in '${enforcement.node.path}' needs ${count} ${direction} ${family} rules; the quota is ${enforcement.maxRulesPerGroup} per direction. Merge ports into ranges, use fewer peers (a prefix list or a segment instead of many CIDRs), split the segment, or raise the quota with AWS and set maxRulesPerGroup.`);
        }
        return problems;
      },
    });
  }
}

/**
 * Whether a segment only stands for something else: a workload named directly in a flow or a
 * guardrail (its one-member segment), or the label selector of a DenyFlow.
 */
function isStandIn(segment: Segment): boolean {
  return segment.implicit || DenyFlow.isDenyFlow(segment.node.scope);
}

/** The group ids the user configured on an instance or ENI, if any. */
function userGroupIds(workload: Workload): string[] | undefined {
  return boundInstance(workload)?.vpcSecurityGroupIdsInput ?? boundNetworkInterface(workload)?.securityGroupsInput;
}

function sameNetwork(a: AwsEnforcement, b: AwsEnforcement): boolean {
  return a === b || (!Token.isUnresolved(a.vpcId) && a.vpcId === b.vpcId);
}

/**
 * The description of a rule: the descriptions of the flows it serves (sorted, joined, made fit for
 * AWS). It updates in place and is part of no construct id, so editing a flow's description never
 * replaces a rule.
 */
function ruleDescription(bucket: Bucket, rule: MergedRule): string {
  const flows = [...bucket.byFlow.keys()].filter((flow) => rule.flows.includes(flow.node.path));
  const { direction, peer } = bucket;
  const fallback = `microseg ${direction === 'ingress' ? 'from' : 'to'} ${peer.key} ${rule.portKey}`;
  // Each description is rewritten on its own, so one that AWS would reject entirely drops out
  // instead of leaving an empty part behind.
  const own = flows.map((flow) => awsDescription(flow.description, ''));
  return awsDescription(mergedDescription(own), awsDescription(fallback, 'microseg'));
}

function stackIdentity(stack: TerraformStack): string {
  return stack.node.path;
}
