import { compare } from '../registry';
import { PortSpec, portKey } from './port-range';

/** One port entry of one flow asking a group for a permission (direction and peer fixed by the caller). */
export interface PermissionClaim {
  /**
   * Stable identity of the entry: the flow's identity, the entry's index in the flow's ports and
   * the peer slot. It names the rule resource when this claim owns the permission, so it never
   * holds port values or an address that may be edited.
   */
  readonly slot: string;
  /** The requested ports. */
  readonly spec: PortSpec;
  /** Construct path of the flow, for provenance. */
  readonly flow: string;
}

/** A permission rendered once, with the claim that owns it and every claim it serves. */
export interface OwnedPermission {
  /** The exact ports (`tcp/8080`): identical claims share one permission. */
  readonly permission: string;
  /** The ports. */
  readonly spec: PortSpec;
  /** The claim whose slot names the rule. */
  readonly owner: PermissionClaim;
  /** Construct paths of the flows the permission serves, sorted and unique. */
  readonly flows: string[];
}

/**
 * Groups claims by exact permission (AWS rejects an identical permission twice in one group, so it
 * is rendered once) and picks each permission's owner with `ownerOf` (given the permission and the
 * sorted slots of its claims; it keeps the previous owner while that still claims it). Claims that
 * differ in any port are separate permissions: nothing is merged, so one flow's change never
 * touches the rule of another. The result is sorted by owner slot.
 */
export function ownPermissions(claims: readonly PermissionClaim[], ownerOf: (permission: string, slots: readonly string[]) => string): OwnedPermission[] {
  const byPermission = new Map<string, PermissionClaim[]>();
  for (const claim of claims) {
    const permission = portKey(claim.spec);
    byPermission.set(permission, [...(byPermission.get(permission) ?? []), claim]);
  }
  const owned: OwnedPermission[] = [];
  for (const [permission, group] of byPermission) {
    const slots = [...new Set(group.map((c) => c.slot))].sort(compare);
    const chosen = ownerOf(permission, slots);
    const owner = group.find((c) => c.slot === chosen) ?? group.find((c) => c.slot === slots[0])!;
    owned.push({ permission, spec: owner.spec, owner, flows: [...new Set(group.map((c) => c.flow))].sort(compare) });
  }
  return owned.sort((a, b) => compare(a.owner.slot, b.owner.slot));
}
