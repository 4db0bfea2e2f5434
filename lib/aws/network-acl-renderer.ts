import { NetworkAcl } from '@cdktf/provider-aws/lib/network-acl';
import { NetworkAclAssociation } from '@cdktf/provider-aws/lib/network-acl-association';
import { NetworkAclRule } from '@cdktf/provider-aws/lib/network-acl-rule';
import { DefaultTokenResolver, StringConcat, TerraformStack, Token, Tokenization } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { AllowFlow } from '../flow';
import { Inventory } from '../inventory';
import { Peer, PeerKind } from '../peer';
import { Platform } from '../platform';
import { Port } from '../port';
import { checkCidr } from '../private/cidr';
import { prefixContains } from '../private/cidr-aggregate';
import { idFromKey } from '../private/identity';
import { PortSpec, portKey } from '../private/port-range';
import { mergeBucket } from '../private/rule-bucket';
import { NACL_ALLOW_NUMBERS, NACL_DENY_NUMBERS, allocateRuleNumbers } from '../private/rule-number';
import { StatelessRule, aggregateRules, isLiteralPeer, returnSpecs, ruleFamily } from '../private/stateless-rules';
import { PlatformRenderer, PolicyRegistry, compare, stackOf } from '../registry';
import { FlowProblems } from '../render/flow-problems';
import { rulesContainer } from '../render/rules-container';
import { SegmentFlows } from '../render/segment-flows';
import { Segment } from '../segment';
import { Workload } from '../workload';
import { AwsEnforcement, AwsSubnetMapping } from './enforcement';
import { warnOnce } from '../render/app-wide-validation';

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
}

/** The network ACL of one subnet and its rendered entries. */
interface SubnetAcl {
  readonly scope: Construct;
  readonly resource: NetworkAcl;
  readonly rendered: Map<string, NetworkAclRule>;
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

/** Quota state of one ACL and direction, for the synth-time check. */
interface QuotaState {
  readonly counts: Record<'ipv4' | 'ipv6', number>;
  readonly aggregated: boolean;
}

/**
 * Renders the second, coarse layer under the security groups: a network ACL per mapped subnet,
 * its association, and one `aws_network_acl_rule` per (direction, peer CIDR, ports). NACLs are
 * stateless, so every flow crossing a subnet boundary gets its request rules (egress on the source
 * subnet's ACL, ingress on the destination's) and its return rules (the reverse directions, to the
 * ephemeral ports). Traffic within one subnet is not filtered by ACLs and gets no rule.
 *
 * Rule numbers derive from each rule's meaning (see `allocateRuleNumbers`): 100-32000 for allows,
 * 1-99 for guardrail denies. Every attribute of an ACL rule forces replacement, so renumbering would
 * delete and re-create the rule and drop its traffic for a moment; hashing keeps the numbers of the
 * other rules when a flow is added or removed.
 */
export class NetworkAclRenderer implements PlatformRenderer {
  /** The renderer of the app that `scope` belongs to. */
  public static of(scope: IConstruct): NetworkAclRenderer {
    return PolicyRegistry.of(scope).rendererOf(NetworkAclRenderer)!;
  }

  private readonly subnets = new Map<AwsEnforcement, Map<string, MappedSubnet>>();
  private readonly flowsBySegment = new SegmentFlows<AllowFlow>();
  private readonly flows: AllowFlow[] = [];
  /** ACL-direction key to flow to contributions. */
  private readonly contributions = new Map<string, Map<AllowFlow, Contribution[]>>();
  private readonly flowKeys = new Map<AllowFlow, Set<string>>();
  private readonly problems = new FlowProblems({ sorted: true });
  /** Per enforcement, the deny entries each guardrail asks for. */
  private readonly denies = new Map<AwsEnforcement, Map<IConstruct, NetworkAclDenyEntry[]>>();
  private readonly quota = new Map<string, QuotaState>();
  private readonly enforcementProblems = new Map<AwsEnforcement, string[]>();

  public constructor(private readonly registry: PolicyRegistry) {}

  public onWorkload(workload: Workload): void {
    if (workload.platform !== Platform.AWS) return;
    workload.node.addValidation({ validate: () => this.checkPlacement(workload) });
  }

  public onEnforcement(stack: TerraformStack): void {
    const enforcement = AwsEnforcement.of(stack);
    if (!enforcement || this.subnets.has(enforcement)) return; // another platform's enforcement, or seen
    this.subnets.set(enforcement, new Map());
    this.enforcementProblems.set(enforcement, []);
    enforcement.node.addValidation({ validate: () => this.validateEnforcement(enforcement) });
    enforcement._watchSubnets((mapping) => this.addMapping(enforcement, mapping));
  }

