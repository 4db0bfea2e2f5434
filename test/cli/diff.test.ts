import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformStack } from 'cdktf';
import { runCli } from './run-cli';
import { awsThreeTier } from '../../examples/aws-three-tier/main';
import { AllowFlow, AwsBinding, AwsEnforcement, NsxEnforcement, Peer, Port, Segment, VsphereBinding, Workload } from '../../lib';
import { main } from '../../lib/cli/main';
import { HostBinding } from '../../lib/host';
import { awsStack, instance as ec2Instance } from '../helpers';
import { nsxStack, vm } from '../vsphere/nsx-fixtures';

/** Synthesizes the AWS three-tier example into a fresh directory, optionally changed first. */
function synthExample(change?: (stack: ReturnType<typeof awsThreeTier>) => void): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-diff-'));
  const app = new App({ outdir, stackTraces: false });
  const stack = awsThreeTier(app);
  change?.(stack);
  app.synth();
  return outdir;
}

const launcher = path.join(__dirname, '..', '..', 'bin', 'microseg');

describe('microseg diff', () => {
  let base: string;
  let opened: string;
  beforeAll(() => {
    base = synthExample();
    // the change under review: web may now reach the database directly
    opened = synthExample((stack) => stack.db.allowFrom(stack.web, Port.POSTGRES));
  });
  afterAll(() => [base, opened].forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  test('GIVEN the README recipe (base and change synthesized) WHEN microseg diff --format markdown runs THEN it exits 1 and the comment lists exactly the opened flow', () => {
    const run = spawnSync(launcher, ['diff', base, opened, '--format', 'markdown'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const lines = run.stdout.split('\n');
    const opening = lines.indexOf('### Opened (1)');
    expect(opening).toBeGreaterThan(0);
    expect(lines[opening + 4].startsWith('| `aws-three-tier/Web` | `aws-three-tier/Db` | `tcp/5432` | segment (1 workload pair) | `')).toBe(true);
    expect(lines[opening + 4]).toContain('aws-three-tier/Db/AllowFrom-aws-three-tier-Web-tcp-5432');
    expect(lines[opening + 5]).toBe('');
    expect(run.stdout).not.toContain('### Closed');
    expect(run.stdout).toMatch(/\*\*Unchanged:\*\* \d+ of \d+ segment pairs and \d+ of \d+ workload pairs compared/);
  });

  test('--json lists the opening at segment and workload level with the rules responsible after the change', async () => {
    const run = await runCli('diff', base, opened, '--json');
    expect(run.code).toBe(1);
    const diff = JSON.parse(run.stdout);
    expect(diff.closed).toEqual([]);
    expect(diff.opened.map((c: any) => [c.level, c.from, c.to, c.ports])).toEqual([
      ['segment', 'aws-three-tier/Web', 'aws-three-tier/Db', ['tcp/5432']],
      ['workload', 'aws-three-tier/web-workload', 'aws-three-tier/db-workload', ['tcp/5432']],
    ]);
    const segment = diff.opened[0];
    expect(segment.before).toEqual([]);
    expect(segment.after).toEqual(['tcp/5432']);
    expect(segment.flows).toContain('aws-three-tier/Db/AllowFrom-aws-three-tier-Web-tcp-5432');
    // the security group egress and ingress rules and the network ACL entries that now let it through
    const types = segment.rules.map((rule: any) => rule.address.split('.')[0]).sort();
    expect(types).toEqual(expect.arrayContaining(['aws_network_acl_rule', 'aws_vpc_security_group_egress_rule', 'aws_vpc_security_group_ingress_rule']));
    expect(diff.resources.added).toBeGreaterThanOrEqual(2);
  });

  test('the reverse change closes the same traffic, and the text names it', async () => {
    const run = await runCli('diff', opened, base);
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('Reachability changed: 0 segment-level and 0 workload-level openings, 1 segment-level and 1 workload-level closings.');
    expect(lines[1]).toBe('CLOSED  aws-three-tier/Web -> aws-three-tier/Db  tcp/5432 (1 workload pair)');
  });

  test('GIVEN the reverse change WHEN diffed THEN the closing says what stops it now (default deny included) and the unchanged count leaves the changed pairs out', async () => {
    const lines = (await runCli('diff', opened, base)).stdout.split('\n');
    const entry = lines.slice(2, lines.findIndex((line) => line.startsWith('unchanged:')));
    expect(entry).toEqual(expect.arrayContaining([
      '    stopped at [aws-security-group] egress of aws-three-tier/Web: no rule allows it',
      '    stopped at [aws-security-group] ingress of aws-three-tier/Db: no rule allows it',
    ]));
    expect(entry.filter((line) => line.startsWith('    stopped at [aws-network-acl] ingress of subnet aws_subnet.db-subnet (request): ')
      && line.endsWith('deny all (implicit last rule)'))).toHaveLength(1);
    const diff = JSON.parse((await runCli('diff', opened, base, '--json')).stdout);
    expect(diff.closed.map((change: any) => change.stoppedAt.length > 0)).toEqual([true, true]);
    // one segment pair and one workload pair changed: they are not counted as unchanged
    expect([diff.comparedSegmentPairs - diff.unchangedSegmentPairs, diff.comparedWorkloadPairs - diff.unchangedWorkloadPairs]).toEqual([1, 1]);
    expect(lines.find((line) => line.startsWith('unchanged:'))).toContain(`unchanged: ${diff.unchangedSegmentPairs} of ${diff.comparedSegmentPairs} segment pairs and `);
  });

  test('the same app twice: exit 0, reachability unchanged', async () => {
    const again = synthExample();
    try {
      const run = await runCli('diff', base, again);
      expect(run.code).toBe(0);
      expect(run.stdout.split('\n')[0]).toBe('Reachability unchanged.');
    } finally {
      fs.rmSync(again, { recursive: true, force: true });
    }
  });

  test('a changed resource that does not change reachability is counted, not listed', async () => {
    const described = synthExample();
    const json = path.join(described, 'stacks', 'aws-three-tier', 'cdk.tf.json');
    const stackJson = JSON.parse(fs.readFileSync(json, 'utf8'));
    const instance = Object.values<any>(stackJson.resource.aws_instance)[0];
    instance.instance_type = 't3.large';
    fs.writeFileSync(json, JSON.stringify(stackJson));
    try {
      const run = await runCli('diff', base, described, '--json');
      expect(run.code).toBe(0);
      const diff = JSON.parse(run.stdout);
      expect([diff.opened, diff.closed]).toEqual([[], []]);
      expect(diff.resources).toMatchObject({ added: 0, removed: 0, modified: 1, byType: { aws_instance: { added: 0, removed: 0, modified: 1 } } });
      const text = (await runCli('diff', base, described)).stdout.trimEnd().split('\n');
      expect(text[0]).toBe('Reachability unchanged.');
      expect(text[text.length - 1]).toBe('  changed resources by type: aws_instance 1 modified');
      expect(text[text.length - 2]).toMatch(/; 1 resource changed \(0 added, 0 removed, 1 modified\)$/);
    } finally {
      fs.rmSync(described, { recursive: true, force: true });
    }
  });

  test.each([
    [['diff', '/no/such/dir', '/no/such/other'], 'microseg: no such file or directory: /no/such/dir'],
    [['diff', __dirname, __dirname], 'microseg: no stacks found in'],
  ])('bad input %j exits 2 with one line', async (args, message) => {
    const run = await runCli(...args);
    expect(run.code).toBe(2);
    expect(run.stderr.startsWith(message)).toBe(true);
  });

  test('a progress line on a terminal, none with --json or when piped', async () => {
    let stderr = '';
    const tty = { stdout: () => undefined, stderr: (text: string) => { stderr += text; }, stderrIsTerminal: true };
    expect(await main(['diff', base, opened], tty)).toBe(1);
    expect(stderr).toMatch(/microseg diff: comparing pairs: \d+\/\d+ \(100%\)/);
    stderr = '';
    expect(await main(['diff', base, opened, '--json'], tty)).toBe(1);
    expect(stderr).toBe('');
    expect((await runCli('diff', base, opened)).stderr).toBe('');
  });
});

describe('microseg diff on NSX: the CIDRs the rules name through address groups are compared', () => {
  /** An NSX estate: S0 with VM W0 accepts HTTPS from `admin`; synthesized into a fresh directory. */
  function synthNsx(admin: string, egress?: string): string {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-diff-nsx-'));
    const app = new App({ outdir, stackTraces: false });
    const stack = nsxStack(app, 'dc');
    new NsxEnforcement(stack, 'Nsx');
    const s0 = new Segment(stack, 'S0', { selector: { tier: 's0' } });
    new Workload(stack, 'W0', { binding: VsphereBinding.virtualMachine(vm(stack, 'w0-vm')), labels: { tier: 's0' } });
    s0.allowFrom(Peer.ipv4(admin), Port.HTTPS);
    if (egress) s0.allowTo(Peer.ipv4(egress), Port.tcp(8443));
    app.synth();
    return outdir;
  }

  test('GIVEN the admin CIDR moved and an egress to a CIDR added WHEN diffed THEN each change is listed, at segment and workload level', async () => {
    const before = synthNsx('203.0.113.0/24');
    const after = synthNsx('198.51.100.0/24', '192.0.2.0/24');
    const run = await runCli('diff', before, after, '--json');
    expect(run.code).toBe(1);
    const diff = JSON.parse(run.stdout);
    const listed = (changes: any[]) => changes.map((c: any) => `${c.level} ${c.from} -> ${c.to} ${c.ports.join(',')}`).sort();
    expect(listed(diff.opened)).toEqual([
      'segment 198.51.100.0/24 -> dc/S0 tcp/443',
      'segment dc/S0 -> 192.0.2.0/24 tcp/8443',
      'workload 198.51.100.0/24 -> dc/W0 tcp/443',
      'workload dc/W0 -> 192.0.2.0/24 tcp/8443',
    ]);
    expect(listed(diff.closed)).toEqual([
      'segment 203.0.113.0/24 -> dc/S0 tcp/443',
      'workload 203.0.113.0/24 -> dc/W0 tcp/443',
    ]);
  });
});

describe('microseg diff on host firewalls: the CIDRs the rule sets name are compared', () => {
  /** Two Linux hosts with host firewalls; Web accepts HTTPS from `partner`. */
  function synthHosts(partner: string, egress?: string): string {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-diff-host-'));
    const app = new App({ outdir, stackTraces: false });
    const stack = new TerraformStack(app, 'dc');
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    new Workload(stack, 'Web1', { binding: HostBinding.linux(['10.20.0.11']), labels: { tier: 'web' } });
    web.allowFrom(Peer.ipv4(partner), Port.HTTPS);
    if (egress) web.allowTo(Peer.ipv4(egress), Port.tcp(8443));
    app.synth();
    return outdir;
  }

  test('GIVEN the partner CIDR moved and an egress to a CIDR added WHEN diffed THEN each change is listed for the host', async () => {
    const run = await runCli('diff', synthHosts('192.0.2.0/24'), synthHosts('203.0.113.0/24', '198.51.100.0/24'), '--json');
    expect(run.code).toBe(1);
    const diff = JSON.parse(run.stdout);
    const listed = (changes: any[]) => changes.filter((c: any) => c.level === 'workload').map((c: any) => `${c.from} -> ${c.to} ${c.ports.join(',')}`).sort();
    expect(listed(diff.opened)).toEqual(['203.0.113.0/24 -> dc/Web1 tcp/443', 'dc/Web1 -> 198.51.100.0/24 tcp/8443']);
    expect(listed(diff.closed)).toEqual(['192.0.2.0/24 -> dc/Web1 tcp/443']);
  });
});

describe('microseg diff --format markdown and names that Markdown would misread', () => {
  test('GIVEN segments named with a backtick and a line break WHEN a flow between them opens THEN each row stays one table row and shows the names as they are', async () => {
    const synth = (withFlow: boolean) => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-diff-md-'));
      const app = new App({ outdir, stackTraces: false });
      const stack = awsStack(app, 'm');
      new AwsEnforcement(stack, 'Aws', { vpcId: 'vpc-0123' });
      const tick = new Segment(stack, 'Tick`Seg', { selector: { tier: 'tick' } });
      const line = new Segment(stack, 'Line\nBreak', { selector: { tier: 'line' } });
      new Workload(stack, 'T', { binding: AwsBinding.instance(ec2Instance(stack, 't')), labels: { tier: 'tick' } });
      new Workload(stack, 'L', { binding: AwsBinding.instance(ec2Instance(stack, 'l')), labels: { tier: 'line' } });
      if (withFlow) line.allowFrom(tick, Port.SSH);
      app.synth();
      return outdir;
    };
    const run = await runCli('diff', synth(false), synth(true), '--format', 'markdown');
    expect(run.code).toBe(1);
    const rows = run.stdout.split('\n').filter((l) => l.startsWith('| ``m/Tick`Seg``'));
    expect(rows).toEqual([expect.stringMatching(/^\| ``m\/Tick`Seg`` \| `m\/Line\\nBreak` \| `tcp\/22` \| segment \(1 workload pair\) \| .* \|$/)]);
    // no line of the table is a fragment of a row
    const lines = run.stdout.split('\n');
    const start = lines.indexOf('### Opened (1)') + 2;
    const table = lines.slice(start, lines.indexOf('', start));
    expect(table.length).toBe(3);
    for (const l of table) expect(l).toMatch(/^\|.*\|$/);
  });
});

describe('microseg diff and traffic that drops while the change applies', () => {
  /** NSX segments Web and Db with a VM each, and a flow Web -> Db declared under `flowId`. */
  function synthRenamed(flowId: string): string {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-diff-apply-'));
    const app = new App({ outdir, stackTraces: false });
    const stack = nsxStack(app, 'dc');
    new NsxEnforcement(stack, 'Nsx');
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    const db = new Segment(stack, 'Db', { selector: { tier: 'db' } });
    new Workload(stack, 'WebVm', { binding: VsphereBinding.virtualMachine(vm(stack, 'web-vm')), labels: { tier: 'web' } });
    new Workload(stack, 'DbVm', { binding: VsphereBinding.virtualMachine(vm(stack, 'db-vm')), labels: { tier: 'db' } });
    new AllowFlow(stack, flowId, { from: web, to: db, ports: [Port.POSTGRES] });
    app.synth();
    return outdir;
  }

  test('GIVEN a flow renamed without a stableId (its rule destroyed and created) WHEN diffed THEN reachability is unchanged but the interruption is listed and the exit status is 1', async () => {
    const before = synthRenamed('WebToDb');
    const after = synthRenamed('WebToDbRenamed');
    const json = await runCli('diff', before, after, '--json');
    expect(json.code).toBe(1);
    const diff = JSON.parse(json.stdout);
    expect([diff.opened, diff.closed]).toEqual([[], []]);
    expect(diff.interrupted.map((t: any) => `${t.level} ${t.from} -> ${t.to} ${t.ports.join(',')} ${t.moments.join('; ')}`)).toEqual([
      'segment dc/Web -> dc/Db tcp/5432 while stack dc applies',
      'workload dc/WebVm -> dc/DbVm tcp/5432 while stack dc applies',
    ]);
    const markdown = await runCli('diff', before, after, '--format', 'markdown');
    expect(markdown.code).toBe(1);
    expect(markdown.stdout).toContain('### Interrupted while the change applies (2)');
    expect(markdown.stdout).toContain('| `dc/Web` | `dc/Db` | `tcp/5432` | `while stack dc applies` | `dc/WebToDb` |');
  });
});

describe('microseg diff and a workload or segment renamed that keeps its stableId', () => {
  /** NSX segments Web and Db with a VM each, a flow Web -> Db; the names of Db and its VM given, their stableIds kept. */
  function synthNamed(dbId: string, dbVmId: string, extraFlow = false): string {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-diff-rename-'));
    const app = new App({ outdir, stackTraces: false });
    const stack = nsxStack(app, 'dc');
    new NsxEnforcement(stack, 'Nsx');
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    const db = new Segment(stack, dbId, { selector: { tier: 'db' }, stableId: 'dc/Db' });
    const webVm = new Workload(stack, 'WebVm', { binding: VsphereBinding.virtualMachine(vm(stack, 'web-vm')), labels: { tier: 'web' } });
    const dbVm = new Workload(stack, dbVmId, { binding: VsphereBinding.virtualMachine(vm(stack, 'db-vm')), labels: { tier: 'db' }, stableId: 'dc/DbVm' });
    new AllowFlow(stack, 'WebToDb', { from: web, to: db, ports: [Port.POSTGRES] });
    if (extraFlow) new AllowFlow(stack, 'WebToDbSsh', { from: webVm, to: dbVm, ports: [Port.SSH] });
    app.synth();
    return outdir;
  }

  test('GIVEN Db and DbVm renamed with their stableIds kept WHEN diffed THEN reachability is unchanged, nothing is interrupted, exit 0', async () => {
    const before = synthNamed('Db', 'DbVm');
    const after = synthNamed('Database', 'DatabaseVm');
    const json = await runCli('diff', before, after, '--json');
    const diff = JSON.parse(json.stdout);
    expect([diff.opened, diff.closed, diff.interrupted]).toEqual([[], [], []]);
    expect(json.code).toBe(0);
    const text = await runCli('diff', before, after);
    expect(text.stdout).toContain('Reachability unchanged');
  });

  test('a change made with the rename is reported under the new names, and only it', async () => {
    const before = synthNamed('Db', 'DbVm');
    const after = synthNamed('Database', 'DatabaseVm', true);
    const diff = JSON.parse((await runCli('diff', before, after, '--json')).stdout);
    expect(diff.closed).toEqual([]);
    expect(diff.opened.map((c: any) => `${c.level} ${c.from} -> ${c.to} ${c.ports.join(',')}`)).toEqual([
      'segment dc/Web -> dc/Database tcp/22',
      'workload dc/WebVm -> dc/DatabaseVm tcp/22',
    ]);
  });

  test('without a stableId the renamed segment is another segment: the old name closes, the new one opens', async () => {
    const synth = (dbId: string) => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-diff-rename-'));
      const app = new App({ outdir, stackTraces: false });
      const stack = nsxStack(app, 'dc');
      new NsxEnforcement(stack, 'Nsx');
      const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
      const db = new Segment(stack, dbId, { selector: { tier: 'db' } });
      new Workload(stack, 'WebVm', { binding: VsphereBinding.virtualMachine(vm(stack, 'web-vm')), labels: { tier: 'web' } });
      new Workload(stack, 'DbVm', { binding: VsphereBinding.virtualMachine(vm(stack, 'db-vm')), labels: { tier: 'db' } });
      new AllowFlow(stack, 'WebToDb', { from: web, to: db, ports: [Port.POSTGRES] });
      app.synth();
      return outdir;
    };
    const diff = JSON.parse((await runCli('diff', synth('Db'), synth('Database'), '--json')).stdout);
    expect(diff.closed.filter((c: any) => c.level === 'segment').map((c: any) => `${c.from} -> ${c.to}`)).toEqual(['dc/Web -> dc/Db']);
    expect(diff.opened.filter((c: any) => c.level === 'segment').map((c: any) => `${c.from} -> ${c.to}`)).toEqual(['dc/Web -> dc/Database']);
  });
});

describe('microseg diff and names that move between identities', () => {
  /** NSX segments Web, and a db and a cache segment declared under the given construct ids with fixed stableIds. */
  function synth(ids: { db: string; cache?: string }): string {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-diff-swap-'));
    const app = new App({ outdir, stackTraces: false });
    const stack = nsxStack(app, 'dc');
    new NsxEnforcement(stack, 'Nsx');
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    const db = new Segment(stack, ids.db, { selector: { tier: 'db' }, stableId: 'dc/Db' });
    new Workload(stack, 'WebVm', { binding: VsphereBinding.virtualMachine(vm(stack, 'web-vm')), labels: { tier: 'web' } });
    new Workload(stack, 'DbVm', { binding: VsphereBinding.virtualMachine(vm(stack, 'db-vm')), labels: { tier: 'db' } });
    new AllowFlow(stack, 'WebToDb', { from: web, to: db, ports: [Port.POSTGRES] });
    if (ids.cache) {
      const cache = new Segment(stack, ids.cache, { selector: { tier: 'cache' }, stableId: 'dc/Cache' });
      new Workload(stack, 'CacheVm', { binding: VsphereBinding.virtualMachine(vm(stack, 'cache-vm')), labels: { tier: 'cache' } });
      new AllowFlow(stack, 'WebToCache', { from: web, to: cache, ports: [Port.tcp(6379)] });
    }
    app.synth();
    return outdir;
  }

  test('GIVEN two segments that swap construct ids, each keeping its stableId WHEN diffed THEN nothing opens or closes', async () => {
    const json = await runCli('diff', synth({ db: 'Db', cache: 'Cache' }), synth({ db: 'Cache', cache: 'Db' }), '--json');
    const diff = JSON.parse(json.stdout);
    expect([diff.opened, diff.closed, diff.interrupted]).toEqual([[], [], []]);
    expect(json.code).toBe(0);
  });

  test('GIVEN Cache removed and Db renamed to Cache WHEN diffed THEN only the removed cache\'s traffic closes', async () => {
    const diff = JSON.parse((await runCli('diff', synth({ db: 'Db', cache: 'Cache' }), synth({ db: 'Cache' }), '--json')).stdout);
    expect(diff.opened).toEqual([]);
    expect(diff.closed.map((c: any) => `${c.level} ${c.from} -> ${c.to} ${c.ports.join(',')}`)).toEqual([
      'segment dc/Web -> dc/Cache (removed) tcp/6379',
      'workload dc/WebVm -> dc/CacheVm tcp/6379',
    ]);
  });
});
