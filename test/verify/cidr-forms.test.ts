import { parseCidr } from '../../lib/verify/net/cidr';

describe('addresses the evaluator reads (rules, and `microseg query --from/--to`)', () => {
  test.each(['10.0.1.5', '10.0.0.0/8', '10.0.0.0/08', '0.0.0.0/0', '255.255.255.255/32', '2001:db8::/32', '::ffff:10.0.0.1'])('%s is read', (text) => {
    expect(parseCidr(text)?.text).toBe(text);
  });

  test.each(['010.0.1.5', '0xa.0.0.1', '167772160', '10.1', '1.2.3.4/33', '256.0.0.1'])('%s is not an address: never read as another one (010 as octal 8)', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });
});
