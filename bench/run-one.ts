import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
import { estateNamed } from './estates/catalog';
import { EstateSize } from './estates/size';
import { buildPlain, planPlain } from './plain';

/**
 * One side of one bench pair, in its own process, so that its peak memory is its own:
 * `run-one library <estate> <outdir> [segments workloads flows]` synthesizes the estate with the
 * library; `run-one floor <estate> <outdir> <reference cdk.tf.json>` builds the same resources with
 * plain cdktf. Prints one JSON line: the time spent preparing what is not measured (the floor's
 * reading of the reference) and the CPU time it took, the CPU time (user + system) of the whole
 * process, the peak RSS of the process, and the stack file it wrote.
 */
function main(): void {
  const [side, estateName, outdir, ...rest] = process.argv.slice(2);
  let prepareSeconds = 0;
  let prepareCpuSeconds = 0;
  fs.mkdirSync(outdir, { recursive: true });
  const app = new App({ outdir, stackTraces: false });
  if (side === 'library') {
    const size: EstateSize | undefined = rest.length === 3 ? { segments: +rest[0], workloads: +rest[1], flows: +rest[2] } : undefined;
    estateNamed(estateName).build(app, size);
  } else if (side === 'floor') {
    const started = process.hrtime.bigint();
    const cpuBefore = process.cpuUsage();
    const plan = planPlain(JSON.parse(fs.readFileSync(rest[0], 'utf8')));
    // the reference's parse garbage is the bench's, not the floor's
    (globalThis as any).gc?.();
    prepareSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    prepareCpuSeconds = (cpu.user + cpu.system) / 1e6;
    buildPlain(app, plan);
  } else {
    throw new Error(`run-one: side must be library or floor, got ${side}`);
  }
  app.synth();
  const file = path.join(outdir, 'stacks', 'estate', 'cdk.tf.json');
  const cpu = process.cpuUsage();
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  process.stdout.write(JSON.stringify({ side, prepareSeconds, prepareCpuSeconds, cpuSeconds, peakRssMiB: process.resourceUsage().maxRSS / 1024, file }) + '\n');
}

main();
