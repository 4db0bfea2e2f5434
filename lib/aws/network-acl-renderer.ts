import type { NetworkAcl } from '@cdktf/provider-aws/lib/network-acl';
import type { NetworkAclAssociation } from '@cdktf/provider-aws/lib/network-acl-association';
import type { NetworkAclRule } from '@cdktf/provider-aws/lib/network-acl-rule';
import { DefaultTokenResolver, StringConcat, TerraformStack, Token, Tokenization } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { AllowFlow } from '../flow';
import { Inventory } from '../inventory';
import { NETWORK_ACL_CAPABILITIES } from './capabilities';
import { CidrMemo } from './cidr-memo';
import { DEFAULT_EPHEMERAL_PORTS } from './default-ephemeral-ports';
import { AwsEnforcement, AwsSubnetMapping } from './enforcement';
import { AclEntryWindow, addressAclEntries, entryOfContent } from './network-acl-addresses';
import { NetworkAclDenyPlanner } from './network-acl-deny-plan';
import { AclEntry, entryContent } from './network-acl-entry';
import { EXPRESSION_IPV6_PREFIX, isLiteralPeer, returnSpecs, ruleFamily } from './stateless-rules';
import { configuredSubnetId } from './subnet-range';
import { compareVpcIds } from './vpc-identity';
import { inexpressiblePorts, inexpressibleSide } from '../model/capabilities';
import { checkCidr, cidrContains } from '../model/cidr';
import { Ipv4Networks } from '../model/ipv4-networks';
import { peerOf } from '../model/policy-side';
import { portKey, PortSpec, travelsOver } from '../model/ports';
import { SlotRange } from '../model/slot-allocator';
import { Platform } from '../platform';
import { Port } from '../port';
import { namedUnmanagedHosts, subnetHolds, unmanagedAddresses } from './unmanaged-hosts';
import { addressFamilyOf } from '../private/address-family';
import { bulkResource } from '../private/bulk-resource';
import { idFromKey } from '../private/identity';
import { loadOnce } from '../private/load-once';
import { appendTo } from '../private/multimap';
import { byPath, pathOf } from '../private/path-of';
import { tagValue } from '../private/tag-value';
import { writeProvenance } from '../provenance/resource-comments';
import { PlatformRenderer, PolicyRegistry, compare, stackOf } from '../registry';
import { Allocations } from '../render/allocations';
import { warnOnce } from '../render/app-wide-validation';
import { dependOnAllows } from '../render/apply-order';
import { FlowProblems, FlowProblemSet } from '../render/flow-problems';
import { oncePerDeclarationState } from '../render/once-per-declarations';
import { readOnce } from '../render/read-once';
import { ResolvedPolicy, Side } from '../render/resolve-policy';
import { rulesContainer } from '../render/rules-container';
import { SegmentFlows } from '../render/segment-flows';
import { Segment } from '../segment';
import { Workload } from '../workload';

/* eslint-disable @typescript-eslint/no-require-imports -- an app of security groups alone never loads the network ACL classes */
const aclClass = loadOnce(() => (require('@cdktf/provider-aws/lib/network-acl') as typeof import('@cdktf/provider-aws/lib/network-acl')).NetworkAcl);
const associationClass = loadOnce(() => (require('@cdktf/provider-aws/lib/network-acl-association') as typeof import('@cdktf/provider-aws/lib/network-acl-association')).NetworkAclAssociation);
const ruleClass = loadOnce(() => (require('@cdktf/provider-aws/lib/network-acl-rule') as typeof import('@cdktf/provider-aws/lib/network-acl-rule')).NetworkAclRule);
/* eslint-enable @typescript-eslint/no-require-imports */

type Direction = 'ingress' | 'egress';

/** A mapped subnet of one enforcement (one VPC), keyed by its CIDR. */
interface MappedSubnet {
  readonly enforcement: AwsEnforcement;
  /** The normalized CIDR; subnets of a VPC never overlap, so it identifies the subnet. */
  readonly key: string;
  readonly subnetId: string;
  readonly cidr: string;
  readonly segments: Set<Segment>;
  /** Present when the enforcement renders network ACLs. */
  readonly acl?: SubnetAcl;
  /** How many subnets of its enforcement were mapped before it. */
  readonly order: number;
}

/** The network ACL of one subnet and its rendered entries. */
interface SubnetAcl {
  readonly scope: Construct;
  readonly resource: NetworkAcl;
  /** The subnet's association with the ACL, which puts it in force. */
  readonly association: NetworkAclAssociation;
  /** By address (`direction|identity`): the resource, the content it holds and its rule number. */
  readonly rendered: Map<string, RenderedEntry>;
}

/** A rendered ACL entry. */
interface RenderedEntry {
  readonly resource: NetworkAclRule;
  readonly content: string;
  readonly number: number;
}

/** Where a rule points: a CIDR or a Terraform expression, and the mapped subnet it is, if any. */
interface Address {
  readonly peerKey: string;
  readonly cidr: string;
  readonly subnetKey?: string;
}

/** One flow's wish for rules in one ACL and direction. */
interface Contribution {
  readonly peerKey: string;
  readonly cidr: string;
  readonly spec: PortSpec;
}

/** A guardrail entry, rendered with a number in 1-99 so that it is evaluated before every allow. */
export interface NetworkAclDenyEntry {
  /** The mapped subnet (its CIDR) whose network ACL gets the entry. */
  readonly subnetCidr: string;
  /** Outbound (true) or inbound (false). */
  readonly egress: boolean;
  /** The other side, a literal CIDR. */
  readonly cidr: string;
  /** The denied ports. */
  readonly ports: Port[];
}


