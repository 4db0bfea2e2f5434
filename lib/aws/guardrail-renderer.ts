import { TerraformStack, Token } from 'cdktf';
import { DenyFlow } from '../deny-flow';
import { AllowFlow } from '../flow';
import { GuardrailAllow } from '../guardrail-allow';
import { Atom, atomName, commonPorts, grantsOverlapping, overlapOf, portsNotGranted, resolveSide } from '../guardrail-overlap';
import { Platform } from '../platform';
import { PortSpec, portKey } from '../private/port-range';
import { PlatformRenderer, PolicyRegistry, compare } from '../registry';
import { Segment } from '../segment';
import { Workload } from '../workload';
import { AwsEnforcement, AwsSubnetMapping } from './enforcement';
import { NetworkAclDenyPlanner } from './network-acl-deny-plan';
import { NetworkAclRenderer } from './network-acl-renderer';
import { warnOnce } from '../render/app-wide-validation';

/**
 * Guardrails on AWS.
 *
 * Security groups cannot deny: an application `AllowFlow` whose traffic a `DenyFlow` forbids
 * (endpoints overlap through membership, ports overlap, no `GuardrailAllow` grants it) between
 * members of which at least one is an AWS workload fails synthesis, naming both constructs. The
 * check runs at synth, when every construct exists, so declaration order does not matter.
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

  public constructor(private readonly registry: PolicyRegistry) {}

  public onWorkload(_workload: Workload): void {}

  public onFlow(_flow: AllowFlow): void {
    // a flow may make a wider deny entry drop allowed traffic, or a GuardrailAllow lift a deny
    if (this.denies.length > 0) this.renderAll();
  }

  public onEnforcement(stack: TerraformStack): void {
    const enforcement = AwsEnforcement.of(stack);
    if (!enforcement || this.enforcements.includes(enforcement)) return;
    this.enforcements.push(enforcement);
    enforcement._watchSubnets(() => this.renderAll());
  }

  public onMembership(_workload: Workload, _segment: Segment): void {
    if (this.denies.length > 0) this.renderAll();
  }

  public onDenyFlow(deny: DenyFlow): void {
    this.denies.push(deny);
    deny.node.addValidation({ validate: () => this.conflicts(deny) });
    deny.node.addValidation({ validate: () => this.warnUnrenderedAcl(deny) });
    deny.node.addValidation({ validate: () => this.networkAclProblems(deny) });
    this.renderAll();
  }

  // ---------------------------------------------------------------------------------------------
  // Security groups: conflicts are synth errors
  // ---------------------------------------------------------------------------------------------

  private conflicts(deny: DenyFlow): string[] {
    if (deny.problems().length > 0) return [];
    const denyFrom = resolveSide(this.registry, deny.from);
    const denyTo = resolveSide(this.registry, deny.to);
    const problems: string[] = [];
    const flows = [...this.registry.flows].filter((f) => !GuardrailAllow.isGuardrailFlow(f) && f.problems().length === 0);
    for (const flow of flows.sort((a, b) => compare(a.node.path, b.node.path))) {
      const ports = commonPorts(flow, deny);
      if (ports.length === 0) continue;
      const sources = overlapOf(resolveSide(this.registry, flow.from), denyFrom);
      const destinations = overlapOf(resolveSide(this.registry, flow.to), denyTo);
      const hit = this.firstConflict(sources, destinations, ports);
      if (!hit) continue;
      problems.push(`AllowFlow '${flow.node.path}' allows ${hit.ports.map(portKey).join(', ')} from ${atomName(hit.source)} to ${atomName(hit.destination)}, which DenyFlow '${deny.node.path}' ("${deny.description}") forbids. AWS security groups cannot deny, so the flow would override the guardrail. Remove the flow or narrow its ports or endpoints, or ask the platform team for a GuardrailAllow that grants it.`);
    }
    return problems;
  }

  private firstConflict(sources: Atom[], destinations: Atom[], ports: PortSpec[]): Conflict | undefined {
    for (const source of sources) {
      for (const destination of destinations) {
        if (source.kind === 'workload' && destination.kind === 'workload' && source.workload === destination.workload) continue;
        if (!isAws(source) && !isAws(destination)) continue; // denied by the platform's own deny rules
        const left = portsNotGranted(this.registry, source, destination, ports);
        if (left.length > 0) return { source, destination, ports: left };
      }
    }
    return undefined;
  }

  // ---------------------------------------------------------------------------------------------
  // Network ACLs: deny entries 1-99
  // ---------------------------------------------------------------------------------------------

  /** Re-plans the deny entries of every DenyFlow in every enforcement with network ACLs. */
  private renderAll(): void {
    if (this.denies.length === 0) return;
    for (const enforcement of this.enforcements) {
      if (!enforcement.networkAcls) continue;
      const planner = new NetworkAclDenyPlanner(this.registry, enforcement);
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
    for (const member of this.registry.membersOf(segment)) {
      if (member.platform !== Platform.AWS || AwsEnforcement.of(member) !== enforcement) continue;
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
      const plan = new NetworkAclDenyPlanner(this.registry, enforcement).plan(deny, true);
      problems.push(...plan.problems);
      for (const warning of plan.widened) warnOnce(deny, warning);
    }
    return problems;
  }

  private warnUnrenderedAcl(deny: DenyFlow): string[] {
    // only where the deny would otherwise become entries: a segment side mapped to a subnet of an
    // enforcement with network ACLs (not merely any enforcement of the app having them)
    const wouldRender = this.enforcements.filter((e) => e.networkAcls).some((e) =>
      (deny.fromSegment !== undefined && this.subnetsOf(deny.fromSegment, e).length > 0)
      || (deny.toSegment !== undefined && this.subnetsOf(deny.toSegment, e).length > 0));
    if (!wouldRender) return [];
    const grants = grantsOverlapping(this.registry, deny);
    if (grants.length === 0) return [];
    warnOnce(deny, `[microseg:guardrail-nacl-exception] DenyFlow '${deny.node.path}' is not rendered in network ACLs, because GuardrailAllow flow '${grants[0].node.path}' grants part of its traffic and ACL deny entries (1-99) would override it. The security groups' default deny and the synth-time conflict check still enforce it.`);
    return [];
  }
}

/** Traffic an application flow allows and a guardrail forbids. */
interface Conflict {
  readonly source: Atom;
  readonly destination: Atom;
  readonly ports: PortSpec[];
}

function isAws(atom: Atom): boolean {
  return atom.kind === 'workload' && atom.workload.platform === Platform.AWS;
}

PolicyRegistry.registerRenderer((registry) => new GuardrailRenderer(registry));
