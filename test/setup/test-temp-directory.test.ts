import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRunDirectory, removeRunDirectory } from './test-temp-directory';

describe("the test run's temporary directory", () => {
  test('is where the tests make their temporary files', () => {
    // GIVEN a test started by jest, whose global setup ran
    const runDirectory = process.env.MICROSEG_TEST_RUN_TMPDIR;
    // THEN the machine's temporary directory, as this process sees it, is the run's own
    expect(runDirectory).toMatch(/microseg-test-run-/);
    expect(os.tmpdir()).toBe(runDirectory);
    // AND a directory made there lies inside it
    const made = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-test-'));
    expect(path.dirname(made)).toBe(runDirectory);
  });

  test('is made by the setup and removed, with what the tests left in it, by the teardown', () => {
    // GIVEN the environment as the run's setup found it
    const saved = { TMPDIR: process.env.TMPDIR, MICROSEG_TEST_RUN_TMPDIR: process.env.MICROSEG_TEST_RUN_TMPDIR };
    try {
      // WHEN a setup makes a run directory and a test leaves a file in it
      createRunDirectory();
      const directory = process.env.MICROSEG_TEST_RUN_TMPDIR!;
      expect(directory).not.toBe(saved.MICROSEG_TEST_RUN_TMPDIR);
      expect(fs.statSync(directory).isDirectory()).toBe(true);
      expect(process.env.TMPDIR).toBe(directory);
      const left = fs.mkdtempSync(path.join(directory, 'left-'));
      fs.writeFileSync(path.join(left, 'cdk.tf.json'), '{}');
      // AND the teardown runs
      removeRunDirectory();
      // THEN the directory and everything in it are gone
      expect(fs.existsSync(directory)).toBe(false);
    } finally {
      // an unset variable is deleted again: assigning undefined would set the text "undefined"
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
