import { TerraformStack } from 'cdktf';

/** The stacks cdktf is preparing right now, each with the token strings prepared so far in that pass. */
const PREPARING = new Map<TerraformStack, Set<string>>();

/** Runs `prepare`, cdktf's `prepareStack` of `stack`, as that stack's preparation pass. */
export function asPreparation<T>(stack: TerraformStack, prepare: () => T): T {
  if (PREPARING.has(stack)) return prepare();
  PREPARING.set(stack, new Set());
  try {
    return prepare();
  } finally {
    PREPARING.delete(stack);
  }
}

/**
 * Whether cdktf is preparing `stack`: its first pass over the stack's elements, which resolves each
 * one's Terraform so that lazy values run and cross-stack references are registered, and throws the
 * result away. An element whose Terraform holds neither can leave itself out of that pass.
 */
export function isPreparing(stack: TerraformStack): boolean {
  return PREPARING.has(stack);
}

/**
 * The token strings already resolved in the current preparation pass of `stack` (see
 * `prepareLightly`), or undefined when the stack is not being prepared.
 */
export function preparedTokens(stack: TerraformStack): Set<string> | undefined {
  return PREPARING.get(stack);
}
