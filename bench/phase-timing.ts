import * as fs from 'fs';
import { App, TerraformStack } from 'cdktf';
import { estateNamed } from './estates/catalog';
import { phaseMarker } from './gc-trace';
import { phaseTimingOptions } from './options';
import { TokenTraces } from '../lib/token-traces';

/**
 * `phase-timing [--pause-token-traces] [--hold-mib N] <estate> <outdir>`, run by `npm run bench:phases` under `node --trace-gc`: synthesizes
 * one estate with the library, as the bench's library side does, and prints a line at the end of
 * each phase (see `phaseLine`): start-up (loading modules); build (the app's constructs, among them
 * the library's declarations); render (the library's rules, up to cdktf's preparation of the
 * stack); cdktf's `prepareStack`; between the passes (cdktf's aspects and validations, the
 * library's among them); cdktf's `toTerraform`; stringify (from the end of `toTerraform` to the
 * write: the library's one-byte paths, then cdktf's text of the document); the write. cdktf's passes
 * include the `toTerraform` of the library's own elements (resource comments, `moved` blocks).
 * With `--hold-mib N` it first fills N MiB of the heap with small objects it keeps to the end.
 */
function main(): void {
  const { pause, holdMiB, operands: [estate, outdir] } = phaseTimingOptions(process.argv.slice(2));
  const mark = phaseMarker((line) => process.stdout.write(line + '\n'));
  // the library hooks each stack's own methods when it is created, keeping these as the originals
  const stackMethods = TerraformStack.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const [method, before] of [['prepareStack', 'render'], ['toTerraform', 'between passes']]) {
    const original = stackMethods[method];
    stackMethods[method] = function timed(this: unknown, ...args: unknown[]) {
      mark(before);
      const result = original.apply(this, args);
      mark(method);
      return result;
    };
  }
  // cdktf writes through the `fs` module object itself (an `import *` namespace here is read-only)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fsModule = require('fs') as typeof fs;
  const writeFileSync = fsModule.writeFileSync;
  fsModule.writeFileSync = (file, ...rest) => {
    const stackFile = String(file).endsWith('cdk.tf.json');
    if (stackFile) mark('stringify');
    writeFileSync(file, ...rest);
    if (stackFile) mark('write');
  };
  fs.mkdirSync(outdir, { recursive: true });
  const held = holdSmallObjects(holdMiB);
  mark('start-up');
  const app = new App({ outdir, stackTraces: false });
  const traces = pause ? TokenTraces.pause() : undefined;
  estateNamed(estate).build(app);
  traces?.resume();
  mark('build');
  app.synth();
  mark('rest');
  // read after the synthesis, so the objects stay alive through it
  if (held.count > 0) process.stderr.write(`held ${held.count.toLocaleString('en-US')} small objects through the synthesis\n`);
}

/** One of the small objects `--hold-mib` keeps: each holds the one made before it. */
interface HeldObject {
  readonly previous: HeldObject | undefined;
  readonly text: string;
}

/**
 * Small objects, about `mib` MiB of heap in all, chained so that holding the last holds them all
 * (an array would leave its outgrown copies as garbage in the count): they end in the old
 * generation's ordinary pages, as a synthesis's own long-lived objects do (a few large arrays of
 * the same size would sit in large-object pages instead, which young collections pay much less
 * for).
 */
function holdSmallObjects(mib: number): { readonly last: HeldObject | undefined; readonly count: number } {
  let last: HeldObject | undefined;
  let count = 0;
  const target = process.memoryUsage().heapUsed + mib * 2 ** 20;
  while (mib > 0 && process.memoryUsage().heapUsed < target) {
    for (let i = 0; i < 10_000; i++, count++) last = { previous: last, text: `held ${count}` };
  }
  return { last, count };
}

main();
