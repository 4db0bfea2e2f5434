import { loadTerraform, segmentMatrix } from '../lib/verify';

// Times the evaluator's full segment-to-segment matrix of a synthesized estate (argv[2]: its
// output directory or a cdk.tf.json); prints one JSON line.
const started = process.hrtime.bigint();
const model = loadTerraform(process.argv[2]);
const loaded = process.hrtime.bigint();
const matrix = segmentMatrix(model);
const done = process.hrtime.bigint();
process.stdout.write(JSON.stringify({
  rows: matrix.rows.length,
  columns: matrix.columns.length,
  cells: matrix.cells.length,
  allowedCells: matrix.cells.filter((cell) => cell.allowed.length > 0).length,
  loadSeconds: Number(loaded - started) / 1e9,
  matrixSeconds: Number(done - loaded) / 1e9,
  peakRssMiB: process.resourceUsage().maxRSS / 1024,
}) + '\n');
