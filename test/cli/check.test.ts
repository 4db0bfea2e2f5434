import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { App, TerraformStack } from 'cdktf';
import { runCli } from './run-cli';
import { MicrosegChecks, MicrosegSuppressions, Peer, Port, Segment, Workload } from '../../lib';
import { toSarif } from '../../lib/cli/sarif';

/** The SARIF 2.1.0 schema (the OASIS standard's final schema, rtm.5), as @microsoft/jest-sarif ships it. */
const SARIF_SCHEMA = JSON.parse(fs.readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));

/**
 * Synthesizes an app with the default check pack into a fresh cdktf.out: an SSH opening to the
 * internet (error MS-ADMIN-OPEN), a suppressed one, and a segment nobody uses (warning). Error
 * findings stop synthesis unless CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS is set, as a pipeline
 * collecting every finding does.
 */
function synthWithFindings(withError: boolean): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-check-'));
  const previous = process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
  process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = '1';
  try {
    const app = new App({ outdir, stackTraces: false });
    const stack = new TerraformStack(app, 'shop');
    const web = new Segment(stack, 'Web', { selector: { tier: 'web' } });
    const bastion = new Segment(stack, 'Bastion', { selector: { tier: 'bastion' } });
    new Segment(stack, 'Unused', { selector: { tier: 'none' } });
    new Workload(stack, 'WebVm', { addresses: ['10.0.1.5'], labels: { tier: 'web' } });
    new Workload(stack, 'BastionVm', { addresses: ['10.0.9.5'], labels: { tier: 'bastion' } });
    if (withError) web.allowFrom(Peer.anyIpv4(), Port.SSH);
    const bastionSsh = bastion.allowFrom(Peer.anyIpv4(), Port.SSH);
    MicrosegSuppressions.addSuppressions(bastionSsh, [{ id: 'MS-ADMIN-OPEN', reason: 'Public bastion, MFA enforced (SEC-42)' }]);
    MicrosegChecks.applyTo(app);
    app.synth();
  } finally {
    if (previous === undefined) delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
    else process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = previous;
  }
  return outdir;
}

