import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FirstSyntheses } from './first-syntheses';
import { Port } from '../../lib';

/** A path where no allocation file is yet. */
const freshFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-first-')), 'microseg.allocations.json');

describe('FirstSyntheses', () => {
  // GIVEN a synthesis that counts its runs and writes an allocation file naming the spec and the run
  let runs: string[];
  const syntheses = () => new FirstSyntheses((spec: { flows: string[]; ports?: Port[] }, file: string) => {
    runs.push(JSON.stringify(spec));
    fs.writeFileSync(file, `${JSON.stringify(spec)} run ${runs.length}`);
    return { run: runs.length };
  });
  beforeEach(() => {
    runs = [];
  });

  test('WHEN one version is asked for twice THEN it is synthesized once, and the second path gets the allocation file the synthesis wrote', () => {
    const firsts = syntheses();
    const [a, b] = [freshFile(), freshFile()];
    expect(firsts.of({ flows: ['WebToApi'] }, a)).toEqual({ run: 1 });
    expect(firsts.of({ flows: ['WebToApi'] }, b)).toEqual({ run: 1 });
    expect(runs).toHaveLength(1);
    expect(fs.readFileSync(b, 'utf8')).toBe('{"flows":["WebToApi"]} run 1');
    expect(fs.readFileSync(a, 'utf8')).toBe('{"flows":["WebToApi"]} run 1');
  });

  test('WHEN two versions differ (also only by a port) THEN each is synthesized', () => {
    const firsts = syntheses();
    firsts.of({ flows: ['WebToApi'], ports: [Port.tcp(8080)] }, freshFile());
    firsts.of({ flows: ['WebToApi'], ports: [Port.tcp(8081)] }, freshFile());
    firsts.of({ flows: ['WebToApi', 'ApiToDb'] }, freshFile());
    expect(runs).toHaveLength(3);
  });

  test('WHEN the allocation file already exists THEN it refuses: that would not be a first synthesis', () => {
    const file = freshFile();
    fs.writeFileSync(file, '{}');
    expect(() => syntheses().of({ flows: [] }, file)).toThrow(/starts from no allocation file, but .* exists/);
  });
});
