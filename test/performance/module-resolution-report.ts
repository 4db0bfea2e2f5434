// eslint-disable-next-line @typescript-eslint/no-require-imports
import Module = require('module');
import type { App } from 'cdktf';
import type { SmallEstate } from './small-estates';
import { providerModuleOf } from '../../bench/plain';
import type { SynthesizedStack } from '../helpers';

/** What the report prints. */
export interface ModuleReport {
  /** Per estate, the module paths resolved while synthesizing it at its small size and at twice that. */
  readonly resolutions: Record<string, [number, number]>;
  /** The provider package modules (resource and data source classes) importing the library loaded. */
  readonly atImport: string[];
  /** Per estate, the provider package modules its synthesis loaded, and those of the resource types it wrote. */
  readonly providers: Record<string, { readonly loaded: string[]; readonly written: string[] }>;
}

/**
 * Run in a process of its own (Jest loads modules its own way): for each estate named on the
 * command line (a small bench estate, or `host-servers`: {@link buildHostServers} of 20 servers),
 * how many module paths Node resolved while the estate, at its small size and at twice that, was
 * declared and synthesized; which provider package modules its first synthesis
 * loaded (of those no earlier estate on the command line loaded) against the modules of the
 * resource types it wrote; and the modules importing the library loaded. Prints
 * `{ resolutions: { estate: [at 1x, at 2x] }, atImport, providers: { estate: { loaded, written } } }` as JSON.
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

/** The provider package modules loaded so far (`@cdktf/provider-aws/lib/network-acl-rule`), the provider classes' own aside. */
function loadedProviderModules(): Set<string> {
  const modules = new Set<string>();
  for (const file of Object.keys(require.cache)) {
    const match = /(@cdktf)[\\/](provider-[a-z0-9]+)[\\/](lib)[\\/]([a-z0-9-]+)[\\/]/.exec(file);
    if (match && match[4] !== 'provider') modules.add(match.slice(1).join('/'));
  }
  return modules;
}

/** The provider package modules of the resource and data source types the stacks hold (`nsxt_*` have none: the library binds them). */
function writtenModules(stacks: Record<string, SynthesizedStack>): string[] {
  const modules = new Set<string>();
  for (const stack of Object.values(stacks)) {
    for (const kind of ['resource', 'data'] as const) {
      for (const type of Object.keys(stack.json[kind] ?? {})) {
        if (!type.startsWith('nsxt_')) modules.add(providerModuleOf(kind, type));
      }
    }
  }
  return [...modules].sort();
}

/* eslint-disable @typescript-eslint/no-require-imports -- what importing the library loads is read before the estates load theirs */
require('../../lib');
const atImport = [...loadedProviderModules()].sort();
// loaded after the snapshot above: the estates load the provider classes of the workloads they bind
const { SMALL_ESTATES } = require('./small-estates') as typeof import('./small-estates');
const { benchEstate, synthesizeApp } = require('./synthesize-app') as typeof import('./synthesize-app');
const { scaled } = require('../../bench/estates/size') as typeof import('../../bench/estates/size');
const { buildHostServers } = require('./host-servers') as typeof import('./host-servers');
/* eslint-enable @typescript-eslint/no-require-imports */

/** An estate's builders at its small size and at twice that. */
function buildersOf(estate: string): [(app: App) => void, (app: App) => void] {
  if (estate === 'host-servers') return [(app) => buildHostServers(app, 20), (app) => buildHostServers(app, 40)];
  const size = SMALL_ESTATES[estate as SmallEstate];
  if (!size) throw new Error(`module-resolution-report: no estate named ${estate}`);
  return [benchEstate(estate, size), benchEstate(estate, scaled(size, 2))];
}

const report: ModuleReport = { resolutions: {}, atImport, providers: {} };
for (const estate of process.argv.slice(2)) {
  const [small, twice] = buildersOf(estate);
  const loadedBefore = loadedProviderModules();
  // a first synthesis loads every module the estate needs, so that the counts below are of lookups alone
  const written = synthesizeApp(small, (_app, stacks) => writtenModules(stacks));
  report.providers[estate] = { loaded: [...loadedProviderModules()].filter((module) => !loadedBefore.has(module)).sort(), written };
  report.resolutions[estate] = [resolutionsWhile(() => synthesizeApp(small)), resolutionsWhile(() => synthesizeApp(twice))];
}
process.stdout.write(JSON.stringify(report));
