import { cidrContains, dottedIpv4 } from './cidr';

/**
 * The key of the network of `prefix` bits that holds `address`: the network's index among the
 * networks of that prefix length, times 64, plus the prefix (at most 32, so no two networks share
 * a key). A number, not text, because a lookup makes one key per prefix length.
 */
function networkKey(address: number, prefix: number): number {
  return Math.floor(address / 2 ** (32 - prefix)) * 64 + prefix;
}

/**
 * IPv4 networks that do not overlap one another (the subnets of a VPC), each filed with a value,
 * which tell the one a CIDR overlaps in at most 33 lookups instead of one comparison per network:
 * a VPC of a thousand subnets compared half a million pairs as its subnets were mapped.
 */
export class Ipv4Networks<T> {
  /** Each network filed, by its own key. */
  private readonly networks = new Map<number, T>();
  /** By the key of every network that holds a filed one: the first filed inside it. */
  private readonly holders = new Map<number, T>();
  /** Every network filed, in order. */
  private readonly filed: Array<{ readonly cidr: string; readonly value: T }> = [];
  /** Whether a network filed is not written as dotted decimal (then every answer compares them all). */
  private undotted = false;

  /** Files `cidr` with `value`. The caller keeps the networks apart (see {@link overlapping}). */
  public add(cidr: string, value: T): void {
    this.filed.push({ cidr, value });
    const parsed = dottedIpv4(cidr, false);
    if (!parsed) {
      this.undotted = true;
      return;
    }
    this.networks.set(networkKey(parsed.address, parsed.prefix), value);
    for (let prefix = 0; prefix <= parsed.prefix; prefix++) {
      const key = networkKey(parsed.address, prefix);
      if (!this.holders.has(key)) this.holders.set(key, value);
    }
  }

  /**
   * The filed network that overlaps `cidr`, as the first of them in filing order that holds it or
   * lies inside it: undefined when none does.
   */
  public overlapping(cidr: string): T | undefined {
    const parsed = dottedIpv4(cidr, false);
    if (!parsed || this.undotted) {
      return this.filed.find((network) => cidrContains(network.cidr, cidr) || cidrContains(cidr, network.cidr))?.value;
    }
    // networks that do not overlap: at most one holds the CIDR, and then none lies inside it
    return this.holding(cidr) ?? this.holders.get(networkKey(parsed.address, parsed.prefix));
  }

  /** The filed network that holds `cidr` (the same network or a wider one), if any. */
  public holding(cidr: string): T | undefined {
    const parsed = dottedIpv4(cidr, false);
    if (!parsed || this.undotted) return this.filed.find((network) => cidrContains(network.cidr, cidr))?.value;
    for (let prefix = 0; prefix <= parsed.prefix; prefix++) {
      const holder = this.networks.get(networkKey(parsed.address, prefix));
      if (holder !== undefined) return holder;
    }
    return undefined;
  }
}
