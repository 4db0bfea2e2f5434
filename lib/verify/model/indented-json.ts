import { isAscii } from 'buffer';
import * as fs from 'fs';
import { VerifyInputError } from '../errors';

/** How {@link readIndentedJson} cuts a file. */
export interface IndentedJsonOptions {
  /** Members are parsed together up to about this many bytes of the file (a whole number, at least 1). @default 114688 (112 KiB) */
  readonly batchBytes?: number;
  /** Bytes of the file held in memory at once, grown when a piece or a line needs more (a whole number, at least 1). @default 8 MiB */
  readonly windowBytes?: number;
  /**
   * Members of the top-level object whose value, when it is an indented container longer than a
   * piece, is kept as text and parsed when first read (the property is a getter until then). Its
   * end is found by following its strings and brackets, so for valid JSON it is exact; its syntax
   * is checked only at that read, which throws a {@link VerifyInputError} when it is not valid
   * JSON. A later member of the same name makes the reader give up. A shorter value is parsed
   * with its piece.
   * @default none
   */
  readonly deferred?: ReadonlySet<string>;
}

/**
 * Pieces of ASCII text stay below V8's 128 KiB limit for strings allocated in the young
 * generation; of 32, 64, 107 and 117 KiB, the largest was fastest on the 10x bench stack.
 */
const DEFAULT_BATCH_BYTES = 112 * 1024;

const NEWLINE = 0x0a;
const SPACE = 0x20;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const LINE_END = Buffer.from('\n', 'latin1');

/** The layout is not the one this reader cuts by; the caller parses the file whole. */
class NotIndented extends Error {}

/**
 * Reads a JSON file written with two-space indentation (as cdktf writes `cdk.tf.json`) in pieces
 * of about `batchBytes`, through one reused window of the file. Returns the same value as
 * `JSON.parse` of the whole text, or `undefined` when the file is laid out otherwise or is not
 * valid JSON: the caller then parses it whole (and reports the error). The one exception is the
 * text of `deferred` members, checked when first read. Throws a `RangeError` for options out of
 * range, and what opening the file throws.
 *
 * Why: parsing a large file whole first copies all of it into a new buffer, then into one string
 * as large, and every page of that fresh memory is paid for before a byte is parsed; on a 130 MB
 * stack that was half of a query's time. Here the file passes through one window that is reused,
 * and each piece is a small string that the young generation recycles.
 *
 * Why it is exact: a raw newline never occurs inside a JSON string, so a line that starts with
 * the indentation of a container's members is a member, and one that starts with the container's
 * own indentation and its closing bracket ends it. The reader only guesses cut points from that
 * layout; each piece is then parsed by `JSON.parse` as a complete member list, the commas between
 * pieces are checked (only JSON's own whitespace around them), and anything unexpected gives up.
 * So the pieces joined are the file's text, and each is valid on its own: the value is the one
 * `JSON.parse` makes of the whole.
 */
