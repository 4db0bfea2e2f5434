import { Annotations, TerraformStack, Token } from 'cdktf';
import { MicrosegSuppressions } from '../checks/suppressions';
import { DenyFlow } from '../deny-flow';
import { AllowFlow } from '../flow';
import { GuardrailAllow } from '../guardrail-allow';
import { Breach, candidateAtoms, flowIndex, FlowIndex, GuardrailCheckFlow, guardrailBreach, pairsWithRenderedFlows } from './guardrail-breach';
import { atomName, isExpression, sharedRangeText, sideAsRendered, sideHolds, withOpaquePeers } from '../model/guardrail-semantics';
import { Platform } from '../platform';
import { AwsEnforcement, AwsSubnetMapping } from './enforcement';
import { NetworkAclRenderer } from './network-acl-renderer';
import { portKey } from '../model/ports';
import { byPath } from '../private/path-of';
import { UNRESOLVED_ENDPOINT } from '../private/unresolved-endpoint';
import { PlatformRenderer, PolicyRegistry, compare } from '../registry';
import { warnOnce } from '../render/app-wide-validation';
import { deniesAt } from '../render/denies-at';
import { Atom, ResolvedSide, grantsOverlapping } from '../render/guardrail-sides';
import { oncePerDeclarationState } from '../render/once-per-declarations';
import { ResolvedPolicy } from '../render/resolve-policy';
import { UNPROVEN_GUARDRAIL } from '../render/unproven-guardrail';
import { Segment } from '../segment';
import { Workload } from '../workload';

/**
 * Guardrails on AWS.
 *
 * Security groups cannot deny: where a `DenyFlow` is enforced at an AWS workload (see
 * `denyEnforcedAt` in lib/model/guardrail-semantics.ts) and the flows rendered at every AWS end of the
 * traffic (its egress, its ingress; CIDR peers holding workloads included) let it through, with no
 * `GuardrailAllow` rendered there, synthesis fails naming the DenyFlow and those flows. Where it
 * depends on addresses known only at apply, the error `MS-GUARDRAIL-UNPROVEN` says so and may be
 * suppressed with a reason. The check runs at synth, when every construct exists, so declaration
 * order does not matter.
 *
 * Network ACLs can deny: with `networkAcls` on, every DenyFlow becomes deny entries (rule numbers
 * 1-99, before every allow) in the ACLs of the subnets where its members live, exactly as wide as
 * the DenyFlow (see `NetworkAclDenyPlanner`): ingress entries on the destination's subnets from the
 * source's CIDRs or hosts, egress entries on the source's subnets to the destination's CIDRs or
 * hosts. Where no entry can be that narrow and every wider one would drop an allowed flow,
 * synthesis fails naming both. ACL entries have no way to let a later allow win, so a DenyFlow that
 * a GuardrailAllow carves an exception from is not rendered in ACLs (a warning says so); the
 * security-group check above still enforces it.
 */
export class GuardrailRenderer implements PlatformRenderer {
  private readonly denies: DenyFlow[] = [];
  private readonly enforcements: AwsEnforcement[] = [];
  /** Whether a declaration since the last plan may change the deny entries (see onRendered). */
  private replanPending = false;
  /** Enforcements whose later subnet mappings this renderer does not follow yet (see watchSubnets). */
  private readonly unwatched: AwsEnforcement[] = [];
  /** Flow sides as security-group rules name them (see asRendered), by resolved side. */
  private readonly renderedSides = new WeakMap<ResolvedSide, ResolvedSide>();

  /** What the DenyFlow check reads of the app's flows (see checkFlowsNow). */
  private readonly checkedFlows: () => { readonly candidates: Atom[]; readonly index: FlowIndex };

  public constructor(private readonly registry: PolicyRegistry) {
    this.checkedFlows = oncePerDeclarationState(registry, () => this.checkFlowsNow());
  }

  public onWorkload(_workload: Workload): void {}

  public onFlow(_flow: AllowFlow): void {
    // a flow may make a wider deny entry drop allowed traffic, or a GuardrailAllow lift a deny
    if (this.denies.length > 0) this.replanPending = true;
  }

