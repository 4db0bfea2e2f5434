import * as fc from 'fast-check';
import { loadFixture } from './fixtures';
import { estateArb } from './random-estate';
import { PLATFORMS, synthesize } from './random-platforms';
import { Endpoint, resolveEndpoint } from '../../lib/verify/estate/endpoints';
import { estateOf } from '../../lib/verify/estate/estate';
import { evaluateEndpoints, layersOf } from '../../lib/verify/evaluate';
import { externalPeers } from '../../lib/verify/external-peers';
import { PointPass, stopsEverything } from '../../lib/verify/layers/layer-verdict';
import { loadTerraformStacks } from '../../lib/verify/model/load-terraform';
import { TerraformModel } from '../../lib/verify/model/terraform-model';
import { ALL_TRAFFIC, formatTraffic, intersectTraffic } from '../../lib/verify/net/traffic';
import { segmentEndpoints, segmentMatrix } from '../../lib/verify/segment-matrix';
import { crossPlatformEnds } from '../../lib/verify/segment-members';

// Property: the segment matrix, computed on the verdict-only path (each layer's `passes`), has in
// every cell exactly what the explained path (`evaluate`, with reasons and deciding rules) lets
// through, and every enforcement point has the same status and passing traffic on both paths (the
// verdict-only path may leave out the points after one that lets nothing through).

type Model = TerraformModel;

/** Every cell the explained path gives: allowed ports and whether anything enforces, by `from -> to`. */
function explainedCells(model: Model): Map<string, { allowed: string[]; enforced: boolean }> {
  const estate = estateOf(model);
  const layers = layersOf(estate);
  const endpoints: Endpoint[] = [...segmentEndpoints(estate), ...externalPeers(estate)];
  const cells = new Map<string, { allowed: string[]; enforced: boolean }>();
  for (const from of endpoints) {
    for (const to of endpoints) {
      const [a, b] = crossPlatformEnds(estate, from, to);
      const paths = evaluateEndpoints(layers, a, b, ALL_TRAFFIC);
      const common = paths.reduce((passing, path) => intersectTraffic(passing, path.allowedTraffic), ALL_TRAFFIC);
      cells.set(`${from.name} -> ${to.name}`, { allowed: paths.length === 0 ? [] : formatTraffic(common), enforced: paths.some((path) => path.enforced) });
    }
  }
  return cells;
}

/** Points where a layer's `passes` differs from its `evaluate`, as text, between the segments, external peers and `more` endpoints. */
function pointDifferences(model: Model, more: readonly string[] = []): string[] {
  const estate = estateOf(model);
  const endpoints: Endpoint[] = [...segmentEndpoints(estate), ...externalPeers(estate), ...more.map((input) => resolveEndpoint(estate, input))];
  const differences: string[] = [];
  for (const layer of layersOf(estate)) {
    if (!layer.passes) continue;
    for (const from of endpoints) {
      for (const to of endpoints) {
        const [a, b] = crossPlatformEnds(estate, from, to);
        for (const source of a.hosts) {
          for (const destination of b.hosts) {
            const text = (point: PointPass) => `${point.status} ${formatTraffic(point.allowedTraffic).join(',')}`;
            const passes = layer.passes(source, destination, ALL_TRAFFIC);
            const passed = passes.map(text);
            // passes may end early, only after a point that lets nothing through and enforces
            const endsEarly = passes.length > 0 && stopsEverything(passes[passes.length - 1]);
            const explained = layer.evaluate(source, destination, ALL_TRAFFIC).map(text).slice(0, endsEarly ? passes.length : undefined);
            if (JSON.stringify(explained) !== JSON.stringify(passed)) {
              differences.push(`${layer.id} ${source.name} -> ${destination.name}: evaluate ${JSON.stringify(explained)}, passes ${JSON.stringify(passed)}`);
            }
          }
        }
      }
    }
  }
  return differences;
}

describe('property: the matrix\'s verdict-only path equals the explained path', () => {
  test.each(PLATFORMS.map((p) => [p.name, p] as const))('%s: random estates, every cell and every point', (_name, platform) => {
    let cellsCompared = 0;
    fc.assert(fc.property(estateArb(platform.denies && !platform.conflictsFail), (spec) => {
      const model = synthesize(platform, spec);
      const matrix = segmentMatrix(model);
      const explained = explainedCells(model);
      for (const cell of matrix.cells) {
        const expected = explained.get(`${cell.from} -> ${cell.to}`);
        expect([`${cell.from} -> ${cell.to}`, cell.allowed, cell.enforced]).toEqual([`${cell.from} -> ${cell.to}`, expected?.allowed, expected?.enforced]);
        cellsCompared++;
      }
      expect(pointDifferences(model)).toEqual([]);
    }), { numRuns: Number(process.env.MICROSEG_PROPERTY_RUNS ?? 12), seed: 20261201 });
    expect(cellsCompared).toBeGreaterThan(12);
  });
});

describe('the verdict-only path where the explained path weighs what the JSON does not show', () => {
  test('GIVEN a group outside the JSON on an interface and a rule naming a variable WHEN both paths evaluate THEN every point agrees, unknown included', () => {
    // GIVEN the api instance also carries sg-0outside, and db's SSH rule names a variable instead of the bastion's CIDR
    const json = JSON.parse(JSON.stringify(loadFixture('aws-sg').stacks[0].json));
    json.resource.aws_instance.api_vm.vpc_security_group_ids.push('sg-0outside');
    json.resource.aws_vpc_security_group_ingress_rule.db_in_22_bastion.cidr_ipv4 = '${var.bastion}';
    const model = loadTerraformStacks({ app: json });
    const endpoints = ['aws_instance.web_vm', 'aws_instance.api_vm', 'aws_instance.db_vm', '10.9.0.7', '0.0.0.0/0'];
    // WHEN / THEN both layers' points agree on every pair
    expect(pointDifferences(model, endpoints)).toEqual([]);
    // and the pairs compared do reach both cases (so the comparison is not vacuous)
    const estate = estateOf(model);
    const layer = layersOf(estate).find((l) => l.id === 'aws-security-group')!;
    const host = (input: string) => resolveEndpoint(estate, input).hosts[0];
    const point = (from: string, to: string) => layer.passes!(host(from), host(to), ALL_TRAFFIC).map((p) => p.status);
    expect(point('aws_instance.web_vm', 'aws_instance.api_vm')).toEqual(['denied', 'unknown']);
    expect(point('aws_instance.db_vm', 'aws_instance.api_vm')).toEqual(['denied']); // db sends nothing to api: its ingress is not asked
    expect(point('10.9.0.7', 'aws_instance.db_vm')).toEqual(['unknown']);
  });
});
