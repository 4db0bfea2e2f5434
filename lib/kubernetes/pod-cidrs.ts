import { Token } from 'cdktf';
import { cidrContainsValid, familyOf } from '../model/cidr';

/**
 * How many of a cluster's pods a CIDR holds, judged by the cluster's pod CIDRs: `all` (every pod
 * CIDR of its family lies inside it), `none` (it overlaps none of them), or `some` (it overlaps
 * part of one, or a pod CIDR is known only at apply, so which pods it holds cannot be told).
 */
export type PodsHeld = 'all' | 'some' | 'none';

/**
 * The pods of a cluster with pod CIDRs `podCidrs` that `cidr` holds. A cluster without pod CIDRs
 * follows the shared model of a workload without addresses: `0.0.0.0/0` holds its pods, any other
 * CIDR none. A pod's address is an address of one pod CIDR of each of the cluster's families, so a
 * CIDR that holds every pod CIDR of its family holds every pod.
 */
export function podsHeldBy(cidr: string, podCidrs: readonly string[]): PodsHeld {
  const family = Token.isUnresolved(cidr) ? undefined : familyOf(cidr);
  if (!family) return 'none'; // an expression or an invalid CIDR: the shared model matches no workload to it
  const unknown = podCidrs.some((p) => Token.isUnresolved(p));
  if (unknown) return cidr.endsWith('/0') ? 'all' : 'some';
  if (podCidrs.length === 0) return cidr === '0.0.0.0/0' ? 'all' : 'none';
  const own = podCidrs.filter((p) => familyOf(p) === family);
  if (own.length > 0 && own.every((p) => cidrContainsValid(cidr, p))) return 'all';
  return own.some((p) => cidrContainsValid(p, cidr) || cidrContainsValid(cidr, p)) ? 'some' : 'none';
}
