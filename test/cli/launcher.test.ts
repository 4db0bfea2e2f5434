import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { fixtureDir } from '../verify/fixtures';

describe('bin/microseg launcher', () => {
  test('runs the command (compiled or from sources) and passes its exit code through', () => {
    const launcher = path.join(__dirname, '..', '..', 'bin', 'microseg');
    const run = spawnSync(launcher, ['query', fixtureDir('aws-sg'), '--from', 'app/Web', '--to', 'app/Db', '--port', 'tcp/5432'], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('DENIED: app/Web -> app/Db on tcp/5432');
  });

  test('--version prints the version of package.json and exits 0', () => {
    const launcher = path.join(__dirname, '..', '..', 'bin', 'microseg');
    const version = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
    const run = spawnSync(launcher, ['--version'], { encoding: 'utf8' });
    expect([run.status, run.stdout, run.stderr]).toEqual([0, `${version}\n`, '']);
  });
});
