import * as fs from 'fs';
import * as path from 'path';
import { VerifyInputError } from '../errors';
import { readIndentedJson } from './indented-json';
import { readJsonText } from './json-text';
import { StackDocument, StackJson, TerraformModel, asObject, createTerraformModel, objectAt, stringAt } from './terraform-model';
import { PLATFORMS } from '../platforms/registry';

const STACK_FILE = 'cdk.tf.json';

/** Top-level sections only a change's impact reads (a fifth of a large stack's text): parsed when first read. */
const CHANGE_ONLY_SECTIONS: ReadonlySet<string> = new Set(['moved', 'import', 'removed']);

/** How {@link loadTerraform} reads. */
export interface LoadTerraformOptions {
  /**
   * Keeps each long resource type of a file in cdktf's layout as text until it is read, and lets
   * the evaluator read some of a type's resources without parsing the others (the security group
   * rules of the groups one question touches): for one question about a large estate. Text that
   * is never read is never checked as JSON.
   * @default false
   */
  readonly lazy?: boolean;
}

/** The section whose long types {@link LoadTerraformOptions.lazy} keeps as text. */
const RESOURCE_SECTION: ReadonlySet<string> = new Set(['resource']);

/**
 * Loads synthesized Terraform JSON: a `cdktf.out/` directory (every `stacks/<name>/cdk.tf.json`), one
 * stack directory, or one `cdk.tf.json` file. A file in the layout cdktf writes is read in pieces
 * (see {@link readIndentedJson}); there a long `moved`, `import` or `removed` section, which only a
 * change's impact reads, is parsed when first read: until then the stack JSON's property is a getter.
 */
export function loadTerraform(pathOrDir: string, options: LoadTerraformOptions = {}): TerraformModel {
  if (!fs.existsSync(pathOrDir)) throw new VerifyInputError(`no such file or directory: ${pathOrDir}`);
  const documents = fs.statSync(pathOrDir).isDirectory() ? readDirectory(pathOrDir, options) : [readStackFile(pathOrDir, options)];
  if (documents.length === 0) {
    throw new VerifyInputError(`no stacks found in ${pathOrDir} (expected stacks/<name>/${STACK_FILE} or ${STACK_FILE})`);
  }
  return createTerraformModel(documents);
}

/** Builds the model from already-parsed stack JSON objects keyed by stack name. */
export function loadTerraformStacks(stacks: Readonly<Record<string, object>>): TerraformModel {
  const documents = Object.entries(stacks).map(([name, json]) => ({ name, json: asObject(json) }));
  if (documents.length === 0) throw new VerifyInputError('no stacks given');
  return createTerraformModel(documents);
}

function readDirectory(dir: string, options: LoadTerraformOptions): StackDocument[] {
  const stacksDir = path.join(dir, 'stacks');
  if (fs.existsSync(stacksDir) && fs.statSync(stacksDir).isDirectory()) {
    return fs.readdirSync(stacksDir)
      .sort()
      .map((name) => path.join(stacksDir, name, STACK_FILE))
      .filter((file) => fs.existsSync(file))
      .map((file) => readStackFile(file, options));
  }
  const single = path.join(dir, STACK_FILE);
  return fs.existsSync(single) ? [readStackFile(single, options)] : [];
}

/** The top-level keys of Terraform JSON configuration (and cdktf's metadata), one of which every stack has. */
const TERRAFORM_KEYS = new Set(['//', 'terraform', 'resource', 'data', 'provider', 'output', 'variable', 'locals', 'module', 'moved', 'import', 'check', 'removed']);

function readStackFile(file: string, options: LoadTerraformOptions): StackDocument {
  let parsed: unknown;
  try {
    const kept = options.lazy ? { keptWithin: RESOURCE_SECTION, keptFields: PLATFORMS.fieldsFoundBy } : {};
    parsed = readIndentedJson(file, { deferred: CHANGE_ONLY_SECTIONS, ...kept }) ?? JSON.parse(readJsonText(file));
  } catch (error) {
    throw new VerifyInputError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new VerifyInputError(`${file} is not a Terraform stack: its JSON is ${Array.isArray(parsed) ? 'an array' : String(JSON.stringify(parsed))}, not an object. Synthesize the stack again.`);
  }
  const json: StackJson = asObject(parsed);
  if (!Object.keys(json).some((key) => TERRAFORM_KEYS.has(key))) {
    const keys = Object.keys(json).slice(0, 5).map((key) => `"${key}"`).join(', ');
    throw new VerifyInputError(`${file} is not a Terraform stack: its JSON has ${keys ? `only ${keys}` : 'no key'} and none of "resource", "terraform" or "//". Give the directory cdktf synth writes (cdktf.out), or a stack's cdk.tf.json.`);
  }
  const declaredName = stringAt(objectAt(objectAt(json, '//'), 'metadata'), 'stackName');
  return { name: declaredName ?? path.basename(path.dirname(path.resolve(file))), json };
}

