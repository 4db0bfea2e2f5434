import { allocatePriorities, homeSlot } from '../../lib/private/priority-allocator';

const keys = (n: number, prefix = 'rule') => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

describe('allocatePriorities', () => {
  test('gives every key a unique slot inside the range, its home slot when free', () => {
    // GIVEN 200 keys WHEN allocated in 100-4095
    const { assigned, unassigned } = allocatePriorities(keys(200), 100, 4095);
    // THEN
    expect(unassigned).toEqual([]);
    const slots = [...assigned.values()];
    expect(new Set(slots).size).toBe(200);
    expect(Math.min(...slots)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...slots)).toBeLessThanOrEqual(4095);
    const single = allocatePriorities(['Inbound|app/Web|asg:app/Lb|tcp/443'], 100, 4095);
    expect(single.assigned.get('Inbound|app/Web|asg:app/Lb|tcp/443')).toBe(homeSlot('Inbound|app/Web|asg:app/Lb|tcp/443', 100, 4095));
  });

  test('does not depend on the order of the keys (duplicates collapse)', () => {
    const forward = allocatePriorities(keys(300), 100, 4095).assigned;
    const backward = allocatePriorities([...keys(300)].reverse().concat(['rule-7']), 100, 4095).assigned;
    expect([...backward.entries()].sort()).toEqual([...forward.entries()].sort());
  });

  test('adding or removing one key leaves every other slot unchanged (no probe collision)', () => {
    // GIVEN an allocation of 50 keys
    const base = allocatePriorities(keys(50), 100, 4095).assigned;
    // WHEN one key is added, and WHEN one is removed
    const added = allocatePriorities([...keys(50), 'new-flow'], 100, 4095).assigned;
    const removed = allocatePriorities(keys(50).filter((k) => k !== 'rule-17'), 100, 4095).assigned;
    // THEN the others keep their slots (the new key's home slot is free here)
    expect(base.has('new-flow')).toBe(false);
    expect([...base.values()]).not.toContain(homeSlot('new-flow', 100, 4095));
    for (const [key, slot] of base) {
      expect(added.get(key)).toBe(slot);
      if (key !== 'rule-17') expect(removed.get(key)).toBe(slot);
    }
  });

  test('a probe collision moves at most the keys that probed through the taken slot', () => {
    // GIVEN a tiny range where collisions are certain
    const before = allocatePriorities(keys(8), 1, 10).assigned;
    const after = allocatePriorities([...keys(8), 'z-late'], 1, 10).assigned;
    // THEN a key sorted after every other one never displaces them
    for (const [key, slot] of before) expect(after.get(key)).toBe(slot);
    // and an early key only moves keys sorted after it
    const early = allocatePriorities([...keys(8), 'a-early'], 1, 10).assigned;
    const moved = [...before.keys()].filter((k) => early.get(k) !== before.get(k));
    expect(moved.every((k) => k > 'a-early')).toBe(true);
    expect(new Set(early.values()).size).toBe(9);
  });

  test('linear probing wraps from the top of the range to the bottom', () => {
    const { assigned } = allocatePriorities(keys(3), 5, 7);
    expect([...assigned.values()].sort()).toEqual([5, 6, 7]);
  });

  test('keys that do not fit are reported, not dropped silently', () => {
    const { assigned, unassigned } = allocatePriorities(keys(5), 1, 3);
    expect(assigned.size).toBe(3);
    expect(unassigned).toEqual(['rule-3', 'rule-4']);
    expect(() => allocatePriorities([], 10, 9)).toThrow(/invalid range 10-9/);
  });
});

describe('allocatePriorities with reserved slots', () => {
  test('a reserved slot is never given out; only the key whose home it was moves', () => {
    // GIVEN keys, one of which has its home slot at 4095
    const others = keys(40);
    const home = Array.from({ length: 20000 }, (_, i) => `probe-${i}`).find((k) => homeSlot(k, 200, 4095) === 4095)!;
    const base = allocatePriorities([...others, home], 200, 4095).assigned;
    expect(base.get(home)).toBe(4095);
    // WHEN 4095 is reserved (the load-balancer probe rule's)
    const reserved = allocatePriorities([...others, home], 200, 4095, [4095]).assigned;
    // THEN that key probes on (wrapping to the start of the range), every other key stays
    expect(reserved.get(home)).not.toBe(4095);
    expect([...reserved.values()]).not.toContain(4095);
    for (const key of others) expect(reserved.get(key)).toBe(base.get(key));
  });

  test('a range with every slot reserved leaves every key unassigned', () => {
    expect(allocatePriorities(['a', 'b'], 200, 201, [200, 201])).toEqual({ assigned: new Map(), unassigned: ['a', 'b'] });
  });
});
