import { DefaultTokenResolver, StringConcat, TerraformResource, TerraformStack, Token, Tokenization } from 'cdktf';
import { TerraformDynamicBlock } from 'cdktf/lib/terraform-dynamic-block';
import { withPlainArgumentsLate } from './late-body';
import { lateWritesOf } from './late-writes';
import { preparedTokens } from './preparation-pass';

/** What cdktf's preparation pass would read of a resource, beyond its public members. */
interface PreparedParts {
  readonly rawOverrides: unknown;
  readonly _imported?: unknown;
  synthesizeAttributes(): Record<string, unknown>;
}

const RESOLVER = new DefaultTokenResolver(new StringConcat());

/**
 * Lets a resource the library builds in bulk (one per rule) be prepared lightly: while cdktf
 * prepares its stack, the resource resolves each distinct token string among its attributes and
 * meta-arguments once per pass, and each token object (a lazy list or map of rules) where it
 * stands, as that pass would (so lazy values run and cross-stack references register), and hands
 * the pass nothing instead of a whole Terraform body to resolve and throw away. Anything that pass
 * could treat otherwise (a token number or key, a dynamic block, an import, a move) makes the
 * resource hand over its full body. When the stack's JSON is made, its plain arguments are written
 * after cdktf resolves the stack (`withPlainArgumentsLate`). The written Terraform is unchanged.
 */
export function prepareLightly<T extends TerraformResource>(resource: T): T {
  Object.defineProperty(resource, 'toTerraform', { value: lightlyPreparedTerraform, writable: true, configurable: true });
  return resource;
}

/**
 * A resource's whole Terraform body, even while its stack is prepared: what the library reads of
 * its own rules in that pass (a lightly prepared rule would otherwise resolve its tokens again).
 */
export function wholeTerraform(resource: TerraformResource): any {
  return Object.getPrototypeOf(resource).toTerraform.call(resource);
}

function lightlyPreparedTerraform(this: TerraformResource): unknown {
  const prepared = preparedTokens(this.cdktfStack);
  if (prepared && preparedHere(this, prepared)) return {};
  const lateWrites = lateWritesOf(this.cdktfStack);
  return lateWrites ? withPlainArgumentsLate(this, wholeTerraform(this), lateWrites) : wholeTerraform(this);
}

/** Prepares what the resource holds, if it holds only plain values and token strings. */
function preparedHere(resource: TerraformResource, prepared: Set<string>): boolean {
  const parts = resource as unknown as PreparedParts;
  if (resource.hasResourceMove() || parts._imported !== undefined) return false;
  const stack = resource.cdktfStack;
  return holdsPrepared(parts.synthesizeAttributes(), stack, prepared)
    && holdsPrepared(resource.terraformMetaArguments, stack, prepared)
    && holdsPrepared(resource.provisioners, stack, prepared)
    && holdsPrepared(resource.connection, stack, prepared)
    && holdsPrepared(parts.rawOverrides, stack, prepared);
}

/**
 * Whether a value is plain data whose tokens are now prepared in the stack: each token string not
 * seen before, and each token object, is resolved here. False for anything else, which cdktf's own
 * pass then resolves.
 */
function holdsPrepared(value: unknown, stack: TerraformStack, prepared: Set<string>): boolean {
  if (value === undefined || value === null || typeof value === 'boolean') return true;
  if (typeof value === 'number') return !Token.isUnresolved(value);
  if (typeof value === 'string') {
    if (prepared.has(value) || !Token.isUnresolved(value)) return true;
    Tokenization.resolve(value, { scope: stack, preparing: true, resolver: RESOLVER });
    prepared.add(value);
    return true;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!holdsPrepared(value[i], stack, prepared)) return false;
    return true;
  }
  if (typeof value !== 'object') return false;
  // a dynamic block is a token only cdktf's own pass may take (it moves it under `dynamic`)
  if (TerraformDynamicBlock.isTerraformDynamicBlock(value)) return false;
  if (Tokenization.isResolvable(value)) {
    // a lazy value, resolved once here as the pass would resolve it once in the body
    Tokenization.resolve(value, { scope: stack, preparing: true, resolver: RESOLVER });
    return true;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (Token.isUnresolved(key) || !holdsPrepared(record[key], stack, prepared)) return false;
  }
  return true;
}
