import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { AllowFlow, AwsBinding, AwsEnforcement, DenyFlow, Peer, Port, Workload } from '../../lib';
import { HostBinding, HostFirewall, HostFirewallEnforcement, HostFirewallFlavor } from '../../lib/host';
import { evaluate, formatVerdict, loadTerraformStacks } from '../../lib/verify';
import { awsStack, instance, newApp, synthApp } from '../helpers';
import { INTENDED, PROBED_PORTS, SERVERS, hostEstate, ruleSetFiles } from './estate';

function verdicts(flavor: HostFirewallFlavor) {
  const { app } = hostEstate(flavor);
  const out = synthApp(app);
  const model = loadTerraformStacks({ estate: out.estate.json });
  return { out, model };
}

describe('host firewall rule sets', () => {
  test('the evaluator reads every server\'s rule set and agrees with the intent on every pair', () => {
    // GIVEN the demo estate of four Linux servers with nftables
    const { model } = verdicts(HostFirewallFlavor.NFTABLES);
    // WHEN every pair and probed port is evaluated
    const mismatches: string[] = [];
    for (const [from] of SERVERS) {
      for (const [to] of SERVERS) {
        if (from === to) continue;
        for (const port of PROBED_PORTS) {
          const verdict = evaluate(model, { from: `estate/${from}`, to: `estate/${to}`, port });
          const intended = INTENDED.has(`${from}>${to} ${port}`);
          if (verdict.allowed !== intended || verdict.denied === intended) mismatches.push(`${from}>${to} ${port}: ${formatVerdict(verdict)}`);
        }
      }
    }
    // THEN the host layer says what the program intends, allowed and denied, never unknown
    expect(mismatches).toEqual([]);
  });

  test('a host-level denial is explained by the DenyFlow at the source\'s output chain', () => {
    // GIVEN the demo estate
    const { model } = verdicts(HostFirewallFlavor.NFTABLES);
    // WHEN Web to Db on Postgres is asked
    const verdict = evaluate(model, { from: 'estate/Web', to: 'estate/Db', port: 'tcp/5432' });
    // THEN the output chain of Web drops it by the DenyFlow's rule, and Db's input chain too
    expect(verdict.denied).toBe(true);
    const points = verdict.layers.filter((point) => point.layer === 'host-firewall');
    expect(points.map((point) => [point.point, point.status])).toEqual([
      ['output of the nftables host firewall of estate/Web', 'denied'],
      ['input of the nftables host firewall of estate/Db', 'denied'],
    ]);
    expect(points[0].decidingRules[0].guardrails).toEqual(['estate/NoWebToDb']);
    expect(points[0].reason).toContain('drops tcp/5432 to estate/Db');
  });

  test('files delivery: one rule set file per server in the stack\'s output directory, equal to the carried rule set', () => {
    // GIVEN the demo estate synthesized by the app
    const { app } = hostEstate();
    const json = synthApp(app).estate.json;
    // WHEN the stack's host-firewall folder is read
    const folder = path.join(app.outdir, 'stacks', 'estate', 'host-firewall');
    const written = Object.fromEntries(fs.readdirSync(folder).sort().map((name) => [name, fs.readFileSync(path.join(folder, name), 'utf8')]));
    // THEN it holds exactly the rule sets the terraform_data resources carry (their output is the resolved copy)
    expect(written).toEqual(ruleSetFiles(json));
    expect(Object.keys(written)).toHaveLength(4);
    expect(Object.keys(json.output).sort()).toEqual(['App', 'Db', 'Mon', 'Web'].map((name) => expect.stringMatching(new RegExp(`^microseg_host_estate_${name}_[0-9a-f]{8}$`))));
  });

  test('nftables rule sets parse with nft -c', () => {
    // GIVEN the rule set files of the demo estate
    const files = ruleSetFiles(verdicts(HostFirewallFlavor.NFTABLES).out.estate.json);
    expect(Object.keys(files).sort()).toEqual(['App', 'Db', 'Mon', 'Web'].map((name) => expect.stringMatching(new RegExp(`^estate-${name}-[0-9a-f]{8}\\.nft$`))));
    // WHEN nft checks each one / THEN it accepts it
    for (const [name, content] of Object.entries(files)) {
      expect([name, check('nft', ['-c', '-f', write(name, content)])]).toEqual([name, '']);
    }
  });

  test('iptables rule sets parse with iptables-restore --test and ip6tables-restore --test', () => {
    const files = ruleSetFiles(verdicts(HostFirewallFlavor.IPTABLES).out.estate.json);
    expect(Object.keys(files).filter((name) => name.endsWith('.rules.v4'))).toHaveLength(4);
    expect(Object.keys(files).filter((name) => name.endsWith('.rules.v6'))).toHaveLength(4);
    expect(Object.keys(files).filter((name) => name.endsWith('.load.sh'))).toHaveLength(4);
    for (const [name, content] of Object.entries(files)) {
      const tool = name.endsWith('.v4') ? 'iptables-restore' : name.endsWith('.v6') ? 'ip6tables-restore' : 'sh';
      expect([name, check(tool, tool === 'sh' ? ['-n', write(name, content)] : ['--test', write(name, content)])]).toEqual([name, '']);
    }
  });

  test('iptables files come with their loader: it loads both from its own folder and makes INPUT and OUTPUT jump to the library\'s chains', () => {
    const files = ruleSetFiles(verdicts(HostFirewallFlavor.IPTABLES).out.estate.json);
    const [name, loader] = Object.entries(files).find(([file]) => file.startsWith('estate-Web-') && file.endsWith('.load.sh'))!;
    const base = name.replace(/\.load\.sh$/, '');
    expect(loader.split('\n')).toEqual([
      '#!/bin/sh', 'set -eu', 'here=$(dirname "$0")',
      `iptables-restore --test --noflush < "$here/${base}.rules.v4"`, `ip6tables-restore --test --noflush < "$here/${base}.rules.v6"`,
      `iptables-restore --noflush < "$here/${base}.rules.v4"`, `ip6tables-restore --noflush < "$here/${base}.rules.v6"`,
      'iptables -C INPUT -j MICROSEG-IN 2>/dev/null || iptables -I INPUT 1 -j MICROSEG-IN',
      'iptables -C OUTPUT -j MICROSEG-OUT 2>/dev/null || iptables -I OUTPUT 1 -j MICROSEG-OUT',
      'ip6tables -C INPUT -j MICROSEG-IN 2>/dev/null || ip6tables -I INPUT 1 -j MICROSEG-IN',
      'ip6tables -C OUTPUT -j MICROSEG-OUT 2>/dev/null || ip6tables -I OUTPUT 1 -j MICROSEG-OUT',
      '',
    ]);
  });

  test('IPv6 peers get ip6 rules (nftables) and the v6 file (iptables), and both parse', () => {
    // GIVEN a dual-stack server reached from an IPv6 client and an IPv4 client, and denied to an IPv6 range
    for (const flavor of [HostFirewallFlavor.NFTABLES, HostFirewallFlavor.IPTABLES]) {
      const app = newApp();
      const stack = new TerraformStack(app, 'six');
      const server = new Workload(stack, 'Server', { binding: HostBinding.linux(['10.6.0.5', '2001:db8::5'], { flavor }) });
      new AllowFlow(stack, 'V6Clients', { from: Peer.ipv6('2001:db8:1::/64'), to: server, ports: [Port.HTTPS, Port.icmpv6(128)] });
      new AllowFlow(stack, 'V4Clients', { from: Peer.ipv4('10.7.0.0/16'), to: server, ports: [Port.HTTPS] });
      new DenyFlow(stack, 'NoLegacy', { from: server, to: Peer.ipv6('2001:db8:dead::/48') });
      // WHEN
      const files = ruleSetFiles(synthApp(app).six.json);
      // THEN
      const text = Object.values(files).join('\n');
      if (flavor === HostFirewallFlavor.NFTABLES) {
        expect(text).toContain('ip6 saddr 2001:db8:1::/64 tcp dport 443 accept');
        expect(text).toContain('ip6 saddr 2001:db8:1::/64 icmpv6 type 128 accept');
        expect(text).toContain('ip saddr 10.7.0.0/16 tcp dport 443 accept');
        expect(text).toContain('ip6 daddr 2001:db8:dead::/48 drop');
        // neighbour and multicast listener discovery, which IPv6 needs to work at all, in both chains
        expect(text.split('\n').filter((line) => line.includes('mld2-listener-report') && line.includes('nd-neighbor-solicit'))).toHaveLength(2);
        const [name, content] = Object.entries(files)[0];
        expect(check('nft', ['-c', '-f', write(name, content)])).toBe('');
      } else {
        const v6 = Object.entries(files).find(([name]) => name.endsWith('.v6'))!;
        const v4 = Object.entries(files).find(([name]) => name.endsWith('.v4'))!;
        expect(v6[1]).toContain('-A MICROSEG-IN -s 2001:db8:1::/64 -p tcp --dport 443');
        expect(v6[1]).toContain('-A MICROSEG-OUT -d 2001:db8:dead::/48 -m comment');
        expect(v4[1].split('\n').filter((line) => line.startsWith('-A') && line.includes('2001:db8'))).toEqual([]);
        // each file's header lists the rules it holds, numbered as its lines' comments, and no rule of the other family
        for (const [[, content], own, other] of [[v4, '10.7.0.0/16', '2001:db8'], [v6, '2001:db8:dead::/48', '10.7.0.0/16']] as const) {
          const header = content.split('\n').filter((line) => /^# {3}\d+\. /.test(line));
          expect(header.some((line) => line.includes(own))).toBe(true);
          expect(header.filter((line) => line.includes(other))).toEqual([]);
          const listed = header.map((line) => Number(/^# {3}(\d+)\./.exec(line)![1]));
          const commented = [...new Set([...content.matchAll(/--comment "microseg (\d+) /g)].map((match) => Number(match[1])))];
          expect(listed).toEqual(commented);
        }
        for (const chain of ['MICROSEG-IN', 'MICROSEG-OUT']) {
          const types = v6[1].split('\n').filter((line) => line.startsWith(`-A ${chain} -p ipv6-icmp -m icmp6 --icmpv6-type`) && line.endsWith('-j ACCEPT'))
            .map((line) => Number(line.split(' ')[7]));
          expect(types).toEqual([130, 131, 132, 133, 134, 135, 136, 137, 143]);
        }
        expect(check('ip6tables-restore', ['--test', write(v6[0], v6[1])])).toBe('');
        expect(check('iptables-restore', ['--test', write(v4[0], v4[1])])).toBe('');
      }
    }
  });

  test('SCTP allows and denies are written, not dropped (nftables, iptables), and both parse', () => {
    // GIVEN a DenyFlow on one SCTP port inside an all-traffic flow, and SCTP flows back
    for (const flavor of [HostFirewallFlavor.NFTABLES, HostFirewallFlavor.IPTABLES]) {
      const app = newApp();
      const stack = new TerraformStack(app, 'sctp');
      const a = new Workload(stack, 'A', { binding: HostBinding.linux(['10.88.1.10'], { flavor }) });
      const b = new Workload(stack, 'B', { binding: HostBinding.linux(['10.88.2.11'], { flavor }) });
      new AllowFlow(stack, 'AToB', { from: a, to: b, ports: [Port.allTraffic()] });
      new DenyFlow(stack, 'NoSctp', { from: a, to: b, ports: [Port.sctp(5000)] });
      new AllowFlow(stack, 'SctpBack', { from: b, to: a, ports: [Port.sctp(5001), Port.sctpRange(6000, 6010)] });
      new AllowFlow(stack, 'AllSctpBack', { from: b, to: Peer.ipv4('10.88.9.0/24'), ports: [Port.allSctp()] });
      // WHEN
      const files = ruleSetFiles(synthApp(app).sctp.json);
      const [bName, bText] = Object.entries(files).find(([name]) => name.includes('-B-') && (name.endsWith('.v4') || name.endsWith('.nft')))!;
      // THEN B drops A's SCTP 5000 before accepting everything else from A, and sends SCTP back to A
      if (flavor === HostFirewallFlavor.NFTABLES) {
        const input = bText.split('\n').filter((line) => line.includes('10.88.1.10') && !line.trim().startsWith('#'));
        expect(input.findIndex((line) => line.includes('sctp dport 5000 drop'))).toBeGreaterThanOrEqual(0);
        expect(input.findIndex((line) => line.includes('sctp dport 5000 drop'))).toBeLessThan(input.findIndex((line) => line.includes('accept')));
        expect(bText).toMatch(/ip daddr 10\.88\.1\.10\/32 sctp dport \{ 5001, 6000-6010 \} accept/);
        expect(bText).toMatch(/ip daddr 10\.88\.9\.0\/24 meta l4proto sctp accept/);
        expect(check('nft', ['-c', '-f', write(bName, bText)])).toBe('');
      } else {
        expect(bText).toMatch(/-A MICROSEG-IN -s 10\.88\.1\.10\/32 -p sctp --dport 5000 .*-j DROP/);
        expect(bText).toMatch(/-A MICROSEG-OUT -d 10\.88\.1\.10\/32 -p sctp -m multiport --dports 5001,6000:6010 .*-j ACCEPT/);
        expect(check('iptables-restore', ['--test', write(bName, bText)])).toBe('');
      }
    }
  });

  test('on Windows, every SCTP port is protocol 132, and SCTP ports are a synth error naming the flow', () => {
    const app = newApp();
    const stack = new TerraformStack(app, 'winsctp');
    const server = new Workload(stack, 'Server', { binding: HostBinding.windows(['10.1.0.5']) });
    const client = new Workload(stack, 'Client', { addresses: ['10.1.0.6'] });
    new AllowFlow(stack, 'AllSctp', { from: client, to: server, ports: [Port.allSctp()] });
    const script = Object.values(ruleSetFiles(synthApp(app).winsctp.json))[0];
    expect(script).toContain("-Direction Inbound -Action Allow -Protocol 132 -RemoteAddress '10.1.0.6/32'");

    const bad = newApp();
    const badStack = new TerraformStack(bad, 'winsctp');
    const badServer = new Workload(badStack, 'Server', { binding: HostBinding.windows(['10.1.0.5']) });
    new AllowFlow(badStack, 'OneSctpPort', { from: new Workload(badStack, 'Client', { addresses: ['10.1.0.6'] }), to: badServer, ports: [Port.sctp(5000)] });
    expect(() => synthApp(bad)).toThrow("AllowFlow 'winsctp/OneSctpPort''s sctp/5000 cannot be written there. Use Port.allSctp()");
  });

  test('the Windows script blocks by default and adds one New-NetFirewallRule per rule and protocol, quoting every value', () => {
    // GIVEN a Windows server with an allowed and a denied flow (no PowerShell parser installs here: structural checks)
    const app = newApp();
    const stack = awsStack(app, 'win');
    const sql = new Workload(stack, 'Sql', { binding: HostBinding.windows(['10.1.0.5']) });
    const app1 = new Workload(stack, 'App', { addresses: ['10.1.0.6'] });
    new AllowFlow(stack, 'AppToSql', { from: app1, to: sql, ports: [Port.MSSQL, Port.icmp(8, 0)], description: "it's $(rm -rf /) `x` \"q\"" });
    const files = ruleSetFiles(synthApp(app).win.json);
    const script = Object.values(files)[0];
    // THEN
    expect(Object.keys(files)).toEqual([expect.stringMatching(/^win-Sql-[0-9a-f]{8}\.ps1$/)]);
    const commands = script.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    expect(commands).toEqual([
      "$ErrorActionPreference = 'Stop'",
      "$generation = [DateTime]::UtcNow.ToString('yyyyMMddHHmmssfff')",
      'New-NetFirewallRule -Group \'microseg\' -Name "microseg-$generation-001-1" -DisplayName \'microseg 001-1 it_s _(rm -rf /) _x_ _q_\' -Direction Inbound -Action Allow -Protocol TCP -LocalPort \'1433\' -RemoteAddress \'10.1.0.6/32\' -Description \'win/AppToSql\' | Out-Null',
      'New-NetFirewallRule -Group \'microseg\' -Name "microseg-$generation-001-2" -DisplayName \'microseg 001-2 it_s _(rm -rf /) _x_ _q_\' -Direction Inbound -Action Allow -Protocol ICMPv4 -IcmpType \'8:0\' -RemoteAddress \'10.1.0.6/32\' -Description \'win/AppToSql\' | Out-Null',
      '$stale = @(Get-NetFirewallRule -Group \'microseg\' -ErrorAction SilentlyContinue | Where-Object { $_.Name -notlike "microseg-$generation-*" })',
      'if ($stale.Count -gt 0) { $stale | Remove-NetFirewallRule }',
      "Set-NetFirewallProfile -Profile 'Domain','Private','Public' -Enabled True -DefaultInboundAction Block -DefaultOutboundAction Block",
    ]);
    // the new rules come before the old ones go; every quoted string is closed on its line; no $( or backtick
    expect(commands.findIndex((line) => line.startsWith('$stale = @(Get-NetFirewallRule'))).toBeGreaterThan(commands.findIndex((line) => line.startsWith('New-NetFirewallRule')));
    for (const line of commands) expect([(line.match(/'/g) ?? []).length % 2, (line.match(/"/g) ?? []).length % 2]).toEqual([0, 0]);
    expect(script).not.toMatch(/\$\(|`|\$\{/);
    // and PowerShell's grammar parses it (while it rejects a script with an unclosed string)
    const good = write('windows-rule-set.ps1', script);
    const broken = write('broken.ps1', script.replace("-Group 'microseg'", "-Group 'microseg"));
    expect(parsePowerShell(good)).toEqual({ code: 0, output: `${good}: parses\n` });
    expect(parsePowerShell(broken).code).toBe(1);
  });

  test('an AWS instance gets an SSM document and an association targeting it, its peers as Terraform expressions', () => {
    // GIVEN two instances, one with a host firewall, whose peer's address is known only at apply
    const app = newApp();
    const stack = awsStack(app, 'cloud');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    new HostFirewallEnforcement(stack, 'Host');
    const apiVm = instance(stack, 'api', { privateIp: '10.0.1.10' });
    const webVm = instance(stack, 'web');
    const api = new Workload(stack, 'Api', { binding: AwsBinding.instance(apiVm), addresses: [apiVm.privateIp] });
    const web = new Workload(stack, 'Web', { binding: AwsBinding.instance(webVm), addresses: [webVm.privateIp] });
    new AllowFlow(stack, 'WebToApi', { from: web, to: api, ports: [Port.tcp(8443)] });
    // WHEN
    const json = synthApp(app).cloud.json;
    // THEN each instance has its document and association, no instance names another
    const documents = Object.values<any>(json.resource.aws_ssm_document);
    const associations = Object.values<any>(json.resource.aws_ssm_association);
    expect(documents).toHaveLength(2);
    expect(associations.map((a) => a.targets)).toEqual(expect.arrayContaining([
      [{ key: 'InstanceIds', values: ['${aws_instance.api.id}'] }], [{ key: 'InstanceIds', values: ['${aws_instance.web.id}'] }],
    ]));
    const apiDocument = documents.find((d) => d['//'].microseg.hostFirewall.workload === 'cloud/Api');
    expect(apiDocument.document_type).toBe('Command');
    const content = JSON.parse(apiDocument.content);
    expect(content.mainSteps[0].action).toBe('aws:runShellScript');
    expect(content.mainSteps[0].inputs.runCommand).toEqual(expect.arrayContaining([
      '    ip saddr ${aws_instance.web.private_ip}/32 tcp dport 8443 accept comment "microseg 1 Web to Api tcp/8443"',
      'nft -f /etc/microseg/cloud-Api-' + apiDocument.name.slice(-8) + '.nft',
    ]));
    for (const resource of Object.values<any>(json.resource.aws_instance)) expect(resource.user_data).toBeUndefined();
    // and the evaluator resolves the expression: Web reaches Api on 8443 only
    const model = loadTerraformStacks({ cloud: json });
    expect(evaluate(model, { from: 'cloud/Web', to: 'cloud/Api', port: 'tcp/8443' }).layers.filter((l) => l.layer === 'host-firewall').map((l) => l.status))
      .toEqual(['allowed', 'allowed']);
    expect(evaluate(model, { from: 'cloud/Web', to: 'cloud/Api', port: 'tcp/22' }).denied).toBe(true);
  });

  test('a peer named by prefix list is refused: a host firewall names peers by address', () => {
    const app = Testing.app();
    const stack = awsStack(app as any, 'pl');
    const w = new Workload(stack, 'W', { binding: HostBinding.linux(['10.0.0.5']) });
    new AllowFlow(stack, 'ToS3', { from: w, to: Peer.awsPrefixList('pl-12345678'), ports: [Port.HTTPS] });
    expect(() => app.synth()).toThrow(/Workload 'pl\/W' has a host firewall, which names peers by address only, but AllowFlow 'pl\/ToS3' names Peer.awsPrefixList\("pl-12345678"\)/);
  });

  test('a per-workload HostFirewall protects only that workload', () => {
    const app = newApp();
    const stack = awsStack(app, 'one');
    new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
    const a = new Workload(stack, 'A', { binding: AwsBinding.instance(instance(stack, 'a')), addresses: ['10.0.0.1'] });
    const b = new Workload(stack, 'B', { binding: AwsBinding.instance(instance(stack, 'b')), addresses: ['10.0.0.2'] });
    new HostFirewall(stack, 'AFirewall', { workload: a, flavor: HostFirewallFlavor.IPTABLES });
    new AllowFlow(stack, 'AToB', { from: a, to: b, ports: [Port.SSH] });
    const documents = Object.values<any>(synthApp(app).one.json.resource.aws_ssm_document);
    expect(documents.map((d) => [d['//'].microseg.hostFirewall.workload, d['//'].microseg.hostFirewall.flavor])).toEqual([['one/A', 'iptables']]);
  });
});

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-host-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function write(name: string, content: string): string {
  const file = path.join(scratch, name);
  fs.writeFileSync(file, content);
  return file;
}

/** Parses PowerShell files with the PowerShell tree-sitter grammar, in a process of its own (an ES module). */
function parsePowerShell(...files: string[]): { code: number; output: string } {
  const run = spawnSync(process.execPath, [path.join(__dirname, 'powershell-parse.mjs'), ...files], { encoding: 'utf8' });
  return { code: run.status ?? -1, output: run.stdout };
}

/** Runs a checker; its error output ('' when it accepts the file). */
function check(tool: string, args: string[]): string {
  try {
    execFileSync(tool, args, { stdio: 'pipe' });
    return '';
  } catch (error: any) {
    return `${error.message}\n${error.stderr ?? ''}`;
  }
}
