import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { loadTerraform } from '../../lib/verify';
import { VerifyInputError } from '../../lib/verify/errors';
import { readIndentedJson } from '../../lib/verify/model/indented-json';
import { KeptLayoutSurprise, keptTextOf } from '../../lib/verify/model/kept-text';

// The piecewise reader of indented JSON must give exactly what JSON.parse gives of the whole text,
// or give up (undefined) so that the whole-text parse decides; it never returns another value.
// Tiny pieces and a tiny window make every file of a few hundred bytes take each path: pieces of
// several members, members read on their own, lines longer than the window.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-indented-'));
let files = 0;
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function fileWith(text: string): string {
  const file = path.join(dir, `${files++}.json`);
  fs.writeFileSync(file, text, 'utf8');
  return file;
}

const TINY = { batchBytes: 24, windowBytes: 16 };

/** What JSON.parse makes of the whole text, or that it rejects it. */
function parsedWhole(text: string): { readonly valid: true; readonly value: unknown } | { readonly valid: false } {
  try {
    return { valid: true, value: JSON.parse(text) };
  } catch {
    return { valid: false };
  }
}
const containerArb = fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.array(fc.jsonValue()));
const unicodeContainerArb = fc.oneof(
  fc.dictionary(fc.string({ unit: 'grapheme' }), fc.jsonValue({ stringUnit: 'grapheme' })),
  fc.array(fc.jsonValue({ stringUnit: 'grapheme' })),
);

