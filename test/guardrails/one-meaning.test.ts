import { TerraformStack } from 'cdktf';
import { AwsEnforcement, AzureEnforcement, DenyFlow, GuardrailAllow, MicrosegSuppressions, NsxEnforcement, Peer, Port, Segment, Workload, WorkloadProps, AwsBinding, AzureBinding, VsphereBinding } from '../../lib';
import '../../lib/verify/jest';
import { azureStack } from '../azure/azure-fixtures';
import { awsStack, errorOf, instance, newApp, synthApp } from '../helpers';
import { nsxStack, vm } from '../vsphere/nsx-fixtures';

// One intent, one result on every platform: CIDR peers of flows and guardrails against the
// workloads they contain (lib/guardrail-overlap.ts: flowRenderedAt, denyEnforcedAt).

type Bind = (stack: TerraformStack, id: string, index: number) => Partial<WorkloadProps>;

/** Two segments S0 and S1 with one workload each, on one platform. */
function estate(platform: 'aws' | 'azure' | 'nsx', bind?: Bind) {
  const app = newApp();
  let stack: TerraformStack;
  let defaultBind: Bind;
  if (platform === 'aws') {
    stack = awsStack(app, 'p');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    defaultBind = (s, id) => ({ binding: AwsBinding.instance(instance(s, id)) });
  } else if (platform === 'azure') {
    const az = azureStack(app, 'p');
    stack = az.stack;
    new AzureEnforcement(stack, 'Azure', { resourceGroupName: az.rg.name, location: az.rg.location, subnetIds: [az.subnet.id] });
    defaultBind = (_s, id, i) => ({ binding: AzureBinding.networkInterface(az.nic(id, `10.1.1.${10 + i}`)) });
  } else {
    stack = nsxStack(app, 'p');
    new NsxEnforcement(stack, 'Nsx');
    defaultBind = (s, id) => ({ binding: VsphereBinding.virtualMachine(vm(s, id)) });
  }
  const s0 = new Segment(stack, 'S0', { selector: { tier: 's0' } });
  const s1 = new Segment(stack, 'S1', { selector: { tier: 's1' } });
  const w0 = new Workload(stack, 'W0', { ...(bind ?? defaultBind)(stack, 'w0-vm', 0), labels: { tier: 's0' } });
  const w1 = new Workload(stack, 'W1', { ...(bind ?? defaultBind)(stack, 'w1-vm', 1), labels: { tier: 's1' } });
  return { app, stack, s0, s1, w0, w1 };
}