/**
 * Renders the second, coarse layer under the security groups: a network ACL per mapped subnet,
 * its association, and one `aws_network_acl_rule` per (direction, peer CIDR, ports). NACLs are
 * stateless, so every flow crossing a subnet boundary gets its request rules (egress on the source
 * subnet's ACL, ingress on the destination's) and its return rules (the reverse directions, to the
 * ephemeral ports). Traffic within one subnet is not filtered by ACLs and gets no rule.
 *
 * Every attribute of an ACL rule forces replacement, so an entry is never merged with another one
 * (exact duplicates are one entry), its construct id comes from its identity (see `entryIdentity`)
 * and its rule number from the persisted allocation (`Allocations`), keyed by its content:
 * 100-32000 for allows, 1-99 for guardrail denies. Adding or removing a flow therefore creates or
 * destroys only that flow's entries, and an edited entry is one create-before-destroy replacement.
 */
export class NetworkAclRenderer implements PlatformRenderer {
  /** The renderer of the app that `scope` belongs to. */
  public static of(scope: IConstruct): NetworkAclRenderer {
    return PolicyRegistry.of(scope).rendererOf(NetworkAclRenderer)!;
  }

  private readonly subnets = new Map<AwsEnforcement, Map<string, MappedSubnet>>();
  /** The mapped subnets of each enforcement as networks, to find the one a new mapping overlaps. */
  private readonly networks = new Map<AwsEnforcement, Ipv4Networks<MappedSubnet>>();
  /** The mapped subnets of each enforcement by segment mapped to them. */
  private readonly subnetsBySegment = new Map<AwsEnforcement, Map<Segment, MappedSubnet[]>>();
  /** Per enforcement, its mapped subnets that hold a host the program names by address, as of a declaration count. */
  private readonly namedHostHolders = new Map<AwsEnforcement, { readonly declared: number; readonly subnets: readonly MappedSubnet[] }>();
  private readonly flowsBySegment = new SegmentFlows<AllowFlow>();
  private readonly flows: AllowFlow[] = [];
  /** ACL-direction key to flow to contributions. */
  private readonly contributions = new Map<string, Map<AllowFlow, Contribution[]>>();
  private readonly flowKeys = new Map<AllowFlow, Set<string>>();
  private readonly problems = new FlowProblems({ sorted: true });
  /** Per enforcement, the deny entries each guardrail asks for. */
  private readonly denies = new Map<AwsEnforcement, Map<IConstruct, NetworkAclDenyEntry[]>>();
  /** The entries of each ACL direction, for the synth-time quota check. */
  private readonly entries = new Map<string, AclEntry[]>();
  private readonly enforcementProblems = new Map<AwsEnforcement, string[]>();
  /** By ACL direction and action (`aclKey|action`): replacements Terraform cannot order. */
  private readonly windows = new Map<string, AclEntryWindow[]>();

  /**
   * Per enforcement, the subnets where members of a segment live (`subnetsOf`), and those of a
   * workload (`workloadSubnets`): asked for every side of every flow, they change only with a
   * membership or a subnet mapping (see `forgetPlacements`).
   */
  private readonly placements = new Map<AwsEnforcement, Map<Segment, MappedSubnet[]>>();
  private readonly workloadPlacements = new Map<AwsEnforcement, Map<Workload, MappedSubnet[]>>();

  /** ACL directions (`aclKey`) whose entries changed and are not reconciled yet (see onRendered). */
  private readonly dirty = new Set<string>();

  /** CIDR answers of this app, shared by the deny plans made on every event. */
  private readonly cidrs = new CidrMemo();
  /** The hosts the program names by address (see `namedUnmanagedHosts`), once per declaration state. */
  private readonly namedHosts: () => string[];
  /** The named hosts as of the last rendering (see `followNamedHosts`). */
  private renderedNamedHosts?: string;

  public constructor(private readonly registry: PolicyRegistry) {
    this.namedHosts = oncePerDeclarationState(registry, () => namedUnmanagedHosts(registry));
  }

  /** @internal A planner of DenyFlow entries in the network ACLs of `enforcement`, for guardrails. */
  public denyPlanner(enforcement: AwsEnforcement): NetworkAclDenyPlanner {
    return new NetworkAclDenyPlanner(this.registry, enforcement, this.cidrs);
  }

  public onWorkload(workload: Workload): void {
    if (workload.platform !== Platform.AWS) return;
    workload.node.addValidation({ validate: () => this.checkPlacement(workload) });
  }

  public onEnforcement(stack: TerraformStack): void {
    const enforcement = AwsEnforcement.of(stack);
    if (!enforcement || this.subnets.has(enforcement)) return; // another platform's enforcement, or seen
    this.subnets.set(enforcement, new Map());
    this.networks.set(enforcement, new Ipv4Networks());
    this.subnetsBySegment.set(enforcement, new Map());
    this.enforcementProblems.set(enforcement, []);
    enforcement.node.addValidation({ validate: () => this.validateEnforcement(enforcement) });
    enforcement._watchSubnets((mapping) => this.addMapping(enforcement, mapping));
  }

  public onMembership(workload: Workload, _segment: Segment): void {
    this.forgetPlacements();
    // while the registry replays, every membership is known to the flows' first rendering
    if (this.registry.replaying) return;
    // a workload lives in the subnets mapped to any of its segments: all their flows may change
    const touched = new Set<AllowFlow>();
    for (const segment of this.registry.segmentsOf(workload)) {
      for (const flow of this.flowsBySegment.of(segment)) touched.add(flow);
    }
    for (const flow of [...touched].sort(byPath)) this.renderFlow(flow);
    this.settle();
  }

  public onFlow(flow: AllowFlow): void {
    this.flows.push(flow);
    this.flowsBySegment.add(flow);
    this.renderFlow(flow);
    this.settle();
  }

