import { IConstruct } from 'constructs';
import { compare } from './compare';
import { flatText } from './flat-text';
import { constructPath } from './one-byte-strings';

const PATHS = new WeakMap<IConstruct, string>();

/**
 * A construct's path (`constructPath`: the text of `node.path`, one byte per character), worked out
 * once: constructs joins the ids of every scope on each read, and the renderers read the paths of
 * flows and stacks for every rule. A construct's scopes never change, so neither does its path.
 */
export function pathOf(construct: IConstruct): string {
  let path = PATHS.get(construct);
  if (path === undefined) {
    path = flatText(constructPath(construct));
    PATHS.set(construct, path);
  }
  return path;
}

/**
 * Orders constructs by path, as `compare` orders their `node.path` texts, each path worked out
 * once: sorting by `node.path` joins every scope's id on each comparison.
 */
export function byPath(a: IConstruct, b: IConstruct): number {
  return compare(pathOf(a), pathOf(b));
}
