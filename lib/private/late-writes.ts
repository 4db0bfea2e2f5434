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
 * Whether cdktf's resolution would give back `value` as {@link plainCopy} copies it: nothing but
 * plain objects, lists, strings, booleans and numbers that are not token numbers, and no text with
 * a token's marker (a string's, a list's or a map's) or that could read as a token number. Inside
 * an object or a list, `undefined` is plain too: resolution leaves it out, and so does the copy.
 */
export function isPlainData(value: unknown): boolean {
  if (typeof value === 'boolean') return true;
  if (typeof value === 'number') return !Token.isUnresolved(value);
  if (typeof value === 'string') return !value.includes(TOKEN_MARKER) && !holdsTokenNumber(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (value[i] !== undefined && !isPlainData(value[i])) return false;
    return true;
  }
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key of Object.keys(value)) {
    const member = (value as Record<string, unknown>)[key];
    if (!isPlainData(key) || (member !== undefined && !isPlainData(member))) return false;
  }
  return true;
}

/** What every token's text holds: `${TfToken[...]}`, `#{TfToken[...]}` (a list's), `&{TfToken[...]}` (a map's). */
const TOKEN_MARKER = 'TfToken[';

/** Text cdktf reads as a number written into a string, to look it up among its token numbers. */
const NUMBER_TEXT = /[-|\d|.+]+(e[-|\d|.|e|E|+]+)/g;

/**
 * Whether cdktf would read a token number in `text` (`-1.8881545897087626e+289`), as it does: each
 * match of its pattern, parsed. Text without an `e` between a character the pattern takes before it
 * and one it takes after it (most text: `estate/Web`) cannot match, and is answered without it.
 */
function holdsTokenNumber(text: string): boolean {
  if (!mayHoldNumberText(text)) return false;
  for (const match of text.matchAll(NUMBER_TEXT)) {
    if (Token.isUnresolved(parseFloat(match[0]))) return true;
  }
  return false;
}

/** Whether some `e` of `text` follows a character of `[-|\d|.+]` and precedes one of `[-|\d|.|e|E|+]`: what a match of {@link NUMBER_TEXT} needs. */
function mayHoldNumberText(text: string): boolean {
  for (let at = text.indexOf('e', 1); at > 0 && at < text.length - 1; at = text.indexOf('e', at + 1)) {
    if (isNumberTextBefore(text.charCodeAt(at - 1)) && (isNumberTextBefore(text.charCodeAt(at + 1)) || text[at + 1] === 'e' || text[at + 1] === 'E')) return true;
  }
  return false;
}

/** Whether a character is one of `-`, `|`, a digit, `.` or `+` (the pattern's class before the `e`). */
function isNumberTextBefore(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || code === 0x2d || code === 0x7c || code === 0x2e || code === 0x2b;
}

/**
 * A copy of plain data, as resolution makes: whoever reads the document may change it. As
 * resolution does, it leaves out `undefined` members and list items. (Loops, not `map` and
 * `Object.entries`: on a synthesis of a few seconds V8's optimizing compiler spent as long
 * compiling those callbacks as the copies took.)
 */
export function plainCopy<T>(value: T): T {
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    for (let i = 0; i < value.length; i++) if (value[i] !== undefined) copy.push(plainCopy(value[i]));
    return copy as T;
  }
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) copy[key] = plainCopy(member);
  }
  return copy as T;
}
