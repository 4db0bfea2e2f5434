import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** The repository's root. */
export const REPO = path.resolve(__dirname, '..', '..');

/** What the compiler reads to write `dist/` and the assembly: the sources, the package's settings and the README (the assembly embeds it). */
const COMPILE_INPUTS = ['lib', 'package.json', 'tsconfig.json', 'README.md'];
/** Written by every successful compile, after `dist/`. */
const ASSEMBLY = path.join(REPO, '.jsii');
const LOCK = path.join(REPO, 'node_modules', '.cache', 'cdktf-microseg', 'compile.lock');
/** A lock older than this is left over, whoever holds it: a compile takes well under a minute. */
const STALE_LOCK_MS = 5 * 60_000;

function newestMtime(file: string): number {
  const stat = fs.statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(file)) newest = Math.max(newest, newestMtime(path.join(file, entry)));
  return newest;
}

/** Whether `dist/` was compiled after the last change to anything the compiler reads. */
function compiledIsCurrent(): boolean {
  if (!fs.existsSync(ASSEMBLY)) return false;
  const compiledAt = fs.statSync(ASSEMBLY).mtimeMs;
  return COMPILE_INPUTS.every((input) => newestMtime(path.join(REPO, input)) <= compiledAt);
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Whether the lock was left by a process that no longer runs (a test run interrupted while compiling), or long ago. */
function lockIsLeftOver(): boolean {
  const lock = fs.statSync(LOCK, { throwIfNoEntry: false });
  if (!lock) return false;
  if (Date.now() - lock.mtimeMs > STALE_LOCK_MS) return true;
  let owner: number;
  try {
    owner = Number(fs.readFileSync(path.join(LOCK, 'pid'), 'utf8'));
  } catch {
    return false; // its owner has not written it yet, or has just let go
  }
  if (!owner) return false;
  try {
    process.kill(owner, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Runs `body` while holding a lock that test suites in other workers respect. */
function whileLocked(body: () => void): void {
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      fs.writeFileSync(path.join(LOCK, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (lockIsLeftOver()) fs.rmSync(LOCK, { recursive: true, force: true });
      else sleep(250);
    }
  }
  try {
    body();
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

/**
 * Makes sure `dist/` (what `npm pack` ships and an installed package loads) is compiled from the
 * current sources. `npm ci` compiles it (the `prepare` task), so on a fresh
 * clone this only checks; after a source changed, the first suite that needs it compiles it again
 * while the others wait, instead of each compiling it (`npm pack` would, through `prepare`).
 */
export function compiledLibrary(): void {
  if (!compiledIsCurrent()) {
    whileLocked(() => {
      if (compiledIsCurrent()) return;
      const projen = path.join(REPO, 'node_modules', 'projen', 'bin', 'projen');
      const result = spawnSync(process.execPath, [projen, 'prepare'], { cwd: REPO, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      if (result.status !== 0) throw new Error(`compiling the library (projen prepare) exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
    });
  }
}
