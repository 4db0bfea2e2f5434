import type { Estate } from './estate';
import { Host } from './host';
import { PlatformPlacement, placedHost } from './placed-members';
import { appendTo } from '../multimap';
import { PLATFORMS } from '../platforms/registry';

/**
 * Hypothetical members of a set of group resources (a segment's groups, or one group): one interface
 * carrying all of them at once (each platform's groups). It is placed where the groups' real members
 * are: one member per combination of the platforms' distinct placements (subnets, NSGs), or unplaced
 * when the groups have no members yet.
 */
export function hypotheticalMembers(estate: Estate, groupKeys: readonly string[], name: string): Host[] {
  const byPlatform = new Map<string, string[]>();
  for (const key of groupKeys) {
    const platform = PLATFORMS.ofGroupType(typeOf(estate, key));
    if (platform) appendTo(byPlatform, platform.name, key);
  }
  const platforms = PLATFORMS.all
    .filter((platform) => byPlatform.has(platform.name))
    .map((platform) => platform.placements(estate, byPlatform.get(platform.name)!)
      .map((placement): PlatformPlacement => ({ ...placement, platform: platform.name })))
    .filter((placements) => placements.length > 0);
  if (platforms.length === 0) return [];
  const combinations = cartesian(platforms);
  return combinations.map((combination) => placedHost(name, combination, combinations.length > 1));
}

/** Every way to pick one placement per platform. */
function cartesian(platforms: readonly PlatformPlacement[][]): PlatformPlacement[][] {
  return platforms.reduce<PlatformPlacement[][]>(
    (partial, options) => partial.flatMap((chosen) => options.map((option) => [...chosen, option])), [[]]);
}

function typeOf(estate: Estate, key: string): string | undefined {
  return estate.model.resource(key)?.type ?? key.split('/').pop()?.split('.')[0];
}
