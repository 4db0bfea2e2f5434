import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
import { estateNamed } from './estates/catalog';
import { EstateSize } from './estates/size';
import { pauseOption } from './options';
import { peakRssMiB } from './peak-memory';
import { buildPlain, readFloorPlan } from './plain';
import { TokenTraces } from '../lib/token-traces';

/**
 * One side of one bench pair, in its own process, so that its peak memory is its own:
 * `run-one library [--pause-token-traces] <estate> <outdir> [segments workloads flows]` synthesizes the estate with the
 * library; `run-one floor [--pause-token-traces] <estate> <outdir> <plan file>` builds the same resources with plain cdktf,
 * from the plan `writeFloorPlan` (bench/plain.ts) wrote. Prints one JSON line: the time spent preparing what is
 * not measured (the floor's reading of its plan) and the CPU time it took, the CPU time (user + system) of the whole
 * process, the peak RSS of the process, and the stack file it wrote. With `--pause-token-traces`
 * the side builds its resources inside `TokenTraces.pause()`, as the README advises for large
 * estates: the same pause on both sides, so the floor is the hand-written program following the same
 * advice.
 */
function main(): void {
  const [side, ...args] = process.argv.slice(2);
  const { pause, operands: [estateName, outdir, ...rest] } = pauseOption(args);
  let prepareSeconds = 0;
  let prepareCpuSeconds = 0;
  fs.mkdirSync(outdir, { recursive: true });
  const app = new App({ outdir, stackTraces: false });
  const traces = pause ? TokenTraces.pause() : undefined;
  if (side === 'library') {
    const size: EstateSize | undefined = rest.length === 3 ? { segments: +rest[0], workloads: +rest[1], flows: +rest[2] } : undefined;
    estateNamed(estateName).build(app, size);
  } else if (side === 'floor') {
    ({ prepareSeconds, prepareCpuSeconds } = buildFloor(app, rest[0]));
  } else {
    throw new Error(`run-one: side must be library or floor, got ${side}`);
  }
  traces?.resume();
  app.synth();
  const file = path.join(outdir, 'stacks', 'estate', 'cdk.tf.json');
  const cpu = process.cpuUsage();
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  process.stdout.write(JSON.stringify({ side, prepareSeconds, prepareCpuSeconds, cpuSeconds, peakRssMiB: peakRssMiB(), file }) + '\n');
}

/**
 * Builds the floor from its plan, which the bench prepared from the library's output and wrote in
 * V8's serialization format (`writeFloorPlan` in bench/plain.ts): reading it is timed, to be subtracted, and the
 * file's buffer collected. Parsing the library's JSON here instead would leave the floor's process
 * with the parse's pages: 20-30 MiB more peak memory than it needs on the smaller estates (`azure`
 * 220 MiB against 197-200). The plan lives in this frame only, so it is garbage once the floor is
 * built: a hand-written program does not carry a copy of every resource's arguments through
 * synthesis, and the library side carries none.
 */
function buildFloor(app: App, planFile: string): { prepareSeconds: number; prepareCpuSeconds: number } {
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  const plan = readFloorPlan(planFile);
  (globalThis as any).gc?.();
  const prepareSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  buildPlain(app, plan);
  return { prepareSeconds, prepareCpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

main();
