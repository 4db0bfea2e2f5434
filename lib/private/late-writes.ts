import { TerraformStack, Token } from 'cdktf';

/** A write into a stack's JSON document, made once cdktf has resolved the document. */
export type LateWrite = (document: any) => void;

/** The stacks whose JSON {@link withLateWrites} is making, with the writes their elements deferred. */
const LATE_WRITES = new WeakMap<TerraformStack, LateWrite[]>();

/**
 * Makes a stack's JSON with `synthesize` (its `toTerraform`), then makes the writes its elements
 * deferred meanwhile (see {@link lateWritesOf}), in the order they were deferred.
 *
 * cdktf resolves every value of a stack twice, in its element's fragment and then in the whole
 * document, making several objects per value each time. For plain data that only copies it: the
 * library's provenance comments and `moved` blocks were about a quarter of the values of a stack of
 * rules. Written late, they are made once.
 */
export function withLateWrites<T>(stack: TerraformStack, synthesize: () => T): T {
  const writes: LateWrite[] = [];
  LATE_WRITES.set(stack, writes);
  let document: T;
  try {
    document = synthesize();
  } finally {
    LATE_WRITES.delete(stack);
  }
  for (const write of writes) write(document);
  return document;
}

/**
 * Where an element of `stack` defers a write of plain data while {@link withLateWrites} makes the
 * stack's JSON; undefined at any other time (cdktf's preparation pass, HCL output, a stack the
 * library does not hook), when the element writes its data as usual.
 */
export function lateWritesOf(stack: TerraformStack): LateWrite[] | undefined {
  return LATE_WRITES.get(stack);
}

/**
 * Whether cdktf's resolution would give back `value` unchanged: nothing but plain objects, lists,
 * strings and booleans, and no text with a token's marker (a string's, a list's or a map's) or that
 * could read as a token number.
 */
export function isPlainData(value: unknown): boolean {
  if (typeof value === 'boolean') return true;
  if (typeof value === 'string') return !value.includes(TOKEN_MARKER) && !holdsTokenNumber(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!isPlainData(value[i])) return false;
    return true;
  }
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key of Object.keys(value)) {
    if (!isPlainData(key) || !isPlainData((value as Record<string, unknown>)[key])) return false;
  }
  return true;
}

/** What every token's text holds: `${TfToken[...]}`, `#{TfToken[...]}` (a list's), `&{TfToken[...]}` (a map's). */
const TOKEN_MARKER = 'TfToken[';

/** Text cdktf reads as a number written into a string, to look it up among its token numbers. */
const NUMBER_TEXT = /[-|\d|.+]+(e[-|\d|.|e|E|+]+)/g;

/** Whether cdktf would read a token number in `text` (`-1.8881545897087626e+289`), as it does: each match of its pattern, parsed. */
function holdsTokenNumber(text: string): boolean {
  for (const match of text.matchAll(NUMBER_TEXT)) {
    if (Token.isUnresolved(parseFloat(match[0]))) return true;
  }
  return false;
}

/**
 * A copy of plain data, as resolution makes: whoever reads the document may change it. (Loops, not
 * `map` and `Object.entries`: on a synthesis of a few seconds V8's optimizing compiler spent as long
 * compiling those callbacks as the copies took.)
 */
export function plainCopy<T>(value: T): T {
  if (Array.isArray(value)) {
    const copy: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = plainCopy(value[i]);
    return copy as T;
  }
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) copy[key] = plainCopy((value as Record<string, unknown>)[key]);
  return copy as T;
}
