import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** Where the compiled bench and library go (gitignored). */
export const COMPILED_DIR = path.join(__dirname, '..', 'bench-out', 'compiled');

/**
 * Compiles the library and the bench to JavaScript with the project's compiler settings (minus
 * source maps), into bench-out/compiled/, so the bench can run them with plain `node`: the way an
 * app that depends on the published package (dist/) runs the library. Returns the compiled
 * run-one.js.
 */
export function compileBench(): string {
  const root = path.join(__dirname, '..');
  const config = path.join(root, 'bench-out', 'tsconfig.compiled.json');
  fs.mkdirSync(path.dirname(config), { recursive: true });
  fs.writeFileSync(config, JSON.stringify({
    extends: '../tsconfig.json',
    compilerOptions: {
      rootDir: '..',
      outDir: 'compiled',
      declaration: false,
      inlineSourceMap: false,
      inlineSources: false,
      noUnusedLocals: false,
      noUnusedParameters: false,
      incremental: true,
      tsBuildInfoFile: 'compiled/.tsbuildinfo',
    },
    include: ['../lib/**/*.ts', '../bench/**/*.ts'],
  }, null, 2));
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', config], { stdio: 'inherit' });
  return path.join(COMPILED_DIR, 'bench', 'run-one.js');
}
