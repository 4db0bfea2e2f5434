import { CliIo, EXIT } from './cli-io';
import { EvaluatorFlags, evaluateOptionsOf } from './evaluator-flags';
import { fitWidth } from './fit-width';
import { ProgressLine } from './progress';
import { formatDiff, formatDiffMarkdown } from '../verify/diff/format-diff';
import { diffReachability } from '../verify/diff/reachability-diff';
import { VerifyInputError } from '../verify/errors';
import { loadTerraform } from '../verify/model/load-terraform';

/** Options of `microseg diff`. */
export interface DiffFlags extends EvaluatorFlags {
  /** Print JSON. */
  readonly json?: boolean;
  /** `text` or `markdown`. */
  readonly format?: string;
}

/** `microseg diff <before> <after>`: what the change opens and closes; 0 unchanged, 1 changed. */
export function runDiff(beforeDir: string, afterDir: string, flags: DiffFlags, io: CliIo): number {
  const format = flags.format ?? 'text';
  if (!['text', 'markdown'].includes(format)) throw new VerifyInputError(`--format "${format}" is not one of text, markdown`);
  const options = evaluateOptionsOf(flags);
  const before = loadTerraform(beforeDir);
  const after = loadTerraform(afterDir);
  const progress = ProgressLine.for(io, 'microseg diff: comparing pairs', flags.json);
  const diff = diffReachability(before, after, options, (done, total) => progress.update(done, total));
  progress.done();
  const text = flags.json ? JSON.stringify(diff, null, 2) : format === 'markdown' ? formatDiffMarkdown(diff) : fitWidth(formatDiff(diff), io.columns);
  io.stdout(`${text}\n`);
  return diff.opened.length + diff.closed.length === 0 ? EXIT.OK : EXIT.DENIED;
}
