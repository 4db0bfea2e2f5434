import { runCli } from './run-cli';
import { fixtureDir } from '../verify/fixtures';

describe('microseg matrix', () => {
  test('prints the segment-to-segment table of allowed ports', async () => {
    const run = await runCli('matrix', fixtureDir('aws-sg'));
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0].split(/\s{2,}/)).toEqual(['from \\ to', 'app/Admins', 'app/Api', 'app/Db', 'app/Web', 'pl-0123abcd']);
    expect(lines.find((line) => line.startsWith('app/Api '))!.split(/\s{2,}/)).toEqual(['app/Api', '-', '-', 'tcp/5432,icmp/8', '-', 'tcp/443']);
    expect(lines.find((line) => line.startsWith('app/Web '))!.split(/\s{2,}/)).toEqual(['app/Web', '-', 'tcp/8080', '-', '-', '-']);
    expect(lines.find((line) => line.startsWith('0.0.0.0/0'))!.split(/\s{2,}/)).toEqual(['0.0.0.0/0', 'unenforced', '-', '-', 'tcp/443']);
  });

  test('--json lists rows, columns and cells, ranges compressed', async () => {
    const run = await runCli('matrix', fixtureDir('azure-nsg'), '--json');
    expect(run.code).toBe(0);
    const matrix = JSON.parse(run.stdout);
    expect(matrix.rows.slice(0, 2)).toEqual(['az/Db', 'az/Web']);
    const webToDb = matrix.cells.find((cell: { from: string; to: string }) => cell.from === 'az/Web' && cell.to === 'az/Db');
    expect(webToDb).toEqual({ from: 'az/Web', to: 'az/Db', allowed: ['tcp/5432'], enforced: true });
  });

  test('a missing directory prints one line and exits 2', async () => {
    const run = await runCli('matrix', '/no/such/cdktf.out');
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'microseg: no such file or directory: /no/such/cdktf.out\n' });
  });
});