export function readIndentedJson(file: string, options: IndentedJsonOptions = {}): unknown {
  for (const [name, value] of [['batchBytes', options.batchBytes], ['windowBytes', options.windowBytes]] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) throw new RangeError(`readIndentedJson: ${name} must be a whole number of at least 1, got ${value}`);
  }
  const fd = fs.openSync(file, 'r');
  try {
    const window = new FileWindow(fd, options.windowBytes ?? 8 * 1024 * 1024);
    const reader = new IndentedReader(window, options.batchBytes ?? DEFAULT_BATCH_BYTES, file, options.deferred ?? new Set());
    return reader.document();
  } catch {
    // any surprise, the layout's or this reader's: the whole-text parse decides
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/** A part of a file in memory, moved forward as the reader goes; positions are offsets in the file. */
class FileWindow {
  /** The earliest position the reader may still ask for: moving the window keeps it. */
  public mark = 0;
  private buffer: Buffer;
  private base = 0;
  private filled = 0;
  private atEnd = false;

  constructor(private readonly fd: number, size: number) {
    this.buffer = Buffer.allocUnsafe(size);
  }

  /** The byte at a position, or -1 past the end of the file. */
  public byte(position: number): number {
    const index = this.load(position, 1);
    return index < this.filled ? this.buffer[index] : -1;
  }

  /** The text between two positions. */
  public text(from: number, to: number): string {
    const start = this.load(from, to - from);
    const end = Math.min(start + to - from, this.filled);
    return isAscii(this.buffer.subarray(start, end)) ? this.buffer.toString('latin1', start, end) : this.buffer.toString('utf8', start, end);
  }

  /** The first position of `pattern` in `[from, from + limit)`, or -1. */
  public indexOf(pattern: Buffer, from: number, limit: number): number {
    const start = this.load(from, limit);
    const found = this.buffer.subarray(start, Math.min(start + limit, this.filled)).indexOf(pattern);
    return found < 0 ? -1 : from + found;
  }

  /** The last position of `pattern` in `[from, from + limit)`, or -1. */
  public lastIndexOf(pattern: Buffer, from: number, limit: number): number {
    const start = this.load(from, limit);
    const found = this.buffer.subarray(start, Math.min(start + limit, this.filled)).lastIndexOf(pattern);
    return found < 0 ? -1 : from + found;
  }

  /**
   * The bytes of the JSON container that opens at `from` (copied out, the window moving on as it
   * goes) and the position of its closing bracket, found by following strings and brackets: for
   * valid JSON that is the container's own end, however the text is indented. Throws when the
   * file ends first.
   */
  public copyContainer(from: number): { chunks: Buffer[]; end: number } {
    const chunks: Buffer[] = [];
    let depth = 0;
    let inString = false;
    let escaped = false;
    let at = from;
    for (;;) {
      this.mark = at;
      const start = this.load(at, this.buffer.length);
      if (start >= this.filled) throw new NotIndented('the file ends inside a container');
      const buffer = this.buffer;
      let index = start;
      for (; index < this.filled; index++) {
        const byte = buffer[index];
        if (inString) {
          if (escaped) escaped = false;
          else if (byte === BACKSLASH) escaped = true;
          else if (byte === QUOTE) inString = false;
        } else if (byte === QUOTE) {
          inString = true;
        } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
          depth++;
        } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
          depth--;
          if (depth === 0) break;
        }
      }
      if (index < this.filled) {
        chunks.push(Buffer.from(buffer.subarray(start, index)));
        return { chunks, end: this.base + index };
      }
      chunks.push(Buffer.from(buffer.subarray(start, this.filled)));
      at = this.base + this.filled;
    }
  }

  /** Whether the file ends before `position`. */
  public endsBefore(position: number): boolean {
    this.load(position, 1);
    return this.atEnd && position >= this.base + this.filled;
  }

  /** Makes `[position, position + length)` present (as far as the file goes); returns the index of `position` in the buffer. */
  private load(position: number, length: number): number {
    if (position < this.mark || position < this.base) throw new NotIndented('read behind the window');
    if (position + length <= this.base + this.filled || this.atEnd) return position - this.base;
    const keep = this.mark;
    const needed = position + length - keep;
    const kept = this.base + this.filled - keep;
    if (needed > this.buffer.length) {
      const larger = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
      this.buffer.copy(larger, 0, keep - this.base, this.filled);
      this.buffer = larger;
    } else {
      this.buffer.copy(this.buffer, 0, keep - this.base, this.filled);
    }
    this.base = keep;
    this.filled = kept;
    while (this.filled < this.buffer.length) {
      const read = fs.readSync(this.fd, this.buffer, this.filled, this.buffer.length - this.filled, this.base + this.filled);
      if (read === 0) {
        this.atEnd = true;
        break;
      }
      this.filled += read;
    }
    return position - this.base;
  }
}

/** Whether a comma came before the next member: none yet, one (a member must follow), or none after a member (the container must end). */
type Separator = 'start' | 'comma' | 'none';

/** Reads containers by their indentation, parsing runs of members as pieces. */
class IndentedReader {
  private readonly closings = new Map<string, Buffer>();
  /** The top-level members kept as text: a later member of the same name gives up (its text would go unchecked). */
  private readonly pending = new Set<string>();
  private readonly memberStarts = new Map<string, readonly Buffer[]>();

  constructor(
    private readonly window: FileWindow,
    private readonly batchBytes: number,
    private readonly file: string,
    private readonly deferred: ReadonlySet<string>,
  ) {}

  /** The whole file: one container opened on the first line, then only whitespace. */
  public document(): unknown {
    const first = this.window.byte(0);
    if ((first !== OPEN_BRACE && first !== OPEN_BRACKET) || this.window.byte(1) !== NEWLINE) throw new NotIndented('not an indented container');
    const [value, after] = this.container(1, 0, first === OPEN_BRACE);
    for (let position = after; !this.window.endsBefore(position); position++) {
      if (!isWhitespace(this.window.byte(position))) throw new NotIndented('text after the value');
    }
    return value;
  }