  public onMembership(workload: Workload, _segment: Segment): void {
    // a workload lives in the subnets mapped to any of its segments: all their flows may change
    const touched = new Set<AllowFlow>();
    for (const segment of this.registry.segmentsOf(workload)) {
      for (const flow of this.flowsBySegment.of(segment)) touched.add(flow);
    }
    for (const flow of [...touched].sort((a, b) => compare(a.node.path, b.node.path))) this.renderFlow(flow);
  }

  public onFlow(flow: AllowFlow): void {
    this.flows.push(flow);
    this.flowsBySegment.add(flow);
    this.problems.of(flow); // wires the flow's problem report now, even if the flow is never rendered
    this.renderFlow(flow);
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
      if (touched.has(`${subnet.key}|false`)) this.reconcile(subnet, 'ingress');
      if (touched.has(`${subnet.key}|true`)) this.reconcile(subnet, 'egress');
    }
  }

  private addMapping(enforcement: AwsEnforcement, mapping: AwsSubnetMapping): void {
    const where = `AwsEnforcement '${enforcement.node.path}': subnet mapping of segment '${mapping.segment.node.path}'`;
    if (Token.isUnresolved(mapping.cidr)) {
      this.enforcementProblems.get(enforcement)!.push(`${where} has a cidr that is a Terraform expression ("${displayValue(stackOf(enforcement), mapping.cidr)}"); network ACL rules need the literal CIDR to aggregate and count rules. Pass the value you configured (subnet.cidrBlockInput, or the string itself), not the subnet.cidrBlock attribute.`);
      return;
    }
    const checked = checkCidr(mapping.cidr, 'ipv4');
    if (checked.problem) {
      this.enforcementProblems.get(enforcement)!.push(`${where}: cidr ${checked.problem}`);
      return;
    }
    const byKey = this.subnets.get(enforcement)!;
    const key = checked.cidr!;
    let subnet = byKey.get(key);
    if (subnet) {
      if (!Token.isUnresolved(subnet.subnetId) && !Token.isUnresolved(mapping.subnetId) && subnet.subnetId !== mapping.subnetId) {
        this.enforcementProblems.get(enforcement)!.push(`${where} gives cidr "${key}" to subnet "${mapping.subnetId}", but it is already mapped to subnet "${subnet.subnetId}". Subnets of a VPC never overlap: check the cidr.`);
        return;
      }
    } else {
      const overlapping = [...byKey.values()].find((s) => prefixContains(s.key, key) || prefixContains(key, s.key));
      if (overlapping) {
        this.enforcementProblems.get(enforcement)!.push(`${where} has cidr "${key}", which overlaps "${overlapping.key}" of another mapped subnet. Subnets of a VPC never overlap: check the cidr.`);
        return;
      }
      const acl = enforcement.networkAcls ? this.createAcl(enforcement, key, mapping.subnetId) : undefined;
      subnet = { enforcement, key, subnetId: mapping.subnetId, cidr: key, segments: new Set(), acl };
      byKey.set(key, subnet);
      Inventory.of(stackOf(enforcement)).addSubnet(mapping.subnetId, key);
    }
    subnet.segments.add(mapping.segment);
    if (subnet.acl) this.tagAcl(subnet);
    for (const flow of [...this.flows]) this.renderFlow(flow);
    if (subnet.acl) {
      this.reconcile(subnet, 'ingress');
      this.reconcile(subnet, 'egress');
    }
  }

  private createAcl(enforcement: AwsEnforcement, cidr: string, subnetId: string): SubnetAcl {
    const container = rulesContainer(enforcement, 'NetworkAcls');
    const scope = new Construct(container, idFromKey(`Subnet-${cidr}`));
    const resource = new NetworkAcl(scope, 'Acl', { vpcId: enforcement.vpcId });
    new NetworkAclAssociation(scope, 'Association', { networkAclId: resource.id, subnetId });
    return { scope, resource, rendered: new Map() };
  }

  private tagAcl(subnet: MappedSubnet): void {
    const segments = [...subnet.segments].map((s) => s.node.path).sort(compare).join(' ');
    subnet.acl!.resource.tags = {
      ...subnet.enforcement.tags,
      'Name': `microseg-${subnet.key}`,
      'microseg:segments': segments.slice(0, 256),
    };
  }

