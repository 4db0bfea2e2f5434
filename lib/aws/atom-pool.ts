import { dottedIpv4 } from '../model/cidr';
import { Atom, ModelWorkload, ResolvedSide, sideHolds } from '../model/guardrail-semantics';
import { appendTo } from '../private/multimap';

/** One literal IPv4 address (or CIDR) of an atom of the pool, as a number: where it starts. */
interface Ipv4Entry {
  readonly address: number;
  readonly position: number;
}

/**
 * The ends a guardrail check looks at (a DenyFlow's sources or destinations), indexed so that the
 * ends a flow's side holds are found without asking about every end: a workload by identity, a
 * named peer by id, and the ends inside or around a plain IPv4 CIDR by their addresses. Every end
 * found is then asked with {@link sideHolds}, so the answer is exactly the ends the side holds; the
 * index only decides which to ask. Ends the index cannot place (an address known only at apply, an
 * IPv6 or unusual address, a peer whose addresses are unknown: `opaque`) are always asked.
 */
export class AtomPool<W extends ModelWorkload = ModelWorkload> {
  private readonly workloadAt = new Map<W, number[]>();
  private readonly peerAt = new Map<string, number[]>();
  /** Literal IPv4 addresses of the pool's workloads and CIDR ends, sorted by address. */
  private readonly ipv4: Ipv4Entry[] = [];
  /** The pool's IPv4 CIDR ends by `<network>/<prefix>`: the ends that may contain a side's CIDR. */
  private readonly networks = new Map<string, number[]>();
  /** Positions the index cannot place: asked for every side with a CIDR. */
  private readonly alwaysAsked: number[] = [];
  private readonly bySide = new Map<ResolvedSide<W>, readonly number[]>();

  /** Indexes `pool` (positions are indexes into it). */
  public constructor(private readonly pool: ReadonlyArray<Atom<W>>) {
    pool.forEach((atom, position) => {
      if (atom.kind === 'workload') {
        appendTo(this.workloadAt, atom.workload, position);
        let placed = true;
        // the configured addresses (an instance's private_ip) place it as well: a CIDR holding them holds it
        for (const address of [...atom.workload.addressCidrs, ...(atom.workload.configuredAddressCidrs ?? [])]) {
          const inner = dottedIpv4(address, true);
          if (inner) this.ipv4.push({ address: inner.address, position });
          else placed = false;
        }
        // a workload known only to lie (or perhaps lie) in a subnet is asked for every CIDR: rare, and not one address
        const ranged = (atom.workload.addressRanges ?? []).length > 0 || (atom.workload.possibleAddressRanges ?? []).length > 0;
        if (!placed || ranged) this.alwaysAsked.push(position);
      } else if (atom.kind === 'peer') {
        appendTo(this.peerAt, atom.id, position);
        if (atom.opaque) this.alwaysAsked.push(position); // a CIDR may hold its unknown addresses
      } else {
        const inner = dottedIpv4(atom.cidr, true);
        const outer = dottedIpv4(atom.cidr, false);
        if (inner) this.ipv4.push({ address: inner.address, position });
        if (outer) {
          appendTo(this.networks, `${network(outer.address, outer.prefix)}/${outer.prefix}`, position);
        }
        if (!inner || !outer) this.alwaysAsked.push(position);
      }
    });
    this.ipv4.sort((a, b) => a.address - b.address || a.position - b.position);
  }

  /** The positions, ascending, of the pool's ends that `side` holds (certainly or perhaps); worked out once per side. */
  public holders(side: ResolvedSide<W>): readonly number[] {
    let held = this.bySide.get(side);
    if (!held) {
      const asked = this.candidates(side);
      held = (asked ?? this.pool.map((_, position) => position))
        .filter((position) => sideHolds(side, this.pool[position]) !== 'no');
      this.bySide.set(side, held);
    }
    return held;
  }

  /** The positions worth asking about, ascending, or undefined when every end is (anywhere, a whole family, an unusual CIDR). */
  private candidates(side: ResolvedSide<W>): number[] | undefined {
    if (side.any) return undefined;
    const found = new Set<number>();
    let cidrs = false;
    for (const atom of side.atoms) {
      if (atom.kind === 'workload') {
        for (const position of this.workloadAt.get(atom.workload) ?? []) found.add(position);
      } else if (atom.kind === 'peer') {
        if (atom.opaque) return undefined; // its unknown addresses may lie in any CIDR end or other peer
        for (const position of this.peerAt.get(atom.id) ?? []) found.add(position);
      } else {
        const outer = dottedIpv4(atom.cidr, false);
        if (!outer || outer.prefix === 0) return undefined; // a whole family holds every workload, even one without addresses
        cidrs = true;
        const first = network(outer.address, outer.prefix);
        const last = first + 2 ** (32 - outer.prefix) - 1;
        for (let i = this.firstAtOrAfter(first); i < this.ipv4.length && this.ipv4[i].address <= last; i++) found.add(this.ipv4[i].position);
        for (let prefix = 0; prefix < outer.prefix; prefix++) {
          for (const position of this.networks.get(`${network(outer.address, prefix)}/${prefix}`) ?? []) found.add(position);
        }
      }
    }
    if (cidrs) for (const position of this.alwaysAsked) found.add(position);
    return [...found].sort((a, b) => a - b);
  }

  /** The index of the first IPv4 entry whose address is at least `address`. */
  private firstAtOrAfter(address: number): number {
    let low = 0;
    let high = this.ipv4.length;
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      if (this.ipv4[middle].address < address) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** The first address of the `prefix`-bit network that holds `address`. */
function network(address: number, prefix: number): number {
  const block = 2 ** (32 - prefix);
  return Math.floor(address / block) * block;
}
