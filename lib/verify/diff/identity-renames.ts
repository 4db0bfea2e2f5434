import type { ReachabilitySide } from './reachability-diff';
import { Inventory } from '../model/inventory';

/**
 * How the "before" version's segments and workloads are named in a diff, as before path -> name:
 * one that "after" holds under another construct path with the same identity (a `stableId` kept
 * through a rename, a move or a swap of two names) takes that path, since its resources keep their
 * Terraform addresses and it is the same endpoint; one whose path "after" gives to another identity
 * while it has no counterpart itself is named `<path> (removed)`. Every other keeps its path. An
 * identity that two paths of one version claim renames nothing.
 */
export function identityRenames(before: Inventory, after: Inventory): ReadonlyMap<string, string> {
  const renames = new Map<string, string>();
  for (const kind of ['segments', 'workloads'] as const) {
    const afterPaths = byIdentity(after[kind]);
    const beforePaths = byIdentity(before[kind]);
    const matched = new Set<string>();
    for (const [identity, path] of beforePaths) {
      const target = afterPaths.get(identity);
      if (target === undefined) continue;
      matched.add(path);
      if (target !== path) renames.set(path, target);
    }
    // a path the after version gives to another identity, whose own endpoint is gone
    const taken = new Set(renames.values());
    for (const path of before[kind].keys()) {
      if (!matched.has(path) && taken.has(path)) renames.set(path, `${path} (removed)`);
    }
  }
  return renames;
}

/** The paths of a version's entries by identity (its `stableId`, else its path); an identity two paths claim is left out. */
function byIdentity(entries: ReadonlyMap<string, { readonly stableId?: string }>): Map<string, string> {
  const paths = new Map<string, string | undefined>();
  for (const [path, entry] of entries) {
    const identity = entry.stableId ?? path;
    paths.set(identity, paths.has(identity) ? undefined : path);
  }
  return new Map([...paths].filter((pair): pair is [string, string] => pair[1] !== undefined));
}

/**
 * `side` (the "before" version) with its segments and workloads named as `renames` says: its
 * endpoint maps are keyed by those names, and every question about one is asked of its old path.
 * A name that stands for nothing on this side (an old path now carried by another endpoint) is
 * answered as a name this side does not have.
 */
export function renamedSide(side: ReachabilitySide, renames: ReadonlyMap<string, string>): ReachabilitySide {
  if (renames.size === 0) return side;
  const oldPath = new Map([...renames].map(([from, to]) => [to, from]));
  const original = (name: string) => oldPath.get(name) ?? (renames.has(name) ? `${name}\u0000` : name);
  const rekeyed = <T>(map: ReadonlyMap<string, T>) => new Map([...map].map(([name, value]) => [renames.get(name) ?? name, value]));
  return {
    estate: side.estate,
    segments: rekeyed(side.segments),
    peers: side.peers,
    workloads: rekeyed(side.workloads),
    touches: (name, keys) => side.touches(original(name), keys),
    memberOf: (workload, segment) => side.memberOf(original(workload), original(segment)),
    allowed: (level, from, to) => side.allowed(level, original(from), original(to)),
    responsible: (level, from, to, traffic, deciding) => side.responsible(level, original(from), original(to), traffic, deciding),
  };
}
