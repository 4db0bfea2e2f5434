import { Token } from 'cdktf';
import { PeerKind } from '../../peer';
import { EndpointKind, EndpointView } from '../policy-view';

/** Whether an endpoint stands for every address, and how to say so. */
export interface Openness {
  /** The endpoint includes every IPv4 or every IPv6 address. */
  readonly open: boolean;
  /** Why it cannot be decided, when it cannot. */
  readonly unknown?: string;
  /** What makes it open, quoted for messages (`Peer.anyIpv4()`, `Workload 'a/b' address "0.0.0.0/0"`). */
  readonly what?: string;
}

/** Azure service tags that stand for every internet address. */
const INTERNET_TAGS = ['internet', '*'];

/**
 * Whether an endpoint is "any address": `0.0.0.0/0`, `::/0`, the Azure `Internet` tag, or a segment
 * or workload with an external address of prefix length 0.
 */
export function openness(endpoint: EndpointView): Openness {
  const peer = endpoint.peer;
  if (endpoint.kind === EndpointKind.PEER && peer) {
    if (Token.isUnresolved(peer.value)) {
      return { open: false, unknown: `${peer.expression} is an unresolved token, so its address range is not known at synth` };
    }
    if (peer.kind === PeerKind.IPV4 || peer.kind === PeerKind.IPV6) {
      return prefixLength(peer.value) === 0 ? { open: true, what: `${peer.expression} ("${peer.value}")` } : { open: false };
    }
    if (peer.kind === PeerKind.AZURE_SERVICE_TAG) {
      return INTERNET_TAGS.includes(peer.value.toLowerCase()) ? { open: true, what: `${peer.expression} (every internet address)` } : { open: false };
    }
    if (peer.kind === PeerKind.AWS_PREFIX_LIST) {
      return { open: false, unknown: `${peer.expression} is a managed prefix list whose entries are not known at synth` };
    }
    return { open: false };
  }
  for (const cidr of endpoint.addressCidrs) {
    if (!Token.isUnresolved(cidr) && prefixLength(cidr) === 0) {
      return { open: true, what: `${endpoint.kind === EndpointKind.SEGMENT ? 'a member of ' : ''}'${endpoint.name}' with address "${cidr}"` };
    }
  }
  return { open: false };
}

function prefixLength(cidr: string): number | undefined {
  const parts = cidr.split('/');
  return parts.length === 2 ? Number(parts[1]) : undefined;
}
