import { peakRssMiB } from './peak-memory';
import { loadTerraform, segmentMatrix } from '../lib/verify';

// Times the evaluator's full segment-to-segment matrix of a synthesized estate (argv[2]: its
// output directory or a cdk.tf.json); prints one JSON line. Wall and CPU time (user + system of
// this process) of each step: on a shared machine the CPU time is the steadier of the two.
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};
const started = process.hrtime.bigint();
const startedCpu = process.cpuUsage();
const model = loadTerraform(process.argv[2]);
const loaded = process.hrtime.bigint();
const loadCpuSeconds = cpuSeconds(startedCpu);
const loadedCpu = process.cpuUsage();
const matrix = segmentMatrix(model);
const done = process.hrtime.bigint();
const matrixCpuSeconds = cpuSeconds(loadedCpu);
process.stdout.write(JSON.stringify({
  rows: matrix.rows.length,
  columns: matrix.columns.length,
  cells: matrix.cells.length,
  allowedCells: matrix.cells.filter((cell) => cell.allowed.length > 0).length,
  loadSeconds: Number(loaded - started) / 1e9,
  loadCpuSeconds,
  matrixSeconds: Number(done - loaded) / 1e9,
  matrixCpuSeconds,
  peakRssMiB: peakRssMiB(),
}) + '\n');
