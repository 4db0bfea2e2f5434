import { IConstruct } from 'constructs';

const PATHS = new WeakMap<IConstruct, string>();

/**
 * A construct's `node.path`, worked out once: constructs joins the ids of every scope on each read,
 * and the renderers read the paths of flows and stacks for every rule. A construct's scopes never
 * change, so neither does its path.
 */
export function pathOf(construct: IConstruct): string {
  let path = PATHS.get(construct);
  if (path === undefined) {
    path = construct.node.path;
    PATHS.set(construct, path);
  }
  return path;
}