  /**
   * The container whose opening line ends at `newline` (the position of its `\n`), at `depth`
   * (its members indented by `2 * (depth + 1)` spaces); returns it and the position after its closer.
   */
  private container(newline: number, depth: number, isObject: boolean): [unknown, number] {
    const result: Record<string, unknown> | unknown[] = isObject ? {} : [];
    const closing = this.closingOf(depth, isObject);
    const starts = this.memberStartsOf(depth + 1, isObject);
    let at = newline;
    let separator: Separator = 'start';
    for (;;) {
      this.window.mark = at;
      const end = this.window.indexOf(closing, at, this.batchBytes + closing.length);
      if (end === at) {
        if (separator === 'comma') throw new NotIndented('comma before the closer');
        return [result, end + closing.length];
      }
      if (separator === 'none') throw new NotIndented('no comma between members');
      if (end > at) {
        // the rest of the container fits in one piece
        merge(result, this.checked(this.piece(at, end, isObject, true), depth));
        return [result, end + closing.length];
      }
      let cut = -1;
      for (const start of starts) cut = Math.max(cut, this.window.lastIndexOf(start, at + 1, this.batchBytes));
      if (cut > at) {
        merge(result, this.checked(this.piece(at, cut, isObject, false), depth));
        at = cut;
        separator = 'comma';
        continue;
      }
      // one member longer than a piece: read it on its own
      [at, separator] = this.member(result, at + 1, depth + 1, isObject);
    }
  }

  /** Reads one member whose line starts at `line` into `result`; returns the `\n` ending it and whether a comma followed. */
  private member(result: Record<string, unknown> | unknown[], line: number, depth: number, isObject: boolean): [number, Separator] {
    let at = line;
    for (const end = line + 2 * depth; at < end; at++) if (this.window.byte(at) !== SPACE) throw new NotIndented('indentation');
    let key = '';
    if (isObject) {
      if (this.window.byte(at) !== QUOTE) throw new NotIndented('no key');
      const keyEnd = this.stringEnd(at);
      key = JSON.parse(this.window.text(at, keyEnd)) as string;
      at = keyEnd;
      if (this.window.byte(at) !== COLON) throw new NotIndented('no colon');
      at++;
      while (this.window.byte(at) === SPACE) at++;
    }
    if (depth === 1 && this.pending.has(key)) throw new NotIndented('a deferred member named again');
    const open = this.window.byte(at);
    if ((open === OPEN_BRACE || open === OPEN_BRACKET) && this.window.byte(at + 1) === NEWLINE) {
      let after: number;
      if (depth === 1 && isObject && this.deferred.has(key)) {
        after = this.defer(result as Record<string, unknown>, key, at, open === OPEN_BRACE);
      } else {
        const [value, closed] = this.container(at + 1, depth, open === OPEN_BRACE);
        add(result, key, value);
        after = closed;
      }
      let separator: Separator = 'none';
      if (this.window.byte(after) === COMMA) {
        separator = 'comma';
        after++;
      }
      while (this.window.byte(after) !== NEWLINE) {
        if (!isWhitespace(this.window.byte(after))) throw new NotIndented('text after a member');
        after++;
      }
      return [after, separator];
    }
    // a value on one line: a scalar, or an empty or inline container
    const newline = this.lineEnd(at);
    const text = trimJsonEnd(this.window.text(at, newline));
    const comma = text.endsWith(',');
    add(result, key, JSON.parse(comma ? text.slice(0, -1) : text));
    return [newline, comma ? 'comma' : 'none'];
  }

