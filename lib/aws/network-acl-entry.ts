import { isLiteralPeer } from './stateless-rules';
import { cidrContains } from '../model/cidr';
import { coversPort, portKey, PortSpec } from '../model/ports';

/** Whether an entry lets traffic through or drops it. */
export type AclAction = 'allow' | 'deny';

/**
 * One entry of a network ACL and direction, after exact duplicates collapsed: the flows (or
 * guardrails) that need exactly this content share it.
 */
export interface AclEntry {
  /** Allow (a flow's request or return traffic) or deny (a guardrail). */
  readonly action: AclAction;
  /** The other side: `cidr:10.0.1.0/24`, or `addr:<path>#0` for a Terraform expression. */
  readonly peerKey: string;
  /** The CIDR (or Terraform expression) of the other side. */
  readonly cidr: string;
  /** The ports (ICMP: type and code). */
  readonly spec: PortSpec;
  /** Construct paths of the flows or guardrails the entry serves, sorted. */
  readonly owners: string[];
}

/**
 * What an entry holds: every attribute of an `aws_network_acl_rule` forces replacement, so two
 * entries with the same content are the same entry, and an entry whose content changes is replaced.
 */
export function entryContent(entry: Pick<AclEntry, 'action' | 'peerKey' | 'spec'>): string {
  return `${entry.action}|${entry.peerKey}|${portKey(entry.spec)}`;
}

/**
 * Who an entry is, independent of the parts a user widens or edits: the action, the other side's
 * network address (a CIDR's prefix length left out, so `/24` edited to `/23` is the same entry) and
 * the protocol with the first port (ICMP: the type), so `tcp/8000-8100` widened to `tcp/8000-8200`
 * is the same entry. The entry's construct id derives from it: an edited entry keeps its Terraform
 * address and is replaced in place (create before destroy, with a new rule number), instead of one
 * destroy and one create at two addresses with no order between them.
 */
export function entryIdentity(entry: Pick<AclEntry, 'action' | 'peerKey' | 'cidr' | 'spec'>): string {
  const peer = isLiteralPeer(entry) ? entry.cidr.split('/')[0] : entry.peerKey;
  return `${entry.action}|${peer}|${portSlot(entry.spec)}`;
}

/** The protocol and first port (ICMP: type) of a port spec: `tcp/8000`, `icmp/8`, `all`. */
function portSlot(spec: PortSpec): string {
  return spec.protocol === 'all' ? 'all' : `${spec.protocol}/${spec.from}`;
}

/** Whether `outer` matches every packet `inner` matches (same action; a wider or equal peer and ports). */
export function entryCovers(outer: AclEntry, inner: AclEntry): boolean {
  if (outer.action !== inner.action) return false;
  const peer = outer.peerKey === inner.peerKey || (isLiteralPeer(outer) && isLiteralPeer(inner) && cidrContains(outer.cidr, inner.cidr));
  if (!peer) return false;
  const [o, i] = [outer.spec, inner.spec];
  if (o.protocol === 'all') return true;
  if (o.protocol !== i.protocol) return false;
  if (o.protocol === 'icmp' || o.protocol === 'icmpv6') return o.from === -1 || (o.from === i.from && (o.to === -1 || o.to === i.to));
  return coversPort(o, i.protocol, i.from) && coversPort(o, i.protocol, i.to);
}
