import { MatchLevel, bestMatch, weakestMatch } from './rule-traffic';

/**
 * How a rule's peer matches an endpoint when some address in it is an expression the JSON does not
 * resolve: `least` is the match as read (an unresolved address matches nothing), `most` the match if
 * every unresolved address were the endpoint's. They differ only through `unresolved`.
 */
export interface MatchBounds {
  /** The certain match. */
  readonly least: MatchLevel;
  /** The match if every unresolved address were the endpoint's. */
  readonly most: MatchLevel;
  /** An unresolved address that raises `most` above `least`, when one does. */
  readonly unresolved?: string;
}

/** The exact bounds of each level, shared: a matrix asks for one per rule and host pair. */
const EXACT: Readonly<Record<MatchLevel, MatchBounds>> = {
  full: Object.freeze({ least: 'full', most: 'full' }),
  partial: Object.freeze({ least: 'partial', most: 'partial' }),
  none: Object.freeze({ least: 'none', most: 'none' }),
};

/** Bounds of a match that does not depend on any unresolved address. */
export function exactBounds(level: MatchLevel): MatchBounds {
  return EXACT[level];
}

/** Bounds from their parts; the unresolved address is kept only while it makes a difference. */
export function matchBounds(least: MatchLevel, most: MatchLevel, unresolved: string | undefined): MatchBounds {
  return least === most || unresolved === undefined ? EXACT[least] : { least, most, unresolved };
}

/** The better of two bounds (an endpoint matched through any of several selectors). */
export function bestBounds(a: MatchBounds, b: MatchBounds): MatchBounds {
  return matchBounds(bestMatch(a.least, b.least), bestMatch(a.most, b.most), a.unresolved ?? b.unresolved);
}

/** The weaker of two bounds (every part must match). */
export function weakestBounds(a: MatchBounds, b: MatchBounds): MatchBounds {
  return matchBounds(weakestMatch(a.least, b.least), weakestMatch(a.most, b.most), a.unresolved ?? b.unresolved);
}

/** Bounds of a negated selector (an excluded group): a possible member is only possibly outside. */
export function negatedBounds(bounds: MatchBounds): MatchBounds {
  return matchBounds(negated(bounds.most), negated(bounds.least), bounds.unresolved);
}

function negated(level: MatchLevel): MatchLevel {
  return level === 'full' ? 'none' : level === 'none' ? 'full' : 'partial';
}
