import { spawnSync } from 'child_process';
import * as path from 'path';
import { compileBench, COMPILED_DIR } from './compile';
import { estateNamed } from './estates/catalog';
import { pauseCount, phaseRows, PhaseRow } from './gc-trace';

/**
 * `npm run bench:phases -- <estate>...`: where one synthesis of each estate spends its time, compiled,
 * one process per estate under `node --trace-gc`: each phase's wall time, the young-generation and
 * full collections that fell in it (count and main-thread pauses; a full collection's final pause,
 * without the incremental marking steps before it), and the heap in use at its end;
 * then each full collection with the heap before and after it (after it, V8 sets the limit that
 * decides the next one, hence much of the peak).
 * A diagnostic beside `npm run bench`, not a measurement with medians: one run per estate.
 */
function main(): void {
  const estates = process.argv.slice(2);
  if (estates.length === 0 || estates.includes('--help')) {
    process.stdout.write('usage: npm run bench:phases -- <estate> [<estate>...]   (for example aws-sg aws-sg-10x)\n');
    process.exit(estates.length === 0 ? 1 : 0);
  }
  estates.forEach(estateNamed);
  compileBench();
  for (const estate of estates) {
    const outdir = path.join(COMPILED_DIR, '..', 'phases', estate);
    const child = spawnSync(process.execPath, ['--trace-gc', path.join(COMPILED_DIR, 'bench', 'phase-timing.js'), estate, outdir], {
      encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (child.error) throw new Error(`${estate}: the timed synthesis could not run: ${child.error.message}`);
    if (child.status !== 0) throw new Error(`${estate}: the timed synthesis failed (${child.signal ? `signal ${child.signal}` : `exit ${child.status}`})`);
    if (pauseCount(child.stdout) === 0) throw new Error(`${estate}: no collection read from the --trace-gc output: this Node prints a format bench/gc-trace.ts does not know`);
    process.stdout.write(`\n${estate}\n${table(phaseRows(child.stdout))}\n`);
  }
}

function table(rows: PhaseRow[]): string {
  const sum = (pick: (row: PhaseRow) => number) => rows.reduce((total, row) => total + pick(row), 0);
  const line = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
  return [
    line(['phase', 'ms', 'young collections', 'young ms', 'full collections', 'full ms (final pause)', 'heap MiB at end']),
    line(['---', '---', '---', '---', '---', '---', '---']),
    ...rows.map((r) => line([r.name, r.ms, r.young.count, Math.round(r.young.ms), r.full.count, Math.round(r.full.ms), r.heapMiB])),
    line(['total', sum((r) => r.ms), sum((r) => r.young.count), Math.round(sum((r) => r.young.ms)), sum((r) => r.full.count),
      Math.round(sum((r) => r.full.ms)), '']),
    '',
    'full collections (heap in use before -> after, MB):',
    ...rows.flatMap((r) => r.fullCollections.map((p) => `- at ${p.at} ms, in ${r.name}: ${p.beforeMB} -> ${p.afterMB}`)),
  ].join('\n');
}

try {
  main();
} catch (error) {
  process.stderr.write(`bench:phases: ${(error as Error).message}\n`);
  process.exit(1);
}