  public onEnforcement(stack: TerraformStack): void {
    const enforcement = AwsEnforcement.of(stack);
    if (!enforcement || this.enforcements.includes(enforcement)) return;
    this.enforcements.push(enforcement);
    this.unwatched.push(enforcement);
  }

  public onMembership(_workload: Workload, _segment: Segment): void {
    if (this.denies.length > 0) this.replanPending = true;
  }

  public onDenyFlow(deny: DenyFlow): void {
    this.denies.push(deny);
    deny.node.addValidation({ validate: () => this.conflicts(deny) });
    deny.node.addValidation({ validate: () => this.warnUnrenderedAcl(deny) });
    deny.node.addValidation({ validate: () => this.networkAclProblems(deny) });
    // resolving a side declares the one-workload segment of a workload end (a membership): now,
    // while every renderer hears it, not in onRendered, after the registry's replay
    const policy = ResolvedPolicy.of(this.registry);
    policy.semanticSide(deny.from);
    policy.semanticSide(deny.to);
    this.replanPending = true;
  }

  /**
   * Plans the deny entries once every renderer has heard the declarations: once after the
   * registry's replay, instead of every DenyFlow's plan again on each DenyFlow's event (the square
   * of the DenyFlows), and once after each later declaration. The network ACL renderer, told after
   * this one, numbers the entries.
   */
  public onRendered(): void {
    this.watchSubnets();
    if (!this.replanPending) return;
    this.replanPending = false;
    this.renderAll();
  }