  /**
   * Reconciles every ACL direction whose entries changed since the last call. While the registry
   * replays, the directions are only marked (each flow, subnet and deny entry touches some) and
   * reconciled here once, after every declaration is told: one numbering and addressing per
   * direction instead of one per event, and no entry built for a number that a later event moves.
   */
  public onRendered(): void {
    this.followNamedHosts();
    const reconciled = new Set<SubnetAcl>();
    for (const key of [...this.dirty].sort(compare)) {
      const [subnet, direction] = this.parseAclKey(key);
      this.reconcile(subnet, direction);
      if (subnet.acl) reconciled.add(subnet.acl);
    }
    this.dirty.clear();
    // a new ACL denies everything: the subnet (whose workloads may run already) moves to it only once
    // its entries exist, and leaves it before they are destroyed (both directions' entries, once per ACL)
    for (const acl of reconciled) dependOnAllows(acl.association, [...acl.rendered.values()].map((rendered) => rendered.resource));
  }

  /**
   * Renders every flow again when the hosts the program names by address changed since the last
   * rendering (a declaration made after it): a wider peer may now reach another subnet.
   */
  private followNamedHosts(): void {
    if (![...this.subnets.keys()].some((enforcement) => enforcement.networkAcls)) return;
    const named = this.namedHosts().join(' ');
    if (this.renderedNamedHosts !== undefined && named !== this.renderedNamedHosts) {
      for (const flow of [...this.flows]) this.renderFlow(flow);
    }
    this.renderedNamedHosts = named;
  }

  /**
   * @internal Sets the deny entries (rule numbers 1-99, evaluated before every allow) that `owner`
   * (a guardrail, named in `//.microseg`) asks for in the network ACLs of the enforcement's mapped
   * subnets, replacing those it asked for before. For guardrails.
   */
  public setDenyEntries(owner: IConstruct, enforcement: AwsEnforcement, entries: NetworkAclDenyEntry[]): void {
    const checked = entries.map((entry) => {
      const cidr = checkCidr(entry.cidr, entry.cidr.includes(':') ? 'ipv6' : 'ipv4');
      if (cidr.problem) throw new Error(`Network ACL deny entry of '${owner.node.path}': ${cidr.problem}`);
      return { ...entry, subnetCidr: checkCidr(entry.subnetCidr, 'ipv4').cidr ?? entry.subnetCidr, cidr: cidr.cidr! };
    });
    const byOwner = this.denies.get(enforcement) ?? new Map<IConstruct, NetworkAclDenyEntry[]>();
    this.denies.set(enforcement, byOwner);
    const before = byOwner.get(owner) ?? [];
    if (JSON.stringify(before) === JSON.stringify(checked)) return;
    if (checked.length > 0) byOwner.set(owner, checked);
    else byOwner.delete(owner);
    const touched = new Set([...before, ...checked].map((e) => `${e.subnetCidr}|${e.egress}`));
    for (const subnet of this.subnets.get(enforcement)?.values() ?? []) {
      if (touched.has(`${subnet.key}|false`)) this.dirty.add(aclKey(subnet, 'ingress'));
      if (touched.has(`${subnet.key}|true`)) this.dirty.add(aclKey(subnet, 'egress'));
    }
    this.settle();
  }

  /** Outside the registry's replay, a change is reconciled at once (a subnet mapped after rendering is no event). */
  private settle(): void {
    if (!this.registry.replaying) this.onRendered();
  }

  private addMapping(enforcement: AwsEnforcement, mapping: AwsSubnetMapping): void {
    const where = `AwsEnforcement '${enforcement.node.path}': subnet mapping of segment '${mapping.segment.node.path}'`;
    if (Token.isUnresolved(mapping.cidr)) {
      this.enforcementProblems.get(enforcement)!.push(`${where} has a cidr that is a Terraform expression ("${displayValue(stackOf(enforcement), mapping.cidr)}"); network ACL rules need the literal CIDR to tell subnets apart and count rules. Pass the value you configured (subnet.cidrBlockInput, or the string itself), not the subnet.cidrBlock attribute.`);
      return;
    }
    if (mapping.cidr.includes(':')) {
      this.enforcementProblems.get(enforcement)!.push(`${where}: cidr "${mapping.cidr}" is an IPv6 CIDR. Give the subnet's IPv4 CIDR (its cidr_block): the network ACL entries between mapped subnets are IPv4.`);
      return;
    }
    const checked = checkCidr(mapping.cidr, 'ipv4');
    if (checked.problem) {
      this.enforcementProblems.get(enforcement)!.push(`${where}: cidr ${checked.problem}`);
      return;
    }
    const byKey = this.subnets.get(enforcement)!;
    const key = checked.cidr!;
    const owner = enforcement.networkAcls ? this.aclOwnerElsewhere(enforcement, key) : undefined;
    if (owner) {
      this.enforcementProblems.get(enforcement)!.push(`${where} maps subnet "${displayValue(stackOf(enforcement), mapping.subnetId)}" (${key}), which AwsEnforcement '${owner.node.path}' of the same VPC maps with a network ACL of its own: a subnet has one network ACL, and the two associations would take it from each other on every apply (and destroying either would leave the subnet on the VPC's default ACL). Map the subnet in one enforcement only.`);
      return;
    }
    let subnet = byKey.get(key);
    if (subnet) {
      if (!Token.isUnresolved(subnet.subnetId) && !Token.isUnresolved(mapping.subnetId) && subnet.subnetId !== mapping.subnetId) {
        this.enforcementProblems.get(enforcement)!.push(`${where} gives cidr "${key}" to subnet "${mapping.subnetId}", but it is already mapped to subnet "${subnet.subnetId}". Subnets of a VPC never overlap: check the cidr.`);
        return;
      }
    } else {
      const overlapping = this.networks.get(enforcement)!.overlapping(key);
      if (overlapping) {
        this.enforcementProblems.get(enforcement)!.push(`${where} has cidr "${key}", which overlaps "${overlapping.key}" of another mapped subnet. Subnets of a VPC never overlap: check the cidr.`);
        return;
      }
      const acl = enforcement.networkAcls ? this.createAcl(enforcement, key, mapping.subnetId) : undefined;
      subnet = { enforcement, key, subnetId: mapping.subnetId, cidr: key, segments: new Set(), acl, order: byKey.size };
      byKey.set(key, subnet);
      this.networks.get(enforcement)!.add(key, subnet);
      Inventory.of(stackOf(enforcement)).addSubnet(mapping.subnetId, key);
      const { from, to } = enforcement.ephemeralPorts;
      // the evaluator takes the clients to use the range the ACLs are declared for (it assumes 32768-60999 otherwise)
      if (enforcement.networkAcls && (from !== DEFAULT_EPHEMERAL_PORTS.from || to !== DEFAULT_EPHEMERAL_PORTS.to)) Inventory.of(stackOf(enforcement)).addEphemeralPorts(mapping.subnetId, `${from}-${to}`);
    }
    if (!subnet.segments.has(mapping.segment)) {
      subnet.segments.add(mapping.segment);
      appendTo(this.subnetsBySegment.get(enforcement)!, mapping.segment, subnet);
    }
    this.forgetPlacements();
    if (subnet.acl) this.tagAcl(subnet);
    for (const flow of [...this.flows]) this.renderFlow(flow);
    if (subnet.acl) {
      this.dirty.add(aclKey(subnet, 'ingress'));
      this.dirty.add(aclKey(subnet, 'egress'));
    }
    this.settle();
  }

