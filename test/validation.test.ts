import * as fs from 'fs';
import { NetworkInterface } from '@cdktf/provider-aws/lib/network-interface';
import { TerraformVariable, Token } from 'cdktf';
import { AllowFlow, DenyFlow, GuardrailAllow, Peer, Port, Segment, Workload, AwsBinding } from '../lib';
import '../lib/verify/jest';
import { awsStack, awsWebEstate, errorOf, instance, newApp, synthApp } from './helpers';

const shopWithWeb = () => awsWebEstate('shop');

describe('input validation: errors name the construct path, quote the value and suggest the fix', () => {
  test.each([
    [() => Peer.ipv4('10.0.0.5/16'), 'Peer.ipv4("10.0.0.5/16") has host bits set. Did you mean "10.0.0.0/16"?'],
    [() => Peer.ipv4('10.0.0.5'), 'Peer.ipv4("10.0.0.5") has no prefix length. Did you mean "10.0.0.5/32"?'],
    [() => Peer.ipv4('2001:db8::/32'), 'Peer.ipv4("2001:db8::/32") is an IPv6 CIDR. Use Peer.ipv6() for it.'],
    [() => Peer.ipv6('10.0.0.0/8'), 'Peer.ipv6("10.0.0.0/8") is an IPv4 CIDR. Use Peer.ipv4() for it.'],
    [() => Peer.ipv4('10.0.0.300/32'), 'Peer.ipv4("10.0.0.300/32") is not a valid IPv4 CIDR.'],
    [() => Peer.ipv4('web-server'), 'Peer.ipv4("web-server") is not a valid IPv4 CIDR. Give a network and its prefix length, such as "10.0.0.0/16".'],
    [() => Peer.ipv4(''), 'Peer.ipv4("") is not a valid IPv4 CIDR.'],
    [() => Peer.ipv6('10.0.0.5'), 'Peer.ipv6("10.0.0.5") is an IPv4 address. Use Peer.ipv4() for it, with its prefix length.'],
    [() => Peer.awsPrefixList('prefix-1'), 'Peer.awsPrefixList("prefix-1") is not a prefix list id.'],
    // a dual-stack socket's view of an IPv4 peer: on the wire the packet carries the IPv4 address
    [() => Peer.ipv6('::ffff:10.0.0.1/128'), 'Peer.ipv6("::ffff:10.0.0.1/128") is an IPv4-mapped IPv6 range: packets from and to those hosts carry their IPv4 addresses, so no rule naming it would match them. Give the IPv4 form instead: "10.0.0.1/32" (with Peer.ipv4() for a peer).'],
    [() => Peer.ipv6('::ffff:a00:0/120'), 'Peer.ipv6("::ffff:a00:0/120") is an IPv4-mapped IPv6 range: packets from and to those hosts carry their IPv4 addresses, so no rule naming it would match them. Give the IPv4 form instead: "10.0.0.0/24"'],
  ])('peer %#', (makePeer, expected) => {
    const { app, web } = shopWithWeb();
    web.allowFrom(makePeer(), Port.HTTPS);
    const message = errorOf(() => synthApp(app));
    expect(message).toContain("AllowFlow 'shop/Web/AllowFrom-");
    expect(message).toContain(expected);
  });

  test.each([
    [Port.tcp(70000), 'Port.tcp(70000): port 70000 is outside 0-65535.'],
    [Port.tcpRange(9000, 8000), 'Port.tcpRange(9000, 8000): the range starts after it ends. Did you mean Port.tcpRange(8000, 9000)?'],
    [Port.udpRange(-1, 10), 'Port.udpRange(-1, 10): port -1 is outside 0-65535.'],
    [Port.sctp(70000), 'Port.sctp(70000): port 70000 is outside 0-65535.'],
    [Port.sctpRange(38413, 38412), 'Port.sctpRange(38413, 38412): the range starts after it ends. Did you mean Port.sctpRange(38412, 38413)?'],
    [Port.icmp(300), 'Port.icmp(300): ICMP type 300 is outside 0-255.'],
    [Port.icmp(8, 256), 'Port.icmp(8, 256): ICMP code 256 is outside 0-255.'],
    [Port.tcp(1.5), 'Port.tcp(1.5): port 1.5 is not a whole number.'],
    [Port.icmp(8.5), 'Port.icmp(8.5): ICMP type 8.5 is not a whole number.'],
    [Port.tcp(Token.asNumber('${var.port}')), ': port is a Terraform expression, known only at apply; rules are decided at synth, so give the number itself.'],
  ])('port %#', (port, expected) => {
    const { app, web } = shopWithWeb();
    web.allowFrom(Peer.ipv4('10.0.0.0/8'), port);
    // once: a single port is both ends of its range, and names its problem once
    expect(errorOf(() => synthApp(app)).split(expected)).toHaveLength(2);
  });

  test('a flow without ports', () => {
    const { app, web } = shopWithWeb();
    web.allowFrom(Peer.ipv4('10.0.0.0/8'));
    expect(errorOf(() => synthApp(app))).toContain("AllowFlow 'shop/Web/AllowFrom-ipv4-10.0.0.0_8-none' has no ports. Pass at least one Port");
  });

  test('a flow whose two sides are the same peer, or two peers', () => {
    const { app, stack } = shopWithWeb();
    new AllowFlow(stack, 'Loop', { from: Peer.ipv4('10.0.0.0/8'), to: Peer.ipv4('10.0.0.0/8'), ports: [Port.HTTPS] });
    new AllowFlow(stack, 'Outside', { from: Peer.ipv4('10.0.0.0/8'), to: Peer.anyIpv4(), ports: [Port.HTTPS] });
    const message = errorOf(() => synthApp(app));
    expect(message).toContain('AllowFlow \'shop/Loop\' goes from Peer.ipv4("10.0.0.0/8") to itself. A flow needs two different endpoints.');
    expect(message).toContain('AllowFlow \'shop/Outside\' goes between two peers (Peer.ipv4("10.0.0.0/8") and Peer.anyIpv4()). One side must be a Segment or a Workload.');
  });

  test('a workload with no binding, or a binding to a resource of another type', () => {
    // GIVEN a workload with neither binding nor addresses, and one whose AwsBinding.instance gets an ENI
    const { app, stack } = shopWithWeb();
    new Workload(stack, 'Nothing', { labels: { tier: 'web' } });
    new Workload(stack, 'Wrong', { binding: AwsBinding.instance(new NetworkInterface(stack, 'eni', { subnetId: 's' })), labels: { tier: 'web' } });
    // WHEN the app is synthesized
    const message = errorOf(() => synthApp(app));
    // THEN both are reported with the fix
    expect(message).toContain("Workload 'shop/Nothing' has no binding. Give binding from the factory of its platform (AwsBinding.instance(vm), AwsBinding.dbInstance(db) and the other AwsBinding factories, AzureBinding.networkInterface(nic) or another AzureBinding factory, VsphereBinding.virtualMachine(vm), KubernetesBinding.deployment(deployment) or KubernetesBinding.pods(namespace, labels), HostBinding.linux(addresses) for a server with its own firewall), or addresses for a host outside the model.");
    expect(message).toContain("Workload 'shop/Wrong' is bound with AwsBinding.instance(...) to 'shop/eni' of type aws_network_interface, but AwsBinding.instance binds type aws_instance. Pass the aws_instance itself, or bind the resource with the factory for its type.");
  });

  test('bad workload addresses and labels', () => {
    const { app, stack } = shopWithWeb();
    new Workload(stack, 'Host', { addresses: ['10.0.0.1/8', 'db.example.com', '010.0.0.5', '::ffff:10.0.0.9'], labels: { tier: '' } });
    const message = errorOf(() => synthApp(app));
    // a bare address is quoted as written, never as the /32 it is checked as
    expect(message).toContain('Workload \'shop/Host\' address "010.0.0.5" is not written as four decimal numbers (0-255, without leading zeros) and a prefix length: it could be read as another network. Did you mean "10.0.0.5"?');
    expect(message).toContain('Workload \'shop/Host\' address "10.0.0.1/8" has host bits set. Did you mean "10.0.0.0/8"?');
    expect(message).toContain('Workload \'shop/Host\' address "db.example.com" is not an IP address or CIDR.');
    expect(message).toContain('Workload \'shop/Host\' address "::ffff:10.0.0.9" is an IPv4-mapped IPv6 range: packets from and to those hosts carry their IPv4 addresses, so no rule naming it would match them. Give the IPv4 form instead: "10.0.0.9/32"');
    expect(message).toContain('Workload \'shop/Host\' label "tier" has the value "". Label values are non-empty strings.');
  });

  test('an empty label key, on a workload or in a selector, is refused: NSX writes it as a tag scope, vSphere as a category name', () => {
    const { app, stack } = shopWithWeb();
    new Workload(stack, 'Host', { addresses: ['10.0.0.9'], labels: { '': 'x' } });
    new Segment(stack, 'Blank', { selector: { '': 'x' } });
    const message = errorOf(() => synthApp(app));
    expect(message).toContain('Workload \'shop/Host\' has a label with an empty key (value "x"). Label keys are non-empty: name the label.');
    expect(message).toContain('has a selector with an empty label key, which no workload carries (label keys are non-empty). Name the label.');
  });

  test('a workload whose platform has no enforcement in its stack', () => {
    const app = newApp();
    const stack = awsStack(app, 'shop');
    new Segment(stack, 'Web', { selector: { tier: 'web' } });
    new Workload(stack, 'WebVm', { binding: AwsBinding.instance(instance(stack, 'web')), labels: { tier: 'web' } });
    expect(errorOf(() => synthApp(app))).toContain(
      "Workload 'shop/WebVm' is bound to an AWS aws_instance but stack 'shop' has no AwsEnforcement. Add new AwsEnforcement(stack, 'Aws', { vpcId: vpc.id }) to that stack.");
  });

  test('every problem is listed at once and nothing is written', () => {
    const { app, stack, web } = shopWithWeb();
    web.allowFrom(Peer.ipv4('10.0.0.5/16'), Port.tcp(70000));
    new Workload(stack, 'Nothing', {});
    const message = errorOf(() => synthApp(app));
    expect(message).toContain('host bits set');
    expect(message).toContain('outside 0-65535');
    expect(message).toContain("Workload 'shop/Nothing' has no binding");
    expect(fs.existsSync(`${app.outdir}/stacks/shop/cdk.tf.json`)).toBe(false);
  });

  test('a selector that matches nothing is a warning with a stable id, not an error', () => {
    const { app, stack } = shopWithWeb();
    const lonely = new Segment(stack, 'Lonely', { selector: { tier: 'nothing' } });
    synthApp(app);
    const warnings = lonely.node.metadata.filter((m) => m.type === '@cdktf/warn');
    expect(warnings.map((w) => w.data)).toEqual([
      "[microseg:empty-selector] Segment 'shop/Lonely': selector {tier=nothing} matches no workload. Check the labels, or remove the segment.",
    ]);
  });

  test('a selector value given as a Terraform expression is shown as the expression, and the warning says why it matches nothing', () => {
    const { app, stack } = shopWithWeb();
    const tier = new TerraformVariable(stack, 'tier', { type: 'string' });
    const segment = new Segment(stack, 'ByVariable', { selector: { tier: tier.stringValue } });
    new Workload(stack, 'Host', { addresses: ['10.0.0.9'], labels: { tier: tier.stringValue } });
    synthApp(app);
    expect(segment.node.metadata.filter((m) => m.type === '@cdktf/warn').map((w) => w.data)).toEqual([
      "[microseg:empty-selector] Segment 'shop/ByVariable': selector {tier=${var.tier}} matches no workload. Check the labels, or remove the segment. Its selector holds a Terraform expression, whose value is unknown at synth: it matches a label only if that label is the very same read of the expression. Give literal label values.",
    ]);
  });

  test('a stableId given as a Terraform expression is refused, quoting the expression', () => {
    const { app, stack } = shopWithWeb();
    const id = new TerraformVariable(stack, 'segment_id', { type: 'string' });
    new Segment(stack, 'Api', { selector: { tier: 'api' }, stableId: id.stringValue });
    expect(errorOf(() => synthApp(app))).toContain("Segment 'shop/Api' has stableId ${var.segment_id}, a Terraform expression: a stableId names the resources at synth, so it must be a literal string.");
  });

  test('unresolved tokens are not validated by value and do not crash', () => {
    const { app, stack, web } = shopWithWeb();
    const other = instance(stack, 'other');
    web.allowFrom(Peer.ipv4(`${other.privateIp}/32`), Port.HTTPS);
    expect(() => synthApp(app)).not.toThrow();
  });

  test('Port.parse reads the textual forms and rejects malformed ones', () => {
    expect(Port.parse('tcp/443').toString()).toBe('tcp/443');
    expect(Port.parse('tcp/8000-8100').toString()).toBe('tcp/8000-8100');
    expect(Port.parse('udp/53').toString()).toBe('udp/53');
    expect(Port.parse('icmp/8/0').toString()).toBe('icmp/8/0');
    expect(Port.parse('all').toString()).toBe('all');
    expect(() => Port.parse('tcp:443')).toThrow('Port "tcp:443" is not valid. Use forms like "tcp/443"');
  });
});

