import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ComputeFirewall } from '@cdktf/provider-google/lib/compute-firewall';
import { ComputeInstanceTemplate } from '@cdktf/provider-google/lib/compute-instance-template';
import { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network';
import { App, TerraformStack } from 'cdktf';
import { DenyFlow, GcpBinding, GcpEnforcement, GcpEnforcementOrder, GcpEnforcementProps, Peer, Port, Segment, Workload } from '../../lib';
import { ruleAttributeCount } from '../../lib/gcp/limits';
import { ALLOCATION_FILE_CONTEXT } from '../../lib/render/allocations';
import { evaluate, loadTerraformStacks } from '../../lib/verify';
import { newApp, synthApp } from '../helpers';
import { gcpEstate, gcpStack, vm } from './gcp-fixtures';

/**
 * An app whose web VM (bound with tag bindings) may reach an existing instance (bound by id, with its
 * address) over SSH.
 */
function legacyReachedFromWeb(): App {
  const app = newApp();
  const { stack } = gcpEstate(app, 'gcp');
  const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
  const legacy = new Segment(stack, 'Legacy', { selector: { tier: 'legacy' } });
  new Workload(stack, 'WebVm', { binding: GcpBinding.instanceWithTagBindings(vm(stack, 'web')), labels: { tier: 'web' } });
  new Workload(stack, 'Old', { binding: GcpBinding.existingInstance('shop-prod', 'europe-west1-c', '1234567890'), labels: { tier: 'legacy' }, addresses: ['10.10.0.9'] });
  legacy.allowFrom(web, Port.SSH);
  return app;
}

function resources(stack: { json: any }, type: string): Record<string, any> {
  return stack.json.resource?.[type] ?? {};
}

function warningsOf(stack: TerraformStack, id: string): string[] {
  return stack.node.findAll()
    .flatMap((construct) => construct.node.metadata.filter((entry) => entry.type === '@cdktf/warn').map((entry) => String(entry.data)))
    .filter((warning) => warning.startsWith(id));
}

describe('Google Cloud bindings', () => {
  test('GIVEN an instance with its own resource manager tags WHEN it joins segments THEN params.resource_manager_tags holds both', () => {
    // GIVEN
    const app = newApp();
    const { stack } = gcpEstate(app, 'gcp');
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    web.allowFrom(Peer.ipv4('203.0.113.0/24'), Port.HTTPS);
    const instance = vm(stack, 'web', { params: { resourceManagerTags: { 'tagKeys/111': 'tagValues/222' } } });
    new Workload(stack, 'WebVm', { binding: GcpBinding.instance(instance), labels: { tier: 'web' } });
    // WHEN
    const out = synthApp(app).gcp;
    // THEN
    const tags = resources(out, 'google_compute_instance')['web-vm'].params.resource_manager_tags;
    expect(tags['tagKeys/111']).toBe('tagValues/222');
    const keys = Object.keys(tags).filter((k) => k.startsWith('${google_tags_tag_key.'));
    expect(keys).toHaveLength(2); // the managed tag and Web's
    expect(Object.keys(resources(out, 'google_tags_location_tag_binding'))).toHaveLength(0);
  });

  test('GIVEN an instance template WHEN its workload joins a segment THEN the template carries the tags and its address is the subnet CIDR', () => {
    // GIVEN
    const app = newApp();
    const { stack } = gcpEstate(app, 'gcp', { subnetCidrs: ['10.10.2.0/24'] });
    const workers = new Segment(stack, 'Workers', { selector: { tier: 'worker' } });
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    new Workload(stack, 'WebVm', { binding: GcpBinding.instance(vm(stack, 'web')), labels: { tier: 'web' } });
    const template = new ComputeInstanceTemplate(stack, 'workers', {
      machineType: 'e2-small', disk: [{ sourceImage: 'debian-cloud/debian-12' }], networkInterface: [{ network: 'vpc' }],
    });
    new Workload(stack, 'WorkersMig', { binding: GcpBinding.instanceTemplate(template), labels: { tier: 'worker' } });
    workers.allowFrom(web, Port.tcp(9000));
    // WHEN
    const out = synthApp(app).gcp;
    // THEN
    const tags = resources(out, 'google_compute_instance_template').workers.resource_manager_tags;
    expect(Object.keys(tags)).toHaveLength(2);
    const egress = Object.values(resources(out, 'google_compute_network_firewall_policy_rule')).find((r: any) => r.direction === 'EGRESS' && r.action === 'allow') as any;
    expect(egress.match.dest_ip_ranges).toEqual(['10.10.2.0/24']);
  });

  test('GIVEN an instance bound with tag bindings and an existing instance WHEN they join segments THEN each tag is a google_tags_location_tag_binding and the instance params stay untouched', () => {
    // GIVEN
    const app = legacyReachedFromWeb();
    // WHEN
    const out = synthApp(app).gcp;
    // THEN
    expect(resources(out, 'google_compute_instance')['web-vm'].params).toBeUndefined();
    const bindings = Object.values(resources(out, 'google_tags_location_tag_binding')) as any[];
    expect(bindings.map((b) => b.parent).sort()).toEqual([
      '//compute.googleapis.com/projects/${google_compute_instance.web-vm.project}/zones/${google_compute_instance.web-vm.zone}/instances/${google_compute_instance.web-vm.instance_id}',
      '//compute.googleapis.com/projects/${google_compute_instance.web-vm.project}/zones/${google_compute_instance.web-vm.zone}/instances/${google_compute_instance.web-vm.instance_id}',
      '//compute.googleapis.com/projects/shop-prod/zones/europe-west1-c/instances/1234567890',
      '//compute.googleapis.com/projects/shop-prod/zones/europe-west1-c/instances/1234567890',
    ]);
    expect(bindings.find((b) => b.parent.endsWith('1234567890'))!.location).toBe('europe-west1-c');
    for (const binding of bindings) expect(binding.tag_value).toMatch(/^\$\{google_tags_tag_value\.[^.]+\.id\}$/);
  });

  test('GIVEN an instance bound through params WHEN first synthesized, or a later synthesis changes its segments THEN synthesis warns that the VM is replaced, and not when nothing changed', () => {
    // GIVEN
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gcp-alloc-')), 'microseg.allocations.json');
    const build = (extra: boolean) => {
      const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'gcp-')), stackTraces: false, context: { [ALLOCATION_FILE_CONTEXT]: file } });
      const { stack } = gcpEstate(app, 'gcp');
      new Segment(stack, 'Web', { selector: { tier: 'web' } }).allowFrom(Peer.ipv4('203.0.113.0/24'), Port.HTTPS);
      if (extra) new Segment(stack, 'Public', { selector: { tier: 'web' } }).allowFrom(Peer.ipv4('198.51.100.0/24'), Port.HTTP);
      new Workload(stack, 'WebVm', { binding: GcpBinding.instance(vm(stack, 'web')), labels: { tier: 'web' } });
      app.synth();
      return warningsOf(stack, '[microseg:binding-replaces-resource]');
    };
    // WHEN / THEN the first synthesis cannot know whether the VM already runs without its tags
    expect(build(false)).toEqual([expect.stringMatching(/^\[microseg:binding-replaces-resource\] Workload 'gcp\/WebVm' is bound to 'gcp\/web-vm', whose secure tags go into params.resource_manager_tags: .*if the instance already exists without them/)]);
    expect(build(false)).toEqual([]);
    expect(build(true)).toEqual([expect.stringMatching(/^\[microseg:binding-replaces-resource\] Workload 'gcp\/WebVm' is bound to 'gcp\/web-vm', whose secure tags change .*GcpBinding\.instanceWithTagBindings/)]);
  });
});