  /**
   * Keeps the text of a top-level member's container (opened at `open`) and sets the member to a
   * getter that parses it when first read; returns the position after the container's closer.
   */
  private defer(result: Record<string, unknown>, key: string, open: number, isObject: boolean): number {
    this.pending.add(key);
    const { chunks, end } = this.window.copyContainer(open);
    const file = this.file;
    const parse = () => {
      // one buffer, decoded at once: a chunk may end inside a UTF-8 character
      const bytes = Buffer.concat(chunks);
      const text = `${bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8')}${isObject ? '}' : ']'}`;
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        throw new VerifyInputError(`${file} is not valid JSON: its "${key}" section: ${(error as Error).message}`);
      }
    };
    Object.defineProperty(result, key, {
      enumerable: true,
      configurable: true,
      get: () => {
        const value = parse();
        defineMember(result, key, value);
        return value;
      },
      set: (value: unknown) => defineMember(result, key, value),
    });
    return end + 1;
  }

  /** The piece, unless it is of the top-level object and names a member kept as text. */
  private checked(piece: Record<string, unknown> | unknown[], depth: number): Record<string, unknown> | unknown[] {
    if (depth === 0 && !Array.isArray(piece)) {
      for (const key of this.pending) if (Object.prototype.hasOwnProperty.call(piece, key)) throw new NotIndented('a deferred member named again');
    }
    return piece;
  }

  /** Parses the members between two positions (a `\n` each) as one list; all but the last piece end with the comma before the next member. */
  private piece(from: number, to: number, isObject: boolean, last: boolean): Record<string, unknown> | unknown[] {
    let text = trimJsonEnd(this.window.text(from, to));
    if (!last) {
      if (!text.endsWith(',')) throw new NotIndented('no comma between pieces');
      text = text.slice(0, -1);
    }
    if (JSON_WHITESPACE_ONLY.test(text)) throw new NotIndented('an empty piece');
    return JSON.parse(isObject ? `{${text}}` : `[${text}]`) as Record<string, unknown> | unknown[];
  }

  /** The position after the closing quote of the string that starts at `quote`. */
  private stringEnd(quote: number): number {
    for (let at = quote + 1; ; at++) {
      const byte = this.window.byte(at);
      if (byte < 0 || byte === NEWLINE) throw new NotIndented('unterminated key');
      if (byte === BACKSLASH) at++;
      else if (byte === QUOTE) return at + 1;
    }
  }

  /** The position of the `\n` that ends the line holding `from`. */
  private lineEnd(from: number): number {
    for (let limit = this.batchBytes; ; limit *= 2) {
      const found = this.window.indexOf(LINE_END, from, limit);
      if (found >= 0) return found;
      if (this.window.endsBefore(from + limit)) throw new NotIndented('no line end');
    }
  }

  /** `\n`, the container's indentation and its closer. */
  private closingOf(depth: number, isObject: boolean): Buffer {
    const key = `${depth}${isObject}`;
    let closing = this.closings.get(key);
    if (!closing) {
      closing = Buffer.from(`\n${' '.repeat(2 * depth)}${isObject ? '}' : ']'}`, 'latin1');
      this.closings.set(key, closing);
    }
    return closing;
  }

  /** How a member line of a container at `depth - 1` starts: a key, or (in an array) an object, array or string. */
  private memberStartsOf(depth: number, isObject: boolean): readonly Buffer[] {
    const key = `${depth}${isObject}`;
    let starts = this.memberStarts.get(key);
    if (!starts) {
      const indentation = `\n${' '.repeat(2 * depth)}`;
      starts = (isObject ? ['"'] : ARRAY_ELEMENT_STARTS).map((first) => Buffer.from(`${indentation}${first}`, 'latin1'));
      this.memberStarts.set(key, starts);
    }
    return starts;
  }
}

/** How a line that starts an array element (of an indented array) may begin: any JSON value. */
const ARRAY_ELEMENT_STARTS = ['{', '[', '"', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 't', 'f', 'n'];

/** JSON's four whitespace characters only: `trimEnd` would also remove others, which JSON does not allow. */
function trimJsonEnd(text: string): string {
  let end = text.length;
  while (end > 0 && isWhitespace(text.charCodeAt(end - 1))) end--;
  return end === text.length ? text : text.slice(0, end);
}

const JSON_WHITESPACE_ONLY = /^[ \t\r\n]*$/;

function isWhitespace(byte: number): boolean {
  return byte === SPACE || byte === NEWLINE || byte === 0x0d || byte === 0x09;
}

/** Adds one member: an element, or a key and its value. */
function add(result: Record<string, unknown> | unknown[], key: string, value: unknown): void {
  if (Array.isArray(result)) result.push(value);
  else setMember(result, key, value);
}

/** Adds a piece's members to the container, in order. */
function merge(result: Record<string, unknown> | unknown[], piece: Record<string, unknown> | unknown[]): void {
  if (Array.isArray(result)) {
    for (const value of piece as unknown[]) result.push(value);
    return;
  }
  // Object.assign sets `__proto__` as the prototype, not as a member
  if (!Object.prototype.hasOwnProperty.call(piece, '__proto__')) Object.assign(result, piece);
  else for (const key of Object.keys(piece)) setMember(result, key, (piece as Record<string, unknown>)[key]);
}

/** Sets a member as `JSON.parse` does: an own property, even one named `__proto__`. */
function setMember(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') defineMember(target, key, value);
  else target[key] = value;
}

/** Makes the member a plain data property with this value (replacing a getter). */
function defineMember(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}
