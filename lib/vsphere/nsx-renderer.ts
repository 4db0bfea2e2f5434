import { Tag } from '@cdktf/provider-vsphere/lib/tag';
import { TagCategory } from '@cdktf/provider-vsphere/lib/tag-category';
import { VirtualMachine } from '@cdktf/provider-vsphere/lib/virtual-machine';
import { Fn, TerraformStack, Token, Tokenization } from 'cdktf';
import { Construct } from 'constructs';
import { DenyFlow } from '../deny-flow';
import { GuardrailAllow } from '../guardrail-allow';
import { Inventory } from '../inventory';
import { Platform } from '../platform';
import { NSX_CAPABILITIES } from './capabilities';
import { NsxEnforcement } from './enforcement';
import { nsxDisplayName, nsxIpAddress } from './nsx-address';
import { NSX_LIMITS, NsxGroupShape, NsxQuotaFinding, nsxQuotaFindings, NsxRuleShape } from './nsx-quota';
import { NSX_ALLOW_SEQUENCES, NSX_DROP_IN_SEQUENCE, NSX_DROP_OUT_SEQUENCE, NSX_GUARDRAIL_ALLOW_SEQUENCES, NSX_GUARDRAIL_DENY_SEQUENCES } from './nsx-sequence-bands';
import { nsxServiceShape } from './nsx-service';
import { NSX_SCOPE_MAX, NSX_TAG_MAX, segmentTag, tagCollisions } from './nsx-tag';
import { inexpressiblePorts, inexpressibleSide, unaddressedMemberProblem } from '../model/capabilities';
import { OpenSideDeny } from '../model/guardrail-semantics';
import { otherFamilyProblem } from '../model/other-family-problem';
import { peerOf } from '../model/policy-side';
import { travelsOver } from '../model/ports';
import { membersSeenFrom } from '../model/remote-members';
import { SlotAllocation } from '../model/slot-allocator';
import { addressFamilyOf } from '../private/address-family';
import { rootOf } from '../private/app-wide';
import { bulkResource } from '../private/bulk-resource';
import { flowMeaning } from '../private/flow-identity-clashes';
import { holdsConstruct } from '../private/holds-construct';
import { idFromKey, pathKey } from '../private/identity';
import { appendTo } from '../private/multimap';
import { asTableEntry, constructPath } from '../private/one-byte-strings';
import { byPath, pathOf } from '../private/path-of';
import { writeProvenance } from '../provenance/resource-comments';
import { PolicyRegistry, PlatformRenderer, compare, stackOf } from '../registry';
import { Allocations } from '../render/allocations';
import { warnOnce } from '../render/app-wide-validation';
import { dependOnAllows, exceptionsOf } from '../render/apply-order';
import { FlowProblems, FlowProblemSet, RenderedFlow } from '../render/flow-problems';
import { openSideDenies } from '../render/guardrail-sides';
import { addressByIdentity } from '../render/identity-address';
import { PendingWorkloads } from '../render/pending-workloads';
import { readOnce } from '../render/read-once';
import { ResolvedPolicy, Side as FlowSide } from '../render/resolve-policy';
import { rulesContainer } from '../render/rules-container';
import { SegmentFlows } from '../render/segment-flows';
import { StackNeeds } from '../render/stack-needs';
import { recordInventory } from '../render/workload-inventory';
import { Segment } from '../segment';
import { Workload } from '../workload';
import {
  NsxConjunctionOperator,
  NsxGroupConditionKey,
  NsxGroupConditionMemberType,
  NsxGroupConditionOperator,
  NsxIcmpProtocol,
  NsxL4Protocol,
  NsxRuleAction,
  NsxRuleDirection,
} from './nsx/enums';
import { NsxtPolicyGroup, NsxtPolicyGroupCriteria } from './nsx/policy-group';
import { NsxtPolicySecurityPolicyRule } from './nsx/policy-security-policy-rule';
import { NsxtPolicyService } from './nsx/policy-service';
import { NsxtPolicyVmTags, NsxtTag } from './nsx/policy-vm-tags';
import { NsxtProvider } from './nsx/provider';

/** The group that selects, by NSX tag, the VMs of one segment in one enforcement. */
interface TagGroup {
  readonly segment: Segment;
  readonly resource: NsxtPolicyGroup;
  /** The NSX tag value that marks members. */
  readonly tag: string;
  /** Identity inside the policy, used to sort: `tag:<segment path>`. */
  readonly key: string;
}

/** A group of IP addresses: a CIDR peer, or the members of a segment this enforcement cannot tag. */
interface IpGroup {
  readonly key: string;
  readonly name: string;
  readonly resource: NsxtPolicyGroup;
  /** The number of addresses of each criteria (one IP address expression per family). */
  addressCounts: number[];
  /** The addresses its criteria were last written from, one per line: every flow naming the set asks again. */
  writtenFrom?: string;
}

/** One side of a rule as NSX names it. */
interface Side {
  readonly tagGroups: TagGroup[];
  readonly ipSets: Array<{ key: string; name: string; addresses: string[] }>;
}

/** A flow the renderer turns into rules: an application or guardrail allow, or a guardrail deny. */
type AnyFlow = RenderedFlow;

interface RenderedRule {
  readonly key: string;
  readonly resource: NsxtPolicySecurityPolicyRule;
  /** The declaration the rule is rendered from (of the flows with its identity, the one in the owner stack). */
  readonly flow: AnyFlow;
  sourceCount: number;
  destinationCount: number;
}

/**
 * Where the rules of one policy for the flows declared in one stack live, with the address groups
 * and services they name: a flow's rules live in the stack that declares it (as on every platform),
 * so that stack needs the enforcement's stack (its policy and tag groups), never the reverse.
 */
interface Placement {
  readonly enforcement: NsxEnforcement;
  readonly stack: TerraformStack;
  /** The enforcement itself in its own stack; `<stack>/Microseg/Nsx-<enforcement path>` elsewhere. */
  readonly scope: Construct;
  readonly ipGroups: Map<string, IpGroup>;
  readonly services: Map<string, NsxtPolicyService>;
}

/** Everything rendered for one NsxEnforcement (one parent security policy). */
interface PolicyState {
  readonly enforcement: NsxEnforcement;
  readonly tagGroups: Map<Segment, TagGroup>;
  /** By declaring stack. */
  readonly placements: Map<TerraformStack, Placement>;
  readonly rules: Map<string, RenderedRule>;
  /** Rules of the guardrail policy (DenyFlow DROP rules and GuardrailAllow ALLOW rules). */
  readonly guardrailRules: Map<string, RenderedRule & { readonly deny: boolean }>;
  guardrailAllocation?: { allow: SlotAllocation; deny: SlotAllocation };
  /** The allocations whose sequence numbers the rendered rules carry. */
  numberedBy?: { allow?: SlotAllocation; guardrails?: { allow: SlotAllocation; deny: SlotAllocation } };
  readonly categories: Map<string, TagCategory>;
  readonly vsphereTags: Map<string, Tag>;
  drops?: { in: NsxtPolicySecurityPolicyRule; out: NsxtPolicySecurityPolicyRule };
  /** The group of every VM the policy manages (its enforcement's `managedVmTag`): the default deny's scope. */
  managedVms?: NsxtPolicyGroup;
  allocation?: SlotAllocation;
}

/** What the renderer wrote onto one VM. */
interface VmState {
  readonly workload: Workload;
  readonly policy: PolicyState;
  readonly vmTags: NsxtPolicyVmTags;
  readonly segments: TagGroup[];
  readonly baseTags?: string[];
  readonly vsphereTagIds: Map<string, string>;
}

