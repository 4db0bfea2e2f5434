import { ComputeFirewallPolicy } from '@cdktf/provider-google/lib/compute-firewall-policy';
import { ComputeFirewallPolicyAssociation } from '@cdktf/provider-google/lib/compute-firewall-policy-association';
import { ComputeFirewallPolicyRule } from '@cdktf/provider-google/lib/compute-firewall-policy-rule';
import { ComputeNetworkFirewallPolicy } from '@cdktf/provider-google/lib/compute-network-firewall-policy';
import { ComputeNetworkFirewallPolicyAssociation } from '@cdktf/provider-google/lib/compute-network-firewall-policy-association';
import { ComputeNetworkFirewallPolicyRule } from '@cdktf/provider-google/lib/compute-network-firewall-policy-rule';
import { TagsLocationTagBinding } from '@cdktf/provider-google/lib/tags-location-tag-binding';
import { TagsTagKey } from '@cdktf/provider-google/lib/tags-tag-key';
import { TagsTagValue } from '@cdktf/provider-google/lib/tags-tag-value';
import { TerraformResource, TerraformStack, Token } from 'cdktf';
import { GcpBinding, GcpTagPlacement } from './binding';
import { GCP_FIREWALL_POLICY_CAPABILITIES } from './capabilities';
import { GcpEnforcement } from './enforcement';
import { Layer4Config, layer4Configs } from './layer4-configs';
import { GCP_BANDS, GCP_LIMITS, ruleAttributeCount } from './limits';
import { DenyFlow } from '../deny-flow';
import { IFlowEndpoint } from '../endpoint';
import { AllowFlow } from '../flow';
import { GuardrailAllow } from '../guardrail-allow';
import { Inventory } from '../inventory';
import { inexpressiblePorts, inexpressibleSide, unaddressedMemberProblem } from '../model/capabilities';
import { otherFamilyProblem } from '../model/other-family-problem';
import { peerOf } from '../model/policy-side';
import { PortSpec, travelsOver } from '../model/ports';
import { Platform } from '../platform';
import { addressFamilyOf } from '../private/address-family';
import { bulkResource } from '../private/bulk-resource';
import { cutOutsideTokens } from '../private/description';
import { digest, idFromKey } from '../private/identity';
import { asTableEntry } from '../private/one-byte-strings';
import { pathOf } from '../private/path-of';
import { writeProvenance } from '../provenance/resource-comments';
import { PlatformRenderer, PolicyRegistry, compare, stackOf } from '../registry';
import { Allocations } from '../render/allocations';
import { warnOnce } from '../render/app-wide-validation';
import { dependOnAllows, exceptionsOf } from '../render/apply-order';
import { openSideDenies } from '../render/guardrail-sides';
import { PendingWorkloads } from '../render/pending-workloads';
import { ResolvedPolicy } from '../render/resolve-policy';
import { SegmentFlows } from '../render/segment-flows';
import { recordInventory } from '../render/workload-inventory';
import { Segment } from '../segment';
import { Workload } from '../workload';

type AnyFlow = AllowFlow | DenyFlow;
type Tier = 'guardrail-allow' | 'guardrail-deny' | 'app';
type Direction = 'INGRESS' | 'EGRESS';

/** A secure tag: a key (purpose GCE_FIREWALL, scoped to the network) with its one value. */
interface SecureTag {
  readonly key: TagsTagKey;
  readonly value: TagsTagValue;
  /** `tagKeys/<id>` (the key's `id`; its `name` is the bare number), read once. */
  readonly keyName: string;
  /** `tagValues/<id>` (the value's `id`; its `name` is the bare number), read once. */
  readonly valueName: string;
}

/** A workload of the network and the tags it carries. */
interface Member {
  readonly workload: Workload;
  /** The tags by key (`managed`, or a segment's identity), in the order they were added. */
  readonly tags: Map<string, SecureTag>;
  /** The user's own resource manager tags on the bound resource, kept when ours are merged in. */
  readonly userTags: Record<string, string>;
  /** `//compute.googleapis.com/...` of the instance, for tag bindings. */
  readonly parent?: string;
  readonly zone?: string;
}

/** One rule of the network firewall policy and what it serves. */
interface Rule {
  readonly key: string;
  readonly tier: Tier;
  /** The flow the rule renders (the DenyFlow of a guardrail-deny rule). */
  readonly flow: AnyFlow;
  readonly resource: ComputeNetworkFirewallPolicyRule;
}

/** One rule of the hierarchical firewall policy and what it serves. */
interface HierarchicalRule {
  readonly key: string;
  readonly tier: Tier;
  /** The flow the rule renders (the DenyFlow of a guardrail-deny rule). */
  readonly flow: AnyFlow;
  readonly resource: ComputeFirewallPolicyRule;
}

/** The rules of one policy and their priorities, allocated once every declaration is told (onRendered). */
interface RuleBook<R extends { readonly key: string; readonly tier: Tier }> {
  readonly rules: Map<string, R>;
  /** The allocation space's prefix (`gcp-policy:<enforcement path>`). */
  readonly space: string;
  readonly bands: ReadonlyArray<readonly [Tier, { readonly first: number; readonly last: number }]>;
  allocation?: { readonly size: number; readonly slots: Map<string, number>; readonly unassigned: string[] };
}

/** The hierarchical firewall policy of an enforcement that names a folder or organization. */
interface Hierarchy {
  readonly policy: ComputeFirewallPolicy;
  /** The policy's `name` (its numeric id), read once. */
  readonly policyName: string;
  /** The network's self link, read once: the rules' `target_resources`. */
  readonly network: string;
  readonly book: RuleBook<HierarchicalRule>;
}

