import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The environment variable that names the test run's own temporary directory, for the teardown. */
const RUN_DIRECTORY = 'MICROSEG_TEST_RUN_TMPDIR';

/**
 * Jest's global setup: gives the test run a temporary directory of its own and makes it the
 * processes' `os.tmpdir()` (jest's workers, and the commands the tests start, inherit it), so the
 * outdirs and files the tests make there go when the run ends, instead of piling up in the
 * machine's temporary directory run after run.
 */
export function createRunDirectory(): void {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-test-run-'));
  process.env[RUN_DIRECTORY] = directory;
  process.env.TMPDIR = directory;
}

/** Jest's global teardown: removes the run's temporary directory and all the tests left in it. */
export function removeRunDirectory(): void {
  const directory = process.env[RUN_DIRECTORY];
  if (directory) fs.rmSync(directory, { recursive: true, force: true });
}
