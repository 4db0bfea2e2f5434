import { phaseLine, phaseRows } from '../../bench/gc-trace';

describe('phase rows from a --trace-gc log', () => {
  test('each collection counts in the phase its pause ended in, young and full apart', () => {
    // GIVEN a log of two phases and four collections, one of them after the last mark
    const log = [
      '[41:0x1]      120 ms: Scavenge 20.1 (22.0) -> 18.2 (23.0) MB, 1.50 / 0.00 ms  (average mu = 1.000, current mu = 1.000) allocation failure;',
      phaseLine('build', 200.4, 210, 94.2),
      '[41:0x1]      215 ms: Scavenge 98.0 (110.0) -> 96.0 (111.0) MB, 2.25 / 0.00 ms  (average mu = 0.98) allocation failure;',
      '[41:0x1]      260 ms: Mark-Compact 120.0 (140.0) -> 80.0 (130.0) MB, 12.00 / 0.00 ms  (+ 3.1 ms in 12 steps since start of marking) finalize incremental marking;',
      '[41:0x1]      300 ms: Scavenge 85.0 (130.0) -> 84.0 (130.0) MB, 0.75 / 0.00 ms  (average mu = 0.98) allocation failure;',
      phaseLine('toTerraform', 95, 305, 84),
      '[41:0x1]      400 ms: Scavenge 90.0 (130.0) -> 89.0 (130.0) MB, 9.00 / 0.00 ms  allocation failure;',
    ].join('\n');
    // WHEN it is read
    const rows = phaseRows(log);
    // THEN the first phase holds the collection before its end, the second the three after it, the last one none
    expect(rows).toEqual([
      { name: 'build', ms: 200, endsAt: 210, heapMiB: 94, young: { count: 1, ms: 1.5 }, full: { count: 0, ms: 0 }, fullCollections: [] },
      {
        name: 'toTerraform',
        ms: 95,
        endsAt: 305,
        heapMiB: 84,
        young: { count: 2, ms: 3 },
        full: { count: 1, ms: 12 },
        fullCollections: [{ at: 260, kind: 'full', ms: 12, beforeMB: 120, afterMB: 80 }],
      },
    ]);
  });

  test('a log without marks has no rows', () => {
    expect(phaseRows('[41:0x1]      120 ms: Scavenge 20.1 (22.0) -> 18.2 (23.0) MB, 1.50 / 0.00 ms  allocation failure;')).toEqual([]);
  });
});
