import { PolicyRegistry } from '../registry';

/**
 * `compute`, worked out again only when something was declared since its last result: every flow,
 * deny, workload, segment, membership and enforcement is a declaration, so a result that depends
 * only on them is read as often as needed and computed once per declaration state.
 */
export function oncePerDeclarationState<T>(registry: PolicyRegistry, compute: () => T): () => T {
  let last: { readonly declared: number; readonly value: T } | undefined;
  return () => {
    const declared = registry.declarationCount;
    if (last?.declared !== declared) last = { declared, value: compute() };
    return last.value;
  };
}
