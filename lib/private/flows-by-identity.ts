import { IConstruct } from 'constructs';

/** A flow as the index knows it: a construct with an identity. */
interface IdentifiedFlow extends IConstruct {
  readonly identity: string;
}

const INDEX = new WeakMap<IConstruct, Map<string, IdentifiedFlow>>();

/** Records that `flow`, a child of `scope`, has its identity: a helper that declares flows looks it up instead of scanning every child. */
export function indexFlowChild(scope: IConstruct, flow: IdentifiedFlow): void {
  let byIdentity = INDEX.get(scope);
  if (!byIdentity) {
    byIdentity = new Map();
    INDEX.set(scope, byIdentity);
  }
  if (!byIdentity.has(flow.identity)) byIdentity.set(flow.identity, flow);
}

/**
 * Whether a flow with `identity` is a child of `scope`. The lookup costs the same however many
 * flows the scope holds; when the indexed flow was removed from the tree, one scan of the children
 * finds another flow with that identity, if any, and the index remembers what it found.
 */
export function hasFlowChild(scope: IConstruct, identity: string, isFlow: (child: IConstruct) => child is IdentifiedFlow): boolean {
  const byIdentity = INDEX.get(scope);
  const indexed = byIdentity?.get(identity);
  if (indexed === undefined) return false;
  if (scope.node.tryFindChild(indexed.node.id) === indexed) return true;
  const found = scope.node.children.find((child): child is IdentifiedFlow => isFlow(child) && child.identity === identity);
  if (found) byIdentity!.set(identity, found);
  else byIdentity!.delete(identity);
  return found !== undefined;
}
