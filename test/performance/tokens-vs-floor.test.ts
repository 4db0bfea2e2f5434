import { App } from 'cdktf';
import { smallEstates } from './small-estates';
import { benchEstate, synthesizeApp } from './synthesize-app';
import { buildPlain, planPlain } from '../../bench/plain';

// cdktf captures a stack trace for every token it creates (Intrinsic, Lazy, computed lists): counting
// the captures counts the tokens. The counting stand-in returns no trace, which keeps the test fast.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const stackTrace = require('cdktf/lib/tokens/private/stack-trace');

/** Synthesizes one app built by `build`, counting the tokens; returns the count and the stack's JSON text. */
function synthesize(build: (app: App) => void): { tokens: number; json: string } {
  const original = stackTrace.captureStackTrace;
  let tokens = 0;
  stackTrace.captureStackTrace = () => {
    tokens++;
    return [];
  };
  try {
    return synthesizeApp(build, (_app, stacks) => ({ tokens, json: stacks.estate.text }));
  } finally {
    stackTrace.captureStackTrace = original;
  }
}

// Small versions of the bench estates whose renderers are Azure's, NSX's and AWS's network ACLs (the
// network ACL and mixed ones also have AWS security groups); the floor is plain cdktf written well (bench/plain.ts): the same resources,
// each referenced attribute read once, numbers written as numbers.
const CASES = smallEstates('azure', 'nsx', 'aws-nacl', 'mixed');

/** The one Lazy value of a stack's `"//".microseg` inventory (lib/inventory.ts). */
const INVENTORY_TOKENS = 1;

describe('the library creates no more cdktf tokens than hand-written cdktf building the same resources', () => {
  test.each(CASES)('%s', (estate, size) => {
    // GIVEN the estate synthesized by the library
    const library = synthesize(benchEstate(estate, size));
    // WHEN plain cdktf builds the very same resources from that output
    const floor = synthesize((app) => buildPlain(app, planPlain(JSON.parse(library.json))));
    // THEN the output is the same, byte for byte
    expect(floor.json).toEqual(library.json);
    // AND the library created no token the floor does without (no attribute read twice, no
    // resource created and thrown away, no lazy value standing in for a number) but one: the
    // stack's inventory, rendered at synth from every group
    expect(library.tokens).toBeLessThanOrEqual(floor.tokens + INVENTORY_TOKENS);
  });
});