/** What the renderer keeps per enforcement (one VPC network). */
interface NetworkState {
  readonly enforcement: GcpEnforcement;
  readonly policy: ComputeNetworkFirewallPolicy;
  /** The policy's `name`, read once. */
  readonly policyName: string;
  readonly managed: SecureTag;
  readonly tags: Map<Segment, SecureTag>;
  readonly members: Map<Workload, Member>;
  readonly rules: Map<string, Rule>;
  readonly book: RuleBook<Rule>;
  /** The four default deny rules (they count towards the policy's rule attributes too). */
  readonly defaultDeny: ComputeNetworkFirewallPolicyRule[];
  /** Where guardrails go when the enforcement names a folder or organization. */
  readonly hierarchy?: Hierarchy;
}

/** The remote end of a rule: secure tags of the network and address ranges by family. */
interface Remote {
  readonly tags: string[];
  readonly ipv4: string[];
  readonly ipv6: string[];
}

/**
 * Renders the policy of Google Cloud workloads, per GcpEnforcement (one VPC network in one stack):
 * a global network firewall policy (`google_compute_network_firewall_policy`) associated with the
 * network; a secure tag key (purpose `GCE_FIREWALL`, scoped to the network) with one value for
 * every managed workload and one per segment with members in the network (a resource holds one
 * value per key, and a workload may be in several segments); one
 * `google_compute_network_firewall_policy_rule` per flow, direction, local segment and address
 * family; and a default deny both ways for the managed workloads.
 *
 * Stateful: the source's segment gets an EGRESS rule (its tag as target, the destination's
 * addresses: network firewall policy rules have no destination tags), the destination's segment an
 * INGRESS rule (its tag as target, the source's tag when it is in the network, else its addresses).
 *
 * Safe change: a rule's construct id derives from its meaning (tier, direction, local segment, the
 * flow's identity, family), never from ports or addresses, which update in place; its priority
 * comes from the persisted allocation and never moves while the rule lives (priority forces
 * replacement in the provider).
 */
export class FirewallPolicyRenderer implements PlatformRenderer {
  private readonly states = new Map<GcpEnforcement, NetworkState>();
  private readonly pending: PendingWorkloads<GcpEnforcement>;
  private readonly flowsBySegment = new SegmentFlows<AnyFlow>();
  private readonly flows: AnyFlow[] = [];
  private readonly problems = new Map<AnyFlow, Set<string>>();

  public constructor(private readonly registry: PolicyRegistry) {
    this.pending = new PendingWorkloads(registry, {
      enforcementOf: (scope) => GcpEnforcement.of(scope),
      missing: (workload) => `Workload '${workload.node.path}' is bound with ${workload.binding!.factory} but stack '${stackOf(workload).node.path}' has no GcpEnforcement. Add new GcpEnforcement(stack, 'Gcp', { project: 'my-project', network: vpc }) to that stack.`,
    });
    // other platforms name these workloads by address: lend the subnets' CIDRs before any of them renders
    for (const workload of registry.workloads) this.lendAddresses(workload);
  }

  /**
   * Every declaration has been told: each rule's priority is written as a plain number, allocated
   * over every rule of its policy (a Lazy per rule would be one more cdktf token, with its captured
   * stack, per rule), and allocated afresh, so a rule removed and another added never reuse a stale
   * allocation.
   */
  public onRendered(): void {
    for (const state of this.states.values()) {
      for (const book of [state.book, ...(state.hierarchy ? [state.hierarchy.book] : [])]) {
        book.allocation = undefined;
        for (const rule of book.rules.values()) rule.resource.priority = this.slotOf(book, rule.key);
      }
    }
    this.orderGuardrailDenies();
  }

  /**
   * Makes each guardrail-deny rule depend on the guardrail-allow rules (`goto_next` in the
   * hierarchical policy), in the same policy, of the GuardrailAllows that carve exceptions from its
   * DenyFlow. Every rule is its own resource and the allow wins by its lower priority: without
   * `depends_on` Terraform may create the deny before the allow (or destroy the allow before the
   * deny), and the excepted flow drops while the apply runs. A policy's rules are all in its
   * enforcement's stack, so no dependency crosses stacks. Recomputed each time the renderer
   * finishes, so later declarations count; a rule that needs no order keeps no `depends_on` key.
   */
  private orderGuardrailDenies(): void {
    const exceptions = exceptionsOf(this.registry);
    for (const state of this.states.values()) {
      const books: Array<RuleBook<Rule | HierarchicalRule>> = [state.book, ...(state.hierarchy ? [state.hierarchy.book] : [])];
      for (const book of books) {
        const rules = [...book.rules.values()];
        const allows = rules.filter((r) => r.tier === 'guardrail-allow');
        for (const rule of rules) {
          if (rule.tier !== 'guardrail-deny') continue;
          const excepted = allows.length > 0 ? exceptions(rule.flow as DenyFlow) : new Set<AnyFlow>();
          dependOnAllows(rule.resource, allows.filter((allow) => excepted.has(allow.flow)).map((allow) => allow.resource));
        }
      }
    }
  }

  public onWorkload(workload: Workload): void {
    if (workload.platform !== Platform.GCP) return;
    this.lendAddresses(workload);
    const enforcement = this.pending.enforcementOf(workload);
    if (enforcement) this.enroll(workload, this.states.get(enforcement)!);
  }

  public onEnforcement(stack: TerraformStack): void {
    const enforcement = GcpEnforcement.of(stack);
    if (!enforcement || this.states.has(enforcement)) return;
    const state = this.createNetwork(enforcement);
    this.states.set(enforcement, state);
    enforcement.node.addValidation({ validate: () => this.limitProblems(state) });
    this.pending.release(stack, (workload) => this.enroll(workload, state), this);
    for (const flow of this.flows) this.renderFlow(flow);
  }

  public onMembership(workload: Workload, segment: Segment): void {
    if (workload.platform === Platform.GCP) {
      const enforcement = GcpEnforcement.of(workload);
      const state = enforcement && this.states.get(enforcement);
      const member = state?.members.get(workload);
      if (!state || !member) return; // enrolled (and told its memberships again) once the enforcement is declared
      const tag = this.segmentTag(state, segment);
      this.addTag(state, member, segment.identity, tag);
      if (!segment.implicit) Inventory.of(stackOf(enforcement)).addGroup(segment.node.path, segment.selector, tag.value, segment.identity);
    }
    for (const flow of this.flowsBySegment.of(segment)) this.renderFlow(flow);
  }