/**
 * Renders the policy of vSphere workloads for the NSX distributed firewall, reactively:
 * - membership: one `nsxt_policy_vm_tags` per VM (its complete tag set: its labels, and one tag
 *   `<tagScope>|<segment path>` per segment), written once the registry has told every
 *   declaration (and again after a later join); optionally mirrored as vSphere tags on the VM;
 * - one `nsxt_policy_group` per segment selecting its tag; address groups for CIDR peers and for
 *   members this enforcement cannot tag (other platforms, other stacks);
 * - one `nsxt_policy_service` per distinct port set, shared;
 * - one `nsxt_policy_security_policy_rule` per flow under the enforcement's parent policy, its
 *   sequence number derived from the flow's identity, and two DROP rules at the end of the policy,
 *   scoped to the policy's groups, so default deny holds in both directions.
 */
export class NsxRenderer implements PlatformRenderer {
  private readonly policies = new Map<NsxEnforcement, PolicyState>();
  private readonly flowsBySegment = new SegmentFlows<AnyFlow>();
  private readonly vms = new Map<Workload, VmState>();
  /**
   * VMs set up or joined to a segment since the registry last told every declaration: their tags
   * are written then (onRendered), once, rather than at every join of a VM to its segments.
   */
  private readonly vmsToWrite = new Set<VmState>();
  private readonly pending: PendingWorkloads<NsxEnforcement>;
  private readonly problems = new FlowProblems();
  private readonly denies: DenyFlow[] = [];
  /** The registry's flows by rule key (several only when stacks share one `stableId`), and how many flows it indexed. */
  private flowsByKey = { indexed: -1, byKey: new Map<string, AnyFlow[]>() };

  public constructor(private readonly registry: PolicyRegistry) {
    this.pending = new PendingWorkloads(registry, {
      enforcementOf: (scope) => NsxEnforcement.of(scope),
      missing: (workload) => `Workload '${workload.node.path}' is bound to vSphere VM '${workload.resource!.node.path}' but stack '${stackOf(workload).node.path}' has no NsxEnforcement. Add new NsxEnforcement(stack, 'Nsx') to that stack.`,
    });
  }

  public onWorkload(workload: Workload): void {
    if (workload.platform !== Platform.NSX) return;
    recordInventory(workload);
    const enforcement = this.pending.enforcementOf(workload);
    if (enforcement) this.setUpVm(workload, this.policies.get(enforcement)!);
  }

  public onMembership(workload: Workload, segment: Segment): void {
    let created = false;
    if (workload.platform === Platform.NSX) {
      const vm = this.vms.get(workload);
      if (!vm) return; // rendered once the stack's enforcement is declared
      created = !vm.policy.tagGroups.has(segment);
      const group = this.ensureTagGroup(vm.policy, segment);
      if (!vm.segments.includes(group)) {
        vm.segments.push(group);
        vm.segments.sort((a, b) => compare(a.key, b.key));
        this.vmsToWrite.add(vm);
      }
    }
    // the segment's addresses (or groups) changed for every flow that names it; while the registry
    // replays, every member is known to the flows' first rendering: only a new group changes them
    if (created || !this.registry.replaying) for (const flow of this.flowsBySegment.of(segment)) this.renderFlow(flow);
  }

  public onFlow(flow: AnyFlow): void {
    this.flowsBySegment.add(flow);
    this.renderFlow(flow);
  }

  public onDenyFlow(deny: DenyFlow): void {
    this.denies.push(deny);
    this.onFlow(deny);
  }

  /**
   * Numbers the rules once the program is told: a sequence number comes from the allocation of
   * every rule of the policy, so it is written here, as a plain number, for every rule at once
   * (again only when a later declaration changed the allocation).
   */
  public onRendered(): void {
    for (const vm of this.vmsToWrite) this.writeVmTags(vm);
    this.vmsToWrite.clear();
    for (const policy of this.policies.values()) {
      const numbered = policy.numberedBy ?? {};
      if (policy.rules.size > 0 && numbered.allow !== this.allocationOf(policy)) {
        for (const rule of policy.rules.values()) rule.resource.sequenceNumber = this.sequenceOf(policy, rule.key);
        numbered.allow = this.allocationOf(policy);
      }
      if (policy.guardrailRules.size > 0 && numbered.guardrails !== this.guardrailAllocationOf(policy)) {
        for (const rule of policy.guardrailRules.values()) rule.resource.sequenceNumber = this.guardrailSequenceOf(policy, rule.key, rule.deny);
        numbered.guardrails = this.guardrailAllocationOf(policy);
      }
      policy.numberedBy = numbered;
    }
    this.orderGuardrailDenies();
  }

  /**
   * Makes each DROP rule of a DenyFlow depend on the ALLOW rules, in the same stack, of the
   * GuardrailAllows that carve exceptions from it: every rule is its own resource, so without
   * `depends_on` Terraform may create the DROP before the ALLOW (or destroy the ALLOW before the
   * DROP) and cut the excepted flow while the apply runs. Recomputed after every declaration, so a
   * GuardrailAllow declared later counts. Rules in other stacks are left out (their order is the
   * order of the stacks' applies).
   */
  private orderGuardrailDenies(): void {
    const allows = new Map<string, NsxtPolicySecurityPolicyRule[]>();
    const denies: RenderedRule[] = [];
    for (const policy of this.policies.values()) {
      for (const rule of policy.guardrailRules.values()) {
        if (rule.deny) denies.push(rule);
        else appendTo(allows, rule.key, rule.resource);
      }
    }
    const exceptions = exceptionsOf(this.registry);
    for (const rule of denies) {
      const stack = TerraformStack.of(rule.resource);
      const grants = allows.size > 0 && DenyFlow.isDenyFlow(rule.flow) ? [...exceptions(rule.flow)] : [];
      const excepting = grants.flatMap((grant) => allows.get(ruleKeyOf(grant)) ?? []);
      dependOnAllows(rule.resource, excepting.filter((allow) => TerraformStack.of(allow) === stack));
    }
  }

  public onEnforcement(stack: TerraformStack): void {
    const enforcement = NsxEnforcement.of(stack);
    if (!enforcement || this.policies.has(enforcement)) return; // another platform's enforcement, or seen
    const policy: PolicyState = {
      enforcement,
      tagGroups: new Map(),
      placements: new Map(),
      rules: new Map(),
      guardrailRules: new Map(),
      categories: new Map(),
      vsphereTags: new Map(),
    };
    this.policies.set(enforcement, policy);
    enforcement._onKeptVmTags((workload) => {
      const vm = this.vms.get(workload);
      if (vm) this.writeVmTags(vm);
    });
    enforcement.node.addValidation({ validate: () => this.validatePolicy(policy) });
    this.pending.release(stack, (workload) => this.setUpVm(workload, policy), this);
  }

  // ---------------------------------------------------------------------------------------------
  // Membership: NSX tags (and vSphere tags) on the VM, one tag group per segment
  // ---------------------------------------------------------------------------------------------

  private setUpVm(workload: Workload, policy: PolicyState): void {
    if (this.vms.has(workload)) return;
    const vmResource = workload.resource as VirtualMachine;
    for (const [key, value] of Object.entries(workload.labels)) {
      if (key.length > NSX_SCOPE_MAX) workload.addProblem(`has the label key "${key}", longer than the ${NSX_SCOPE_MAX} characters NSX allows in a tag scope. Shorten it.`);
      if (typeof value === 'string' && value.length > NSX_TAG_MAX) workload.addProblem(`label "${key}" has a value longer than the ${NSX_TAG_MAX} characters NSX allows in a tag. Shorten it.`);
    }
    const vmTags = bulkResource(new NsxtPolicyVmTags(workload, 'NsxTags', { instanceId: vmResource.id }));
    addressByIdentity(workload, vmTags);
    const vm: VmState = {
      workload,
      policy,
      vmTags,
      segments: [],
      baseTags: vmResource.tagsInput,
      vsphereTagIds: new Map(),
    };
    this.vms.set(workload, vm);
    this.vmsToWrite.add(vm);
    if (!policy.managedVms) {
      this.updateDropRules(policy);
      // a DenyFlow enforced at every managed VM (openSideDenies) needs the group of those VMs
      for (const deny of this.denies) this.renderFlow(deny);
    }
    workload.node.addValidation({ validate: () => [...this.labelScopeProblems(workload), ...this.tagCountProblems(vm)] });
  }

