import { SMALL_ESTATES } from './small-estates';
import { benchEstate, synthesizeApp } from './synthesize-app';
import { Allocations } from '../../lib/render/allocations';

/** Synthesizes the aws-nacl estate and returns, per network ACL allocation space, how many times it was allocated. */
function networkAclAllocations(): Map<string, number> {
  const spy = jest.spyOn(Allocations.prototype, 'slots');
  try {
    synthesizeApp(benchEstate('aws-nacl', SMALL_ESTATES['aws-nacl']));
    const counts = new Map<string, number>();
    for (const [space] of spy.mock.calls) {
      if (space.startsWith('aws-network-acl:')) counts.set(space, (counts.get(space) ?? 0) + 1);
    }
    return counts;
  } finally {
    spy.mockRestore();
  }
}

describe('network ACL entries are numbered once per synthesis', () => {
  test('every ACL direction is addressed and numbered once, after every flow is known', () => {
    // GIVEN an estate of ten subnets with network ACLs and fifty flows between them, each flow
    // touching the ACL directions of both its subnets
    // WHEN it is synthesized, counting the allocations (rule numbers, address holders) per space
    const counts = networkAclAllocations();
    // THEN ACL directions were numbered: an allow number space for each direction of each of the ten ACLs
    const allowSpaces = [...counts.keys()].filter((space) => /:(ingress|egress):allow$/.test(space));
    expect(allowSpaces.length).toBe(20);
    // AND each space was allocated exactly once, not again for every flow that touched it
    expect(Object.fromEntries([...counts].filter(([, n]) => n !== 1))).toEqual({});
  });
});