  /**
   * Another enforcement with network ACLs that maps the subnet of `cidr` in the same VPC: one whose
   * VPC id is the same literal, or the same expression in the same stack (the same text in two
   * stacks may name two resources).
   */
  private aclOwnerElsewhere(enforcement: AwsEnforcement, cidr: string): AwsEnforcement | undefined {
    for (const [other, byKey] of this.subnets) {
      if (other === enforcement || !byKey.get(cidr)?.acl) continue;
      const vpcs = compareVpcIds({ value: enforcement.vpcId, stack: stackOf(enforcement) }, { value: other.vpcId, stack: stackOf(other) });
      if (vpcs.relation === 'same') return other;
    }
    return undefined;
  }

  private createAcl(enforcement: AwsEnforcement, cidr: string, subnetId: string): SubnetAcl {
    const container = rulesContainer(enforcement, 'NetworkAcls');
    const scope = new Construct(container, idFromKey(`Subnet-${cidr}`));
    const resource = bulkResource(new (aclClass())(scope, 'Acl', { vpcId: enforcement.vpcId }));
    const association = bulkResource(new (associationClass())(scope, 'Association', { networkAclId: readOnce(resource, 'id'), subnetId }));
    return { scope, resource, association, rendered: new Map() };
  }

  private tagAcl(subnet: MappedSubnet): void {
    const segments = [...subnet.segments].map((s) => s.node.path).sort(compare).join(' ');
    subnet.acl!.resource.tags = {
      ...subnet.enforcement.tags,
      'Name': tagValue(`microseg-${subnet.key}`),
      'microseg:segments': tagValue(segments),
    };
  }

  /** Recomputes one flow's contributions in every enforcement and reconciles what changed. */
  private renderFlow(flow: AllowFlow): void {
    if (flow.problems().length > 0) return; // synthesis fails with the flow's own problems
    const problems = this.problems.of(flow);
    problems.clear();
    const wanted = new Map<string, Contribution[]>();
    // the CIDRs of the ACL entries the flow's traffic would need, and whether any of its ports travels to or from them
    const crossed = new Set<string>();
    let carried = false;
    const add = (subnet: MappedSubnet, direction: Direction, address: Address, specs: PortSpec[]) => {
      if (address.subnetKey === subnet.key) return; // traffic inside one subnet: ACLs do not apply
      if (isLiteralPeer(address) && address.cidr.includes(':') === false && cidrContains(subnet.cidr, address.cidr)) return;
      const key = aclKey(subnet, direction);
      const list = wanted.get(key) ?? [];
      const family = ruleFamily(address);
      crossed.add(address.cidr);
      for (const spec of specs) {
        if (!travelsOver(spec, family)) continue;
        carried = true;
        list.push({ peerKey: address.peerKey, cidr: address.cidr, spec });
      }
      wanted.set(key, list);
    };
    const resolved = ResolvedPolicy.of(this.registry).flow(flow);
    for (const [enforcement] of this.subnets) {
      if (!enforcement.networkAcls) continue;
      const specs = [...resolved.ports];
      const back = specs.flatMap((s) => returnSpecs(s, enforcement.ephemeralPorts));
      const sources = this.sideSubnets(resolved.from, enforcement);
      const targets = this.sideSubnets(resolved.to, enforcement);
      if (sources.length > 0) {
        for (const address of this.addressesOf(flow, resolved.to, enforcement, problems)) {
          for (const subnet of sources) {
            add(subnet, 'egress', address, specs);
            add(subnet, 'ingress', address, back);
          }
        }
      }
      if (targets.length > 0) {
        for (const address of this.addressesOf(flow, resolved.from, enforcement, problems)) {
          for (const subnet of targets) {
            add(subnet, 'ingress', address, specs);
            add(subnet, 'egress', address, back);
          }
        }
      }
    }
    const inexpressible = wanted.size > 0 ? inexpressiblePorts(resolved.ports, NETWORK_ACL_CAPABILITIES) : undefined;
    if (inexpressible) {
      problems.add(inexpressible);
      wanted.clear();
    } else if (crossed.size > 0 && !carried) {
      problems.add(otherFamilyProblem([...crossed].sort(compare), resolved.ports));
      wanted.clear();
    }
    const before = this.flowKeys.get(flow) ?? new Set<string>();
    const dirty = new Set<string>();
    for (const key of before) {
      if (wanted.has(key)) continue;
      this.contributions.get(key)!.delete(flow);
      dirty.add(key);
    }
    for (const [key, list] of wanted) {
      const byFlow = this.contributions.get(key) ?? new Map<AllowFlow, Contribution[]>();
      this.contributions.set(key, byFlow);
      const previous = byFlow.get(flow);
      if (previous && JSON.stringify(previous) === JSON.stringify(list)) continue;
      byFlow.set(flow, list);
      dirty.add(key);
    }
    if (wanted.size > 0) this.flowKeys.set(flow, new Set(wanted.keys()));
    else this.flowKeys.delete(flow); // most flows of most estates reach no network ACL: no set kept
    for (const key of dirty) this.dirty.add(key);
  }

