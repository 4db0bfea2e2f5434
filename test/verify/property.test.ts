import * as fc from 'fast-check';
import { EndpointSpec, EstateSpec, PortSpec, estateArb, intentAllows, probesOf } from './random-estate';
import { PLATFORMS, synthesize } from './random-platforms';
import { evaluate } from '../../lib/verify';

// Property: for random estates synthesized through the library, the evaluator's verdict on the
// rendered Terraform equals the intent, never more permissive and never less, on every platform.
// Estates hold managed workloads, hosts known only by their addresses (members of segments and
// ends of flows and guardrails), and, in the mixed estate, workloads of three platforms addressed
// by Terraform expressions (instance.privateIp, nic.privateIpAddress, vm.defaultIpAddress).

const TCP_1000: PortSpec[] = [{ protocol: 'tcp', from: 1000, to: 1000 }];
const TWO_TIERS = { segments: [{ tier: 'a' }, { tier: 'b' }], workloads: [{ tier: 'a', env: 'prod' }, { tier: 'b', env: 'prod' }] };
const SEGMENT_0: EndpointSpec = { kind: 'segment', index: 0 };
const SEGMENT_1: EndpointSpec = { kind: 'segment', index: 1 };
const ANY_IPV4: EndpointSpec = { kind: 'cidr', index: 3 };
const ANYWHERE: EndpointSpec = { kind: 'any', index: 0 };
const EXTERNAL_0: EndpointSpec = { kind: 'external', index: 0 };
/** Estates every run starts with: classes of issue 11 that random estates reach rarely. */
const EXAMPLES: EstateSpec[] = [
  // an egress flow to 0.0.0.0/0 and an ingress flow from it together bypass a DenyFlow on AWS
  {
    ...TWO_TIERS,
    externals: [],
    flows: [{ from: SEGMENT_0, to: ANY_IPV4, ports: TCP_1000 }, { from: ANY_IPV4, to: SEGMENT_1, ports: TCP_1000 }],
    denies: [{ from: SEGMENT_0, to: SEGMENT_1, ports: [] }],
  },
  // DenyFlows from and to a host known only by its addresses, the other side anywhere
  {
    ...TWO_TIERS,
    externals: [{ tier: 'c', env: 'dev' }],
    flows: [{ from: ANY_IPV4, to: SEGMENT_1, ports: TCP_1000 }, { from: SEGMENT_0, to: EXTERNAL_0, ports: TCP_1000 }],
    denies: [{ from: EXTERNAL_0, to: ANYWHERE, ports: [] }, { from: ANYWHERE, to: EXTERNAL_0, ports: [] }],
  },
];

describe('property: the evaluator\'s verdict on the rendered output equals the intent', () => {
  test.each(PLATFORMS.map((p) => [p.name, p] as const))('%s: random estates, never more permissive, never less', (_name, platform) => {
    fc.assert(fc.property(estateArb(platform.denies), fc.integer({ min: 999, max: 1012 }), (spec, probePort) => {
      const name = (h: string) => (/^[WX]/.test(h) ? `prop/${h}` : h);
      /** Every probe, with the intent's verdict and the evaluator's on `model`. */
      const verdicts = function* (model: ReturnType<typeof synthesize>) {
        for (const { source, destination, protocol, port } of probesOf(spec, probePort)) {
          const expected = intentAllows(spec, source, destination, protocol, port);
          const verdict = evaluate(model, { from: name(source), to: name(destination), port: `${protocol}/${port}` });
          yield { what: `${source} -> ${destination} ${protocol}/${port}`, expected, allowed: verdict.allowed };
        }
      };
      let model: ReturnType<typeof synthesize>;
      try {
        model = synthesize(platform, spec);
      } catch (e) {
        const message = (e as Error).message;
        if (!platform.conflictsFail || !/AWS security groups cannot deny/.test(message)) throw e;
        // justified only if the rendered allows (without the denies) let through traffic the intent denies
        for (const v of verdicts(synthesize(platform, spec, false))) if (v.allowed && !v.expected) return;
        throw new Error(`synthesis failed with a guardrail conflict, but no traffic the intent denies passes without the DenyFlows\n${message}\n${JSON.stringify(spec)}`);
      }
      for (const v of verdicts(model)) {
        if (v.allowed !== v.expected) {
          throw new Error(`${v.what}: intent ${v.expected ? 'allows' : 'denies'}, evaluator says ${v.allowed ? 'allowed' : 'denied'}\n${JSON.stringify(spec)}`);
        }
      }
    }), {
      numRuns: Number(process.env.MICROSEG_PROPERTY_RUNS ?? platform.runs),
      seed: 20261123,
      examples: EXAMPLES.map((spec) => [platform.denies ? spec : { ...spec, denies: [] }, 1000] as [EstateSpec, number]),
    });
  });
});