  /** Recomputes one flow's contributions in every enforcement and reconciles what changed. */
  private renderFlow(flow: AllowFlow): void {
    if (flow.problems().length > 0) return; // synthesis fails with the flow's own problems
    const problems = this.problems.of(flow);
    problems.clear();
    const wanted = new Map<string, Contribution[]>();
    const add = (subnet: MappedSubnet, direction: Direction, address: Address, specs: PortSpec[]) => {
      if (address.subnetKey === subnet.key) return; // traffic inside one subnet: ACLs do not apply
      if (isLiteralPeer(address) && address.cidr.includes(':') === false && prefixContains(subnet.cidr, address.cidr)) return;
      const key = aclKey(subnet, direction);
      const list = wanted.get(key) ?? [];
      const ipv6 = isLiteralPeer(address) && address.cidr.includes(':');
      for (const spec of specs) {
        if ((spec.protocol === 'icmp' && ipv6) || (spec.protocol === 'icmpv6' && !ipv6)) continue;
        list.push({ peerKey: address.peerKey, cidr: address.cidr, spec });
      }
      wanted.set(key, list);
    };
    for (const [enforcement] of this.subnets) {
      if (!enforcement.networkAcls) continue;
      const specs = flow.ports.map((p) => p._toSpec());
      const back = specs.flatMap((s) => returnSpecs(s, enforcement.ephemeralPorts));
      const sources = flow.fromSegment ? this.subnetsOf(flow.fromSegment, enforcement) : [];
      const targets = flow.toSegment ? this.subnetsOf(flow.toSegment, enforcement) : [];
      if (sources.length > 0) {
        for (const address of this.addressesOf(flow.to, flow.toSegment, enforcement, problems)) {
          for (const subnet of sources) {
            add(subnet, 'egress', address, specs);
            add(subnet, 'ingress', address, back);
          }
        }
      }
      if (targets.length > 0) {
        for (const address of this.addressesOf(flow.from, flow.fromSegment, enforcement, problems)) {
          for (const subnet of targets) {
            add(subnet, 'ingress', address, specs);
            add(subnet, 'egress', address, back);
          }
        }
      }
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
    this.flowKeys.set(flow, new Set(wanted.keys()));
    for (const key of [...dirty].sort(compare)) {
      const [subnet, direction] = this.parseAclKey(key);
      this.reconcile(subnet, direction);
    }
  }

  /**
   * The mapped subnets of `enforcement` where members of `segment` may live: those mapped to the
   * segment, and those mapped to any segment of its AWS members in that VPC (a workload lives in
   * one of the subnets of its segments).
   */
  private subnetsOf(segment: Segment, enforcement: AwsEnforcement): MappedSubnet[] {
    const all = [...(this.subnets.get(enforcement)?.values() ?? [])];
    const found = new Set(all.filter((s) => s.segments.has(segment)));
    for (const member of this.registry.membersOf(segment)) {
      if (member.platform !== Platform.AWS || AwsEnforcement.of(member) !== enforcement) continue;
      for (const subnet of this.workloadSubnets(member, enforcement)) found.add(subnet);
    }
    return [...found].sort((a, b) => compare(a.key, b.key));
  }

  private workloadSubnets(workload: Workload, enforcement: AwsEnforcement): MappedSubnet[] {
    const segments = new Set(this.registry.segmentsOf(workload));
    return [...(this.subnets.get(enforcement)?.values() ?? [])].filter((s) => [...s.segments].some((seg) => segments.has(seg)));
  }

  /** The CIDRs that stand for a flow endpoint in the ACLs of `enforcement`. */
  private addressesOf(endpoint: unknown, segment: Segment | undefined, enforcement: AwsEnforcement, problems: Set<string>): Address[] {
    if (endpoint instanceof Peer) {
      switch (endpoint.kind) {
        case PeerKind.IPV4:
        case PeerKind.IPV6:
          return [{ peerKey: `cidr:${endpoint.value}`, cidr: endpoint.value }];
        case PeerKind.AWS_PREFIX_LIST:
          problems.add(`uses ${endpoint.expression}, but network ACLs (enabled on '${enforcement.node.path}') cannot reference prefix lists, so the flow would be dropped at the subnet boundary. Use Peer.ipv4() with the list's CIDRs, or keep the flow's subnets unmapped.`);
          return [];
        default:
          return [];
      }
    }
    if (!segment) return [];
    const out = new Map<string, Address>();
    for (const [other] of this.subnets) {
      for (const subnet of this.subnetsOf(segment, other)) {
        const key = `cidr:${subnet.cidr}`;
        if (!out.has(key)) out.set(key, { peerKey: key, cidr: subnet.cidr, subnetKey: other === enforcement ? subnet.key : undefined });
      }
    }
    for (const member of this.registry.membersOf(segment)) {
      const own = member.platform === Platform.AWS ? AwsEnforcement.of(member) : undefined;
      if (own && this.workloadSubnets(member, own).length > 0) continue; // addressed by its subnets
      if (member.addressCidrs.length > 0) {
        member.addressCidrs.forEach((cidr, index) => {
          const key = Token.isUnresolved(cidr) ? `addr:${member.node.path}#${index}` : `cidr:${cidr}`;
          if (!out.has(key)) out.set(key, { peerKey: key, cidr });
        });
        continue;
      }
      if (own === enforcement) {
        problems.add(`reaches subnets with network ACLs (on '${enforcement.node.path}'), but workload '${member.node.path}' is in no mapped subnet, so the ACLs cannot let its traffic through. Map its subnet to one of its segments: enforcement.addSubnet({ segment, subnetId, cidr }).`);
      }
    }
    return [...out.values()].sort((a, b) => compare(a.peerKey, b.peerKey));
  }

  /** Brings the rendered entries of one ACL and direction in line with the flows and denies. */
  private reconcile(subnet: MappedSubnet, direction: Direction): void {
    const acl = subnet.acl;
    if (!acl) return;
    const enforcement = subnet.enforcement;
    const key = aclKey(subnet, direction);
    const byPeer = new Map<string, { cidr: string; contributions: Array<{ spec: PortSpec; flow: string }> }>();
    for (const [flow, list] of this.contributions.get(key) ?? []) {
      for (const c of list) {
        const entry = byPeer.get(c.peerKey) ?? { cidr: c.cidr, contributions: [] };
        entry.contributions.push({ spec: c.spec, flow: flow.node.path });
        byPeer.set(c.peerKey, entry);
      }
    }
    let allows: StatelessRule[] = [];
    for (const [peerKey, { cidr, contributions }] of [...byPeer.entries()].sort((a, b) => compare(a[0], b[0]))) {
      for (const rule of mergeBucket(contributions)) allows.push({ peerKey, cidr, spec: rule.spec, flows: rule.flows });
    }
    const denies = this.deniesOf(subnet, direction);
    const usable = enforcement.maxNetworkAclRules - 1; // the default deny counts against the quota
    let counts = countByFamily(allows, denies);
    let aggregated = false;
    if (counts.ipv4 > usable || counts.ipv6 > usable) {
      allows = aggregateRules(allows);
      counts = countByFamily(allows, denies);
      aggregated = true;
    }
    this.quota.set(key, { counts, aggregated });

    const wanted = new Map<string, { rule: StatelessRule; action: 'allow' | 'deny'; number: number; owners: string[] }>();
    const allowNumbers = allocateRuleNumbers(allows.map(identityOf), NACL_ALLOW_NUMBERS);
    for (const rule of allows) wanted.set(`${direction}|allow|${identityOf(rule)}`, { rule, action: 'allow', number: allowNumbers.get(identityOf(rule))!, owners: rule.flows });
    const denyNumbers = allocateRuleNumbers(denies.map(identityOf), NACL_DENY_NUMBERS);
    for (const rule of denies) wanted.set(`${direction}|deny|${identityOf(rule)}`, { rule, action: 'deny', number: denyNumbers.get(identityOf(rule))!, owners: rule.flows });

    for (const [id, resource] of acl.rendered) {
      if (!id.startsWith(`${direction}|`) || wanted.has(id)) continue;
      acl.scope.node.tryRemoveChild(resource.node.id);
      acl.rendered.delete(id);
    }
    for (const [id, { rule, action, number, owners }] of [...wanted.entries()].sort((a, b) => compare(a[0], b[0]))) {
      let resource = acl.rendered.get(id);
      if (!resource) {
        resource = this.createRule(acl, direction, action, rule, number);
        acl.rendered.set(id, resource);
      }
      resource.ruleNumber = number;
      resource.addOverride('//.microseg', action === 'allow' ? { flows: owners } : { guardrails: owners });
    }
  }

  private createRule(acl: SubnetAcl, direction: Direction, action: 'allow' | 'deny', rule: StatelessRule, number: number): NetworkAclRule {
    const peerName = isLiteralPeer(rule) ? rule.cidr : rule.peerKey.replace(/^addr:/, '');
    const dir = direction === 'ingress' ? 'Ingress' : 'Egress';
    const id = idFromKey(`${dir}-${action === 'deny' ? 'Deny-' : ''}${peerName}-${portKey(rule.spec)}`);
    const ipv6 = ruleFamily(rule) === 'ipv6';
    const spec = rule.spec;
    const ports = spec.protocol === 'tcp' || spec.protocol === 'udp' ? { fromPort: spec.from, toPort: spec.to } : {};
    const icmp = spec.protocol === 'icmp' || spec.protocol === 'icmpv6' ? { icmpType: spec.from, icmpCode: spec.to } : {};
    return new NetworkAclRule(acl.scope, id, {
      networkAclId: acl.resource.id,
      ruleNumber: number,
      egress: direction === 'egress',
      protocol: PROTOCOL_NUMBERS[spec.protocol],
      ruleAction: action,
      ...(ipv6 ? { ipv6CidrBlock: rule.cidr } : { cidrBlock: rule.cidr }),
      ...ports,
      ...icmp,
    });
  }

  private deniesOf(subnet: MappedSubnet, direction: Direction): StatelessRule[] {
    const rules: StatelessRule[] = [];
    for (const [owner, entries] of this.denies.get(subnet.enforcement) ?? []) {
      for (const entry of entries) {
        if (entry.egress !== (direction === 'egress') || entry.subnetCidr !== subnet.key) continue;
        for (const port of entry.ports) rules.push({ peerKey: `cidr:${entry.cidr}`, cidr: entry.cidr, spec: port._toSpec(), flows: [owner.node.path] });
      }
    }
    const merged = new Map<string, StatelessRule>();
    for (const rule of rules) {
      const id = identityOf(rule);
      const existing = merged.get(id);
      merged.set(id, existing ? { ...existing, flows: [...new Set([...existing.flows, ...rule.flows])].sort(compare) } : rule);
    }
    return [...merged.values()];
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
    const resource = workload.resource as unknown as { subnetIdInput?: string };
    const actual = resource.subnetIdInput;
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
        const state = this.quota.get(aclKey(subnet, direction));
        if (!state) continue;
        for (const family of ['ipv4', 'ipv6'] as const) {
          const count = state.counts[family];
          if (count <= usable) continue;
          const segments = [...subnet.segments].map((s) => `'${s.node.path}'`).sort(compare).join(', ');
          const subnetId = displayValue(stack, subnet.subnetId);
          problems.push(`AwsEnforcement '${enforcement.node.path}': the network ACL of subnet "${subnetId}" (${subnet.cidr}, segments ${segments}) needs ${count} ${direction} ${family === 'ipv4' ? 'IPv4' : 'IPv6'} rules even after merging CIDRs and ports; the quota is ${enforcement.maxNetworkAclRules} per direction including the default deny, so ${usable} usable. Use fewer or wider peers (one CIDR instead of many hosts), fewer port ranges, or raise the quota with AWS (up to 40) and set maxNetworkAclRules.`);
        }
      }
      for (const direction of ['ingress', 'egress'] as const) {
        if (!this.quota.get(aclKey(subnet, direction))?.aggregated) continue;
        warnOnce(enforcement, `[microseg:nacl-aggregated] AwsEnforcement '${enforcement.node.path}': the ${direction} rules of the network ACL of subnet ${subnet.cidr} were merged (CIDRs and ports) to fit the quota of ${enforcement.maxNetworkAclRules}; merged rules get new identities, so later changes may replace them.`);
      }
    }
    return problems;
  }
}

const PROTOCOL_NUMBERS: Record<PortSpec['protocol'], string> = { tcp: '6', udp: '17', icmp: '1', icmpv6: '58', all: '-1' };

function aclKey(subnet: MappedSubnet, direction: Direction): string {
  return `${subnet.enforcement.node.path}|${subnet.key}|${direction}`;
}

function identityOf(rule: { readonly peerKey: string; readonly spec: PortSpec }): string {
  return `${rule.peerKey}|${portKey(rule.spec)}`;
}

function countByFamily(allows: StatelessRule[], denies: StatelessRule[]): Record<'ipv4' | 'ipv6', number> {
  const counts = { ipv4: 0, ipv6: 0 };
  for (const rule of [...allows, ...denies]) counts[ruleFamily(rule)]++;
  return counts;
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

