import { AclEntry, entryContent, entryCovers, entryIdentity } from './network-acl-entry';
import { isLiteralPeer } from './stateless-rules';
import { cidrContains } from '../model/cidr';
import { intersectPortSpecs, parsePortKey, portKey } from '../model/ports';
import { appendTo } from '../private/multimap';
import { compare } from '../registry';

/** What the previous synthesis knew of the entries of one ACL direction and action. */
export interface PreviousEntries {
  /** The contents that had a rule number. */
  readonly contents: ReadonlySet<string>;
  /** The contents that held their identity's plain address. */
  readonly plainHolders: ReadonlySet<string>;
  /** The address (without direction) of each content that held one its own content does not name. */
  readonly adopted: ReadonlyMap<string, string>;
}

/** An entry destroyed while another, created at another address, keeps part of its traffic. */
export interface AclEntryWindow {
  /** The content of the entry that goes. */
  readonly gone: string;
  /** The entry that comes. */
  readonly created: AclEntry;
  /** The traffic both match, as `peer ports`. */
  readonly common: string;
}

/** Where the entries of one ACL direction and action live, and what the allocation file must remember. */
export interface AclEntryAddresses {
  /** The entries by address (without direction): their identity, `identity~content`, or an adopted address. */
  readonly byAddress: Map<string, AclEntry>;
  /** The contents that hold their identity's plain address. */
  readonly plainHolders: string[];
  /** The address of each content that holds one its own content does not name (it replaced an entry there). */
  readonly adopted: Map<string, string>;
  /** Replacements Terraform cannot order: the old entry and the new one live at two addresses. */
  readonly windows: AclEntryWindow[];
}

/**
 * Gives each entry of one ACL direction and action its Terraform address (its construct id).
 * Every attribute of an `aws_network_acl_rule` forces replacement, so an entry whose content
 * changes is replaced, and only a replacement at the same address is created before the old entry
 * goes; at two addresses the destroy and the create have no order. Hence:
 * - an entry whose content lived keeps the address it had;
 * - the plain address of an identity (see `entryIdentity`) whose holder went passes to a new entry
 *   of the identity (a widened range, an edited prefix length);
 * - a new entry that shares traffic with an entry that went takes that entry's address, so a range
 *   whose first port moves, or a CIDR peer widened to another network address, is one replacement
 *   too; what it adopts is remembered, since its content no longer names it;
 * - otherwise an entry takes its identity's plain address when free, else `identity~content`.
 * What is still destroyed at one address while traffic it shares with a new entry is created at
 * another comes back as windows, so the synthesis can name the flows that drop.
 */
