import { DenyFlow, GcpEnforcement, GuardrailAllow, Peer, Port, Segment } from '../../lib';
import { evaluate, loadTerraformStacks } from '../../lib/verify';
import { newApp, synthApp } from '../helpers';
import { gcpEstate, gcpStack, vmWorkload } from './gcp-fixtures';

function resources(stack: { json: any }, type: string): Record<string, any> {
  return stack.json.resource?.[type] ?? {};
}

/** A network under folder 123 with web and db instances at fixed addresses, db open to web on 5432. */
function estate() {
  const app = newApp();
  const { stack } = gcpEstate(app, 'gcp', { folder: 'folders/123' });
  const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
  const db = new Segment(stack, 'Db', { selector: { tier: 'db' } });
  vmWorkload(stack, 'web');
  vmWorkload(stack, 'db');
  db.allowFrom(web, Port.POSTGRES, Port.SSH);
  return { app, stack, web, db };
}

describe('Google Cloud guardrails in a hierarchical firewall policy', () => {
  test('GIVEN an enforcement naming a folder WHEN a DenyFlow and a GuardrailAllow are declared THEN the folder gets a policy whose deny and goto_next rules target the network and name both sides by address', () => {
    // GIVEN
    const { app, stack, web, db } = estate();
    new DenyFlow(stack, 'NoSshToDb', { from: web, to: db, ports: [Port.SSH] });
    new GuardrailAllow(stack, 'Backup', { from: Peer.ipv4('10.99.0.0/24'), to: db, ports: [Port.tcp(5432)] });
    // WHEN
    const out = synthApp(app).gcp;
    // THEN
    const [policyName, policy] = Object.entries(resources(out, 'google_compute_firewall_policy'))[0];
    expect(policy.parent).toBe('folders/123');
    expect(Object.values(resources(out, 'google_compute_firewall_policy_association'))[0]).toMatchObject({
      attachment_target: 'folders/123', firewall_policy: `\${google_compute_firewall_policy.${policyName}.id}`,
    });
    const rules = Object.values(resources(out, 'google_compute_firewall_policy_rule')) as any[];
    for (const rule of rules) {
      expect(rule.firewall_policy).toBe(`\${google_compute_firewall_policy.${policyName}.name}`);
      expect(rule.target_resources).toEqual(['${google_compute_network.Vpc.self_link}']);
    }
    const web1 = '${google_compute_instance.web-vm.network_interface[0].network_ip}/32';
    const db1 = '${google_compute_instance.db-vm.network_interface[0].network_ip}/32';
    const denies = rules.filter((r) => r.action === 'deny').map((r) => [r.direction, r.match.src_ip_ranges, r.match.dest_ip_ranges, r.match.layer4_configs]);
    expect(denies.sort()).toEqual([
      ['EGRESS', [web1], [db1], [{ ip_protocol: 'tcp', ports: ['22'] }]],
      ['INGRESS', [web1], [db1], [{ ip_protocol: 'tcp', ports: ['22'] }]],
    ]);
    const passes = rules.filter((r) => r.action === 'goto_next');
    expect(passes.map((r) => [r.direction, r.match.src_ip_ranges, r.match.dest_ip_ranges])).toEqual([['INGRESS', ['10.99.0.0/24'], [db1]]]);
    for (const rule of rules) expect(rule.priority).toBeLessThan(rule.action === 'goto_next' ? 2000 : 3000);
    expect(Math.max(...passes.map((r) => r.priority))).toBeLessThan(Math.min(...rules.filter((r) => r.action === 'deny').map((r) => r.priority)));
    // the DenyFlow is no longer in the network policy; the GuardrailAllow's allow stays there
    const network = Object.values(resources(out, 'google_compute_network_firewall_policy_rule')) as any[];
    expect(network.filter((r) => r.action === 'deny' && r.priority < 65000)).toEqual([]);
    expect(network.filter((r) => r.match.src_ip_ranges?.[0] === '10.99.0.0/24').map((r) => r.action)).toEqual(['allow']);
  });

  test('GIVEN guardrails in the folder policy WHEN evaluated THEN the deny wins over the application flow and the grant passes a deny that covers it', () => {
    // GIVEN
    const { app, stack, web, db } = estate();
    new DenyFlow(stack, 'NoSshToDb', { from: web, to: db, ports: [Port.SSH] });
    new DenyFlow(stack, 'NoPrivateToDb', { from: Peer.ipv4('10.0.0.0/8'), to: db, ports: [Port.POSTGRES] });
    new GuardrailAllow(stack, 'Backup', { from: Peer.ipv4('10.99.0.0/24'), to: db, ports: [Port.tcp(5432)] });
    // WHEN
    const out = synthApp(app);
    const model = loadTerraformStacks(Object.fromEntries(Object.entries(out).map(([name, s]) => [name, s.json])));
    const allowed = (from: string, to: string, port: string) => evaluate(model, { from, to, port }).allowed;
    // THEN
    expect(allowed('gcp/WebVm', 'gcp/DbVm', 'tcp/5432')).toBe(true);
    expect(allowed('gcp/WebVm', 'gcp/DbVm', 'tcp/22')).toBe(false);
    expect(allowed('10.99.0.5', 'gcp/DbVm', 'tcp/5432')).toBe(true);
    expect(allowed('10.99.0.5', 'gcp/DbVm', 'tcp/22')).toBe(false);
  });

  test('GIVEN two enforcements naming one folder, or a malformed folder WHEN synthesized THEN synthesis fails', () => {
    const app = newApp();
    gcpEstate(app, 'a', { folder: 'folders/123' });
    gcpEstate(app, 'b', { folder: '123' });
    expect(() => app.synth()).toThrow(/GcpEnforcement 'b\/Gcp': names "folders\/123", whose hierarchical firewall policy GcpEnforcement 'a\/Gcp' already associates/);
    const bad = newApp();
    new GcpEnforcement(gcpStack(bad, 'gcp'), 'Gcp', { project: 'p', networkName: 'vpc', networkEnforcementOrder: undefined, folder: 'engineering' });
    expect(() => bad.synth()).toThrow(/has folder "engineering", which is not a folder id. Give it as "folders\/123456789"/);
  });
});
