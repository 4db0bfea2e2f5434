import { cidrContains, familyOf } from '../../model/cidr';
import { EndpointKind, EndpointView } from '../policy-view';

/**
 * Whether every address `inner` stands for is also in `outer`: the same endpoint, a segment or
 * workload whose (non-empty) members are all members of `outer`, or a CIDR inside a CIDR. Peers
 * whose value is an unresolved token are never compared.
 */
export function endpointCovers(outer: EndpointView, inner: EndpointView): boolean {
  if (outer.kind === EndpointKind.PEER || inner.kind === EndpointKind.PEER) {
    if (outer.kind !== EndpointKind.PEER || inner.kind !== EndpointKind.PEER) return false;
    if (outer.unresolved || inner.unresolved || !outer.peer || !inner.peer) return false;
    if (outer.peer.kind === inner.peer.kind && outer.peer.value === inner.peer.value) return true;
    if (!outer.peer.isCidr || !inner.peer.isCidr) return false;
    const family = familyOf(outer.peer.value);
    if (!family || family !== familyOf(inner.peer.value)) return false;
    try {
      return cidrContains(outer.peer.value, inner.peer.value);
    } catch {
      return false;
    }
  }
  if (outer.name === inner.name && outer.kind === inner.kind) return true;
  if (inner.members.length === 0) return false;
  const members = new Set(outer.members);
  return inner.members.every((m) => members.has(m));
}