export function addressAclEntries(entries: readonly AclEntry[], previous: PreviousEntries): AclEntryAddresses {
  // each content made once: the sorts below compare them many times over
  const entryContents = new Map(entries.map((entry) => [entry, entryContent(entry)]));
  const contentOf = (entry: AclEntry) => entryContents.get(entry)!;
  const sorted = [...entries].sort((a, b) => compare(contentOf(a), contentOf(b)));
  const contents = new Set(sorted.map(contentOf));
  const previousAddress = (content: string) => {
    const adopted = previous.adopted.get(content);
    if (adopted !== undefined) return adopted;
    const identity = entryIdentity(entryOfContent(content));
    return previous.plainHolders.has(content) ? identity : `${identity}~${content}`;
  };
  const byAddress = new Map<string, AclEntry>();
  const addressOf = new Map<AclEntry, string>();
  const place = (entry: AclEntry, address: string) => {
    byAddress.set(address, entry);
    addressOf.set(entry, address);
  };

  const fresh: AclEntry[] = [];
  for (const entry of sorted) {
    if (previous.contents.has(contentOf(entry))) place(entry, previousAddress(contentOf(entry)));
    else fresh.push(entry);
  }
  // addresses of entries that went, with the content that held them, sorted by address
  const freed = new Map<string, string>();
  for (const content of [...previous.contents].sort(compare)) {
    if (contents.has(content)) continue;
    const address = previousAddress(content);
    if (!byAddress.has(address)) freed.set(address, content);
  }
  const take = (entry: AclEntry, address: string) => {
    place(entry, address);
    freed.delete(address);
  };

  // an identity's plain address passes to a new entry of the identity
  for (const [identity, group] of groupByIdentity(fresh)) {
    if (!freed.has(identity)) continue;
    take(plainCandidate(group, contentOf)!, identity);
  }
  // a new entry replaces, at its address, an entry that went and shared traffic with it
  for (const entry of fresh) {
    if (addressOf.has(entry)) continue;
    const address = [...freed.keys()].sort(compare).find((a) => commonTraffic(entryOfContent(freed.get(a)!), entry) !== undefined);
    if (address !== undefined) take(entry, address);
  }
  // the rest: the identity's plain address when free, else one named by the content
  for (const [identity, group] of groupByIdentity(fresh.filter((entry) => !addressOf.has(entry)))) {
    const primary = byAddress.has(identity) || freed.has(identity) ? undefined : plainCandidate(group, contentOf);
    for (const entry of group) {
      if (entry === primary) {
        place(entry, identity);
        continue;
      }
      let address = `${identity}~${contentOf(entry)}`;
      for (let n = 2; byAddress.has(address) || freed.has(address); n++) address = `${identity}~${contentOf(entry)}#${n}`;
      place(entry, address);
    }
  }

  const plainHolders: string[] = [];
  const adopted = new Map<string, string>();
  for (const [address, entry] of byAddress) {
    const identity = entryIdentity(entry);
    if (address === identity) plainHolders.push(contentOf(entry));
    else if (address !== `${identity}~${contentOf(entry)}`) adopted.set(contentOf(entry), address);
  }

  const kept = sorted.filter((entry) => previous.contents.has(contentOf(entry)));
  const windows: AclEntryWindow[] = [];
  for (const content of [...previous.contents].sort(compare)) {
    if (contents.has(content)) continue;
    const gone = entryOfContent(content);
    for (const entry of fresh) {
      if (addressOf.get(entry) === previousAddress(content)) continue; // replaced in place: created first
      const common = commonTraffic(gone, entry);
      if (!common || kept.some((k) => entryCovers(k, common))) continue;
      windows.push({ gone: content, created: entry, common: `${common.cidr} ${portKey(common.spec)}` });
    }
  }
  return { byAddress, plainHolders: plainHolders.sort(compare), adopted, windows };
}

/** The entry a content names (see `entryContent`): its action, peer and ports; it serves no one. */
export function entryOfContent(content: string): AclEntry {
  const parts = content.split('|');
  const action = parts[0] as AclEntry['action'];
  const peerKey = parts.slice(1, -1).join('|');
  const spec = parsePortKey(parts[parts.length - 1]);
  if ((action !== 'allow' && action !== 'deny') || !spec) throw new Error(`not a network ACL entry content: ${content}`);
  return { action, peerKey, cidr: isLiteralPeer({ peerKey }) ? peerKey.slice('cidr:'.length) : peerKey, spec, owners: [] };
}

/** The traffic two entries of one action both match, as an entry, or `undefined` when they share none. */
function commonTraffic(a: AclEntry, b: AclEntry): AclEntry | undefined {
  if (a.action !== b.action) return undefined;
  let peer: AclEntry | undefined;
  if (a.peerKey === b.peerKey) {peer = a;} else if (isLiteralPeer(a) && isLiteralPeer(b)) {
    if (cidrContains(a.cidr, b.cidr)) peer = b;
    else if (cidrContains(b.cidr, a.cidr)) peer = a;
  }
  const spec = peer && intersectPortSpecs(a.spec, b.spec);
  return peer && spec ? { ...peer, spec, owners: [] } : undefined;
}

function groupByIdentity(entries: readonly AclEntry[]): [string, AclEntry[]][] {
  const groups = new Map<string, AclEntry[]>();
  for (const entry of entries) {
    appendTo(groups, entryIdentity(entry), entry);
  }
  return [...groups.entries()].sort((a, b) => compare(a[0], b[0]));
}

/**
 * Which of the entries of one identity takes the plain address: the one that covers all the others
 * (so that handing the address over never leaves traffic uncovered), else the first by content.
 */
function plainCandidate(entries: readonly AclEntry[], contentOf: (entry: AclEntry) => string): AclEntry | undefined {
  const sorted = [...entries].sort((a, b) => compare(contentOf(a), contentOf(b)));
  return sorted.find((outer) => sorted.every((inner) => entryCovers(outer, inner))) ?? sorted[0];
}
