import { DenyFlow } from '../deny-flow';
import { AllowFlow } from '../flow';
import { Platform } from '../platform';
import { PlatformRenderer, PolicyRegistry } from '../registry';
import { Segment } from '../segment';
import { Workload } from '../workload';

/** How each managed platform's workload gets addresses, for error messages. */
const ADDRESS_EXAMPLE: Record<string, string> = {
  [Platform.AWS]: 'instance.privateIp',
  [Platform.AZURE]: 'nic.privateIpAddress',
  [Platform.NSX]: 'vm.defaultIpAddress',
};

/** Platforms that render a DenyFlow as deny rules naming the other side by address. */
const DENYING_PLATFORMS = new Set<Platform>([Platform.AZURE, Platform.NSX]);

/**
 * The one rule for flows across platforms: each platform renders its half naming the other side's
 * workloads by their addresses, so a managed member of one side without addresses, when the other
 * side has members rendered by another platform, would leave that platform's half out silently.
 * That is an error, whichever direction the flow goes. For a DenyFlow only platforms that render
 * deny rules need the addresses (AWS security groups cannot deny; see the guardrail conflict check).
 */
export function crossPlatformAddressProblems(registry: PolicyRegistry, flow: AllowFlow | DenyFlow): string[] {
  const problems: string[] = [];
  const deny = DenyFlow.isDenyFlow(flow);
  const sides: Array<[Segment | undefined, Segment | undefined]> = [[flow.fromSegment, flow.toSegment], [flow.toSegment, flow.fromSegment]];
  for (const [side, other] of sides) {
    if (!side || !other) continue;
    const otherPlatforms = [...new Set(registry.membersOf(other).map((m) => m.platform))]
      .filter((p) => p in ADDRESS_EXAMPLE && (!deny || DENYING_PLATFORMS.has(p)))
      .sort();
    for (const member of registry.membersOf(side)) {
      if (!(member.platform in ADDRESS_EXAMPLE) || member.addressCidrs.length > 0) continue;
      const renderers = otherPlatforms.filter((p) => p !== member.platform);
      if (renderers.length === 0) continue;
      const problem = `needs the addresses of workload '${member.node.path}' (${member.platform}) for the ${renderers.join(' and ')} rules of its other side, but it has none. ${addressFix(member)}`;
      if (!problems.includes(problem)) problems.push(problem);
    }
  }
  return problems;
}

/** How to give a member addresses: its binding's way (the subnets of a resource without a fixed address), else the workload's addresses. */
export function addressFix(member: Workload): string {
  const hint = member.binding?.addressHint;
  if (hint) return `Give ${hint}.`;
  // a binding may say how its resource is addressed (a scale set by the CIDRs of its subnets)
  const example = (member.binding as { addressExample?: string } | undefined)?.addressExample ?? ADDRESS_EXAMPLE[member.platform] ?? '"10.0.1.10"';
  return `Give the workload addresses, for example addresses: [${example}].`;
}

/** Adds the cross-platform address check to every flow and guardrail deny, evaluated at synth. */
export class CrossPlatformAddressCheck implements PlatformRenderer {
  public constructor(private readonly registry: PolicyRegistry) {}

  /** Checks a flow when the app is synthesized (every member is known by then). */
  public onFlow(flow: AllowFlow): void {
    this.watch(flow, 'AllowFlow');
  }

  /** Checks a guardrail deny when the app is synthesized. */
  public onDenyFlow(deny: DenyFlow): void {
    this.watch(deny, 'DenyFlow');
  }

  /** Nothing to do for a workload. */
  public onWorkload(): void {}

  /** Nothing to do for a membership (the check runs at synth). */
  public onMembership(): void {}

  /** Nothing to do for an enforcement. */
  public onEnforcement(): void {}

  private watch(flow: AllowFlow | DenyFlow, kind: string): void {
    flow.node.addValidation({
      validate: () => (flow.problems().length > 0 ? [] : crossPlatformAddressProblems(this.registry, flow).map((p) => `${kind} '${flow.node.path}' ${p}`)),
    });
  }
}
