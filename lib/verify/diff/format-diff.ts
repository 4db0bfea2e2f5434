import { counted } from '../counted';
import { cell } from '../markdown-cell';
import { ReachabilityChange, ReachabilityDiff } from './reachability-diff';

/** A segment-level change with the workload-level changes it explains. */
interface ChangeGroup {
  readonly change: ReachabilityChange;
  readonly workloadPairs: number;
}

/**
 * The changes grouped for people: each segment-level change carries the count of workload pairs it
 * explains (members of the two segments gaining or losing the same traffic); workload changes no
 * segment change explains are listed on their own.
 */
function grouped(changes: readonly ReachabilityChange[], diff: ReachabilityDiff): ChangeGroup[] {
  const members = (segment: string) => new Set([segment, ...(diff.members[segment] ?? [])]);
  const segments = changes.filter((change) => change.level === 'segment');
  const explained = new Set<ReachabilityChange>();
  const groups = segments.map((change) => {
    const from = members(change.from);
    const to = members(change.to);
    const pairs = changes.filter((other) => other.level === 'workload' && from.has(other.from) && to.has(other.to) && other.ports.join() === change.ports.join());
    pairs.forEach((pair) => explained.add(pair));
    return { change, workloadPairs: pairs.length };
  });
  const alone = changes.filter((change) => change.level === 'workload' && !explained.has(change)).map((change) => ({ change, workloadPairs: 0 }));
  return [...groups, ...alone];
}

/** The diff as plain text: opened, then closed, then what stayed. */
export function formatDiff(diff: ReachabilityDiff): string {
  const lines: string[] = [];
  lines.push(summaryLine(diff));
  for (const [title, changes] of [['OPENED', diff.opened], ['CLOSED', diff.closed]] as const) {
    for (const { change, workloadPairs } of grouped(changes, diff)) {
      const scope = change.level === 'workload' ? ' (workload)' : workloadPairs > 0 ? ` (${counted(workloadPairs, 'workload pair')})` : '';
      lines.push(`${title}  ${change.from} -> ${change.to}  ${change.ports.join(',')}${scope}`);
      if (change.flows.length > 0) lines.push(`    flows: ${change.flows.join(', ')}`);
      if (title === 'CLOSED') {
        for (const stop of change.stoppedAt) lines.push(`    stopped at ${stop}`);
      } else {
        for (const rule of change.rules) lines.push(`    rule: ${rule.address}${rule.constructPath ? ` (${rule.constructPath})` : ''}: ${rule.summary}`);
      }
    }
  }
  lines.push(unchangedLine(diff));
  const types = resourceTypesLine(diff);
  if (types) lines.push(`  ${types}`);
  return lines.join('\n');
}

/**
 * Characters of table rows a comment holds at most, leaving room for the rest of it: GitHub refuses a
 * comment longer than 65,536 characters, and the largest changes are those a reviewer must see.
 */
const MARKDOWN_ROWS_BUDGET = 60_000;

/**
 * The diff as a compact pull-request comment in Markdown: opened first, then closed, then unchanged
 * counts. Rows past {@link MARKDOWN_ROWS_BUDGET} characters are counted, not listed (the summary
 * line and `--json` give them all), and the comment says so.
 */
export function formatDiffMarkdown(diff: ReachabilityDiff): string {
  const lines = ['## Reachability change', '', summaryLine(diff), ''];
  let budget = MARKDOWN_ROWS_BUDGET;
  for (const [title, changes] of [['Opened', diff.opened], ['Closed', diff.closed]] as const) {
    const groups = grouped(changes, diff);
    if (groups.length === 0) continue;
    const decidedBy = title === 'Opened' ? 'flows' : 'stopped at';
    lines.push(`### ${title} (${groups.length})`, '', `| from | to | ports | level | ${decidedBy} |`, '|---|---|---|---|---|');
    let omitted = 0;
    for (const { change, workloadPairs } of groups) {
      const decision = title === 'Opened' ? change.flows.join(', ') || 'none recorded' : change.stoppedAt.join('; ');
      const pairs = counted(workloadPairs, 'workload pair');
      const level = change.level === 'workload' ? 'workload' : workloadPairs > 0 ? `segment (${pairs})` : 'segment';
      const row = `| ${cell(change.from)} | ${cell(change.to)} | ${cell(change.ports.join(', '))} | ${level} | ${cell(decision)} |`;
      if (omitted > 0 || row.length + 1 > budget) {
        omitted++;
        continue;
      }
      budget -= row.length + 1;
      lines.push(row);
    }
    if (omitted > 0) lines.push('', `_${counted(omitted, 'more row')} not listed, to keep the comment within GitHub's 65,536 characters: \`microseg diff --json\` lists every change._`);
    lines.push('');
  }
  lines.push(`**Unchanged:** ${unchangedLine(diff).replace(/^unchanged: /, '')}`);
  const types = resourceTypesLine(diff);
  if (types) lines.push('', `<sub>${types}</sub>`);
  return lines.join('\n');
}

function summaryLine(diff: ReachabilityDiff): string {
  if (diff.opened.length === 0 && diff.closed.length === 0) return 'Reachability unchanged.';
  const count = (changes: readonly ReachabilityChange[], level: string) => changes.filter((change) => change.level === level).length;
  return `Reachability changed: ${count(diff.opened, 'segment')} segment-level and ${count(diff.opened, 'workload')} workload-level openings, `
    + `${count(diff.closed, 'segment')} segment-level and ${count(diff.closed, 'workload')} workload-level closings.`;
}

function unchangedLine(diff: ReachabilityDiff): string {
  const resources = diff.resources;
  const changed = resources.added + resources.removed + resources.modified;
  const scope = diff.scoped ? ' (only the pairs the changed resources can touch)' : '';
  return `unchanged: ${diff.unchangedSegmentPairs} of ${counted(diff.comparedSegmentPairs, 'segment pair')} and ${diff.unchangedWorkloadPairs} of ${counted(diff.comparedWorkloadPairs, 'workload pair')} compared${scope}; `
    + `${counted(changed, 'resource')} changed (${resources.added} added, ${resources.removed} removed, ${resources.modified} modified)`;
}

/** The changed resources by Terraform type, in one line (`aws_instance: 1 modified; ...`). */
function resourceTypesLine(diff: ReachabilityDiff): string | undefined {
  const entries = Object.entries(diff.resources.byType).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return undefined;
  const counts = (c: { added: number; removed: number; modified: number }) =>
    [c.added && `${c.added} added`, c.removed && `${c.removed} removed`, c.modified && `${c.modified} modified`].filter(Boolean).join(', ');
  return `changed resources by type: ${entries.map(([type, c]) => `${type} ${counts(c)}`).join('; ')}`;
}
