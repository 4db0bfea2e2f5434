import { matchAddress } from '../../../estate/address-match';
import { Host } from '../../../estate/host';
import { isSymbolicText } from '../../../model/value';
import { Cidr, cidrContains, cidrOverlaps, isNonPublic, parseCidr, touchesNonPublic } from '../../../net/cidr';
import { MatchLevel, bestMatch } from '../../../net/rule-traffic';
import { AZURE_APPLICATION_SECURITY_GROUP, AZURE_SERVICE_TAG, azureOf } from '../azure-host';

/** One side selector of an NSG rule. */
export type NsgAddress =
  | { readonly kind: 'any' }
  | { readonly kind: 'address'; readonly text: string }
  | { readonly kind: 'tag'; readonly name: string }
  | { readonly kind: 'asg'; readonly identity: string };

/** Classifies an address prefix: `*`, a CIDR/IP (or unresolved expression), or a service tag. */
export function classifyPrefix(text: string): NsgAddress {
  const trimmed = text.trim();
  if (trimmed === '*' || trimmed.toLowerCase() === 'any') return { kind: 'any' };
  if (parseCidr(trimmed) || isSymbolicText(trimmed)) return { kind: 'address', text: trimmed };
  return { kind: 'tag', name: trimmed };
}

/**
 * How a selector matches a host. `VirtualNetwork` covers every Azure NIC and the VNet address spaces;
 * `Internet` covers public addresses outside them and public service tags (Storage, Sql, ...);
 * `AzureLoadBalancer` covers the health probe source `168.63.129.16`; other service tags match only
 * an endpoint given as that tag; ASGs match NICs associated with them.
 */
export function matchNsgAddress(selector: NsgAddress, host: Host, vnetSpaces: readonly string[]): MatchLevel {
  switch (selector.kind) {
    case 'any':
      return 'full';
    case 'asg':
      // an ASG owned elsewhere, asked about by id: only rules naming that id match it
      if (host.namedPeer?.kind === AZURE_APPLICATION_SECURITY_GROUP) return host.namedPeer.value.toLowerCase() === selector.identity.toLowerCase() ? 'full' : 'none';
      return azureOf(host)?.asgs.includes(selector.identity) ? 'full' : 'none';
    case 'address':
      return matchAddress(selector.text, host);
    case 'tag':
      return matchTag(selector.name, host, vnetSpaces);
  }
}

/** Service tags that are not public Azure address space. */
const NON_PUBLIC_TAGS = new Set(['virtualnetwork', 'azureloadbalancer']);

/** The source address of Azure's health probes, which the `AzureLoadBalancer` tag stands for. */
const AZURE_LOAD_BALANCER_PROBE_SOURCE = '168.63.129.16/32';

function matchTag(tag: string, host: Host, vnetSpaces: readonly string[]): MatchLevel {
  const name = tag.toLowerCase();
  const azure = azureOf(host);
  if (host.namedPeer) return namedPeerMatch(name, host.namedPeer.kind, host.namedPeer.value.toLowerCase());
  if (name === 'virtualnetwork') return azure ? 'full' : vnetSpaces.map((space) => matchAddress(space, host)).reduce(bestMatch, 'none' as MatchLevel);
  if (name === 'internet') return azure ? 'none' : internetMatch(host, vnetSpaces);
  // a range wider than the probe source matches partially, which never allows more than the rule
  if (name === 'azureloadbalancer') return azure ? 'none' : matchAddress(AZURE_LOAD_BALANCER_PROBE_SOURCE, host);
  return 'none';
}

/** A service tag endpoint matches its own tag, and `Internet` when it is public Azure address space (Storage, Sql, ...). */
function namedPeerMatch(ruleTag: string, kind: string, peerTag: string): MatchLevel {
  // an ASG's members are NICs of a VNet (the VNet of the NSGs whose rules may name it)
  if (kind === AZURE_APPLICATION_SECURITY_GROUP) return ruleTag === 'virtualnetwork' ? 'full' : 'none';
  if (kind !== AZURE_SERVICE_TAG) return 'none';
  if (peerTag === ruleTag) return 'full';
  return ruleTag === 'internet' && !NON_PUBLIC_TAGS.has(peerTag) ? 'full' : 'none';
}

function internetMatch(host: Host, vnetSpaces: readonly string[]): MatchLevel {
  const spaces = vnetSpaces.map((space) => parseCidr(space)).filter((cidr): cidr is Cidr => cidr !== undefined);
  return host.ranges
    .map((text) => parseCidr(text))
    .filter((range): range is Cidr => range !== undefined)
    .map((range): MatchLevel => {
      if (isNonPublic(range) || spaces.some((space) => cidrContains(space, range))) return 'none';
      return touchesNonPublic(range) || spaces.some((space) => cidrOverlaps(space, range)) ? 'partial' : 'full';
    })
    .reduce(bestMatch, 'none' as MatchLevel);
}
