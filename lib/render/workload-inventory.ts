import { Token } from 'cdktf';
import { Inventory } from '../inventory';
import { pathOf } from '../private/path-of';
import { stackOf } from '../registry';
import { Workload } from '../workload';

/** Records a managed workload in the inventory of the stack that holds its bound resource. */
export function recordInventory(workload: Workload): void {
  const stack = workload.resource ? stackOf(workload.resource) : stackOf(workload);
  Inventory.of(stack).addWorkload(pathOf(workload), {
    labels: workload.labels,
    segments: () => workload.segments.map((s) => pathOf(s)),
    binding: workload.resource,
    addresses: workload.addressCidrs.filter((a) => !Token.isUnresolved(a)),
    identity: workload.identity,
  });
}