describe('Google Cloud enforcement order (the classic-rule trap)', () => {
  test('GIVEN a network with AFTER_CLASSIC_FIREWALL WHEN synthesized THEN synthesis fails naming the reason', () => {
    const app = newApp();
    const stack = gcpStack(app, 'gcp');
    const network = new ComputeNetwork(stack, 'Vpc', { name: 'vpc', networkFirewallPolicyEnforcementOrder: 'AFTER_CLASSIC_FIREWALL' });
    new GcpEnforcement(stack, 'Gcp', { project: 'shop-prod', network });
    expect(() => app.synth()).toThrow(/GcpEnforcement 'gcp\/Gcp' protects network 'gcp\/Vpc', whose network_firewall_policy_enforcement_order is "AFTER_CLASSIC_FIREWALL": classic VPC firewall rules would run before/);
  });

  test('GIVEN an existing network WHEN its order is not stated THEN synthesis fails; stated AFTER it warns with a stable id', () => {
    const unstated = newApp();
    new GcpEnforcement(gcpStack(unstated, 'gcp'), 'Gcp', { project: 'shop-prod', networkName: 'prod-vpc' });
    expect(() => unstated.synth()).toThrow(/protects the existing network "prod-vpc" without networkEnforcementOrder/);
    const after = newApp();
    const stack = gcpStack(after, 'gcp');
    new GcpEnforcement(stack, 'Gcp', { project: 'shop-prod', networkName: 'prod-vpc', networkEnforcementOrder: GcpEnforcementOrder.AFTER_CLASSIC_FIREWALL });
    const out = synthApp(after).gcp;
    expect(warningsOf(stack, '[microseg-gcp-classic-rules-first]')).toHaveLength(1);
    expect(Object.values(resources(out, 'google_compute_network_firewall_policy_association'))[0].attachment_target).toBe('projects/shop-prod/global/networks/prod-vpc');
  });

  test('GIVEN a classic default-allow-internal rule WHEN the policy runs first THEN the evaluator denies what the policy denies; WHEN the classic rules run first THEN they open it', () => {
    const build = (order: GcpEnforcementOrder) => {
      const app = newApp();
      const stack = gcpStack(app, 'gcp');
      const network = new ComputeNetwork(stack, 'Vpc', { name: 'vpc', autoCreateSubnetworks: false });
      new ComputeFirewall(stack, 'AllowInternal', { name: 'default-allow-internal', network: network.name, sourceRanges: ['10.0.0.0/8'], allow: [{ protocol: 'all' }] });
      new GcpEnforcement(stack, 'Gcp', { project: 'shop-prod', networkName: 'vpc', networkEnforcementOrder: order });
      // the network of this stack, named as existing: its order is what the test states
      (network as any).networkFirewallPolicyEnforcementOrder = order;
      const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
      const db = new Segment(stack, 'Db', { selector: { tier: 'db' } });
      new Workload(stack, 'WebVm', { binding: GcpBinding.instance(vm(stack, 'web')), labels: { tier: 'web' }, addresses: ['10.10.0.2'] });
      new Workload(stack, 'DbVm', { binding: GcpBinding.instance(vm(stack, 'db')), labels: { tier: 'db' }, addresses: ['10.10.0.3'] });
      db.allowFrom(web, Port.POSTGRES);
      const out = synthApp(app);
      const model = loadTerraformStacks(Object.fromEntries(Object.entries(out).map(([name, s]) => [name, s.json])));
      return (from: string, to: string, port: string) => evaluate(model, { from, to, port }).allowed;
    };
    const first = build(GcpEnforcementOrder.BEFORE_CLASSIC_FIREWALL);
    expect(first('gcp/WebVm', 'gcp/DbVm', 'tcp/5432')).toBe(true);
    expect(first('10.200.0.5', 'gcp/WebVm', 'tcp/22')).toBe(false);
    const classicFirst = build(GcpEnforcementOrder.AFTER_CLASSIC_FIREWALL);
    // the classic ingress allow decides before the policy's default deny
    expect(classicFirst('10.200.0.5', 'gcp/WebVm', 'tcp/22')).toBe(true);
    // egress still meets the policy's default deny (the classic rule is an ingress rule)
    expect(classicFirst('gcp/DbVm', 'gcp/WebVm', 'tcp/22')).toBe(false);
  });
});

