import * as fs from 'fs';
import * as path from 'path';
import { VerifyInputError } from '../verify/errors';

/** A policy-check finding (or a library warning with an id) as recorded in `cdktf.out/manifest.json`. */
export interface SynthFinding {
  /** The rule or warning id (`MS-ADMIN-OPEN`, `microseg:empty-selector`). */
  readonly ruleId: string;
  /** `error`, `warning` or `note` (a suppressed finding keeps the level its annotation had before, shown as `note` when unknown). */
  readonly level: 'error' | 'warning' | 'note';
  /** The finding's text, without the id prefix. */
  readonly message: string;
  /** The construct path the finding is on. */
  readonly constructPath: string;
  /** The stack whose manifest entry holds it. */
  readonly stack: string;
  /** The stack's synthesized file, relative to the output directory. */
  readonly stackFile: string;
  /** `unknown` when the rule could not decide (`cannot check:`), else `non-compliant`. */
  readonly outcome: 'non-compliant' | 'unknown';
  /** Set when the finding is suppressed: the reason and the construct the suppression was added to. */
  readonly suppression?: { readonly reason: string; readonly addedTo: string };
}

const ANNOTATION = /^\[([A-Za-z0-9][A-Za-z0-9:_.-]*)\] ([\s\S]*)$/;
const SUPPRESSED = /^suppressed: ([\s\S]*) \(on '([^']*)'; finding: ([\s\S]*)\)$/;
const LEVELS: Record<string, SynthFinding['level'] | undefined> = { '@cdktf/error': 'error', '@cdktf/warn': 'warning', '@cdktf/info': 'note' };

/**
 * The findings of a synthesized app: cdktf writes every annotation of every stack (the check
 * pack's findings, its suppressed findings as infos, the library's warnings) into
 * `manifest.json`; those whose message starts with `[ID]` are findings. cdktf stops synthesis on
 * error findings before it writes the manifest unless `CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS` is set.
 */
export function readSynthFindings(dir: string): SynthFinding[] {
  const manifestFile = findManifest(dir);
  const manifest = readManifest(manifestFile);
  const findings: SynthFinding[] = [];
  for (const [stack, entry] of Object.entries(manifest.stacks ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    if (entry === null || typeof entry !== 'object') throw new VerifyInputError(`${manifestFile}: stack "${stack}" is ${JSON.stringify(entry)}, not a stack entry. Synthesize again (cdktf synth).`);
    for (const annotation of Array.isArray(entry.annotations) ? entry.annotations : []) {
      if (annotation === null || typeof annotation !== 'object') continue;
      const match = ANNOTATION.exec(String(annotation.message));
      const level = LEVELS[annotation.level];
      if (!match || !level) continue;
      const [, ruleId, text] = match;
      const suppressed = SUPPRESSED.exec(text);
      const finding = suppressed ? suppressed[3] : text;
      const unknown = /^cannot check: /.exec(finding);
      findings.push({
        ruleId,
        level,
        message: unknown ? finding.slice(unknown[0].length) : finding,
        constructPath: annotation.constructPath,
        stack,
        stackFile: entry.synthesizedStackPath ?? `stacks/${stack}/cdk.tf.json`,
        outcome: unknown ? 'unknown' : 'non-compliant',
        suppression: suppressed ? { reason: suppressed[1], addedTo: suppressed[2] } : undefined,
      });
    }
  }
  return findings;
}

/** What `manifest.json` holds that the findings read. */
interface Manifest {
  readonly stacks?: Record<string, { synthesizedStackPath?: string; annotations?: Array<{ constructPath: string; level: string; message: string }> }>;
}

/** The manifest, or an input error naming the file when it is not cdktf's manifest (not JSON, not an object, stacks not an object). */
function readManifest(file: string): Manifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new VerifyInputError(`${file} is not valid JSON (${(error as Error).message}). Synthesize again (cdktf synth).`);
  }
  const stacks = (parsed as Manifest | null)?.stacks;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || (stacks !== undefined && (stacks === null || typeof stacks !== 'object'))) {
    throw new VerifyInputError(`${file} is not a cdktf manifest (an object with "stacks"). Synthesize again (cdktf synth).`);
  }
  return parsed as Manifest;
}

function findManifest(dir: string): string {
  if (!fs.existsSync(dir)) throw new VerifyInputError(`no such file or directory: ${dir}`);
  const candidates = [dir, path.dirname(dir), path.dirname(path.dirname(dir)), path.dirname(path.dirname(path.dirname(dir)))];
  for (const candidate of candidates) {
    const file = path.join(candidate, 'manifest.json');
    if (fs.existsSync(file) && fs.statSync(file).isFile()) return file;
  }
  throw new VerifyInputError(`no manifest.json in ${dir}: give the cdktf.out directory that cdktf synth wrote`);
}
