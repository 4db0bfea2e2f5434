import { loadTerraform, segmentMatrix } from '../lib/verify';

// Times the evaluator's full segment-to-segment matrix of the benchmark estate (argv[2]: a cdk.tf.json).
const started = process.hrtime.bigint();
const model = loadTerraform(process.argv[2]);
const loaded = process.hrtime.bigint();
const matrix = segmentMatrix(model);
const done = process.hrtime.bigint();
const allowedCells = matrix.cells.filter((cell) => cell.allowed.length > 0).length;
console.log(`segment matrix: ${matrix.rows.length} x ${matrix.columns.length} (${matrix.cells.length} cells, ${allowedCells} with allowed ports) in ${(Number(done - loaded) / 1e9).toFixed(2)} s (+ ${(Number(loaded - started) / 1e9).toFixed(2)} s to load the JSON), peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
