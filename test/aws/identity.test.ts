import { TerraformStack } from 'cdktf';
import { AllowFlow, AwsEnforcement, Peer, Port, Segment, Workload, AwsBinding } from '../../lib';
import { EstateStep as Step, addressesOf, awsStack, instance, newApp, synthApp, synthSteps, tierSegment } from '../helpers';

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
    const flowsOf = (address: string) => {
      const [type, name] = address.split('.');
      return after.resource[type][name]['//'].microseg.flows;
    };
    expect(added.map((a) => [a.split('.')[0], flowsOf(a)]).sort()).toEqual([
      ['aws_vpc_security_group_egress_rule', ['shop/Db/AllowFrom-shop-Web-tcp-9187']],
      ['aws_vpc_security_group_ingress_rule', ['shop/Db/AllowFrom-shop-Web-tcp-9187']],
    ]);
    // and every resource that existed before is unchanged
    for (const [type, byName] of Object.entries<any>(before.resource)) {
      for (const [name, body] of Object.entries<any>(byName)) {
        expect(after.resource[type][name]).toEqual(body);
      }
    }
  });
});

describe('upgrade from rules named by their merged ports', () => {
  test('each rule moves from the address the earlier release gave it, so the first apply renames instead of destroying', () => {
    // GIVEN the estate of an earlier release: one rule per merged port range, named by its ports
    // (these addresses are what that release synthesized for this program)
    const app = newApp();
    const shop = awsStack(app, 'shop');
    const team = awsStack(app, 'team');
    new AwsEnforcement(shop, 'Aws', { vpcId: 'vpc-0123' });
    const web = new Segment(shop, 'Web', { selector: { tier: 'web' } });
    const api = new Segment(shop, 'Api', { selector: { tier: 'api' } });
    new Workload(shop, 'WebVm', { binding: AwsBinding.instance(instance(shop, 'web')), labels: { tier: 'web' } });
    new Workload(shop, 'ApiVm', { binding: AwsBinding.instance(instance(shop, 'api')), labels: { tier: 'api' } });
    api.allowFrom(web, Port.tcp(8080));
    new AllowFlow(team, 'Admin', { from: Peer.ipv4('10.20.0.0/16'), to: api, ports: [Port.SSH, Port.tcp(2222), Port.tcp(2223)] });

    // WHEN synthesized now
    const out = synthApp(app);

    // THEN every old address moves to the rule of the same permission, in the same stack; the old
    // tcp/2222-2223 rule (two port entries now) moves to the lower one and is narrowed in place
    const movedFrom = (stack: string) => Object.fromEntries((out[stack].json.moved ?? []).map((m: any) => [m.from, m.to]));
    const shopMoves = movedFrom('shop');
    expect(Object.keys(shopMoves)).toEqual([
      'aws_vpc_security_group_egress_rule.Microseg_shop-Web-egress-shop-Api-tcp-8080-526a6a54_F73726E0',
      'aws_vpc_security_group_ingress_rule.Microseg_shop-Api-ingress-shop-Web-tcp-8080-e161b091_319CA640',
    ]);
    const teamMoves = movedFrom('team');
    expect(Object.keys(teamMoves)).toEqual([
      'aws_vpc_security_group_ingress_rule.Microseg_shop-Api-ingress-10-20-0-0-16-tcp-22-5dd2deae_49A1CA95',
      'aws_vpc_security_group_ingress_rule.Microseg_shop-Api-ingress-10-20-0-0-16-tcp-2222-2223-6e396860_7EB908E1',
    ]);
    const ruleAt = (stack: string, address: string) => {
      const [type, name] = address.split('.');
      return out[stack].json.resource[type][name];
    };
    expect(ruleAt('team', teamMoves['aws_vpc_security_group_ingress_rule.Microseg_shop-Api-ingress-10-20-0-0-16-tcp-22-5dd2deae_49A1CA95']))
      .toMatchObject({ from_port: 22, to_port: 22, cidr_ipv4: '10.20.0.0/16' });
    expect(ruleAt('team', teamMoves['aws_vpc_security_group_ingress_rule.Microseg_shop-Api-ingress-10-20-0-0-16-tcp-2222-2223-6e396860_7EB908E1']))
      .toMatchObject({ from_port: 2222, to_port: 2222, cidr_ipv4: '10.20.0.0/16' });
    for (const [from, to] of Object.entries<string>(shopMoves)) {
      expect(ruleAt('shop', to)).toMatchObject({ from_port: 8080, to_port: 8080 });
      expect(from.split('.')[0]).toBe(to.split('.')[0]);
    }
  });
});
