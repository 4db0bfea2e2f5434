import { spawnSync } from 'child_process';
import * as path from 'path';
import { compileBench, COMPILED_DIR } from './compile';
import { PhaseMedian, phaseMedians, pauseCount, phaseRows, PhaseRow } from './gc-trace';
import { commandLineOptions, HOLD_MIB, parsePhasesOptions, PAUSE_TOKEN_TRACES, PhasesOptions } from './options';

/**
 * `npm run bench:phases -- [--runs N] [--capture-token-traces] [--node-flags ...] [--hold-mib N] <estate>...`: where a synthesis of each estate spends its
 * time, compiled, each run in its own process under `node --trace-gc` (the estates alternating when
 * there are several runs): each phase's wall time (median, min-max), the young-generation and full
 * collections that fell in it (count and main-thread pauses; a full collection's final pause,
 * without the incremental marking steps before it) and the heap in use at its end, medians over
 * the runs; then each run's full collections with the heap before and after each (after one, V8
 * sets the limit that decides the next, hence much of the peak). Each run builds its estate with
 * token traces paused, as the bench does, unless `--capture-token-traces`; `--node-flags` gives its
 * process V8 flags, as the bench's `--node-flags` does; `--hold-mib N` has it keep N MiB of small
 * objects alive from start-up, to see what a larger old generation costs each phase (each young
 * collection pays for the old generation's pages). A diagnostic beside `npm run bench`, which
 * measures the targets.
 */
function main(): void {
  const options = commandLineOptions(parsePhasesOptions, process.argv.slice(2));
  if (options === undefined) return;
  compileBench();
  const rowsByEstate = new Map<string, PhaseRow[][]>(options.estates.map((estate) => [estate, []]));
  for (let run = 0; run < options.runs; run++) {
    for (const estate of options.estates) rowsByEstate.get(estate)!.push(timedRun(estate, options));
  }
  const settings = [
    options.nodeFlags.length > 0 ? `node flags ${options.nodeFlags.join(' ')}` : 'Node\'s default flags',
    options.pauseTokenTraces ? 'token traces paused while the estate builds' : 'token traces captured',
    ...(options.holdMiB > 0 ? [`${options.holdMiB} MiB of small objects held in the old generation from start-up`] : []),
  ];
  process.stdout.write(`\n${settings.join('; ')}\n`);
  const runs = `${options.runs} run${options.runs === 1 ? '' : 's'}`;
  for (const [estate, rows] of rowsByEstate) process.stdout.write(`\n${estate} (${runs})\n${table(rows)}\n`);
}

/** One timed synthesis of `estate` in its own process: its phases with their collections. */
function timedRun(estate: string, options: PhasesOptions): PhaseRow[] {
  const outdir = path.join(COMPILED_DIR, '..', 'phases', estate);
  const pause = options.pauseTokenTraces ? [PAUSE_TOKEN_TRACES] : [];
  const hold = options.holdMiB > 0 ? [HOLD_MIB, String(options.holdMiB)] : [];
  const script = path.join(COMPILED_DIR, 'bench', 'phase-timing.js');
  const child = spawnSync(process.execPath, [...options.nodeFlags, '--trace-gc', script, ...pause, ...hold, estate, outdir], {
    encoding: 'utf8', maxBuffer: 2 ** 30, stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (child.error) throw new Error(`${estate}: the timed synthesis could not run: ${child.error.message}`);
  if (child.status !== 0) throw new Error(`${estate}: the timed synthesis failed (${child.signal ? `signal ${child.signal}` : `exit ${child.status}`})`);
  if (pauseCount(child.stdout) === 0) throw new Error(`${estate}: no collection read from the --trace-gc output: this Node prints a format bench/gc-trace.ts does not know`);
  return phaseRows(child.stdout);
}

function table(runs: PhaseRow[][]): string {
  const medians = phaseMedians(runs);
  const sum = (pick: (phase: PhaseMedian) => number) => medians.reduce((total, phase) => total + pick(phase), 0);
  const line = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
  const range = (phase: PhaseMedian) => (runs.length === 1 ? `${Math.round(phase.ms.median)}` : `${Math.round(phase.ms.median)} (${phase.ms.min}-${phase.ms.max})`);
  return [
    line(['phase', 'ms', 'young collections', 'young ms', 'full collections', 'full ms (final pause)', 'heap MiB at end']),
    line(['---', '---', '---', '---', '---', '---', '---']),
    ...medians.map((p) => line([p.name, range(p), p.young.count, Math.round(p.young.ms), p.full.count, Math.round(p.full.ms),
      Math.round(p.heapMiB)])),
    line(['total of the medians', Math.round(sum((p) => p.ms.median)), sum((p) => p.young.count), Math.round(sum((p) => p.young.ms)),
      sum((p) => p.full.count), Math.round(sum((p) => p.full.ms)), '']),
    '',
    'full collections (heap in use before -> after, MB):',
    ...runs.flatMap((rows, run) => rows.flatMap((r) => r.fullCollections.map((p) => `- run ${run + 1}, at ${p.at} ms, in ${r.name}: ${p.beforeMB} -> ${p.afterMB}`))),
  ].join('\n');
}

try {
  main();
} catch (error) {
  process.stderr.write(`bench:phases: ${(error as Error).message}\n`);
  process.exit(1);
}
