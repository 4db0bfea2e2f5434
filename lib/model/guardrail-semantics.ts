import { cidrContains, familyOf } from './cidr';
import { PortSpec, intersectPortLists } from './ports';

/**
 * What the model needs to know of a workload: its name, its platform and its addresses (host
 * CIDRs, some of which may be Terraform expressions known only at apply).
 */
export interface ModelWorkload {
  /** The name used in messages (the construct path). */
  readonly endpointName: string;
  /** The platform of its binding (`external` for a host known only by its addresses). */
  readonly platform: string;
  /** Its addresses as host CIDRs; may hold Terraform expressions. */
  readonly addressCidrs: readonly string[];
  /**
   * Literal addresses its bound resource's configuration gives (an instance's `private_ip`), as
   * host CIDRs: it has them whatever `addressCidrs` says, so they too tell which CIDRs hold it.
   * @default none
   */
  readonly configuredAddressCidrs?: readonly string[];
  /**
   * Those of `addressCidrs` that are ranges it shares with other hosts rather than addresses of its
   * own (its cluster's pod CIDRs, the subnets of a resource without a fixed address): a rule naming
   * them admits those hosts too.
   * @default none
   */
  readonly sharedAddressCidrs?: readonly string[];
  /**
   * Where the shared ranges come from, for messages (`the pod CIDRs of KubernetesEnforcement 'k/Cluster'`).
   * @default none
   */
  readonly sharedAddressOrigin?: string;
  /**
   * CIDRs that hold its addresses when none is known at synth (the subnet of an instance without a
   * literal private IP): a CIDR covering one holds it, one inside it perhaps does, and one of the
   * same family outside every one does not.
   * @default none
   */
  readonly addressRanges?: readonly string[];
  /**
   * CIDRs that hold its addresses of a family it may or may not have, as synthesis can tell (the
   * subnet's IPv6 CIDR of an instance whose `ipv6_address_count` is an expression): a CIDR that
   * overlaps one perhaps holds it.
   * @default none
   */
  readonly possibleAddressRanges?: readonly string[];
  /**
   * Whether it has no IPv4 address at all (an instance in an IPv6-only subnet): `0.0.0.0/0` does
   * not hold it.
   * @default false
   */
  readonly withoutIpv4?: boolean;
}

/** The addresses of a workload known at synth: its literal `addressCidrs` and the configured ones. */
function literalAddressesOf(workload: ModelWorkload): string[] {
  return [...workload.addressCidrs.filter((a) => !isExpression(a)), ...(workload.configuredAddressCidrs ?? [])];
}

/**
 * One concrete end of traffic: a workload, a literal CIDR, or another peer (prefix list, service
 * tag, or an address known only at apply: `expression`). A CIDR with `except` is a region of
 * `cidrRegions` (lib/model/cidr-regions.ts): the addresses of `cidr` outside the narrower CIDRs listed, which every CIDR a
 * check knows of holds whole or not at all.
 */
export type Atom<W extends ModelWorkload = ModelWorkload> =
  | { readonly kind: 'workload'; readonly workload: W }
  | { readonly kind: 'cidr'; readonly cidr: string; readonly except?: readonly string[] }
  | {
    readonly kind: 'peer';
    readonly id: string;
    readonly name: string;
    readonly expression?: string;
    readonly family?: 'ipv4' | 'ipv6';
    /**
     * Whether a check takes the peer for addresses unknown at synth (a prefix list, a group owned
     * elsewhere, an address expression): then it may overlap every CIDR and every other such peer
     * of its family, and a whole family holds it when its family is known. Never a managed
     * workload: a workload is named by its segments, not by the lists that may hold its address.
     * @default false: the peer holds only itself
     */
    readonly opaque?: boolean;
  };

/** What one side of a flow or guardrail matches, resolved through membership. */
export interface ResolvedSide<W extends ModelWorkload = ModelWorkload> {
  /** Matches everything (a guardrail side that is anywhere). */
  readonly any: boolean;
  /** The concrete ends. */
  readonly atoms: Array<Atom<W>>;
}

