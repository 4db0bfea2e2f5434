import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { VerifyInputError, loadTerraform } from '../../lib/verify';

/** Writes `json` as `stacks/<stack>/cdk.tf.json` under a new directory, returns the directory. */
function writeStack(stack: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-load-'));
  fs.mkdirSync(path.join(dir, 'stacks', stack), { recursive: true });
  fs.writeFileSync(path.join(dir, 'stacks', stack, 'cdk.tf.json'), text, 'utf8');
  return dir;
}

describe('loading synthesized JSON', () => {
  test('reads text beyond ASCII as UTF-8: names and descriptions keep their characters', () => {
    const name = 'Équipe paiements – 支払い';
    const dir = writeStack('shop', JSON.stringify({ resource: { nsxt_policy_group: { Web: { display_name: name } } } }, undefined, 2));
    const model = loadTerraform(dir);
    expect(model.resource('shop/nsxt_policy_group.Web')?.body.display_name).toBe(name);
  });

  test('reads an ASCII file to the same values', () => {
    const dir = writeStack('shop', JSON.stringify({ resource: { aws_security_group: { Web: { description: 'web tier (tcp/443)' } } } }));
    expect(loadTerraform(dir).resource('shop/aws_security_group.Web')?.body.description).toBe('web tier (tcp/443)');
  });

  test('names the file when it is not JSON', () => {
    const dir = writeStack('shop', '{ "resource": ');
    expect(() => loadTerraform(dir)).toThrow(/stacks\/shop\/cdk\.tf\.json is not valid JSON/);
  });
});

describe('a stack file that is valid JSON but not an object', () => {
  test.each(['[]', 'null', '42', '"x"', '[1,2]'])('%s is bad input naming the file, not an empty stack', (text) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-not-object-'));
    const file = path.join(dir, 'cdk.tf.json');
    fs.writeFileSync(file, text);
    for (const options of [{}, { lazy: true }]) {
      expect(() => loadTerraform(file, options)).toThrow(VerifyInputError);
      expect(() => loadTerraform(file, options)).toThrow(`${file} is not a Terraform stack`);
    }
  });
});
