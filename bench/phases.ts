import { spawnSync } from 'child_process';
import * as path from 'path';
import { compileBench, COMPILED_DIR } from './compile';
import { estateNamed } from './estates/catalog';
import { PhaseMedian, phaseMedians, pauseCount, phaseRows, PhaseRow } from './gc-trace';
import { CAPTURE_TOKEN_TRACES, PAUSE_TOKEN_TRACES, wholeCount } from './options';

/**
 * `npm run bench:phases -- [--runs N] [--capture-token-traces] <estate>...`: where a synthesis of each estate spends its
 * time, compiled, each run in its own process under `node --trace-gc` (the estates alternating when
 * there are several runs): each phase's wall time (median, min-max), the young-generation and full
 * collections that fell in it (count and main-thread pauses; a full collection's final pause,
 * without the incremental marking steps before it) and the heap in use at its end, medians over
 * the runs; then each run's full collections with the heap before and after each (after one, V8
 * sets the limit that decides the next, hence much of the peak). Each run builds its estate with
 * token traces paused, as the bench does, unless `--capture-token-traces`. A diagnostic beside
 * `npm run bench`, which measures the targets.
 */
const USAGE = 'usage: npm run bench:phases -- [--runs N] [--capture-token-traces] <estate> [<estate>...]   (for example --runs 3 aws-sg aws-sg-10x)';

function main(): void {
  const args = process.argv.slice(2);
  if (args.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let runs = 1;
  let pauseTokenTraces = true;
  const estates: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--runs') runs = wholeCount('--runs', args[++i], USAGE);
    else if (args[i] === CAPTURE_TOKEN_TRACES) pauseTokenTraces = false;
    else estates.push(args[i]);
  }
  if (estates.length === 0) throw new Error(USAGE);
  estates.forEach(estateNamed);
  compileBench();
  const rowsByEstate = new Map<string, PhaseRow[][]>(estates.map((estate) => [estate, []]));
  for (let run = 0; run < runs; run++) {
    for (const estate of estates) rowsByEstate.get(estate)!.push(timedRun(estate, pauseTokenTraces));
  }
  for (const [estate, rows] of rowsByEstate) process.stdout.write(`\n${estate} (${runs} run${runs === 1 ? '' : 's'})\n${table(rows)}\n`);
}

/** One timed synthesis of `estate` in its own process: its phases with their collections. */
function timedRun(estate: string, pauseTokenTraces: boolean): PhaseRow[] {
  const outdir = path.join(COMPILED_DIR, '..', 'phases', estate);
  const pause = pauseTokenTraces ? [PAUSE_TOKEN_TRACES] : [];
  const child = spawnSync(process.execPath, ['--trace-gc', path.join(COMPILED_DIR, 'bench', 'phase-timing.js'), ...pause, estate, outdir], {
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
