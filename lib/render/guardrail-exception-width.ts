import { Annotations } from 'cdktf';
import { IConstruct } from 'constructs';
import { MicrosegSuppressions } from '../checks/suppressions';
import { AllowFlow } from '../flow';
import type { GcpEnforcement } from '../gcp/enforcement';
import { GuardrailAllow } from '../guardrail-allow';
import { hostFirewallRuns } from '../host/host-platform-use';
import { ExceptionLayer, widenedExceptionProblems } from '../model/guardrail-exception-width';
import { Platform } from '../platform';
import { PlatformRenderer, PolicyRegistry } from '../registry';
import { deniesAt, platformEnforcementOf } from './denies-at';
import { grantFlows } from './guardrail-sides';
import { oncePerDeclarationState } from './once-per-declarations';
import { Flow, ResolvedPolicy } from './resolve-policy';
import { UNPROVEN_GUARDRAIL } from './unproven-guardrail';
import { Workload } from '../workload';

/**
 * Adds the model's check that a GuardrailAllow's exception is no wider than its sides
 * (`lib/model/guardrail-exception-width.ts`) to every GuardrailAllow, evaluated at synth: an error
 * where the range certainly holds hosts the DenyFlow forbids, a warning where only addresses known
 * at apply would tell.
 */
export class GuardrailExceptionWidthCheck implements PlatformRenderer {
  /** The app's DenyFlows and GuardrailAllow flows, resolved: every GuardrailAllow is checked against them. */
  private readonly resolvedGuardrails: () => { readonly denies: Flow[]; readonly grants: Flow[] };

  public constructor(private readonly registry: PolicyRegistry) {
    this.resolvedGuardrails = oncePerDeclarationState(registry, () => {
      const policy = ResolvedPolicy.of(registry);
      return {
        denies: registry.denyFlows.map((deny) => policy.flow(deny)),
        grants: grantFlows(registry).map((f) => policy.flow(f)),
      };
    });
  }

  /** Checks a GuardrailAllow's flow when the app is synthesized (every member is known by then). */
  public onFlow(flow: AllowFlow): void {
    if (!GuardrailAllow.isGuardrailFlow(flow)) return;
    const guardrail = flow.node.scope as GuardrailAllow;
    flow.node.addValidation({
      validate: () => this.problemsOf(flow).flatMap(({ text, certain }) => {
        const message = `GuardrailAllow '${guardrail.node.path}' ${text}`;
        if (certain) return [message];
        const unproven = `[${UNPROVEN_GUARDRAIL}] ${message} If the range never holds them, suppress with a reason: MicrosegSuppressions.addSuppressions(guardrail, [{ id: '${UNPROVEN_GUARDRAIL}', reason: '...' }]).`;
        const suppression = MicrosegSuppressions.suppressionFor(flow, UNPROVEN_GUARDRAIL);
        if (!suppression) return [unproven];
        infoOnce(guardrail, `[${UNPROVEN_GUARDRAIL}] suppressed: ${suppression.reason} (on '${suppression.addedTo}'; finding: ${message})`);
        return [];
      }),
    });
  }

  /** Nothing to do for a deny (the check runs at synth, over every deny). */
  public onDenyFlow(): void {}

  /** Nothing to do for a workload. */
  public onWorkload(): void {}

  /** Nothing to do for a membership (the check runs at synth). */
  public onMembership(): void {}

  /** Nothing to do for an enforcement. */
  public onEnforcement(): void {}

  private problemsOf(flow: AllowFlow) {
    if (flow.problems().length > 0 || this.registry.denyFlows.length === 0) return [];
    const policy = ResolvedPolicy.of(this.registry);
    const { denies, grants } = this.resolvedGuardrails();
    return widenedExceptionProblems(
      policy.flow(flow), denies, grants, (at) => layersAt(policy, at), (workload) => deniesAt(policy, workload), this.registry.workloads,
    );
  }
}

/**
 * The layers that render a workload's rules, each with whether it names another workload by
 * identity: its platform's (exactly the members of its own enforcement, except a Google Cloud
 * hierarchical policy, which names every side by address) and a host firewall (always by address).
 */
function layersAt(policy: ResolvedPolicy, at: Workload): Array<ExceptionLayer<Workload>> {
  const layers: Array<ExceptionLayer<Workload>> = [];
  const enforcement = platformEnforcementOf(policy, at);
  if (enforcement) {
    const hierarchy = at.platform === Platform.GCP ? (enforcement as GcpEnforcement).hierarchyParent : undefined;
    if (hierarchy !== undefined) {
      layers.push({ name: `the hierarchical firewall policy of ${hierarchy}`, exact: () => false, ownByAddress: `gcp-hierarchy:${enforcement.node.path}` });
    } else {
      const name = at.platform === Platform.KUBERNETES ? 'Kubernetes network policy' : policy.capabilities()[at.platform]?.name ?? at.platform;
      layers.push({ name, exact: (member) => member.platform === at.platform && platformEnforcementOf(policy, member) === enforcement });
    }
  }
  if (hostFirewallRuns(at)) layers.push({ name: 'the host firewall', exact: () => false });
  return layers;
}

/** Adds an info annotation to a construct unless the same one is there (validations can run twice). */
function infoOnce(construct: IConstruct, message: string): void {
  if (!construct.node.metadata.some((m) => m.data === message)) Annotations.of(construct).addInfo(message);
}