describe('Google Cloud flows that cannot be expressed', () => {
  test('GIVEN an ICMP type, SCTP ports and a template without addresses WHEN synthesized THEN synthesis fails naming the flow, the value and the fix', () => {
    const app = newApp();
    const { stack } = gcpEstate(app, 'gcp');
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    const workers = new Segment(stack, 'Workers', { selector: { tier: 'worker' } });
    new Workload(stack, 'WebVm', { binding: GcpBinding.instance(vm(stack, 'web')), labels: { tier: 'web' } });
    const template = new ComputeInstanceTemplate(stack, 'workers', { machineType: 'e2-small', disk: [{ sourceImage: 'debian-cloud/debian-12' }], networkInterface: [{ network: 'vpc' }] });
    new Workload(stack, 'WorkersMig', { binding: GcpBinding.instanceTemplate(template), labels: { tier: 'worker' } });
    web.allowFrom(Peer.ipv4('203.0.113.0/24'), Port.icmp(8, 0));
    web.allowFrom(Peer.ipv4('198.51.100.0/24'), Port.sctp(38412));
    workers.allowFrom(web, Port.tcp(9000));
    expect(() => app.synth()).toThrow(/AllowFlow 'gcp\/Web\/[^']+' names ICMP type 8 code 0, but network firewall policy rules cannot match ICMP types/);
    expect(() => app.synth()).toThrow(/names SCTP port 38412, but network firewall policy rules cannot match SCTP ports/);
    expect(() => app.synth()).toThrow(/needs the addresses of workload 'gcp\/WorkersMig' for the EGRESS rule .* Give the workload addresses/);
  });

  test('GIVEN a workload in more segments than tags per NIC WHEN synthesized THEN synthesis fails with the limit', () => {
    const app = newApp();
    const { stack } = gcpEstate(app, 'gcp');
    for (let i = 0; i < 10; i++) new Segment(stack, `S${i}`, { selector: { tier: 'web' } }).allowFrom(Peer.ipv4(`10.0.${i}.0/24`), Port.HTTPS);
    new Workload(stack, 'WebVm', { binding: GcpBinding.instance(vm(stack, 'web')), labels: { tier: 'web' } });
    expect(() => app.synth()).toThrow(/Workload 'gcp\/WebVm' would carry 11 secure tags in network .*allows 10 per network interface/);
  });
});