  /**
   * A label whose key is the tag scope of any NSX enforcement of the app (this team's or another's)
   * could make a VM join that enforcement's segment groups by its labels.
   */
  private labelScopeProblems(workload: Workload): string[] {
    const problems: string[] = [];
    for (const key of Object.keys(workload.labels)) {
      for (const owner of NsxEnforcement._allOf(workload).filter((e) => e.tagScope.toLowerCase() === key.toLowerCase())) {
        problems.push(`Workload '${workload.node.path}' has the label "${key}", which is the NSX tag scope of '${owner.node.path}': a VM could join a segment's group by its labels. Rename the label, or set another tagScope on the NsxEnforcement.`);
      }
    }
    return problems;
  }

  private tagCountProblems(vm: VmState): string[] {
    const workload = vm.workload;
    const enforcement = vm.policy.enforcement;
    const kept = enforcement._keptVmTags(workload).length;
    const count = Object.keys(workload.labels).length + vm.segments.length + 1 + kept; // + the managed tag
    if (count <= enforcement.maxTagsPerVm) return [];
    return [`Workload '${workload.node.path}' would carry ${count} NSX tags (${Object.keys(workload.labels).length} labels, the managed tag${kept > 0 ? `, ${kept} kept by keepVmTags` : ''} and ${vm.segments.length} segments: ${vm.segments.map((g) => g.segment.node.path).join(', ')}); NSX allows ${enforcement.maxTagsPerVm} per VM. Drop labels no segment needs, or merge segments.`];
  }

  /** Rewrites the complete NSX tag set of a VM (labels and segments), and its vSphere tags. */
  private writeVmTags(vm: VmState): void {
    const enforcement = vm.policy.enforcement;
    const tags: NsxtTag[] = [
      ...Object.entries(vm.workload.labels).map(([scope, tag]) => ({ scope, tag })),
      ...vm.segments.map((g) => ({ scope: enforcement.tagScope, tag: g.tag })),
      { scope: enforcement.tagScope, tag: enforcement.managedVmTag },
    ];
    tags.sort((a, b) => compare(a.scope!, b.scope!) || compare(a.tag!, b.tag!));
    // tags that other tools set and the user asked to keep (nsxt_policy_vm_tags is authoritative)
    const kept = enforcement._keptVmTags(vm.workload).filter((k) => !tags.some((t) => t.scope === k.scope && t.tag === k.tag));
    vm.vmTags.putTag([...tags, ...[...kept].sort((a, b) => compare(a.scope!, b.scope!) || compare(a.tag!, b.tag!))]);
    if (!enforcement.vsphereTags) return;
    for (const tag of tags) {
      const key = `${tag.scope}|${tag.tag}`;
      if (!vm.vsphereTagIds.has(key)) vm.vsphereTagIds.set(key, readOnce(this.ensureVsphereTag(vm.policy, tag.scope!, tag.tag!), 'id'));
    }
    const ours = [...vm.vsphereTagIds.keys()].sort(compare).map((k) => vm.vsphereTagIds.get(k)!);
    const resource = vm.workload.resource as VirtualMachine;
    const base = vm.baseTags;
    resource.tags = base === undefined ? ours : Token.isUnresolved(base) ? Fn.concat([base, ours]) : [...base, ...ours];
  }

  private ensureVsphereTag(policy: PolicyState, categoryKey: string, value: string): Tag {
    const key = `${categoryKey}|${value}`;
    const existing = policy.vsphereTags.get(key);
    if (existing) return existing;
    const enforcement = policy.enforcement;
    let category = policy.categories.get(categoryKey);
    if (!category) {
      const isSegments = categoryKey === enforcement.tagScope;
      category = bulkResource(new TagCategory(enforcement, idFromKey(`TagCategory-${categoryKey}`), {
        name: `${enforcement.vsphereCategoryPrefix}${categoryKey}`,
        description: isSegments ? 'microseg segments' : `microseg label ${categoryKey}`,
        cardinality: 'MULTIPLE',
        associableTypes: ['VirtualMachine'],
      }));
      Object.defineProperty(category, MICROSEG_CATEGORY, { value: true });
      policy.categories.set(categoryKey, category);
    }
    const tag = bulkResource(new Tag(enforcement, idFromKey(`Tag-${key}`), {
      name: value,
      categoryId: readOnce(category, 'id'),
      description: categoryKey === enforcement.tagScope ? `microseg segment ${value}` : `microseg label ${categoryKey}=${value}`,
    }));
    policy.vsphereTags.set(key, tag);
    return tag;
  }

  private ensureTagGroup(policy: PolicyState, segment: Segment): TagGroup {
    const existing = policy.tagGroups.get(segment);
    if (existing) return existing;
    const enforcement = policy.enforcement;
    const identity = identityOf(segment);
    const tag = segmentTag(identity);
    const resource = bulkResource(new NsxtPolicyGroup(enforcement, idFromKey(`Group-${pathKey(identity)}`), {
      displayName: `microseg ${segment.implicit ? identityOf(segment.node.scope!) : identity}`.slice(0, 255),
      description: segment.description.slice(0, 1024),
      domain: enforcement.domain,
      criteria: taggedVms(enforcement, tag),
      lifecycle: { createBeforeDestroy: true },
    }));
    const group: TagGroup = { segment, resource, tag, key: `tag:${identity}` };
    policy.tagGroups.set(segment, group);
    if (!segment.implicit) Inventory.of(stackOf(enforcement)).addGroup(segment.node.path, segment.selector, resource, segment.identity);
    return group;
  }

  // ---------------------------------------------------------------------------------------------
  // Flows: one rule per flow and policy
  // ---------------------------------------------------------------------------------------------

  private renderFlow(flow: AnyFlow): void {
    if (flow.problems().length > 0) return; // synthesis fails with the flow's own problems
    const problems = this.problems.of(flow);
    problems.clear();
    const resolved = ResolvedPolicy.of(this.registry).flow(flow);
    const from = resolved.from.segment;
    const to = resolved.to.segment;
    const touched = new Set<PolicyState>();
    for (const segment of [from, to]) {
      if (!segment) continue;
      for (const policy of this.policies.values()) if (policy.tagGroups.has(segment)) touched.add(policy);
    }
    const ordered = [...touched].sort((a, b) => compare(pathOf(a.enforcement), pathOf(b.enforcement)));
    const inexpressible = ordered.length > 0 ? inexpressiblePorts(resolved.ports, NSX_CAPABILITIES) : undefined;
    if (inexpressible) {
      problems.add(inexpressible);
      return;
    }
    for (const policy of ordered) {
      if (!this.ownsRule(policy, flow)) continue;
      const sources = this.sideOf(problems, policy, flow, 'from', resolved.from);
      const destinations = this.sideOf(problems, policy, flow, 'to', resolved.to);
      const empty = (side: Side) => side.tagGroups.length === 0 && side.ipSets.length === 0;
      // An empty side would mean ANY to NSX: render nothing until the side has members (a
      // guardrail deny from or to anywhere means ANY on purpose).
      const anyFrom = DenyFlow.isDenyFlow(flow) && flow.fromAnywhere;
      const anyTo = DenyFlow.isDenyFlow(flow) && flow.toAnywhere;
      if ((empty(sources) && !anyFrom) || (empty(destinations) && !anyTo)) continue;
      const family = DenyFlow.isDenyFlow(flow) ? undefined
        : [sources, destinations].map((side) => this.onlyFamily(policy, side)).find((f) => f !== undefined);
      if (family && !resolved.ports.some((spec) => travelsOver(spec, family))) {
        // an allow whose rule no packet could match would be silently missing
        problems.add(otherFamilyProblem(family, [...resolved.ports], 'its NSX rule'));
        continue;
      }
      const open = { from: anyFrom || peerOf(resolved.from) !== undefined, to: anyTo || peerOf(resolved.to) !== undefined };
      this.renderRule(policy, flow, sources, destinations, open);
    }
    if (DenyFlow.isDenyFlow(flow)) {
      for (const open of openSideDenies(this.registry, flow)) {
        for (const policy of [...this.policies.values()].sort((a, b) => compare(pathOf(a.enforcement), pathOf(b.enforcement)))) {
          if (policy.managedVms && this.ownsRule(policy, flow)) this.renderOpenSideRule(policy, flow, open);
        }
      }
    }
  }

