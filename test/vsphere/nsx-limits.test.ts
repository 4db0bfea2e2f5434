import { TerraformStack } from 'cdktf';
import { DenyFlow, NsxEnforcement, NsxEnforcementProps, Peer, Port, Segment, Workload, VsphereBinding } from '../../lib';
import { errorOf, newApp, resourcesOf, synthApp } from '../helpers';
import { nsxStack, vm } from './nsx-fixtures';

function estate(props: NsxEnforcementProps = {}) {
  const app = newApp();
  const stack = nsxStack(app, 'dc');
  new NsxEnforcement(stack, 'Nsx', props);
  const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
  const api = new Segment(stack, 'App', { selector: { tier: 'app' } });
  new Workload(stack, 'WebVm', { binding: VsphereBinding.virtualMachine(vm(stack, 'web')), labels: { tier: 'web', app: 'shop' } });
  new Workload(stack, 'AppVm', { binding: VsphereBinding.virtualMachine(vm(stack, 'app')), labels: { tier: 'app' } });
  web.allowFrom(Peer.anyIpv4(), Port.HTTPS);
  api.allowFrom(web, Port.tcp(8080));
  return { app, stack, web, api };
}

describe('NSX limits are checked at synth', () => {
  test('within the limits, synthesis succeeds', () => {
    expect(() => synthApp(estate().app)).not.toThrow();
  });

  test('rules per policy: names the enforcement, the policy, the count and the fix', () => {
    const message = errorOf(() => synthApp(estate({ maxRulesPerPolicy: 3 }).app));
    expect(message).toContain('NsxEnforcement \'dc/Nsx\': policy "microseg-dc" needs 4 rules (2 flows and 2 default-deny rules); the limit is 3 per policy. Merge flows between the same endpoints into one flow with several ports');
    expect(message).toContain('raise maxRulesPerPolicy (NSX allows 1000)');
  });

  test.each([
    [4000, false], [4001, true],
  ])('addresses per IP address expression: %d addresses of the external members of a segment, refused over 4000 (%s)', (count, refused) => {
    const { app, stack, api } = estate();
    const clients = new Segment(stack, 'Clients', { selector: { tier: 'clients' } });
    const addresses = Array.from({ length: count }, (_, i) => `10.1.${Math.floor(i / 256)}.${i % 256}`);
    new Workload(stack, 'Branches', { addresses, labels: { tier: 'clients' } });
    api.allowFrom(clients, Port.POSTGRES);
    if (refused) {
      expect(errorOf(() => synthApp(app))).toContain(`NsxEnforcement 'dc/Nsx': address group "members of dc/Clients outside dc/Nsx" renders an IP address expression of ${count} addresses; NSX allows 4000 per expression. Name the hosts by the CIDRs that hold them`);
      return;
    }
    const groups = Object.values<any>(resourcesOf(synthApp(app).dc, 'nsxt_policy_group'))
      .flatMap((group) => group.criteria ?? []).filter((criteria: any) => criteria.ipaddress_expression);
    expect(groups.map((criteria: any) => criteria.ipaddress_expression.ip_addresses.length)).toContain(4000);
  });

  test('groups per rule side: the default-deny rules name one group (every managed VM), whatever the number of segments', () => {
    const out = synthApp(estate({ maxGroupsPerRuleSide: 1 }).app).dc;
    const drops = Object.values<any>(resourcesOf(out, 'nsxt_policy_security_policy_rule')).filter((r) => r.action === 'DROP');
    expect(drops.map((r) => [r.source_groups.length, r.destination_groups.length])).toEqual([[0, 1], [1, 0]]);
  });

  test('groups per rule side: a flow side with tagged members and address members needs two groups', () => {
    const { app, stack, api } = estate({ maxGroupsPerRuleSide: 1 });
    new Workload(stack, 'Ops', { addresses: ['192.0.2.7'], labels: { tier: 'app' } });
    void api;
    expect(errorOf(() => synthApp(app))).toContain("NsxEnforcement 'dc/Nsx': AllowFlow 'dc/App/AllowFrom-dc-Web-tcp-8080' has 2 destination groups; the limit is 1 per rule side.");
  });

  test('tags per VM: names the workload, the count, its segments and the fix', () => {
    const { app } = estate({ maxTagsPerVm: 2 });
    expect(errorOf(() => synthApp(app))).toContain("Workload 'dc/WebVm' would carry 4 NSX tags (2 labels, the managed tag and 1 segments: dc/Web); NSX allows 2 per VM. Drop labels no segment needs, or merge segments.");
  });

  test('a label named like the tag scope could forge membership: it is an error', () => {
    const app = newApp();
    const stack = nsxStack(app, 'dc');
    new NsxEnforcement(stack, 'Nsx');
    new Workload(stack, 'Vm', { binding: VsphereBinding.virtualMachine(vm(stack, 'vm')), labels: { Microseg: 'dc/Db' } });
    expect(errorOf(() => synthApp(app))).toContain("Workload 'dc/Vm' has the label \"Microseg\", which is the NSX tag scope of 'dc/Nsx': a VM could join a segment's group by its labels. Rename the label, or set another tagScope on the NsxEnforcement.");
  });

  test('segments whose tags differ only in case are an error (NSX tag matching ignores case)', () => {
    const app = newApp();
    const stack = nsxStack(app, 'dc');
    new NsxEnforcement(stack, 'Nsx');
    new Segment(stack, 'Web', { selector: { tier: 'web' } });
    new Segment(stack, 'web', { selector: { tier: 'web' } });
    new Workload(stack, 'Vm', { binding: VsphereBinding.virtualMachine(vm(stack, 'vm')), labels: { tier: 'web' } });
    expect(errorOf(() => synthApp(app))).toContain("NsxEnforcement 'dc/Nsx': segments 'dc/Web' and 'dc/web' get the same NSX tag \"dc/web\" once case is ignored (NSX matches tags without regard to case), so their groups would select each other's VMs. Rename one of them.");
  });

  test('a vSphere workload in a stack without NsxEnforcement is an error suggesting one', () => {
    const app = newApp();
    const stack = nsxStack(app, 'dc');
    new Workload(stack, 'Vm', { binding: VsphereBinding.virtualMachine(vm(stack, 'vm')), labels: { tier: 'web' } });
    expect(errorOf(() => synthApp(app))).toContain("Workload 'dc/Vm' is bound to vSphere VM 'dc/vm' but stack 'dc' has no NsxEnforcement. Add new NsxEnforcement(stack, 'Nsx') to that stack.");
  });

  test('a stack without the NSX provider is an error suggesting NsxtProvider', () => {
    const app = newApp();
    const stack = new TerraformStack(app, 'dc');
    new NsxEnforcement(stack, 'Nsx');
    expect(errorOf(() => synthApp(app))).toContain("NsxEnforcement 'dc/Nsx': stack 'dc' has no NSX provider, so Terraform would look for \"hashicorp/nsxt\". Add new nsxt.NsxtProvider(stack, 'nsxt', { host, username, password }) (import { nsxt } from 'cdktf-microseg') to that stack.");
  });

  test('invalid enforcement props are reported with the value and a fix', () => {
    const message = errorOf(() => synthApp(estate({ maxRulesPerPolicy: 5000, maxGroupsPerRuleSide: 0, maxTagsPerVm: 31, tagScope: 'micro|seg' }).app));
    expect(message).toContain("NsxEnforcement 'dc/Nsx': maxRulesPerPolicy 5000 is outside 3-1000");
    expect(message).toContain('maxGroupsPerRuleSide 0 is outside 1-128.');
    expect(message).toContain('maxTagsPerVm 31 is outside 1-30.');
    expect(message).toContain('tagScope "micro|seg" must be 1-128 characters of letters, digits, "_", ".", ":" or "-" (a "|" breaks NSX tag conditions). Did you mean "micro-seg"?');
  });

  test('two NsxEnforcements in one stack throw at once', () => {
    const { stack } = estate();
    expect(() => new NsxEnforcement(stack, 'Nsx2')).toThrow("NsxEnforcement 'dc/Nsx2': stack 'dc' already has NsxEnforcement 'dc/Nsx'. Declare one per stack.");
  });
});

describe('NSX guardrail policy quota', () => {
  test('guardrail rules beyond maxRulesPerPolicy are a synth error with advice, never merged', () => {
    // GIVEN an enforcement that allows 3 rules per policy and 4 DenyFlows
    const { app, stack, web, api } = estate({ maxRulesPerPolicy: 3 });
    for (const port of [22, 23, 25, 3389]) new DenyFlow(stack, `Deny${port}`, { from: web, to: api, ports: [Port.tcp(port)] });

    // WHEN / THEN
    expect(errorOf(() => synthApp(app))).toContain('NsxEnforcement \'dc/Nsx\': guardrail policy "microseg-guardrails-dc" needs 4 rules (GuardrailAllow and DenyFlow rules); the limit is 3 per policy. Merge guardrails between the same endpoints into one with several ports, or move workloads to another stack with its own NsxEnforcement; rules are never merged silently.');
  });
});
