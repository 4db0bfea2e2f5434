import { Token } from 'cdktf';
import { checkCidr, cidrContains, familyOf, hostCidr } from '../model/cidr';

/**
 * Remembers CIDR answers for one app: network ACL deny plans are re-made on every event, and parsing
 * the same addresses again dominated their cost. One memo belongs to one renderer (one app); nothing
 * is kept between apps.
 */
export class CidrMemo {
  private readonly containment = new Map<string, boolean>();
  private readonly families = new Map<string, ReturnType<typeof familyOf>>();
  private readonly hosts = new Map<string, string[] | undefined>();

  /** `cidrContains(outer, inner)`. */
  public contains(outer: string, inner: string): boolean {
    const key = `${outer}|${inner}`;
    let result = this.containment.get(key);
    if (result === undefined) {
      result = cidrContains(outer, inner);
      this.containment.set(key, result);
    }
    return result;
  }

  /** `familyOf(value)`. */
  public family(value: string): ReturnType<typeof familyOf> {
    if (!this.families.has(value)) this.families.set(value, familyOf(value));
    return this.families.get(value);
  }

  /** Whether two CIDRs of one family share an address; false for an invalid CIDR (reported by its own construct). */
  public overlaps(a: string, b: string): boolean {
    if (this.family(a) !== this.family(b)) return false;
    try {
      return this.contains(a, b) || this.contains(b, a);
    } catch {
      return false;
    }
  }

  /** Literal addresses as sorted host CIDRs, or undefined when any is a Terraform expression or invalid, or none is given. */
  public hostCidrs(addresses: string[]): string[] | undefined {
    const key = addresses.join(' ');
    if (!this.hosts.has(key)) this.hosts.set(key, hostCidrsOf(addresses));
    return this.hosts.get(key);
  }
}

function hostCidrsOf(addresses: string[]): string[] | undefined {
  const hosts: string[] = [];
  for (const address of addresses) {
    if (Token.isUnresolved(address) || !familyOf(address)) return undefined;
    const checked = checkCidr(hostCidr(address), familyOf(address)!);
    if (!checked.cidr) return undefined;
    hosts.push(checked.cidr);
  }
  return hosts.length > 0 ? [...new Set(hosts)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) : undefined;
}