/** Whether a side holds an end: certainly, certainly not, or unknown (addresses known only at apply). */
export type Containment = 'yes' | 'no' | 'unknown';

/** Which end of traffic a rule is enforced at: the source's egress or the destination's ingress. */
export type TrafficEnd = 'source' | 'destination';

/** The platform of a host known only by its addresses: it enforces nothing itself. */
const EXTERNAL = 'external';

/** Whether an address is a Terraform expression (an unresolved token), known only at apply. */
export function isExpression(address: string): boolean {
  return address.includes('${');
}

/** A readable name of an atom. */
export function atomName(atom: Atom): string {
  switch (atom.kind) {
    case 'workload': return `workload '${atom.workload.endpointName}'`;
    case 'cidr': return `"${atom.cidr}"${exceptText(atom.except)}`;
    default: return atom.name;
  }
}

/** How a region's narrower CIDRs read in a message (` outside "10.0.0.0/8"`); empty when it has none. */
function exceptText(except: readonly string[] | undefined): string {
  if (except === undefined || except.length === 0) return '';
  const named = except.slice(0, 3).map((cidr) => `"${cidr}"`);
  const more = except.length > 3 ? ` and ${except.length - 3} more` : '';
  return ` outside ${named.length === 1 ? named[0] : `${named.slice(0, -1).join(', ')}${more ? ', ' : ' and '}${named[named.length - 1]}`}${more}`;
}

/** The atoms of `side` that `guard` matches (at least partly). */
export function overlapOf<W extends ModelWorkload>(side: ResolvedSide<W>, guard: ResolvedSide<W>): Array<Atom<W>> {
  if (guard.any) return side.atoms;
  // a workload or peer overlaps only itself, so those are looked up, not compared one by one:
  // two segments of a thousand members each would be a million comparisons
  const workloads = new Set<W>();
  const peers = new Set<string>();
  const cidrs: Array<Atom<W>> = [];
  for (const atom of guard.atoms) {
    if (atom.kind === 'workload') workloads.add(atom.workload);
    else if (atom.kind === 'peer') peers.add(atom.id);
    else cidrs.push(atom);
  }
  return side.atoms.filter((atom) => {
    if (atom.kind === 'peer') return peers.has(atom.id);
    if (atom.kind === 'workload' && workloads.has(atom.workload)) return true;
    if (atom.kind === 'cidr') {
      for (const workload of workloads) if (workloadInCidr(workload, atom.cidr)) return true;
    }
    return cidrs.some((g) => atomsOverlap(atom, g));
  });
}

/** The traffic two port lists have in common; empty when disjoint. */
export function commonPorts(a: readonly PortSpec[], b: readonly PortSpec[]): PortSpec[] {
  return intersectPortLists(a, b);
}

function atomCovers(outer: Atom, inner: Atom): boolean {
  if (outer.kind === 'workload') return inner.kind === 'workload' && inner.workload === outer.workload;
  if (outer.kind === 'peer') return inner.kind === 'peer' && inner.id === outer.id;
  if (inner.kind === 'cidr') return cidrWithin(outer.cidr, inner.cidr);
  if (inner.kind === 'workload') {
    const literal = literalAddressesOf(inner.workload);
    return literal.length > 0 && literal.every((a) => cidrWithin(outer.cidr, a));
  }
  return false;
}

/**
 * Whether `own` holds `atom` when one of them is a peer whose addresses are unknown at synth
 * (`opaque`): perhaps, unless their families differ; yes for a whole family and a peer known to be
 * of it. Workloads and peers that are not opaque hold only themselves.
 */
function opaqueOverlap(own: Atom, atom: Atom): Containment {
  const opaque = (a: Atom) => a.kind === 'peer' && a.opaque === true;
  if (!opaque(own) && !opaque(atom)) return 'no';
  if (own.kind === 'workload' || atom.kind === 'workload') return 'no';
  const ownFamily = own.kind === 'cidr' ? familyOf(own.cidr) : own.family;
  const atomFamily = atom.kind === 'cidr' ? familyOf(atom.cidr) : atom.family;
  if (ownFamily !== undefined && atomFamily !== undefined && ownFamily !== atomFamily) return 'no';
  const wholeFamily = own.kind === 'cidr' && own.except === undefined && own.cidr.endsWith('/0');
  return wholeFamily && atomFamily !== undefined ? 'yes' : 'unknown';
}

