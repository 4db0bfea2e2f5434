import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { hostEstate } from '../../examples/host-estate/main';
import { evaluate, loadTerraformStacks } from '../../lib/verify';
import { danglingReferences, newApp, synthApp } from '../helpers';
import { ruleSetFiles } from './estate';

describe('the host-estate example', () => {
  const app = newApp();
  hostEstate(app);
  const out = synthApp(app);
  const model = loadTerraformStacks({ 'host-estate': out['host-estate'].json });
  const verdict = (from: string, to: string, port: string) => evaluate(model, { from: `host-estate/${from}`, to: `host-estate/${to}`, port });

  test('GIVEN servers known only by address and an AWS instance with both layers THEN the declared flows pass every layer', () => {
    expect(verdict('Web1', 'Db1', 'tcp/5432').allowed).toBe(true);
    expect(verdict('Web2', 'Files1', 'tcp/445').allowed).toBe(true);
    const reports = verdict('Reports1', 'Db1', 'tcp/5432');
    expect(reports.allowed).toBe(true);
    // both layers of the instance decide: its security group and its host firewall, then the database's host firewall
    expect(reports.layers.filter((point) => point.status !== 'skipped').map((point) => point.layer)).toEqual([
      'aws-security-group', 'host-firewall', 'host-firewall',
    ]);
    expect(evaluate(model, { from: '192.0.2.7', to: 'host-estate/Web1', port: 'tcp/443' }).allowed).toBe(true);
    // a server named by its address is the same server: its host firewall decides
    expect(evaluate(model, { from: '192.0.2.7', to: '10.20.0.11', port: 'tcp/443' }).allowed).toBe(true);
    const byAddress = evaluate(model, { from: '192.0.2.7', to: '10.20.0.11', port: 'tcp/22' });
    expect([byAddress.denied, byAddress.layers.filter((point) => point.status !== 'skipped').map((point) => point.point)]).toEqual([true, ['input of the nftables host firewall of host-estate/Web1']]);
  });

  test('THEN undeclared traffic and the DenyFlow stop at the host firewalls', () => {
    expect(verdict('Web1', 'Db1', 'tcp/22').denied).toBe(true);
    expect(verdict('Web1', 'Db1', 'tcp/22').layers.find((point) => point.status === 'denied')!.decidingRules[0].guardrails).toEqual(['host-estate/NoSshIntoDb']);
    expect(verdict('Files1', 'Web1', 'tcp/445').denied).toBe(true);
    expect(verdict('Web1', 'Reports1', 'tcp/5432').denied).toBe(true);
  });

  test('THEN every rule set file parses: nft -c, iptables-restore --test, PowerShell\'s grammar', () => {
    const files = ruleSetFiles(out['host-estate'].json);
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-host-example-'));
    try {
      const checked = Object.entries(files).map(([name, content]) => {
        const file = path.join(folder, name);
        fs.writeFileSync(file, content);
        const [command, args] = name.endsWith('.nft') ? ['nft', ['-c', '-f', file]]
          : name.endsWith('.sh') ? ['sh', ['-n', file]]
            : name.endsWith('.v4') ? ['iptables-restore', ['--test', file]]
              : name.endsWith('.v6') ? ['ip6tables-restore', ['--test', file]]
                : [process.execPath, [path.join(__dirname, 'powershell-parse.mjs'), file]];
        const run = spawnSync(command, args, { encoding: 'utf8' });
        return `${name.replace(/-[0-9a-f]{8}/, '')}: ${run.status === 0 ? 'parses' : run.stderr || run.stdout}`;
      });
      expect(checked.sort()).toEqual([
        'host-estate-Db1.load.sh: parses', 'host-estate-Db1.rules.v4: parses', 'host-estate-Db1.rules.v6: parses', 'host-estate-Files1.ps1: parses',
        'host-estate-Web1.nft: parses', 'host-estate-Web2.nft: parses',
      ]);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  test('THEN the AWS instance gets its rule set through SSM and the others through files', () => {
    const json = out['host-estate'].json;
    expect(danglingReferences(json)).toEqual([]);
    expect(Object.values<any>(json.resource.aws_ssm_association).map((a) => a.targets)).toEqual([[{ key: 'InstanceIds', values: ['${aws_instance.reports.id}'] }]]);
    expect(Object.values<any>(json.resource.terraform_data).map((d) => Object.keys(d.input)[0].replace(/-[0-9a-f]{8}/, '')).sort()).toEqual([
      'host-estate-Db1.load.sh', 'host-estate-Files1.ps1', 'host-estate-Web1.nft', 'host-estate-Web2.nft',
    ]);
  });
});
