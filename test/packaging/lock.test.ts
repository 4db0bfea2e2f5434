import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { lockProblems } = require('../../tools/check-lock') as { lockProblems: (dir: string) => string[] };

const repo = path.resolve(__dirname, '..', '..');

/** A copy of the project's package.json and lock in a scratch folder, the lock changed by `edit`. */
function projectWithLock(edit: (lock: any, pkg: any) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-lock-'));
  const lock = JSON.parse(fs.readFileSync(path.join(repo, 'package-lock.json'), 'utf8'));
  const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
  edit(lock, pkg);
  fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify(lock));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg));
  return dir;
}

test('the committed lock has a version on every entry and matches package.json', () => {
  expect(lockProblems(repo)).toEqual([]);
});

test('an entry without a version is reported with its key and how to regenerate the lock', () => {
  const dir = projectWithLock((lock) => {
    lock.packages['node_modules/unrs-resolver/node_modules/@unrs/resolver-binding-darwin-x64'] = { optional: true };
  });
  const problems = lockProblems(dir);
  expect(problems).toHaveLength(1);
  expect(problems[0]).toContain('1 entries of "packages" have no "version"');
  expect(problems[0]).toContain('"node_modules/unrs-resolver/node_modules/@unrs/resolver-binding-darwin-x64"');
  expect(problems[0]).toContain('npm install');
});

test('a dependency range the lock does not satisfy is reported as out of sync', () => {
  const dir = projectWithLock((_lock, pkg) => {
    pkg.devDependencies['fast-check'] = '^3.0.0';
  });
  const problems = lockProblems(dir);
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatch(/out of sync with package\.json: invalid: fast-check@\S+/);
});

test('a dependency missing from the lock is reported as out of sync', () => {
  const dir = projectWithLock((_lock, pkg) => {
    pkg.devDependencies['left-pad'] = '1.3.0';
  });
  expect(lockProblems(dir)).toEqual([expect.stringMatching(/out of sync with package\.json: missing: left-pad@1\.3\.0/)]);
});
