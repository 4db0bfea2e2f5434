import { DenyFlow, GuardrailAllow, Peer, Port } from '../../lib';
import { coversSpec, intersectPortSpecs } from '../../lib/model/ports';
import { awsWebEstate, errorOf } from '../helpers';

const estate = () => awsWebEstate('pay');

describe('guardrail input validation: errors name the construct path, quote the value and suggest the fix', () => {
  test.each([
    [{ fromSelector: {} as Record<string, string>, to: undefined }, "DenyFlow 'pay/Bad' has an empty fromSelector {}, which selects no workload. Give at least one label, for example { env: \"prod\" }, or omit it to mean anywhere."],
    [{ from: Peer.anyIpv4() }, "DenyFlow 'pay/Bad' goes from Peer.anyIpv4() to anywhere: one side must be a Segment, a Workload or a selector"],
    [{ toSelector: { env: 'dev' }, ports: [] as Port[] }, "DenyFlow 'pay/Bad' has an empty ports list. Omit ports to deny all traffic, or pass at least one Port, for example Port.SSH."],
    [{ toSelector: { env: 'dev' }, ports: [Port.tcp(70000)] }, 'Port.tcp(70000): port 70000 is outside 0-65535.'],
    [{ from: Peer.ipv4('10.0.0.5/16'), toSelector: { env: 'dev' } }, 'Peer.ipv4("10.0.0.5/16") has host bits set. Did you mean "10.0.0.0/16"?'],
  ])('DenyFlow %#', (props, expected) => {
    const { app, stack } = estate();
    new DenyFlow(stack, 'Bad', props as any);
    expect(errorOf(() => app.synth())).toContain(expected);
  });

  test('DenyFlow with both from and fromSelector', () => {
    const { app, stack, web } = estate();
    new DenyFlow(stack, 'Bad', { from: web, fromSelector: { env: 'prod' }, toSelector: { env: 'dev' } });
    expect(errorOf(() => app.synth())).toContain("DenyFlow 'pay/Bad' has both from and fromSelector. Give one of them.");
  });

  test('GuardrailAllow without a destination', () => {
    const { app, stack, web } = estate();
    new GuardrailAllow(stack, 'Bad', { from: web, ports: [Port.DNS_UDP] });
    const message = errorOf(() => app.synth());
    expect(message).toContain("GuardrailAllow 'pay/Bad' has neither to nor toSelector. Give the destination, for example to: sharedServices.");
    // reported once, by the guardrail, not again by the flow it owns
    expect(message).not.toContain("AllowFlow 'pay/Bad/Flow'");
  });
});

describe('port overlap (lib/private/port-overlap)', () => {
  test.each([
    [{ protocol: 'tcp', from: 20, to: 25 }, { protocol: 'tcp', from: 22, to: 22 }, { protocol: 'tcp', from: 22, to: 22 }],
    [{ protocol: 'tcp', from: 20, to: 25 }, { protocol: 'udp', from: 22, to: 22 }, undefined],
    [{ protocol: 'all', from: -1, to: -1 }, { protocol: 'udp', from: 53, to: 53 }, { protocol: 'udp', from: 53, to: 53 }],
    [{ protocol: 'icmp', from: -1, to: -1 }, { protocol: 'icmp', from: 8, to: 0 }, { protocol: 'icmp', from: 8, to: 0 }],
    [{ protocol: 'icmp', from: 8, to: -1 }, { protocol: 'icmp', from: 0, to: -1 }, undefined],
    [{ protocol: 'tcp', from: 1, to: 10 }, { protocol: 'tcp', from: 11, to: 20 }, undefined],
  ] as const)('%j and %j have %j in common', (a, b, expected) => {
    expect(intersectPortSpecs(a, b)).toEqual(expected);
    expect(intersectPortSpecs(b, a)).toEqual(expected);
  });

  test('covers', () => {
    expect(coversSpec({ protocol: 'tcp', from: 1, to: 100 }, { protocol: 'tcp', from: 22, to: 22 })).toBe(true);
    expect(coversSpec({ protocol: 'tcp', from: 22, to: 22 }, { protocol: 'tcp', from: 20, to: 25 })).toBe(false);
    expect(coversSpec({ protocol: 'all', from: -1, to: -1 }, { protocol: 'icmp', from: 8, to: 0 })).toBe(true);
  });
});
