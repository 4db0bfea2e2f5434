import * as crypto from 'crypto';
import * as fc from 'fast-check';
import { allocateSlots, homeIndex } from '../../lib/model/slot-allocator';

const RANGE = { first: 100, last: 32000, step: 10 };

describe('allocateSlots', () => {
  test('GIVEN the same keys in any order WHEN allocated without a previous allocation THEN the slots are the same', () => {
    const a = allocateSlots(['x', 'y', 'z'], RANGE).assigned;
    const b = allocateSlots(['z', 'x', 'y'], RANGE).assigned;
    expect([...a.entries()].sort()).toEqual([...b.entries()].sort());
    for (const slot of a.values()) expect((slot - 100) % 10).toBe(0);
  });

  test('GIVEN a previous allocation WHEN a key whose home slot an existing key holds is added THEN no existing key moves', () => {
    // A tiny range forces collisions: every new key lands on a taken home slot.
    const range = { first: 1, last: 8 };
    const before = allocateSlots(['a', 'b', 'c', 'd'], range).assigned;
    for (const added of ['0', '1', '2', '3', 'A', 'B']) {
      const after = allocateSlots(['a', 'b', 'c', 'd', added], range, { previous: before }).assigned;
      for (const key of ['a', 'b', 'c', 'd']) expect(after.get(key)).toBe(before.get(key));
      expect([...before.values()]).not.toContain(after.get(added));
    }
  });

  test('GIVEN a key removed WHEN a new key is added in the same allocation THEN it does not take the removed key\'s slot', () => {
    const range = { first: 1, last: 4 };
    const before = allocateSlots(['a', 'b'], range).assigned;
    const after = allocateSlots(['a', 'c'], range, { previous: before });
    expect(after.assigned.get('a')).toBe(before.get('a'));
    expect(after.assigned.get('c')).not.toBe(before.get('b'));
  });

  test('GIVEN a full range apart from retired slots WHEN a new key comes THEN it reuses a retired slot rather than fail', () => {
    const range = { first: 1, last: 2 };
    const before = allocateSlots(['a', 'b'], range).assigned;
    const after = allocateSlots(['a', 'c'], range, { previous: before });
    expect(after.assigned.get('c')).toBe(before.get('b'));
    expect(after.unassigned).toEqual([]);
  });

  test('GIVEN more keys than slots THEN the keys left over are reported, sorted', () => {
    const result = allocateSlots(['c', 'b', 'a'], { first: 1, last: 2 });
    expect(result.assigned.size).toBe(2);
    expect(result.unassigned).toHaveLength(1);
  });

  test('GIVEN reserved slots or a previous slot outside the range THEN they are never given out', () => {
    const result = allocateSlots(['a', 'b'], { first: 1, last: 3 }, { reserved: [1, 2], previous: new Map([['a', 7]]) });
    expect(result.assigned.get('a')).toBe(3);
    expect(result.unassigned).toEqual(['b']);
  });

  test('GIVEN two keys claiming one previous slot (an edited file) THEN the first in sorted order keeps it and the other moves', () => {
    const result = allocateSlots(['a', 'b'], { first: 1, last: 9 }, { previous: new Map([['a', 5], ['b', 5]]) }).assigned;
    expect(result.get('a')).toBe(5);
    expect(result.get('b')).not.toBe(5);
  });

  test('GIVEN a home function THEN new keys start probing there (an older numbering scheme keeps its numbers)', () => {
    const result = allocateSlots(['a', 'b'], { first: 10, last: 19 }, { home: () => 3 }).assigned;
    expect(result.get('a')).toBe(13);
    expect(result.get('b')).toBe(14);
  });

  test('the home of a key is the first 4 bytes of its SHA-256 modulo the size, so numbers stay where earlier releases put them', () => {
    const home = (key: string, size: number) => crypto.createHash('sha256').update(key).digest().readUInt32BE(0) % size;
    expect(homeIndex('a', 10)).toBe(home('a', 10));
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), fc.integer({ min: 1, max: 100000 }), (key, size) => {
      expect(homeIndex(key, size)).toBe(home(key, size));
    }), { numRuns: 2000 });
  });

  test('the home of a key is the same on a Node without the one-shot crypto.hash (before 20.12)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodeCrypto = require('crypto');
    const oneShot = nodeCrypto.hash;
    const expected = crypto.createHash('sha256').update('estate/Web|ingress').digest().readUInt32BE(0) % 997;
    const createHash = jest.spyOn(nodeCrypto, 'createHash');
    nodeCrypto.hash = undefined;
    try {
      expect(homeIndex('estate/Web|ingress', 997)).toBe(expected);
      expect(createHash).toHaveBeenCalledWith('sha256');
    } finally {
      nodeCrypto.hash = oneShot;
      createHash.mockRestore();
    }
  });

  test('GIVEN an invalid range THEN it throws', () => {
    expect(() => allocateSlots(['a'], { first: 5, last: 1 })).toThrow(/invalid range 5-1/);
  });
});