  /**
   * The mapped subnets of `enforcement` where members of `segment` may live: those mapped to the
   * segment, and those mapped to any segment of its AWS members in that VPC (a workload lives in
   * one of the subnets of its segments).
   */
  private subnetsOf(segment: Segment, enforcement: AwsEnforcement): MappedSubnet[] {
    const known = this.placements.get(enforcement)?.get(segment);
    if (known) return known;
    const found = new Set(this.mappedTo(segment, enforcement));
    for (const { workload: member, enforcement: own } of ResolvedPolicy.of(this.registry).segmentSide(segment).members) {
      if (member.platform !== Platform.AWS || own !== enforcement) continue;
      for (const subnet of this.workloadSubnets(member, enforcement)) found.add(subnet);
    }
    const subnets = [...found].sort((a, b) => compare(a.key, b.key));
    const bySegment = this.placements.get(enforcement) ?? new Map<Segment, MappedSubnet[]>();
    this.placements.set(enforcement, bySegment);
    bySegment.set(segment, subnets);
    return subnets;
  }

  /**
   * The mapped subnets a flow side's traffic enters or leaves through: its segment's subnets, and the
   * subnets that hold hosts it names by a literal address (a peer, or a member known only by its
   * addresses): an address inside the subnet, or a wider one (`0.0.0.0/0`, the VPC's CIDR) around a
   * subnet that holds hosts the program names by address.
   */
  private sideSubnets(side: Side, enforcement: AwsEnforcement): MappedSubnet[] {
    const own = side.segment ? this.subnetsOf(side.segment, enforcement) : [];
    const addresses = unmanagedAddresses(side);
    if (addresses.length === 0) return own;
    const reached = new Set<MappedSubnet>();
    for (const cidr of addresses) {
      const holder = this.networks.get(enforcement)?.holding(cidr);
      if (holder) reached.add(holder);
      for (const subnet of this.subnetsHoldingNamedHosts(enforcement)) if (this.cidrs.contains(cidr, subnet.cidr)) reached.add(subnet);
    }
    const holding = [...reached].filter((subnet) => !own.includes(subnet));
    return holding.length === 0 ? own : [...own, ...holding].sort((a, b) => compare(a.key, b.key));
  }

  private workloadSubnets(workload: Workload, enforcement: AwsEnforcement): MappedSubnet[] {
    const known = this.workloadPlacements.get(enforcement)?.get(workload);
    if (known) return known;
    const subnets = [...new Set(this.registry.segmentsOf(workload).flatMap((segment) => this.mappedTo(segment, enforcement)))]
      .sort((a, b) => a.order - b.order);
    const byWorkload = this.workloadPlacements.get(enforcement) ?? new Map<Workload, MappedSubnet[]>();
    this.workloadPlacements.set(enforcement, byWorkload);
    byWorkload.set(workload, subnets);
    return subnets;
  }
  /** The subnets of `enforcement` mapped to `segment` itself. */
  private mappedTo(segment: Segment, enforcement: AwsEnforcement): readonly MappedSubnet[] {
    return this.subnetsBySegment.get(enforcement)?.get(segment) ?? [];
  }

  /**
   * The mapped subnets of `enforcement` that hold a host the program names by address, where a
   * wider peer of a flow (`0.0.0.0/0`, the VPC's CIDR) reaches: asked for every such flow, so worked
   * out once per declaration count and subnet mapping, each host looked up rather than compared
   * with every subnet.
   */
  private subnetsHoldingNamedHosts(enforcement: AwsEnforcement): readonly MappedSubnet[] {
    const declared = this.registry.declarationCount;
    const known = this.namedHostHolders.get(enforcement);
    if (known?.declared === declared) return known.subnets;
    const networks = this.networks.get(enforcement);
    const subnets = new Set<MappedSubnet>();
    for (const host of this.namedHosts()) {
      const holder = networks?.holding(host);
      if (holder && subnetHolds(holder.cidr, host)) subnets.add(holder);
    }
    const found = [...subnets].sort((a, b) => a.order - b.order);
    this.namedHostHolders.set(enforcement, { declared, subnets: found });
    return found;
  }


  /** Forgets where segments and workloads live: a membership or a subnet mapping changed. */
  private forgetPlacements(): void {
    this.placements.clear();
    this.workloadPlacements.clear();
    this.namedHostHolders.clear();
  }