  public onFlow(flow: AllowFlow): void {
    this.addFlow(flow);
  }

  public onDenyFlow(deny: DenyFlow): void {
    this.addFlow(deny);
  }

  private addFlow(flow: AnyFlow): void {
    this.flows.push(flow);
    this.flowsBySegment.add(flow);
    this.problems.set(flow, new Set());
    const kind = DenyFlow.isDenyFlow(flow) ? 'DenyFlow' : 'AllowFlow';
    flow.node.addValidation({ validate: () => [...(this.problems.get(flow) ?? [])].map((p) => `${kind} '${flow.node.path}' ${p}`) });
    this.renderFlow(flow);
  }

  // ---------------------------------------------------------------------------------------------
  // Network, tags and members
  // ---------------------------------------------------------------------------------------------

  private createNetwork(enforcement: GcpEnforcement): NetworkState {
    const policy = bulkResource(new ComputeNetworkFirewallPolicy(enforcement, 'Policy', {
      name: enforcement.policyName,
      project: enforcement.project,
      description: `cdktf-microseg: the flows of ${enforcement.node.path}`,
    }));
    const policyName = policy.name;
    bulkResource(new ComputeNetworkFirewallPolicyAssociation(enforcement, 'Association', {
      name: `${enforcement.policyName}-association`,
      project: enforcement.project,
      firewallPolicy: policyName,
      attachmentTarget: enforcement.networkId,
    }));
    const managed = this.createTag(enforcement, 'managed', `microseg-managed-${digest(enforcement.node.path)}`, 'managed', 'Every workload of the enforcement: the target of its default deny');
    const rules = new Map<string, Rule>();
    const book: RuleBook<Rule> = {
      rules,
      space: `gcp-policy:${enforcement.node.path}`,
      bands: [['guardrail-allow', GCP_BANDS.guardrailAllow], ['guardrail-deny', GCP_BANDS.guardrailDeny], ['app', GCP_BANDS.application]],
    };
    const hierarchy = this.createHierarchy(enforcement);
    const state: NetworkState = {
      enforcement, policy, policyName, managed, tags: new Map(), members: new Map(), rules, book, defaultDeny: [], hierarchy,
    };
    this.createDefaultDeny(state);
    return state;
  }

  /** The hierarchical policy and its association with the folder or organization, when the enforcement names one. */
  private createHierarchy(enforcement: GcpEnforcement): Hierarchy | undefined {
    const parent = enforcement.hierarchyParent;
    if (parent === undefined) return undefined;
    const policy = bulkResource(new ComputeFirewallPolicy(enforcement, 'GuardrailPolicy', {
      parent,
      shortName: `${enforcement.policyName}-guardrails`,
      description: `cdktf-microseg: the guardrails of ${enforcement.node.path}`,
    }));
    bulkResource(new ComputeFirewallPolicyAssociation(enforcement, 'GuardrailAssociation', {
      name: `${enforcement.policyName}-guardrails`,
      attachmentTarget: parent,
      firewallPolicy: policy.id,
    }));
    return {
      policy,
      policyName: policy.name,
      network: enforcement.networkSelfLink,
      book: {
        rules: new Map(),
        space: `gcp-hierarchy:${enforcement.node.path}`,
        bands: [['guardrail-allow', GCP_BANDS.guardrailAllow], ['guardrail-deny', GCP_BANDS.guardrailDeny]],
      },
    };
  }

  private createTag(enforcement: GcpEnforcement, id: string, keyShortName: string, valueShortName: string, description: string): SecureTag {
    const key = bulkResource(new TagsTagKey(enforcement, idFromKey(`TagKey-${id}`), {
      parent: `projects/${enforcement.project}`,
      shortName: keyShortName,
      description: description.slice(0, 256),
      purpose: 'GCE_FIREWALL',
      purposeData: { network: enforcement.tagNetwork },
    }));
    const keyName = key.id;
    const value = bulkResource(new TagsTagValue(enforcement, idFromKey(`TagValue-${id}`), {
      parent: keyName,
      shortName: valueShortName,
      description: description.slice(0, 256),
    }));
    return { key, value, keyName, valueName: value.id };
  }

