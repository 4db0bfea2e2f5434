import * as fs from 'fs';
import * as path from 'path';
import { CliIo, EXIT } from './cli-io';
import { writingTo } from './file-output';
import { packageVersion } from './package-version';
import { toSarif } from './sarif';
import { SynthFinding, readSynthFindings } from './synth-findings';

/** Options of `microseg check`. */
export interface CheckFlags {
  /** Print SARIF 2.1.0 instead of text. */
  readonly sarif?: boolean;
  /** Write the output to this file instead of standard output. */
  readonly output?: string;
}

/**
 * `microseg check <cdktf.out>`: the policy-check findings that synthesis recorded, as text or SARIF.
 * Exit 1 when an error finding is not suppressed, else 0.
 */
export function runCheck(dir: string, flags: CheckFlags, io: CliIo): number {
  const findings = readSynthFindings(dir);
  const text = flags.sarif
    ? JSON.stringify(toSarif(findings, outputDirOf(dir), sarifBaseDir(), packageVersion()), null, 2)
    : formatFindings(findings);
  const output = flags.output;
  if (output) writingTo('--output FILE', output, () => fs.writeFileSync(output, `${text}\n`));
  else io.stdout(`${text}\n`);
  return findings.some((finding) => finding.level === 'error' && !finding.suppression) ? EXIT.DENIED : EXIT.OK;
}

function formatFindings(findings: readonly SynthFinding[]): string {
  if (findings.length === 0) return 'no findings';
  return findings.map((finding) => {
    const suppressed = finding.suppression ? ` (suppressed on '${finding.suppression.addedTo}': ${finding.suppression.reason})` : '';
    const unknown = finding.outcome === 'unknown' ? 'cannot check: ' : '';
    return `${finding.level} ${finding.ruleId} ${finding.constructPath}: ${unknown}${finding.message}${suppressed}`;
  }).join('\n');
}

/**
 * Artifact paths in the log are relative to the working directory, wherever the log is written:
 * code scanning reads them from the repository's root, where a pipeline runs the command, so a log
 * written to `reports/microseg.sarif` must still say `cdktf.out/...`, not `../cdktf.out/...`.
 */
function sarifBaseDir(): string {
  return process.cwd();
}

function outputDirOf(dir: string): string {
  for (let candidate = path.resolve(dir), depth = 0; depth < 4; candidate = path.dirname(candidate), depth++) {
    if (fs.existsSync(path.join(candidate, 'manifest.json'))) return candidate;
  }
  return path.resolve(dir);
}