describe('reading indented JSON in pieces', () => {
  test('GIVEN any object or array written with two-space indentation WHEN read in pieces THEN the value is JSON.parse\'s', () => {
    fc.assert(fc.property(fc.oneof(containerArb, unicodeContainerArb), fc.integer({ min: 1, max: 200 }), (value, batchBytes) => {
      const text = JSON.stringify(value, undefined, 2);
      const expected = JSON.parse(text);
      const read = readIndentedJson(fileWith(text), { batchBytes, windowBytes: 16 });
      // an empty container is written on one line, which is not the indented layout
      if (text === '{}' || text === '[]') expect(read).toBeUndefined();
      else expect(read).toStrictEqual(expected);
    }), { numRuns: 300, seed: 20261202 });
  });

  test('GIVEN the same values in other layouts WHEN read THEN the reader gives up or gives JSON.parse\'s value, never another', () => {
    const layouts = [(v: unknown) => JSON.stringify(v), (v: unknown) => JSON.stringify(v, undefined, 4), (v: unknown) => JSON.stringify(v, undefined, '\t'),
      (v: unknown) => JSON.stringify(v, undefined, 2).replace(/\n/g, '\r\n'), (v: unknown) => JSON.stringify(v, undefined, 1)];
    fc.assert(fc.property(containerArb, fc.integer({ min: 0, max: layouts.length - 1 }), (value, layout) => {
      const text = layouts[layout](value);
      const read = readIndentedJson(fileWith(text), TINY);
      if (read !== undefined) expect(read).toStrictEqual(JSON.parse(text));
    }), { numRuns: 300, seed: 20261202 });
  });

  test('GIVEN indented text with one character removed WHEN it is no longer JSON THEN the reader gives up', () => {
    fc.assert(fc.property(containerArb, fc.nat(), (value, at) => {
      const whole = JSON.stringify(value, undefined, 2);
      const text = whole.slice(0, at % whole.length) + whole.slice((at % whole.length) + 1);
      const expected = parsedWhole(text);
      const read = readIndentedJson(fileWith(text), TINY);
      if (!expected.valid) expect(read).toBeUndefined();
      else if (read !== undefined) expect(read).toStrictEqual(expected.value);
    }), { numRuns: 300, seed: 20261202 });
  });

  test('GIVEN indented text with lines edited (duplicated, deleted, re-indented, stray commas or whitespace) WHEN read THEN never another value than JSON.parse\'s', () => {
    const keyArb = fc.constantFrom('moved', 'a', 'b', '__proto__', '0', '', 'x y');
    const leafArb = fc.jsonValue({ maxDepth: 3 });
    const valueArb = fc.oneof(fc.dictionary(keyArb, leafArb, { maxKeys: 4 }), fc.array(leafArb, { maxLength: 4 }));
    const editArb = fc.record({ kind: fc.integer({ min: 0, max: 5 }), line: fc.nat(), extra: fc.constantFrom(' ', '\t', '\f', '\v', '\u00a0', ',', '  ', '}', ']') });
    const documentArb = fc.dictionary(keyArb, valueArb, { minKeys: 1, maxKeys: 4 });
    fc.assert(fc.property(documentArb, fc.array(editArb, { maxLength: 3 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 24 }),
      (value, edits, batchBytes, windowBytes) => {
        const lines = JSON.stringify(value, undefined, 2).split('\n');
        for (const { kind, line, extra } of edits) {
          const at = line % lines.length;
          if (kind === 0) lines.splice(at, 0, lines[at]); // duplicated
          else if (kind === 1 && lines.length > 1) lines.splice(at, 1); // deleted
          else if (kind === 2) lines[at] = `${extra}${lines[at]}`; // re-indented or prefixed
          else if (kind === 3) lines[at] = `${lines[at]}${extra}`; // trailing text
          else if (kind === 4) lines.splice(at, 0, extra); // a line of its own
          else lines[at] = lines[at].replace(/^ {1,2}/, ''); // dedented
        }
        const text = lines.join('\n');
        const expected = parsedWhole(text);
        const read = readIndentedJson(fileWith(text), { batchBytes, windowBytes, deferred: new Set(['moved']) });
        if (read === undefined) return;
        // a deferred member's text is checked when read: reading everything either equals JSON.parse's value or throws for invalid JSON
        if (expected.valid) expect(read).toStrictEqual(expected.value);
        else expect(() => JSON.stringify(read)).toThrow(VerifyInputError);
      }), { numRuns: 1500, seed: 20261202 });
  });

  test('GIVEN whitespace JSON does not allow, or a line holding only a comma WHEN read THEN the reader gives up, as JSON.parse fails', () => {
    expect(readIndentedJson(fileWith('{\n  "a": 1\f\n}'))).toBeUndefined();
    expect(readIndentedJson(fileWith('{\n  "a": 1\u00a0\n}'))).toBeUndefined();
    expect(readIndentedJson(fileWith('{\n  "a": 1,\v\n  "b": 2\n}'), { batchBytes: 1, windowBytes: 1 })).toBeUndefined();
    expect(readIndentedJson(fileWith('{\n,\n  "a": 1\n}'), { batchBytes: 5 })).toBeUndefined();
    expect(readIndentedJson(fileWith('{\n  "a": 1,\n,\n  "b": 2\n}'), { batchBytes: 6 })).toBeUndefined();
    expect(readIndentedJson(fileWith('{\n  "a": 1,\n  "b": 2 \t\r\n}'), { batchBytes: 6 })).toEqual({ a: 1, b: 2 });
  });

  test('GIVEN an array of numbers longer than a piece WHEN read THEN it is cut between its elements', () => {
    const numbers = Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? -i : i));
    const text = JSON.stringify({ a: numbers, b: [true, false, null] }, undefined, 2);
    expect(readIndentedJson(fileWith(text), { batchBytes: 64 })).toStrictEqual(JSON.parse(text));
  });

  test('GIVEN pieces or a window of no bytes WHEN read THEN a RangeError names the option', () => {
    const file = fileWith('{\n  "a": 1\n}');
    expect(() => readIndentedJson(file, { batchBytes: 0 })).toThrow(/batchBytes must be a whole number of at least 1, got 0/);
    expect(() => readIndentedJson(file, { windowBytes: 0.5 })).toThrow(/windowBytes must be a whole number of at least 1, got 0.5/);
  });

  test('GIVEN a member named __proto__ WHEN read THEN it is an own member, as JSON.parse makes it, and the prototype is untouched', () => {
    const text = '{\n  "a": 1,\n  "__proto__": {\n    "polluted": true\n  },\n  "b": [\n    1,\n    2\n  ]\n}';
    for (const batchBytes of [8, 1000]) {
      const read = readIndentedJson(fileWith(text), { batchBytes, windowBytes: 16 }) as Record<string, unknown>;
      expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
      expect(Object.keys(read)).toEqual(['a', '__proto__', 'b']);
      expect(read).toStrictEqual(JSON.parse(text));
    }
  });

  test('GIVEN a trailing comma or a missing comma between members read on their own WHEN read THEN the reader gives up', () => {
    const big = `"${'x'.repeat(50)}"`;
    expect(readIndentedJson(fileWith(`{\n  "a": ${big},\n  "b": ${big},\n}`), TINY)).toBeUndefined();
    expect(readIndentedJson(fileWith(`{\n  "a": ${big}\n  "b": ${big}\n}`), TINY)).toBeUndefined();
    expect(readIndentedJson(fileWith(`{\n  "a": ${big},\n  "b": ${big}\n}`), TINY)).toEqual({ a: 'x'.repeat(50), b: 'x'.repeat(50) });
  });

  test('GIVEN a missing comma where one piece ends and the next begins WHEN read THEN the reader gives up', () => {
    // pieces of 12 bytes end right after `"a": 1`
    expect(readIndentedJson(fileWith('{\n  "a": 1\n  "b": 2,\n  "c": 3\n}'), { batchBytes: 12, windowBytes: 16 })).toBeUndefined();
    expect(readIndentedJson(fileWith('{\n  "a": 1,\n  "b": 2,\n  "c": 3\n}'), { batchBytes: 12, windowBytes: 16 })).toEqual({ a: 1, b: 2, c: 3 });
  });

  test('GIVEN text after the value WHEN read THEN the reader gives up', () => {
    expect(readIndentedJson(fileWith('{\n  "a": 1\n}\n{}'), TINY)).toBeUndefined();
    expect(readIndentedJson(fileWith('{\n  "a": 1\n}\n\n'), TINY)).toEqual({ a: 1 });
  });
});

