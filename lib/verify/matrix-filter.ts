import { Endpoint } from './estate/endpoints';
import { Estate } from './estate/estate';

/** Which rows and columns a matrix keeps. Patterns match a name exactly or with `*` wildcards (`shop/*`). */
export interface MatrixFilter {
  /** Sources to keep. @default every source */
  readonly from?: readonly string[];
  /** Destinations to keep. @default every destination */
  readonly to?: readonly string[];
  /**
   * Segments to keep on both sides. External peers are never filtered out by segment, stack or platform:
   * the matrix keeps those that reach or are reached by a kept segment.
   * @default every segment
   */
  readonly segments?: readonly string[];
  /** Stacks whose segments to keep. @default every stack */
  readonly stacks?: readonly string[];
  /** Platforms (`aws`, `azure`, `nsx`) whose segments to keep. @default every platform */
  readonly platforms?: readonly string[];
}

/** The platforms an endpoint's hosts are on (`aws`, `azure`, `nsx`). */
export function platformsOfEndpoint(endpoint: Endpoint): string[] {
  const platforms = new Set<string>();
  for (const host of endpoint.hosts) {
    if (host.aws || host.awsSubnet) platforms.add('aws');
    if (host.azure) platforms.add('azure');
    if (host.nsx) platforms.add('nsx');
  }
  return [...platforms].sort();
}

/** The stacks a segment's groups live in (or the first part of its path when it has none). */
export function stacksOfSegment(estate: Estate, name: string): string[] {
  const keys = estate.inventory.segments.get(name)?.groupKeys ?? [];
  const stacks = new Set(keys.map((key) => key.split('/')[0]));
  if (stacks.size === 0) stacks.add(name.split('/')[0]);
  return [...stacks].sort();
}

/** Whether a name matches one of the patterns (exactly, or with `*` standing for any text). */
export function matchesAny(name: string, patterns: readonly string[] | undefined): boolean {
  if (!patterns || patterns.length === 0) return true;
  return patterns.some((pattern) => pattern === name || globRegExp(pattern).test(name));
}

/**
 * Whether a segment (`external` false) or an external peer passes the side-independent part of the
 * filter (segments, stacks, platforms). External peers always pass: whether one is shown depends on
 * whether it reaches, or is reached by, a kept segment.
 */
export function keepsEndpoint(estate: Estate, endpoint: Endpoint, external: boolean, filter: MatrixFilter): boolean {
  if (external) return true;
  if (!matchesAny(endpoint.name, filter.segments)) return false;
  if (filter.stacks?.length && !stacksOfSegment(estate, endpoint.name).some((stack) => filter.stacks!.includes(stack))) return false;
  if (filter.platforms?.length && !platformsOfEndpoint(endpoint).some((platform) => filter.platforms!.includes(platform))) return false;
  return true;
}

function globRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}
