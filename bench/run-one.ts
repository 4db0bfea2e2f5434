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
 * not measured (the floor's reading of its plan, and on both sides a full collection right before building) and the CPU time it took, the CPU time (user + system) of the whole
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
    ({ prepareSeconds, prepareCpuSeconds } = prepared(() => undefined));
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
  const { value: plan, prepareSeconds, prepareCpuSeconds } = prepared(() => readFloorPlan(planFile));
  buildPlain(app, plan);
  return { prepareSeconds, prepareCpuSeconds };
}

/**
 * Runs what a side does before it builds (the floor reads its plan; the library nothing), then a
 * full collection, timed together to be subtracted. Both sides collect at the same point, right
 * before building: the floor needs the collection to drop its plan's reading, and V8 sets the
 * heap's next limits from what a collection leaves, so a collection on one side only decides where
 * that side's later full collections fall, and with them its peak. Without it on the library's
 * side, at ten times the NSX estate's workloads the library peaked at 909-1,239 MiB against the
 * floor's 762-811 while keeping less alive (208 MB against 222 before `toTerraform`); with it,
 * 800-852 MiB.
 */
function prepared<T>(prepare: () => T): { value: T; prepareSeconds: number; prepareCpuSeconds: number } {
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  const value = prepare();
  (globalThis as any).gc?.();
  const cpu = process.cpuUsage(cpuBefore);
  return { value, prepareSeconds: Number(process.hrtime.bigint() - started) / 1e9, prepareCpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

main();