  /** The CIDRs that stand for a flow side in the ACLs of `enforcement`. */
  private addressesOf(flow: AllowFlow, side: Side, enforcement: AwsEnforcement, problems: FlowProblemSet): Address[] {
    const peer = peerOf(side);
    if (peer) {
      const problem = inexpressibleSide(peer, NETWORK_ACL_CAPABILITIES, enforcement.node.path);
      if (problem) problems.add(problem);
      if (peer.kind !== 'address') return [];
      // a CIDR known only at apply is named by the flow that declares it, with the family it declared
      if (peer.expression) return [{ peerKey: `${peer.family === 'ipv6' ? EXPRESSION_IPV6_PREFIX : 'addr:'}peer:${flow.identity}`, cidr: peer.value }];
      return [{ peerKey: `cidr:${peer.value}`, cidr: peer.value }];
    }
    const segment = side.segment;
    if (!segment) return [];
    const out = new Map<string, Address>();
    for (const [other] of this.subnets) {
      for (const subnet of this.subnetsOf(segment, other)) {
        const key = `cidr:${subnet.cidr}`;
        if (!out.has(key)) out.set(key, { peerKey: key, cidr: subnet.cidr, subnetKey: other === enforcement ? subnet.key : undefined });
      }
    }
    for (const { workload: member, enforcement: memberEnforcement } of side.members) {
      const own = member.platform === Platform.AWS ? memberEnforcement as AwsEnforcement | undefined : undefined;
      if (own && this.workloadSubnets(member, own).length > 0) continue; // addressed by its subnets
      if (member.addressCidrs.length > 0) {
        member.addressCidrs.forEach((cidr, index) => {
          const expressionPrefix = addressFamilyOf(cidr, member) === 'ipv6' ? EXPRESSION_IPV6_PREFIX : 'addr:';
          const key = Token.isUnresolved(cidr) ? `${expressionPrefix}${member.node.path}#${index}` : `cidr:${cidr}`;
          if (!out.has(key)) out.set(key, { peerKey: key, cidr });
        });
        continue;
      }
      if (own === enforcement) {
        problems.add(`reaches subnets with network ACLs (on '${enforcement.node.path}'), but workload '${member.node.path}' is in no mapped subnet, so the ACLs cannot let its traffic through. Map its subnet to one of its segments: enforcement.addSubnet({ segment, subnetId, cidr })${member.binding?.addressHint ? `, or give ${member.binding.addressHint}` : ''}.`);
      }
    }
    return [...out.values()].sort((a, b) => compare(a.peerKey, b.peerKey));
  }

  /**
   * Brings the rendered entries of one ACL and direction in line with the flows and denies. Each
   * distinct entry (exact duplicates collapse; different ports or peers are never merged) keeps its
   * construct id while its identity lives (see `entryIdentity`) and its rule number while its
   * content lives, so adding or removing a flow never replaces an entry another flow still uses.
   */
  private reconcile(subnet: MappedSubnet, direction: Direction): void {
    const acl = subnet.acl;
    if (!acl) return;
    const key = aclKey(subnet, direction);
    const byContent = new Map<string, AclEntry>();
    const add = (entry: AclEntry) => {
      const content = entryContent(entry);
      const existing = byContent.get(content);
      byContent.set(content, existing ? { ...existing, owners: [...new Set([...existing.owners, ...entry.owners])].sort(compare) } : entry);
    };
    for (const [flow, list] of this.contributions.get(key) ?? []) {
      for (const c of list) add({ action: 'allow', peerKey: c.peerKey, cidr: c.cidr, spec: c.spec, owners: [pathOf(flow)] });
    }
    for (const entry of this.deniesOf(subnet, direction)) add(entry);
    const entries = [...byContent.values()];
    this.entries.set(key, entries);

    const wanted = this.addressed(subnet, direction, entries);
    const numbers = this.ruleNumbers(subnet, direction, wanted);
    for (const [address, rendered] of acl.rendered) {
      if (!address.startsWith(`${direction}|`)) continue;
      const entry = wanted.get(address);
      if (entry && entryContent(entry) === rendered.content && numbers.get(address) === rendered.number) continue;
      acl.scope.node.tryRemoveChild(rendered.resource.node.id);
      acl.rendered.delete(address);
    }
    for (const [address, entry] of [...wanted.entries()].sort((a, b) => compare(a[0], b[0]))) {
      const number = numbers.get(address);
      if (number === undefined) continue; // no number left: reported by validation
      let rendered = acl.rendered.get(address);
      if (!rendered) {
        rendered = { resource: this.createRule(acl, direction, address, entry, number), content: entryContent(entry), number };
        acl.rendered.set(address, rendered);
      }
      writeProvenance(rendered.resource, entry.action === 'allow' ? { flows: entry.owners } : { guardrails: entry.owners });
    }
  }

  /**
   * The entries by address, `direction|` and then what `addressAclEntries` gives: an entry keeps its
   * address while it lives, and an edited entry is replaced at the address of the one it replaces,
   * so it is created before the old one goes. The allocation file remembers who holds which address
   * (rewritten whenever the direction is reconciled, so it never keeps a passing state).
   */
  private addressed(subnet: MappedSubnet, direction: Direction, entries: AclEntry[]): Map<string, AclEntry> {
    const allocations = Allocations.of(subnet.enforcement);
    const out = new Map<string, AclEntry>();
    for (const action of ['allow', 'deny'] as const) {
      const space = numberSpace(subnet, direction, action);
      const previous = {
        contents: new Set(allocations.previousKeys(space)),
        plainHolders: new Set(allocations.previousKeys(plainSpace(subnet, direction, action))),
        adopted: new Map(allocations.previousKeys(adoptedSpace(subnet, direction, action)).map((key) => JSON.parse(key) as [string, string])),
      };
      const addressing = addressAclEntries(entries.filter((entry) => entry.action === action), previous);
      for (const [address, entry] of addressing.byAddress) out.set(`${direction}|${address}`, entry);
      // remembered as sets (the slots mean nothing)
      allocations.slots(plainSpace(subnet, direction, action), addressing.plainHolders, PLAIN_HOLDERS);
      const adopted = [...addressing.adopted].map((pair) => JSON.stringify(pair)).sort(compare);
      allocations.slots(adoptedSpace(subnet, direction, action), adopted, PLAIN_HOLDERS);
      this.windows.set(`${aclKey(subnet, direction)}|${action}`, addressing.windows);
    }
    return out;
  }

