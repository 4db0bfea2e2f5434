import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compareOutputs } from './compare-output';
import { compileBench, COMPILED_DIR } from './compile';
import { EstateResult, estateRow, Mode, Sample } from './estate-verdict';
import { estateNamed } from './estates/catalog';
import { BenchOptions, commandLineOptions, PAUSE_TOKEN_TRACES, parseOptions } from './options';
import { writeFloorPlan } from './plain';
import { secondsCell, spread } from './stats';

const ROOT = path.join(__dirname, '..');
// MICROSEG_BENCH_RUNS: another directory for the runs' outputs, so two benches can run side by side
const RUNS = process.env.MICROSEG_BENCH_RUNS ?? path.join(ROOT, 'bench-out', 'runs');
const MATRIX_TARGET_SECONDS = 1;
const QUERY_TARGET_SECONDS = 2;
/**
 * Runs of each evaluator row, whatever `--pairs` says: a few seconds each, so a row is a median of
 * five even when the 10x estate is synthesized once.
 */
const EVALUATOR_RUNS = 5;

function nodeArgs(mode: Mode, script: string): string[] {
  return mode === 'compiled'
    ? ['--expose-gc', path.join(COMPILED_DIR, 'bench', `${script}.js`)]
    : ['--expose-gc', '-r', 'ts-node/register/transpile-only', '-r', path.join(ROOT, 'bench', 'published-library.ts'), path.join(ROOT, 'bench', `${script}.ts`)];
}

