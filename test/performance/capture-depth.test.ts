import { benchEstate, synthesizeApp } from './synthesize-app';

// cdktf captures the whole call stack for every token it creates and keeps it with the token: each
// frame between a resource's construction and the app's synth costs time in every capture and
// memory in every kept trace, on the hundreds of thousands of tokens of a large estate.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const stackTrace = require('cdktf/lib/tokens/private/stack-trace');

const RULE_CONSTRUCTOR = /^new VpcSecurityGroup(Ingress|Egress)Rule /;
/** The frame of the tests' helper that calls the app's synth (test/helpers.ts). */
const SYNTH_CALLER = /^synthApp /;

/**
 * Synthesizes an estate and returns, for every token a security group rule created, how many frames
 * lie between the rule's constructor and the function that calls the app's synth.
 */
function ruleFramesBelowSynth(estate: string): number[] {
  const original = stackTrace.captureStackTrace;
  const depths: number[] = [];
  stackTrace.captureStackTrace = (below?: Function) => {
    const frames: string[] = original(below ?? stackTrace.captureStackTrace);
    const rule = frames.findIndex((frame) => RULE_CONSTRUCTOR.test(frame));
    const caller = frames.findIndex((frame) => SYNTH_CALLER.test(frame));
    if (rule >= 0 && caller > rule) depths.push(caller - rule - 1);
    return [];
  };
  try {
    synthesizeApp(benchEstate(estate, { segments: 10, workloads: 100, flows: 100 }));
    return depths;
  } finally {
    stackTrace.captureStackTrace = original;
  }
}

describe('rules are built from a short call stack', () => {
  test('every security group rule is constructed at most three calls below the app synth', () => {
    // GIVEN an estate of security groups whose rules are rendered when the app is synthesized
    // WHEN it is synthesized
    const depths = ruleFramesBelowSynth('aws-sg');
    // THEN rules were built and captured (one token each at least)
    expect(depths.length).toBeGreaterThanOrEqual(100);
    // AND between each rule's constructor and the app's synth lie only the synth hook, the
    // registry's render and the renderer's onRendered: none of the events and calls that decided it
    expect(Math.max(...depths)).toBeLessThanOrEqual(3);
  });
});
