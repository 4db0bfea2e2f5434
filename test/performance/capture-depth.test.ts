import { benchEstate, synthesizeApp } from './synthesize-app';
import { pauseTokenTraces } from '../../lib/private/token-traces';

// cdktf captures the whole call stack for every token it creates and keeps it with the token as
// text: each frame between a resource's construction and the app's synth costs time in every
// capture, and the formatted text costs time and memory, on the hundreds of thousands of tokens of
// a large estate.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const stackTrace = require('cdktf/lib/tokens/private/stack-trace');
// V8's own capture, kept before any rendering can pause it: the test reads every frame with it
const captureFrames = Error.captureStackTrace;

/** What the tokens captured while an estate was synthesized: their traces as cdktf kept them, and the depth of the rules' constructors. */
interface Captures {
  /** The number of frames between each security group rule's constructor and the tests' helper that calls the app's synth. */
  readonly ruleDepths: number[];
  /** How many tokens created while the library rendered kept a non-empty trace. */
  readonly formatted: number;
  /** How many tokens were created while the library rendered. */
  readonly rendered: number;
}

/** Synthesizes a small `aws-sg` estate, recording every token capture cdktf makes during the synth. */
function captures(): Captures {
  const original = stackTrace.captureStackTrace;
  const ruleDepths: number[] = [];
  let formatted = 0;
  let rendered = 0;
  stackTrace.captureStackTrace = (below?: Function) => {
    const kept: string[] = original(below ?? stackTrace.captureStackTrace);
    // the frames themselves, whatever cdktf kept: read as call sites, formatting aside
    const frames = callSites(below ?? stackTrace.captureStackTrace);
    if (frames.some((site) => site.getFunctionName() === 'ensureRendered')) {
      rendered++;
      if (kept.length > 0) formatted++;
    }
    const rule = frames.findIndex((site) => site.isConstructor() && /^VpcSecurityGroup(Ingress|Egress)Rule$/.test(site.getFunctionName() ?? ''));
    const caller = frames.findIndex((site) => site.getFunctionName() === 'synthApp');
    if (rule >= 0 && caller > rule) ruleDepths.push(caller - rule - 1);
    return kept;
  };
  const estate = benchEstate('aws-sg', { segments: 10, workloads: 100, flows: 100 });
  try {
    synthesizeApp(estate);
    return { ruleDepths, formatted, rendered };
  } finally {
    stackTrace.captureStackTrace = original;
  }
}

function callSites(below: Function): NodeJS.CallSite[] {
  const previous = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  const holder: { stack?: NodeJS.CallSite[] } = {};
  try {
    Error.prepareStackTrace = (_error, sites) => sites;
    Error.stackTraceLimit = Infinity;
    captureFrames(holder, below);
    return holder.stack ?? [];
  } finally {
    Error.prepareStackTrace = previous;
    Error.stackTraceLimit = limit;
  }
}

describe('the tokens of the rules the library builds', () => {
  const result = captures();

  test('every security group rule is constructed at most three calls below the app synth', () => {
    // THEN rules were built and captured (one token each at least)
    expect(result.ruleDepths.length).toBeGreaterThanOrEqual(100);
    // AND between each rule's constructor and the app's synth lie only the synth hook, the
    // registry's render and the renderer's onRendered: none of the events and calls that decided it
    expect(Math.max(...result.ruleDepths)).toBeLessThanOrEqual(3);
  });

  test('keep no formatted trace: every token created while the library renders has an empty one', () => {
    expect(result.rendered).toBeGreaterThanOrEqual(result.ruleDepths.length);
    expect(result.formatted).toBe(0);
  });
});

describe('pauseTokenTraces', () => {
  test('GIVEN formatting paused THEN a capture is empty, an error still gets its trace, and formatting comes back as it was', () => {
    const before = Error.prepareStackTrace;
    const resume = pauseTokenTraces();
    let error: Error;
    let captured: string[];
    try {
      captured = stackTrace.captureStackTrace();
      error = new Error('boom');
    } finally {
      resume();
    }
    expect(captured).toEqual([]);
    expect(error.stack).toMatch(/^Error: boom\n\s+at /);
    expect(Error.prepareStackTrace).toBe(before);
    expect(stackTrace.captureStackTrace().length).toBeGreaterThan(0);
  });

  test('GIVEN capture paused THEN Error.captureStackTrace collects nothing for a plain object, an error still gets its trace, and V8\'s own comes back', () => {
    class OwnTraceError extends Error {
      public constructor(message: string) {
        super(message);
        Error.captureStackTrace(this, OwnTraceError);
      }
    }
    const resume = pauseTokenTraces();
    const target: { stack?: unknown } = {};
    let error: Error;
    let paused: typeof Error.captureStackTrace;
    try {
      paused = Error.captureStackTrace;
      Error.captureStackTrace(target);
      error = new OwnTraceError('kept');
    } finally {
      resume();
    }
    expect(paused).not.toBe(captureFrames);
    // a plain object reads as a capture formatted while paused would: empty
    expect(target.stack).toBe('');
    // an error that sets its own trace keeps it, formatted once read
    expect(error.stack).toMatch(/^Error: kept\n\s+at /);
    expect(Error.captureStackTrace).toBe(captureFrames);
    const after: { stack?: unknown } = {};
    Error.captureStackTrace(after);
    expect(after.stack).toMatch(/\n\s+at /);
  });
});
