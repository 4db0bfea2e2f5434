import { CliIo, EXIT } from './cli-io';
import { EvaluatorFlags, evaluateOptionsOf } from './evaluator-flags';
import { fitWidth } from './fit-width';
import { ProgressLine } from './progress';
import { ChangeImpact, changeImpact } from '../verify/diff/change-impact';
import { formatApplyRisks, formatApplyRisksMarkdown, hasApplyRisks } from '../verify/diff/format-apply-risks';
import { formatDiff, formatDiffMarkdown } from '../verify/diff/format-diff';
import { ReachabilityDiff, diffReachability } from '../verify/diff/reachability-diff';
import { VerifyInputError } from '../verify/errors';
import { cell } from '../verify/markdown-cell';
import { loadTerraform } from '../verify/model/load-terraform';

/** Options of `microseg diff`. */
export interface DiffFlags extends EvaluatorFlags {
  /** Print JSON. */
  readonly json?: boolean;
  /** `text` or `markdown`. */
  readonly format?: string;
}

/**
 * `microseg diff <before> <after>`: what the change opens and closes, and the traffic that drops
 * while it applies (and applies that fail on a duplicate); 0 when there is none of these, else 1.
 */
export function runDiff(beforeDir: string, afterDir: string, flags: DiffFlags, io: CliIo): number {
  const format = flags.format ?? 'text';
  if (!['text', 'markdown'].includes(format)) throw new VerifyInputError(`--format "${format}" is not one of text, markdown`);
  const options = evaluateOptionsOf(flags);
  const before = loadTerraform(beforeDir);
  const after = loadTerraform(afterDir);
  const progress = ProgressLine.for(io, 'microseg diff: comparing pairs', flags.json);
  const diff = diffReachability(before, after, options, (done, total) => progress.update(done, total));
  const impact = changeImpact(before, after, options);
  progress.done();
  let text: string;
  if (flags.json) {
    text = JSON.stringify({ ...diff, interrupted: impact.interrupted, applyRisks: impact.duplicates }, null, 2);
  } else if (format === 'markdown') {
    text = diffCommentMarkdown(diff, impact);
  } else {
    text = fitWidth([formatDiff(diff), ...formatApplyRisks(impact)].join('\n'), io.columns);
  }
  io.stdout(`${text}\n`);
  return diff.opened.length + diff.closed.length === 0 && !hasApplyRisks(impact) ? EXIT.OK : EXIT.DENIED;
}

/**
 * The pull-request comment of a diff: what it opens and closes, then what may drop or fail while it
 * applies, then the unchanged counts, within GitHub's 65,536 characters (the risks' rows get what the
 * diff's leave, less room for their headings and notes).
 */
export function diffCommentMarkdown(diff: ReachabilityDiff, impact: ChangeImpact): string {
  const markdown = formatDiffMarkdown(diff);
  const risks = formatApplyRisksMarkdown(impact, cell, Math.max(0, 65_536 - markdown.length - 1_000));
  // the risks go before the unchanged counts, which end the comment
  const end = markdown.lastIndexOf('**Unchanged:**');
  return risks.length === 0 ? markdown : `${markdown.slice(0, end)}${risks.join('\n')}\n${markdown.slice(end)}`;
}