  /**
   * A DROP rule of the guardrail policy for a DenyFlow's address-only members against its open side
   * (anywhere or a CIDR), applied at every VM the policy manages: IN from the members' addresses, or
   * OUT to them (see openSideDenies in lib/model/guardrail-semantics.ts).
   */
  private renderOpenSideRule(policy: PolicyState, deny: DenyFlow, open: OpenSideDeny): void {
    const enforcement = policy.enforcement;
    const placement = this.placementOf(policy, deny);
    const key = `${identityOf(deny)}|open-${open.direction}`;
    const members: Side = { tagGroups: [], ipSets: [{ key: `guardrail-members:${key}`, name: `${open.direction === 'inbound' ? 'sources' : 'destinations'} of ${deny.node.path}`, addresses: open.addresses }] };
    const existing = policy.guardrailRules.get(key);
    if (existing) {
      // the members' addresses may have grown; the open side never changes
      if (open.direction === 'inbound') existing.resource.sourceGroups = this.groupPaths(placement, members);
      else existing.resource.destinationGroups = this.groupPaths(placement, members);
      return;
    }
    const openSide: Side = { tagGroups: [], ipSets: open.open ? [{ key: `peer:${key}`, name: open.open, addresses: [open.open] }] : [] };
    const [sources, destinations] = open.direction === 'inbound' ? [members, openSide] : [openSide, members];
    const service = this.ensureService(placement, deny, identityOf(deny));
    const sourceGroups = this.groupPaths(placement, sources);
    const destinationGroups = this.groupPaths(placement, destinations);
    recordNeeds(placement, deny, [sources, destinations]);
    const resource = bulkResource(new NsxtPolicySecurityPolicyRule(placement.scope, idFromKey(`Guardrail-${pathKey(key)}`), {
      policyPath: readOnce(enforcement._guardrailPolicy(), 'path'),
      displayName: nsxDisplayName(deny.description, `microseg guardrail deny ${deny.node.path}`),
      description: `microseg guardrail deny ${deny.node.path} at every managed VM`.slice(0, 1024),
      sequenceNumber: UNNUMBERED,
      sourceGroups,
      destinationGroups,
      services: service ? [readOnce(service, 'path')] : [],
      scope: [readOnce(policy.managedVms!, 'path')],
      action: NsxRuleAction.DROP,
      direction: open.direction === 'inbound' ? NsxRuleDirection.IN : NsxRuleDirection.OUT,
      logged: enforcement.logging,
    }));
    writeProvenance(resource, { flows: [], guardrails: [deny.node.path] });
    const rule = { key, resource, flow: deny, sourceCount: sourceGroups.length, destinationCount: destinationGroups.length, deny: true };
    policy.guardrailRules.set(key, rule);
    policy.guardrailAllocation = undefined;
  }

  /** The one address family of a side named by addresses alone (no tag group); undefined when it has both or tags. */
  private onlyFamily(policy: PolicyState, side: Side): 'ipv4' | 'ipv6' | undefined {
    if (side.tagGroups.length > 0 || side.ipSets.length === 0) return undefined;
    const families = new Set(side.ipSets.flatMap((set) => set.addresses).map((address) => addressFamilyOf(address, policy.enforcement)));
    return families.size === 1 ? [...families][0] : undefined;
  }

  /**
   * What stands for one end of `flow` in the policy of `policy`. A CIDR peer is a group of the
   * flow's own (keyed by the flow's identity and the end, never by the CIDR), so that editing the
   * CIDR updates that group in place and touches no other flow.
   */
  private sideOf(problems: FlowProblemSet, policy: PolicyState, flow: AnyFlow, end: 'from' | 'to', side: FlowSide): Side {
    const enforcement = policy.enforcement;
    const peer = peerOf(side);
    if (peer) {
      const problem = inexpressibleSide(peer, NSX_CAPABILITIES, enforcement.node.path);
      if (problem || peer.kind !== 'address') {
        if (problem) problems.add(problem);
        return { tagGroups: [], ipSets: [] };
      }
      return { tagGroups: [], ipSets: [{ key: `peer:${ruleKeyOf(flow)}|${end}`, name: `${end === 'from' ? 'source' : 'destination'} ${peer.value} of ${identityOf(flow)}`, addresses: [peer.value] }] };
    }
    const segment = side.segment;
    if (!segment) return { tagGroups: [], ipSets: [] };
    const tagGroup = policy.tagGroups.get(segment);
    // an address-only workload without addresses is reported on the workload, another platform's
    // workload by the cross-platform rule (lib/model/cross-platform-addresses.ts)
    const seen = membersSeenFrom(side, Platform.NSX, (own) => own === enforcement);
    for (const { workload: member, enforcement: memberEnforcement } of seen.unaddressed) {
      problems.add(unaddressedMemberProblem(member.node.path, memberEnforcement!.node.path, NSX_CAPABILITIES, enforcement.node.path));
    }
    const addresses = [...new Set(seen.remote.flatMap((member) => member.addressCidrs))];
    return {
      tagGroups: tagGroup ? [tagGroup] : [],
      ipSets: addresses.length > 0 ? [{ key: `members:${identityOf(segment)}`, name: `members of ${identityOf(segment)} outside ${enforcement.node.path}`, addresses }] : [],
    };
  }

  private renderRule(policy: PolicyState, flow: AnyFlow, sources: Side, destinations: Side, open: OpenEnds): void {
    if (DenyFlow.isDenyFlow(flow)) {
      this.renderDenyRule(policy, flow, sources, destinations, open);
      return;
    }
    if (GuardrailAllow.isGuardrailFlow(flow)) {
      this.renderGuardrailRule(policy, flow, sources, destinations);
      return;
    }
    const enforcement = policy.enforcement;
    const placement = this.placementOf(policy, flow);
    const scopeGroups = [...new Set([...sources.tagGroups, ...destinations.tagGroups])].sort((a, b) => compare(a.key, b.key));
    const key = ruleKeyOf(flow);
    const service = this.ensureService(placement, flow, key);
    const sourceGroups = this.groupPaths(placement, sources);
    const destinationGroups = this.groupPaths(placement, destinations);
    recordNeeds(placement, flow, [sources, destinations]);
    const scope = scopeGroups.map((g) => readOnce(g.resource, 'path'));
    let rule = policy.rules.get(key);
    if (!rule) {
      const resource = bulkResource(new NsxtPolicySecurityPolicyRule(placement.scope, idFromKey(`Rule-${pathKey(key)}`), {
        policyPath: readOnce(enforcement.policy, 'path'),
        displayName: nsxDisplayName(flow.description, `microseg flow ${flow.node.path}`),
        description: `microseg flow ${flow.node.path}`.slice(0, 1024),
        sequenceNumber: UNNUMBERED,
        sourceGroups,
        destinationGroups,
        services: service ? [readOnce(service, 'path')] : [],
        scope,
        action: NsxRuleAction.ALLOW,
        direction: allowDirection(sources, destinations),
        logged: enforcement.logging,
      }));
      rule = { key, resource, flow, sourceCount: 0, destinationCount: 0 };
      policy.rules.set(key, rule);
      policy.allocation = undefined;
    } else {
      rule.resource.sourceGroups = sourceGroups;
      rule.resource.destinationGroups = destinationGroups;
      rule.resource.scope = scope;
      rule.resource.direction = allowDirection(sources, destinations);
    }
    writeProvenance(rule.resource, { flows: this.declarationsOf(key).map((f) => f.node.path) });
    rule.sourceCount = sourceGroups.length;
    rule.destinationCount = destinationGroups.length;
  }

