import { SMALL_ESTATES } from './small-estates';
import { benchEstate, synthesizeApp } from './synthesize-app';
import { loadTerraformStacks } from '../../lib/verify/model/load-terraform';
import * as nsgAddress from '../../lib/verify/platforms/azure/nsg/nsg-address';
import * as nsxGroups from '../../lib/verify/platforms/nsx/nsx-groups';
import { segmentMatrix } from '../../lib/verify/segment-matrix';

// The NSX distributed firewall and Azure NSGs are ordered: every cell of a matrix walks the rules at
// each end. How a host belongs to each group and matches each rule must be found once per host, not
// once per cell and rule (that took the 200-segment nsx bench estate's matrix ten minutes, and the
// mixed one's 18 s); a regression to the per-cell way fails here by its count, however fast the machine.

/** The small bench estate's matrix at a multiple of its size: its cells and rules, and how often `work` was called. */
function matrixAt(estate: 'nsx' | 'azure', scale: number, work: jest.SpyInstance) {
  const { segments, workloads, flows } = SMALL_ESTATES[estate];
  const size = { segments: segments * scale, workloads: workloads * scale, flows: flows * scale };
  const stacks = synthesizeApp(benchEstate(estate, size), (_app, synthesized) => synthesized);
  const model = loadTerraformStacks(Object.fromEntries(Object.entries(stacks).map(([name, stack]) => [name, stack.json])));
  work.mockClear();
  const matrix = segmentMatrix(model);
  return {
    cells: matrix.cells.length,
    allowed: matrix.cells.filter((cell) => cell.allowed.length > 0).length,
    hosts: new Set([...matrix.rows, ...matrix.columns]).size,
    groups: model.resourcesOfType('nsxt_policy_group').length,
    rules: model.resourcesOfType(estate === 'nsx' ? 'nsxt_policy_security_policy_rule' : 'azurerm_network_security_rule').length,
    calls: work.mock.calls.length,
  };
}

describe('matrix work per cell', () => {
  afterEach(() => jest.restoreAllMocks());

  test('GIVEN the small NSX estate and twice its size WHEN each matrix is computed THEN group membership is worked out at most once per host and group, and grows with the cells, not cells times rules', () => {
    const membership = jest.spyOn(nsxGroups, 'nsxMembershipBounds');
    const once = matrixAt('nsx', 1, membership);
    const twice = matrixAt('nsx', 2, membership);
    // the estates have cells, rules and allowed cells (else the counts say nothing)
    expect(once.cells).toBeGreaterThan(100);
    expect(once.rules).toBeGreaterThan(40);
    expect(once.allowed).toBeGreaterThan(0);
    for (const run of [once, twice]) expect(run.calls).toBeLessThanOrEqual(run.hosts * run.groups);
    // cells grow fourfold; per cell and rule, membership work would grow eightfold
    expect(twice.cells / once.cells).toBeGreaterThan(3.5);
    expect(twice.calls / once.calls).toBeLessThan(5);
  });

  test('GIVEN the small Azure estate and twice its size WHEN each matrix is computed THEN how often a host is matched against one ASG selector does not grow with the estate', () => {
    const matching = jest.spyOn(nsgAddress, 'matchNsgAddress');
    const most = () => {
      const times = new Map<unknown, Map<unknown, number>>();
      for (const [selector, host] of matching.mock.calls) {
        const ofHost = times.get(host) ?? new Map<unknown, number>();
        times.set(host, ofHost);
        ofHost.set(selector, (ofHost.get(selector) ?? 0) + 1);
      }
      return Math.max(...[...times.values()].flatMap((ofHost) => [...ofHost.values()]));
    };
    const repeats: number[] = [];
    const endpoints: number[] = [];
    for (const scale of [1, 2]) {
      const run = matrixAt('azure', scale, matching);
      // the estate has cells, rules and allowed cells, and ASG selectors were matched (else the count says nothing)
      expect(run.cells).toBeGreaterThan(50 * scale);
      expect(run.rules).toBeGreaterThan(20 * scale);
      expect(run.allowed).toBeGreaterThan(0);
      expect(run.calls).toBeGreaterThan(run.hosts);
      repeats.push(most());
      endpoints.push(run.hosts);
    }
    // a selector is matched again only for another rule that holds it (an ASG names its segment in
    // each of its rules), once in IPv4 traffic and once in IPv6; per cell, it would be matched again
    // for every row or column, more at twice the size
    expect(repeats[1]).toBe(repeats[0]);
    expect(repeats[0]).toBeLessThan(endpoints[0]);
  });
});
