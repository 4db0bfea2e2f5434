import { SMALL_ESTATES } from './small-estates';
import { benchEstate, synthesizeApp } from './synthesize-app';
import { loadTerraformStacks } from '../../lib/verify/model/load-terraform';
import * as nsxGroups from '../../lib/verify/platforms/nsx/nsx-groups';
import { segmentMatrix } from '../../lib/verify/segment-matrix';

// The NSX distributed firewall is ordered: every cell of a matrix walks the rule table at two vNICs.
// How a host belongs to each group and matches each rule must be found once per host, not once per
// cell and rule (that took the 200-segment bench estate's matrix ten minutes); a regression to the
// per-cell way fails here by its count, however fast the machine.

/** The small NSX bench estate's matrix at a multiple of its size: its cells, and how often group membership was worked out. */
function matrixAt(scale: number) {
  const { segments, workloads, flows } = SMALL_ESTATES.nsx;
  const size = { segments: segments * scale, workloads: workloads * scale, flows: flows * scale };
  const stacks = synthesizeApp(benchEstate('nsx', size), (_app, synthesized) => synthesized);
  const model = loadTerraformStacks(Object.fromEntries(Object.entries(stacks).map(([name, stack]) => [name, stack.json])));
  const membership = jest.spyOn(nsxGroups, 'nsxMembershipBounds');
  try {
    const matrix = segmentMatrix(model);
    const groups = model.resourcesOfType('nsxt_policy_group').length;
    const rules = model.resourcesOfType('nsxt_policy_security_policy_rule').length;
    const hosts = new Set([...matrix.rows, ...matrix.columns]).size;
    return { cells: matrix.cells.length, allowed: matrix.cells.filter((cell) => cell.allowed.length > 0).length, groups, rules, hosts, calls: membership.mock.calls.length };
  } finally {
    membership.mockRestore();
  }
}

describe('NSX matrix work per cell', () => {
  test('GIVEN the small NSX estate and twice its size WHEN each matrix is computed THEN group membership is worked out at most once per host and group, and grows with the cells, not cells times rules', () => {
    const once = matrixAt(1);
    const twice = matrixAt(2);
    // the estates have cells, rules and allowed cells (else the counts say nothing)
    expect(once.cells).toBeGreaterThan(100);
    expect(once.rules).toBeGreaterThan(40);
    expect(once.allowed).toBeGreaterThan(0);
    for (const run of [once, twice]) expect(run.calls).toBeLessThanOrEqual(run.hosts * run.groups);
    // cells grow fourfold; per cell and rule, membership work would grow eightfold
    expect(twice.cells / once.cells).toBeGreaterThan(3.5);
    expect(twice.calls / once.calls).toBeLessThan(5);
  });
});
