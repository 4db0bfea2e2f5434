import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { formatReportMarkdown } from '../../lib/verify/report/summary-markdown';
import { buildReport } from '../../lib/verify/report/write-report';
import { MatrixCell } from '../../lib/verify/segment-matrix';
import { runCli } from '../cli/run-cli';
import { twoPlatformModel } from '../fixtures/two-platform-estate';

/** Parses a diagram with the mermaid package's parser, in a child Node process (mermaid is an ES module). */
function parseMermaid(text: string): { ok: boolean; diagramType?: string; error?: string } {
  const run = spawnSync(process.execPath, [path.join(__dirname, 'mermaid-parse.mjs')], { input: text, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`mermaid parser failed to run: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

describe('microseg report', () => {
  const files = buildReport(twoPlatformModel());

  test('GIVEN a two-platform app WHEN the Mermaid diagram is built THEN the mermaid parser accepts it as a flowchart', () => {
    expect(parseMermaid(files['flows.mmd'])).toEqual({ ok: true, diagramType: 'flowchart-v2' });
    // the parser is not lenient: a broken edge label is rejected
    expect(parseMermaid('flowchart LR\n  a -->|"tcp/443| b\n').ok).toBe(false);
  });

  test('THEN nodes sit in one subgraph per platform and stack, and edges carry the allowed ports', () => {
    const mmd = files['flows.mmd'];
    const node = (name: string) => new RegExp(`^ {4}(n\\d+)\\["${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}"\\]$`, 'm').exec(mmd)?.[1];
    const [web, api, db, internet] = [node('shop/Web'), node('shop/Api'), node('azure/Db'), node('0.0.0.0/0')];
    expect([web, api, db, internet].every((id) => id !== undefined)).toBe(true);
    expect(mmd).toContain('subgraph g0["aws · shop"]');
    expect(mmd).toContain('["azure · azure"]');
    expect(mmd).toContain('["external peers"]');
    const edges = mmd.split('\n').filter((line) => line.includes('-->'));
    expect(edges.sort()).toEqual([
      `  ${api} -->|"tcp/5432"| ${db}`,
      `  ${internet} -->|"tcp/443"| ${web}`,
      `  ${web} -->|"tcp/8080"| ${api}`,
    ].sort());
  });

  test('THEN the Markdown summary lists the allowed traffic and embeds the diagram', () => {
    const md = files['report.md'];
    // three segments and the internet, counted in the right number
    expect(md.split('\n')[2]).toMatch(/^3 segments, 1 external peer, 3 allowed of \d+ pairs evaluated\.$/);
    expect(md).toContain('| `shop/Api` | `azure/Db` | tcp/5432 |');
    expect(md).toContain('| `shop/Web` | `shop/Api` | tcp/8080 |');
    expect(md).not.toContain('| `azure/Db` | `shop/Api` |');
    expect(md).toContain(`\`\`\`mermaid\n${files['flows.mmd'].trimEnd()}\n\`\`\``);
  });

  test('a segment name with a pipe or a backtick stays one cell, as in the diff\'s tables', () => {
    const md = formatReportMarkdown({
      rows: ['odd/Web | v2 `x`'],
      columns: ['odd/Db'],
      cells: [{ from: 'odd/Web | v2 `x`', to: 'odd/Db', allowed: ['tcp/5432'], enforced: true } as MatrixCell],
      endpoints: [
        { name: 'odd/Web | v2 `x`', kind: 'segment', platforms: ['aws'], stacks: ['odd'] },
        { name: 'odd/Db', kind: 'segment', platforms: ['aws'], stacks: ['odd'] },
      ],
    }, 'flowchart LR\n');
    expect(md).toContain('| `` odd/Web \\| v2 `x` `` | aws · odd |');
    expect(md).toContain('| `` odd/Web \\| v2 `x` `` | `odd/Db` | tcp/5432 |');
  });

  test('the command writes the three files into --out', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-report-'));
    try {
      const run = await runCli('report', path.join(__dirname, '..', 'fixtures', 'aws-sg'), '--out', out);
      expect(run.code).toBe(0);
      expect(fs.readdirSync(out).sort()).toEqual(['flows.mmd', 'matrix.html', 'report.md']);
      expect(parseMermaid(fs.readFileSync(path.join(out, 'flows.mmd'), 'utf8')).ok).toBe(true);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  test('GIVEN --out under a regular file WHEN the report is written THEN one line names --out and the reason, exit 2', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-report-'));
    try {
      const file = path.join(dir, 'plain-file');
      fs.writeFileSync(file, '');
      const out = path.join(file, 'report');
      const run = await runCli('report', path.join(__dirname, '..', 'fixtures', 'aws-sg'), '--out', out);
      expect(run).toEqual({ code: 2, stdout: '', stderr: `microseg: cannot write --out DIR "${out}": not a directory (ENOTDIR)\n` });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