  /**
   * The DROP rule of a DenyFlow. A DenyFlow applies at the ends that are members of its sides
   * (`denyEnforcedAt` in lib/model/guardrail-semantics.ts). Between two sides of members one rule
   * both ways says exactly that: at a VM's vNIC the VM is the source of what leaves and the
   * destination of what arrives, so a match makes it a member of that side. A VM that merely lies in
   * an open side (anywhere, a CIDR) is no member, so against an open side the rule names the other
   * side's members only, in their direction: OUT at a source side's, IN at a destination side's.
   * (Hosts known only by addresses against an open side: {@link renderOpenSideRule}.)
   */
  private renderDenyRule(policy: PolicyState, deny: DenyFlow, sources: Side, destinations: Side, open: OpenEnds): void {
    const membersOf = (side: Side): Side => ({ tagGroups: side.tagGroups, ipSets: [] });
    const render = (from: Side, to: Side, direction: NsxRuleDirection) => this.renderGuardrailRule(policy, deny, from, to, direction);
    if (!open.from && !open.to) render(sources, destinations, NsxRuleDirection.IN_OUT);
    else if (!open.from && sources.tagGroups.length > 0) render(membersOf(sources), destinations, NsxRuleDirection.OUT);
    else if (!open.to && destinations.tagGroups.length > 0) render(sources, membersOf(destinations), NsxRuleDirection.IN);
    // both sides open: no member of either is a VM of this policy (hosts known only by addresses: renderOpenSideRule)
  }

  /**
   * A guardrail rule, in the enforcement's guardrail policy (category Emergency by default, before
   * every application rule): GuardrailAllow flows as ALLOW rules first, DenyFlows as DROP rules
   * after them (in `direction`), each with a sequence number derived from its identity inside its
   * own range.
   */
  private renderGuardrailRule(policy: PolicyState, flow: AnyFlow, sources: Side, destinations: Side, direction?: NsxRuleDirection): void {
    const enforcement = policy.enforcement;
    const deny = DenyFlow.isDenyFlow(flow);
    // A segment's tag group also holds other teams' VMs (one app tags a segment's members alike in
    // every enforcement). A DROP applied there would precede, or replace, the GuardrailAllow that
    // only the other team's guardrail policy carries: a team's DROP applies at its own VMs only, as
    // its default deny does. A policy that manages no VM yet has nothing of its own to protect; its
    // DenyFlows are rendered again with its first VM.
    if (deny && !policy.managedVms) return;
    const scope = deny
      ? [readOnce(policy.managedVms!, 'path')]
      : [...new Set([...sources.tagGroups, ...destinations.tagGroups])].sort((a, b) => compare(a.key, b.key)).map((g) => readOnce(g.resource, 'path'));
    // an ALLOW only on the side(s) this policy manages
    const ruleDirection = direction ?? allowDirection(sources, destinations);
    const placement = this.placementOf(policy, flow);
    const key = ruleKeyOf(flow);
    const service = this.ensureService(placement, flow, key);
    const sourceGroups = this.groupPaths(placement, sources);
    const destinationGroups = this.groupPaths(placement, destinations);
    recordNeeds(placement, flow, [sources, destinations]);
    let rule = policy.guardrailRules.get(key);
    if (!rule) {
      const resource = bulkResource(new NsxtPolicySecurityPolicyRule(placement.scope, idFromKey(`Guardrail-${pathKey(key)}`), {
        policyPath: readOnce(enforcement._guardrailPolicy(), 'path'),
        displayName: nsxDisplayName(flow.description, `microseg ${deny ? 'guardrail deny' : 'guardrail allow'} ${flow.node.path}`),
        description: `microseg ${deny ? 'guardrail deny' : 'guardrail allow'} ${flow.node.path}`.slice(0, 1024),
        sequenceNumber: UNNUMBERED,
        sourceGroups,
        destinationGroups,
        services: service ? [readOnce(service, 'path')] : [],
        scope,
        action: deny ? NsxRuleAction.DROP : NsxRuleAction.ALLOW,
        direction: ruleDirection,
        logged: enforcement.logging,
      }));
      rule = { key, resource, flow, sourceCount: 0, destinationCount: 0, deny };
      policy.guardrailRules.set(key, rule);
      policy.guardrailAllocation = undefined;
    } else {
      rule.resource.sourceGroups = sourceGroups;
      rule.resource.destinationGroups = destinationGroups;
      rule.resource.scope = scope;
      rule.resource.direction = ruleDirection;
    }
    const paths = this.declarationsOf(key).map((f) => f.node.path);
    writeProvenance(rule.resource, deny ? { flows: [], guardrails: paths } : { flows: paths, guardrail: true });
    rule.sourceCount = sourceGroups.length;
    rule.destinationCount = destinationGroups.length;
  }

  /**
   * The flows (AllowFlow, GuardrailAllow's flow, DenyFlow) of the program whose rule key is `key`,
   * sorted by path: one flow, or the same flow declared in several stacks under one `stableId`. The
   * registry knows every declaration when the renderers hear the first one.
   */
  private declarationsOf(key: string): AnyFlow[] {
    const count = this.registry.flows.length + this.registry.denyFlows.length;
    if (this.flowsByKey.indexed !== count) {
      const byKey = new Map<string, AnyFlow[]>();
      for (const flow of [...this.registry.flows, ...this.registry.denyFlows]) {
        appendTo(byKey, ruleKeyOf(flow), flow);
      }
      this.flowsByKey = { indexed: count, byKey };
    }
    return (this.flowsByKey.byKey.get(key) ?? [])
      .filter((f) => f.problems().length === 0)
      .sort(byPath);
  }

  /**
   * Whether `flow` is the declaration whose stack holds the policy's rule for its identity. A flow
   * that several stacks declare (one `stableId`) is rendered once, in the stack that held it in the
   * previous synthesis while that stack still declares it (the persisted allocation's owner), so a
   * second stack declaring it never moves it. A declaration that means something else than the
   * owner's under the same identity renders nothing: the app refuses it (flowIdentityClash).
   */
  private ownsRule(policy: PolicyState, flow: AnyFlow): boolean {
    const key = ruleKeyOf(flow);
    const declarations = this.declarationsOf(key);
    const stacks = [...new Set(declarations.map((f) => stackOf(f).node.path))];
    if (stacks.length === 0) return true;
    const owner = Allocations.of(policy.enforcement).owner(ownerKey(policy.enforcement, key), stacks);
    const ownerFlow = declarations.find((f) => stackOf(f).node.path === owner)!;
    if (ownerFlow === flow) return true;
    if (flowMeaning(ownerFlow) !== flowMeaning(flow)) return false;
    // the owner's rule lists every declaration in its provenance
    const rule = policy.rules.get(key) ?? policy.guardrailRules.get(key);
    if (rule) this.renderFlow(rule.flow);
    return false;
  }

