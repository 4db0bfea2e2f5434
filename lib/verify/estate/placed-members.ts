import { Host, unique } from './host';
import { Placement } from '../platforms/evaluator-platform';

/** A placement and the platform it belongs to. */
export interface PlatformPlacement extends Placement {
  /** The registered name of the platform whose facts the placement holds. */
  readonly platform: string;
}

/**
 * One hypothetical member placed at once where each of `placements` puts it (one per platform);
 * `qualify`: name the placement in the host name, when the member has several possible places.
 */
export function placedHost(name: string, placements: readonly PlatformPlacement[], qualify: boolean): Host {
  const labels = placements.map((placement) => placement.label).filter((label): label is string => label !== undefined);
  return {
    name: qualify && labels.length > 0 ? `${name} (member in ${labels.join(', ')})` : name,
    ranges: unique(placements.flatMap((placement) => placement.ranges)),
    symbolicAddresses: [],
    excludedRanges: unique(placements.flatMap((placement) => placement.excludedRanges ?? [])),
    platforms: Object.fromEntries(placements.map((placement) => [placement.platform, placement.facts])),
  };
}

/** The hypothetical members of one platform's group: one per place its real members are. */
export function placedMembers(name: string, platform: string, placements: readonly Placement[]): Host[] {
  return placements.map((placement) => placedHost(name, [{ ...placement, platform }], placements.length > 1));
}
