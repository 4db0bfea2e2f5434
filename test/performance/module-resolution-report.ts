// eslint-disable-next-line @typescript-eslint/no-require-imports
import Module = require('module');
import { SMALL_ESTATES, SmallEstate } from './small-estates';
import { benchEstate, synthesizeApp } from './synthesize-app';
import { scaled } from '../../bench/estates/size';

/**
 * Run in a process of its own (Jest loads modules its own way): for each estate named on the
 * command line, how many module paths Node resolved while the estate, at its small size and at
 * twice that, was declared and synthesized. Prints `{ estate: [at 1x, at 2x] }` as JSON.
 */
function resolutionsWhile(run: () => void): number {
  const internals = Module as unknown as { _resolveFilename: (...args: unknown[]) => string };
  const resolve = internals._resolveFilename;
  let count = 0;
  internals._resolveFilename = function (this: unknown, ...args: unknown[]) {
    count++;
    return resolve.apply(this, args);
  };
  try {
    run();
  } finally {
    internals._resolveFilename = resolve;
  }
  return count;
}

const report: Record<string, [number, number]> = {};
for (const estate of process.argv.slice(2) as SmallEstate[]) {
  const size = SMALL_ESTATES[estate];
  // a first synthesis loads every module the estate needs, so that the counts below are of lookups alone
  synthesizeApp(benchEstate(estate, size));
  report[estate] = [
    resolutionsWhile(() => synthesizeApp(benchEstate(estate, size))),
    resolutionsWhile(() => synthesizeApp(benchEstate(estate, scaled(size, 2)))),
  ];
}
process.stdout.write(JSON.stringify(report));