describe('null and undefined where the types forbid them (what jsii languages can pass): a clear error, no crash', () => {
  // GIVEN an estate with a segment and a workload; WHEN a declaration gets null or undefined; THEN
  // the error names the construct and the argument and says what to pass
  const none: any = undefined;
  const nil: any = null;
  test.each([
    ['AllowFlow from', (s: Segment) => new AllowFlow(s.node.scope!, 'F', { from: none, to: s, ports: [Port.HTTPS] }),
      "AllowFlow 'shop/F': from is undefined. Pass the source: a Segment, a Workload or a Peer (for example Peer.ipv4('10.0.0.0/8'))."],
    ['AllowFlow to', (s: Segment) => new AllowFlow(s.node.scope!, 'F', { from: s, to: nil, ports: [Port.HTTPS] }),
      "AllowFlow 'shop/F': to is null. Pass the destination: a Segment, a Workload or a Peer (for example Peer.ipv4('10.0.0.0/8'))."],
    ['AllowFlow ports', (s: Segment) => new AllowFlow(s.node.scope!, 'F', { from: s, to: Peer.anyIpv4(), ports: none }),
      "AllowFlow 'shop/F': ports is undefined, not a list. Pass at least one Port, for example [Port.HTTPS]."],
    ['AllowFlow port', (s: Segment) => new AllowFlow(s.node.scope!, 'F', { from: s, to: Peer.anyIpv4(), ports: [Port.HTTPS, nil] }),
      "AllowFlow 'shop/F': port 2 is null, not a Port. Pass Ports, for example Port.HTTPS."],
    ['allowFrom', (s: Segment) => s.allowFrom(none, Port.HTTPS),
      "'shop/Web'.allowFrom: the source is undefined. Pass the source: a Segment, a Workload or a Peer (for example Peer.ipv4('10.0.0.0/8'))."],
    ['allowTo port', (s: Segment) => s.allowTo(Peer.anyIpv4(), nil),
      "'shop/Web'.allowTo: port 1 is null, not a Port. Pass Ports, for example Port.HTTPS."],
    ['GuardrailAllow ports', (s: Segment) => new GuardrailAllow(s.node.scope!, 'G', { from: s, to: Peer.anyIpv4(), ports: none }),
      "GuardrailAllow 'shop/G': ports is undefined, not a list. Pass at least one Port, for example [Port.HTTPS]."],
    ['DenyFlow port', (s: Segment) => new DenyFlow(s.node.scope!, 'D', { from: s, ports: [nil] }),
      "DenyFlow 'shop/D': port 1 is null, not a Port. Pass Ports, for example Port.HTTPS."],
  ])('%s', (_what, declare, expected) => {
    const { web } = shopWithWeb();
    expect(() => declare(web)).toThrow(expected);
  });

  test('a DenyFlow side or ports given as null mean what omitting them means (anywhere, all traffic)', () => {
    const { app, stack, web } = shopWithWeb();
    const deny = new DenyFlow(stack, 'D', { from: nil, to: web, ports: nil });
    expect([deny.fromAnywhere, deny.ports.map(String)]).toEqual([true, [Port.allTraffic().toString()]]);
    expect(() => synthApp(app)).not.toThrow();
  });
});

