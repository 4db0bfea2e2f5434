import { Node } from 'constructs';

/**
 * Runs `declare` and counts the construct children it read (`node.children`, each call building a
 * new array of every child), with what it returned: a scan of an owner's children per new child
 * shows as reads that grow with the square of the children.
 */
export function countChildReads<T>(declare: () => T): { readonly reads: number; readonly result: T } {
  const childrenGetter = Object.getOwnPropertyDescriptor(Node.prototype, 'children')!.get!;
  let reads = 0;
  const spy = jest.spyOn(Node.prototype, 'children', 'get').mockImplementation(function (this: Node) {
    const children = childrenGetter.call(this);
    reads += children.length;
    return children;
  });
  try {
    const result = declare();
    return { reads, result };
  } finally {
    spy.mockRestore();
  }
}