function atomsOverlap(a: Atom, b: Atom): boolean {
  if (a.kind === 'cidr' && b.kind === 'cidr') return atomCovers(a, b) || atomCovers(b, a);
  if (a.kind === 'workload' && b.kind === 'cidr') return workloadInCidr(a.workload, b.cidr) || coversEveryAddressOf(a.workload, b.cidr);
  if (a.kind === 'cidr' && b.kind === 'workload') return workloadInCidr(b.workload, a.cidr);
  return atomCovers(a, b);
}

function workloadInCidr(workload: ModelWorkload, cidr: string): boolean {
  return literalAddressesOf(workload).some((a) => cidrWithin(cidr, a));
}

/**
 * Whether `cidr` is a whole address family (`0.0.0.0/0`, `::/0`) that holds the workload whatever
 * its addresses are. Such a guardrail peer contains every workload of its family even when the
 * addresses are unknown at synth (an instance's private IP, a NIC's dynamic address): every
 * platform renders a guardrail naming it as a rule that matches the workload too (NACL and NSG
 * entries, NSX IP groups), so a flow's workload lies inside it. Used only for a flow's workload
 * against a guardrail's CIDR, never the reverse: a flow's own CIDR peer stands for hosts outside
 * the model. IPv4: every workload except one whose known addresses are all IPv6; IPv6: a workload
 * with an IPv6 address or with addresses unknown at synth.
 */
function coversEveryAddressOf(workload: ModelWorkload, cidr: string): boolean {
  if (!cidr.endsWith('/0')) return false;
  const family = familyOf(cidr);
  if (!family) return false;
  const literal = literalAddressesOf(workload);
  const unknown = workload.addressCidrs.some((a) => isExpression(a));
  if (family === 'ipv4') return !workload.withoutIpv4 && (literal.length === 0 || unknown || literal.some((a) => familyOf(a) === 'ipv4'));
  return unknown || literal.some((a) => familyOf(a) === 'ipv6');
}

/**
 * Answers of {@link cidrWithin} by `outer|inner`: a guardrail check asks about the same CIDR and
 * workload address for every pair of ends, and parsing both each time dominated its cost. A pure
 * function of two strings, so one memo serves every app; cleared when it grows past a bound.
 */
const WITHIN = new Map<string, boolean>();
const WITHIN_MAX = 100_000;

/** Whether CIDR `inner` lies inside `outer`; false for different families or invalid input. */
function cidrWithin(outer: string, inner: string): boolean {
  const key = `${outer}|${inner}`;
  let within = WITHIN.get(key);
  if (within === undefined) {
    within = familyOf(outer) === familyOf(inner) && containsIfValid(outer, inner);
    if (WITHIN.size >= WITHIN_MAX) WITHIN.clear();
    WITHIN.set(key, within);
  }
  return within;
}

function containsIfValid(outer: string, inner: string): boolean {
  try {
    return cidrContains(outer, inner);
  } catch {
    return false; // an invalid CIDR is reported by its own construct
  }
}

/**
 * Whether a CIDR holds a workload. A CIDR holds a workload when one of its literal addresses lies
 * inside, or when it is a whole address family (`0.0.0.0/0`, `::/0`) the workload belongs to, even
 * with no address known at synth. A workload known only to lie in `addressRanges` (its subnet) is
 * held by a CIDR covering one, perhaps by one inside one, and not by one outside them; one that may
 * have an address in one of `possibleAddressRanges` perhaps by a CIDR overlapping one. A workload
 * whose addresses are Terraform expressions may lie in any other CIDR: unknown. A workload without
 * addresses lies in no narrower CIDR.
 */
