import { DenyFlow, GuardrailAllow, Port, Segment } from '../../lib';
import * as semantics from '../../lib/model/guardrail-semantics';
import { PolicyRegistry } from '../../lib/registry';
import { newApp } from '../helpers';
import { callsDuring } from './calls-during';
import { kubeEstate, podWorkload } from '../kubernetes/k8s-fixtures';

/**
 * Synthesizes a cluster of `tiers` tiers: each tier a Deployment and its segment, each tier
 * reaching the next, a DenyFlow between the first two tiers and, with `grant`, a GuardrailAllow
 * between them too.
 */
function synthesizeCluster(tiers: number, grant: boolean): void {
  const app = newApp();
  const stack = kubeEstate(app, 'k8s');
  const segments: Segment[] = [];
  for (let t = 0; t < tiers; t++) {
    podWorkload(stack, 'shop', `tier${t}`);
    segments.push(new Segment(stack, `Tier${t}`, { selector: { tier: `tier${t}` } }));
  }
  for (let t = 1; t < tiers; t++) segments[t].allowFrom(segments[t - 1], Port.tcp(8080));
  new DenyFlow(stack, 'NoSsh', { from: segments[0], to: segments[1], ports: [Port.SSH] });
  if (grant) new GuardrailAllow(stack, 'Monitoring', { from: segments[1], to: segments[0], ports: [Port.tcp(9100)] });
  app.synth();
}

/** How many times synthesis of a cluster of `tiers` tiers, with its GuardrailAllow, asked whether a flow is a GuardrailAllow's. */
function guardrailQuestions(tiers: number): number {
  return callsDuring(() => jest.spyOn(GuardrailAllow, 'isGuardrailFlow'), () => synthesizeCluster(tiers, true));
}

/**
 * How many times synthesis of a cluster of `tiers` tiers, without a GuardrailAllow, read a
 * segment's members, and asked whether the DenyFlow is enforced at an end of some traffic.
 */
function denyCheckWork(tiers: number): { members: number; enforced: number } {
  let enforced = 0;
  const members = callsDuring(() => jest.spyOn(PolicyRegistry.prototype, 'membersOf'), () => {
    enforced = callsDuring(() => jest.spyOn(semantics, 'denyEnforcedAt'), () => synthesizeCluster(tiers, false));
  });
  return { members, enforced };
}

describe('the guardrail policies of Kubernetes pods', () => {
  test('are decided from the segments guardrails name, not by reading every flow per membership', () => {
    // GIVEN clusters of 40 and 80 tiers (a pod and a segment each, a flow between neighbours)
    // WHEN each is synthesized, counting the questions whether a flow is a GuardrailAllow's
    const once = guardrailQuestions(40);
    const twice = guardrailQuestions(80);
    // THEN the smaller cluster asked some (its flows are read at least once)
    expect(once).toBeGreaterThan(40);
    // AND twice the tiers asked at most about twice as often (every flow per membership: 4x)
    expect(twice / once).toBeLessThanOrEqual(2.3);
  });

  test('check a DenyFlow against the flows each pod is a member of, reading its sides once', () => {
    // GIVEN clusters of 40 and 80 tiers, a flow between neighbours and a DenyFlow between the first two
    // WHEN each is synthesized, counting segment member reads and questions whether the DenyFlow
    // is enforced at an end of some traffic (the check that no allow overrides it)
    const once = denyCheckWork(40);
    const twice = denyCheckWork(80);
    // THEN the smaller cluster did both
    expect(once.members).toBeGreaterThan(40);
    expect(once.enforced).toBeGreaterThan(40);
    // AND twice the tiers did at most about twice as much: reading the DenyFlow's side again for
    // every pod and other end, and every segment's members for the plan's signature, made the
    // member reads 3.95 times; asking for every pod and every other end the flows name
    // made the questions 4.2 times
    expect(twice.members / once.members).toBeLessThanOrEqual(2.3);
    expect(twice.enforced / once.enforced).toBeLessThanOrEqual(2.3);
  });
});
