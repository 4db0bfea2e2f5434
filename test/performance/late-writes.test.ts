import { smallEstates } from './small-estates';
import { benchEstate, synthesizeApp } from './synthesize-app';
import { LegacyRuleMoves } from '../../lib/aws/legacy-rule-address';
import * as lateBody from '../../lib/private/late-body';
import { isPlainData } from '../../lib/private/late-writes';
import { isPreparing } from '../../lib/private/preparation-pass';
import { ResourceComments } from '../../lib/provenance/resource-comments';

// cdktf resolves every value of a stack twice when it writes the stack's JSON, making several
// objects per value each time; for plain data that is only a copy. The library's rule provenance
// and legacy `moved` blocks, a quarter of the values of a stack of rules, are written into the
// resolved document instead (lib/private/late-writes.ts): cdktf's resolution never sees them.
const CASES = smallEstates('aws-sg', 'mixed');

describe('the rules\' provenance and legacy moves are written after cdktf resolves the stack', () => {
  test.each(CASES)('%s', (estate, size) => {
    // GIVEN what the two elements hand cdktf when it writes the JSON (not in its preparation pass)
    const handed = { comments: [] as any[], moves: [] as any[] };
    const comments = ResourceComments.prototype.toTerraform;
    const moves = LegacyRuleMoves.prototype.toTerraform;
    const record = (into: any[], original: () => any) => function (this: ResourceComments | LegacyRuleMoves) {
      const fragment = original.call(this);
      if (!isPreparing(this.cdktfStack)) into.push(fragment);
      return fragment;
    };
    ResourceComments.prototype.toTerraform = record(handed.comments, comments);
    LegacyRuleMoves.prototype.toTerraform = record(handed.moves, moves);
    let json: any;
    try {
      // WHEN the estate is synthesized
      json = synthesizeApp(benchEstate(estate, size), (_app, stacks) => stacks.estate.json);
    } finally {
      ResourceComments.prototype.toTerraform = comments;
      LegacyRuleMoves.prototype.toTerraform = moves;
    }

    // THEN cdktf was handed no comment and, for the moves, one marker
    expect(handed.comments).toHaveLength(1);
    expect(handed.comments[0]).toEqual({ resource: {} });
    expect(handed.moves).toHaveLength(1);
    expect(handed.moves[0].moved).toHaveLength(1);
    expect(typeof handed.moves[0].moved[0]).toBe('string');
    // AND the written JSON has every rule's provenance and one moved block per security group rule
    const bodies = Object.entries(json.resource as Record<string, Record<string, any>>)
      .filter(([type]) => !['aws_instance', 'azurerm_network_interface', 'vsphere_virtual_machine'].includes(type))
      .flatMap(([, byName]) => Object.values(byName));
    const rules = bodies.filter((body) => body['//'].microseg !== undefined);
    expect(rules.length).toBeGreaterThan(size.flows);
    const named = new Set(rules.flatMap((body) => body['//'].microseg.flows ?? []));
    expect(named.size).toBeGreaterThan(size.flows / 2);
    const sgRules = Object.keys({ ...json.resource.aws_vpc_security_group_ingress_rule, ...json.resource.aws_vpc_security_group_egress_rule });
    expect(json.moved.map((block: { to: string }) => block.to.split('.')[1]).sort()).toEqual(sgRules.sort());
  });
});

describe('the plain arguments of the library\'s resources are written after cdktf resolves the stack', () => {
  test.each(CASES)('%s', (estate, size) => {
    // GIVEN the bodies the resources the library builds in bulk hand cdktf when it writes the JSON
    const handed: Array<Record<string, unknown>> = [];
    const original = lateBody.withPlainArgumentsLate;
    const split = jest.spyOn(lateBody, 'withPlainArgumentsLate').mockImplementation((resource, whole, lateWrites) => {
      const fragment = original(resource, whole, lateWrites);
      handed.push(fragment.resource[resource.terraformResourceType][resource.friendlyUniqueId]);
      return fragment;
    });
    let json: any;
    try {
      // WHEN the estate is synthesized
      json = synthesizeApp(benchEstate(estate, size), (_app, stacks) => stacks.estate.json);
    } finally {
      split.mockRestore();
    }

    // THEN every rule of the written JSON was one of them, and none handed cdktf a plain argument
    const rules = Object.entries(json.resource as Record<string, Record<string, any>>)
      .filter(([type]) => !['aws_instance', 'azurerm_network_interface', 'vsphere_virtual_machine', 'aws_vpc', 'aws_subnet'].includes(type))
      .flatMap(([, byName]) => Object.values(byName));
    expect(handed.length).toBeGreaterThanOrEqual(rules.length);
    expect(rules.length).toBeGreaterThan(size.flows);
    const plainHanded = handed.flatMap((body) => Object.entries(body).filter(([, value]) => isPlainData(value)).map(([key]) => key));
    expect(plainHanded).toEqual([]);
    // AND what they handed was the part that names a token: a few values per rule, against every argument written
    const count = (value: unknown): number => (typeof value === 'object' && value !== null ? Object.values(value).reduce((sum: number, v) => sum + count(v), 0) : 1);
    const handedValues = handed.reduce((sum, body) => sum + count(body), 0);
    const writtenValues = rules.reduce((sum, body) => sum + count(body), 0);
    expect(handedValues).toBeLessThan(writtenValues / 4);
  });
});
