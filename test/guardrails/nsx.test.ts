import { DenyFlow, GuardrailAllow, NsxEnforcement, NsxPolicyCategory, Port, Segment, Workload, VsphereBinding } from '../../lib';
import '../../lib/verify/jest';
import { newApp, resourcesOf, synthApp } from '../helpers';
import { nsxStack, ref, vm } from '../vsphere/nsx-fixtures';

/** A vSphere estate: prod and dev api VMs, a shared DNS VM, a management VM. */
function estate(enforcementProps = {}) {
  const app = newApp();
  const stack = nsxStack(app, 'dc');
  new NsxEnforcement(stack, 'Nsx', enforcementProps);
  const prodApi = new Workload(stack, 'ProdApi', { binding: VsphereBinding.virtualMachine(vm(stack, 'prod-api')), labels: { app: 'pay', env: 'prod', tier: 'api' } });
  const devApi = new Workload(stack, 'DevApi', { binding: VsphereBinding.virtualMachine(vm(stack, 'dev-api')), labels: { app: 'pay', env: 'dev', tier: 'api' } });
  const dns = new Workload(stack, 'Dns', { binding: VsphereBinding.virtualMachine(vm(stack, 'dns')), labels: { app: 'pay', env: 'prod', role: 'dns' } });
  const api = new Segment(stack, 'Api', { selector: { app: 'pay', tier: 'api' } });
  const shared = new Segment(stack, 'Shared', { selector: { app: 'pay', role: 'dns' } });
  return { app, stack, prodApi, devApi, dns, api, shared };
}

function rules(out: any): Array<[string, any]> {
  return Object.entries<any>(resourcesOf(out, 'nsxt_policy_security_policy_rule'));
}