/** A web VM reached on HTTPS from `hosts` addresses of another platform: one ingress rule of hosts + 3 attributes. */
function webReachedFromHosts(hosts: number, props: Partial<GcpEnforcementProps> = {}): App {
  const app = newApp();
  const { stack } = gcpEstate(app, 'gcp', props);
  const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
  const partners = new Segment(stack, 'Partners', { selector: { tier: 'partner' } });
  new Workload(stack, 'WebVm', { binding: GcpBinding.instance(vm(stack, 'web')), labels: { tier: 'web' } });
  const addresses = Array.from({ length: hosts }, (_, i) => `10.${Math.floor(i / 256)}.${i % 256}.1`);
  new Workload(stack, 'PartnerHosts', { addresses, labels: { tier: 'partner' } });
  web.allowFrom(partners, Port.HTTPS);
  return app;
}

describe('Google Cloud limits', () => {
  test('GIVEN a source with more addresses than a rule takes WHEN synthesized THEN synthesis fails naming the rule and the limit', () => {
    const app = webReachedFromHosts(5001, { ruleAttributeQuota: 10000 });
    expect(() => app.synth()).toThrow(/GcpEnforcement 'gcp\/Gcp': rule "app\|INGRESS\|gcp\/Web\|[^"]+" names 5001 src_ip_ranges; Google Cloud allows 5000/);
  });
});

