import { intersectPortSpecs, parsePortKey, portKey, PortSpec } from '../model/ports';
import { appendTo } from '../private/multimap';
import { compare } from '../registry';

/** One port entry of one flow asking a group for a permission (direction and peer fixed by the caller). */
export interface PermissionClaim {
  /**
   * Where the claim's rule lives when the claim owns it: `<stack path>|<slot>`, the slot naming
   * the entry without its values (peer slot, flow identity, index of the port entry). It never
   * holds port values or an address that may be edited, so editing them updates the rule in place.
   */
  readonly address: string;
  /** The requested ports. */
  readonly spec: PortSpec;
  /** Construct path of the flow, for provenance. */
  readonly flow: string;
}

/** The claims that ask for one exact permission: AWS rejects an identical permission twice in one group. */
export interface PermissionRequest {
  /** The exact ports (`tcp/8080`). */
  readonly permission: string;
  /** The ports. */
  readonly spec: PortSpec;
  /** The claims, sorted by address. */
  readonly claims: readonly PermissionClaim[];
  /** Construct paths of the flows asking for it, sorted and unique. */
  readonly flows: string[];
}

/** Where a permission is rendered, and where it was before when that was another stack. */
export interface PermissionAddress {
  /** The request. */
  readonly request: PermissionRequest;
  /** `<stack path>|<slot>` of its rule. */
  readonly address: string;
  /** Whether it keeps the address of the previous synthesis (then it takes precedence over a claim that would start there). */
  readonly kept: boolean;
  /** The previous address, when the rule moves to another stack (its traffic drops between the two applies). */
  readonly movedFrom?: string;
}

/** What {@link assignAddresses} needs to know about the world. */
export interface AddressContext {
  /** The address the permission had in the previous synthesis, if known. */
  previous(permission: string): string | undefined;
  /** Whether the previous address may be kept: no other kept rule is there (a rule that only starts there gives way). */
  reusable(address: string): boolean;
  /** Whether a rule may start at an address: no rule of another bucket is there. */
  available(address: string): boolean;
  /**
   * The permissions the bucket's rules had in the previous synthesis, with the address of each
   * (`[permission, address]`), if known.
   * @default - none known
   */
  previousRules?(): ReadonlyArray<readonly [string, string]>;
}

/** Groups claims by exact permission, sorted by permission. Claims that differ in any port are separate permissions: nothing merges. */
export function groupClaims(claims: readonly PermissionClaim[]): PermissionRequest[] {
  const byPermission = new Map<string, PermissionClaim[]>();
  for (const claim of claims) {
    appendTo(byPermission, portKey(claim.spec), claim);
  }
  return [...byPermission.entries()].sort((a, b) => compare(a[0], b[0])).map(([permission, group]) => {
    const sorted = group.sort((a, b) => compare(a.address, b.address));
    return { permission, spec: sorted[0].spec, claims: sorted, flows: [...new Set(group.map((c) => c.flow))].sort(compare) };
  });
}

/**
 * Gives every permission of one bucket the address of its rule, so that a rule stays where it is
 * while anyone still asks for it:
 * 1. the previous address, while a claim there still asks for the permission;
 * 2. else the previous address, when it is in a stack that still asks for it (the owner flow went
 *    away, or its entry now asks for other ports or another peer: that entry gives way);
 * 3. else the address of a rule of the previous synthesis whose permission nobody asks for any more
 *    and that shares traffic with this one, when no claim starts there and a claim of its stack
 *    asks (a flow that inherited a rule from a removed flow, whose ports are then edited: the rule
 *    takes the new ports in place, where moving it would destroy the old rule and create the new
 *    one in no order, dropping the ports both share while the apply runs);
 * 4. else the first free claim (by address) of the previous stack if it still asks, else of the
 *    first stack; if every one is taken, `<address>~<n>`.
 * Without a previous synthesis this is 4: the first claim by stack path and slot.
 */
export function assignAddresses(requests: readonly PermissionRequest[], context: AddressContext): PermissionAddress[] {
  const taken = new Set<string>();
  const chosen = new Map<PermissionRequest, string>();
  const previous = new Map(requests.map((r) => [r, context.previous(r.permission)]));
  for (const request of requests) {
    const before = previous.get(request);
    if (before !== undefined && request.claims.some((c) => c.address === before)) {
      chosen.set(request, before);
      taken.add(before);
    }
  }
  for (const request of requests) {
    const before = previous.get(request);
    if (chosen.has(request) || before === undefined || taken.has(before)) continue;
    if (!request.claims.some((c) => stackOfAddress(c.address) === stackOfAddress(before))) continue;
    if (!context.reusable(before)) continue;
    chosen.set(request, before);
    taken.add(before);
  }
  const inherited = takeOverReleasedRules(requests, context, chosen, taken);
  const result: PermissionAddress[] = [];
  for (const request of requests) {
    const before = previous.get(request);
    let address = chosen.get(request);
    if (address === undefined) {
      const stayingStack = request.claims.find((c) => before !== undefined && stackOfAddress(c.address) === stackOfAddress(before));
      const stack = stackOfAddress((stayingStack ?? request.claims[0]).address);
      const candidates = request.claims.filter((c) => stackOfAddress(c.address) === stack).map((c) => c.address);
      address = candidates.find((c) => !taken.has(c) && context.available(c));
      for (let n = 1; address === undefined; n++) {
        const spare = `${candidates[0]}~${n}`;
        if (!taken.has(spare) && context.available(spare)) address = spare;
      }
      taken.add(address);
    }
    const moved = before !== undefined && stackOfAddress(before) !== stackOfAddress(address);
    result.push({ request, address, kept: address === before || inherited.has(request), ...(moved ? { movedFrom: before } : {}) });
  }
  return result;
}

/**
 * Step 3 of {@link assignAddresses}: gives each request that has no address yet the address of a
 * released rule (its permission no longer asked for) that shares traffic with it, in its stack, where
 * no claim starts. Returns the requests that took one.
 */
function takeOverReleasedRules(
  requests: readonly PermissionRequest[], context: AddressContext,
  chosen: Map<PermissionRequest, string>, taken: Set<string>,
): Set<PermissionRequest> {
  const inherited = new Set<PermissionRequest>();
  const previousRules = context.previousRules?.() ?? [];
  if (previousRules.length === 0) return inherited;
  const asked = new Set(requests.map((r) => r.permission));
  const claimed = new Set(requests.flatMap((r) => r.claims.map((c) => c.address)));
  const released = previousRules.filter(([permission, address]) => !asked.has(permission) && !claimed.has(address));
  for (const request of requests) {
    if (chosen.has(request)) continue;
    const stacks = new Set(request.claims.map((c) => stackOfAddress(c.address)));
    const found = released.find(([permission, address]) => {
      if (taken.has(address) || !stacks.has(stackOfAddress(address))) return false;
      const spec = parsePortKey(permission);
      return spec !== undefined && intersectPortSpecs(spec, request.spec) !== undefined && context.reusable(address);
    });
    if (!found) continue;
    chosen.set(request, found[1]);
    taken.add(found[1]);
    inherited.add(request);
  }
  return inherited;
}

/** The stack path of an address `<stack path>|<slot>`. */
export function stackOfAddress(address: string): string {
  return address.slice(0, address.indexOf('|'));
}

/** The slot of an address `<stack path>|<slot>`. */
export function slotOfAddress(address: string): string {
  return address.slice(address.indexOf('|') + 1);
}
