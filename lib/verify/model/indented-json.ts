import { isAscii } from 'buffer';
import * as fs from 'fs';
import { VerifyInputError } from '../errors';
import { valueFor } from '../multimap';
import { ABSENT, KeptFile, KeptMemberPlace, KeptText, SPANS_LINES, defineMember, keepText } from './kept-text';

/** How {@link readIndentedJson} cuts a file. */
export interface IndentedJsonOptions {
  /** Members are parsed together up to about this many bytes of the file (a whole number, at least 1). @default 114688 (112 KiB) */
  readonly batchBytes?: number;
  /** Bytes of the file held in memory at once, grown when a piece or a line needs more (a whole number, at least 1). @default 8 MiB */
  readonly windowBytes?: number;
  /**
   * Members of the top-level object whose value, when it is an indented container longer than a
   * piece, is left unparsed and read again from the file when first read (the property is a
   * getter until then). Its end is found by following its strings and brackets, so for valid JSON
   * it is exact; its syntax is checked only at that read, which throws a {@link VerifyInputError}
   * when it is not valid JSON. A later member of the same name makes the reader give up. A shorter
   * value is parsed with its piece.
   * @default none
   */
  readonly deferred?: ReadonlySet<string>;
  /**
   * Top-level members (such as `resource`) whose own members, when they are objects longer than a
   * piece, are left unparsed: each is a getter that reads and parses it when first read, and
   * `keptTextOf` (`kept-text.ts`) gives its {@link KeptText} meanwhile, so that a caller can read
   * some of its members without parsing the others. Its members are walked by the layout (a line at
   * their indentation opens one, a line of their closer ends it; another member's line, or the
   * object's own, inside one gives up), which is trusted for members never read: a member read is
   * parsed alone, and the whole object's text when it is read (a text that does not parse is read
   * from the whole file). Any other surprise of the layout, or a later member of the same name,
   * makes the reader give up.
   * @default none
   */
  readonly keptWithin?: ReadonlySet<string>;
  /**
   * Fields of each member of a kept object (members one level below it, fields two) that are read
   * from their own lines as the text passes, for {@link KeptText.members}: a field written more than
   * once in a member (at any depth), or in a member holding a `\u` escape, is read by parsing the
   * member then.
   * @default none
   */
  readonly keptFields?: readonly string[];
}

