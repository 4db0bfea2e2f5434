import * as fs from 'fs';
import * as path from 'path';
import { examplesMatrixLines } from './examples-matrix-golden';

describe('the examples keep their verdicts across refactorings', () => {
  test('GIVEN every example app WHEN synthesized and evaluated THEN every cell of the segment matrix is the recorded one', () => {
    // The record was taken before the model/adapter restructuring; regenerate it only for a change
    // that deliberately changes a verdict: npx ts-node --transpile-only -P test/tsconfig.json
    // test/verify/examples-matrix-golden.ts > test/verify/golden/examples-matrix.txt
    const recorded = fs.readFileSync(path.join(__dirname, 'golden', 'examples-matrix.txt'), 'utf8').trim().split('\n');
    const now = examplesMatrixLines();
    expect(recorded.length).toBeGreaterThan(300);
    expect(now).toEqual(recorded);
  });
});
