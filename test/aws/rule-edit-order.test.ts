import { ruleEditWindows } from '../../lib/aws/rule-edit-order';

// Addresses are `<stack>|<slot>`; a previous rule is `[permission, address]`.
const A = 'shop|peer|flow#0';
const B = 'shop|peer|flow#1';

describe('the windows of a change to one bucket of security group rules', () => {
  test('no previous synthesis, or nothing changed: no window', () => {
    expect(ruleEditWindows([], [{ address: A, permission: 'tcp/8080' }])).toEqual([]);
    expect(ruleEditWindows([['tcp/8080', A]], [{ address: A, permission: 'tcp/8080' }])).toEqual([]);
  });

  test('ports edited or widened in place: no window (AWS updates one rule)', () => {
    expect(ruleEditWindows([['tcp/8080', A]], [{ address: A, permission: 'tcp/8080-8090' }])).toEqual([]);
    expect(ruleEditWindows([['tcp/22', A]], [{ address: A, permission: 'tcp/2222' }])).toEqual([]);
  });

  test('two ports joined into a range: the destroyed port\'s traffic', () => {
    expect(ruleEditWindows([['tcp/8080', A], ['tcp/8082', B]], [{ address: B, permission: 'tcp/8080-8082' }])).toEqual([
      { before: 'tcp/8080', change: 'destroyed', after: 'tcp/8080-8082', by: 'updated', common: 'tcp/8080' },
    ]);
  });

  test('a range split into two ports: the traffic the updated rule gives up to the created one', () => {
    expect(ruleEditWindows([['tcp/8080-8082', A]], [{ address: A, permission: 'tcp/8080' }, { address: B, permission: 'tcp/8082' }])).toEqual([
      { before: 'tcp/8080-8082', change: 'updated', after: 'tcp/8082', by: 'created', common: 'tcp/8082' },
    ]);
  });

  test('two rules that swap ports: each one\'s old port, in the order of their addresses', () => {
    expect(ruleEditWindows([['tcp/80', A], ['tcp/443', B]], [{ address: A, permission: 'tcp/443' }, { address: B, permission: 'tcp/80' }])).toEqual([
      { before: 'tcp/80', change: 'updated', after: 'tcp/80', by: 'updated', common: 'tcp/80' },
      { before: 'tcp/443', change: 'updated', after: 'tcp/443', by: 'updated', common: 'tcp/443' },
    ]);
  });

  test('a rule left as it was carries the traffic all along: no window', () => {
    const C = 'shop|peer|other#0';
    expect(ruleEditWindows([['tcp/8080', A], ['tcp/8080-8090', C]], [{ address: B, permission: 'tcp/8080-8085' }, { address: C, permission: 'tcp/8080-8090' }])).toEqual([]);
  });

  test('traffic the two versions do not share: no window', () => {
    expect(ruleEditWindows([['tcp/8080', A]], [{ address: B, permission: 'udp/8080' }])).toEqual([]);
  });

  test('one permission at another address (its flow moved to another stack): no window here, the move warns', () => {
    expect(ruleEditWindows([['tcp/8080', A]], [{ address: 'team|peer|flow#0', permission: 'tcp/8080' }])).toEqual([]);
  });
});
