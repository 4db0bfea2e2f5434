import { DenyFlow } from '../deny-flow';
import { AllowFlow } from '../flow';
import { PlatformRenderer, PolicyRegistry } from '../registry';
import { ResolvedPolicy } from './resolve-policy';
import { Workload } from '../workload';

/**
 * Adds the model's cross-platform address rule (`lib/model/cross-platform-addresses.ts`) to every
 * flow and guardrail deny, evaluated at synth.
 */
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
      validate: () => (flow.problems().length > 0 ? [] : ResolvedPolicy.of(this.registry).crossPlatformAddressProblems(flow).map((p) => `${kind} '${flow.node.path}' ${p}`)),
    });
  }
}

/**
 * How a member without addresses gets them, when its binding knows better than the platform's
 * example: the subnet CIDRs of a resource without a fixed address (a Lambda function, a scale set).
 */
export function addressAdvice(member: Workload): string | undefined {
  const hint = member.binding?.addressHint;
  if (hint) return `Give ${hint}.`;
  const example = (member.binding as { addressExample?: string } | undefined)?.addressExample;
  return example ? `Give the workload addresses, for example addresses: [${example}].` : undefined;
}
