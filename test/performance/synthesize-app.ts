import * as fs from 'fs';
import { App } from 'cdktf';
import { estateNamed } from '../../bench/estates/catalog';
import { EstateSize } from '../../bench/estates/size';
import { SynthesizedStack, newApp, synthApp } from '../helpers';

/**
 * Builds an app with `build` (in a new temporary output directory), synthesizes it, returns what
 * `read` takes from the app and its stacks, and removes the output directory, whatever happens: the
 * estates of these tests write megabytes each.
 */
export function synthesizeApp<T = void>(build: (app: App) => void, read?: (app: App, stacks: Record<string, SynthesizedStack>) => T): T {
  const app = newApp();
  try {
    build(app);
    const stacks = synthApp(app);
    return read ? read(app, stacks) : (undefined as T);
  } finally {
    fs.rmSync(app.outdir, { recursive: true, force: true });
  }
}

/** Builds the bench estate of that name, at `size` or at the estate's own size. */
export function benchEstate(name: string, size?: EstateSize): (app: App) => void {
  const estate = estateNamed(name);
  return (app) => estate.build(app, size);
}
