import { CliIo, EXIT } from './cli-io';
import { EvaluatorFlags, evaluateOptionsOf } from './evaluator-flags';
import { formatMatrix } from '../verify/format-matrix';
import { loadTerraform } from '../verify/model/load-terraform';
import { segmentMatrix } from '../verify/segment-matrix';

/** Options of `microseg matrix`. */
export interface MatrixFlags extends EvaluatorFlags {
  /** Print JSON instead of a table. */
  readonly json?: boolean;
}

/** `microseg matrix <dir>`: prints who may talk to whom, by allowed ports. */
export function runMatrix(dir: string, flags: MatrixFlags, io: CliIo): number {
  const matrix = segmentMatrix(loadTerraform(dir), evaluateOptionsOf(flags));
  io.stdout(`${flags.json ? JSON.stringify(matrix, null, 2) : formatMatrix(matrix)}\n`);
  return EXIT.OK;
}