describe('deferred sections', () => {
  // longer than a piece (112 KiB), as a large stack's are
  const moved = Array.from({ length: 2000 }, (_, i) => ({ from: `aws_instance.old_name_of_instance_${i}`, to: `aws_instance.instance_${i}` }));
  const stack = { '//': { metadata: { stackName: 'app' } }, 'moved': moved, 'resource': { aws_instance: { b: { ami: 'x' } } } };

  test('GIVEN a deferred top-level member WHEN the file is read THEN it is a getter until read, and then the value JSON.parse gives', () => {
    const read = readIndentedJson(fileWith(JSON.stringify(stack, undefined, 2)), { deferred: new Set(['moved']) }) as Record<string, unknown>;
    expect(typeof Object.getOwnPropertyDescriptor(read, 'moved')?.get).toBe('function');
    expect(Object.keys(read)).toEqual(['//', 'moved', 'resource']);
    expect(read.moved).toStrictEqual(moved);
    expect(Object.getOwnPropertyDescriptor(read, 'moved')).toEqual({ value: moved, writable: true, enumerable: true, configurable: true });
    expect(read).toStrictEqual(stack);
  });

  test('GIVEN a deferred member with characters beyond ASCII WHEN it is read through a small window THEN they are whole', () => {
    // the window moves every 16 bytes, so the text is copied out in chunks that split characters
    const names = Array.from({ length: 300 }, (_, i) => ({ from: `aws_instance.équipe_支払い_${i}`, to: `aws_instance.b${i}` }));
    const read = readIndentedJson(fileWith(JSON.stringify({ moved: names, resource: {} }, undefined, 2)), { ...TINY, deferred: new Set(['moved']) }) as Record<string, unknown>;
    expect(typeof Object.getOwnPropertyDescriptor(read, 'moved')?.get).toBe('function');
    expect(read.moved).toStrictEqual(names);
  });

  test('GIVEN a deferred member whose closing line is indented otherwise WHEN read THEN its end is found by its brackets and the members after it stay', () => {
    const text = '{\n  "moved": {\n    "x": 1\n    },\n  "b": {\n    "y": 2\n  }\n}';
    const read = readIndentedJson(fileWith(text), { batchBytes: 1, deferred: new Set(['moved']) }) as Record<string, unknown>;
    expect(Object.keys(read)).toEqual(['moved', 'b']);
    expect(read).toStrictEqual({ moved: { x: 1 }, b: { y: 2 } });
  });

  test('GIVEN a deferred member named again WHEN read THEN the reader gives up, so its text is not left unchecked', () => {
    const options = { batchBytes: 1, deferred: new Set(['moved']) };
    expect(readIndentedJson(fileWith('{\n  "moved": [\n    x\n  ],\n  "moved": 1\n}'), options)).toBeUndefined();
    expect(readIndentedJson(fileWith('{\n  "moved": [\n    x\n  ],\n  "moved": [\n    1\n  ]\n}'), options)).toBeUndefined();
    expect(readIndentedJson(fileWith('{\n  "moved": [\n    1\n  ],\n  "a": 1,\n  "moved": 2\n}'), { batchBytes: 9, deferred: new Set(['moved']) })).toBeUndefined();
  });

  test('GIVEN a deferred member shorter than a piece WHEN read THEN it is parsed with its piece', () => {
    const small = { moved: moved.slice(0, 2), resource: {} };
    const read = readIndentedJson(fileWith(JSON.stringify(small, undefined, 2)), { deferred: new Set(['moved']) }) as Record<string, unknown>;
    expect(Object.getOwnPropertyDescriptor(read, 'moved')?.value).toStrictEqual(small.moved);
  });

  test('GIVEN a deferred member that is not valid JSON WHEN it is read THEN a VerifyInputError names the file and the section', () => {
    const text = JSON.stringify(stack, undefined, 2).replace('"to": "aws_instance.instance_1999"', '"to": aws_instance.instance_1999');
    const file = fileWith(text);
    const read = readIndentedJson(file, { deferred: new Set(['moved']) }) as Record<string, unknown>;
    expect(read.resource).toEqual(stack.resource);
    expect(() => read.moved).toThrow(VerifyInputError);
    expect(() => read.moved).toThrow(`${file} is not valid JSON: its "moved" section`);
  });

  test('GIVEN a synthesized stack directory WHEN loaded THEN moved blocks are read when asked for, with their values', () => {
    const out = fs.mkdtempSync(path.join(dir, 'out-'));
    fs.mkdirSync(path.join(out, 'stacks', 'app'), { recursive: true });
    fs.writeFileSync(path.join(out, 'stacks', 'app', 'cdk.tf.json'), JSON.stringify(stack, undefined, 2));
    const model = loadTerraform(out);
    const json = model.stack('app')!.json;
    expect(typeof Object.getOwnPropertyDescriptor(json, 'moved')?.get).toBe('function');
    expect(json.moved).toStrictEqual(moved);
    expect(model.resource('app/aws_instance.b')?.body).toEqual({ ami: 'x' });
  });
});

