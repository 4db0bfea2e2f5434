import { App } from 'cdktf';
import { Node } from 'constructs';
import { AwsEnforcement, AwsBinding, Peer, Port, Segment, Workload } from '../../lib';
import { awsStack, instance, newApp } from '../helpers';
import { callsDuring } from './calls-during';
import { countChildReads } from './child-reads';

/** An app of `stacks` small AWS stacks, one per team: two segments, four workloads and three flows each. */
function appOfStacks(stacks: number): App {
  const app = newApp();
  for (let s = 0; s < stacks; s++) {
    const stack = awsStack(app, `team${s}`);
    new AwsEnforcement(stack, 'Aws', { vpcId: `vpc-${s}` });
    const web = new Segment(stack, 'Web', { selector: { team: `${s}`, tier: 'web' } });
    const api = new Segment(stack, 'Api', { selector: { team: `${s}`, tier: 'api' } });
    for (let w = 0; w < 4; w++) {
      const tier = w % 2 === 0 ? 'web' : 'api';
      new Workload(stack, `${tier}${w}`, { binding: AwsBinding.instance(instance(stack, `${tier}${w}-vm`)), labels: { team: `${s}`, tier } });
    }
    web.allowFrom(Peer.anyIpv4(), Port.HTTPS);
    api.allowFrom(web, Port.tcp(8080));
    api.allowTo(Peer.ipv4('10.50.0.0/16'), Port.tcp(5432));
  }
  return app;
}

/** How many times a construct was validated while the app was synthesized. */
function validationsOf(app: App): number {
  return callsDuring(() => jest.spyOn(Node.prototype, 'validate'), () => app.synth());
}

describe('an app of many stacks', () => {
  test('validates each construct a fixed number of times, however many stacks the app has', () => {
    // GIVEN apps of 4 and of 8 stacks of the same shape
    // WHEN each is synthesized, counting construct validations (every stack's check covers the
    // whole app, so that an invalid stack fails the app before any stack is written)
    const once = validationsOf(appOfStacks(4));
    const twice = validationsOf(appOfStacks(8));
    // THEN the validations grow with the constructs: twice the stacks, at most about twice the
    // validations (validating the whole app once per stack would make it about four times)
    expect(once).toBeGreaterThan(4 * 10);
    expect(twice / once).toBeLessThanOrEqual(2.2);
  });

  test('declares its policy without looking at every stack for every construct', () => {
    // GIVEN an app of 16 stacks, each with 2 segments, 4 workloads and 3 flows
    // WHEN it is declared, counting the construct children read (the registry hooks the stacks the
    // app has at its first policy construct, and each later stack at its own first one)
    const { reads } = countChildReads(() => appOfStacks(16));
    // THEN at most two children per stack are read (looking at every stack of the app for every
    // policy construct read 2,720 here: each lookup read all the stacks created so far)
    expect(reads).toBeLessThanOrEqual(2 * 16);
  });
});
