import { AddressContext, assignAddresses, groupClaims, PermissionClaim } from '../../lib/aws/permission-owners';

const tcp = (from: number, to = from) => ({ protocol: 'tcp' as const, from, to });
const claim = (address: string, port: number, flow = address, to = port): PermissionClaim => ({ address, spec: tcp(port, to), flow });

function assign(claims: PermissionClaim[], previous: Record<string, string> = {}, context: Partial<AddressContext> = {}) {
  const defaults: AddressContext = { previous: (permission) => previous[permission], reusable: () => true, available: () => true };
  const result = assignAddresses(groupClaims(claims), { ...defaults, ...context });
  return Object.fromEntries(result.map((r) => [r.request.permission, r.movedFrom ? `${r.address} (from ${r.movedFrom})` : r.address]));
}

describe('permission owners and addresses', () => {
  test('GIVEN no previous synthesis THEN identical claims share one rule at the first claim by stack and slot; others stay apart', () => {
    expect(assign([claim('team|F#0', 8080), claim('shop|G#0', 8080), claim('shop|G#1', 8081)]))
      .toEqual({ 'tcp/8080': 'shop|G#0', 'tcp/8081': 'shop|G#1' });
  });

  test('GIVEN a previous owner that still claims THEN it keeps the rule although another claim sorts first', () => {
    expect(assign([claim('shop|A#0', 8080), claim('shop|B#0', 8080)], { 'tcp/8080': 'shop|B#0' })).toEqual({ 'tcp/8080': 'shop|B#0' });
  });

  test('GIVEN the previous owner no longer claims THEN the rule stays at its address in the same stack', () => {
    expect(assign([claim('shop|B#0', 8080)], { 'tcp/8080': 'shop|A#0' })).toEqual({ 'tcp/8080': 'shop|A#0' });
  });

  test('GIVEN the previous owner now asks for other ports THEN the old permission keeps the address and the new one takes a spare', () => {
    // A#0 was 8080 (shared with B#0) and is now 8090
    expect(assign([claim('shop|A#0', 8090), claim('shop|B#0', 8080)], { 'tcp/8080': 'shop|A#0' }))
      .toEqual({ 'tcp/8080': 'shop|A#0', 'tcp/8090': 'shop|A#0~1' });
  });

  test('GIVEN another kept rule is at the old address THEN the rule moves to a claim of the same stack', () => {
    expect(assign([claim('shop|B#0', 8080)], { 'tcp/8080': 'shop|A#0' }, { reusable: () => false })).toEqual({ 'tcp/8080': 'shop|B#0' });
  });

  test('GIVEN another bucket\'s rule is at a claim\'s address THEN a new rule starts at the next free one', () => {
    expect(assign([claim('shop|A#0', 8080), claim('shop|B#0', 8080)], {}, { available: (a) => a !== 'shop|A#0' })).toEqual({ 'tcp/8080': 'shop|B#0' });
    expect(assign([claim('shop|A#0', 8080)], {}, { available: (a) => a !== 'shop|A#0' })).toEqual({ 'tcp/8080': 'shop|A#0~1' });
  });

  describe('a rule whose permission nobody asks for any more', () => {
    // A#0 owned tcp/8080, which B#0 asked for too; A went, and B#0 now asks for tcp/8080-8081
    const previousRules = () => [['tcp/8080', 'shop|A#0'] as const];

    test('GIVEN a new permission that shares traffic with it THEN the new permission takes its address (updated in place)', () => {
      expect(assign([claim('shop|B#0', 8080, 'B', 8081)], { 'tcp/8080': 'shop|A#0' }, { previousRules })).toEqual({ 'tcp/8080-8081': 'shop|A#0' });
    });

    test('GIVEN a new permission that shares no traffic with it THEN the new permission starts at its own claim', () => {
      expect(assign([claim('shop|B#0', 9090)], { 'tcp/8080': 'shop|A#0' }, { previousRules })).toEqual({ 'tcp/9090': 'shop|B#0' });
    });

    test('GIVEN its address is where a current claim starts THEN that claim keeps it and the other permission starts at its own', () => {
      // A#0 now asks for tcp/9090, B#0 for tcp/8080-8081: A#0 stays A's
      expect(assign([claim('shop|A#0', 9090), claim('shop|B#0', 8080, 'B', 8081)], { 'tcp/8080': 'shop|A#0' }, { previousRules }))
        .toEqual({ 'tcp/8080-8081': 'shop|B#0', 'tcp/9090': 'shop|A#0' });
    });

    test('GIVEN it is in a stack where the new permission has no claim, or another kept rule is there THEN it is not taken over', () => {
      expect(assign([claim('team|B#0', 8080, 'B', 8081)], { 'tcp/8080': 'shop|A#0' }, { previousRules })).toEqual({ 'tcp/8080-8081': 'team|B#0' });
      expect(assign([claim('shop|B#0', 8080, 'B', 8081)], { 'tcp/8080': 'shop|A#0' }, { previousRules, reusable: () => false }))
        .toEqual({ 'tcp/8080-8081': 'shop|B#0' });
    });

    test('GIVEN its permission is still asked for THEN it keeps it', () => {
      expect(assign([claim('shop|B#0', 8080), claim('shop|C#0', 8080, 'C', 8081)], { 'tcp/8080': 'shop|A#0' }, { previousRules }))
        .toEqual({ 'tcp/8080': 'shop|A#0', 'tcp/8080-8081': 'shop|C#0' });
    });
  });

  test('GIVEN no claim is left in the previous stack THEN the rule moves to the other stack and says where from', () => {
    expect(assign([claim('team|A#0', 8080)], { 'tcp/8080': 'shop|A#0' })).toEqual({ 'tcp/8080': 'team|A#0 (from shop|A#0)' });
  });
});
