import { SynthesizedVersion, allocationFile, appWithAllocations, removeAllocationFiles, synthesizeVersion, unsafeChanges } from './impact';
import { Port, Segment, Workload } from '../../lib';
import { changeImpact } from '../../lib/verify/diff/change-impact';
import { gcpEstate, vmWorkload } from '../gcp/gcp-fixtures';

// Two flows between the same ends through allowTo: the first declared takes the identity without
// ports, the second keeps its ports in it. The allocation file remembers which is which, so removing
// the first or declaring them the other way round renames neither: on GCP, whose rules are named
// after their flows, that would replace the second flow's rules and drop its traffic.

afterAll(removeAllocationFiles);

/** A GCP network with VMs web and api, and web.allowTo(api, ...) for each list of ports, in order. */
function version(allocations: string, flows: Port[][]): { synthesized: SynthesizedVersion; identities: string[] } {
  const app = appWithAllocations(allocations);
  const { stack } = gcpEstate(app, 'shop');
  const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
  vmWorkload(stack, 'web');
  const api: Workload = vmWorkload(stack, 'api');
  const declared = flows.map((ports) => web.allowTo(api, ...ports));
  const identities = declared.map((flow) => flow.identity);
  return { synthesized: synthesizeVersion(app), identities };
}

/** What the change from `before` to `after` drops or duplicates. */
function unsafe(before: { synthesized: SynthesizedVersion }, after: { synthesized: SynthesizedVersion }) {
  return unsafeChanges(changeImpact(before.synthesized.model, after.synthesized.model), after.synthesized.warnings);
}

const RANGE = [Port.tcpRange(9000, 9010)];
const HTTPS = [Port.HTTPS];

describe('two helper flows between the same ends', () => {
  test('a first synthesis names them in declaration order', () => {
    expect(version(allocationFile(), [RANGE, HTTPS]).identities).toEqual(['shop/Web/AllowTo-shop-ApiVm', 'shop/Web/AllowTo-shop-ApiVm-tcp-443']);
    expect(version(allocationFile(), [HTTPS, RANGE]).identities).toEqual(['shop/Web/AllowTo-shop-ApiVm', 'shop/Web/AllowTo-shop-ApiVm-tcp-9000-9010']);
  });

  test('GIVEN both WHEN the first is removed THEN the second keeps its identity and its rules: nothing it allows drops', () => {
    const allocations = allocationFile();
    const before = version(allocations, [RANGE, HTTPS]);
    const after = version(allocations, [HTTPS]);
    expect(after.identities).toEqual(['shop/Web/AllowTo-shop-ApiVm-tcp-443']);
    expect(unsafe(before, after)).toEqual({ interrupted: [], duplicates: [] });
  });

  test('declared the other way round, each keeps its identity', () => {
    const allocations = allocationFile();
    const before = version(allocations, [RANGE, HTTPS]);
    const after = version(allocations, [HTTPS, RANGE]);
    expect(after.identities).toEqual(['shop/Web/AllowTo-shop-ApiVm-tcp-443', 'shop/Web/AllowTo-shop-ApiVm']);
    expect(unsafe(before, after)).toEqual({ interrupted: [], duplicates: [] });
  });

  test('editing the ports of the first keeps its identity (the one without ports)', () => {
    const allocations = allocationFile();
    version(allocations, [RANGE, HTTPS]);
    expect(version(allocations, [[Port.tcpRange(9000, 9020)], HTTPS]).identities).toEqual(['shop/Web/AllowTo-shop-ApiVm', 'shop/Web/AllowTo-shop-ApiVm-tcp-443']);
  });

  test('a new flow declared before the existing one still takes its identity: the existing rule is updated to the new ports in place while its own is created, and changeImpact reports the window', () => {
    const allocations = allocationFile();
    const before = version(allocations, [[Port.tcp(8081)]]);
    const after = version(allocations, [[Port.udp(53)], [Port.tcp(8081)]]);
    expect(after.identities).toEqual(['shop/Web/AllowTo-shop-ApiVm', 'shop/Web/AllowTo-shop-ApiVm-tcp-8081']);
    const impact = changeImpact(before.synthesized.model, after.synthesized.model);
    expect(impact.interrupted.filter((traffic) => traffic.level === 'workload').map((traffic) => [traffic.from, traffic.to, traffic.ports]))
      .toEqual([['shop/WebVm', 'shop/ApiVm', ['tcp/8081']]]);
  });
});
