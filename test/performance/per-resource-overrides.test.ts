import { smallEstates } from './small-estates';
import { benchEstate, synthesizeApp } from './synthesize-app';

// cdktf lists each overridden resource's override keys in the stack's metadata and merges those
// lists by copying them once per resource: with an `addOverride` on every rule, synthesis time grows
// with the square of the rules (at 95,000 rules it dominated the run). The library writes its
// comments into resources through one element per stack (lib/provenance/resource-comments.ts) and
// overrides only the stack itself (its inventory).
const CASES = smallEstates('aws-sg', 'aws-nacl', 'azure', 'nsx', 'mixed');

describe('the library overrides no resource, so cdktf does no per-resource override bookkeeping', () => {
  test.each(CASES)('%s', (estate, size) => {
    // GIVEN an estate synthesized by the library
    // WHEN synthesized
    const json = synthesizeApp(benchEstate(estate, size), (_app, stacks) => stacks.estate.json);
    // THEN the metadata lists overrides of the stack only
    expect(json['//'].metadata.overrides).toEqual({ stack: ['//'] });
    // AND the rules still carry their provenance: every flow is named by some rule
    const named = new Set(Object.values(json.resource as Record<string, Record<string, any>>)
      .flatMap((byName) => Object.values(byName))
      .flatMap((body) => body['//']?.microseg?.flows ?? []));
    expect(named.size).toBeGreaterThan(size.flows / 2);
  });
});