export function cidrHoldsWorkload(cidr: string, workload: ModelWorkload): Containment {
  if (coversEveryAddressOf(workload, cidr) || workloadInCidr(workload, cidr)) return 'yes';
  const family = familyOf(cidr);
  const ranges = (workload.addressRanges ?? []).filter((range) => familyOf(range) === family);
  if (ranges.some((range) => cidrWithin(cidr, range))) return 'yes';
  if (ranges.some((range) => cidrWithin(range, cidr))) return 'unknown';
  if (ranges.length > 0) return 'no'; // its addresses of the CIDR's family lie in ranges outside it
  // an address it may have (not known until apply) lies in such a range
  const possible = (workload.possibleAddressRanges ?? []).filter((range) => familyOf(range) === family);
  if (possible.some((range) => cidrWithin(cidr, range) || cidrWithin(range, cidr))) return 'unknown';
  return workload.addressCidrs.some((a) => isExpression(a)) ? 'unknown' : 'no';
}

/**
 * Whether `side` holds `atom`. `membersOnly`: only a member holds a workload (a segment's member or
 * the workload itself), never a CIDR that contains its address; `covering`: a CIDR end must lie
 * wholly inside (a grant covers it), rather than overlap (a deny touches it).
 */
export function sideHolds<W extends ModelWorkload>(
  side: ResolvedSide<W>, atom: Atom<W>, options: { membersOnly?: boolean; covering?: boolean } = {},
): Containment {
  if (side.any) return options.membersOnly && atom.kind === 'workload' ? 'no' : 'yes';
  const index = indexOfSide(side);
  // a workload end holds only itself: looked up, not scanned (sides hold hundreds of members)
  if (atom.kind === 'workload' && index.workloads.has(atom.workload)) return 'yes';
  let best: Containment = 'no';
  for (const own of index.others) {
    let found: Containment = 'no';
    if (own.kind === 'cidr' && atom.kind === 'workload') {
      found = options.membersOnly ? 'no' : cidrHoldsWorkload(own.cidr, atom.workload);
    } else if (own.kind === 'cidr' && atom.kind === 'cidr') {
      // a region is held whole or not at all (see cidrRegions): overlapping it is covering it
      found = (options.covering || atom.except !== undefined ? atomCovers(own, atom) : atomsOverlap(own, atom)) ? 'yes' : 'no';
    } else {
      found = atomCovers(own, atom) ? 'yes' : opaqueOverlap(own, atom);
    }
    if (found === 'yes') return 'yes';
    if (found === 'unknown') best = 'unknown';
  }
  return best;
}

/** A side's atoms split for {@link sideHolds}: its workloads as a set, its CIDRs and named peers as a list. */
interface SideIndex {
  /** How many atoms the side had when indexed (a side whose atoms changed is indexed again). */
  readonly size: number;
  readonly workloads: Set<ModelWorkload>;
  readonly others: Atom[];
}

const SIDE_INDEX = new WeakMap<readonly Atom[], SideIndex>();

function indexOfSide(side: ResolvedSide<ModelWorkload>): SideIndex {
  let index = SIDE_INDEX.get(side.atoms);
  if (!index || index.size !== side.atoms.length) {
    const workloads = new Set<ModelWorkload>();
    const others: Atom[] = [];
    for (const atom of side.atoms) {
      if (atom.kind === 'workload') workloads.add(atom.workload);
      else others.push(atom);
    }
    index = { size: side.atoms.length, workloads, others };
    SIDE_INDEX.set(side.atoms, index);
  }
  return index;
}

const NO_MEMBERS: ReadonlySet<ModelWorkload> = new Set();

/**
 * The workloads a side holds as members: exactly those for which `sideHolds(side, workload,
 * { membersOnly: true })` is `yes` (its workload ends; none for a side that is anywhere).
 */
export function membersOfSide<W extends ModelWorkload>(side: ResolvedSide<W>): ReadonlySet<W> {
  return (side.any ? NO_MEMBERS : indexOfSide(side).workloads) as ReadonlySet<W>;
}