  /**
   * Rule numbers keyed by content in the persisted allocation: a number never moves while its entry
   * lives, and a new content (a replaced entry at the same address) never gets a number an entry of
   * the ACL direction held in the previous synthesis, so it can be created before the old one goes.
   */
  private ruleNumbers(subnet: MappedSubnet, direction: Direction, wanted: Map<string, AclEntry>): Map<string, number> {
    const out = new Map<string, number>();
    for (const [action, range] of [['allow', NACL_ALLOW_NUMBERS], ['deny', NACL_DENY_NUMBERS]] as const) {
      const addresses = new Map<string, string>();
      for (const [address, entry] of wanted) if (entry.action === action) addresses.set(entryContent(entry), address);
      const { assigned, unassigned } = Allocations.of(subnet.enforcement).slots(numberSpace(subnet, direction, action), addresses.keys(), range);
      for (const [content, address] of addresses) {
        const number = assigned.get(content);
        if (number !== undefined) out.set(address, number);
      }
      if (unassigned.length > 0) {
        const problem = `AwsEnforcement '${subnet.enforcement.node.path}': the network ACL of subnet ${subnet.cidr} has no free ${action} rule number left in ${range.first}-${range.last} for ${unassigned.length} ${direction} entries (numbers held in the previous synthesis are not reused at once). Declare fewer entries.`;
        const problems = this.enforcementProblems.get(subnet.enforcement)!;
        if (!problems.includes(problem)) problems.push(problem);
      }
    }
    return out;
  }

  private createRule(acl: SubnetAcl, direction: Direction, address: string, entry: AclEntry, number: number): NetworkAclRule {
    const [dir, action, ...identity] = address.split('|');
    const id = idFromKey([dir === 'ingress' ? 'Ingress' : 'Egress', ...(action === 'deny' ? ['Deny'] : []), ...identity].join('|'));
    const ipv6 = ruleFamily(entry) === 'ipv6';
    const spec = entry.spec;
    const ports = spec.protocol === 'tcp' || spec.protocol === 'udp' ? { fromPort: spec.from, toPort: spec.to } : {};
    const icmp = spec.protocol === 'icmp' || spec.protocol === 'icmpv6' ? { icmpType: spec.from, icmpCode: spec.to } : {};
    return bulkResource(new (ruleClass())(acl.scope, id, {
      networkAclId: readOnce(acl.resource, 'id'),
      ruleNumber: number,
      egress: direction === 'egress',
      protocol: PROTOCOL_NUMBERS[spec.protocol],
      ruleAction: entry.action,
      ...(ipv6 ? { ipv6CidrBlock: entry.cidr } : { cidrBlock: entry.cidr }),
      ...ports,
      ...icmp,
      // every attribute forces replacement: an edited entry is created (with a new number) before the old one goes
      lifecycle: { createBeforeDestroy: true },
    }));
  }

  private deniesOf(subnet: MappedSubnet, direction: Direction): AclEntry[] {
    const out: AclEntry[] = [];
    for (const [owner, entries] of this.denies.get(subnet.enforcement) ?? []) {
      for (const entry of entries) {
        if (entry.egress !== (direction === 'egress') || entry.subnetCidr !== subnet.key) continue;
        for (const port of entry.ports) out.push({ action: 'deny', peerKey: `cidr:${entry.cidr}`, cidr: entry.cidr, spec: port._toSpec(), owners: [owner.node.path] });
      }
    }
    return out;
  }

  private parseAclKey(key: string): [MappedSubnet, Direction] {
    const [enforcementPath, cidr, direction] = key.split('|');
    for (const [enforcement, byKey] of this.subnets) {
      if (enforcement.node.path === enforcementPath) return [byKey.get(cidr)!, direction as Direction];
    }
    throw new Error(`unknown network ACL key ${key}`);
  }

  /**
   * Warns when a workload's own subnet (`subnet_id` of its instance or interface) is not one of the
   * subnets mapped to its segments: the ACLs are rendered for the mapped subnets, so its flows would
   * be dropped at the subnet boundary while the security groups allow them.
   */
  private checkPlacement(workload: Workload): string[] {
    const enforcement = AwsEnforcement.of(workload);
    if (!enforcement?.networkAcls) return [];
    const expected = this.workloadSubnets(workload, enforcement);
    if (expected.length === 0) return [];
    const actual = workload.resource && configuredSubnetId(workload.resource);
    if (actual === undefined) return [];
    const stack = stackOf(enforcement);
    const actualId = displayValue(stack, actual);
    const expectedIds = expected.map((s) => displayValue(stack, s.subnetId));
    if (expectedIds.includes(actualId)) return [];
    const names = expected.map((s) => `"${displayValue(stack, s.subnetId)}" (${s.cidr})`).join(', ');
    const segments = this.registry.segmentsOf(workload).filter((s) => !s.implicit).map((s) => s.node.path).join(', ');
    warnOnce(workload, `[microseg:nacl-placement] Workload '${workload.node.path}' is in subnet "${actualId}", but its segments (${segments}) are mapped to ${names}; the network ACLs will drop its flows that the security groups allow. Place it in one of those subnets, or map its subnet to its segment with enforcement.addSubnet().`);
    return [];
  }

  private validateEnforcement(enforcement: AwsEnforcement): string[] {
    const problems = [...(this.enforcementProblems.get(enforcement) ?? [])];
    if (!enforcement.networkAcls) return problems;
    const usable = enforcement.maxNetworkAclRules - 1;
    const stack = stackOf(enforcement);
    for (const subnet of [...(this.subnets.get(enforcement)?.values() ?? [])].sort((a, b) => compare(a.key, b.key))) {
      for (const direction of ['ingress', 'egress'] as const) {
        const entries = this.entries.get(aclKey(subnet, direction)) ?? [];
        for (const family of ['ipv4', 'ipv6'] as const) {
          const counted = entries.filter((e) => ruleFamily(e) === family);
          if (counted.length <= usable) continue;
          problems.push(quotaMessage(enforcement, subnet, displayValue(stack, subnet.subnetId), direction, family, counted));
        }
        for (const action of ['allow', 'deny'] as const) {
          for (const window of this.windows.get(`${aclKey(subnet, direction)}|${action}`) ?? []) warnOnce(enforcement, windowMessage(enforcement, subnet, direction, window));
        }
      }
    }
    return problems;
  }
}

/**
 * The problem of a flow that crosses mapped subnets with ports of one IP family only, while every
 * ACL entry it needs names an address of the other (a subnet mapping's CIDR is IPv4): the network
 * ACLs would drop all of its traffic.
 */
