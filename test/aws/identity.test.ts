import { TerraformStack } from 'cdktf';
import { AwsEnforcement, Peer, Port, Segment, Workload, AwsBinding } from '../../lib';
import { EstateStep as Step, addressesOf, awsStack, instance, synthSteps, tierSegment } from '../helpers';

/** The declarations of a small estate, each an independent step that can run in any order. */
function estateSteps(extraFlow: boolean): Step[] {
  const steps: Step[] = [
    (stack) => { new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' }); },
    (stack, s) => { s.Web = s.Web ?? new Segment(stack, 'Web', { selector: { tier: 'web' } }); },
    (stack, s) => { s.Api = s.Api ?? new Segment(stack, 'Api', { selector: { tier: 'api' } }); },
    (stack, s) => { s.Db = s.Db ?? new Segment(stack, 'Db', { selector: { tier: 'db' } }); },
    (stack) => { new Workload(stack, 'WebVm', { binding: AwsBinding.instance(instance(stack, 'web')), labels: { tier: 'web' } }); },
    (stack) => { new Workload(stack, 'ApiVm', { binding: AwsBinding.instance(instance(stack, 'api')), labels: { tier: 'api' } }); },
    (stack) => { new Workload(stack, 'DbVm', { binding: AwsBinding.instance(instance(stack, 'db')), labels: { tier: 'db' } }); },
    (stack) => { new Workload(stack, 'Ops', { addresses: ['192.0.2.7'], labels: { tier: 'api' } }); },
    (stack, s) => { segment(stack, s, 'Web').allowFrom(Peer.anyIpv4(), Port.HTTPS); },
    (stack, s) => { segment(stack, s, 'Api').allowFrom(segment(stack, s, 'Web'), Port.tcp(8080)); },
    (stack, s) => { segment(stack, s, 'Db').allowFrom(segment(stack, s, 'Api'), Port.POSTGRES); },
  ];
  if (extraFlow) steps.push((stack, s) => { segment(stack, s, 'Db').allowFrom(segment(stack, s, 'Web'), Port.tcp(9187)); });
  return steps;
}

function segment(stack: TerraformStack, s: Record<string, Segment>, name: 'Web' | 'Api' | 'Db'): Segment {
  const selectors = { Web: 'web', Api: 'api', Db: 'db' };
  return tierSegment(stack, s, name, selectors[name]);
}

function synthEstate(steps: Step[]): string {
  return synthSteps(awsStack, 'shop', steps);
}

describe('determinism, order independence and stable identity', () => {
  test('two synths of the same program are byte-identical', () => {
    expect(synthEstate(estateSteps(false))).toEqual(synthEstate(estateSteps(false)));
  });

  test('permuting declarations (workloads after flows, flows before segments) gives byte-identical output', () => {
    const reference = synthEstate(estateSteps(false));
    const steps = estateSteps(false);
    const permutations = [
      [...steps].reverse(),
      [steps[0], ...steps.slice(8), ...steps.slice(1, 8)],
      [...steps.slice(4), ...steps.slice(0, 4)],
    ];
    for (const permutation of permutations) {
      expect(synthEstate(permutation)).toEqual(reference);
    }
  });

  test('adding one flow adds only that flow\'s rule resources and changes no other resource', () => {
    // GIVEN the estate with and without one extra flow
    const before = JSON.parse(synthEstate(estateSteps(false)));
    const after = JSON.parse(synthEstate(estateSteps(true)));
    const addresses = (json: any) => addressesOf({ json, text: '' });

    // THEN the new addresses are exactly the new flow's egress and ingress rules
    const added = addresses(after).filter((a) => !addresses(before).includes(a));
    const removed = addresses(before).filter((a) => !addresses(after).includes(a));
    expect(removed).toEqual([]);
    expect(added).toHaveLength(2);
    expect(added.some((a) => a.startsWith('aws_vpc_security_group_egress_rule.') && a.includes('shop-Web-egress-shop-Db-tcp-9187'))).toBe(true);
    expect(added.some((a) => a.startsWith('aws_vpc_security_group_ingress_rule.') && a.includes('shop-Db-ingress-shop-Web-tcp-9187'))).toBe(true);
    // and every resource that existed before is unchanged
    for (const [type, byName] of Object.entries<any>(before.resource)) {
      for (const [name, body] of Object.entries<any>(byName)) {
        expect(after.resource[type][name]).toEqual(body);
      }
    }
  });
});
