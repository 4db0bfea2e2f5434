import { runCli } from './run-cli';
import { main } from '../../lib/cli/main';
import { fixtureDir } from '../verify/fixtures';

const aws = fixtureDir('aws-sg');

describe('microseg query', () => {
  test('an allowed flow exits 0 and prints a short verdict: the outcome line first, then the flows', async () => {
    const run = await runCli('query', aws, '--from', 'app/Web', '--to', 'app/Api', '--port', 'tcp/8080');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n')).toEqual([
      'ALLOWED: app/Web -> app/Api on tcp/8080',
      '  by flows app/Api/AllowFromWeb; 2 enforcement points pass it (--explain for each)',
      '',
    ]);
  });

  test('--explain adds every enforcement point with its reason and deciding rules', async () => {
    const run = await runCli('query', aws, '--from', 'app/Web', '--to', 'app/Api', '--port', 'tcp/8080', '--explain');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('ALLOWED: app/Web -> app/Api on tcp/8080');
    expect(run.stdout).toContain('aws_vpc_security_group_egress_rule.web_out_8080_api');
  });

  test('a denied flow exits 1 and names where it stops; --explain says why', async () => {
    const run = await runCli('query', aws, '--from', 'app/Web', '--to', 'app/Db', '--port', 'tcp/5432');
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')).toEqual([
      'DENIED: app/Web -> app/Db on tcp/5432',
      '  stopped at egress of app/Web [aws-security-group, denied]; ingress of app/Db [aws-security-group, denied] (--explain for the reasons and rules)',
      '',
    ]);
    const explained = await runCli('query', aws, '--from', 'app/Web', '--to', 'app/Db', '--port', 'tcp/5432', '--explain');
    expect(explained.stdout).toContain('security groups deny by default');
  });

  test('GIVEN a flow from the internet that one enforcement point decides WHEN queried THEN the count is singular', async () => {
    const run = await runCli('query', aws, '--from', '0.0.0.0/0', '--to', 'app/Web', '--port', 'tcp/443');
    expect(run.stdout.split('\n')[1]).toBe('  by flows app/Web/AllowFromAnyIpv4; 1 enforcement point passes it (--explain for each)');
  });

  test('GIVEN a port range only part of which is allowed WHEN queried THEN the verdict line says which traffic passes', async () => {
    const run = await runCli('query', aws, '--from', 'app/Api', '--to', 'app/Db', '--port', 'tcp/5432-5433');
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')).toEqual([
      'PARTLY DENIED: app/Api -> app/Db on tcp/5432-5433; only tcp/5432 passes',
      '  the rest stopped at egress of app/Api [aws-security-group, denied]; ingress of app/Db [aws-security-group, denied] (--explain for the reasons and rules)',
      '',
    ]);
  });

  test('on a terminal the lines fit its width, wrapped under their indentation', async () => {
    let stdout = '';
    const io = { stdout: (text: string) => { stdout += text; }, stderr: () => undefined, columns: 60 };
    expect(await main(['query', aws, '--from', 'app/Web', '--to', 'app/Db', '--port', 'tcp/5432', '--explain'], io)).toBe(1);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.filter((line) => line.length > 60)).toEqual([]);
    expect(lines[0]).toBe('DENIED: app/Web -> app/Db on tcp/5432');
    // nothing is lost: the words are the same as without a width
    const wide = (await runCli('query', aws, '--from', 'app/Web', '--to', 'app/Db', '--port', 'tcp/5432', '--explain')).stdout;
    expect(lines.join(' ').split(/\s+/).join(' ')).toBe(wide.trimEnd().split(/\s+/).join(' '));
  });

  test('--json prints a machine-readable verdict', async () => {
    const run = await runCli('query', aws, '--from', '198.51.100.4', '--to', 'app/WebVm', '--port', 'tcp/443', '--json');
    expect(run.code).toBe(0);
    const verdict = JSON.parse(run.stdout);
    expect(verdict).toMatchObject({ from: '198.51.100.4', to: 'app/WebVm', port: 'tcp/443', allowed: true, denied: false });
    expect(verdict.layers[0]).toMatchObject({
      layer: 'aws-security-group',
      point: 'ingress of app/WebVm',
      status: 'allowed',
      passing: ['tcp/443'],
      decidingRules: [{ address: 'aws_vpc_security_group_ingress_rule.web_in_https_any', flows: ['app/Web/AllowFromAnyIpv4'] }],
    });
  });

  test('--ephemeral-ports changes the return range network ACLs must pass', async () => {
    const args = ['query', fixtureDir('aws-nacl'), '--from', 'aws_instance.web1', '--to', 'aws_instance.db1', '--port', 'tcp/5432'];
    expect((await runCli(...args)).code).toBe(1);
    expect((await runCli(...args, '--ephemeral-ports', '32768-49999')).code).toBe(0);
  });

  test.each([
    [['query', '/no/such/dir', '--from', 'a', '--to', 'b', '--port', 'tcp/1'], 'microseg: no such file or directory: /no/such/dir'],
    [['query', aws, '--from', 'app/Nope', '--to', 'app/Db', '--port', 'tcp/5432'], 'microseg: unknown endpoint "app/Nope"'],
    [['query', aws, '--from', 'app/Web', '--to', 'app/Db', '--port', 'tcp/99999'], 'microseg: port "tcp/99999" is not valid'],
    [['query', aws, '--from', 'app/Web', '--to', 'app/Db', '--port', 'http'], 'microseg: port "http" is not valid'],
    [['query', aws, '--from', 'app/Web', '--to', 'app/Db'], "microseg: required option '--port <port>' not specified"],
    [['query', aws, '--from', 'app/Web', '--to', 'app/Db', '--port', 'tcp/1', '--ephemeral-ports', 'x'], 'microseg: --ephemeral-ports "x"'],
    [['query', aws, '--from', 'app/Web', '--to', 'app/Db', '--port', 'tcp/1', '--ephemeral-ports', '60999-32768'], 'microseg: --ephemeral-ports "60999-32768" is not a port range'],
    [['query', aws, '--from', 'app/Web', '--to', 'app/Db', '--port', 'tcp/1', '--ephemeral-ports', '1024-70000'], 'microseg: --ephemeral-ports "1024-70000" is not a port range'],
    [['query', __dirname, '--from', 'a', '--to', 'b', '--port', 'tcp/1'], 'microseg: no stacks found in'],
    [['frobnicate'], "microseg: unknown command 'frobnicate'"],
  ])('bad input %j prints one line and exits 2', async (args, message) => {
    const run = await runCli(...args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.startsWith(message)).toBe(true);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).not.toMatch(/\s+at\s/);
  });
});
