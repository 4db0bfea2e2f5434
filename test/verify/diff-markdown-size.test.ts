import { diffCommentMarkdown } from '../../lib/cli/diff-command';
import { ChangeImpact } from '../../lib/verify/diff/change-impact';
import { formatDiffMarkdown } from '../../lib/verify/diff/format-diff';
import { ReachabilityChange, ReachabilityDiff } from '../../lib/verify/diff/reachability-diff';

// GitHub refuses a pull-request comment longer than 65,536 characters, and the largest changes are
// the ones a reviewer must see: the comment lists what fits and says how many rows it left out.

function change(i: number): ReachabilityChange {
  return {
    level: 'workload',
    from: `app/Client${i}`,
    to: `app/Server${i}`,
    ports: ['tcp/443'],
    before: [],
    after: ['tcp/443'],
    flows: [`app/Server${i}/AllowFrom-app-Client${i}-tcp-443-with-a-long-enough-construct-path`],
    rules: [],
    stoppedAt: [],
  };
}

function diffOf(opened: number): ReachabilityDiff {
  return {
    opened: Array.from({ length: opened }, (_, i) => change(i)),
    closed: [],
    unchangedSegmentPairs: 0,
    unchangedWorkloadPairs: 0,
    comparedSegmentPairs: 0,
    comparedWorkloadPairs: opened,
    resources: { added: opened, removed: 0, modified: 0, byType: {} },
    scoped: false,
    members: {},
  } as unknown as ReachabilityDiff;
}

test('GIVEN 3,000 opened pairs WHEN formatted as Markdown THEN the comment stays under 65,536 characters and counts the rows it does not list', () => {
  const text = formatDiffMarkdown(diffOf(3000));
  expect(text.length).toBeLessThan(65_536);
  const rows = text.split('\n').filter((line) => line.startsWith('| `app/Client'));
  expect(rows.length).toBeGreaterThan(100);
  expect(text).toContain(`_${3000 - rows.length} more rows not listed, to keep the comment within GitHub's 65,536 characters: \`microseg diff --json\` lists every change._`);
  expect(text).toContain('**Unchanged:**');
});

test('GIVEN a change that fits WHEN formatted THEN every row is listed and nothing is said about omitted rows', () => {
  const text = formatDiffMarkdown(diffOf(20));
  expect(text.split('\n').filter((line) => line.startsWith('| `app/Client'))).toHaveLength(20);
  expect(text).not.toContain('not listed');
});

test('GIVEN 3,000 opened pairs and 3,000 interruptions WHEN the comment adds the apply risks THEN it still stays under 65,536 characters and counts the risk rows it does not list', () => {
  const interrupted = Array.from({ length: 3000 }, (_, i) => ({
    level: 'workload', from: `app/Client${i}`, to: `app/Server${i}`, ports: ['tcp/443'], flows: [`app/Server${i}/AllowFrom-app-Client${i}-tcp-443`], resources: [], moments: ['while stack app applies'],
  }));
  const impact = { stacks: [], interrupted, interruptedFlows: [], duplicates: [] } as unknown as ChangeImpact;
  const text = diffCommentMarkdown(diffOf(3000), impact);
  expect(text.length).toBeLessThan(65_536);
  expect(text).toContain('### Interrupted while the change applies (3000)');
  const listed = text.split('\n').filter((line) => line.startsWith('| `app/Client') && line.includes('while stack app applies')).length;
  expect(text).toContain(`_${3000 - listed} more lines not listed, to keep the comment within GitHub's 65,536 characters: \`microseg diff --json\` lists every one._`);
  expect(text.trimEnd().split('\n').pop()).toMatch(/^\*\*Unchanged:\*\*/);
});
