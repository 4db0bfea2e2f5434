import { IConstruct } from 'constructs';

/**
 * The root of the construct tree `scope` belongs to, by walking its scopes. `node.root` builds the
 * list of every scope above the construct to take its first, and the registry, the allocations and
 * the renderers ask for the root of each workload, flow and rule.
 */
export function rootOf(scope: IConstruct): IConstruct {
  let construct = scope;
  for (let parent = construct.node.scope; parent !== undefined; parent = parent.node.scope) construct = parent;
  return construct;
}

/**
 * The value kept under `key` on the root of the app `scope` belongs to, made by `create` the first
 * time it is asked for (a non-enumerable property, so it is neither copied nor listed): state that
 * belongs to one app, such as its registry, without a module-wide table that would outlive the app.
 */
export function appWide<T>(scope: IConstruct, key: symbol, create: (root: IConstruct) => T): T {
  const root = rootOf(scope) as unknown as Record<symbol, T | undefined>;
  let value = root[key];
  if (value === undefined) {
    value = create(root as unknown as IConstruct);
    Object.defineProperty(root, key, { value });
  }
  return value;
}
