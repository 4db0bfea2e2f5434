import { Token } from 'cdktf';
import { Inventory } from '../inventory';
import { stackOf } from '../registry';
import { Workload } from '../workload';

/** Records a managed workload in the inventory of the stack that holds its bound resource. */
export function recordInventory(workload: Workload): void {
  const stack = workload.resource ? stackOf(workload.resource) : stackOf(workload);
  Inventory.of(stack).addWorkload(workload.node.path, {
    labels: workload.labels,
    segments: () => workload.segments.map((s) => s.node.path),
    binding: workload.resource,
    addresses: workload.addressCidrs.filter((a) => !Token.isUnresolved(a)),
    identity: workload.identity,
  });
}
