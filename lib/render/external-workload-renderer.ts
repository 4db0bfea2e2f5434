import { Platform } from '../platform';
import { PlatformRenderer } from '../registry';
import { Workload } from '../workload';
import { recordInventory } from './workload-inventory';

/**
 * Hosts outside every managed platform (workloads with only `addresses`) render no resource of
 * their own: other platforms' rules address them. They are still named in the inventory, so the
 * evaluator and the `microseg` command accept their construct paths.
 */
export class ExternalWorkloadRenderer implements PlatformRenderer {
  /** Records an address-only workload. */
  public onWorkload(workload: Workload): void {
    if (workload.platform === Platform.EXTERNAL) recordInventory(workload);
  }

  /** Nothing to render for a membership. */
  public onMembership(): void {}

  /** Nothing to render for a flow. */
  public onFlow(): void {}

  /** No enforcement of its own. */
  public onEnforcement(): void {}
}
