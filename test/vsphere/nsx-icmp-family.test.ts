import { AllowFlow, DenyFlow, NsxEnforcement, Peer, Port, VsphereBinding, Workload } from '../../lib';
import { errorOf, newApp, synthApp } from '../helpers';
import { nsxStack, vm } from './nsx-fixtures';

// ICMPv6 travels in IPv6 packets only, ICMPv4 in IPv4 ones: an NSX rule of one towards addresses of
// the other family never matches, so the allow would be silently missing (as on the other platforms).

function estate() {
  const app = newApp();
  const stack = nsxStack(app, 'st');
  new NsxEnforcement(stack, 'Nsx');
  const a = new Workload(stack, 'A', { binding: VsphereBinding.virtualMachine(vm(stack, 'a')), addresses: ['10.0.0.10'] });
  return { app, stack, a };
}

describe('NSX: ICMP of one family towards addresses of the other', () => {
  test.each([
    [Port.icmpv6(), Peer.ipv4('192.0.2.0/24'), "AllowFlow 'st/F' allows only icmpv6/-1/-1, but its NSX rule would name IPv4 addresses only, which no ICMPv6 packet comes from or goes to. Use Port.icmp(), or name the IPv6 addresses (Peer.ipv6())."],
    [Port.icmp(), Peer.ipv6('2001:db8::/32'), "AllowFlow 'st/F' allows only icmp/-1/-1, but its NSX rule would name IPv6 addresses only, which no ICMPv4 packet comes from or goes to. Use Port.icmpv6(), or name the IPv4 addresses (Peer.ipv4())."],
  ])('GIVEN an allow of %s to %s THEN synthesis fails naming the fix', (port, peer, expected) => {
    const { app, stack, a } = estate();
    new AllowFlow(stack, 'F', { from: a, to: peer, ports: [port] });
    expect(errorOf(() => synthApp(app))).toContain(expected);
  });

  test('GIVEN ICMP of the matching family, or a DenyFlow of the other THEN it synthesizes', () => {
    const { app, stack, a } = estate();
    new AllowFlow(stack, 'F', { from: a, to: Peer.ipv4('192.0.2.0/24'), ports: [Port.icmp(), Port.icmpv6()] });
    new DenyFlow(stack, 'D', { from: a, to: Peer.ipv4('198.51.100.0/24'), ports: [Port.icmpv6()] });
    expect(() => synthApp(app)).not.toThrow();
  });
});