describe('guardrails on NSX', () => {
  test('a DenyFlow renders a DROP rule in a separate Emergency guardrail policy, ahead of the application policy', () => {
    // GIVEN
    const { app, stack, api } = estate();
    // WHEN
    const deny = new DenyFlow(stack, 'ProdToDev', { fromSelector: { app: 'pay', env: 'prod' }, toSelector: { app: 'pay', env: 'dev' }, description: 'no prod to dev' });
    api.allowInternally(Port.HTTPS);
    // THEN
    const out = synthApp(app).dc;
    const policies = Object.entries<any>(resourcesOf(out, 'nsxt_policy_parent_security_policy'));
    const guard = policies.find(([, p]) => p.category === 'Emergency')!;
    expect(guard[1]).toMatchObject({ display_name: 'microseg-guardrails-dc', category: 'Emergency', sequence_number: 1000, domain: 'default', stateful: true });
    expect(policies.find(([, p]) => p.category === 'Application')).toBeDefined();
    const drops = rules(out).filter(([, r]) => r.policy_path === `\${nsxt_policy_parent_security_policy.${guard[0]}.path}`);
    expect(drops).toHaveLength(1);
    const [, drop] = drops[0];
    expect(drop).toMatchObject({ action: 'DROP', direction: 'IN_OUT', display_name: 'no prod to dev', services: [], logged: true });
    expect(drop.sequence_number).toBeGreaterThanOrEqual(500000);
    expect(drop.source_groups).toHaveLength(1);
    expect(drop.destination_groups).toHaveLength(1);
    // applied at the enforcement's own VMs (a segment's group may hold another team's VMs too)
    expect(drop.scope).toEqual([ref(out, 'nsxt_policy_group', 'ManagedVms', 'path')]);
    expect(drop['//'].microseg).toEqual({ flows: [], guardrails: [deny.node.path] });
  });

  test('the DROP wins over an application AllowFlow that would allow prod to dev (evaluator)', () => {
    // GIVEN an application flow api -> api on 443, which includes prod -> dev
    const { stack, api, prodApi, devApi } = estate();
    api.allowInternally(Port.HTTPS);
    // WHEN
    new DenyFlow(stack, 'ProdToDev', { fromSelector: { app: 'pay', env: 'prod' }, toSelector: { app: 'pay', env: 'dev' } });
    // THEN
    expect(stack).toDenyFlow(prodApi, devApi, Port.HTTPS);
    expect(stack).toAllowFlow(devApi, prodApi, Port.HTTPS); // one direction only
  });

  test('a GuardrailAllow is an ALLOW rule of the guardrail policy before its DROP rules, and wins over a DenyFlow', () => {
    // GIVEN
    const { app, stack, api, devApi, dns, shared } = estate();
    // WHEN
    new DenyFlow(stack, 'DevToProd', { fromSelector: { app: 'pay', env: 'dev' }, toSelector: { app: 'pay', env: 'prod' } });
    const grant = new GuardrailAllow(stack, 'DnsGuardrail', { from: api, to: shared, ports: [Port.DNS_UDP, Port.DNS_TCP] });
    // THEN
    const out = synthApp(app).dc;
    const [[, allow]] = rules(out).filter(([, r]) => r.action === 'ALLOW' && r.description.includes('guardrail'));
    const [[, drop]] = rules(out).filter(([, r]) => r.action === 'DROP' && r.description.includes('guardrail'));
    expect(allow.policy_path).toBe(drop.policy_path);
    expect(allow.sequence_number).toBeLessThan(500000);
    expect(allow.sequence_number).toBeLessThan(drop.sequence_number);
    expect(allow['//'].microseg).toEqual({ flows: [grant.flow.node.path], guardrail: true });
    expect(stack).toAllowFlow(devApi, dns, Port.DNS_UDP); // dev -> prod DNS, granted
    expect(stack).toDenyFlow(devApi, dns, Port.HTTPS); // dev -> prod otherwise
  });

  test('a DenyFlow from anywhere has ANY as source, the destination group as destination, and the managed VMs as scope', () => {
    const { app, stack, api, prodApi } = estate();
    api.allowFrom(prodApi, Port.SSH);
    new DenyFlow(stack, 'NoSsh', { to: api, ports: [Port.SSH] });
    const out = synthApp(app).dc;
    const [[, drop]] = rules(out).filter(([, r]) => r.action === 'DROP' && r.description.includes('guardrail'));
    expect(drop.source_groups).toEqual([]);
    expect(drop.destination_groups).toEqual([ref(out, 'nsxt_policy_group', 'Group-dc-Api', 'path')]);
    expect(drop.scope).toEqual([ref(out, 'nsxt_policy_group', 'ManagedVms', 'path')]);
    expect(drop.services).toHaveLength(1);
    expect(stack).toDenyFlow(prodApi, api, Port.SSH);
  });

  test('the guardrail category is configurable, and one after the application category is an error', () => {
    const env = estate({ guardrailCategory: NsxPolicyCategory.ENVIRONMENT });
    new DenyFlow(env.stack, 'ProdToDev', { fromSelector: { env: 'prod' }, toSelector: { env: 'dev' } });
    const out = synthApp(env.app).dc;
    expect(Object.values<any>(resourcesOf(out, 'nsxt_policy_parent_security_policy')).map((p) => p.category).sort()).toEqual(['Application', 'Environment']);

    const bad = estate({ guardrailCategory: NsxPolicyCategory.APPLICATION });
    new DenyFlow(bad.stack, 'ProdToDev', { fromSelector: { env: 'prod' }, toSelector: { env: 'dev' } });
    expect(() => bad.app.synth()).toThrow(/NsxEnforcement 'dc\/Nsx': guardrailCategory "Application" is not evaluated before category "Application".*Use NsxPolicyCategory\.EMERGENCY/);
  });

  test('no guardrail, no guardrail policy', () => {
    const { app, api } = estate();
    api.allowInternally(Port.HTTPS);
    const out = synthApp(app).dc;
    expect(Object.values<any>(resourcesOf(out, 'nsxt_policy_parent_security_policy')).map((p) => p.category)).toEqual(['Application']);
  });

  test('declaration order does not matter: a DenyFlow declared before the enforcement and the VMs', () => {
    const app = newApp();
    const stack = nsxStack(app, 'dc');
    new DenyFlow(stack, 'ProdToDev', { fromSelector: { app: 'pay', env: 'prod' }, toSelector: { app: 'pay', env: 'dev' } });
    new NsxEnforcement(stack, 'Nsx');
    const prodApi = new Workload(stack, 'ProdApi', { binding: VsphereBinding.virtualMachine(vm(stack, 'prod-api')), labels: { app: 'pay', env: 'prod', tier: 'api' } });
    const devApi = new Workload(stack, 'DevApi', { binding: VsphereBinding.virtualMachine(vm(stack, 'dev-api')), labels: { app: 'pay', env: 'dev', tier: 'api' } });
    new Segment(stack, 'Api', { selector: { app: 'pay', tier: 'api' } }).allowInternally(Port.HTTPS);
    expect(stack).toDenyFlow(prodApi, devApi, Port.HTTPS);
    expect(stack).toAllowFlow(devApi, prodApi, Port.HTTPS);
  });
});
