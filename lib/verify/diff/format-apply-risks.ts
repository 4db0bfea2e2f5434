import { ChangeImpact } from './change-impact';
import { counted } from '../counted';

/** What of a change's apply a reviewer must see besides what it opens and closes: traffic that drops while it applies, and applies that fail. */
export function hasApplyRisks(impact: ChangeImpact): boolean {
  return impact.interrupted.length + impact.duplicates.length > 0;
}

/** The apply's risks as text lines (none when there are none). */
export function formatApplyRisks(impact: ChangeImpact): string[] {
  const lines: string[] = [];
  for (const traffic of impact.interrupted) {
    lines.push(`INTERRUPTED  ${traffic.from} -> ${traffic.to}  ${traffic.ports.join(',')}  ${traffic.moments.join('; ')}`);
    lines.push(`    flows: ${traffic.flows.join(', ') || '(none recorded)'}; removed: ${traffic.resources.join(', ') || '(no removed rule)'}`);
  }
  for (const failure of impact.duplicates) lines.push(`APPLY RISK   ${failure.kind} (${failure.when}): ${failure.detail}`);
  return lines;
}

/**
 * The apply's risks as Markdown sections (none when there are none), their rows and risk lines within
 * `budget` characters: those past it are counted, not listed (a comment has a size limit; `--json`
 * lists them all), and the section says so.
 */
export function formatApplyRisksMarkdown(impact: ChangeImpact, cell: (text: string) => string, budget: number = Infinity): string[] {
  const lines: string[] = [];
  let room = budget;
  const listed = (entries: string[]): string[] => {
    const kept: string[] = [];
    for (const entry of entries) {
      if (entry.length + 1 > room) break;
      room -= entry.length + 1;
      kept.push(entry);
    }
    const omitted = entries.length - kept.length;
    return omitted > 0 ? [...kept, '', `_${counted(omitted, 'more line')} not listed, to keep the comment within GitHub's 65,536 characters: \`microseg diff --json\` lists every one._`] : kept;
  };
  if (impact.interrupted.length > 0) {
    lines.push(`### Interrupted while the change applies (${impact.interrupted.length})`, '', '| from | to | ports | when | flows |', '|---|---|---|---|---|');
    lines.push(...listed(impact.interrupted.map((traffic) =>
      `| ${cell(traffic.from)} | ${cell(traffic.to)} | ${cell(traffic.ports.join(', '))} | ${cell(traffic.moments.join('; '))} | ${cell(traffic.flows.join(', ') || 'none recorded')} |`)));
    lines.push('');
  }
  if (impact.duplicates.length > 0) {
    lines.push(`### ${counted(impact.duplicates.length, 'apply risk')}`, '');
    lines.push(...listed(impact.duplicates.map((failure) => `- ${cell(failure.kind)} (${failure.when}): ${failure.detail.replace(/\r?\n/g, ' ')}`)));
    lines.push('');
  }
  return lines;
}
