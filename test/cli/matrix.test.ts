import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from './run-cli';
import { main } from '../../lib/cli/main';
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

  test('a JSON file that is not a Terraform stack (cdktf.json beside cdktf.out) prints one line and exits 2, never an empty matrix', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-')), 'cdktf.json');
    fs.writeFileSync(file, JSON.stringify({ language: 'typescript', app: 'npx ts-node main.ts' }));
    for (const args of [['matrix', file], ['query', file, '--from', '10.0.0.1', '--to', '10.0.0.2', '--port', 'tcp/22']]) {
      const run = await runCli(...args);
      expect(run).toEqual({ code: 2, stdout: '', stderr: `microseg: ${file} is not a Terraform stack: its JSON has only "language", "app" and none of "resource", "terraform" or "//". Give the directory cdktf synth writes (cdktf.out), or a stack's cdk.tf.json.\n` });
    }
  });

  test('`microseg help <command>` prints that command\'s help and exits 0, as --help does', async () => {
    const run = await runCli('help', 'query');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: microseg query');
  });
});

describe('microseg matrix for people', () => {
  const aws = fixtureDir('aws-sg');

  test('--from and --to keep the named sources and destinations only', async () => {
    const run = await runCli('matrix', aws, '--from', 'app/Api', '--to', 'app/Db', 'pl-*');
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n').map((line) => line.split(/\s{2,}/))).toEqual([
      ['from \\ to', 'app/Db', 'pl-0123abcd'],
      ['app/Api', 'tcp/5432,icmp/8', 'tcp/443'],
    ]);
  });

  test('--segment keeps those segments on both sides (patterns allowed), --stack the segments of a stack', async () => {
    const run = await runCli('matrix', aws, '--segment', 'app/W*', 'app/Api', '--json');
    const matrix = JSON.parse(run.stdout);
    expect([matrix.rows, matrix.columns]).toEqual([['app/Api', 'app/Web', '0.0.0.0/0', 'pl-0123abcd'], ['app/Api', 'app/Web', 'pl-0123abcd']]);
    const all = JSON.parse((await runCli('matrix', aws, '--json')).stdout);
    const stack = all.endpoints.find((endpoint: any) => endpoint.name === 'app/Web').stacks[0];
    expect(JSON.parse((await runCli('matrix', aws, '--stack', stack, '--json')).stdout).rows).toEqual(all.rows);
  });

  test('GIVEN the internet may reach app/Web WHEN the matrix is filtered by --segment app/Web THEN the 0.0.0.0/0 and prefix-list rows stay', async () => {
    const run = await runCli('matrix', aws, '--segment', 'app/Web');
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n').map((line) => line.split(/\s{2,}/))).toEqual([
      ['from \\ to', 'app/Web'],
      ['app/Web', '-'],
      ['0.0.0.0/0', 'tcp/443'],
      ['pl-0123abcd', 'tcp/443'],
    ]);
  });

  test('GIVEN filters that match nothing WHEN the matrix is asked for THEN one line names the filter and value (with the known stacks and platforms) and the exit code is 2', async () => {
    const all = JSON.parse((await runCli('matrix', aws, '--json')).stdout);
    const stacks = [...new Set(all.endpoints.flatMap((endpoint: any) => endpoint.stacks))].sort().join(', ');
    expect(await runCli('matrix', aws, '--stack', 'nope')).toEqual({ code: 2, stdout: '', stderr: `microseg: --stack "nope" matches no stack; known: ${stacks}\n` });
    expect(await runCli('matrix', aws, '--platform', 'gcp')).toEqual({ code: 2, stdout: '', stderr: 'microseg: --platform "gcp" matches no platform of the segments; known: aws\n' });
    expect(await runCli('matrix', aws, '--from', 'app/Nope')).toEqual({ code: 2, stdout: '', stderr: 'microseg: --from "app/Nope" matches no segment or external peer\n' });
    expect(await runCli('matrix', aws, '--to', 'app/Db', 'nope/*')).toEqual({ code: 2, stdout: '', stderr: 'microseg: --to "nope/*" matches no segment or external peer\n' });
    expect(await runCli('matrix', aws, '--segment', 'zzz')).toEqual({ code: 2, stdout: '', stderr: 'microseg: --segment "zzz" matches no segment\n' });
  });

  test('on a narrow terminal the table is split and shortened to fit; --json keeps full names', async () => {
    let stdout = '';
    const io = { stdout: (text: string) => { stdout += text; }, stderr: () => undefined, columns: 40 };
    expect(await main(['matrix', aws], io)).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.filter((line) => line.length > 40)).toEqual([]);
    // every column still appears in one of the tables, every row in each
    const headers = lines.filter((line) => line.startsWith('from \\ to')).flatMap((line) => line.split(/\s{2,}/).slice(1));
    expect(headers).toEqual(['app/Admins', 'app/Api', 'app/Db', 'app/Web', 'pl-0123abcd']);
    expect(lines.filter((line) => line.startsWith('app/Api ')).length).toBe(lines.filter((line) => line.startsWith('from \\ to')).length);
  });

  test('a progress line on a terminal only', async () => {
    let stderr = '';
    const io = { stdout: () => undefined, stderr: (text: string) => { stderr += text; }, stderrIsTerminal: true };
    expect(await main(['matrix', aws], io)).toBe(0);
    expect(stderr).toContain('microseg matrix: computing cells: ');
    expect(stderr.endsWith('\r\u001b[K')).toBe(true);
    stderr = '';
    expect(await main(['matrix', aws, '--json'], io)).toBe(0);
    expect(stderr).toBe('');
  });
});

describe('options that take several values', () => {
  test('GIVEN --vnet before the directories WHEN the directories are swallowed THEN the message says why and how to write it', async () => {
    const run = await runCli('diff', '--vnet', '10.9.0.0/16', 'before.out', 'after.out');
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("microseg: missing required argument 'before' (an option that takes several values, such as --vnet or --stack, takes every word after it: put such options after the directories, or end their values with --)\n");
  });

  test('GIVEN --stack before the directory, its values ended with -- THEN the directory is read', async () => {
    const run = await runCli('matrix', '--stack', 'app', '--', fixtureDir('aws-sg'));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('app/Api');
  });
});
