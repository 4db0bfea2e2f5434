import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { buildEstate } from './estate';
import { buildPlain } from './plain';

/**
 * Runs one side of the benchmark in this process and prints a JSON line: synth time, peak memory
 * and resource counts. `microseg` builds the estate with the library; `plain` builds the identical
 * resources directly with the provider classes, from the JSON the library produced.
 */
function main(): void {
  const mode = process.argv[2];
  const reference = process.argv[3];
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `microseg-bench-${mode}-`));
  const started = process.hrtime.bigint();
  const app = new App({ outdir, stackTraces: false });
  if (mode === 'microseg') buildEstate(app);
  else buildPlain(app, JSON.parse(fs.readFileSync(reference, 'utf8')));
  app.synth();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const file = path.join(outdir, 'stacks', 'estate', 'cdk.tf.json');
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  const counts: Record<string, number> = {};
  for (const [type, byName] of Object.entries<any>(json.resource)) counts[type] = Object.keys(byName).length;
  process.stdout.write(JSON.stringify({ mode, seconds, peakRssMiB: process.resourceUsage().maxRSS / 1024, counts, file }) + '\n');
}

main();
