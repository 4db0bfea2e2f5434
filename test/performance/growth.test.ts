import { SMALL_ESTATES, smallEstates } from './small-estates';
import { benchEstate, synthesizeApp } from './synthesize-app';
import { EstateSize, scaled } from '../../bench/estates/size';
import { Segment } from '../../lib';
import * as cidr from '../../lib/model/cidr';
import { FlowBuckets } from '../../lib/render/flow-buckets';

// cdktf captures a stack trace for every token it creates (Intrinsic, Lazy, computed lists): counting
// the captures counts the tokens. The counting stand-in returns no trace, which keeps the test fast.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const stackTrace = require('cdktf/lib/tokens/private/stack-trace');

/** What one synthesis did, counted (no clock involved). */
interface Work {
  readonly tokens: number;
  readonly constructs: number;
  readonly resources: number;
  /** How many times a segment was asked whether it selects a workload. */
  readonly selectorChecks: number;
  /** How many rule buckets the renderers looked at by going through all of a renderer's buckets. */
  readonly bucketScans: number;
  /** How many rule buckets the renderers created. */
  readonly buckets: number;
  /** How many times a renderer asked whether one CIDR holds another. */
  readonly cidrChecks: number;
}

function synthesize(estate: string, size: EstateSize): Work {
  const original = stackTrace.captureStackTrace;
  const selects = Segment.prototype.selects;
  const values = FlowBuckets.prototype.values;
  const update = FlowBuckets.prototype.update;
  const bucketSets = new Set<FlowBuckets<any, any, any>>();
  const cidrChecks = jest.spyOn(cidr, 'cidrContains');
  let tokens = 0;
  let selectorChecks = 0;
  let bucketScans = 0;
  FlowBuckets.prototype.values = function* (this: FlowBuckets<any, any, any>) {
    for (const bucket of values.apply(this)) {
      bucketScans++;
      yield bucket;
    }
  };
  FlowBuckets.prototype.update = function (this: FlowBuckets<any, any, any>, ...args) {
    bucketSets.add(this);
    return update.apply(this, args);
  };
  Segment.prototype.selects = function (this: Segment, ...args) {
    selectorChecks++;
    return selects.apply(this, args);
  };
  stackTrace.captureStackTrace = () => {
    tokens++;
    return [];
  };
  try {
    return synthesizeApp(benchEstate(estate, size), (app, stacks) => {
      const json = stacks.estate.json;
      const resources = Object.values<any>(json.resource).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
      const buckets = [...bucketSets].reduce((sum, set) => sum + set.size, 0);
      const constructs = app.node.findAll().length;
      return { tokens, constructs, resources, selectorChecks, bucketScans, buckets, cidrChecks: cidrChecks.mock.calls.length };
    });
  } finally {
    stackTrace.captureStackTrace = original;
    Segment.prototype.selects = selects;
    FlowBuckets.prototype.values = values;
    FlowBuckets.prototype.update = update;
    cidrChecks.mockRestore();
  }
}

/** How many buckets a synthesis scanned per bucket it created (the NSX renderer keeps none). */
function scansPerBucket(work: Work): number {
  return work.buckets === 0 ? 0 : work.bucketScans / work.buckets;
}

/**
 * Growth allowed from 1x to 2x. The estates are random: at 2x a few more flows are distinct, so the
 * resources grow by up to about 2.1; the work per resource stays flat. A quadratic term worth a
 * tenth of the 1x work makes the 2x work 2.4 / 1.1 = 2.18 times the 1x work, 9% more per resource.
 */
const MAX_GROWTH = 2.2;
const MAX_GROWTH_PER_RESOURCE = 1.05;
/**
 * CIDR comparisons follow the flows with an address peer, one flow in ten, whose distinct count
 * moves more from 1x to 2x than the resources do (6% more per resource on aws-nacl, 53% when every
 * flow compared its peer with every mapped subnet).
 */
const MAX_CIDR_GROWTH_PER_RESOURCE = 1.15;

// The small estates, synthesized twice in seconds; aws-sg with 250 flows, as the bench estate has
// more flows than workloads.
const CASES: Array<[string, EstateSize]> = [
  ['aws-sg', { ...SMALL_ESTATES['aws-sg'], flows: 250 }],
  ...smallEstates('aws-nacl', 'azure', 'nsx', 'mixed'),
];

describe('synthesis work grows linearly with the estate', () => {
  test.each(CASES)('%s: twice the segments, workloads and flows create at most twice the tokens, constructs, resources, selector checks, bucket scans and CIDR comparisons', (estate, size) => {
    // GIVEN the estate at 1x and at 2x
    // WHEN each is synthesized, counting the cdktf tokens created and the constructs in the tree
    const once = synthesize(estate, size);
    const twice = synthesize(estate, scaled(size, 2));
    // THEN the 1x run did real work (tokens at least one per resource), so the ratios mean something
    expect(once.resources).toBeGreaterThan(size.workloads);
    expect(once.tokens).toBeGreaterThanOrEqual(once.resources);
    // AND nothing grows faster than the estate
    const resources = twice.resources / once.resources;
    const tokens = twice.tokens / once.tokens;
    const constructs = twice.constructs / once.constructs;
    expect(resources).toBeGreaterThan(1.8);
    expect(resources).toBeLessThanOrEqual(MAX_GROWTH);
    expect(tokens).toBeLessThanOrEqual(MAX_GROWTH);
    expect(constructs).toBeLessThanOrEqual(MAX_GROWTH);
    expect(tokens / resources).toBeLessThanOrEqual(MAX_GROWTH_PER_RESOURCE);
    expect(constructs / resources).toBeLessThanOrEqual(MAX_GROWTH_PER_RESOURCE);
    // AND a workload is matched against the segments that may select it, not against every segment
    // (twice the workloads times twice the segments would be four times the checks)
    expect(once.selectorChecks).toBeGreaterThan(0);
    expect(twice.selectorChecks / once.selectorChecks).toBeLessThanOrEqual(MAX_GROWTH);
    // AND an event (a new member, a flow) updates the rule buckets it concerns, not every bucket of
    // its renderer: scans per bucket stay flat (a scan for every new member would double them)
    expect(scansPerBucket(twice)).toBeLessThanOrEqual(MAX_GROWTH_PER_RESOURCE * scansPerBucket(once));
    // AND CIDRs are compared in proportion to the estate: a flow's address peer is looked up among the
    // mapped subnets, not compared with each of them (4x per doubling: 342, then 1,100 on aws-nacl)
    if (once.cidrChecks > 0) expect(twice.cidrChecks / once.cidrChecks / resources).toBeLessThanOrEqual(MAX_CIDR_GROWTH_PER_RESOURCE);
    else expect(twice.cidrChecks).toBe(0);
  });
});