  /** Warns about every rule whose stack differs from the one that held it in the previous synthesis. */
  private moveWarnings(policy: PolicyState): void {
    const enforcement = policy.enforcement;
    const allocations = Allocations.of(enforcement);
    for (const rule of [...policy.rules.values(), ...policy.guardrailRules.values()]) {
      const previous = allocations.previousOwner(ownerKey(enforcement, ruleKeyOf(rule.flow)));
      const now = stackOf(rule.flow).node.path;
      if (previous === undefined || previous === now) continue;
      const kind = DenyFlow.isDenyFlow(rule.flow) ? 'DenyFlow' : 'AllowFlow';
      const effect = kind === 'DenyFlow' ? 'the traffic it denies is not denied' : 'its traffic drops';
      warnOnce(rule.flow, `[microseg-rule-moves-stack] ${kind} '${rule.flow.node.path}': its NSX rule in the policy of '${enforcement.node.path}' moves from stack '${previous}' (which no longer declares it) to stack '${now}'. Apply '${now}' first: NSX accepts the new rule next to the old one, so nothing drops. If '${previous}' is applied first, ${effect} until '${now}' is applied.`);
    }
  }

  /**
   * Where the policy's rule for `flow` lives: in the stack that declares the flow. In the
   * enforcement's own stack that is the enforcement itself (the addresses of single-stack estates
   * never move); elsewhere a container of that stack, whose rules reference the enforcement's
   * policy and tag groups across stacks.
   */
  private placementOf(policy: PolicyState, flow: AnyFlow): Placement {
    const stack = stackOf(flow);
    let placement = policy.placements.get(stack);
    if (!placement) {
      const enforcement = policy.enforcement;
      const home = stack === stackOf(enforcement);
      const scope = home ? enforcement : rulesContainer(rulesContainer(stack, 'Microseg'), asTableEntry(`Nsx-${pathKey(constructPath(enforcement))}`));
      placement = { enforcement, stack, scope, ipGroups: new Map(), services: new Map() };
      policy.placements.set(stack, placement);
    }
    return placement;
  }

  /** The paths of the groups that stand for one side of a rule, sorted by their identity. */
  private groupPaths(placement: Placement, side: Side): string[] {
    return [
      ...side.tagGroups.map((g) => ({ key: g.key, path: readOnce(g.resource, 'path') })),
      ...side.ipSets.map((set) => ({ key: set.key, path: readOnce(this.ensureIpGroup(placement, set).resource, 'path') })),
    ].sort((a, b) => compare(a.key, b.key)).map((x) => x.path);
  }

  /**
   * The sequence numbers of the guardrail policy's rules, from the app's persisted allocation: a
   * rule keeps its number while it lives, and a new rule never takes the number of a rule of the
   * previous synthesis, whatever other rules come and go.
   */
  private guardrailAllocationOf(policy: PolicyState): { allow: SlotAllocation; deny: SlotAllocation } {
    if (!policy.guardrailAllocation) {
      const keys = (d: boolean) => [...policy.guardrailRules.values()].filter((r) => r.deny === d).map((r) => r.key);
      const allocations = Allocations.of(policy.enforcement);
      const space = sequenceSpace(policy.enforcement);
      policy.guardrailAllocation = {
        allow: allocations.slots(`${space}:guardrail-allow`, keys(false), NSX_GUARDRAIL_ALLOW_SEQUENCES),
        deny: allocations.slots(`${space}:guardrail-deny`, keys(true), NSX_GUARDRAIL_DENY_SEQUENCES),
      };
    }
    return policy.guardrailAllocation;
  }

  private guardrailSequenceOf(policy: PolicyState, key: string, deny: boolean): number {
    const allocation = this.guardrailAllocationOf(policy);
    // a key without a number fails validation (sequenceProblems); the band's last number stands in
    const band = deny ? NSX_GUARDRAIL_DENY_SEQUENCES : NSX_GUARDRAIL_ALLOW_SEQUENCES;
    return (deny ? allocation.deny : allocation.allow).assigned.get(key) ?? band.last;
  }

  /** The sequence numbers of the application policy's allow rules, from the app's persisted allocation. */
  private allocationOf(policy: PolicyState): SlotAllocation {
    if (!policy.allocation) policy.allocation = Allocations.of(policy.enforcement).slots(`${sequenceSpace(policy.enforcement)}:allow`, policy.rules.keys(), NSX_ALLOW_SEQUENCES);
    return policy.allocation;
  }

  private sequenceOf(policy: PolicyState, key: string): number {
    // a key without a number fails validation (sequenceProblems); the band's last number stands in
    return this.allocationOf(policy).assigned.get(key) ?? NSX_ALLOW_SEQUENCES.last;
  }

  /** Rules left without a sequence number (every number of their band is held): a synth error with advice. */
  private sequenceProblems(policy: PolicyState): string[] {
    const name = `NsxEnforcement '${policy.enforcement.node.path}'`;
    const guardrails = this.guardrailAllocationOf(policy);
    const bands = [
      { what: 'allow rules of the policy', band: NSX_ALLOW_SEQUENCES, keys: this.allocationOf(policy).unassigned },
      { what: 'GuardrailAllow rules of the guardrail policy', band: NSX_GUARDRAIL_ALLOW_SEQUENCES, keys: guardrails.allow.unassigned },
      { what: 'DenyFlow rules of the guardrail policy', band: NSX_GUARDRAIL_DENY_SEQUENCES, keys: guardrails.deny.unassigned },
    ];
    return bands.filter((b) => b.keys.length > 0).map((b) => `${name}: no free sequence number in ${b.band.first}-${b.band.last} for the ${b.what} of ${b.keys.map((k) => `'${k}'`).join(', ')}: every number is held by a rule of this or the previous synthesis (the allocation file). Remove rules you no longer need, or move workloads to another stack with its own NsxEnforcement; numbers are never reassigned silently.`);
  }

  private ensureIpGroup(placement: Placement, set: { key: string; name: string; addresses: string[] }): IpGroup {
    const enforcement = placement.enforcement;
    let group = placement.ipGroups.get(set.key);
    if (!group) {
      const resource = bulkResource(new NsxtPolicyGroup(placement.scope, idFromKey(`Addresses-${set.key}`), {
        displayName: `microseg ${set.name}`.slice(0, 255),
        description: `microseg addresses: ${set.name}`.slice(0, 1024),
        domain: enforcement.domain,
        lifecycle: { createBeforeDestroy: true },
      }));
      group = { key: set.key, name: set.name, resource, addressCounts: [] };
      placement.ipGroups.set(set.key, group);
    }
    const addresses = set.addresses.join('\n');
    if (group.writtenFrom === addresses) return group;
    group.writtenFrom = addresses;
    // NSX refuses IPv4 and IPv6 in one expression: one criteria per family, ORed.
    const familyOf = (address: string) => addressFamilyOf(address, placement.scope);
    const v6 = set.addresses.filter((a) => familyOf(a) === 'ipv6').map(nsxIpAddress);
    const v4 = set.addresses.filter((a) => familyOf(a) === 'ipv4').map(nsxIpAddress);
    const criteria: NsxtPolicyGroupCriteria[] = [v4, v6].filter((l) => l.length > 0).map((ipAddresses) => ({ ipaddressExpression: { ipAddresses } }));
    group.resource.putCriteria(criteria);
    if (criteria.length > 1) group.resource.putConjunction([{ operator: NsxConjunctionOperator.OR }]);
    group.addressCounts = [v4, v6].filter((l) => l.length > 0).map((l) => l.length);
    return group;
  }

