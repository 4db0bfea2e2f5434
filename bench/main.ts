import { execFileSync } from 'child_process';

/**
 * `npm run bench`: synthesizes the generated estate with the library and the identical resources
 * with plain cdktf, each in its own process (so peak memory is its own), and prints the figures
 * and the ratios; then times the evaluator's full segment matrix when the evaluator is built.
 */
function runOne(args: string[]): any {
  const output = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', `${__dirname}/run-one.ts`, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return JSON.parse(output.trim().split('\n').pop()!);
}

const microseg = runOne(['microseg']);
const plain = runOne(['plain', microseg.file]);
const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
console.log('estate: 200 segments, 2,000 workloads, 5,000 flows (one stack)');
console.log(`resources: ${total(microseg.counts)} (${Object.entries(microseg.counts).map(([t, n]) => `${t} ${n}`).join(', ')})`);
console.log(`plain resources: ${total(plain.counts)} (identical set: ${JSON.stringify(plain.counts) === JSON.stringify(microseg.counts)})`);
console.log(`synth time   microseg ${microseg.seconds.toFixed(2)} s   plain cdktf ${plain.seconds.toFixed(2)} s   ratio ${(microseg.seconds / plain.seconds).toFixed(2)}x`);
console.log(`peak memory  microseg ${microseg.peakRssMiB.toFixed(0)} MiB   plain cdktf ${plain.peakRssMiB.toFixed(0)} MiB   ratio ${(microseg.peakRssMiB / plain.peakRssMiB).toFixed(2)}x`);
try {
  const matrix = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', `${__dirname}/matrix.ts`, microseg.file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  console.log(matrix.trim());
} catch (e) {
  console.log(`segment matrix: not measured (${(e as Error).message.split('\n')[0]})`);
}
