import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Manifest, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { VerifyInputError } from './errors';
import { loadTerraform } from './model/load-terraform';
import { TerraformModel } from './model/terraform-model';

interface CachedSynth {
  readonly constructCount: number;
  readonly model: TerraformModel;
}

const cache = new WeakMap<IConstruct, CachedSynth>();

/**
 * Synthesizes every stack of the app that `scope` belongs to, the way `app.synth()` does (cross-stack
 * references included), into a temporary directory, and loads the result. The model is cached per app
 * until constructs are added to it.
 */
export function synthesizeApp(scope: IConstruct): TerraformModel {
  const app = scope.node.root;
  const constructCount = app.node.findAll().length;
  const cached = cache.get(app);
  if (cached && cached.constructCount === constructCount) return cached.model;
  const stacks = app.node.findAll().filter((node): node is TerraformStack => TerraformStack.isStack(node));
  if (stacks.length === 0) throw new VerifyInputError(`construct "${scope.node.path}" belongs to no app with a TerraformStack to synthesize`);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-synth-'));
  try {
    stacks.forEach((stack) => stack.prepareStack());
    const manifest = new Manifest('stubbed', outdir, false);
    stacks.forEach((stack) => stack.synthesizer.synthesize({ outdir, manifest }));
    manifest.writeToFile();
    const model = loadTerraform(outdir);
    cache.set(app, { constructCount: app.node.findAll().length, model });
    return model;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