/** A workload's shared ranges as messages show them, with where they come from. */
export function sharedRangeText(workload: ModelWorkload): string {
  const shown = (workload.sharedAddressCidrs ?? []).map((r) => (isExpression(r) ? 'a range known only at apply' : JSON.stringify(r))).join(', ');
  return workload.sharedAddressOrigin ? `${shown} (${workload.sharedAddressOrigin})` : shown;
}

/**
 * A side as a layer's rules name it: its atoms, plus as CIDRs the literal shared ranges
 * (`ModelWorkload.sharedAddressCidrs`: pod CIDRs, subnets) of the workloads that layer names by
 * address (`byAddress`), since such a rule holds every host of those ranges. The side itself when
 * there are none.
 */
export function sideAsRendered<W extends ModelWorkload>(side: ResolvedSide<W>, byAddress: (workload: W) => boolean): ResolvedSide<W> {
  const ranges = [...new Set(side.atoms.flatMap((atom) => (atom.kind === 'workload' && byAddress(atom.workload)
    ? (atom.workload.sharedAddressCidrs ?? []).filter((cidr) => !isExpression(cidr)) : [])))];
  if (ranges.length === 0) return side;
  return { any: side.any, atoms: [...side.atoms, ...ranges.map((cidr): Atom<W> => ({ kind: 'cidr', cidr }))] };
}

const OPAQUE_SIDES = new WeakMap<ResolvedSide<any>, ResolvedSide<any>>();

/**
 * The side with its peers marked `opaque`: for a check of rules that name them as they are (a
 * security group rule naming a prefix list), which must assume they may hold the addresses of any
 * CIDR. The side itself when it has no peer; one object per side, so caches keyed by side still work.
 */
export function withOpaquePeers<W extends ModelWorkload>(side: ResolvedSide<W>): ResolvedSide<W> {
  if (!side.atoms.some((atom) => atom.kind === 'peer' && atom.opaque !== true)) return side;
  let marked = OPAQUE_SIDES.get(side) as ResolvedSide<W> | undefined;
  if (!marked) {
    marked = { any: side.any, atoms: side.atoms.map((atom) => (atom.kind === 'peer' ? { ...atom, opaque: true } : atom)) };
    OPAQUE_SIDES.set(side, marked);
  }
  return marked;
}

/**
 * Whether a DenyFlow with sides `own` (at `at`'s end) and `other` is enforced at workload `at` for
 * some end of the other side (see {@link denyEnforcedAt}): as a member of its side (`member`), or
 * only for the other side's hosts known only by their addresses, when `at` merely lies in an open
 * side (`external-only`).
 */
export function denyEnforcedAtWorkload<W extends ModelWorkload>(own: ResolvedSide<W>, other: ResolvedSide<W>, at: W): 'member' | 'external-only' | 'no' {
  const atom: Atom<W> = { kind: 'workload', workload: at };
  if (sideHolds(own, atom, { membersOnly: true }) === 'yes') return 'member';
  const external = other.atoms.some((a) => a.kind === 'workload' && a.workload.platform === EXTERNAL);
  return external && sideHolds(own, atom) === 'yes' ? 'external-only' : 'no';
}

/** Whether a workload is a host known only by its addresses, which enforces nothing itself. */
export function isAddressOnly(workload: ModelWorkload): boolean {
  return workload.platform === EXTERNAL;
}

/** Both containments at once: `yes` only if both are. */
export function bothHold(a: Containment, b: Containment): Containment {
  if (a === 'no' || b === 'no') return 'no';
  return a === 'yes' && b === 'yes' ? 'yes' : 'unknown';
}

/**
 * Whether a flow (an application flow or a GuardrailAllow's flow) is rendered at `end` of the
 * traffic from `source` to `destination`: the end is a member of the flow's side there (a CIDR
 * peer of a flow stands for the hosts behind it, never for a managed workload's own rules) and the
 * other end lies in the flow's other side (a managed workload inside a CIDR peer included).
 *
 * This is how every platform renders a flow, and also what a GuardrailAllow grants: at the ends it
 * names. A GuardrailAllow from a CIDR grants the traffic at its destination; a managed workload
 * whose address lies in that CIDR is not granted at its own end, where its own flows and the
 * DenyFlows on it still decide.
 */
