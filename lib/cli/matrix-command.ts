import { CliIo, EXIT } from './cli-io';
import { EvaluatorFlags, evaluateOptionsOf } from './evaluator-flags';
import { ProgressLine } from './progress';
import { formatMatrix } from '../verify/format-matrix';
import { loadTerraform } from '../verify/model/load-terraform';
import { segmentMatrix } from '../verify/segment-matrix';

/** Options of `microseg matrix`. */
export interface MatrixFlags extends EvaluatorFlags {
  /** Print JSON instead of a table. */
  readonly json?: boolean;
  /** Keep the segments of these stacks. */
  readonly stack?: readonly string[];
  /** Keep these segments (exact names or `*` patterns). */
  readonly segment?: readonly string[];
  /** Keep these sources. */
  readonly from?: readonly string[];
  /** Keep these destinations. */
  readonly to?: readonly string[];
  /** Keep the segments of these platforms. */
  readonly platform?: readonly string[];
}

/** `microseg matrix <dir>`: prints who may talk to whom, by allowed ports, fitted to the terminal. */
export function runMatrix(dir: string, flags: MatrixFlags, io: CliIo): number {
  const model = loadTerraform(dir);
  const progress = ProgressLine.for(io, 'microseg matrix: computing cells', flags.json);
  const filter = { stacks: flags.stack, segments: flags.segment, from: flags.from, to: flags.to, platforms: flags.platform };
  const matrix = segmentMatrix(model, evaluateOptionsOf(flags), { filter, progress: (done, total) => progress.update(done, total) });
  progress.done();
  io.stdout(`${flags.json ? JSON.stringify(matrix, null, 2) : formatMatrix(matrix, io.columns)}\n`);
  return EXIT.OK;
}
