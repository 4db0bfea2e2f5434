import { AllowFlow } from '../flow';
import { GuardrailAllow } from '../guardrail-allow';
import { widenedExceptionProblems } from '../model/guardrail-exception-width';
import { SideMember } from '../model/policy-side';
import { Platform } from '../platform';
import { PlatformRenderer, PolicyRegistry } from '../registry';
import { ResolvedPolicy } from './resolve-policy';
import { Workload } from '../workload';

/**
 * Adds the model's check that a GuardrailAllow's exception is no wider than its sides
 * (`lib/model/guardrail-exception-width.ts`) to every GuardrailAllow, evaluated at synth.
 */
export class GuardrailExceptionWidthCheck implements PlatformRenderer {
  public constructor(private readonly registry: PolicyRegistry) {}

  /** Checks a GuardrailAllow's flow when the app is synthesized (every member is known by then). */
  public onFlow(flow: AllowFlow): void {
    if (!GuardrailAllow.isGuardrailFlow(flow)) return;
    const guardrail = flow.node.scope as GuardrailAllow;
    flow.node.addValidation({ validate: () => this.problemsOf(flow).map((p) => `GuardrailAllow '${guardrail.node.path}' ${p}`) });
  }

  /** Nothing to do for a deny (the check runs at synth, over every deny). */
  public onDenyFlow(): void {}

  /** Nothing to do for a workload. */
  public onWorkload(): void {}

  /** Nothing to do for a membership (the check runs at synth). */
  public onMembership(): void {}

  /** Nothing to do for an enforcement. */
  public onEnforcement(): void {}

  private problemsOf(flow: AllowFlow): string[] {
    if (flow.problems().length > 0 || this.registry.denyFlows.length === 0) return [];
    const policy = ResolvedPolicy.of(this.registry);
    const denies = this.registry.denyFlows.map((deny) => policy.flow(deny));
    // an end renders rules when its platform has an enforcement there, or it is a server with its own firewall
    const rendersAt = (member: SideMember<Workload, unknown>) => member.enforcement !== undefined
      || (member.workload.platform === Platform.EXTERNAL && member.workload.binding !== undefined);
    return widenedExceptionProblems(policy.flow(flow), denies, rendersAt);
  }
}
