import { TerraformResource, TerraformStack } from 'cdktf';
import { isPlainData, LateWrite, plainCopy } from './late-writes';

/** What a stack keeps of `addOverride` (protected in cdktf's typings). */
interface Overridden {
  readonly rawOverrides: Record<string, unknown>;
}

/** A resource's arguments that go into the resolved document, and where. */
interface LateArguments {
  readonly type: string;
  readonly name: string;
  /**
   * Every key of the resource's body in its order, each followed by its plain value, or by
   * {@link RESOLVED} for an argument cdktf resolves: one list, as a resource's keys and values would
   * take an object with a property table each.
   */
  readonly arguments: readonly unknown[];
}

/** Stands in the list of a resource's arguments for one that cdktf resolves. */
const RESOLVED = Symbol('resolved by cdktf');

/** The arguments deferred in each stack's list of late writes, written by one write. */
const DEFERRED = new WeakMap<LateWrite[], LateArguments[]>();

/**
 * A bulk resource's fragment of its stack's JSON (`whole`, as cdktf's `toTerraform` just made it)
 * with the arguments that are plain data left out, which are written into the resolved document
 * instead (see `withLateWrites`), in the body's order. cdktf resolves each value of a fragment
 * twice (the fragment, then the whole document), making a context, its closures and a key path for
 * each, only to copy a string or a number; most of a rule's arguments are such values. Arguments
 * that hold a token, and every argument when the stack overrides its `resource` block (an override
 * is merged after the fragments), go through cdktf as before. The written Terraform is unchanged.
 */
export function withPlainArgumentsLate(resource: TerraformResource, whole: any, lateWrites: LateWrite[]): any {
  const type = resource.terraformResourceType;
  const name = resource.friendlyUniqueId;
  const bodies = whole?.resource?.[type];
  const body = bodies?.[name];
  if (!isPlainObject(body) || overridesResources(resource.cdktfStack)) return whole;
  const kept: Record<string, unknown> = {};
  const args: unknown[] = [];
  let deferred = 0;
  for (const key of Object.keys(body)) {
    const value = body[key];
    if (isPlainData(value) && isPlainData(key)) {
      args.push(key, value);
      deferred++;
    } else {
      kept[key] = value;
      args.push(key, RESOLVED);
    }
  }
  if (deferred === 0) return whole;
  deferredIn(lateWrites).push({ type, name, arguments: args });
  // the fragment is cdktf's new object for this call: its body is replaced, not shared
  bodies[name] = kept;
  return whole;
}

function deferredIn(lateWrites: LateWrite[]): LateArguments[] {
  let deferred = DEFERRED.get(lateWrites);
  if (deferred === undefined) {
    const list: LateArguments[] = [];
    lateWrites.push((document) => {
      for (const each of list) writeArguments(document, each);
    });
    DEFERRED.set(lateWrites, list);
    deferred = list;
  }
  return deferred;
}

/**
 * Puts a resource's plain arguments back into its resolved body, in the order the body had them.
 * An argument that another element also wrote into the body (the provenance comment under `"//"`)
 * is merged with it, objects key by key, as cdktf merges two fragments.
 */
function writeArguments(document: any, { type, name, arguments: args }: LateArguments): void {
  const resources = ((document.resource ??= {})[type] ??= {});
  const resolved: Record<string, unknown> | undefined = resources[name];
  const written: Record<string, unknown> = {};
  for (let at = 0; at < args.length; at += 2) {
    const key = args[at] as string;
    const value = args[at + 1];
    const other = resolved === undefined || !Object.hasOwn(resolved, key) ? undefined : resolved[key];
    if (value !== RESOLVED) written[key] = other === undefined ? plainCopy(value) : merged(plainCopy(value), other);
    else if (other !== undefined) written[key] = other;
  }
  // what other elements wrote into the body under keys it does not have
  if (resolved !== undefined) for (const key of Object.keys(resolved)) if (!Object.hasOwn(written, key)) written[key] = resolved[key];
  resources[name] = written;
}

/** `later` merged over `earlier`: two objects key by key, anything else replaced by `later`. */
function merged(earlier: unknown, later: unknown): unknown {
  if (!isPlainObject(earlier) || !isPlainObject(later)) return later;
  const result: Record<string, unknown> = { ...earlier };
  for (const key of Object.keys(later)) result[key] = Object.hasOwn(result, key) ? merged(result[key], later[key]) : later[key];
  return result;
}

function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether the stack overrides anything under `resource`, which cdktf merges after every fragment. */
function overridesResources(stack: TerraformStack): boolean {
  return Object.hasOwn((stack as unknown as Overridden).rawOverrides, 'resource');
}
