import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformStack, Testing } from 'cdktf';
import { ALLOCATION_FILE_CONTEXT, Allocations } from '../../lib/render/allocations';

function tempFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-alloc-')), 'microseg.allocations.json');
}

function appWith(file: string | undefined): App {
  return Testing.app({ context: file === undefined ? {} : { [ALLOCATION_FILE_CONTEXT]: file } });
}

describe('Allocations', () => {
  test('GIVEN an allocation file from a previous synthesis WHEN a key is added THEN the existing keys keep their slots and owners', () => {
    const file = tempFile();
    const first = Allocations.of(appWith(file));
    const before = first.slots('nsg/in', ['a', 'b', 'c'], { first: 1, last: 4 }).assigned;
    expect(first.owner('rule-1', ['Team2', 'Team1'])).toBe('Team1');
    first.save();

    const second = Allocations.of(appWith(file));
    const after = second.slots('nsg/in', ['a', 'b', 'c', 'd'], { first: 1, last: 4 }).assigned;
    for (const key of ['a', 'b', 'c']) expect(after.get(key)).toBe(before.get(key));
    // Team0 sorts first, yet the rule stays where it was.
    expect(second.owner('rule-1', ['Team0', 'Team1', 'Team2'])).toBe('Team1');
    expect(second.previousOwner('rule-1')).toBe('Team1');
    // The owner moves only when it no longer declares the rule.
    expect(second.owner('rule-1', ['Team0', 'Team2'])).toBe('Team0');
  });

  test('GIVEN the same program twice THEN the file is byte-identical and sorted', () => {
    const file = tempFile();
    const run = () => {
      const store = Allocations.of(appWith(file));
      store.slots('b-space', ['y', 'x'], { first: 1, last: 100 });
      store.slots('a-space', ['k'], { first: 1, last: 100 });
      store.owner('r', ['S']);
      store.save();
      return fs.readFileSync(file, 'utf8');
    };
    const once = run();
    expect(run()).toBe(once);
    const parsed = JSON.parse(once);
    expect(Object.keys(parsed.slots)).toEqual(['a-space', 'b-space']);
    expect(Object.keys(parsed.slots['b-space'])).toEqual(['x', 'y']);
    expect(parsed.version).toBe(1);
  });

  test('GIVEN an app that synthesizes WHEN it succeeds THEN the file is written; WHEN it fails THEN nothing is written', () => {
    const file = tempFile();
    const app = new App({ outdir: path.dirname(file) + '/out', context: { [ALLOCATION_FILE_CONTEXT]: file } });
    new TerraformStack(app, 'S');
    Allocations.of(app).slots('s', ['a'], { first: 1, last: 9 });
    app.synth();
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).slots.s.a).toBeGreaterThanOrEqual(1);

    const failing = tempFile();
    const bad = new App({ outdir: path.dirname(failing) + '/out', context: { [ALLOCATION_FILE_CONTEXT]: failing } });
    const stack = new TerraformStack(bad, 'S');
    stack.node.addValidation({ validate: () => ['broken'] });
    Allocations.of(bad).slots('s', ['a'], { first: 1, last: 9 });
    expect(() => bad.synth()).toThrow(/broken/);
    expect(fs.existsSync(failing)).toBe(false);
  });

  test('GIVEN no context and no cdktf CLI THEN no file is kept; GIVEN "" THEN persistence is off', () => {
    const saved = process.env.CDKTF_OUTDIR;
    delete process.env.CDKTF_OUTDIR;
    try {
      expect(Allocations.of(appWith(undefined)).filePath).toBeUndefined();
      expect(Allocations.of(appWith('')).filePath).toBeUndefined();
    } finally {
      if (saved !== undefined) process.env.CDKTF_OUTDIR = saved;
    }
  });

  test('GIVEN a corrupt or foreign file THEN the error says what to do', () => {
    const file = tempFile();
    fs.writeFileSync(file, '{ not json');
    expect(() => Allocations.of(appWith(file))).toThrow(/not valid JSON.*Restore it from version control/);
    fs.writeFileSync(file, JSON.stringify({ version: 99, slots: {}, owners: {} }));
    expect(() => Allocations.of(appWith(file))).toThrow(/version 99.*reads version 1/);
    fs.writeFileSync(file, JSON.stringify({ version: 1, slots: null, owners: {} }));
    expect(() => Allocations.of(appWith(file))).toThrow(`The allocation file ${file} has "slots": null, where it keeps an object. Restore it from version control`);
    fs.writeFileSync(file, JSON.stringify({ version: 1, slots: {} }));
    expect(() => Allocations.of(appWith(file))).toThrow(`The allocation file ${file} has "owners": nothing, where it keeps an object.`);
  });
});