  /**
   * The service of one flow's rules: its own resource, keyed by the flow's identity (never by its
   * ports), so that editing the ports updates it in place and no other flow's service changes.
   */
  private ensureService(placement: Placement, flow: AnyFlow, key: string): NsxtPolicyService | undefined {
    const shape = nsxServiceShape([...ResolvedPolicy.of(this.registry).flow(flow).ports]);
    if (shape.any) return undefined; // no service: any
    const existing = placement.services.get(key);
    if (existing) return existing;
    const service = bulkResource(new NsxtPolicyService(placement.scope, idFromKey(`Service-${pathKey(key)}`), {
      displayName: `microseg ${key}`.slice(0, 255),
      description: `microseg ports ${shape.key} of ${key}`.slice(0, 1024),
      ...(shape.l4.length > 0 ? {
        l4PortSetEntry: shape.l4.map((e) => ({
          displayName: `${e.protocol} ${e.destinationPorts.join(',')}`.slice(0, 255),
          protocol: e.protocol === 'TCP' ? NsxL4Protocol.TCP : NsxL4Protocol.UDP,
          destinationPorts: e.destinationPorts,
        })),
      } : {}),
      ...(shape.icmp.length > 0 ? {
        icmpEntry: shape.icmp.map((e) => ({
          displayName: `${e.protocol} ${e.icmpType ?? 'any'}/${e.icmpCode ?? 'any'}`,
          protocol: e.protocol === 'ICMPv4' ? NsxIcmpProtocol.ICMPV4 : NsxIcmpProtocol.ICMPV6,
          ...(e.icmpType !== undefined ? { icmpType: e.icmpType } : {}),
          ...(e.icmpCode !== undefined ? { icmpCode: e.icmpCode } : {}),
        })),
      } : {}),
      ...(shape.ipProtocols.length > 0 ? {
        ipProtocolEntry: shape.ipProtocols.map((protocol) => ({ displayName: `IP protocol ${protocol}`, protocol })),
      } : {}),
      lifecycle: { createBeforeDestroy: true },
    }));
    placement.services.set(key, service);
    return service;
  }

  /**
   * Creates, on the first managed VM, the group of every managed VM and the two default-deny rules
   * scoped to it, so that default deny holds for every VM, in a segment or not, even where the global
   * default rule allows.
   */
  private updateDropRules(policy: PolicyState): void {
    if (policy.drops) return;
    const enforcement = policy.enforcement;
    policy.managedVms = bulkResource(new NsxtPolicyGroup(enforcement, 'ManagedVms', {
      displayName: `microseg managed VMs ${enforcement.node.path}`.slice(0, 255),
      description: 'Every VM the microseg policy manages: the scope of its default-deny rules.',
      domain: enforcement.domain,
      criteria: taggedVms(enforcement, enforcement.managedVmTag),
      lifecycle: { createBeforeDestroy: true },
    }));
    const managed = [readOnce(policy.managedVms, 'path')];
    const common = {
      policyPath: readOnce(enforcement.policy, 'path'),
      action: NsxRuleAction.DROP,
      logged: enforcement.logging,
      services: [],
      scope: managed,
    };
    const dropIn = new NsxtPolicySecurityPolicyRule(enforcement, 'DefaultDenyIn', {
      ...common,
      displayName: 'microseg default deny into managed VMs',
      description: 'Drops traffic into managed VMs that no earlier rule allowed.',
      sequenceNumber: NSX_DROP_IN_SEQUENCE,
      sourceGroups: [],
      destinationGroups: managed,
      direction: NsxRuleDirection.IN,
    });
    const dropOut = new NsxtPolicySecurityPolicyRule(enforcement, 'DefaultDenyOut', {
      ...common,
      displayName: 'microseg default deny out of managed VMs',
      description: 'Drops traffic out of managed VMs that no earlier rule allowed.',
      sequenceNumber: NSX_DROP_OUT_SEQUENCE,
      sourceGroups: managed,
      destinationGroups: [],
      direction: NsxRuleDirection.OUT,
    });
    for (const drop of [dropIn, dropOut]) {
      bulkResource(drop);
      writeProvenance(drop, { flows: [], defaultDeny: true });
    }
    policy.drops = { in: dropIn, out: dropOut };
  }

  // ---------------------------------------------------------------------------------------------
  // Limits
  // ---------------------------------------------------------------------------------------------

  /** Every stack that holds rules of the policy needs the NSX provider (else Terraform looks for hashicorp/nsxt). */
  private providerProblems(policy: PolicyState): string[] {
    const enforcement = policy.enforcement;
    const problems: string[] = [];
    for (const placement of policy.placements.values()) {
      if (placement.stack === stackOf(enforcement) || holdsConstruct(placement.stack, (c) => c instanceof NsxtProvider)) continue;
      const flows = [...policy.rules.values(), ...policy.guardrailRules.values()]
        .filter((r) => r.resource.node.scope === placement.scope).map((r) => `'${r.key}'`).sort(compare);
      problems.push(`NsxEnforcement '${enforcement.node.path}': the NSX rules of ${flows.join(', ')} live in stack '${placement.stack.node.path}', which declares ${flows.length > 1 ? 'them' : 'it'} (a flow's rules live in the stack that declares it), but that stack has no NSX provider, so Terraform would look for "hashicorp/nsxt". Add new nsxt.NsxtProvider(stack, 'nsxt', { host, username, password }) (import { nsxt } from 'cdktf-microseg') to '${placement.stack.node.path}'.`);
    }
    return problems;
  }

  private validatePolicy(policy: PolicyState): string[] {
    const enforcement = policy.enforcement;
    const name = `NsxEnforcement '${enforcement.node.path}'`;
    const rules: NsxRuleShape[] = [...policy.rules.values()].map((r) => ({ name: `${DenyFlow.isDenyFlow(r.flow) ? 'DenyFlow' : 'AllowFlow'} '${r.flow.node.path}'`, sourceGroups: r.sourceCount, destinationGroups: r.destinationCount }));
    if (policy.drops) {
      rules.push({ name: 'default-deny rule \'DefaultDenyIn\'', sourceGroups: 0, destinationGroups: 1 });
      rules.push({ name: 'default-deny rule \'DefaultDenyOut\'', sourceGroups: 1, destinationGroups: 0 });
    }
    const groups: NsxGroupShape[] = [
      ...[...policy.tagGroups.values()].map((g) => ({ name: `Segment '${g.segment.node.path}'`, conditionsPerCriteria: [1] })),
      ...[...policy.placements.values()].flatMap((p) => [...p.ipGroups.values()]).map((g) => ({ name: `address group "${g.name}"`, conditionsPerCriteria: g.addressCounts.map(() => 1), addressesPerExpression: g.addressCounts })),
    ];
    const limits = { ...NSX_LIMITS, rulesPerPolicy: enforcement.maxRulesPerPolicy, groupsPerRuleSide: enforcement.maxGroupsPerRuleSide };
    const problems = nsxQuotaFindings(rules, groups, limits).map((f) => `${name}: ${describeFinding(f, enforcement, policy.rules.size)}`);
    const guardrailRules = policy.guardrailRules.size;
    if (guardrailRules > enforcement.maxRulesPerPolicy) {
      problems.push(`${name}: guardrail policy "${enforcement.guardrailPolicyName}" needs ${guardrailRules} rules (GuardrailAllow and DenyFlow rules); the limit is ${enforcement.maxRulesPerPolicy} per policy. Merge guardrails between the same endpoints into one with several ports, or move workloads to another stack with its own NsxEnforcement; rules are never merged silently.`);
    }
    problems.push(...this.sequenceProblems(policy));
    this.moveWarnings(policy);
    problems.push(...categoryCollisions(policy));
    problems.push(...vsphereTagCollisions(policy));
    problems.push(...this.providerProblems(policy));
    for (const collision of tagCollisions([...policy.tagGroups.keys()].map(identityOf))) {
      problems.push(`${name}: segments ${collision.map((p) => `'${p}'`).join(' and ')} get the same NSX tag "${segmentTag(collision[0]).toLowerCase()}" once case is ignored (NSX matches tags without regard to case), so their groups would select each other's VMs. Rename one of them.`);
    }
    return problems;
  }
}

/**
 * Records why the placement's stack needs other stacks for this flow's rule: the enforcement's
 * stack (its policy and tag groups), and the stacks of Terraform-expression addresses.
 */