/** What the reader leaves unparsed. */
interface Kept {
  readonly deferred: ReadonlySet<string>;
  readonly keptWithin: ReadonlySet<string>;
  readonly keptFields: readonly string[];
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
/** How a `\u` escape starts. */
const UNICODE_ESCAPE = Buffer.from('\\u', 'latin1');
/** How a member line that opens an object ends its key. */
const KEY_OPENS_OBJECT = Buffer.from('": {\n', 'latin1');

/** How the members of a kept object at one depth, and the kept fields of each, are laid out. */
interface MemberLayout {
  readonly memberLine: Buffer;
  readonly memberCloser: Buffer;
  /** Per kept field, in the order of {@link IndentedJsonOptions.keptFields}, how its line starts. */
  readonly fieldLines: readonly Buffer[];
  /**
   * Per kept field, its key in quotes, without the colon: searched for at any depth, so that a key
   * written otherwise than on the field's line (a space before its colon) is seen too.
   */
  readonly fieldKeys: readonly Buffer[];
  /**
   * Lines no member's text holds in this layout: another member's key line, and the object's own
   * closer and key line. One of them inside a member means the layout misled the walk (a line
   * indented otherwise), so the reader gives up.
   */
  readonly outerLines: readonly Buffer[];
}

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
    const stat = fs.fstatSync(fd);
    const window = new FileWindow(fd, options.windowBytes ?? 8 * 1024 * 1024);
    const reader = new IndentedReader(window, options.batchBytes ?? DEFAULT_BATCH_BYTES, { file, size: stat.size, mtimeMs: stat.mtimeMs }, {
      deferred: options.deferred ?? new Set(),
      keptWithin: options.keptWithin ?? new Set(),
      keptFields: options.keptFields ?? [],
    });
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
   * The position of the closing bracket of the JSON container that opens at `from`, found by
   * following strings and brackets (the window moving on as it goes): for valid JSON that is the
   * container's own end, however the text is indented. Throws when the file ends first.
   */
  public containerEnd(from: number): number {
    let depth = 0;
    let inString = false;
    let escaped = false;
    let at = from;
    for (;;) {
      this.mark = at;
      const start = this.load(at, this.buffer.length);
      if (start >= this.filled) throw new NotIndented('the file ends inside a container');
      const buffer = this.buffer;
      for (let index = start; index < this.filled; index++) {
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
          if (depth === 0) return this.base + index;
        }
      }
      at = this.base + this.filled;
    }
  }

  /**
   * The window's own bytes, holding `[position, position + length)` as far as the file goes (the
   * window moved to start at `position` when needed); `bytes[i]` is the file's byte at `base + i`
   * for `i < end`, and `complete` says that the file ends within them. Positions before `position`
   * may no longer be asked for.
   */
  public view(position: number, length: number): { bytes: Buffer; base: number; end: number; complete: boolean } {
    this.mark = position;
    this.load(position, length);
    return { bytes: this.buffer, base: this.base, end: this.filled, complete: this.atEnd };
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
  /** Per container, the members kept as text: a later member of the same name gives up (its text would go unchecked). */
  private readonly pendingIn = new WeakMap<object, Set<string>>();
  private readonly memberStarts = new Map<string, readonly Buffer[]>();

  private readonly memberLayouts = new Map<number, MemberLayout>();

  constructor(
    private readonly window: FileWindow,
    private readonly batchBytes: number,
    private readonly file: KeptFile,
    private readonly kept: Kept,
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
   * `keptIn` names the top-level member it is, when its long members are kept as text.
   */
  private container(newline: number, depth: number, isObject: boolean, keptIn?: string): [unknown, number] {
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
        merge(result, this.checked(this.piece(at, end, isObject, true), result));
        return [result, end + closing.length];
      }
      let cut = -1;
      for (const start of starts) cut = Math.max(cut, this.window.lastIndexOf(start, at + 1, this.batchBytes));
      if (cut > at) {
        merge(result, this.checked(this.piece(at, cut, isObject, false), result));
        at = cut;
        separator = 'comma';
        continue;
      }
      // one member longer than a piece: read it on its own
      [at, separator] = this.member(result, at + 1, depth + 1, isObject, keptIn);
    }
  }

  /** Reads one member whose line starts at `line` into `result`; returns the `\n` ending it and whether a comma followed. */
  private member(result: Record<string, unknown> | unknown[], line: number, depth: number, isObject: boolean, keptIn?: string): [number, Separator] {
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
    if (this.pendingIn.get(result)?.has(key)) throw new NotIndented('a deferred member named again');
    const open = this.window.byte(at);
    if ((open === OPEN_BRACE || open === OPEN_BRACKET) && this.window.byte(at + 1) === NEWLINE) {
      let after: number;
      if (depth === 1 && isObject && this.kept.deferred.has(key)) {
        after = this.defer(result as Record<string, unknown>, key, at, open === OPEN_BRACE);
      } else if (keptIn !== undefined && isObject && open === OPEN_BRACE) {
        after = this.keep(result as Record<string, unknown>, [keptIn, key], at, depth);
      } else {
        const keepMembers = depth === 1 && isObject && this.kept.keptWithin.has(key);
        const [value, closed] = this.container(at + 1, depth, open === OPEN_BRACE, keepMembers ? key : undefined);
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
    this.pendingOf(result).add(key);
    const end = this.window.containerEnd(open);
    keepText(result, key, new KeptText({ file: this.file, from: open, to: end, isObject, path: [key], endBy: 'brackets' }));
    return end + 1;
  }

  /**
   * Keeps the text of a member's object (opened at `open`, the member at `depth`) up to the line
   * of its own closer, walking its members by the layout, and sets the member to a getter that
   * parses it when first read; returns the position after the closer. Any surprise of the layout
   * gives up, as elsewhere: the whole text is then parsed.
   */
  private keep(result: Record<string, unknown>, path: readonly [string, string], open: number, depth: number): number {
    this.pendingOf(result).add(path[1]);
    const closing = this.closingOf(depth, true);
    const walked = this.keptMembers(open, depth, closing);
    if (!walked) throw new NotIndented('a kept object laid out otherwise');
    const members = { fields: this.kept.keptFields, members: walked.places };
    keepText(result, path[1], new KeptText({ file: this.file, from: open, to: walked.end, isObject: true, path, endBy: 'layout' }, members));
    return walked.end + closing.length;
  }

  /**
   * Walks the members of a kept object (opened at `open`, the member at `depth`) by the layout,
   * reading the kept fields of each from their own lines; returns them and the position of the
   * object's closing line, or undefined when the layout surprises it. It works on the window's
   * bytes directly: a large section has a hundred thousand members.
   */
  private keptMembers(open: number, depth: number, closing: Buffer): { places: KeptMemberPlace[]; end: number } | undefined {
    const layout = this.memberLayoutOf(depth);
    const places: KeptMemberPlace[] = [];
    const names = new Set<string>();
    let at = open + 1;
    if (this.window.byte(at) !== NEWLINE) return undefined;
    let separator: Separator = 'start';
    // at least a member's first line and a closer in view, however small the pieces
    const least = Math.max(this.batchBytes, 256);
    let length = least;
    let view = this.window.view(at, length);
    let next = searchesOf(layout);
    // many members name the same few groups: one string each
    const seen = new Map<string, string>();
    for (;;) {
      if (view.end - (at - view.base) < length && !view.complete) {
        view = this.window.view(at, length);
        next = searchesOf(layout);
      }
      const { bytes, base, end } = view;
      const index = at - base;
      if (startsWith(bytes, end, index, closing)) return separator === 'comma' ? undefined : { places, end: at };
      if (separator === 'none' || !startsWith(bytes, end, index, layout.memberLine)) return undefined;
      const quote = index + layout.memberLine.length - 1;
      const keyEnd = within(bytes.indexOf(KEY_OPENS_OBJECT, quote), end);
      const closer = keyEnd < 0 ? -1 : within(bytes.indexOf(layout.memberCloser, keyEnd), end);
      let after = closer + layout.memberCloser.length;
      let nextSeparator: Separator = 'none';
      if (closer >= 0 && bytes[after] === COMMA && after < end) {
        nextSeparator = 'comma';
        after++;
      }
      while (closer >= 0 && after < end && bytes[after] !== NEWLINE) {
        if (!isWhitespace(bytes[after])) return undefined;
        after++;
      }
      if (closer < 0 || after >= end) {
        // the member goes on past the view: look again with a larger one
        if (view.complete) return undefined;
        length *= 2;
        view = this.window.view(at, length);
        next = searchesOf(layout);
        continue;
      }
      length = least;
      const name = stringAt(bytes, quote, keyEnd + 1);
      // JSON.parse puts names like "10" first, in numeric order: only names it keeps in the text's order
      if (name === undefined || isArrayIndex(name)) return undefined;
      if (names.has(name)) return undefined;
      names.add(name);
      separator = nextSeparator;
      const from = keyEnd + KEY_OPENS_OBJECT.length - 2;
      for (let outer = 0; outer < layout.outerLines.length; outer++) {
        if (nextLine(bytes, end, layout.outerLines[outer], from, next.outer[outer]) < closer) return undefined;
      }
      // a key escaped with \u could spell a field: such a member is parsed to read its fields
      const escaped = nextLine(bytes, end, UNICODE_ESCAPE, from, next.escape) < closer;
      const fields: unknown[] = [];
      for (let field = 0; field < layout.fieldKeys.length; field++) {
        // every place the field's key is written in the member, at any depth (inside a string its quotes are escaped)
        const key = layout.fieldKeys[field];
        const line = layout.fieldLines[field];
        const found = nextLine(bytes, end, key, from, next.field[field]);
        // the line's `\n` and indentation before the key; the colon follows the key
        const indent = line.length - key.length - 1;
        if (escaped) fields.push(SPANS_LINES);
        else if (found >= closer) fields.push(ABSENT);
        else if (nextLine(bytes, end, key, found + 1, next.field[field]) < closer) fields.push(SPANS_LINES);
        else if (!startsWith(bytes, end, found - indent, line)) fields.push(SPANS_LINES);
        else fields.push(interned(valueOnLine(bytes, found + key.length + 1), seen));
      }
      places.push({ name, from: base + from, to: base + closer + layout.memberCloser.length, fields });
      at = base + after;
    }
  }

  /** How the members of a kept object at `depth` and their kept fields are laid out. */
  private memberLayoutOf(depth: number): MemberLayout {
    return valueFor(this.memberLayouts, depth, () => {
      const indentation = `\n${' '.repeat(2 * (depth + 1))}`;
      return {
        memberLine: Buffer.from(`${indentation}"`, 'latin1'),
        memberCloser: Buffer.from(`${indentation}}`, 'latin1'),
        fieldLines: this.kept.keptFields.map((field) => Buffer.from(`${indentation}  ${JSON.stringify(field)}:`, 'utf8')),
        fieldKeys: this.kept.keptFields.map((field) => Buffer.from(JSON.stringify(field), 'utf8')),
        // a member's and the object's own lines: a walk that passed one of them went past a line indented otherwise
        outerLines: [`${indentation}"`, `\n${' '.repeat(2 * depth)}}`, `\n${' '.repeat(2 * depth)}"`].map((line) => Buffer.from(line, 'latin1')),
      };
    });
  }

  /** The members of a container kept as text so far. */
  private pendingOf(result: object): Set<string> {
    let pending = this.pendingIn.get(result);
    if (!pending) {
      pending = new Set();
      this.pendingIn.set(result, pending);
    }
    return pending;
  }

  /** The piece, unless it names a member of its container kept as text. */
  private checked(piece: Record<string, unknown> | unknown[], result: object): Record<string, unknown> | unknown[] {
    const pending = this.pendingIn.get(result);
    if (pending && !Array.isArray(piece)) {
      for (const key of pending) if (Object.prototype.hasOwnProperty.call(piece, key)) throw new NotIndented('a deferred member named again');
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
    return valueFor(this.closings, `${depth}${isObject}`, () => Buffer.from(`\n${' '.repeat(2 * depth)}${isObject ? '}' : ']'}`, 'latin1'));
  }

  /** How a member line of a container at `depth - 1` starts: a key, or (in an array) an object, array or string. */
  private memberStartsOf(depth: number, isObject: boolean): readonly Buffer[] {
    const indentation = `\n${' '.repeat(2 * depth)}`;
    return valueFor(this.memberStarts, `${depth}${isObject}`, () => (isObject ? ['"'] : ARRAY_ELEMENT_STARTS).map((first) => Buffer.from(`${indentation}${first}`, 'latin1')));
  }
}

/** How a line that starts an array element (of an indented array) may begin: any JSON value. */
const ARRAY_ELEMENT_STARTS = ['{', '[', '"', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 't', 'f', 'n'];

/** Where the next of each line a member is searched for lies in a view, remembered across members (none searched yet). */
function searchesOf(layout: MemberLayout): { field: NextLine[]; outer: NextLine[]; escape: NextLine } {
  const fresh = () => ({ after: -1, at: -1 });
  return { field: layout.fieldLines.map(fresh), outer: layout.outerLines.map(fresh), escape: fresh() };
}

/** Whether `pattern` is in `bytes` at `index`, before `end`. */
function startsWith(bytes: Buffer, end: number, index: number, pattern: Buffer): boolean {
  return index + pattern.length <= end && pattern.compare(bytes, index, index + pattern.length) === 0;
}

/** A position found in a view, or -1 when it lies past the view's end. */
function within(found: number, end: number): number {
  return found >= 0 && found < end ? found : -1;
}

/** The next occurrence of a line at or after `after` in a view: `at` (Infinity when none), -1 before the first search. */
interface NextLine {
  after: number;
  at: number;
}

/**
 * The next `line` at or after `from` in the view (Infinity when none before `end`), searching each
 * stretch of the view once: `next` remembers the last answer.
 */
function nextLine(bytes: Buffer, end: number, line: Buffer, from: number, next: NextLine): number {
  if (next.after < 0 || from < next.after || next.at < from) {
    const found = bytes.indexOf(line, from);
    next.after = from;
    next.at = found >= 0 && found + line.length <= end ? found : Infinity;
  }
  return next.at;
}

/** The same string for equal strings (other values as they are). */
function interned(value: unknown, seen: Map<string, string>): unknown {
  if (typeof value !== 'string') return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  seen.set(value, value);
  return value;
}

/** The JSON string between two positions (its quotes included), or undefined when it is not one. */
function stringAt(bytes: Buffer, from: number, to: number): string | undefined {
  if (bytes[from] !== QUOTE || bytes[to - 1] !== QUOTE || to - from < 2) return undefined;
  // a quote inside means the text holds more than one string (`"a", "b": "c"`)
  let plain = true;
  for (let at = from + 1; at < to - 1 && plain; at++) plain = bytes[at] !== BACKSLASH && bytes[at] !== QUOTE && bytes[at] >= SPACE;
  if (plain) return bytes.toString('utf8', from + 1, to - 1);
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8', from, to));
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a name is an array index, which objects order before their other names. */
function isArrayIndex(name: string): boolean {
  return /^(0|[1-9][0-9]{0,9})$/.test(name) && Number(name) < 4294967295;
}

/** A field's value written after its key on its line (`"field": value,`): the value, or {@link SPANS_LINES} when it does not fit there. */
function valueOnLine(bytes: Buffer, from: number): unknown {
  const lineEnd = bytes.indexOf(NEWLINE, from);
  let last = lineEnd;
  while (last > from && isWhitespace(bytes[last - 1])) last--;
  if (bytes[last - 1] === COMMA) last--;
  const first = bytes[from] === SPACE ? from + 1 : from;
  const simple = stringAt(bytes, first, last);
  if (simple !== undefined) return simple;
  let text = trimJsonEnd(bytes.toString('utf8', from, lineEnd)).trimStart();
  if (text.endsWith(',')) text = text.slice(0, -1);
  if (text.startsWith('{') || text.startsWith('[')) return SPANS_LINES;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return SPANS_LINES;
  }
}

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


