import { PARTNER_CIDR, gcpThreeTier } from '../../../examples/gcp-three-tier/main';
import { evaluate } from '../../../lib/verify/evaluate';
import { loadTerraformStacks } from '../../../lib/verify/model/load-terraform';
import { segmentMatrix } from '../../../lib/verify/segment-matrix';
import { newApp, synthApp } from '../../helpers';

/** The synthesized examples/gcp-three-tier (and its AWS search stack), as the evaluator reads them. */
function synthesizedExample() {
  const app = newApp();
  gcpThreeTier(app);
  const out = synthApp(app);
  return { out, model: loadTerraformStacks(Object.fromEntries(Object.entries(out).map(([name, stack]) => [name, stack.json]))) };
}

describe('the evaluator over the renderer\'s output (examples/gcp-three-tier)', () => {
  const { out, model } = synthesizedExample();
  const json = out['gcp-three-tier'].json;

  test('every secure tag the rules, instances and bindings name is a tag value id, as Google requires (tagValues/<id>)', () => {
    const rules = Object.values<any>(json.resource.google_compute_network_firewall_policy_rule);
    const names = rules.flatMap((rule) => [...(rule.target_secure_tags ?? []), ...(rule.match.src_secure_tags ?? [])].map((tag: any) => tag.name));
    const instanceTags = Object.values<any>(json.resource.google_compute_instance)
      .flatMap((vm) => Object.values<string>(vm.params?.resource_manager_tags ?? {}));
    expect(names.length).toBeGreaterThan(0);
    expect(instanceTags.length).toBeGreaterThan(0);
    for (const name of [...names, ...instanceTags]) expect(name).toMatch(/^(\$\{google_tags_tag_value\.[^.}]+\.id\}|tagValues\/\$\{google_tags_tag_value\.[^.}]+\.name\})$/);
  });

  test('the segment matrix of the shop: the declared flows, the guardrail, nothing else', () => {
    const matrix = segmentMatrix(model);
    const cell = (from: string, to: string) => matrix.cells.find((c) => c.from === from && c.to === to)?.allowed;
    expect(cell('gcp-three-tier/Web', 'gcp-three-tier/App')).toEqual(['tcp/8080']);
    expect(cell('gcp-three-tier/App', 'gcp-three-tier/Db')).toEqual(['tcp/5432']);
    expect(cell('gcp-three-tier/Web', 'gcp-three-tier/Db')).toEqual([]);
    expect(cell('gcp-three-tier/Db', 'gcp-three-tier/Web')).toEqual([]);
    expect(cell(PARTNER_CIDR, 'gcp-three-tier/Web')).toEqual(['tcp/443', 'tcp/8443']);
  });

  test('a verdict names the policy, the priority and the flow that decided', () => {
    const verdict = evaluate(model, { from: 'gcp-three-tier/app-workload', to: 'gcp-three-tier/db-workload', port: 'tcp/5432' });
    expect(verdict.allowed).toBe(true);
    const ingress = verdict.layers.find((layer) => layer.point.startsWith('ingress of gcp-three-tier/db-workload'))!;
    expect(ingress.reason).toMatch(/global network firewall policy gcp-three-tier:google_compute_network_firewall_policy\.\S+: priority \d+ allow ingress tcp\/5432/);
    expect(ingress.decidingRules[0].flows).toEqual([expect.stringMatching(/^gcp-three-tier\/Db\//)]);
    // the DenyFlow guardrail decides web -> db, ahead of any application rule
    const guarded = evaluate(model, { from: 'gcp-three-tier/web-workload', to: 'gcp-three-tier/db-workload', port: 'tcp/5432' });
    expect(guarded.denied).toBe(true);
    expect(guarded.layers.flatMap((layer) => layer.decidingRules).some((rule) => (rule.guardrails ?? []).includes('gcp-three-tier/WebNeverReachesDb'))).toBe(true);
  });

  test('the cross-cloud flow passes the GCP egress rule and the AWS security group, and only on its port', () => {
    const verdict = evaluate(model, { from: 'gcp-three-tier/App', to: 'gcp-three-tier-search/Search', port: 'tcp/9200' });
    expect(verdict.allowed).toBe(true);
    expect(verdict.layers.map((layer) => [layer.layer, layer.status])).toEqual([
      ['aws-security-group', 'allowed'],
      ['gcp-firewall', 'allowed'],
    ]);
    const egress = verdict.layers.find((layer) => layer.layer === 'gcp-firewall')!;
    expect(egress.decidingRules.map((rule) => rule.address)).toEqual([expect.stringMatching(/^gcp-three-tier:google_compute_network_firewall_policy_rule\./)]);
    expect(egress.decidingRules[0].summary).toContain('allow egress tcp/9200');
    // on another port the GCP policy's own default deny stops it before the security group is asked
    const other = evaluate(model, { from: 'gcp-three-tier/App', to: 'gcp-three-tier-search/Search', port: 'tcp/9300' });
    expect(other.denied).toBe(true);
    expect(other.layers.find((layer) => layer.layer === 'gcp-firewall')?.status).toBe('denied');
  });
});
