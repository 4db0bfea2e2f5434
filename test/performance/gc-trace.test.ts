import { execFileSync } from 'child_process';
import * as path from 'path';
import { pauseCount, phaseLine, phaseMedians, phaseRows } from '../../bench/gc-trace';

const pause = (at: number, kind: 'Scavenge' | 'Mark-Compact', ms: string) =>
  `[41:0x1]      ${at} ms: ${kind} 98.0 (110.0) -> 80.0 (111.0) MB, ${ms} / 0.00 ms  (average mu = 0.98) allocation failure;`;

describe('phase rows from a --trace-gc log', () => {
  test('each collection counts in the phase its pause ended in, young and full apart', () => {
    // GIVEN a log of two phases and four collections, one of them after the last mark
    const log = [
      pause(120, 'Scavenge', '1.50'),
      phaseLine('build', 200.4, 210, 94.2),
      pause(215, 'Scavenge', '2.25'),
      pause(260, 'Mark-Compact', '12.00').replace('allocation failure', '(+ 3.1 ms in 12 steps since start of marking) finalize incremental marking'),
      pause(300, 'Scavenge', '0.75'),
      phaseLine('toTerraform', 95, 305, 84),
      pause(400, 'Scavenge', '9.00'),
    ].join('\n');
    // WHEN it is read
    const rows = phaseRows(log);
    // THEN the first phase holds the collection before its end, the second the three after it, the last one none
    expect(rows).toEqual([
      { name: 'build', ms: 200, endsAt: 210, heapMiB: 94, young: { count: 1, ms: 1.5 }, fullCollections: [] },
      {
        name: 'toTerraform',
        ms: 95,
        endsAt: 305,
        heapMiB: 84,
        young: { count: 2, ms: 3 },
        fullCollections: [{ at: 260, kind: 'full', ms: 12, beforeMB: 98, afterMB: 80 }],
      },
    ]);
  });

  test('a pause that ends as a phase ends counts in that phase, one a millisecond later in the next', () => {
    const log = [phaseLine('first', 10, 100, 1), pause(100, 'Scavenge', '1.00'), pause(101, 'Scavenge', '2.00'), phaseLine('second', 10, 110, 1)].join('\n');
    expect(phaseRows(log).map((row) => [row.name, row.young.count, row.young.ms])).toEqual([['first', 1, 1], ['second', 1, 2]]);
  });

  test('a later V8\'s line, with the pooled memory before the pause, is read too', () => {
    const line = '[7:0x2]      512 ms: Scavenge 4.1 (5.0) -> 3.9 (6.0) MB, pooled: 0 MB, 1.82 / 0.00 ms  (average mu = 1.000) allocation failure;';
    expect(pauseCount(line)).toBe(1);
    expect(phaseRows(`${line}\n${phaseLine('only', 600, 600, 4)}`)[0].young).toEqual({ count: 1, ms: 1.82 });
  });

  test('a log without marks has no rows', () => {
    expect(phaseRows(pause(120, 'Scavenge', '1.50'))).toEqual([]);
  });

  test('in a real process under --trace-gc, the collections of an allocating phase count in it, none in an idle phase before it', () => {
    // GIVEN a process that marks its start-up, then waits without allocating, then allocates
    const reader = path.join(__dirname, '..', '..', 'bench', 'gc-trace');
    const script = [
      `const mark = require(${JSON.stringify(reader)}).phaseMarker((line) => console.log(line));`,
      'mark("start-up");',
      'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 150);',
      'mark("idle");',
      'let keep = []; for (let i = 0; i < 2e6; i++) { keep.push({ i }); if (keep.length > 1000) keep = []; }',
      'mark("allocate");',
    ].join('\n');
    // WHEN it runs and its log is read
    const output = execFileSync(process.execPath, ['--trace-gc', '-r', 'ts-node/register/transpile-only', '-e', script], { encoding: 'utf8' });
    const rows = phaseRows(output);
    // THEN the log's format is known, and the collections fall in the phase that allocated
    expect(pauseCount(output)).toBeGreaterThan(0);
    expect(rows.map((row) => row.name)).toEqual(['start-up', 'idle', 'allocate']);
    expect(rows[1].young.count + rows[1].fullCollections.length).toBe(0);
    expect(rows[2].young.count).toBeGreaterThanOrEqual(3);
  });

  test('over several runs each figure is the median, the wall time with its range; runs of different phases are refused', () => {
    // GIVEN three runs of two phases
    const run = (buildMs: number, young: number, end: number) => phaseRows([
      ...Array.from({ length: young }, (_, i) => pause(10 + i, 'Scavenge', '2.00')),
      phaseLine('build', buildMs, end, 90),
      phaseLine('write', 5, end + 5, 100),
    ].join('\n'));
    const runs = [run(300, 3, 300), run(100, 1, 100), run(200, 2, 200)];
    // WHEN their medians are taken
    const medians = phaseMedians(runs);
    // THEN the middle run's figures come out, with the wall time's range
    expect(medians[0]).toEqual({ name: 'build', ms: { median: 200, min: 100, max: 300, count: 3 }, young: { count: 2, ms: 4 }, full: { count: 0, ms: 0 }, heapMiB: 90 });
    expect(medians.map((phase) => phase.name)).toEqual(['build', 'write']);
    // AND runs that marked other phases are refused
    expect(() => phaseMedians([runs[0], phaseRows(phaseLine('other', 1, 1, 1))])).toThrow(/marked different phases: build, write against other/);
  });
});
