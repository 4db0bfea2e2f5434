import { digest } from '../private/identity';

/** NSX limits the tag value to 256 characters. */
export const NSX_TAG_MAX = 256;
/** NSX limits the tag scope to 128 characters. */
export const NSX_SCOPE_MAX = 128;

/**
 * The NSX tag value (under the enforcement's tag scope) that every VM one enforcement manages
 * carries, whatever its segments: `managed:` and the enforcement's construct path with `/` written
 * as `:` (`managed:dc:Nsx`). The default-deny rules of that enforcement apply to that tag only, so
 * a VM in no segment is denied too, and the VMs of another enforcement (another team's stack) are
 * not. It cannot collide with a segment tag: those are construct paths and always contain a `/`.
 */
export function managedVmTag(enforcementPath: string): string {
  const clean = `managed:${enforcementPath.replace(/\//g, ':').replace(/[^A-Za-z0-9_.:-]/g, '_')}`;
  if (clean.length <= NSX_TAG_MAX) return clean;
  return `${clean.slice(0, NSX_TAG_MAX - 9)}-${digest(enforcementPath)}`;
}

/**
 * The NSX tag value that marks a member of a segment: the segment's construct path, with every
 * character outside `[A-Za-z0-9_./:-]` replaced (a `|` would break the `scope|tag` condition
 * syntax), shortened with a digest when it is longer than NSX allows.
 */
export function segmentTag(segmentPath: string): string {
  const clean = segmentPath.replace(/[^A-Za-z0-9_./:-]/g, '_');
  if (clean.length <= NSX_TAG_MAX) return clean;
  return `${clean.slice(0, NSX_TAG_MAX - 9)}-${digest(segmentPath)}`;
}

/**
 * Groups of segment paths whose tags collide once compared case-insensitively (NSX matches tags in
 * group conditions without regard to case), each group sorted; groups sorted by first path.
 */
export function tagCollisions(segmentPaths: readonly string[]): string[][] {
  const byTag = new Map<string, Set<string>>();
  for (const path of segmentPaths) {
    const key = segmentTag(path).toLowerCase();
    if (!byTag.has(key)) byTag.set(key, new Set());
    byTag.get(key)!.add(path);
  }
  return [...byTag.values()].filter((s) => s.size > 1).map((s) => [...s].sort()).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}
