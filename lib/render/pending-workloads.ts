import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { appendTo } from '../private/multimap';
import { PlatformRenderer, PolicyRegistry, stackOf } from '../registry';
import { Workload } from '../workload';

/** How {@link PendingWorkloads} finds a platform's enforcement and words its absence. */
export interface PendingWorkloadsOptions<E> {
  /** The enforcement of the platform in the stack of `scope`, if any (`XEnforcement.of`). */
  readonly enforcementOf: (scope: Construct) => E | undefined;
  /** The synth error of a workload whose stack never gets an enforcement of the platform. */
  readonly missing: (workload: Workload) => string;
}

/**
 * The workloads of one platform that wait for their stack's enforcement. A workload declared
 * before the enforcement of its stack waits here; when the enforcement is declared, the renderer
 * enrolls it and hears its memberships again. A workload whose stack never gets one fails
 * synthesis with the platform's own message.
 */
export class PendingWorkloads<E> {
  private readonly waiting = new Map<TerraformStack, Workload[]>();

  /** Creates the waiting list of one renderer. */
  public constructor(private readonly registry: PolicyRegistry, private readonly options: PendingWorkloadsOptions<E>) {}

  /**
   * The enforcement of the workload's stack; without one (yet), the workload waits for it and a
   * validation reports it if it never comes.
   */
  public enforcementOf(workload: Workload): E | undefined {
    const enforcement = this.options.enforcementOf(workload);
    if (enforcement) return enforcement;
    appendTo(this.waiting, stackOf(workload), workload);
    workload.node.addValidation({
      validate: () => this.options.enforcementOf(workload) ? [] : [this.options.missing(workload)],
    });
    return undefined;
  }

  /**
   * Hands every workload that waited for the enforcement of `stack` to `enroll`, then replays its
   * memberships to `renderer`; each workload is released once.
   */
  public release(stack: TerraformStack, enroll: (workload: Workload) => void, renderer: Pick<PlatformRenderer, 'onMembership'>): void {
    const waiting = this.waiting.get(stack) ?? [];
    this.waiting.delete(stack);
    for (const workload of waiting) {
      enroll(workload);
      for (const segment of this.registry.segmentsOf(workload)) renderer.onMembership(workload, segment);
    }
  }
}
