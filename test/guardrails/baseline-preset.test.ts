import { App } from 'cdktf';
import { awsThreeTier } from '../../examples/aws-three-tier/main';
import { azureThreeTier } from '../../examples/azure-three-tier/main';
import { baselinePreset, BaselinePresetStack } from '../../examples/baseline-preset/main';
import { vsphereNsx } from '../../examples/vsphere-nsx/main';
import { BaselinePreset, Port } from '../../lib';
import '../../lib/verify/jest';
import { errorOf, newApp, resourcesOf, synthApp } from '../helpers';
import { nsxStack } from '../vsphere/nsx-fixtures';

describe('BaselinePreset (examples/baseline-preset, NSX)', () => {
  let app: App;
  let stack: BaselinePresetStack;
  let out: any;
  beforeAll(() => {
    app = newApp();
    stack = baselinePreset(app);
    out = synthApp(app)['baseline-preset'];
  });
  const w = (name: string) => stack.workloads[name];

  test('renders a guardrail policy in the Emergency category with the preset\'s ALLOW rules first, then its DROP rules', () => {
    const policies = Object.entries<any>(resourcesOf(out, 'nsxt_policy_parent_security_policy'));
    expect(policies.map(([, p]) => `${p.category} ${p.display_name}`).sort()).toEqual(['Application payments', 'Emergency microseg-guardrails-baseline-preset']);
    const [guardName] = policies.find(([, p]) => p.category === 'Emergency')!;
    const guardRules = Object.values<any>(resourcesOf(out, 'nsxt_policy_security_policy_rule'))
      .filter((r) => r.policy_path === `\${nsxt_policy_parent_security_policy.${guardName}.path}`)
      .sort((a, b) => a.sequence_number - b.sequence_number);
    const allows = guardRules.filter((r) => r.action === 'ALLOW');
    const drops = guardRules.filter((r) => r.action === 'DROP');
    expect(allows.map((r) => r.display_name).sort()).toEqual([
      'baseline: DNS to shared services',
      'baseline: NTP to shared services',
      'baseline: admin access from management',
    ]);
    expect(Math.max(...allows.map((r) => r.sequence_number))).toBeLessThan(Math.min(...drops.map((r) => r.sequence_number)));
    expect(guardRules.filter((r) => r.action === 'DROP').map((r) => r.display_name).sort()).toEqual([
      'baseline: admin access only from management',
      'baseline: no traffic from dev to prod',
      'baseline: no traffic from prod to dev',
    ]);
    const admin = guardRules.find((r) => r.display_name === 'baseline: admin access only from management');
    // from anywhere: dropped where the members receive it (a VM that merely lies in anywhere is no member)
    expect(admin).toMatchObject({ source_groups: [], direction: 'IN', logged: true });
    expect(admin.services).toHaveLength(1);
    const service = Object.entries<any>(resourcesOf(out, 'nsxt_policy_service')).find(([name]) => admin.services[0].includes(`.${name}.`))![1];
    expect(service.l4_port_set_entry.map((e: any) => `${e.protocol} ${e.destination_ports.join(',')}`).sort()).toEqual(['TCP 22,3389']);
  });

  test('prod and dev cannot talk, although the application flow web -> api would allow it', () => {
    expect(out).toAllowFlow('baseline-preset/prod-web-workload', 'baseline-preset/prod-api-workload', 'tcp/8443');
    expect(out).toAllowFlow('baseline-preset/dev-web-workload', 'baseline-preset/dev-api-workload', 'tcp/8443');
    expect(out).toDenyFlow('baseline-preset/prod-web-workload', 'baseline-preset/dev-api-workload', 'tcp/8443');
    expect(out).toDenyFlow('baseline-preset/dev-web-workload', 'baseline-preset/prod-api-workload', 'tcp/8443');
  });

  test('DNS and NTP to the shared services from every workload, dev included; nothing else to them', () => {
    for (const from of ['prod-web', 'dev-web', 'dev-api', 'mgmt']) {
      expect(stack).toAllowFlow(w(from), w('dns'), Port.DNS_UDP);
      expect(stack).toAllowFlow(w(from), stack.baseline.sharedServices, Port.DNS_TCP);
      expect(stack).toAllowFlow(w(from), w('dns'), Port.NTP);
    }
    expect(stack).toDenyFlow(w('dev-web'), w('dns'), Port.HTTPS);
    expect(stack).toDenyFlow(w('prod-web'), w('dns'), Port.tcp(8443));
  });

  test('SSH and RDP only from management', () => {
    for (const to of ['prod-web', 'prod-api', 'dev-api', 'dns']) {
      expect(stack).toAllowFlow(w('mgmt'), w(to), Port.SSH);
      expect(stack).toAllowFlow(w('mgmt'), w(to), Port.RDP);
    }
    expect(stack).toDenyFlow(w('prod-web'), w('prod-api'), Port.SSH);
    expect(stack).toDenyFlow(w('dev-web'), w('dev-api'), Port.RDP);
    expect(stack).toDenyFlow('198.51.100.7', w('prod-web'), Port.SSH);
  });

  test('invalid props fail synthesis with the path, the value and a fix', () => {
    const bad = newApp();
    const s = nsxStack(bad, 'bad');
    new BaselinePreset(s, 'Baseline', { selector: { app: 'x', env: 'prod' }, sharedServicesSelector: {}, managementSelector: { role: 'm' }, nonProdValues: ['prod'] });
    const error = errorOf(() => bad.synth());
    expect(error).toContain('BaselinePreset \'bad/Baseline\': sharedServicesSelector {} would select every governed workload. Give the labels that set them apart, for example { role: "shared-services" }.');
    expect(error).toContain('BaselinePreset \'bad/Baseline\': nonProdValues ["prod"] contains prodValue "prod". Remove it.');
    expect(error).toContain('BaselinePreset \'bad/Baseline\': selector already fixes "env"="prod"');
  });
});

describe('BaselinePreset next to the other examples in one app (examples/main.ts)', () => {
  test('its selectors reach only the payments workloads', () => {
    const app = newApp();
    awsThreeTier(app);
    azureThreeTier(app);
    vsphereNsx(app);
    const stack = baselinePreset(app);
    const out = synthApp(app);
    for (const name of ['aws-three-tier', 'azure-three-tier', 'vsphere-nsx']) {
      expect(Object.values<any>(resourcesOf(out[name], 'nsxt_policy_parent_security_policy')).map((p) => p.category)).not.toContain('Emergency');
      expect(Object.values<any>(resourcesOf(out[name], 'azurerm_network_security_rule')).filter((r) => r.priority < 200)).toEqual([]);
    }
    for (const segment of [stack.baseline.governed, stack.baseline.production, ...stack.baseline.nonProduction]) {
      for (const member of segment.members) expect(member.node.path).toMatch(/^baseline-preset\//);
    }
  });
});
