import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GcpEstate } from './gcp-estate';
import { shopEstate } from './shop-estate';
import { changeImpact } from '../../../lib/verify/diff/change-impact';
import { evaluate } from '../../../lib/verify/evaluate';
import { toAllowFlow, toDenyFlow } from '../../../lib/verify/jest';
import { loadTerraformStacks } from '../../../lib/verify/model/load-terraform';
import { segmentMatrix } from '../../../lib/verify/segment-matrix';
import { runCli } from '../../cli/run-cli';

/** The shop with the library's inventory: one segment per tier (its secure tag value), one workload per VM. */
function inventoried(order = 'BEFORE_CLASSIC_FIREWALL') {
  const { estate, tags } = shopEstate(order);
  for (const tier of ['web', 'app', 'db']) {
    const segment = `shop/${tier[0].toUpperCase()}${tier.slice(1)}`;
    estate.segment(segment, [`google_tags_tag_value.tier_${tier}`]);
    estate.workload(`${segment}Vm`, `google_compute_instance.${tier}1`, [segment]);
  }
  return { estate, tags };
}

describe('Google Cloud through the generic evaluator', () => {
  const model = inventoried().estate.model();

  test('segments are their secure tag values: a segment\'s hypothetical member sits in its members\' subnetwork', () => {
    const verdict = evaluate(model, { from: 'shop/App', to: 'shop/Db', port: 'tcp/5432' });
    expect(verdict.allowed).toBe(true);
    expect(verdict.layers.map((layer) => layer.point)).toEqual([
      'egress of shop/App in network google_compute_network.vpc (gcp/vpc)',
      'ingress of shop/Db in network google_compute_network.vpc (gcp/vpc)',
    ]);
    expect(evaluate(model, { from: 'shop/Web', to: 'shop/Db', port: 'tcp/5432' }).denied).toBe(true);
    // a secure tag value given by id that no VM of the JSON carries is a named peer: only rules naming it match it
    expect(evaluate(model, { from: 'tagValues/999', to: 'shop/Db', port: 'tcp/5432' }).denied).toBe(true);
  });

  test('the segment matrix answers for Google Cloud segments with exact port sets', () => {
    const matrix = segmentMatrix(model);
    const cell = (from: string, to: string) => matrix.cells.find((c) => c.from === from && c.to === to)?.allowed;
    expect(cell('shop/Web', 'shop/App')).toEqual(['tcp/8000-8100']);
    expect(cell('shop/App', 'shop/Db')).toEqual(['tcp/5432']);
    expect(cell('shop/Web', 'shop/Db')).toEqual([]);
    expect(cell('shop/Db', 'shop/Web')).toEqual([]);
    expect(matrix.endpoints.find((endpoint) => endpoint.name === 'shop/Web')?.platforms).toEqual(['gcp']);
    // the external peers are the CIDRs allow rules name (a disabled rule's, a deny rule's only, none)
    expect(matrix.endpoints.filter((endpoint) => endpoint.kind === 'external').map((endpoint) => endpoint.name))
      .toEqual(['0.0.0.0/0', '10.0.0.0/8', '10.0.2.0/24', '10.0.3.0/24', '203.0.113.0/24']);
    expect(cell('0.0.0.0/0', 'shop/Web')).toEqual(['tcp/443']);
    expect(cell('10.0.0.0/8', 'shop/Db')).toEqual(['icmp']);
  });

  test('the jest matchers answer for Google Cloud workloads', () => {
    expect(toAllowFlow(model, 'shop/AppVm', 'shop/DbVm', 'tcp/5432').pass).toBe(true);
    expect(toDenyFlow(model, 'shop/WebVm', 'shop/DbVm', 'tcp/5432').pass).toBe(true);
    expect(toAllowFlow(model, 'shop/WebVm', 'shop/DbVm', 'tcp/5432').pass).toBe(false);
  });

  test('microseg query and matrix answer for Google Cloud and name the deciding policy and priority', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gcp-eval-'));
    fs.mkdirSync(path.join(dir, 'stacks', 'gcp'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'stacks', 'gcp', 'cdk.tf.json'), JSON.stringify(inventoried().estate.json()));
    const allowed = await runCli('query', dir, '--from', 'shop/AppVm', '--to', 'shop/DbVm', '--port', 'tcp/5432', '--explain');
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain('global network firewall policy google_compute_network_firewall_policy.shop: priority 1010 allow ingress tcp/5432');
    const denied = await runCli('query', dir, '--from', 'shop/WebVm', '--to', 'shop/DbVm', '--port', 'tcp/5432');
    expect(denied.code).toBe(1);
    expect(denied.stdout.split('\n')[0]).toBe('DENIED: shop/WebVm -> shop/DbVm on tcp/5432');
    const matrix = await runCli('matrix', dir, '--platform', 'gcp', '--json');
    expect(matrix.code).toBe(0);
    const cells: Array<{ from: string; to: string; allowed: string[] }> = JSON.parse(matrix.stdout).cells;
    expect(cells.find((c) => c.from === 'shop/App' && c.to === 'shop/Db')?.allowed).toEqual(['tcp/5432']);
  });

  test('change impact: removing the rule that serves a flow destroys it; traffic closed for good is no interruption', () => {
    const before = inventoried().estate.json();
    const after = JSON.parse(JSON.stringify(before));
    delete after.resource.google_compute_network_firewall_policy_rule.db_from_app;
    const impact = changeImpact(loadTerraformStacks({ gcp: before }), loadTerraformStacks({ gcp: after }));
    const plan = impact.stacks.find((stack) => stack.stack === 'gcp');
    expect(plan?.destroyed.map((change) => change.address)).toEqual(['google_compute_network_firewall_policy_rule.db_from_app']);
    // allowed before, denied after: not "interrupted" (that is traffic allowed both before and after), but the diff sees it closed
    expect(impact.interrupted).toEqual([]);
  });

  test('change impact: moving a rule to another priority replaces it, and the flow it serves drops during the apply', () => {
    const before = inventoried().estate.json();
    const after = JSON.parse(JSON.stringify(before));
    after.resource.google_compute_network_firewall_policy_rule.db_from_app.priority = 1015;
    const impact = changeImpact(loadTerraformStacks({ gcp: before }), loadTerraformStacks({ gcp: after }));
    const plan = impact.stacks.find((stack) => stack.stack === 'gcp');
    expect(plan?.replaced.map((change) => [change.address, change.reasons])).toEqual([['google_compute_network_firewall_policy_rule.db_from_app', ['priority']]]);
    expect(impact.interruptedFlows).toEqual(['shop/Db/AllowFromApp']);
    const dropped = impact.interrupted.find((entry) => entry.level === 'segment' && entry.from === 'shop/App' && entry.to === 'shop/Db');
    expect(dropped?.ports).toEqual(['tcp/5432']);
    expect(dropped?.resources).toEqual(['gcp:google_compute_network_firewall_policy_rule.db_from_app']);
  });

  test('change impact: two rules of one policy with one priority are a duplicate the apply refuses', () => {
    const before = inventoried().estate.json();
    const after = JSON.parse(JSON.stringify(before));
    after.resource.google_compute_network_firewall_policy_rule.copy = { ...after.resource.google_compute_network_firewall_policy_rule.db_from_app };
    const impact = changeImpact(loadTerraformStacks({ gcp: before }), loadTerraformStacks({ gcp: after }));
    expect(impact.duplicates.map((duplicate) => duplicate.kind)).toContain('gcp-policy-priority');
  });
});