  /**
   * Re-plans when a subnet is mapped later. Listening only once every renderer has heard the
   * enforcement puts this listener after the network ACL renderer's, which maps the subnet before
   * the deny entries are planned for it. The subnets mapped so far are in the plan already.
   */
  private watchSubnets(): void {
    for (const enforcement of this.unwatched.splice(0)) {
      enforcement._watchSubnets(() => this.renderAll(), { existing: false });
      // an enforcement declared after rendering, with its subnets: its ACLs may need deny entries
      if (enforcement.subnets.length > 0 && this.denies.length > 0) this.replanPending = true;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Security groups: conflicts are synth errors
  // ---------------------------------------------------------------------------------------------

  private conflicts(deny: DenyFlow): string[] {
    if (deny.problems().length > 0) return [];
    const policy = ResolvedPolicy.of(this.registry);
    // security group rules name prefix lists and groups as they are: their addresses are unknown here
    const denyFrom = withOpaquePeers(policy.semanticSide(deny.from));
    const denyTo = withOpaquePeers(policy.semanticSide(deny.to));
    const { candidates, index } = this.checkedFlows();
    const sources = candidates.filter((a) => sideHolds(denyFrom, a) !== 'no');
    const destinations = candidates.filter((a) => sideHolds(denyTo, a) !== 'no');
    const denied = [...policy.flow(deny).ports];
    const deniesHere = (workload: Workload) => deniesAt(policy, workload);
    const found = new Map<string, string>();
    // only the pairs a flow is rendered for, in the order of every pair: the first breach of each kind names it
    for (const [source, destination] of pairsWithRenderedFlows(sources, destinations, index)) {
      if (source.kind === 'workload' && destination.kind === 'workload' && source.workload === destination.workload) continue;
      const breach = guardrailBreach(denyFrom, denyTo, index, source, destination, denied, deniesHere);
      if (!breach) continue;
      const key = `${breach.certain}|${breach.flows.map((f) => f.node.path).join('|')}`;
      if (!found.has(key)) found.set(key, this.describe(deny, source, destination, breach));
    }
    return [...found.values()].filter((p) => p.length > 0);
  }

  /**
   * The app's flows as the DenyFlow check reads them, the ends they may name and their index by
   * workload: the same for every DenyFlow, so made once while nothing is declared.
   */
  private checkFlowsNow(): { readonly candidates: Atom[]; readonly index: FlowIndex } {
    const policy = ResolvedPolicy.of(this.registry);
    const flows: GuardrailCheckFlow[] = [...this.registry.flows]
      .filter((f) => f.problems().length === 0 && f.from !== UNRESOLVED_ENDPOINT && f.to !== UNRESOLVED_ENDPOINT)
      .sort(byPath)
      .map((flow) => {
        const grant = GuardrailAllow.isGuardrailFlow(flow);
        // an application flow's rules name another platform's workloads by their addresses, shared
        // ranges included: they let through every host of those ranges (a grant is held to its sides)
        const from = withOpaquePeers(policy.semanticSide(flow.from));
        const to = withOpaquePeers(policy.semanticSide(flow.to));
        const ports = [...policy.flow(flow).ports];
        if (grant) return { flow, from, to, ports, grant };
        const renderedAt = (end: 'source' | 'destination', at: Workload) => {
          const network = AwsEnforcement.of(at);
          const networks = network ? [network] : [];
          return end === 'source' ? { from, to: this.asRendered(to, networks) } : { from: this.asRendered(from, networks), to };
        };
        return { flow, from: this.asRendered(from, awsNetworksOf(to)), to: this.asRendered(to, awsNetworksOf(from)), ports, grant, renderedAt };
      });
    const denyEnds = this.registry.denyFlows.filter((deny) => deny.problems().length === 0)
      .flatMap((deny) => [withOpaquePeers(policy.semanticSide(deny.from)), withOpaquePeers(policy.semanticSide(deny.to))])
      .flatMap((side) => side.atoms.filter((atom) => atom.kind !== 'workload'));
    return { candidates: candidateAtoms(this.registry, flows, denyEnds), index: flowIndex(flows) };
  }

  /**
   * A flow side as the security-group rules of AWS enforcements `networks` (VPCs) name it: its
   * workloads, plus the shared ranges (pod CIDRs, a scale set's or a Lambda's subnets) by which they
   * name a workload of another platform, or an AWS workload of a VPC other than one of `networks`,
   * as CIDRs.
   */
  private asRendered(side: ResolvedSide, networks: readonly AwsEnforcement[]): ResolvedSide {
    const byAddress = (workload: Workload) => {
      if (workload.platform !== Platform.AWS) return true;
      const own = AwsEnforcement.of(workload);
      return own !== undefined && networks.some((network) => !network._sharesNetworkWith(own));
    };
    if (side.atoms.some((atom) => atom.kind === 'workload' && atom.workload.platform === Platform.AWS && byAddress(atom.workload))) {
      return sideAsRendered(side, byAddress); // an AWS workload of another VPC, named by address: rare, so not kept
    }
    let rendered = this.renderedSides.get(side);
    if (!rendered) {
      rendered = sideAsRendered(side, (workload) => workload.platform !== Platform.AWS);
      this.renderedSides.set(side, rendered);
    }
    return rendered;
  }

  /**
   * Why a flow lets through an end it does not name, when that is so: its rules name a workload of
   * its sides by a range that workload shares with other hosts (`sideAsRendered`), and the range
   * holds the end.
   */
  private sharedRangesHolding(flows: readonly AllowFlow[], source: Atom, destination: Atom): string {
    const policy = ResolvedPolicy.of(this.registry);
    const reasons: string[] = [];
    for (const flow of flows) {
      for (const [side, end] of [[policy.semanticSide(flow.from), source], [policy.semanticSide(flow.to), destination]] as const) {
        if (sideHolds(side, end) === 'yes') continue;
        for (const atom of side.atoms) {
          if (atom.kind !== 'workload') continue;
          const ranges = (atom.workload.sharedAddressCidrs ?? []).filter((cidr) => !isExpression(cidr));
          const holds = sideHolds({ any: false, atoms: ranges.map((cidr): Atom => ({ kind: 'cidr', cidr })) }, end) === 'yes';
          if (holds) reasons.push(`: the rules of '${flow.node.path}' name ${atomName(atom)} by ${sharedRangeText(atom.workload)}, which it shares with other hosts, ${atomName(end)} among them`);
        }
      }
    }
    return [...new Set(reasons)].join('; ');
  }

  /** The names of the peers whose addresses are unknown (prefix lists, groups owned elsewhere) on the ends, the DenyFlow's sides and the flows' sides. */
  private opaquePeersOf(deny: DenyFlow, flows: readonly AllowFlow[], ends: readonly Atom[]): string[] {
    const policy = ResolvedPolicy.of(this.registry);
    const sides = [deny.from, deny.to, ...flows.flatMap((f) => [f.from, f.to])].map((endpoint) => withOpaquePeers(policy.semanticSide(endpoint)));
    const names = [...ends, ...sides.flatMap((side) => side.atoms)].flatMap((atom) => (atom.kind === 'peer' && atom.opaque ? [atom.name] : []));
    return [...new Set(names)];
  }

  /** The synth error of a breach (empty when an unproven one is suppressed with a reason: then an info annotation). */
  private describe(deny: DenyFlow, source: Atom, destination: Atom, breach: Breach): string {
    const ports = breach.ports.map(portKey).join(', ');
    const guardrail = `DenyFlow '${deny.node.path}' ("${deny.description}")`;
    const flows = breach.flows.length === 1
      ? `AllowFlow '${breach.flows[0].node.path}'`
      : `AllowFlows ${breach.flows.map((f) => `'${f.node.path}'`).join(' and ')} together`;
    if (breach.certain) {
      const advice = breach.flows.length === 1
        ? 'so the flow would override the guardrail. Remove the flow or narrow its ports or endpoints'
        : 'so together they would override the guardrail. Remove one of them or narrow its ports or endpoints';
      return `${flows} ${breach.flows.length === 1 ? 'allows' : 'allow'} ${ports} from ${atomName(source)} to ${atomName(destination)}, which ${guardrail} forbids`
        + `${this.sharedRangesHolding(breach.flows, source, destination)}. AWS security groups cannot deny, ${advice}, or ask the platform team for a GuardrailAllow that grants it.`;
    }
    const ends = [source, destination].flatMap((a) => (a.kind === 'workload' ? [a.workload] : []));
    const quoted = (ranges: readonly string[]) => ranges.map((r) => `"${r}"`).join(', ');
    const placedAtApply = (w: Workload) => w.addressCidrs.some((c) => Token.isUnresolved(c))
      || w.addressRanges.length > 0 || w.possibleAddressRanges.length > 0;
    const unknown = ends.filter(placedAtApply)
      .map((w) => `workload '${w.endpointName}'${[
        ...(w.addressRanges.length > 0 ? [`in subnet ${quoted(w.addressRanges)}`] : []),
        ...(w.possibleAddressRanges.length > 0 ? [`perhaps with an address in ${quoted(w.possibleAddressRanges)}, decided at apply`] : []),
      ].map((note) => ` (${note})`).join('')}`);
    const peers = this.opaquePeersOf(deny, breach.flows, [source, destination]);
    const reasons = [
      ...(unknown.length > 0 ? [`the addresses of ${unknown.join(' and ')} are known only at apply`] : []),
      ...(peers.length > 0 ? [`the addresses of ${peers.join(' and ')} are not known at synth`] : []),
    ];
    if (reasons.length === 0) reasons.push('some of the addresses involved are known only at apply');
    const advice = unknown.length > 0
      ? 'Give the workload literal addresses, narrow the flow\'s CIDR or the DenyFlow\'s, or, if it never holds them'
      : 'Name those hosts by their CIDRs instead of a prefix list or group, or, if the rules never admit the forbidden addresses';
    const message = `[${UNPROVEN_GUARDRAIL}] ${flows} may allow ${ports} from ${atomName(source)} to ${atomName(destination)}, which ${guardrail} forbids: ${reasons.join(', and ')}, so synthesis cannot prove that the flow's rules do not admit that traffic, and AWS security groups cannot deny. ${advice}, suppress with a reason: MicrosegSuppressions.addSuppressions(flow, [{ id: '${UNPROVEN_GUARDRAIL}', reason: '...' }]).`;
    const suppression = [...breach.flows, deny].map((c) => MicrosegSuppressions.suppressionFor(c, UNPROVEN_GUARDRAIL)).find((x) => x !== undefined);
    if (!suppression) return message;
    const info = `[${UNPROVEN_GUARDRAIL}] suppressed: ${suppression.reason} (on '${suppression.addedTo}'; finding: ${message.slice(UNPROVEN_GUARDRAIL.length + 3)})`;
    if (!deny.node.metadata.some((m) => m.data === info)) Annotations.of(deny).addInfo(info);
    return '';
  }

  // ---------------------------------------------------------------------------------------------
  // Network ACLs: deny entries 1-99
  // ---------------------------------------------------------------------------------------------

  /** Re-plans the deny entries of every DenyFlow in every enforcement with network ACLs. */
  private renderAll(): void {
    if (this.denies.length === 0) return;
    for (const enforcement of this.enforcements) {
      if (!enforcement.networkAcls) continue;
      const planner = NetworkAclRenderer.of(enforcement).denyPlanner(enforcement);
      for (const deny of this.denies) {
        // a DenyFlow a GuardrailAllow carves an exception from is not rendered (see warnUnrenderedAcl)
        const rendered = deny.problems().length === 0 && grantsOverlapping(this.registry, deny).length === 0;
        NetworkAclRenderer.of(deny).setDenyEntries(deny, enforcement, rendered ? planner.plan(deny, false).entries : []);
      }
    }
  }

  /** The mapped subnets of `enforcement` where members of `segment` live (as the ACL renderer sees it). */
  private subnetsOf(segment: Segment, enforcement: AwsEnforcement): AwsSubnetMapping[] {
    const mappings = enforcement.subnets.filter((m) => !Token.isUnresolved(m.cidr));
    const found = new Set(mappings.filter((m) => m.segment === segment));
    for (const { workload: member, enforcement: memberEnforcement } of ResolvedPolicy.of(this.registry).segmentSide(segment).members) {
      if (member.platform !== Platform.AWS || memberEnforcement !== enforcement) continue;
      const own = new Set(this.registry.segmentsOf(member));
      for (const m of mappings) if (own.has(m.segment)) found.add(m);
    }
    return [...found].sort((a, b) => compare(`${a.cidr}|${a.segment.node.path}`, `${b.cidr}|${b.segment.node.path}`));
  }

  /**
   * What stops a DenyFlow's network ACL entries: an entry wider than the DenyFlow (a subnet shared
   * with other workloads, a member without a literal address) that would drop an allowed flow, or
   * entries that drop the replies of an allowed flow (network ACLs are stateless).
   */
  private networkAclProblems(deny: DenyFlow): string[] {
    if (deny.problems().length > 0 || grantsOverlapping(this.registry, deny).length > 0) return [];
    const problems: string[] = [];
    for (const enforcement of this.enforcements.filter((e) => e.networkAcls)) {
      const plan = NetworkAclRenderer.of(enforcement).denyPlanner(enforcement).plan(deny, true);
      problems.push(...plan.problems);
      for (const warning of plan.widened) warnOnce(deny, warning);
    }
    return problems;
  }

  private warnUnrenderedAcl(deny: DenyFlow): string[] {
    // only where the deny would otherwise become entries: a segment side mapped to a subnet of an
    // enforcement with network ACLs (not merely any enforcement of the app having them)
    const { from, to } = ResolvedPolicy.of(this.registry).flow(deny);
    const wouldRender = this.enforcements.filter((e) => e.networkAcls).some((e) =>
      (from.segment !== undefined && this.subnetsOf(from.segment, e).length > 0)
      || (to.segment !== undefined && this.subnetsOf(to.segment, e).length > 0));
    if (!wouldRender) return [];
    const grants = grantsOverlapping(this.registry, deny);
    if (grants.length === 0) return [];
    warnOnce(deny, `[microseg:guardrail-nacl-exception] DenyFlow '${deny.node.path}' is not rendered in network ACLs, because GuardrailAllow flow '${grants[0].node.path}' grants part of its traffic and ACL deny entries (1-99) would override it. The security groups' default deny and the synth-time conflict check still enforce it.`);
    return [];
  }
}

/** The AWS enforcements (VPCs) of a side's AWS workloads, each once. */
function awsNetworksOf(side: ResolvedSide): AwsEnforcement[] {
  const networks = new Set<AwsEnforcement>();
  for (const atom of side.atoms) {
    if (atom.kind !== 'workload' || atom.workload.platform !== Platform.AWS) continue;
    const enforcement = AwsEnforcement.of(atom.workload);
    if (enforcement) networks.add(enforcement);
  }
  return [...networks];
}
