import { IConstruct } from 'constructs';

/**
 * Whether `scope` or a construct below it satisfies `test`, stopping at the first that does:
 * `node.findAll()` lists the whole tree first, and a stack's provider, the usual answer, is
 * declared near its top.
 */
export function holdsConstruct(scope: IConstruct, test: (construct: IConstruct) => boolean): boolean {
  const pending: IConstruct[] = [scope];
  for (let construct = pending.pop(); construct !== undefined; construct = pending.pop()) {
    if (test(construct)) return true;
    const children = construct.node.children;
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]);
  }
  return false;
}
