import * as fs from 'fs';
import { performance } from 'perf_hooks';
import { App, TerraformStack } from 'cdktf';
import { estateNamed } from './estates/catalog';
import { phaseLine } from './gc-trace';

/**
 * `phase-timing <estate> <outdir>`, run by `npm run bench:phases` under `node --trace-gc`: synthesizes
 * one estate with the library, as the bench's library side does, and prints a line at the end of
 * each phase (see `phaseLine`): the app's constructs built; the library's rules rendered (the time
 * before cdktf prepares the stack); cdktf's preparation pass; its `toTerraform`; turning the document
 * into text; writing it.
 */
function main(): void {
  const [estate, outdir] = process.argv.slice(2);
  let last = 0; // the first phase, start-up, runs from the process's start: loading the modules
  const mark = (name: string) => {
    const now = performance.now();
    process.stdout.write(phaseLine(name, now - last, now, process.memoryUsage().heapUsed / 2 ** 20) + '\n');
    last = now;
  };
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
  mark('start-up');
  const app = new App({ outdir, stackTraces: false });
  estateNamed(estate).build(app);
  mark('build');
  app.synth();
  mark('rest');
}

main();
