import type { ReachabilitySide } from './reachability-diff';
import { Inventory } from '../model/inventory';

/**
 * The segments and workloads of `before` that `after` holds under another construct path with the
 * same identity (a `stableId` kept through a rename or a move), as before path -> after path. Their
 * resources keep their Terraform addresses, so they are the same endpoint: a diff compares them as
 * one instead of reporting the old name closed and the new one opened. A path both versions hold
 * is never renamed, and neither is one whose identity two paths share.
 */
export function identityRenames(before: Inventory, after: Inventory): ReadonlyMap<string, string> {
  const renames = new Map<string, string>();
  for (const kind of ['segments', 'workloads'] as const) {
    const afterByIdentity = new Map<string, string | undefined>();
    for (const [path, entry] of after[kind]) {
      const identity = entry.stableId ?? path;
      // an identity two entries claim names neither
      afterByIdentity.set(identity, afterByIdentity.has(identity) ? undefined : path);
    }
    const claimed = new Set<string>();
    for (const [path, entry] of before[kind]) {
      if (after[kind].has(path)) continue;
      const target = afterByIdentity.get(entry.stableId ?? path);
      if (target === undefined || before[kind].has(target) || claimed.has(target)) continue;
      claimed.add(target);
      renames.set(path, target);
    }
  }
  return renames;
}

/**
 * `side` (the "before" version) with its renamed segments and workloads known by their "after"
 * paths: its endpoint maps are keyed by them, and every question about one is asked of the old path.
 */
export function renamedSide(side: ReachabilitySide, renames: ReadonlyMap<string, string>): ReachabilitySide {
  if (renames.size === 0) return side;
  const oldPath = new Map([...renames].map(([from, to]) => [to, from]));
  const original = (name: string) => oldPath.get(name) ?? name;
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
