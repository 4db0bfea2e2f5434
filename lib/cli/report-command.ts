import * as fs from 'fs';
import { CliIo, EXIT } from './cli-io';
import { EvaluatorFlags, evaluateOptionsOf } from './evaluator-flags';
import { writingTo } from './file-output';
import { ProgressLine } from './progress';
import { loadTerraform } from '../verify/model/load-terraform';
import { buildReport, writeReport } from '../verify/report/write-report';

/** Options of `microseg report`. */
export interface ReportFlags extends EvaluatorFlags {
  /** The directory to write into. */
  readonly out: string;
}

/** `microseg report <dir> --out DIR`: writes report.md, flows.mmd and matrix.html and lists them. */
export function runReport(dir: string, flags: ReportFlags, io: CliIo): number {
  const model = loadTerraform(dir);
  // an unusable --out fails before the (possibly long) evaluation
  writingTo('--out DIR', flags.out, () => fs.mkdirSync(flags.out, { recursive: true }));
  const progress = ProgressLine.for(io, 'microseg report: evaluating', false);
  const files = buildReport(model, evaluateOptionsOf(flags), (done, total) => progress.update(done, total));
  progress.done();
  io.stdout(`${writingTo('--out DIR', flags.out, () => writeReport(files, flags.out)).join('\n')}\n`);
  return EXIT.OK;
}