  /** The secure tag of a segment in the network (created once). */
  private segmentTag(state: NetworkState, segment: Segment): SecureTag {
    let tag = state.tags.get(segment);
    if (!tag) {
      const readable = segment.identity.split('/').filter((p) => p.length > 0).slice(-2).join('-').replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 40);
      const shortName = `ms-${readable}-${digest(`${state.enforcement.node.path}|${segment.identity}`)}`.replace(/[-_.]+$/, '');
      tag = this.createTag(state.enforcement, `segment-${segment.identity}`, shortName, 'member', `Members of segment ${segment.node.path}`);
      state.tags.set(segment, tag);
    }
    return tag;
  }

  /** Gives a Google Cloud workload without addresses of its own the enforcement's subnet CIDRs. */
  private lendAddresses(workload: Workload): void {
    if (workload.platform !== Platform.GCP || workload.addressCidrs.length > 0) return;
    const enforcement = GcpEnforcement.of(workload);
    if (enforcement && enforcement.subnetCidrs.length > 0) workload._lendAddresses(enforcement.subnetCidrs, `the subnetCidrs of GcpEnforcement '${enforcement.node.path}'`);
  }

  private enroll(workload: Workload, state: NetworkState): void {
    if (state.members.has(workload)) return;
    const binding = workload.binding as GcpBinding;
    const resource = workload.resource as any;
    let userTags: Record<string, string> = {};
    if (binding.tagPlacement === GcpTagPlacement.INSTANCE_PARAMS) userTags = { ...(resource.paramsInput?.resourceManagerTags ?? {}) };
    if (binding.tagPlacement === GcpTagPlacement.TEMPLATE) userTags = { ...(resource.resourceManagerTagsInput ?? {}) };
    let parent: string | undefined;
    let zone: string | undefined;
    if (binding.tagPlacement === GcpTagPlacement.TAG_BINDINGS) {
      if (resource) {
        const attr = (name: string) => Token.asString((resource as TerraformResource).interpolationForAttribute(name));
        zone = attr('zone');
        parent = `//compute.googleapis.com/projects/${attr('project')}/zones/${zone}/instances/${attr('instance_id')}`;
      } else {
        zone = binding.zone;
        parent = `//compute.googleapis.com/projects/${binding.project}/zones/${binding.zone}/instances/${binding.instanceId}`;
      }
    }
    const member: Member = { workload, tags: new Map(), userTags, parent, zone };
    state.members.set(workload, member);
    this.addTag(state, member, 'managed', state.managed);
    if (workload.resource) {
      recordInventory(workload);
    } else {
      // an existing instance has no resource here: the evaluator knows it by its first tag binding
      const first = state.enforcement.node.tryFindChild(bindingId(workload, 'managed')) as TerraformResource | undefined;
      Inventory.of(stackOf(state.enforcement)).addWorkload(workload.node.path, {
        labels: workload.labels,
        segments: () => workload.segments.map((s) => s.node.path),
        binding: first,
        addresses: workload.addressCidrs.filter((a) => !Token.isUnresolved(a)),
        identity: workload.identity,
      });
    }
    if (binding.tagPlacement === GcpTagPlacement.INSTANCE_PARAMS) workload.node.addValidation({ validate: () => this.warnReplacement(member) });
  }

  /** Adds a tag to a member: into the bound resource's tags, or as a tag binding. */
  private addTag(state: NetworkState, member: Member, key: string, tag: SecureTag): void {
    if (member.tags.has(key)) return;
    member.tags.set(key, tag);
    const binding = member.workload.binding as GcpBinding;
    const resource = member.workload.resource as any;
    const ours: Record<string, string> = {};
    for (const t of member.tags.values()) ours[t.keyName] = t.valueName;
    if (binding.tagPlacement === GcpTagPlacement.INSTANCE_PARAMS) {
      resource.putParams({ resourceManagerTags: { ...member.userTags, ...ours } });
    } else if (binding.tagPlacement === GcpTagPlacement.TEMPLATE) {
      resource.resourceManagerTags = { ...member.userTags, ...ours };
    } else {
      bulkResource(new TagsLocationTagBinding(state.enforcement, bindingId(member.workload, key), {
        parent: member.parent!,
        tagValue: tag.valueName,
        location: member.zone,
      }));
    }
  }

  /**
   * The provider replaces an instance when its `params` change: when the instance's tags differ
   * from the previous synthesis (a membership changed), say so.
   */
  private warnReplacement(member: Member): string[] {
    const workload = member.workload;
    const signature = [...member.tags.keys()].sort(compare).join(',');
    const key = `gcp-instance-tags:${workload.resource!.node.path}`;
    const allocations = Allocations.of(workload);
    const before = allocations.previousOwner(key);
    allocations.owner(key, [signature]);
    const fix = 'Bind it with GcpBinding.instanceWithTagBindings(vm) to change its tags in place.';
    if (before === undefined) {
      // nothing recorded: a new instance, or one that already runs without these tags
      warnOnce(workload, `[microseg:binding-replaces-resource] Workload '${workload.node.path}' is bound to '${workload.resource!.node.path}', whose secure tags go into params.resource_manager_tags: the provider replaces a google_compute_instance when params change, so if the instance already exists without them, the first apply that gives them destroys and creates the VM again, and so does every later change of its segments. ${fix}`);
    } else if (before !== signature) {
      warnOnce(workload, `[microseg:binding-replaces-resource] Workload '${workload.node.path}' is bound to '${workload.resource!.node.path}', whose secure tags change (segments before: ${before || 'none'}; now: ${signature}): the provider replaces a google_compute_instance when params.resource_manager_tags change, so the VM is destroyed and created again. ${fix}`);
    }
    return [];
  }

  // ---------------------------------------------------------------------------------------------
  // Rules
  // ---------------------------------------------------------------------------------------------

  private createDefaultDeny(state: NetworkState): void {
    const bands = GCP_BANDS.defaultDeny;
    const rules: Array<[Direction, 'ipv4' | 'ipv6', number]> = [
      ['INGRESS', 'ipv4', bands.ingressIpv4], ['EGRESS', 'ipv4', bands.egressIpv4],
      ['INGRESS', 'ipv6', bands.ingressIpv6], ['EGRESS', 'ipv6', bands.egressIpv6],
    ];
    for (const [direction, family, priority] of rules) {
      const any = family === 'ipv4' ? '0.0.0.0/0' : '::/0';
      const rule = bulkResource(new ComputeNetworkFirewallPolicyRule(state.enforcement, asTableEntry(`DefaultDeny-${direction}-${family}`), {
        firewallPolicy: state.policyName,
        project: state.enforcement.project,
        priority,
        action: 'deny',
        direction,
        ruleName: `microseg-default-deny-${direction.toLowerCase()}-${family}`,
        description: `Default deny (${direction.toLowerCase()}, ${family}) for every workload of ${state.enforcement.node.path}`,
        targetSecureTags: [{ name: state.managed.valueName }],
        match: {
          layer4Configs: [{ ipProtocol: 'all' }],
          ...(direction === 'INGRESS' ? { srcIpRanges: [any] } : { destIpRanges: [any] }),
        },
      }));
      writeProvenance(rule, { defaultDeny: true });
      state.defaultDeny.push(rule);
    }
  }

  /** Recomputes the rules of one flow in every network. */
  private renderFlow(flow: AnyFlow): void {
    const problems = this.problems.get(flow)!;
    problems.clear();
    if (flow.problems().length > 0) return; // synthesis fails with the flow's own problems
    const deny = DenyFlow.isDenyFlow(flow);
    const tier: Tier = deny ? 'guardrail-deny' : GuardrailAllow.isGuardrailFlow(flow) ? 'guardrail-allow' : 'app';
    const specs = flow.ports.map((p) => p._toSpec());
    const portProblem = inexpressiblePorts(specs, GCP_FIREWALL_POLICY_CAPABILITIES);
    for (const state of this.states.values()) {
      if (deny) this.renderOpenSideDenies(state, flow as DenyFlow, specs, portProblem, problems);
      if (state.hierarchy && tier !== 'app') this.renderHierarchical(state, state.hierarchy, flow, tier, specs, portProblem, problems);
      // with a hierarchical policy a DenyFlow lives there only; a GuardrailAllow's goto_next there
      // hands its traffic to the network policy, whose guardrail band allows it at its members
      if (state.hierarchy && tier === 'guardrail-deny') continue;
      for (const direction of ['EGRESS', 'INGRESS'] as const) {
        const local = this.expressibleLocalEnd(state, flow, direction, portProblem, problems);
        if (!local) continue;
        const remote = this.remoteEnd(state, direction === 'EGRESS' ? flow.to : flow.from, direction, problems, false);
        if (!remote) continue;
        let written = false;
        for (const family of ['ipv4', 'ipv6'] as const) {
          const ranges = remote[family];
          const tags = family === 'ipv4' && direction === 'INGRESS' ? remote.tags : [];
          if (ranges.length === 0 && tags.length === 0) continue;
          // a rule of address ranges carries its family's ICMP only; secure tags match either family
          const carried = tags.length > 0 ? specs : specs.filter((spec) => travelsOver(spec, family));
          if (carried.length === 0) continue;
          const key = `${tier}|${direction}|${local.key}|${flow.identity}${family === 'ipv6' ? '|ipv6' : ''}`;
          this.writeRule(state, flow, key, tier, direction, local.target, tags, ranges, layer4Configs(carried));
          written = true;
        }
        const families = (['ipv4', 'ipv6'] as const).filter((family) => remote[family].length > 0);
        // an allow that no rule can carry would be silently missing; a deny with nothing to match denies nothing there
        if (!deny && !written && families.length > 0 && remote.tags.length === 0) problems.add(otherFamilyProblem(families[0], specs, 'its firewall policy rules'));
      }
    }
  }

  /**
   * The managed end of a flow's rule in this network for a direction (the source's for egress, the
   * destination's for ingress); none when the flow's ports cannot be expressed, which is then a
   * problem of the flow (only where it has a managed end here, so flows of other platforms are not
   * blamed).
   */
  private expressibleLocalEnd(
    state: NetworkState, flow: AnyFlow, direction: 'EGRESS' | 'INGRESS', portProblem: string | undefined, problems: Set<string>,
  ): { key: string; target: string } | undefined {
    const local = this.localEnd(state, direction === 'EGRESS' ? flow.from : flow.to);
    if (!local || portProblem === undefined) return local;
    problems.add(portProblem);
    return undefined;
  }

  /** The managed end of a rule in this network: a segment's tag when the segment has members here. */
  private localEnd(state: NetworkState, endpoint: IFlowEndpoint | undefined): { key: string; target: string } | undefined {
    // a side that is anywhere has no members: a DenyFlow is not enforced at the workloads that merely
    // lie in it (a GuardrailAllow of its other end would not win there), except against the hosts
    // known only by their addresses (renderOpenSideDenies)
    if (endpoint === undefined) return undefined;
    const side = ResolvedPolicy.of(this.registry).side(endpoint);
    if (side.segment === undefined) return undefined;
    const segment = side.segment as Segment;
    const here = side.members.some((m) => m.workload.platform === Platform.GCP && m.enforcement === state.enforcement
      && state.members.has(m.workload));
    if (!here) return undefined;
    return { key: segment.identity, target: this.segmentTag(state, segment).valueName };
  }

  /**
   * A DenyFlow between hosts known only by their addresses and an open side (anywhere, a CIDR) is
   * enforced at every managed workload lying in the open side (see `openSideDenies`): a `deny` rule
   * at the network's managed workloads, from (or to) those hosts, limited to the CIDR as their own
   * addresses. The same rule in the hierarchical policy when the DenyFlow lives there.
   */
  private renderOpenSideDenies(state: NetworkState, deny: DenyFlow, specs: PortSpec[], portProblem: string | undefined, problems: Set<string>): void {
    const opens = openSideDenies(this.registry, deny);
    if (opens.length === 0 || state.members.size === 0) return;
    if (portProblem !== undefined) {
      problems.add(portProblem);
      return;
    }
    for (const open of opens) {
      const direction: Direction = open.direction === 'inbound' ? 'INGRESS' : 'EGRESS';
      for (const family of ['ipv4', 'ipv6'] as const) {
        const local = open.open === undefined ? undefined : [open.open].filter((cidr) => addressFamilyOf(cidr, state.enforcement) === family);
        const remote = open.addresses.filter((a) => addressFamilyOf(a, state.enforcement) === family);
        if (local?.length === 0 || remote.length === 0) continue;
        const ipv6 = family === 'ipv6' ? '|ipv6' : '';
        if (open.open === undefined) {
          // every managed workload: the key the rules of a side that is anywhere always had
          const carried = specs.filter((spec) => travelsOver(spec, family));
          if (carried.length === 0) continue;
          const key = `guardrail-deny|${direction}|managed|${deny.identity}${ipv6}`;
          if (state.hierarchy) this.writeHierarchicalRule(state, state.hierarchy, deny, key, 'guardrail-deny', direction, remote, undefined, carried);
          else this.writeRule(state, deny, key, 'guardrail-deny', direction, state.managed.valueName, [], remote, layer4Configs(carried));
          continue;
        }
        const key = `guardrail-deny|${direction}|open|${deny.identity}${ipv6}`;
        if (state.hierarchy) this.writeHierarchicalRule(state, state.hierarchy, deny, key, 'guardrail-deny', direction, remote, local, specs);
        else this.writeRule(state, deny, key, 'guardrail-deny', direction, state.managed.valueName, [], remote, layer4Configs(specs), local);
      }
    }
  }

  /**
   * The guardrail's rules in the hierarchical policy: at each end with members in the network, a
   * rule limited to the network naming both sides by address (a DenyFlow `deny`, a GuardrailAllow
   * `goto_next`).
   */
  private renderHierarchical(
    state: NetworkState, hierarchy: Hierarchy, flow: AnyFlow, tier: Tier, specs: PortSpec[], portProblem: string | undefined, problems: Set<string>,
  ): void {
    const deny = tier === 'guardrail-deny';
    for (const direction of ['EGRESS', 'INGRESS'] as const) {
      const localEndpoint = direction === 'EGRESS' ? flow.from : flow.to;
      const local = this.expressibleLocalEnd(state, flow, direction, portProblem, problems);
      if (!local) continue;
      const remote = this.remoteEnd(state, direction === 'EGRESS' ? flow.to : flow.from, direction, problems, true);
      const own = this.remoteEnd(state, localEndpoint, direction, problems, true);
      if (!remote || !own) continue;
      if (deny) this.checkIpv6Named(state, flow, direction, remote, problems);
      for (const family of ['ipv4', 'ipv6'] as const) {
        const ranges = remote[family];
        const localRanges = own[family];
        if (ranges.length === 0 || localRanges.length === 0) continue;
        const key = `${tier}|${direction}|${local.key}|${flow.identity}${family === 'ipv6' ? '|ipv6' : ''}`;
        this.writeHierarchicalRule(state, hierarchy, flow, key, tier, direction, ranges, localRanges, specs);
      }
    }
  }

  /**
   * A DenyFlow in the hierarchical policy names its local members by address: a member whose IPv6
   * address Google Cloud assigns at apply would escape the deny over IPv6 (while the network
   * policy's application rules reach it by secure tag), so when the other end covers IPv6 that is a
   * problem of the DenyFlow.
   */
  private checkIpv6Named(state: NetworkState, flow: AnyFlow, direction: Direction, remote: Remote, problems: Set<string>): void {
    const ingress = direction === 'INGRESS';
    const [localEndpoint, otherEndpoint] = ingress ? [flow.to, flow.from] : [flow.from, flow.to];
    const policy = ResolvedPolicy.of(this.registry);
    const other = otherEndpoint === undefined ? undefined : policy.side(otherEndpoint);
    const otherCoversIpv6 = remote.ipv6.length > 0 || (other !== undefined && peerOf(other) === undefined
      && other.members.some((m) => unknownIpv6(m.workload) !== undefined));
    if (!otherCoversIpv6 || localEndpoint === undefined) return;
    for (const member of policy.side(localEndpoint).members) {
      const workload = member.workload;
      if (workload.platform !== Platform.GCP || member.enforcement !== state.enforcement || !state.members.has(workload)) continue;
      const nic = unknownIpv6(workload);
      if (nic === undefined) continue;
      const binding = workload.binding as GcpBinding;
      const template = binding.resourceType === 'google_compute_instance_template';
      const what = template ? `the instances of its template '${workload.resource!.node.path}' have` : `its instance '${workload.resource!.node.path}' has`;
      const give = template
        ? 'Give the workload the IPv6 range of its instances\' subnet as a literal CIDR (addresses: [subnet.ipCidrRange, "2600:1900:4000:1::/64"]; an expression whose text names IPv6, such as subnet.ipv6CidrRange, also does), or add it to subnetCidrs on the GcpEnforcement when the workload has no addresses'
        : `Give the workload its IPv6 address as a literal (addresses: ["2600:1900:4000::5"], kept with the instance's network_ip that the binding gives; an expression whose text names IPv6 also does)${nic.startsWith('network_interface[0] ') ? ', or set it on network_interface[0] (ipv6_access_config.external_ipv6, or ipv6_address for an internal one), which the binding reads, reserving it as a static address' : ''}`;
      problems.add(`cannot deny IPv6 traffic ${ingress ? 'to' : 'from'} workload '${workload.node.path}' in the hierarchical firewall policy of GcpEnforcement '${state.enforcement.node.path}': ${what} ${nic}, whose IPv6 address Google Cloud assigns at apply, and hierarchical rules name workloads by address (they cannot name network-scoped secure tags), so the deny would miss its IPv6 address, while the DenyFlow's ${ingress ? 'source' : 'destination'} covers IPv6 and the network firewall policy, which names the workload by secure tag, may let that traffic through. ${give}; or keep the guardrails in the network firewall policy: omit folder and organization on the GcpEnforcement.`);
    }
  }

  /** One rule of the hierarchical policy, limited to the network, naming both ends by address (the local one when given). */
  private writeHierarchicalRule(
    state: NetworkState, hierarchy: Hierarchy, flow: AnyFlow, key: string, tier: Tier, direction: Direction,
    ranges: string[], localRanges: string[] | undefined, specs: PortSpec[],
  ): void {
    const deny = tier === 'guardrail-deny';
    const ingress = direction === 'INGRESS';
    const match = {
      layer4Configs: layer4Configs(specs),
      ...(ingress ? { srcIpRanges: ranges } : { destIpRanges: ranges }),
      ...(localRanges ? (ingress ? { destIpRanges: localRanges } : { srcIpRanges: localRanges }) : {}),
    };
    const existing = hierarchy.book.rules.get(key);
    if (existing) {
      existing.resource.putMatch(match);
      return;
    }
    const resource = bulkResource(new ComputeFirewallPolicyRule(state.enforcement, idFromKey(`Hierarchy-${key}`), {
      firewallPolicy: hierarchy.policyName,
      priority: 0, // written in onRendered, allocated over every rule of the policy
      action: deny ? 'deny' : 'goto_next',
      direction,
      description: cutOutsideTokens(flow.description || flow.node.path, 1024),
      targetResources: [hierarchy.network],
      match,
    }));
    writeProvenance(resource, deny ? { guardrails: [flow.node.path] } : { flows: [flow.node.path], guardrail: true });
    hierarchy.book.rules.set(key, { key, tier, flow, resource });
  }

  /**
   * How a rule in this network names the other end; undefined when it names nothing (yet) or
   * cannot. `byAddress`: members of the network by address too (hierarchical rules cannot name
   * network-scoped secure tags).
   */
  private remoteEnd(
    state: NetworkState, endpoint: IFlowEndpoint | undefined, direction: Direction, problems: Set<string>, byAddress: boolean,
  ): Remote | undefined {
    const remote = { tags: [] as string[], ipv4: [] as string[], ipv6: [] as string[] };
    const addRange = (value: string, family: 'ipv4' | 'ipv6') => {
      const list = family === 'ipv6' ? remote.ipv6 : remote.ipv4;
      if (!list.includes(value)) list.push(value);
    };
    if (endpoint === undefined) return { tags: [], ipv4: ['0.0.0.0/0'], ipv6: ['::/0'] };
    const side = ResolvedPolicy.of(this.registry).side(endpoint);
    const peer = peerOf(side);
    if (peer) {
      const problem = inexpressibleSide(peer, GCP_FIREWALL_POLICY_CAPABILITIES, state.enforcement.node.path);
      if (problem) {
        problems.add(problem);
        return undefined;
      }
      if (peer.kind === 'address') addRange(peer.value, peer.family);
      return remote;
    }
    const segment = side.segment as Segment | undefined;
    for (const member of side.members) {
      const workload = member.workload;
      const local = workload.platform === Platform.GCP && member.enforcement === state.enforcement;
      if (local && !state.members.has(workload)) continue; // not enrolled (its problem is its own)
      if (local && direction === 'INGRESS' && !byAddress) {
        const tag = this.segmentTag(state, segment!).valueName;
        if (!remote.tags.includes(tag)) remote.tags.push(tag);
        continue;
      }
      if (workload.addressCidrs.length > 0) {
        workload.addressCidrs.forEach((cidr) => addRange(cidr, addressFamilyOf(cidr, workload)));
        continue;
      }
      if (local) {
        const why = byAddress
          ? `the rules of the hierarchical policy of GcpEnforcement '${state.enforcement.node.path}' (they cannot name network-scoped secure tags, so they name workloads by address)`
          : `the EGRESS rule of its source in GcpEnforcement '${state.enforcement.node.path}' (network firewall policy rules have no destination secure tags, so they name destinations by address)`;
        problems.add(`needs the addresses of workload '${workload.node.path}' for ${why}, but it has none. Give the workload addresses (for an instance template, addresses: [subnet.ipCidrRange]), or subnetCidrs on the GcpEnforcement.`);
      } else if (workload.platform === Platform.GCP && member.enforcement !== undefined) {
        const other = (member.enforcement as GcpEnforcement).node.path;
        problems.add(unaddressedMemberProblem(workload.node.path, other, GCP_FIREWALL_POLICY_CAPABILITIES, state.enforcement.node.path));
      }
      // another platform's member without addresses: the cross-platform address rule reports it
    }
    return remote;
  }

  private writeRule(
    state: NetworkState, flow: AnyFlow, key: string, tier: Tier, direction: Direction, target: string,
    tags: string[], ranges: string[], configs: Layer4Config[], localRanges?: string[],
  ): void {
    const ingress = direction === 'INGRESS';
    const match = {
      layer4Configs: configs,
      ...(ingress && tags.length > 0 ? { srcSecureTags: tags.map((name) => ({ name })) } : {}),
      ...(ranges.length > 0 ? (ingress ? { srcIpRanges: ranges } : { destIpRanges: ranges }) : {}),
      ...(localRanges ? (ingress ? { destIpRanges: localRanges } : { srcIpRanges: localRanges }) : {}),
    };
    const existing = state.rules.get(key);
    if (existing) {
      existing.resource.putMatch(match);
      return;
    }
    const deny = tier === 'guardrail-deny';
    const resource = bulkResource(new ComputeNetworkFirewallPolicyRule(state.enforcement, idFromKey(`Rule-${key}`), {
      firewallPolicy: state.policyName,
      project: state.enforcement.project,
      priority: 0, // written in onRendered, allocated over every rule of the policy
      action: deny ? 'deny' : 'allow',
      direction,
      ruleName: idFromKey(`${direction.toLowerCase()}-${flow.node.id}`, 40).toLowerCase(),
      description: cutOutsideTokens(flow.description || flow.node.path, 1024),
      targetSecureTags: [{ name: target }],
      match,
    }));
    writeProvenance(resource, deny ? { guardrails: [flow.node.path] } : { flows: [flow.node.path], ...(tier === 'guardrail-allow' ? { guardrail: true } : {}) });
    state.rules.set(key, { key, tier, flow, resource });
  }

  /** The priority of a rule: its slot in its tier's band, kept in the allocation file. */
  private slotOf(book: RuleBook<{ readonly key: string; readonly tier: Tier }>, key: string): number {
    if (!book.allocation || book.allocation.size !== book.rules.size) {
      const slots = new Map<string, number>();
      const unassigned: string[] = [];
      const allocations = Allocations.of([...this.states.keys()][0]);
      for (const [tier, band] of book.bands) {
        const keys = [...book.rules.values()].filter((r) => r.tier === tier).map((r) => r.key).sort(compare);
        const allocation = allocations.slots(`${book.space}|${tier}`, keys, band);
        for (const [k, slot] of allocation.assigned) slots.set(k, slot);
        unassigned.push(...allocation.unassigned);
      }
      book.allocation = { size: book.rules.size, slots, unassigned };
    }
    return book.allocation.slots.get(key) ?? book.bands[book.bands.length - 1][1].last;
  }

  // ---------------------------------------------------------------------------------------------
  // Limits
  // ---------------------------------------------------------------------------------------------

  private limitProblems(state: NetworkState): string[] {
    const me = `GcpEnforcement '${state.enforcement.node.path}'`;
    const problems: string[] = [];
    for (const book of [state.book, ...(state.hierarchy ? [state.hierarchy.book] : [])]) {
      this.slotOf(book, '');
      for (const key of book.allocation!.unassigned) {
        problems.push(`${me}: no priority left for rule "${key}" in its band. Merge flows (one flow with several ports), use fewer peers, or split the workloads over several networks/stacks.`);
      }
    }
    const parent = state.enforcement.hierarchyParent;
    const sharing = [...this.states.values()]
      .filter((other) => parent !== undefined && !Token.isUnresolved(parent) && other.enforcement.hierarchyParent === parent);
    if (sharing.length > 1 && sharing[0] !== state) {
      problems.push(`${me}: names "${parent}", whose hierarchical firewall policy GcpEnforcement '${sharing[0].enforcement.node.path}' already associates; a folder or organization has one associated policy. Name the guardrails' folder or organization in one enforcement only.`);
    }
    for (const member of [...state.members.values()].sort((a, b) => compare(pathOf(a.workload), pathOf(b.workload)))) {
      if (member.tags.size > GCP_LIMITS.tagsPerNic) {
        const segments = [...member.tags.keys()].filter((k) => k !== 'managed').sort(compare);
        problems.push(`Workload '${member.workload.node.path}' would carry ${member.tags.size} secure tags in network '${state.enforcement.networkName}' (the managed tag and one per segment: ${segments.join(', ')}); Google Cloud allows ${GCP_LIMITS.tagsPerNic} per network interface. Put it in fewer segments (one segment per role, with a shared selector) or name fewer workloads directly in flows.`);
      }
    }
    // every enforcement of the app whose tag keys share the project counts
    const project = state.enforcement.project;
    const keys = [...this.states.values()]
      .filter((other) => other.enforcement.project === project)
      .reduce((sum, other) => sum + other.tags.size + 1, 0);
    if (keys > GCP_LIMITS.tagKeysPerProject) {
      problems.push(`${me}: the app needs ${keys} secure tag keys in project "${project}" (one per segment and network, and one per network for its managed workloads); Google Cloud allows ${GCP_LIMITS.tagKeysPerProject} per project. Use fewer segments with Google Cloud members, or put the networks' enforcements in several projects.`);
    }
    // a rule names one target tag and at most one source tag (a flow's two segments) by construction
    for (const rule of [...state.rules.values(), ...(state.hierarchy?.book.rules.values() ?? [])]) {
      const match = (rule.resource as any).matchInput ?? {};
      for (const [field, ranges] of [['src_ip_ranges', match.srcIpRanges], ['dest_ip_ranges', match.destIpRanges]] as const) {
        const count = ranges?.length ?? 0;
        if (count <= GCP_LIMITS.ipRangesPerRule) continue;
        problems.push(`${me}: rule "${rule.key}" names ${count} ${field}; Google Cloud allows ${GCP_LIMITS.ipRangesPerRule}. Name the peers by wider CIDRs, or split the segment.`);
      }
    }
    problems.push(...this.attributeProblems(state));
    return problems;
  }

  /** The rule attribute quota of each policy the enforcement writes. */
  private attributeProblems(state: NetworkState): string[] {
    const quota = state.enforcement.ruleAttributeQuota;
    type PolicyRule = ComputeNetworkFirewallPolicyRule | ComputeFirewallPolicyRule;
    const policies: Array<[string, PolicyRule[]]> = [
      [`its network firewall policy "${state.enforcement.policyName}"`, [...state.defaultDeny, ...[...state.rules.values()].map((r) => r.resource)]],
    ];
    if (state.hierarchy) policies.push(['its hierarchical guardrail policy', [...state.hierarchy.book.rules.values()].map((r) => r.resource)]);
    const problems: string[] = [];
    for (const [what, resources] of policies) {
      const count = resources.reduce((sum, resource) => sum + attributesOf(resource), 0);
      if (count <= quota) continue;
      problems.push(`GcpEnforcement '${state.enforcement.node.path}': ${what} would hold ${count} rule attributes (each source or destination range, secure tag, target, protocol and port range of each rule counts one); the project's quota is ${quota} per policy. Name peers by wider CIDRs, give flows fewer separate port ranges, split the workloads over several networks, or request a higher quota from Google and set ruleAttributeQuota on the enforcement.`);
    }
    return problems;
  }
}