export function flowRenderedAt<W extends ModelWorkload>(
  from: ResolvedSide<W>, to: ResolvedSide<W>, source: Atom<W>, destination: Atom<W>, end: TrafficEnd,
): Containment {
  return end === 'source'
    ? bothHold(sideHolds(from, source, { membersOnly: true }), sideHolds(to, destination))
    : bothHold(sideHolds(from, source), sideHolds(to, destination, { membersOnly: true }));
}

/**
 * Whether a DenyFlow is enforced at `end` of the traffic from `source` to `destination` (both ends
 * must lie in its sides). It is enforced at an end that is a member of its side there, and also at
 * an end that merely lies in its side (anywhere, a CIDR) when the other end is a member that
 * enforces nothing itself: a host known only by its addresses. So a DenyFlow from an external
 * host to anywhere is denied at every managed destination, on every platform.
 */
export function denyEnforcedAt<W extends ModelWorkload>(
  from: ResolvedSide<W>, to: ResolvedSide<W>, source: Atom<W>, destination: Atom<W>, end: TrafficEnd,
): Containment {
  const [own, ownSide, other, otherSide] = end === 'source' ? [source, from, destination, to] : [destination, to, source, from];
  const covered = bothHold(sideHolds(ownSide, own), sideHolds(otherSide, other));
  if (covered === 'no') return 'no';
  if (sideHolds(ownSide, own, { membersOnly: true }) === 'yes') return covered;
  const otherUnmanaged = other.kind === 'workload' && other.workload.platform === EXTERNAL && sideHolds(otherSide, other, { membersOnly: true }) === 'yes';
  return otherUnmanaged ? covered : 'no';
}

/**
 * The address-only (external) members of a DenyFlow side whose other side is open (anywhere or a
 * CIDR peer): their traffic with the open side's managed workloads is denied at those workloads
 * (see {@link denyEnforcedAt}). Platforms that can deny render it at every workload they manage:
 * `inbound` from the members' addresses when they are the source side, `outbound` to them when they
 * are the destination side; `open` is the other side's CIDR, or undefined for anywhere.
 */
export interface OpenSideDeny {
  /** Where the rule applies on the managed end. */
  readonly direction: 'inbound' | 'outbound';
  /** The addresses (CIDRs, possibly Terraform expressions) of the external members, sorted. */
  readonly addresses: string[];
  /** The managed end as the DenyFlow names it: a CIDR, or undefined for anywhere. */
  readonly open?: string;
}

/** How a DenyFlow side looks to {@link openSideDenies}: open (anywhere or a CIDR) or resolved to atoms. */
export interface DenySide<W extends ModelWorkload = ModelWorkload> {
  /** Anywhere or a CIDR peer: the side the denied members' traffic reaches on managed workloads. */
  readonly open: boolean;
  /** The CIDR of an open side, if it is one. */
  readonly cidr?: string;
  /** The side resolved to atoms. */
  readonly resolved: ResolvedSide<W>;
}

/** The {@link OpenSideDeny}s of a DenyFlow whose sides are `from` and `to` (empty when neither side is open with external members). */
export function openSideDenies<W extends ModelWorkload>(from: DenySide<W>, to: DenySide<W>): OpenSideDeny[] {
  const out: OpenSideDeny[] = [];
  const sides: Array<[DenySide<W>, DenySide<W>, 'inbound' | 'outbound']> = [[from, to, 'inbound'], [to, from, 'outbound']];
  for (const [side, other, direction] of sides) {
    if (!other.open) continue;
    const external = side.resolved.atoms
      .filter((a): a is Extract<Atom<W>, { kind: 'workload' }> => a.kind === 'workload' && a.workload.platform === EXTERNAL);
    const addresses = [...new Set(external.flatMap((a) => a.workload.addressCidrs))].sort();
    if (addresses.length > 0) out.push({ direction, addresses, ...(other.cidr ? { open: other.cidr } : {}) });
  }
  return out;
}