describe('resource types kept as text, read member by member', () => {
  const KEPT = { keptWithin: new Set(['resource']), keptFields: ['security_group_id'] };
  const nameArb = fc.oneof(fc.constantFrom('a', 'b', 'rule_1', '__proto__', 'x y', 'é', 'q"uote', 'back\\slash', '0'), fc.string({ maxLength: 6 }));
  const fieldArb = fc.oneof(
    fc.constant(undefined),
    fc.constantFrom('${aws_security_group.web.id}', '${aws_security_group.api.id}', 'sg-0123', 'a "quoted", value', 'ü,', ''),
    fc.string({ unit: 'grapheme', maxLength: 8 }),
    fc.jsonValue({ maxDepth: 2 }),
  );
  const memberArb = fc.record({
    field: fieldArb,
    body: fc.dictionary(fc.constantFrom('from_port', 'cidr_ipv4', '//', 'tags', 'security_group_ids'), fc.jsonValue({ maxDepth: 3 }), { minKeys: 1, maxKeys: 3 }),
  });
  const typeArb = fc.uniqueArray(fc.tuple(nameArb, memberArb), { selector: ([name]) => name, minLength: 1, maxLength: 8 });
  const stackArb = fc.dictionary(fc.constantFrom('aws_vpc_security_group_ingress_rule', 'aws_instance', 't'), typeArb, { minKeys: 1, maxKeys: 3 });

  const isArrayIndex = (name: string) => /^(0|[1-9][0-9]*)$/.test(name) && Number(name) < 4294967295;

  /** A stack JSON from generated types: each member an object with the field where it has one. */
  function stackOf(types: Record<string, Array<[string, { field: unknown; body: Record<string, unknown> }]>>): Record<string, unknown> {
    const resource: Record<string, unknown> = {};
    for (const [type, members] of Object.entries(types)) {
      const byName: Record<string, unknown> = {};
      for (const [name, { field, body }] of members) {
        const member: Record<string, unknown> = { ...body };
        if (field !== undefined) member.security_group_id = field;
        Object.defineProperty(byName, name, { value: member, enumerable: true, writable: true, configurable: true });
      }
      resource[type] = byName;
    }
    return { '//': { metadata: { stackName: 'app' } }, 'resource': resource };
  }

  test('GIVEN resource types longer than a piece WHEN read with kept fields THEN each type is kept, its members and fields are JSON.parse\'s, and each value too', () => {
    fc.assert(fc.property(stackArb, fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 48 }), (types, batchBytes, windowBytes) => {
      const text = JSON.stringify(stackOf(types), undefined, 2);
      const expected = JSON.parse(text) as { resource: Record<string, Record<string, Record<string, unknown>>> };
      const read = readIndentedJson(fileWith(text), { batchBytes, windowBytes, ...KEPT }) as { resource: Record<string, unknown> } | undefined;
      // JSON.parse puts names like "10" first, in numeric order: the member walk, which keeps the text's order, gives up on them
      if (Object.values(types).some((members) => members.some(([name]) => isArrayIndex(name)))) {
        expect(read).toBeUndefined();
        return;
      }
      if (read === undefined) throw new Error('a cdktf-like layout was not read in pieces');
      let listed = 0;
      for (const type of Object.keys(expected.resource)) {
        const kept = keptTextOf(read.resource, type);
        const members = kept?.members('security_group_id');
        if (!members) continue;
        listed++;
        expect(members.map((member) => member.name)).toEqual(Object.keys(expected.resource[type]));
        for (const member of members) {
          const own = expected.resource[type][member.name];
          expect(member.field).toStrictEqual(own.security_group_id);
          expect(member.value()).toStrictEqual(own);
        }
        // another field was not read as the text passed
        expect(kept!.members('cidr_ipv4')).toBeUndefined();
      }
      // tiny pieces keep every type with an object member, so the member-by-member path is taken
      expect(listed).toBeGreaterThan(0);
      expect(read).toStrictEqual(expected);
      for (const type of Object.keys(expected.resource)) expect(keptTextOf(read.resource, type)).toBeUndefined();
    }), { numRuns: 400, seed: 20261202 });
  });

  test('GIVEN kept types with lines edited WHEN read THEN a member read is JSON.parse\'s or a KeptLayoutSurprise, and invalid JSON throws when read', () => {
    const editArb = fc.record({ kind: fc.integer({ min: 0, max: 5 }), line: fc.nat(), extra: fc.constantFrom(' ', '\t', ',', '  ', '}', ']', '"security_group_id": "x"') });
    fc.assert(fc.property(stackArb, fc.array(editArb, { maxLength: 3 }), fc.integer({ min: 1, max: 40 }), (types, edits, batchBytes) => {
      const lines = JSON.stringify(stackOf(types), undefined, 2).split('\n');
      for (const { kind, line, extra } of edits) {
        const at = line % lines.length;
        if (kind === 0) lines.splice(at, 0, lines[at]);
        else if (kind === 1 && lines.length > 1) lines.splice(at, 1);
        else if (kind === 2) lines[at] = `${extra}${lines[at]}`;
        else if (kind === 3) lines[at] = `${lines[at]}${extra}`;
        else if (kind === 4) lines.splice(at, 0, extra);
        else lines[at] = lines[at].replace(/^ {1,2}/, '');
      }
      const text = lines.join('\n');
      const expected = parsedWhole(text);
      const read = readIndentedJson(fileWith(text), { batchBytes, windowBytes: 16, ...KEPT }) as { resource: Record<string, unknown> } | undefined;
      if (read === undefined) return;
      type Resources = Record<string, Record<string, Record<string, unknown>>>;
      const wholeResource = expected.valid ? (expected.value as { resource?: Resources }).resource : undefined;
      for (const type of Object.keys(read.resource ?? {})) {
        for (const member of keptTextOf(read.resource, type)?.members('security_group_id') ?? []) {
          let value: unknown;
          try {
            value = member.value();
          } catch (error) {
            expect(error).toBeInstanceOf(KeptLayoutSurprise);
            continue;
          }
          // a member read on its own is the whole file's, with the field the layout showed
          const own = wholeResource?.[type][member.name];
          if (wholeResource) expect([value, member.field]).toStrictEqual([own, own?.security_group_id]);
        }
      }
      // the layout is trusted for what is not read: in cdktf's (JSON.stringify's) the whole is JSON.parse's
      if (expected.valid && JSON.stringify(expected.value, undefined, 2) === text) expect(read).toStrictEqual(expected.value);
      else if (!expected.valid) expect(() => JSON.stringify(read)).toThrow(VerifyInputError);
    }), { numRuns: 1500, seed: 20261202 });
  });

  test('GIVEN a member whose field line lies inside a block indented as its own fields WHEN its value is read THEN a KeptLayoutSurprise says the layout misled', () => {
    // valid JSON, but the block's member is written at the indentation of the resource's fields
    const text = [
      '{', '  "resource": {', '    "aws_vpc_security_group_ingress_rule": {',
      '      "a": {', '        "tags": {', '        "security_group_id": "${aws_security_group.x.id}"', '        },', '        "from_port": 1', '      },',
      '      "b": {', '        "security_group_id": "${aws_security_group.y.id}"', '      }',
      '    }', '  }', '}',
    ].join('\n');
    const read = readIndentedJson(fileWith(text), { batchBytes: 1, ...KEPT }) as { resource: Record<string, unknown> };
    const members = keptTextOf(read.resource, 'aws_vpc_security_group_ingress_rule')!.members('security_group_id')!;
    expect(members.map((member) => [member.name, member.field])).toEqual([['a', '${aws_security_group.x.id}'], ['b', '${aws_security_group.y.id}']]);
    expect(() => members[0].value()).toThrow(KeptLayoutSurprise);
    expect(members[1].value()).toEqual({ security_group_id: '${aws_security_group.y.id}' });
    expect(read.resource).toStrictEqual(JSON.parse(text).resource);
  });

  test('GIVEN a type whose end the layout misplaces WHEN it is read THEN the value is JSON.parse\'s of the whole file', () => {
    // the inner object's closer is indented as the type's own
    const text = '{\n  "resource": {\n    "t": {\n      "a": {\n        "x": {\n    }\n      }\n    }\n  }\n}';
    const read = readIndentedJson(fileWith(text), { batchBytes: 1, ...KEPT });
    if (read !== undefined) expect(read).toStrictEqual(JSON.parse(text));
  });

  test('GIVEN a file changed after it was read WHEN a kept type is read THEN a VerifyInputError says so', () => {
    const file = fileWith(JSON.stringify(stackOf({ t: [['a', { field: 'sg-1', body: { from_port: 1 } }]] }), undefined, 2));
    const read = readIndentedJson(file, { batchBytes: 1, ...KEPT }) as { resource: Record<string, unknown> };
    fs.appendFileSync(file, '\n');
    expect(() => read.resource.t).toThrow(`${file} changed while it was being read`);
  });
});