describe('item 5: a DenyFlow against flows whose CIDR peers contain the other side (AWS security groups cannot deny)', () => {
  test('S0 -> 0.0.0.0/0 plus 0.0.0.0/0 -> S1 on 443 together reach S1 from S0: a synth error naming both flows', () => {
    // GIVEN two AWS segments whose instances have no addresses: 0.0.0.0/0 certainly holds them
    const { app, stack, s0, s1 } = estate('aws');
    const egress = s0.allowTo(Peer.anyIpv4(), Port.HTTPS);
    const ingress = s1.allowFrom(Peer.anyIpv4(), Port.HTTPS);
    // WHEN
    new DenyFlow(stack, 'S0ToS1', { from: s0, to: s1, description: 'no s0 to s1' });
    // THEN
    expect(errorOf(() => app.synth())).toContain(`AllowFlows '${egress.node.path}' and '${ingress.node.path}' together allow tcp/443 from workload 'p/W0' to workload 'p/W1', which DenyFlow 'p/S0ToS1' ("no s0 to s1") forbids. AWS security groups cannot deny, so together they would override the guardrail.`);
  });

  test('one half alone is no breach: S0 -> 0.0.0.0/0 without an ingress on S1 synthesizes, and S0 cannot reach S1', () => {
    const { stack, s0, s1, w0, w1 } = estate('aws');
    s0.allowTo(Peer.anyIpv4(), Port.HTTPS);
    new DenyFlow(stack, 'S0ToS1', { from: s0, to: s1 });
    expect(stack).toDenyFlow(w0, w1, Port.HTTPS);
    expect(stack).toAllowFlow(w0, '203.0.113.9', Port.HTTPS);
  });

  test('a literal address outside the CIDR is no breach; inside it is', () => {
    const literal: Bind = (s, id, i) => {
      const ip = `10.0.${i}.10`;
      return { binding: AwsBinding.instance(instance(s, id, { privateIp: ip })), addresses: [ip] };
    };
    const outside = estate('aws', literal);
    outside.s0.allowTo(Peer.anyIpv4(), Port.HTTPS);
    outside.s1.allowFrom(Peer.ipv4('192.168.0.0/16'), Port.HTTPS);
    new DenyFlow(outside.stack, 'S0ToS1', { from: outside.s0, to: outside.s1 });
    expect(outside.stack).toDenyFlow(outside.w0, outside.w1, Port.HTTPS);

    const inside = estate('aws', literal);
    inside.s0.allowTo(Peer.anyIpv4(), Port.HTTPS);
    const ingress = inside.s1.allowFrom(Peer.ipv4('10.0.0.0/24'), Port.HTTPS);
    new DenyFlow(inside.stack, 'S0ToS1', { from: inside.s0, to: inside.s1 });
    expect(errorOf(() => inside.app.synth())).toMatch(new RegExp(`AllowFlows 'p/S0/AllowTo-ipv4-0.0.0.0_0-tcp-443' and '${ingress.node.path}' together allow tcp/443 from workload 'p/W0' to workload 'p/W1'`));
  });

  test('an instance\'s private_ip alone places it: CIDRs that hold the configured addresses are a breach', () => {
    // GIVEN instances with a literal private_ip and no `addresses`
    const configured: Bind = (s, id, i) => ({ binding: AwsBinding.instance(instance(s, id, { privateIp: `10.0.${i}.10` })) });
    const { app, stack, s0, s1 } = estate('aws', configured);
    // WHEN neither CIDR is anywhere: only the configured addresses say that they hold the instances
    const egress = s0.allowTo(Peer.ipv4('10.0.1.0/24'), Port.HTTPS);
    const ingress = s1.allowFrom(Peer.ipv4('10.0.0.0/24'), Port.HTTPS);
    new DenyFlow(stack, 'S0ToS1', { from: s0, to: s1 });
    // THEN
    expect(errorOf(() => app.synth())).toContain(`AllowFlows '${egress.node.path}' and '${ingress.node.path}' together allow tcp/443 from workload 'p/W0' to workload 'p/W1', which DenyFlow 'p/S0ToS1' ("guardrail: deny S0 to S1 all") forbids.`);
  });

  test('addresses that are Terraform expressions cannot be proven outside the CIDR: an error, suppressible only with a reason', () => {
    // GIVEN instances addressed by instance.privateIp (known at apply)
    const expression: Bind = (s, id) => {
      const i = instance(s, id);
      return { binding: AwsBinding.instance(i), addresses: [i.privateIp] };
    };
    const { app, stack, s0, s1 } = estate('aws', expression);
    s0.allowTo(Peer.anyIpv4(), Port.HTTPS);
    const ingress = s1.allowFrom(Peer.ipv4('10.0.0.0/16'), Port.HTTPS);
    new DenyFlow(stack, 'S0ToS1', { from: s0, to: s1 });
    // THEN it fails, saying why and how to proceed
    expect(errorOf(() => app.synth())).toMatch(/\[MS-GUARDRAIL-UNPROVEN\] AllowFlows .* together may allow tcp\/443 from workload 'p\/W0' to workload 'p\/W1', which DenyFlow 'p\/S0ToS1' .* forbids: the addresses of workload 'p\/W0' and workload 'p\/W1' are known only at apply/);
    // WHEN the team states why the CIDR never holds S0
    MicrosegSuppressions.addSuppressions(ingress, [{ id: 'MS-GUARDRAIL-UNPROVEN', reason: '10.0.0.0/16 is the on-premises range; S0 lives in 10.50.0.0/16' }]);
    // THEN it synthesizes, and the finding stays visible as an info annotation
    synthApp(app);
    const infos = stack.node.findAll().flatMap((c) => c.node.metadata).filter((m) => m.type === '@cdktf/info').map((m) => String(m.data));
    expect(infos).toEqual([expect.stringMatching(/^\[MS-GUARDRAIL-UNPROVEN\] suppressed: 10.0.0.0\/16 is the on-premises range; S0 lives in 10.50.0.0\/16 \(on 'p\/S1\/AllowFrom-ipv4-10.0.0.0_16-tcp-443'; finding: AllowFlows .* may allow tcp\/443 from workload 'p\/W0' to workload 'p\/W1'/)]);
  });
});

describe('item 6: a GuardrailAllow from a CIDR that contains managed workloads', () => {
  // The semantics: a grant is rendered at the ends it names; a managed workload inside its CIDR is
  // not granted at its own end, where the DenyFlow on it still drops the traffic.
  function grantFromAnywhere(platform: 'aws' | 'azure' | 'nsx') {
    const e = estate(platform);
    e.s0.allowTo(Peer.anyIpv4(), Port.HTTPS);
    new GuardrailAllow(e.stack, 'Grant', { from: Peer.anyIpv4(), to: e.s1, ports: [Port.HTTPS] });
    new DenyFlow(e.stack, 'S0ToS1', { from: e.s0, to: e.s1 });
    return e;
  }

  test.each(['azure', 'nsx'] as const)('%s: S0 -> S1 is denied (at S0), hosts outside the model are granted', (platform) => {
    const { stack, w0, w1 } = grantFromAnywhere(platform);
    expect(stack).toDenyFlow(w0, w1, Port.HTTPS);
    expect(stack).toAllowFlow('203.0.113.9', w1, Port.HTTPS);
  });

  test('aws: the same intent fails synthesis (security groups would let S0 through)', () => {
    const { app } = grantFromAnywhere('aws');
    expect(errorOf(() => app.synth())).toMatch(/AllowFlows 'p\/Grant\/Flow' and 'p\/S0\/AllowTo-ipv4-0.0.0.0_0-tcp-443' together allow tcp\/443 from workload 'p\/W0' to workload 'p\/W1', which DenyFlow 'p\/S0ToS1'/);
  });

  test.each(['aws', 'azure', 'nsx'] as const)('%s: a grant that names S0 lets S0 through', (platform) => {
    const e = estate(platform);
    e.s0.allowTo(e.s1, Port.HTTPS);
    new GuardrailAllow(e.stack, 'Grant', { from: e.s0, to: e.s1, ports: [Port.HTTPS] });
    new DenyFlow(e.stack, 'S0ToS1', { from: e.s0, to: e.s1 });
    expect(e.stack).toAllowFlow(e.w0, e.w1, Port.HTTPS);
    expect(e.stack).toDenyFlow(e.w0, e.w1, Port.SSH);
  });
});

describe('item 7: a DenyFlow whose other side is open (anywhere) applies at its members only', () => {
  // The semantics: a managed workload that merely lies in the open side is no member of it, so the
  // DenyFlow does not apply at its end; its own flows decide there. A GuardrailAllow exception of
  // the DenyFlow then works for traffic between two managed workloads too.
  function openDeny(platform: 'azure' | 'nsx', direction: 'from-members' | 'to-members') {
    const e = estate(platform);
    e.s0.allowTo(e.s1, Port.HTTPS, Port.HTTP);
    const [from, to] = direction === 'from-members' ? [e.s0, Peer.anyIpv4()] : [Peer.anyIpv4(), e.s1];
    new DenyFlow(e.stack, 'Deny', { from, to });
    new GuardrailAllow(e.stack, 'Grant', { from, to, ports: [Port.HTTPS] });
    return e;
  }

  test.each(['azure', 'nsx'] as const)('%s: from S0 to anywhere, with 443 granted: S0 reaches S1 on 443 (not dropped at S1), not on 80', (platform) => {
    const { stack, w0, w1 } = openDeny(platform, 'from-members');
    expect(stack).toAllowFlow(w0, w1, Port.HTTPS);
    expect(stack).toDenyFlow(w0, w1, Port.HTTP);
    expect(stack).toAllowFlow(w0, '203.0.113.9', Port.HTTPS);
    expect(stack).toDenyFlow(w0, '203.0.113.9', Port.HTTP);
  });

  test.each(['azure', 'nsx'] as const)('%s: from anywhere to S1, with 443 granted: S0 reaches S1 on 443 (not dropped at S0), not on 80', (platform) => {
    const { stack, w0, w1 } = openDeny(platform, 'to-members');
    expect(stack).toAllowFlow(w0, w1, Port.HTTPS);
    expect(stack).toDenyFlow(w0, w1, Port.HTTP);
    expect(stack).toAllowFlow('203.0.113.9', w1, Port.HTTPS);
    expect(stack).toDenyFlow('203.0.113.9', w1, Port.HTTP);
  });

  test.each([
    ['from-members', 'OUT', 'source_groups', 'S0'],
    ['to-members', 'IN', 'destination_groups', 'S1'],
  ] as const)('nsx: %s: one DROP rule, %s, naming the members\' group on its side and 0.0.0.0/0 on the open side, scoped to the managed VMs', (direction, nsxDirection, membersField, segment) => {
    const { app } = openDeny('nsx', direction);
    const out = synthApp(app).p.json.resource;
    const managed = Object.keys(out.nsxt_policy_group).find((n) => n.startsWith('Nsx_ManagedVms'));
    const drops = Object.values<any>(out.nsxt_policy_security_policy_rule).filter((r) => r.action === 'DROP' && r.description.includes('guardrail'));
    expect(drops.map((r) => r.direction)).toEqual([nsxDirection]);
    const openField = membersField === 'source_groups' ? 'destination_groups' : 'source_groups';
    const group = (ref: string) => out.nsxt_policy_group[/nsxt_policy_group\.([^.]+)\.path/.exec(ref)![1]];
    expect(drops[0].scope).toEqual([`\${nsxt_policy_group.${managed}.path}`]);
    expect(drops[0][openField].map((ref: string) => group(ref).criteria)).toEqual([[{ ipaddress_expression: { ip_addresses: ['0.0.0.0/0'] } }]]);
    expect(drops[0][membersField].map((ref: string) => group(ref).display_name)).toEqual([`microseg p/${segment}`]);
  });
});

describe('item 4: a DenyFlow whose side is a host known only by its addresses', () => {
  // The semantics: the external host enforces nothing, so the DenyFlow is enforced at every managed
  // workload that lies in its other side (anywhere, or a CIDR).
  function externalEstate(platform: 'aws' | 'azure' | 'nsx') {
    const e = estate(platform);
    const ext = new Workload(e.stack, 'Ext', { addresses: ['203.0.113.5'] });
    e.s1.allowFrom(Peer.ipv4('203.0.113.0/24'), Port.HTTPS);
    e.s0.allowTo(Peer.ipv4('203.0.113.0/24'), Port.HTTPS);
    return { ...e, ext };
  }

  test.each(['azure', 'nsx'] as const)('%s: from the host to anywhere, and from anywhere to it, are denied at the managed end; its neighbours are not', (platform) => {
    // GIVEN flows that open 203.0.113.0/24 in both directions
    const { stack, ext, w0, w1 } = externalEstate(platform);
    // WHEN
    new DenyFlow(stack, 'FromExt', { from: ext });
    new DenyFlow(stack, 'ToExt', { to: ext, ports: [Port.HTTPS] });
    // THEN
    expect(stack).toDenyFlow(ext, w1, Port.HTTPS);
    expect(stack).toAllowFlow('203.0.113.6', w1, Port.HTTPS);
    expect(stack).toDenyFlow(w0, ext, Port.HTTPS);
    expect(stack).toAllowFlow(w0, '203.0.113.6', Port.HTTPS);
  });

  test('azure: Deny rules in the guardrail band, from the host\'s address to "*" (inbound) and from "*" to it (outbound)', () => {
    const { app, stack, ext } = externalEstate('azure');
    new DenyFlow(stack, 'FromExt', { from: ext });
    new DenyFlow(stack, 'ToExt', { to: ext, ports: [Port.HTTPS] });
    const denies = Object.values<any>(synthApp(app).p.json.resource.azurerm_network_security_rule).filter((r) => r.access === 'Deny' && r.priority < 4096);
    const shape = (r: any) => [r.direction, r.source_address_prefix, r.destination_address_prefix, r.protocol, r.destination_port_range];
    expect(denies.map(shape).sort()).toEqual([
      ['Inbound', '203.0.113.5/32', '*', '*', '*'],
      ['Outbound', '*', '203.0.113.5/32', 'Tcp', '443'],
    ]);
    for (const rule of denies) {
      expect(rule.priority).toBeGreaterThanOrEqual(150);
      expect(rule.priority).toBeLessThanOrEqual(199);
    }
  });

  test('nsx: DROP rules of the guardrail policy scoped to every managed VM, IN from the host and OUT to it', () => {
    const { app, stack, ext } = externalEstate('nsx');
    new DenyFlow(stack, 'FromExt', { from: ext });
    new DenyFlow(stack, 'ToExt', { to: ext });
    const out = synthApp(app).p.json.resource;
    const managed = Object.keys(out.nsxt_policy_group).find((n) => n.startsWith('Nsx_ManagedVms'));
    const group = (ref: string) => out.nsxt_policy_group[/nsxt_policy_group\.([^.]+)\.path/.exec(ref)![1]];
    const drops = Object.values<any>(out.nsxt_policy_security_policy_rule).filter((r) => r.action === 'DROP' && r.description.includes('guardrail'));
    const inbound = drops.filter((r) => r.direction === 'IN');
    const outbound = drops.filter((r) => r.direction === 'OUT');
    expect([inbound.length, outbound.length, drops.length]).toEqual([1, 1, 2]);
    expect(inbound[0]).toMatchObject({ destination_groups: [], services: [], scope: [`\${nsxt_policy_group.${managed}.path}`] });
    expect(inbound[0].source_groups.map((ref: string) => group(ref).criteria)).toEqual([[{ ipaddress_expression: { ip_addresses: ['203.0.113.5/32'] } }]]);
    expect(outbound[0]).toMatchObject({ source_groups: [], services: [], scope: [`\${nsxt_policy_group.${managed}.path}`] });
    expect(outbound[0].destination_groups.map((ref: string) => group(ref).criteria)).toEqual([[{ ipaddress_expression: { ip_addresses: ['203.0.113.5/32'] } }]]);
  });

  test('azure: towards a CIDR, only the workloads inside it are protected', () => {
    // GIVEN W0 (10.1.1.10) and W1 (10.1.1.11) both open to 203.0.113.0/24
    const { stack, s0, ext, w0, w1 } = externalEstate('azure');
    s0.allowFrom(Peer.ipv4('203.0.113.0/24'), Port.HTTPS);
    // WHEN the host may not reach 10.1.1.11
    new DenyFlow(stack, 'ExtToHost', { from: ext, to: Peer.ipv4('10.1.1.11/32') });
    // THEN
    expect(stack).toDenyFlow(ext, w1, Port.HTTPS);
    expect(stack).toAllowFlow(ext, w0, Port.HTTPS);
  });

  test('aws: the same intent fails synthesis, since the security group of S1 would let the host through', () => {
    const { app, stack, ext } = externalEstate('aws');
    new DenyFlow(stack, 'FromExt', { from: ext });
    expect(errorOf(() => app.synth())).toContain("AllowFlow 'p/S1/AllowFrom-ipv4-203.0.113.0_24-tcp-443' allows tcp/443 from workload 'p/Ext' to workload 'p/W1', which DenyFlow 'p/FromExt'");
  });

  test.each(['azure', 'nsx'] as const)('%s: declaration order does not matter (the DenyFlow before the enforcement and the workloads)', (platform) => {
    const app = newApp();
    let stack: TerraformStack;
    let bind: (id: string) => Partial<WorkloadProps>;
    const first = (s: TerraformStack) => new DenyFlow(s, 'FromExt', { fromSelector: { role: 'ext' } });
    if (platform === 'azure') {
      const az = azureStack(app, 'p');
      stack = az.stack;
      first(stack);
      new AzureEnforcement(stack, 'Azure', { resourceGroupName: az.rg.name, location: az.rg.location, subnetIds: [az.subnet.id] });
      bind = (id) => ({ binding: AzureBinding.networkInterface(az.nic(id)) });
    } else {
      stack = nsxStack(app, 'p');
      first(stack);
      new NsxEnforcement(stack, 'Nsx');
      bind = (id) => ({ binding: VsphereBinding.virtualMachine(vm(stack, id)) });
    }
    const w = new Workload(stack, 'W', { ...bind('w-vm'), labels: { tier: 'w' } });
    new Segment(stack, 'S', { selector: { tier: 'w' } }).allowFrom(Peer.ipv4('203.0.113.0/24'), Port.HTTPS);
    const ext = new Workload(stack, 'Ext', { addresses: ['203.0.113.5'], labels: { role: 'ext' } });
    expect(stack).toDenyFlow(ext, w, Port.HTTPS);
    expect(stack).toAllowFlow('203.0.113.6', w, Port.HTTPS);
  });
});
