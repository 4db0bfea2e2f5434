import { isAscii } from 'buffer';
import * as fs from 'fs';
import * as path from 'path';
import { VerifyInputError } from '../errors';
import { readIndentedJson } from './indented-json';
import { StackDocument, StackJson, TerraformModel, asObject, createTerraformModel, objectAt, stringAt } from './terraform-model';

const STACK_FILE = 'cdk.tf.json';

/** Top-level sections only a change's impact reads (a fifth of a large stack's text): parsed when first read. */
const CHANGE_ONLY_SECTIONS: ReadonlySet<string> = new Set(['moved', 'import', 'removed']);

/**
 * Loads synthesized Terraform JSON: a `cdktf.out/` directory (every `stacks/<name>/cdk.tf.json`), one
 * stack directory, or one `cdk.tf.json` file. A file in the layout cdktf writes is read in pieces
 * (see {@link readIndentedJson}); there a long `moved`, `import` or `removed` section, which only a
 * change's impact reads, is parsed when first read: until then the stack JSON's property is a getter.
 */
export function loadTerraform(pathOrDir: string): TerraformModel {
  if (!fs.existsSync(pathOrDir)) throw new VerifyInputError(`no such file or directory: ${pathOrDir}`);
  const documents = fs.statSync(pathOrDir).isDirectory() ? readDirectory(pathOrDir) : [readStackFile(pathOrDir)];
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

function readDirectory(dir: string): StackDocument[] {
  const stacksDir = path.join(dir, 'stacks');
  if (fs.existsSync(stacksDir) && fs.statSync(stacksDir).isDirectory()) {
    return fs.readdirSync(stacksDir)
      .sort()
      .map((name) => path.join(stacksDir, name, STACK_FILE))
      .filter((file) => fs.existsSync(file))
      .map((file) => readStackFile(file));
  }
  const single = path.join(dir, STACK_FILE);
  return fs.existsSync(single) ? [readStackFile(single)] : [];
}

function readStackFile(file: string): StackDocument {
  let json: StackJson;
  try {
    json = asObject(readIndentedJson(file, { deferred: CHANGE_ONLY_SECTIONS }) ?? JSON.parse(readText(file)));
  } catch (error) {
    throw new VerifyInputError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const declaredName = stringAt(objectAt(objectAt(json, '//'), 'metadata'), 'stackName');
  return { name: declaredName ?? path.basename(path.dirname(path.resolve(file))), json };
}

/**
 * A file's text, for a file {@link readIndentedJson} does not read. Synthesized JSON is almost always
 * ASCII, which decodes faster as Latin-1 than as UTF-8 (no validation) with the same result.
 */
function readText(file: string): string {
  const bytes = fs.readFileSync(file);
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}