function recordNeeds(placement: Placement, flow: AnyFlow, sides: Side[]): void {
  const needs = StackNeeds.of(placement.scope);
  const kind = DenyFlow.isDenyFlow(flow) ? 'DenyFlow' : 'AllowFlow';
  const enforcementStack = stackOf(placement.enforcement);
  const subject = `${kind} '${flow.node.path}'`;
  needs.add(placement.stack, enforcementStack, subject, `its NSX rule in the policy of '${placement.enforcement.node.path}'`);
  for (const set of sides.flatMap((side) => side.ipSets)) {
    for (const address of set.addresses.filter((a) => Token.isUnresolved(a))) {
      for (const token of Tokenization.reverseString(address).tokens) {
        const origin = (token as any).originStack;
        if (TerraformStack.isStack(origin)) needs.add(placement.stack, origin, subject, `the addresses of its NSX group "${set.name}"`);
      }
    }
  }
}

/**
 * The sequence number a rule is created with, before the rules of its policy are all known and
 * numbered together (onRendered): the last of the allow band, never written out.
 */
const UNNUMBERED = NSX_ALLOW_SEQUENCES.last;

/** Marks the vSphere tag categories the renderer creates. */
const MICROSEG_CATEGORY = Symbol.for('cdktf-microseg.VsphereTagCategory');

/**
 * The vSphere tag categories of the policy whose literal name another category of the app also
 * has (vCenter compares category names without regard to case): the second create would fail
 * with AlreadyExists. A pair of two microseg categories is reported once, by the first path.
 */
function categoryCollisions(policy: PolicyState): string[] {
  if (policy.categories.size === 0) return [];
  const enforcement = policy.enforcement;
  const all = rootOf(enforcement).node.findAll().filter((c): c is TagCategory => c instanceof TagCategory);
  const literalName = (c: TagCategory) => (typeof c.nameInput === 'string' && !Token.isUnresolved(c.nameInput) ? c.nameInput : undefined);
  const problems: string[] = [];
  for (const ours of [...policy.categories.values()].sort(byPath)) {
    const name = literalName(ours);
    if (name === undefined) continue;
    for (const other of all) {
      if (other === ours || literalName(other)?.toLowerCase() !== name.toLowerCase()) continue;
      if ((other as any)[MICROSEG_CATEGORY] && compare(pathOf(other), pathOf(ours)) < 0) continue;
      problems.push(`NsxEnforcement '${enforcement.node.path}': vSphere tag category "${name}" ('${ours.node.path}') has the same name as '${other.node.path}' ("${literalName(other)}"); vCenter category names are unique (case ignored), so the second create fails with AlreadyExists. Set vsphereCategoryPrefix on the NsxEnforcement to a prefix no other category uses, or rename the other category.`);
    }
  }
  return problems;
}

/**
 * The vSphere tags of one category whose names differ only in case (label values `Prod` and `prod`
 * of one key): vCenter names tags within a category as it names categories, case ignored, so the
 * second create fails with AlreadyExists.
 */
function vsphereTagCollisions(policy: PolicyState): string[] {
  const byName = new Map<string, string[]>();
  for (const key of [...policy.vsphereTags.keys()].sort(compare)) {
    const split = key.indexOf('|');
    const folded = `${key.slice(0, split)}|${key.slice(split + 1).toLowerCase()}`;
    byName.set(folded, [...byName.get(folded) ?? [], key]);
  }
  return [...byName.values()].filter((keys) => keys.length > 1).map((keys) => {
    const category = keys[0].slice(0, keys[0].indexOf('|'));
    const values = keys.map((key) => `"${key.slice(key.indexOf('|') + 1)}"`).join(' and ');
    return `NsxEnforcement '${policy.enforcement.node.path}': the vSphere tags ${values} of category "${policy.enforcement.vsphereCategoryPrefix}${category}" differ only in case; vCenter tag names are unique within a category (case ignored), so the second create fails with AlreadyExists. Write the label "${category}" the same way on every workload.`;
  });
}

/** Group criteria that select the VMs carrying the NSX tag `<tagScope>|<tag>`. */
function taggedVms(enforcement: NsxEnforcement, tag: string): NsxtPolicyGroupCriteria[] {
  return [{
    condition: [{
      key: NsxGroupConditionKey.TAG,
      memberType: NsxGroupConditionMemberType.VIRTUAL_MACHINE,
      operator: NsxGroupConditionOperator.EQUALS,
      value: `${enforcement.tagScope}|${tag}`,
    }],
  }];
}

function describeFinding(f: NsxQuotaFinding, enforcement: NsxEnforcement, flows: number): string {
  switch (f.quota) {
    case 'rules-per-policy':
      return `policy "${enforcement.policyName}" needs ${f.count} rules (${flows} flows and 2 default-deny rules); the limit is ${f.limit} per policy. Merge flows between the same endpoints into one flow with several ports, or move workloads to another stack with its own NsxEnforcement${enforcement.maxRulesPerPolicy < 1000 ? ', or raise maxRulesPerPolicy (NSX allows 1000)' : ''}.`;
    case 'groups-per-rule-side':
      return `${f.rule} has ${f.count} ${f.side} groups; the limit is ${f.limit} per rule side. Use fewer segments (the default-deny rules name one group per segment with NSX members), or split the workloads across stacks with their own NsxEnforcement.`;
    case 'criteria-per-group':
      return `${f.group} renders a group with ${f.count} criteria; NSX allows ${f.limit}. Split the group.`;
    case 'conditions-per-criteria':
      return `${f.group} renders a group whose criteria ${f.criteria} has ${f.count} conditions; NSX allows ${f.limit}. Split the criteria.`;
    case 'addresses-per-expression':
      return `${f.group} renders an IP address expression of ${f.count} addresses; NSX allows ${f.limit} per expression. Name the hosts by the CIDRs that hold them (Peer.ipv4('10.20.0.0/16'), or fewer, wider addresses on the workloads), or split them across segments.`;
  }
}

/** Which ends of a DenyFlow are open (anywhere, or a CIDR peer): a VM lying there is no member of that side. */
interface OpenEnds {
  readonly from: boolean;
  readonly to: boolean;
}

/**
 * The direction of an ALLOW rule, seen from the VMs of its scope. A side made only of addresses (a
 * CIDR peer, another platform's workloads) is not managed by this policy, so the rule must apply
 * only at the managed side's vNICs: IN when the source is addresses only, OUT when the destination
 * is. With IN_OUT, a managed VM whose own address lies inside the peer's CIDR would match the rule
 * as that peer at its own vNIC and reach the other members of its segment (for example web VMs
 * opening HTTPS to each other because the web segment accepts HTTPS from Peer.anyIpv4()).
 */
function allowDirection(sources: Side, destinations: Side): NsxRuleDirection {
  if (sources.tagGroups.length === 0 && destinations.tagGroups.length > 0) return NsxRuleDirection.IN;
  if (destinations.tagGroups.length === 0 && sources.tagGroups.length > 0) return NsxRuleDirection.OUT;
  return NsxRuleDirection.IN_OUT;
}

/**
 * The identity of a segment, flow or workload: the user's stable id when given, else its
 * construct path. Construct ids, tags and group names derive from it, so renaming a construct that
 * keeps its stable id changes nothing in NSX.
 */
function identityOf(construct: Construct): string {
  const identity = (construct as { identity?: unknown }).identity;
  return typeof identity === 'string' && identity !== '' ? identity : construct.node.path;
}

/** The key of a flow's rule in its policy: the flow's identity (a GuardrailAllow's flow: the guardrail's). */
function ruleKeyOf(flow: AnyFlow): string {
  return GuardrailAllow.isGuardrailFlow(flow as any) ? `${identityOf(flow.node.scope!)}/Flow` : identityOf(flow);
}

/** The allocation space of one enforcement's sequence numbers (its policies). */
function sequenceSpace(enforcement: NsxEnforcement): string {
  return `nsx:${enforcement.node.path}`;
}

/** The key of a rule's owner stack in the persisted allocation. */
function ownerKey(enforcement: NsxEnforcement, ruleKey: string): string {
  return `nsx:${enforcement.node.path}:${ruleKey}`;
}
