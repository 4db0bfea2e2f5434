import { TerraformStack } from 'cdktf';
import { NsxEnforcement, Peer, Port, Segment, Workload, VsphereBinding } from '../../lib';
import { EstateStep as Step, resourcesOf, synthSteps, tierSegment } from '../helpers';
import { nsxStack, vm } from './nsx-fixtures';

const SELECTORS = { Web: 'web', App: 'app', Db: 'db' };

function segment(stack: TerraformStack, s: Record<string, Segment>, name: 'Web' | 'App' | 'Db'): Segment {
  return tierSegment(stack, s, name, SELECTORS[name]);
}

/** The declarations of a small vSphere estate, each an independent step that can run in any order. */
function estateSteps(options: { extraFlow?: boolean; withoutSsh?: boolean } = {}): Step[] {
  const steps: Step[] = [
    (stack) => { new NsxEnforcement(stack, 'Nsx'); },
    (stack, s) => { segment(stack, s, 'Web'); },
    (stack, s) => { segment(stack, s, 'App'); },
    (stack, s) => { segment(stack, s, 'Db'); },
    (stack) => { new Workload(stack, 'WebVm', { binding: VsphereBinding.virtualMachine(vm(stack, 'web')), labels: { tier: 'web' } }); },
    (stack) => { new Workload(stack, 'AppVm', { binding: VsphereBinding.virtualMachine(vm(stack, 'app')), labels: { tier: 'app' } }); },
    (stack) => { new Workload(stack, 'DbVm', { binding: VsphereBinding.virtualMachine(vm(stack, 'db')), labels: { tier: 'db' } }); },
    (stack) => { new Workload(stack, 'Ops', { addresses: ['192.0.2.7'], labels: { tier: 'app' } }); },
    (stack, s) => { segment(stack, s, 'Web').allowFrom(Peer.anyIpv4(), Port.HTTPS); },
    (stack, s) => { segment(stack, s, 'App').allowFrom(segment(stack, s, 'Web'), Port.tcp(8080)); },
    (stack, s) => { segment(stack, s, 'Db').allowFrom(segment(stack, s, 'App'), Port.POSTGRES); },
  ];
  if (!options.withoutSsh) steps.push((stack, s) => { segment(stack, s, 'Db').allowFrom(Peer.ipv4('10.99.0.0/16'), Port.SSH); });
  if (options.extraFlow) steps.push((stack, s) => { segment(stack, s, 'Db').allowFrom(segment(stack, s, 'Web'), Port.tcp(9187)); });
  return steps;
}

function synthEstate(steps: Step[]): string {
  return synthSteps(nsxStack, 'dc', steps);
}

/** Rule construct name to sequence number. */
function ruleNumbers(text: string): Record<string, number> {
  const rules = resourcesOf({ json: JSON.parse(text), text }, 'nsxt_policy_security_policy_rule');
  return Object.fromEntries(Object.entries<any>(rules).map(([name, body]) => [name, body.sequence_number]));
}

describe('NSX determinism, order independence and stable identity', () => {
  test('two synths of the same program are byte-identical', () => {
    expect(synthEstate(estateSteps())).toEqual(synthEstate(estateSteps()));
  });

  test('permuting declarations (workloads after flows, flows and enforcement first) gives byte-identical output', () => {
    const reference = synthEstate(estateSteps());
    const steps = estateSteps();
    const permutations = [
      [...steps].reverse(),
      [steps[0], ...steps.slice(8), ...steps.slice(1, 8)],
      [...steps.slice(4), ...steps.slice(0, 4)],
      [steps[9], steps[4], steps[11], steps[1], steps[7], steps[0], steps[10], steps[5], steps[2], steps[8], steps[6], steps[3]],
    ];
    for (const permutation of permutations) {
      expect(synthEstate(permutation)).toEqual(reference);
    }
  });

  test('adding one flow adds only its rule (and its service); other rules keep ids and sequence numbers', () => {
    // GIVEN the estate with and without one extra flow
    const before = synthEstate(estateSteps());
    const after = synthEstate(estateSteps({ extraFlow: true }));

    // THEN exactly one rule is new, and every rule that existed keeps its number
    const numbersBefore = ruleNumbers(before);
    const numbersAfter = ruleNumbers(after);
    const added = Object.keys(numbersAfter).filter((n) => !(n in numbersBefore));
    expect(added).toHaveLength(1);
    expect(added[0]).toContain('Rule-dc-Db-AllowFrom-dc-Web');
    for (const [name, number] of Object.entries(numbersBefore)) expect(numbersAfter[name]).toBe(number);
    // the new rule's only other new resource is its service; every other resource but the
    // default-deny rules (unchanged here) is identical
    const b = JSON.parse(before);
    const a = JSON.parse(after);
    for (const [type, byName] of Object.entries<any>(b.resource)) {
      for (const [name, body] of Object.entries<any>(byName)) expect(a.resource[type][name]).toEqual(body);
    }
    expect(Object.keys(a.resource.nsxt_policy_service).filter((n) => !(n in b.resource.nsxt_policy_service))).toEqual([expect.stringContaining('Service-dc-Db-AllowFrom-dc-Web')]);
  });

  test('removing one flow removes only its rule; other rules keep ids and sequence numbers', () => {
    const before = ruleNumbers(synthEstate(estateSteps()));
    const after = ruleNumbers(synthEstate(estateSteps({ withoutSsh: true })));
    const removed = Object.keys(before).filter((n) => !(n in after));
    expect(removed).toHaveLength(1);
    expect(removed[0]).toContain('Rule-dc-Db-AllowFrom-ipv4-10-99-0-0_16');
    for (const [name, number] of Object.entries(after)) expect(before[name]).toBe(number);
  });
});
