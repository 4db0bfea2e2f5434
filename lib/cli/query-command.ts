import { CliIo, EXIT } from './cli-io';
import { EvaluatorFlags, evaluateOptionsOf } from './evaluator-flags';
import { fitWidth } from './fit-width';
import { verdictToJson } from './verdict-json';
import { evaluate } from '../verify/evaluate';
import { formatVerdict, formatVerdictSummary } from '../verify/format-verdict';
import { KeptLayoutSurprise } from '../verify/model/kept-text';
import { loadTerraform } from '../verify/model/load-terraform';
import { Verdict } from '../verify/verdict';

/** Options of `microseg query`. */
export interface QueryFlags extends EvaluatorFlags {
  /** Source endpoint. */
  readonly from: string;
  /** Destination endpoint. */
  readonly to: string;
  /** Port such as `tcp/5432`. */
  readonly port: string;
  /** Print JSON instead of text. */
  readonly json?: boolean;
  /** Print every enforcement point with its reason and deciding rules. */
  readonly explain?: boolean;
}

/** `microseg query <dir> --from --to --port`: prints the verdict (every point and rule with `--explain`); 0 when allowed, 1 otherwise. */
export function runQuery(dir: string, flags: QueryFlags, io: CliIo): number {
  const question = { from: flags.from, to: flags.to, port: flags.port };
  let verdict: Verdict;
  try {
    // one question reads a few groups' rules: the others stay unparsed text
    verdict = evaluate(loadTerraform(dir, { lazy: true }), question, evaluateOptionsOf(flags));
  } catch (error) {
    if (!(error instanceof KeptLayoutSurprise)) throw error;
    verdict = evaluate(loadTerraform(dir), question, evaluateOptionsOf(flags));
  }
  const readable = () => fitWidth(flags.explain ? formatVerdict(verdict) : formatVerdictSummary(verdict), io.columns);
  const text = flags.json ? JSON.stringify(verdictToJson(verdict), null, 2) : readable();
  io.stdout(`${text}\n`);
  return verdict.allowed ? EXIT.OK : EXIT.DENIED;
}
