import * as path from 'path';
import { COMPILED_DIR } from './compile';

/**
 * Preloaded (`-r`) by the bench's ts-node mode, after ts-node: the bench's own TypeScript (the estate,
 * which plays the user's app, and the floor) runs through ts-node, while every module of the library
 * loads as compiled JavaScript from bench-out/compiled/lib, the way `cdktf synth` runs a TypeScript
 * app that depends on the published package (ts-node leaves node_modules alone). Without this, the
 * library's sources would be transpiled at load and their frames source-mapped in every stack trace
 * cdktf captures, a cost no user pays.
 */
const LIBRARY_SOURCES = path.join(__dirname, '..', 'lib') + path.sep;
const LIBRARY_COMPILED = path.join(COMPILED_DIR, 'lib') + path.sep;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Module = require('module');
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveToCompiled(this: unknown, ...args: unknown[]): string {
  const resolved: string = resolveFilename.apply(this, args);
  if (!resolved.startsWith(LIBRARY_SOURCES) || !resolved.endsWith('.ts') || resolved.endsWith('.d.ts')) return resolved;
  return LIBRARY_COMPILED + resolved.slice(LIBRARY_SOURCES.length, -'.ts'.length) + '.js';
};