describe('Google Cloud rule attributes per policy', () => {
  test('GIVEN Google\'s worked example (one source range, tcp, one port range) WHEN counted THEN it is three attributes', () => {
    expect(ruleAttributeCount({ srcIpRanges: ['10.100.0.1/32'], layer4Configs: [{ ports: ['5000-6000'] }] })).toBe(3);
    expect(ruleAttributeCount({ destIpRanges: ['100.64.0.7/32'], layer4Configs: [{ ports: ['53-63'] }] })).toBe(3);
  });

  test('GIVEN a network policy at exactly the default quota WHEN synthesized THEN it synthesizes, and one range more fails naming the count and the quota', () => {
    // the default deny rules hold 12 (4 x one range, one protocol, one target tag); the web rule 1985 ranges + target + tcp + 443
    const rules = Object.values(resources(synthApp(webReachedFromHosts(1985)).gcp, 'google_compute_network_firewall_policy_rule')) as any[];
    expect(rules.find((r) => r.direction === 'INGRESS' && r.action === 'allow').match.src_ip_ranges).toHaveLength(1985);
    expect(() => webReachedFromHosts(1986).synth()).toThrow(
      /GcpEnforcement 'gcp\/Gcp': its network firewall policy "microseg-[0-9a-f]+" would hold 2001 rule attributes .*the project's quota is 2000 per policy\. .*set ruleAttributeQuota on the enforcement/,
    );
  });

  test('GIVEN a raised quota WHEN the policy holds more than Google\'s default THEN it synthesizes', () => {
    const rules = Object.values(resources(synthApp(webReachedFromHosts(1986, { ruleAttributeQuota: 4000 })).gcp, 'google_compute_network_firewall_policy_rule'));
    expect(rules).toHaveLength(5);
  });

  test('GIVEN guardrails in a folder policy over its quota WHEN synthesized THEN synthesis fails naming the hierarchical policy', () => {
    const app = webReachedFromHosts(3, { folder: 'folders/123', ruleAttributeQuota: 50 });
    const stack = app.node.findChild('gcp') as TerraformStack;
    const web = stack.node.findChild('Web') as Segment;
    const blocked = Array.from({ length: 48 }, (_, i) => Peer.ipv4(`192.0.2.${i}/32`));
    for (const [i, peer] of blocked.entries()) new DenyFlow(stack, `NoScanner${i}`, { from: peer, to: web, ports: [Port.SSH] });
    // each deny: one source range, the web VM's address, the network, tcp and 22
    expect(() => app.synth()).toThrow(/GcpEnforcement 'gcp\/Gcp': its hierarchical guardrail policy would hold 240 rule attributes .*quota is 50 per policy/);
  });

  test('GIVEN a ruleAttributeQuota that is not a positive whole number WHEN synthesized THEN synthesis fails quoting it', () => {
    expect(() => webReachedFromHosts(1, { ruleAttributeQuota: 0 }).synth()).toThrow(/GcpEnforcement 'gcp\/Gcp' has ruleAttributeQuota 0\. Give the project's quota .* as a positive whole number/);
    // quoted as written, not as JSON (which writes NaN as null)
    expect(() => webReachedFromHosts(1, { ruleAttributeQuota: NaN }).synth()).toThrow(/GcpEnforcement 'gcp\/Gcp' has ruleAttributeQuota NaN\./);
  });
});

describe('Google Cloud bindings through the evaluator', () => {
  test('GIVEN an existing instance bound by tag bindings WHEN a flow names it THEN it is reached on the flow\'s port only', () => {
    // GIVEN
    const app = legacyReachedFromWeb();
    // WHEN
    const out = synthApp(app);
    const model = loadTerraformStacks(Object.fromEntries(Object.entries(out).map(([name, s]) => [name, s.json])));
    // THEN
    expect(evaluate(model, { from: 'gcp/WebVm', to: 'gcp/Old', port: 'tcp/22' }).allowed).toBe(true);
    expect(evaluate(model, { from: 'gcp/WebVm', to: 'gcp/Old', port: 'tcp/23' }).allowed).toBe(false);
    expect(evaluate(model, { from: 'gcp/Old', to: 'gcp/WebVm', port: 'tcp/22' }).allowed).toBe(false);
  });

  test('GIVEN a workload bound to Google Cloud in a stack without GcpEnforcement WHEN synthesized THEN synthesis fails with the fix', () => {
    const app = newApp();
    const stack = gcpStack(app, 'gcp');
    new Workload(stack, 'WebVm', { binding: GcpBinding.instance(vm(stack, 'web')), labels: { tier: 'web' } });
    expect(() => app.synth()).toThrow(/Workload 'gcp\/WebVm' is bound with GcpBinding.instance but stack 'gcp' has no GcpEnforcement. Add new GcpEnforcement/);
  });
});

describe('Google Cloud existing networks by self link', () => {
  test('GIVEN an existing network given by self link or id WHEN synthesized THEN the association and the tag keys name it', () => {
    const app = newApp();
    const stack = gcpStack(app, 'gcp');
    new GcpEnforcement(stack, 'Gcp', {
      project: 'shop-prod',
      networkName: 'https://www.googleapis.com/compute/v1/projects/shop-prod/global/networks/prod-vpc',
      networkEnforcementOrder: GcpEnforcementOrder.BEFORE_CLASSIC_FIREWALL,
    });
    const out = synthApp(app).gcp;
    expect(Object.values(resources(out, 'google_compute_network_firewall_policy_association'))[0].attachment_target).toBe('projects/shop-prod/global/networks/prod-vpc');
    for (const key of Object.values(resources(out, 'google_tags_tag_key'))) expect(key.purpose_data).toEqual({ network: 'shop-prod/prod-vpc' });
    // a Shared VPC network of a host project: the tag keys stay in the enforcement's project and name the host's network
    const shared = newApp();
    new GcpEnforcement(gcpStack(shared, 'gcp'), 'Gcp', {
      project: 'shop-prod', networkName: 'projects/host-project/global/networks/shared', networkEnforcementOrder: GcpEnforcementOrder.BEFORE_CLASSIC_FIREWALL,
    });
    const sharedOut = synthApp(shared).gcp;
    for (const key of Object.values(resources(sharedOut, 'google_tags_tag_key'))) expect(key).toMatchObject({ parent: 'projects/shop-prod', purpose_data: { network: 'host-project/shared' } });
  });
});