describe('Google Cloud segments when egress rules name the members\' addresses', () => {
  /** Web and App segments; App has a member with a configured address and one whose address is known only at apply. */
  function membersEstate(named: readonly string[]) {
    const estate = new GcpEstate();
    estate.network('vpc', 'BEFORE_CLASSIC_FIREWALL');
    estate.subnet('s', 'vpc', '10.0.2.0/24');
    const tags = estate.secureTags('tier', 'vpc', ['web', 'app']);
    estate.instance('web1', { subnet: 's', ip: '10.0.2.5', tags: [tags.web] });
    estate.instance('app1', { subnet: 's', ip: '10.0.2.10', tags: [tags.app] });
    estate.instance('app2', { subnet: 's', tags: [tags.app] });
    estate.segment('shop/Web', ['google_tags_tag_value.tier_web']);
    estate.segment('shop/App', ['google_tags_tag_value.tier_app']);
    estate.workload('shop/Web1', 'google_compute_instance.web1', ['shop/Web']);
    estate.workload('shop/App1', 'google_compute_instance.app1', ['shop/App']);
    estate.workload('shop/App2', 'google_compute_instance.app2', ['shop/App']);
    estate.networkPolicy('p', 'vpc');
    estate.rule('p', 'web_to_app', {
      priority: 100,
      action: 'allow',
      direction: 'EGRESS',
      l4: [{ protocol: 'tcp', ports: ['8080'] }],
      targetTags: [tags.web],
      destRanges: named.map((vm) => `\${google_compute_instance.${vm}.network_interface[0].network_ip}/32`),
    });
    estate.rule('p', 'app_from_web', { priority: 200, action: 'allow', l4: [{ protocol: 'tcp', ports: ['8080'] }], srcTags: [tags.web], targetTags: [tags.app] });
    estate.rule('p', 'egress_deny', { priority: 65000, action: 'deny', direction: 'EGRESS', destRanges: ['0.0.0.0/0'], targetTags: [tags.web, tags.app] });
    estate.rule('p', 'ingress_deny', { priority: 65001, action: 'deny', srcRanges: ['0.0.0.0/0'], targetTags: [tags.web, tags.app] });
    return estate.model();
  }

  test('a segment is reached when the rule names every member\'s address, configured or known only at apply', () => {
    const model = membersEstate(['app1', 'app2']);
    expect(evaluate(model, { from: 'shop/Web', to: 'shop/App', port: 'tcp/8080' }).allowed).toBe(true);
    expect(segmentMatrix(model).cells.find((c) => c.from === 'shop/Web' && c.to === 'shop/App')?.allowed).toEqual(['tcp/8080']);
  });

  test('a rule naming one member\'s address reaches that member, not the segment', () => {
    const model = membersEstate(['app1']);
    expect(evaluate(model, { from: 'shop/Web1', to: 'shop/App1', port: 'tcp/8080' }).allowed).toBe(true);
    expect(evaluate(model, { from: 'shop/Web1', to: 'shop/App2', port: 'tcp/8080' }).denied).toBe(true);
    const segment = evaluate(model, { from: 'shop/Web', to: 'shop/App', port: 'tcp/8080' });
    expect(segment.allowed).toBe(false);
    expect(segment.layers.find((layer) => layer.point.startsWith('egress of shop/Web'))?.decidingRules.map((rule) => rule.address))
      .toEqual(['google_compute_network_firewall_policy_rule.egress_deny']);
  });
});
