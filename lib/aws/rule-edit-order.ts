import { stackOfAddress } from './permission-owners';
import { coversSpec, intersectPortSpecs, parsePortKey, portKey, PortSpec } from '../model/ports';
import { compare } from '../registry';

/** A rule of one bucket as this synthesis renders it. */
export interface RenderedPermission {
  /** `<stack path>|<slot>` of the rule. */
  readonly address: string;
  /** Its exact ports (`tcp/8080`). */
  readonly permission: string;
}

/** Traffic one rule stops carrying while another starts, in an order Terraform cannot be told. */
export interface RuleEditWindow {
  /** The permission of the rule that stops carrying it (destroyed, or updated to other ports). */
  readonly before: string;
  /** What that rule does: `destroyed` (its address is gone) or `updated` (to other ports). */
  readonly change: 'destroyed' | 'updated';
  /** The permission of the rule that starts carrying it. */
  readonly after: string;
  /** What that rule does: `created` or `updated`. */
  readonly by: 'created' | 'updated';
  /** The traffic both match (`tcp/8082`). */
  readonly common: string;
}

/**
 * The windows of one bucket's change from the previous synthesis (`previous`: `[permission,
 * address]`) to `current`: traffic both versions allow that one rule stops carrying (it is
 * destroyed, or updated to other ports) while another rule starts carrying it (created, or updated
 * to it). Terraform applies the two in no order, so that traffic may drop between them; a rule
 * left as it was that carries it all along closes the window. Joining `tcp/8080` and `tcp/8082`
 * into `tcp/8080-8082`, or splitting it, has one.
 */
export function ruleEditWindows(previous: ReadonlyArray<readonly [string, string]>, current: readonly RenderedPermission[]): RuleEditWindow[] {
  if (previous.length === 0) return [];
  const before = new Map(previous.map(([permission, address]) => [address, permission]));
  const starting = current.filter((rule) => before.get(rule.address) !== rule.permission)
    .sort((a, b) => compare(a.address, b.address));
  if (starting.length === 0) return [];
  const unchanged = current.filter((rule) => before.get(rule.address) === rule.permission)
    .map((rule) => parsePortKey(rule.permission)).filter((spec): spec is PortSpec => spec !== undefined);
  const windows: RuleEditWindow[] = [];
  for (const [permission, address] of [...previous].sort((a, b) => compare(a[1], b[1]))) {
    const kept = current.find((rule) => rule.address === address);
    if (kept?.permission === permission) continue;
    const old = parsePortKey(permission);
    if (!old) continue;
    const carriedOn = [...unchanged, ...(kept ? [parsePortKey(kept.permission)] : [])].filter((spec): spec is PortSpec => spec !== undefined);
    for (const rule of starting) {
      // the same permission in another stack moved there with its flow: warned as a move
      if (rule === kept || (rule.permission === permission && stackOfAddress(rule.address) !== stackOfAddress(address))) continue;
      const spec = parsePortKey(rule.permission);
      const shared = spec && intersectPortSpecs(old, spec);
      if (!shared || carriedOn.some((other) => coversSpec(other, shared))) continue;
      windows.push({
        before: permission,
        change: kept ? 'updated' : 'destroyed',
        after: rule.permission,
        by: before.has(rule.address) ? 'updated' : 'created',
        common: portKey(shared),
      });
    }
  }
  return windows;
}
