import { VerifyInputError } from './errors';
import { Endpoint } from './estate/endpoints';
import { Estate } from './estate/estate';
import { PLATFORMS } from './platforms/registry';

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
  /** Platforms (by the names the registered platforms give themselves: `aws`, `azure`, `nsx`) whose segments to keep. @default every platform */
  readonly platforms?: readonly string[];
}

/** The platforms an endpoint's hosts are on (those with an entry in a host), sorted. */
export function platformsOfEndpoint(endpoint: Endpoint): string[] {
  const platforms = new Set<string>();
  for (const host of endpoint.hosts) {
    for (const platform of PLATFORMS.all) if (host.platforms?.[platform.name] !== undefined) platforms.add(platform.name);
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

/**
 * Throws a {@link VerifyInputError} naming the first filter value that matches nothing in the estate
 * (with the known stacks or platforms where those are few), so that a typo is not taken for an empty
 * matrix. `segments` are the estate's segments, `externals` its external peers.
 */
export function checkFilterMatches(estate: Estate, segments: readonly Endpoint[], externals: readonly Endpoint[], filter: MatrixFilter): void {
  const stacks = [...new Set(segments.flatMap((segment) => stacksOfSegment(estate, segment.name)))].sort();
  const platforms = [...new Set(segments.flatMap(platformsOfEndpoint))].sort();
  const names = [...segments, ...externals].map((endpoint) => endpoint.name);
  const checks: { option: string; values?: readonly string[]; matches: (value: string) => boolean; what: string; known?: readonly string[] }[] = [
    { option: '--stack', values: filter.stacks, matches: (value) => stacks.includes(value), what: 'no stack', known: stacks },
    { option: '--platform', values: filter.platforms, matches: (value) => platforms.includes(value), what: 'no platform of the segments', known: platforms },
    { option: '--segment', values: filter.segments, matches: (value) => segments.some((segment) => matchesAny(segment.name, [value])), what: 'no segment' },
    { option: '--from', values: filter.from, matches: (value) => names.some((name) => matchesAny(name, [value])), what: 'no segment or external peer' },
    { option: '--to', values: filter.to, matches: (value) => names.some((name) => matchesAny(name, [value])), what: 'no segment or external peer' },
  ];
  for (const check of checks) {
    const value = (check.values ?? []).find((candidate) => !check.matches(candidate));
    if (value === undefined) continue;
    const known = check.known ? `; known: ${check.known.join(', ') || 'none'}` : '';
    throw new VerifyInputError(`${check.option} "${value}" matches ${check.what}${known}`);
  }
}

function globRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}
