import { EstateSize, scaled } from '../../bench/estates/size';
import { AwsBinding, AwsEnforcement, DenyFlow, Peer, Port, Segment, Workload } from '../../lib';
import * as breach from '../../lib/aws/guardrail-breach';
import * as cidr from '../../lib/model/cidr';
import { awsStack, instance, newApp } from '../helpers';
import { callsDuring } from './calls-during';
import { benchEstate, synthesizeApp } from './synthesize-app';

/** How many times synthesis of the mixed estate at `size` called `spied` (spied on while it runs). */
function callsWhileSynthesizing(size: EstateSize, spied: () => jest.SpyInstance): number {
  return callsDuring(spied, () => synthesizeApp(benchEstate('mixed', size)));
}

/** How many times synthesis of the estate asked whether one CIDR holds another (each ask parses both). */
function containmentChecks(size: EstateSize): number {
  return callsWhileSynthesizing(size, () => jest.spyOn(cidr, 'cidrContains'));
}

/**
 * How many pairs of ends the security-group check of a DenyFlow looked at, in an app of `apps` apps
 * with a dev and a prod segment each (see the test).
 */
function pairsChecked(apps: number): number {
  return callsDuring(() => jest.spyOn(breach, 'guardrailBreach'), () => {
    const app = newApp();
    const stack = awsStack(app, 'estate');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0bench' });
    for (let a = 0; a < apps; a++) {
      const dev = new Segment(stack, `Dev${a}`, { selector: { app: `app${a}`, env: 'dev' } });
      const prod = new Segment(stack, `Prod${a}`, { selector: { app: `app${a}`, env: 'prod' } });
      for (const [env, subnet] of [['dev', 1], ['prod', 2]] as const) {
        for (let i = 0; i < 4; i++) {
          const vm = instance(stack, `${env}${a}-${i}`, { privateIp: `10.${a}.${subnet}.${10 + i}` });
          new Workload(stack, `W-${env}${a}-${i}`, { binding: AwsBinding.instance(vm), labels: { app: `app${a}`, env } });
        }
      }
      prod.allowFrom(dev, Port.tcp(443));
      prod.allowFrom(Peer.ipv4(`10.${a}.1.0/24`), Port.tcp(8443));
    }
    new DenyFlow(stack, 'NoDevToProd', { fromSelector: { env: 'dev' }, toSelector: { env: 'prod' }, ports: [Port.SSH] });
    app.synth();
  });
}

describe('the DenyFlow check of a mixed estate', () => {
  test('parses CIDRs in proportion to the estate, not to the pairs of ends it checks', () => {
    // GIVEN the mixed estate (a DenyFlow from every dev workload to every prod one, CIDR peers,
    // workloads with addresses on AWS, Azure and NSX) at 1x and at 2x: twice the workloads, four
    // times the pairs of ends the AWS security-group check of the DenyFlow looks at
    const size: EstateSize = { segments: 60, workloads: 120, flows: 100 };
    // WHEN each is synthesized (the check runs as a validation), counting CIDR containment checks
    const once = containmentChecks(size);
    const twice = containmentChecks(scaled(size, 2));
    // THEN the 1x run checked some containment (there are CIDR peers and addresses to compare)
    expect(once).toBeGreaterThan(0);
    // AND the 2x run at most about twice as many: one per CIDR and address, not one per pair of ends
    expect(twice / once).toBeLessThanOrEqual(2.2);
  });

  test('looks at the pairs of ends that flows allow, not at every pair the DenyFlow names', () => {
    // GIVEN apps of 10 and of 20 apps with a dev and a prod segment of four AWS instances each, dev
    // reaching prod on 443 (and a CIDR peer holding the dev instances reaching prod on 8443), and a
    // DenyFlow from every dev workload to every prod one on SSH: twice the apps make four times the
    // pairs of ends the DenyFlow names, but only twice the pairs the flows are rendered for
    // WHEN each is synthesized, counting the pairs the security-group check asks about
    const once = pairsChecked(10);
    const twice = pairsChecked(20);
    // THEN the smaller one checked the pairs its flows allow: 4 x 4 per app
    expect(once).toBe(10 * 16);
    // AND the larger one twice as many (the check of every pair asked about 40 x 40, then 80 x 80)
    expect(twice).toBe(2 * once);
  });
});
