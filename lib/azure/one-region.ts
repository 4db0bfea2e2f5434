import { Token } from 'cdktf';
import { Workload } from '../workload';
import { describeBound } from './bound-resource';
import type { AzureEnforcement } from './enforcement';
import { byPath } from '../private/path-of';

/**
 * The problem of an enforcement whose `location` is not the region of a resource it attaches its
 * ASGs and NSGs to: Azure refuses to associate a NIC (or a scale set's, an endpoint's) with an ASG
 * of another region. Only literal locations are compared (`West Europe` and `westeurope` are one
 * region); a location known at apply is Azure's to check.
 */
export function otherRegionProblems(enforcement: AzureEnforcement, workloads: readonly Workload[]): string[] {
  const own = regionOf(enforcement.location);
  if (own === undefined) return [];
  for (const workload of [...workloads].sort(byPath)) {
    const location: unknown = (workload.resource as { locationInput?: unknown } | undefined)?.locationInput;
    if (typeof location !== 'string') continue;
    const theirs = regionOf(location);
    if (theirs === undefined || theirs === own) continue;
    return [`AzureEnforcement '${enforcement.node.path}' has location "${enforcement.location}", but ${describeBound(workload)} of workload '${workload.node.path}' is in "${location}". Its ASGs and NSGs must be in the region of the NICs they attach to, or Azure rejects the associations at apply. Set the enforcement's location to "${location}" (the VNet's region), or declare the workloads of each region in a stack of their own with its own AzureEnforcement.`];
  }
  return [];
}

/** An Azure region as one name (`West Europe` is `westeurope`); undefined when known only at apply. */
function regionOf(location: string): string | undefined {
  return Token.isUnresolved(location) ? undefined : location.replace(/\s+/g, '').toLowerCase();
}
