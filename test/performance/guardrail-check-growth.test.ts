import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { estateNamed } from '../../bench/estates/catalog';
import { EstateSize, scaled } from '../../bench/estates/size';
import * as cidr from '../../lib/model/cidr';

/** How many times synthesis of the estate asked whether one CIDR holds another (each ask parses both). */
function containmentChecks(size: EstateSize): number {
  const spy = jest.spyOn(cidr, 'cidrContains');
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-guardrail-growth-'));
  try {
    const app = new App({ outdir, stackTraces: false });
    estateNamed('mixed').build(app, size);
    app.synth();
    return spy.mock.calls.length;
  } finally {
    spy.mockRestore();
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

describe('the DenyFlow check of a mixed estate', () => {
  test('parses CIDRs in proportion to the estate, not to the pairs of ends it checks', () => {
    // GIVEN the mixed estate (a DenyFlow from every dev workload to every prod one, CIDR peers,
    // workloads with addresses on AWS, Azure and NSX) at 1x and at 2x: twice the workloads, four
    // times the pairs of ends the AWS security-group check of the DenyFlow looks at
    const size: EstateSize = { segments: 60, workloads: 120, flows: 100 };
    // WHEN each is synthesized (the check runs as a validation), counting CIDR containment checks
    const once = containmentChecks(size);
    const twice = containmentChecks(scaled(size, 2));
    // THEN the 1x run checked some containment (there are CIDR peers and addresses to compare)
    expect(once).toBeGreaterThan(0);
    // AND the 2x run at most about twice as many: one per CIDR and address, not one per pair of ends
    expect(twice / once).toBeLessThanOrEqual(2.2);
  });
});
