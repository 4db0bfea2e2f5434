import { TerraformElement } from 'cdktf';
import { makeUniqueId } from 'cdktf/lib/private/unique';
import { identityWithinStack } from '../private/identity-clashes';
import { Workload } from '../workload';

/**
 * Gives an element a renderer creates inside a workload's scope (NSX VM tags, an ASG association)
 * the Terraform address it would have if the workload stood at the path its identity names. A
 * workload renamed or moved that keeps its `stableId` (its former path) then keeps these resources,
 * as it keeps every other resource derived from its identity, instead of destroying and creating
 * them (which drops its traffic while the apply runs). Without a `stableId` nothing changes. Two
 * workloads whose identities read the same within a stack are refused (lib/private/identity-clashes.ts).
 */
export function addressByIdentity(workload: Workload, element: TerraformElement): void {
  if (workload.identity === workload.node.path) return;
  const identity = identityWithinStack(workload);
  const scopes = element.node.scopes;
  const below = scopes.slice(scopes.indexOf(workload) + 1).map((scope) => scope.node.id);
  // the same function cdktf allocates logical ids with, over the identity's path
  element.overrideLogicalId(makeUniqueId([...identity.split('/'), ...below]));
}