/** Runs a node script in its own process; returns its wall time and the last JSON line it printed. */
function run(
  mode: Mode, script: string, args: string[], nodeFlags: readonly string[] = [],
): { seconds: number; result: any; status: number | null; output: string } {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [...nodeFlags, ...nodeArgs(mode, script), ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 2 ** 28 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const lines = (child.stdout ?? '').trim().split('\n');
  let result: any;
  try {
    result = JSON.parse(lines[lines.length - 1]);
  } catch {
    result = undefined;
  }
  return { seconds, result, status: child.status, output: `${child.stdout ?? ''}${child.stderr ?? ''}` };
}

function runSide(mode: Mode, side: 'library' | 'floor', args: string[], options: BenchOptions): Sample & { file: string } {
  const pause = options.pauseTokenTraces ? [PAUSE_TOKEN_TRACES] : [];
  const { seconds, result, status, output } = run(mode, 'run-one', [side, ...pause, ...args], options.nodeFlags);
  if (status !== 0 || result === undefined) throw new Error(`${side} ${args.join(' ')} (${mode}) failed:\n${output.slice(-4000)}`);
  return {
    seconds: seconds - result.prepareSeconds,
    cpuSeconds: result.cpuSeconds - result.prepareCpuSeconds,
    peakRssMiB: result.peakRssMiB,
    file: path.resolve(ROOT, result.file),
  };
}

/** The floors' plans written in this invocation. */
const plansWritten = new Set<string>();

/**
 * The floor's plan of the estate `name` that another scales, for the runs alongside that estate's
 * pairs: the one its own row wrote in this invocation, or else written from one library run made
 * for it (not timed).
 */
function basePlan(name: string, mode: Mode, options: BenchOptions): string {
  const planFile = path.join(RUNS, name, mode, 'floor-plan.v8');
  if (plansWritten.has(planFile)) return planFile;
  const dir = path.join(RUNS, name, mode);
  fs.rmSync(dir, { recursive: true, force: true });
  const reference = runSide(mode, 'library', [name, path.join(dir, 'reference')], options);
  writeFloorPlan(reference.file, planFile);
  fs.rmSync(path.join(dir, 'reference'), { recursive: true, force: true });
  plansWritten.add(planFile);
  return planFile;
}

function runEstate(estate: string, mode: Mode, pairs: number, options: BenchOptions, base?: { estate: string; planFile: string }): EstateResult {
  const dir = path.join(RUNS, estate, mode);
  fs.rmSync(dir, { recursive: true, force: true });
  const library: Sample[] = [];
  const floor: Sample[] = [];
  const alongside = { library: [] as Sample[], floor: [] as Sample[] };
  const findings = new Set<string>();
  let reference = '';
  let planFile = '';
  let libraryOut = '';
  for (let pair = 1; pair <= pairs; pair++) {
    libraryOut = path.join(dir, `library-${pair}`);
    const lib = runSide(mode, 'library', [estate, libraryOut, ...sizeOperands(options)], options);
    library.push(lib);
    if (pair === 1) {
      reference = lib.file;
      planFile = path.join(dir, 'floor-plan.v8');
      writeFloorPlan(reference, planFile);
      plansWritten.add(planFile);
    } else if (compareOutputs(reference, lib.file) !== 'identical') {
      findings.add('library output not deterministic');
    }
    const floorOut = path.join(dir, `floor-${pair}`);
    const plain = runSide(mode, 'floor', [estate, floorOut, planFile], options);
    floor.push(plain);
    findings.add(`floor ${compareOutputs(reference, plain.file)}`);
    fs.rmSync(floorOut, { recursive: true, force: true });
    // keep the first output (the reference) and the last (for the evaluator)
    if (pair > 2) fs.rmSync(path.join(dir, `library-${pair - 1}`), { recursive: true, force: true });
    fs.appendFileSync(path.join(ROOT, 'bench-out', 'pairs.jsonl'), JSON.stringify({ estate, mode, pair, library: lib, floor: plain, at: new Date().toISOString() }) + '\n');
    process.stderr.write(`  ${estate} ${mode} pair ${pair}/${pairs}: library ${lib.seconds.toFixed(2)} s (cpu ${lib.cpuSeconds.toFixed(2)}) ${lib.peakRssMiB.toFixed(0)} MiB, floor ${plain.seconds.toFixed(2)} s (cpu ${plain.cpuSeconds.toFixed(2)}) ${plain.peakRssMiB.toFixed(0)} MiB\n`);
    if (base) {
      const baseOut = path.join(dir, 'alongside');
      const baseLibrary = runSide(mode, 'library', [base.estate, path.join(baseOut, 'library')], options);
      const baseFloor = runSide(mode, 'floor', [base.estate, path.join(baseOut, 'floor'), base.planFile], options);
      alongside.library.push(baseLibrary);
      alongside.floor.push(baseFloor);
      fs.rmSync(baseOut, { recursive: true, force: true });
      process.stderr.write(`    ${base.estate} alongside: library ${baseLibrary.seconds.toFixed(2)} s, floor ${baseFloor.seconds.toFixed(2)} s\n`);
    }
  }
  return { estate, mode, library, floor, output: [...findings].join('; '), libraryOut, alongside, ...(options.size ? { size: options.size } : {}) };
}

/** The size operands of the library's synthesis process (`run-one library <estate> <outdir> [segments workloads flows]`): those of `--size`, if given. */
function sizeOperands(options: BenchOptions): string[] {
  return options.size ? [options.size.segments, options.size.workloads, options.size.flows].map(String) : [];
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (c ?? '').padEnd(widths[i])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

/** An evaluator row in the synthesis table's columns: its time and memory in the library's. */
function wide([measure, mode, runs, time, memory, target, result]: string[]): string[] {
  return [measure, mode, runs, time, '-', '-', '-', memory, '-', '-', target, result];
}

function evaluatorRows(options: BenchOptions, results: EstateResult[]): string[][] {
  const rows: string[][] = [];
  for (const mode of options.modes) {
    const base = results.find((r) => r.estate === 'aws-sg' && r.mode === mode);
    if (!base) {
      rows.push(['segment matrix of aws-sg', mode, '-', 'skipped: run with aws-sg', '-', `< ${MATRIX_TARGET_SECONDS} s`, 'n/a']);
    } else {
      const samples = Array.from({ length: EVALUATOR_RUNS }, () => run(mode, 'matrix', [base.libraryOut]));
      const failed = samples.find((s) => s.status !== 0 || s.result === undefined);
      if (failed) {
        rows.push(['segment matrix of aws-sg', mode, '-', `failed: ${failed.output.trim().split('\n').slice(-1)[0]}`, '-', `< ${MATRIX_TARGET_SECONDS} s`, 'FAIL']);
      } else {
        const t = spread(samples.map((s) => s.result.matrixSeconds));
        const cpu = spread(samples.map((s) => s.result.matrixCpuSeconds));
        const load = spread(samples.map((s) => s.result.loadSeconds));
        const r = samples[0].result;
        rows.push([`segment matrix of aws-sg (${r.rows}x${r.columns})`, mode, String(samples.length), `${secondsCell(t)} + load ${load.median.toFixed(2)}; cpu ${cpu.median.toFixed(2)}`,
          spread(samples.map((s) => s.result.peakRssMiB)).median.toFixed(0), `< ${MATRIX_TARGET_SECONDS} s`, t.median < MATRIX_TARGET_SECONDS ? 'PASS' : 'FAIL']);
      }
    }
  }
  // the `microseg` command is compiled JavaScript in the package, however the app is run: one row, run as it runs
  const tenX = results.find((r) => r.estate === 'aws-sg-10x');
  if (!tenX) {
    rows.push(['microseg query on aws-sg-10x', 'command', '-', 'skipped: the 10x estate did not run', '-', `< ${QUERY_TARGET_SECONDS} s`, 'n/a']);
  } else {
    const args = ['query', tenX.libraryOut, '--from', 'estate/W0', '--to', 'estate/W1', '--port', 'tcp/1024'];
    const samples = Array.from({ length: EVALUATOR_RUNS }, () => run('compiled', 'query', args));
    const failed = samples.find((s) => s.status !== 0 || s.result === undefined);
    const t = spread(samples.map((s) => s.seconds));
    const cpu = () => spread(samples.map((s) => s.result.cpuSeconds)).median.toFixed(2);
    rows.push(['microseg query on aws-sg-10x (whole process)', 'command', String(samples.length), failed ? `failed: ${failed.output.trim().slice(-200)}` : `${secondsCell(t)}; cpu ${cpu()}`,
      failed ? '-' : spread(samples.map((s) => s.result.peakRssMiB)).median.toFixed(0), `< ${QUERY_TARGET_SECONDS} s`, !failed && t.median < QUERY_TARGET_SECONDS ? 'PASS' : 'FAIL']);
  }
  return rows.map(wide);
}

/**
 * `npm run bench`: for every estate and mode (ts-node, compiled JavaScript), alternating pairs of
 * separate processes (library, floor, library, floor, ...): whole-process wall time and peak RSS of
 * each, medians with min and max, the floor's output checked byte for byte against the library's;
 * then the evaluator (the full segment matrix of aws-sg, one `microseg query` on aws-sg-10x). Prints
 * one table with the targets of issue 15 and pass/fail.
 */
function main(): void {
  const options = commandLineOptions(parseOptions, process.argv.slice(2));
  if (options === undefined) return;
  // both modes load the library compiled: ts-node runs only the bench's own TypeScript (the app)
  process.stderr.write('compiling the library and the bench to bench-out/compiled/ ...\n');
  compileBench();
  const results: EstateResult[] = [];
  for (const name of options.estates) {
    const { heavy, scales } = estateNamed(name);
    const pairs = heavy ? options.heavyPairs : options.pairs;
    for (const mode of options.modes) {
      const base = scales === undefined ? undefined : { estate: scales, planFile: basePlan(scales, mode, options) };
      results.push(runEstate(name, mode, pairs, options, base));
    }
  }
  console.log(`\nmachine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  if (options.nodeFlags.length > 0) console.log(`node flags of every synthesis process, library and floor alike: ${options.nodeFlags.join(' ')}`);
  console.log(options.pauseTokenTraces
    ? 'token traces: paused while each side builds its resources (TokenTraces.pause), library and floor alike, as the README advises for large estates'
    : 'token traces: captured on both sides (--capture-token-traces), as an app written without the README\'s advice');
  console.log('synthesis: whole processes, library and floor alternating; library s, floor s: median (min-max) wall time; time, cpu, memory: the median of the pairs\' ratios, library over floor (time: with their min-max), each pair\'s two processes run in the same minute; cpu: user + system, which a shared machine moves less than wall time; MiB: median peak RSS');
  console.log('evaluator: segment matrix computed in-process (+ loading the JSON); query: the whole process; cpu: user + system s of that part, steadier than wall time on a shared machine\n');
  const rows = results.map((r) => estateRow(r).cells);
  if (options.evaluator) rows.push(...evaluatorRows(options, results));
  printTable(['estate / evaluator', 'mode', 'runs', 'library s', 'floor s', 'time', 'cpu', 'lib MiB', 'floor MiB', 'memory', 'target', 'result'], rows);
  for (const r of results) console.log(`  ${r.estate} ${r.mode}: ${r.output}`);
  for (const name of options.skipped) {
    const estate = estateNamed(name);
    console.log(`  ${name} (${estate.description}): SKIPPED; \`npm run bench\` runs it unless \`--without-10x\`, or alone with \`npm run bench -- --estate ${name}\``);
  }
  console.log('\nestates:');
  for (const name of options.estates) {
    const e = estateNamed(name);
    const size = options.size ?? e.size;
    console.log(`  ${name}: ${e.description}; ${size.segments} segments, ${size.workloads} workloads, ${size.flows} flows${options.size ? ` (--size; its own: ${e.size.segments}, ${e.size.workloads}, ${e.size.flows})` : ''}`);
  }
}

main();
