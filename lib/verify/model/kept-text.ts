import { isAscii } from 'buffer';
import * as fs from 'fs';
import { VerifyInputError } from '../errors';
import { readJsonText } from './json-text';

/** The file a kept text lies in, as it was when it was read. */
export interface KeptFile {
  /** Its path. */
  readonly file: string;
  /** Its size and modification time then: a kept text is read again only from the same file. */
  readonly size: number;
  /** Its modification time then, in milliseconds. */
  readonly mtimeMs: number;
}

/** Where a kept container lies in its file. */
export interface KeptPlace {
  /** The file. */
  readonly file: KeptFile;
  /** The offset of its opening bracket. */
  readonly from: number;
  /** The offset where its text ends: its closing bracket, or the line ending before it. */
  readonly to: number;
  /** An object (`{`) rather than an array. */
  readonly isObject: boolean;
  /** The member names from the top of the file down to it. */
  readonly path: readonly string[];
  /**
   * How its end was found: by following its strings and brackets (exact for valid JSON, so a
   * text that does not parse is not valid JSON), or by the layout (a text that does not parse
   * may have been cut short, so the whole file is parsed).
   */
  readonly endBy: 'brackets' | 'layout';
}

/** One member of a kept object as the layout showed it: its name, where its value lies, and the fields read from their own lines. */
export interface KeptMemberPlace {
  /** The member's name. */
  readonly name: string;
  /** The offset of its value's opening brace. */
  readonly from: number;
  /** The offset after its value's closing brace. */
  readonly to: number;
  /** Per field read (in the order of {@link KeptMembers.fields}): its value as `JSON.parse` gives it, {@link ABSENT}, or {@link SPANS_LINES}. */
  readonly fields: readonly unknown[];
}

/** The members of a kept object as the layout showed them, with the fields read of each. */
export interface KeptMembers {
  /** The fields read, in order. */
  readonly fields: readonly string[];
  /** The members, in order. */
  readonly members: readonly KeptMemberPlace[];
}

/** A field the layout showed a member does not have. */
export const ABSENT: unique symbol = Symbol('absent');

/** A field whose value does not fit on its line (or that is written twice): the member is parsed to read it. */
export const SPANS_LINES: unique symbol = Symbol('spans lines');

/** One member of a kept object, found by the layout; its value is read when asked for. */
export interface KeptMember {
  /** The member's name. */
  readonly name: string;
  /** The member's own `field` (of the field asked for), as `JSON.parse` gives it; undefined when it has none. */
  readonly field: unknown;
  /**
   * The member's value as `JSON.parse` gives it. Throws a {@link KeptLayoutSurprise} when its text
   * does not parse or its field is not what the layout showed: the caller then reads the whole
   * container instead.
   */
  value(): unknown;
}

/** A kept member's text is not what the layout promised: read the whole container instead. */
export class KeptLayoutSurprise extends Error {}

/**
 * A container the reader of indented JSON left unparsed, known by where it lies in its file; its
 * text is read from the file again when it is asked for, so that a large section passes through
 * the reader's window without being copied.
 */
export class KeptText {
  private byName?: Map<string, KeptMemberPlace>;
  private bytesReadAlone = 0;

  constructor(private readonly place: KeptPlace, private readonly memberPlaces?: KeptMembers) {}

  /**
   * Whether the reader walked the object's members, so that {@link member} can read one of them
   * without parsing the others.
   */
  public get membersKnown(): boolean {
    return this.memberPlaces !== undefined;
  }

  /**
   * One member's value as `JSON.parse` gives it, parsed alone; undefined when the object has no
   * member of that name. Throws a {@link KeptLayoutSurprise} when its text does not parse, and a
   * `RangeError` when the members were not walked (see {@link membersKnown}).
   */
  public member(name: string): unknown {
    if (!this.memberPlaces) throw new RangeError(`the members of ${this.place.path.join('.')} were not walked`);
    this.byName ??= new Map(this.memberPlaces.members.map((place) => [place.name, place]));
    const place = this.byName.get(name);
    if (place === undefined) return undefined;
    this.bytesReadAlone += place.to - place.from;
    return parseMember(this.place.file, place);
  }

  /**
   * Whether reading the container whole now costs less than going on reading members one by one
   * (each such read opens the file again): true once the members read through {@link member} add
   * up to an eighth of its text.
   */
  public get cheaperWhole(): boolean {
    return this.bytesReadAlone * 8 > this.place.to - this.place.from;
  }