/** The rule attributes of a network or hierarchical firewall policy rule, as its policy's quota counts them. */
function attributesOf(rule: ComputeNetworkFirewallPolicyRule | ComputeFirewallPolicyRule): number {
  const list = <T>(value: T[] | unknown): T[] | undefined => (Array.isArray(value) ? value : undefined);
  const match = rule.matchInput;
  const targets = list(rule.targetSecureTagsInput) ?? (rule instanceof ComputeFirewallPolicyRule ? rule.targetResourcesInput : undefined);
  return ruleAttributeCount({
    srcIpRanges: match?.srcIpRanges,
    destIpRanges: match?.destIpRanges,
    srcSecureTags: list(match?.srcSecureTags),
    targets,
    layer4Configs: list(match?.layer4Configs),
  });
}

/**
 * The network interface of a Google Cloud workload that may carry an IPv6 address synthesis does
 * not know: the bound resource's interface may have IPv6 and no literal IPv6 address is among the
 * workload's addresses (its own or the binding's).
 */
function unknownIpv6(workload: Workload): string | undefined {
  if (workload.platform !== Platform.GCP || !(workload.binding instanceof GcpBinding)) return undefined;
  const nic = workload.binding.ipv6Interface;
  if (nic === undefined || workload.addressCidrs.some((a) => addressFamilyOf(a, workload) === 'ipv6')) return undefined;
  return nic;
}

function bindingId(workload: Workload, key: string): string {
  return idFromKey(`TagBinding-${workload.identity}-${key}`);
}