describe('identities of flows: one identity is one flow, on every platform', () => {
  const apiAndWeb = () => {
    const estate = shopWithWeb();
    const api = new Segment(estate.stack, 'Api', { selector: { tier: 'api' } });
    new Workload(estate.stack, 'ApiVm', { binding: AwsBinding.instance(instance(estate.stack, 'api')), labels: { tier: 'api' } });
    return { ...estate, api };
  };

  test('two AllowFlows of one stableId that differ in ports are a synth error naming both, and nothing is written', () => {
    const { app, stack, web, api } = apiAndWeb();
    new AllowFlow(stack, 'WebToApi', { from: web, to: api, ports: [Port.HTTPS], stableId: 'web-to-api' });
    new AllowFlow(stack, 'WebToApiAdmin', { from: web, to: api, ports: [Port.tcp(8443)], stableId: 'web-to-api' });
    expect(errorOf(() => synthApp(app))).toContain("AllowFlow 'shop/WebToApiAdmin' has the identity \"web-to-api\" of AllowFlow 'shop/WebToApi' but means something else (allow shop/Web to shop/Api tcp/8443 instead of allow shop/Web to shop/Api tcp/443). One identity is one flow: give this one its own stableId, or declare the same ends and ports.");
    expect(fs.existsSync(`${app.outdir}/stacks`) ? fs.readdirSync(`${app.outdir}/stacks`) : []).toEqual([]);
  });

  test('an AllowFlow and a DenyFlow of one stableId are a synth error', () => {
    const { app, stack, web, api } = apiAndWeb();
    new AllowFlow(stack, 'WebToApi', { from: web, to: api, ports: [Port.HTTPS], stableId: 'web-api' });
    new DenyFlow(stack, 'NoSsh', { from: web, to: api, ports: [Port.SSH], stableId: 'web-api' });
    // the declaration first by construct path is the one the others are measured against
    expect(errorOf(() => synthApp(app))).toContain("AllowFlow 'shop/WebToApi' has the identity \"web-api\" of DenyFlow 'shop/NoSsh' but means something else (allow shop/Web to shop/Api tcp/443 instead of deny shop/Web to shop/Api tcp/22).");
  });

  test('the same flow declared twice under one stableId (ports in another order) is one flow: one rule', () => {
    const { app, stack, web, api } = apiAndWeb();
    new AllowFlow(stack, 'WebToApi', { from: web, to: api, ports: [Port.HTTPS, Port.HTTP], stableId: 'web-to-api' });
    new AllowFlow(stack, 'AlsoWebToApi', { from: web, to: api, ports: [Port.HTTP, Port.HTTPS], stableId: 'web-to-api' });
    const json = synthApp(app).shop.json;
    const rules = Object.values<any>(json.resource.aws_vpc_security_group_ingress_rule);
    expect(rules.map((r) => `${r.ip_protocol}/${r.from_port}-${r.to_port}`).sort()).toEqual(['tcp/443-443', 'tcp/80-80']);
    expect(json).toAllowFlow(web, api, Port.HTTPS);
    expect(json).toAllowFlow(web, api, Port.HTTP);
    expect(json).toDenyFlow(web, api, Port.SSH);
    expect(json).toDenyFlow(api, web, Port.HTTPS);
  });

  test('the same flow from a peer known only at apply, declared twice (two reads of one attribute), is not refused', () => {
    const { app, stack, api } = apiAndWeb();
    const partner = new TerraformVariable(stack, 'partner_cidr', { type: 'string' });
    new AllowFlow(stack, 'PartnerSsh', { from: Peer.ipv4(partner.stringValue), to: api, ports: [Port.SSH], stableId: 'partner-ssh' });
    new AllowFlow(stack, 'AlsoPartnerSsh', { from: Peer.ipv4(partner.stringValue), to: api, ports: [Port.SSH], stableId: 'partner-ssh' });
    const rules = Object.values<any>(synthApp(app).shop.json.resource.aws_vpc_security_group_ingress_rule);
    expect(rules.filter((r) => r.from_port === 22).map((r) => r.cidr_ipv4)).toContain('${var.partner_cidr}');
  });

  test('an invalid stableId is reported as such, not as a clash', () => {
    const { app, stack, web, api } = apiAndWeb();
    new AllowFlow(stack, 'A', { from: web, to: api, ports: [Port.HTTPS], stableId: 'bad id' });
    new AllowFlow(stack, 'B', { from: web, to: api, ports: [Port.HTTP], stableId: 'bad id' });
    const message = errorOf(() => synthApp(app));
    expect(message).toContain("AllowFlow 'shop/B' has stableId \"bad id\"");
    expect(message).not.toContain('means something else');
  });
});