  /**
   * The container's value as `JSON.parse` of the whole file gives it. Its text is parsed; when it
   * does not parse and its end was found by the layout (which may have misled the reader), the
   * whole file is. Throws a {@link VerifyInputError} when the file is not valid JSON or has
   * changed since it was read.
   */
  public parse(): unknown {
    const { file, from, to, isObject, path, endBy } = this.place;
    const text = `${textOf(file, from, to)}${isObject ? '}' : ']'}`;
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      if (endBy === 'layout') return this.fromWholeFile();
      throw new VerifyInputError(`${file.file} is not valid JSON: its "${path.join('.')}" section: ${(error as Error).message}`);
    }
  }

  /**
   * The members of a kept object with one field each, when the reader read that field of every
   * member from its own line; undefined otherwise (the layout surprised it, or it read other
   * fields): the caller then parses the whole container. A member whose field did not fit on its
   * line is parsed now.
   */
  public members(field: string): KeptMember[] | undefined {
    const index = this.memberPlaces?.fields.indexOf(field) ?? -1;
    if (!this.memberPlaces || index < 0) return undefined;
    const members: KeptMember[] = [];
    for (const place of this.memberPlaces.members) {
      const expected = place.fields[index];
      if (expected !== SPANS_LINES) {
        members.push(new MemberOnItsLines(this.place.file, place, field, expected));
        continue;
      }
      let parsed: unknown;
      try {
        parsed = parseMember(this.place.file, place);
      } catch {
        return undefined;
      }
      members.push({ name: place.name, field: (parsed as Record<string, unknown>)[field], value: () => parsed });
    }
    return members;
  }


  private fromWholeFile(): unknown {
    const { file, path } = this.place;
    let value: unknown;
    try {
      value = JSON.parse(readJsonText(unchanged(file)));
    } catch (error) {
      if (error instanceof VerifyInputError) throw error;
      throw new VerifyInputError(`${file.file} is not valid JSON: ${(error as Error).message}`);
    }
    for (const name of path) value = (value as Record<string, unknown>)[name];
    return value;
  }
}

/** A kept member whose field was read from its line: its value is parsed when asked for, and checked against that field. */
class MemberOnItsLines implements KeptMember {
  constructor(
    private readonly file: KeptFile,
    private readonly place: KeptMemberPlace,
    private readonly fieldName: string,
    private readonly expected: unknown,
  ) {}

  public get name(): string {
    return this.place.name;
  }

  public get field(): unknown {
    return this.expected === ABSENT ? undefined : this.expected;
  }

  public value(): unknown {
    const parsed = parseMember(this.file, this.place);
    const has = Object.prototype.hasOwnProperty.call(parsed, this.fieldName);
    if (this.expected === ABSENT ? has : !has || (parsed as Record<string, unknown>)[this.fieldName] !== this.expected) {
      throw new KeptLayoutSurprise(`member ${this.place.name}: its ${this.fieldName} is not the one on its line`);
    }
    return parsed;
  }
}

/** A member's value, parsed alone; a {@link KeptLayoutSurprise} when its text does not parse. */
function parseMember(file: KeptFile, place: KeptMemberPlace): unknown {
  try {
    return JSON.parse(textOf(file, place.from, place.to)) as unknown;
  } catch (error) {
    if (error instanceof VerifyInputError) throw error;
    throw new KeptLayoutSurprise(`member ${place.name} does not parse on its own`);
  }
}

/** The file's path, after checking that it is still the file that was read. */
function unchanged(file: KeptFile): string {
  let now: fs.Stats;
  try {
    now = fs.statSync(file.file);
  } catch (error) {
    throw new VerifyInputError(`${file.file} could not be read again: ${(error as Error).message}`);
  }
  if (now.size !== file.size || now.mtimeMs !== file.mtimeMs) {
    throw new VerifyInputError(`${file.file} changed while it was being read; read it again once it is written`);
  }
  return file.file;
}

/** The file's text between two offsets. */
function textOf(file: KeptFile, from: number, to: number): string {
  const bytes = Buffer.allocUnsafe(to - from);
  const fd = fs.openSync(unchanged(file), 'r');
  try {
    let filled = 0;
    while (filled < bytes.length) {
      const read = fs.readSync(fd, bytes, filled, bytes.length - filled, from + filled);
      if (read === 0) throw new VerifyInputError(`${file.file} changed while it was being read; read it again once it is written`);
      filled += read;
    }
  } finally {
    fs.closeSync(fd);
  }
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
}

const keptIn = new WeakMap<object, Map<string, KeptText>>();

/**
 * Sets a container's member to a getter that parses the kept text when first read (then the
 * member is a plain value), and records the text for {@link keptTextOf} until then.
 */
export function keepText(container: Record<string, unknown>, key: string, text: KeptText): void {
  let kept = keptIn.get(container);
  if (!kept) {
    kept = new Map();
    keptIn.set(container, kept);
  }
  kept.set(key, text);
  const settle = (value: unknown) => {
    keptIn.get(container)?.delete(key);
    defineMember(container, key, value);
  };
  Object.defineProperty(container, key, {
    enumerable: true,
    configurable: true,
    get: () => {
      const value = text.parse();
      settle(value);
      return value;
    },
    set: settle,
  });
}

/** The text kept for a member that has not been read yet, if it was kept. */
export function keptTextOf(container: object, key: string): KeptText | undefined {
  return keptIn.get(container)?.get(key);
}

/** Makes the member a plain data property with this value (replacing a getter). */
export function defineMember(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}