function otherFamilyProblem(cidrs: readonly string[], ports: readonly PortSpec[]): string {
  const ipv4 = cidrs.some((cidr) => !cidr.includes(':'));
  const listed = cidrs.map((cidr) => `"${cidr}"`).join(', ');
  return `allows only ${ports.map(portKey).join(', ')}, but it crosses network ACLs whose entries for it would name ${listed}, ${ipv4 ? 'IPv4' : 'IPv6'} addresses, `
    + `which no ${ipv4 ? 'ICMPv6' : 'ICMPv4'} packet comes from or goes to, so the ACLs would drop all of its traffic${ipv4 ? ' (a subnet mapping\'s cidr is IPv4, so the entries between mapped subnets are IPv4)' : ''}. `
    + `Use ${ipv4 ? 'Port.icmp()' : 'Port.icmpv6()'}, or name the ${ipv4 ? 'IPv6' : 'IPv4'} addresses (${ipv4 ? 'Peer.ipv6()' : 'Peer.ipv4()'}).`;
}

// network ACL entries match ports for tcp (6) and udp (17) only: an SCTP (132) entry matches every SCTP port
const PROTOCOL_NUMBERS: Record<PortSpec['protocol'], string> = { tcp: '6', udp: '17', sctp: '132', icmp: '1', icmpv6: '58', all: '-1' };

/** Network ACL allow entries: 100-32000 stepping by 10 (3191 numbers; the gaps leave room for hand-written entries). */
const NACL_ALLOW_NUMBERS: SlotRange = { first: 100, last: 32000, step: 10 };

/** Network ACL deny entries (guardrails): 1-99, evaluated before every allow. */
const NACL_DENY_NUMBERS: SlotRange = { first: 1, last: 99, step: 1 };

/** Room for the set of plain-address holders of one ACL direction (a set kept as slots). */
const PLAIN_HOLDERS: SlotRange = { first: 0, last: 9999 };

/** The allocation space of the entries of one ACL direction and action that hold their identity's plain address. */
function plainSpace(subnet: MappedSubnet, direction: Direction, action: AclEntry['action']): string {
  return `${numberSpace(subnet, direction, action)}:plain`;
}

/** The warning for an entry destroyed while a new one at another address takes over part of its traffic. */
function windowMessage(enforcement: AwsEnforcement, subnet: MappedSubnet, direction: Direction, window: AclEntryWindow): string {
  const gone = entryOfContent(window.gone);
  const what = (entry: AclEntry) => `${entry.action} ${entry.cidr} ${portKey(entry.spec)}`;
  const kind = window.created.action === 'allow' ? 'AllowFlow' : 'DenyFlow';
  const effect = window.created.action === 'allow' ? 'drops' : 'passes';
  return `[microseg-nacl-entry-window] ${kind} ${window.created.owners.map((o) => `'${o}'`).join(', ')}: the ${direction} network ACL of subnet ${subnet.cidr} (AwsEnforcement '${enforcement.node.path}') destroys entry ${what(gone)} and creates ${what(window.created)} at another address, which Terraform does in no order: traffic both match (${window.common}) ${effect} between the two. To avoid it, deploy once with both (keep the old ports or peer in a flow of their own), then remove the old one.`;
}

/** The allocation space of the entries of one ACL direction and action that hold an address their content does not name. */
function adoptedSpace(subnet: MappedSubnet, direction: Direction, action: AclEntry['action']): string {
  return `${numberSpace(subnet, direction, action)}:adopted`;
}

/** The allocation space of the rule numbers of one ACL, direction and action. */
function numberSpace(subnet: MappedSubnet, direction: Direction, action: AclEntry['action']): string {
  return `aws-network-acl:${subnet.enforcement.node.path}:${subnet.key}:${direction}:${action}`;
}

function aclKey(subnet: MappedSubnet, direction: Direction): string {
  return `${subnet.enforcement.node.path}|${subnet.key}|${direction}`;
}

/**
 * The synth error of an ACL direction over its quota. Entries are never merged to fit (a merged
 * entry is a new entry: replacing it would drop every flow it serves), so the user decides.
 */
function quotaMessage(enforcement: AwsEnforcement, subnet: MappedSubnet, subnetId: string, direction: Direction, family: 'ipv4' | 'ipv6', entries: AclEntry[]): string {
  const usable = enforcement.maxNetworkAclRules - 1;
  const segments = [...subnet.segments].map((s) => `'${s.node.path}'`).sort(compare).join(', ');
  const perOwner = new Map<string, number>();
  for (const entry of entries) for (const owner of entry.owners) perOwner.set(owner, (perOwner.get(owner) ?? 0) + 1);
  const largest = [...perOwner.entries()].sort((a, b) => b[1] - a[1] || compare(a[0], b[0])).slice(0, 3).map(([owner, count]) => `'${owner}' (${count})`).join(', ');
  return `AwsEnforcement '${enforcement.node.path}': the network ACL of subnet "${subnetId}" (${subnet.cidr}, segments ${segments}) needs ${entries.length} ${direction} ${family === 'ipv4' ? 'IPv4' : 'IPv6'} rules; the quota is ${enforcement.maxNetworkAclRules} per direction including the default deny, so ${usable} usable. `
    + `Its entries serve ${perOwner.size} flows or guardrails, those with the most entries: ${largest}. Entries are never merged to fit, because a merged entry would be replaced whenever one of its flows changes. `
    + 'Declare port ranges instead of many single ports, fewer peers (one Peer.ipv4() CIDR or a prefix instead of many hosts, a segment whose subnet is one entry), '
    + 'or raise the quota with AWS (up to 40) and set maxNetworkAclRules on the AwsEnforcement.';
}

/** A value as Terraform will read it (`${aws_subnet.web.id}`), for messages; never throws. */
function displayValue(stack: TerraformStack, value: string): string {
  if (!Token.isUnresolved(value)) return value;
  try {
    return String(Tokenization.resolve(value, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()) }));
  } catch {
    return value;
  }
}