describe('microseg check', () => {
  const withError = synthWithFindings(true);
  const clean = synthWithFindings(false);
  afterAll(() => [withError, clean].forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  test('GIVEN findings recorded at synth WHEN check --sarif runs THEN the log validates against the SARIF 2.1.0 schema', async () => {
    const run = await runCli('check', withError, '--sarif');
    expect(run.code).toBe(1);
    const sarif = JSON.parse(run.stdout);
    // the schema's language pattern is not valid in Unicode mode, which Ajv uses by default
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(SARIF_SCHEMA);
    expect([validate(sarif), validate.errors ?? []]).toEqual([true, []]);
    // and the validator does reject what breaks the schema
    expect(validate({ ...sarif, runs: [{ results: [] }] })).toBe(false);
  });

  test('THEN each finding has its rule id, level, construct path and suppression state', async () => {
    const sarif = JSON.parse((await runCli('check', withError, '--sarif')).stdout);
    const run = sarif.runs[0];
    expect(sarif.version).toBe('2.1.0');
    expect(run.tool.driver.name).toBe('cdktf-microseg');
    const summary = run.results.map((r: any) => ({
      ruleId: r.ruleId,
      rule: run.tool.driver.rules[r.ruleIndex].id,
      level: r.level,
      path: r.locations[0].logicalLocations[0].fullyQualifiedName,
      file: r.locations[0].physicalLocation.artifactLocation.uri.endsWith('stacks/shop/cdk.tf.json'),
      suppressions: r.suppressions,
    }));
    expect(summary).toEqual(expect.arrayContaining([
      { ruleId: 'MS-ADMIN-OPEN', rule: 'MS-ADMIN-OPEN', level: 'error', path: 'shop/Web/AllowFrom-ipv4-0.0.0.0_0-tcp-22', file: true, suppressions: undefined },
      {
        ruleId: 'MS-ADMIN-OPEN',
        rule: 'MS-ADMIN-OPEN',
        level: 'error',
        path: 'shop/Bastion/AllowFrom-ipv4-0.0.0.0_0-tcp-22',
        file: true,
        suppressions: [{ kind: 'inSource', status: 'accepted', justification: 'Public bastion, MFA enforced (SEC-42)' }],
      },
      { ruleId: 'MS-SEGMENT-UNUSED', rule: 'MS-SEGMENT-UNUSED', level: 'warning', path: 'shop/Unused', file: true, suppressions: undefined },
    ]));
    expect(run.tool.driver.rules.find((rule: any) => rule.id === 'MS-ADMIN-OPEN').defaultConfiguration).toEqual({ level: 'error' });
    // each result points at a line of the stack file (code scanning needs one): the first naming its
    // construct, else line 1 (here no construct of a finding is in the file: no enforcement renders their rules)
    const stackLines = fs.readFileSync(path.join(withError, 'stacks', 'shop', 'cdk.tf.json'), 'utf8').split('\n');
    expect(run.results.length).toBeGreaterThan(2);
    for (const result of run.results) {
      const quoted = JSON.stringify(result.locations[0].logicalLocations[0].fullyQualifiedName);
      const line = result.locations[0].physicalLocation.region.startLine;
      if (stackLines.some((text) => text.includes(quoted))) expect(stackLines[line - 1]).toContain(quoted);
      else expect(line).toBe(1);
    }
  });

  test('without unsuppressed errors it exits 0; the text lists one finding a line', async () => {
    const run = await runCli('check', clean);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toContain("error MS-ADMIN-OPEN shop/Bastion/AllowFrom-ipv4-0.0.0.0_0-tcp-22: AllowFlow 'shop/Bastion/AllowFrom-ipv4-0.0.0.0_0-tcp-22' opens an administration port to any address: Port.tcp(22) (SSH) from Peer.anyIpv4() (\"0.0.0.0/0\") to 'shop/Bastion'. Allow it from a bastion segment or a VPN range such as Peer.ipv4(\"10.0.0.0/8\") instead. (suppressed on 'shop/Bastion/AllowFrom-ipv4-0.0.0.0_0-tcp-22': Public bastion, MFA enforced (SEC-42))".replace(/^error/, 'note'));
    expect(lines.some((line) => line.startsWith('warning MS-SEGMENT-UNUSED shop/Unused: '))).toBe(true);
  });

  test('--output writes the SARIF file; a directory without manifest.json is bad input', async () => {
    const file = path.join(clean, 'microseg.sarif');
    expect((await runCli('check', clean, '--sarif', '--output', file)).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).version).toBe('2.1.0');
    const run = await runCli('check', __dirname);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`microseg: no manifest.json in ${__dirname}: give the cdktf.out directory that cdktf synth wrote\n`);
  });

  test('GIVEN --output in a sub-folder WHEN check writes SARIF THEN artifact paths are relative to the working directory (the repository root code scanning reads them from), not to the log', async () => {
    const previous = process.cwd();
    const reports = path.join(clean, 'reports');
    fs.mkdirSync(reports, { recursive: true });
    try {
      process.chdir(clean);
      expect((await runCli('check', '.', '--sarif', '--output', path.join('reports', 'microseg.sarif'))).code).toBe(0);
    } finally {
      process.chdir(previous);
    }
    const sarif = JSON.parse(fs.readFileSync(path.join(reports, 'microseg.sarif'), 'utf8'));
    const uris: string[] = sarif.runs[0].results.map((result: any) => result.locations[0].physicalLocation.artifactLocation.uri);
    expect(uris.length).toBeGreaterThan(0);
    expect([...new Set(uris)]).toEqual(['stacks/shop/cdk.tf.json']);
  });

  test('GIVEN --output in a folder that does not exist WHEN check writes THEN one line names --output and the reason, exit 2', async () => {
    const file = path.join(clean, 'no-such-folder', 'microseg.sarif');
    const run = await runCli('check', clean, '--sarif', '--output', file);
    expect(run).toEqual({ code: 2, stdout: '', stderr: `microseg: cannot write --output FILE "${file}": no such file or directory (ENOENT)\n` });
  });

  test.each([
    ['garbage', 'is not valid JSON (Unexpected token'],
    ['null', 'is not a cdktf manifest (an object with "stacks"). Synthesize again (cdktf synth).'],
    ['{"stacks": 3}', 'is not a cdktf manifest (an object with "stacks"). Synthesize again (cdktf synth).'],
    ['{"stacks": {"a": null}}', ': stack "a" is null, not a stack entry. Synthesize again (cdktf synth).'],
  ])('GIVEN a manifest.json of %s THEN one line names the file and what to do, exit 2', async (content, expected) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-bad-manifest-'));
    try {
      fs.writeFileSync(path.join(dir, 'manifest.json'), content);
      const run = await runCli('check', dir);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`microseg: ${path.join(dir, 'manifest.json')}`);
      expect(run.stderr).toContain(expected);
      expect(run.stderr).not.toContain('internal error');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SARIF locations', () => {
  test('GIVEN a finding whose construct the stack file names WHEN written as SARIF THEN its region is that line, relative to the base directory', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-sarif-'));
    try {
      fs.mkdirSync(path.join(dir, 'stacks', 'shop'), { recursive: true });
      const json = { '//': { microseg: { version: 1 } }, 'resource': { aws_vpc_security_group_ingress_rule: { r: { '//': { microseg: { flows: ['shop/Web/AllowFrom-x'] } }, 'ip_protocol': 'tcp' } } } };
      const text = JSON.stringify(json, null, 2);
      fs.writeFileSync(path.join(dir, 'stacks', 'shop', 'cdk.tf.json'), text);
      const finding = { ruleId: 'MS-ADMIN-OPEN', level: 'error' as const, message: 'm', constructPath: 'shop/Web/AllowFrom-x', stack: 'shop', stackFile: 'stacks/shop/cdk.tf.json', outcome: 'non-compliant' as const };
      const sarif = toSarif([finding], dir, dir, '0.0.0') as any;
      const location = sarif.runs[0].results[0].locations[0].physicalLocation;
      expect(location.artifactLocation.uri).toBe('stacks/shop/cdk.tf.json');
      expect(location.region.startLine).toBe(text.split('\n').findIndex((line) => line.includes('"shop/Web/AllowFrom-x"')) + 1);
      expect(location.region.startLine).toBeGreaterThan(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
