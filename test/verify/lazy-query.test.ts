import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { loadFixture } from './fixtures';
import { EstateSpec, estateArb, probesOf } from './random-estate';
import { PLATFORMS, synthesize } from './random-platforms';
import { runQuery } from '../../lib/cli/query-command';
import { verdictToJson } from '../../lib/cli/verdict-json';
import { evaluate } from '../../lib/verify/evaluate';
import { readIndentedJson } from '../../lib/verify/model/indented-json';
import { keptTextOf } from '../../lib/verify/model/kept-text';
import { loadTerraform } from '../../lib/verify/model/load-terraform';
import { StackDocument, TerraformModel, TerraformResource, createTerraformModel } from '../../lib/verify/model/terraform-model';

// A query reads a lazily loaded file (`microseg query`): the resource types stay text and only the
// security group rules of the groups it touches are parsed. Its verdicts must be those of the file
// read whole, and what it did not ask about must stay unread.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'microseg-lazy-'));
let files = 0;
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const LAZY = { keptWithin: new Set(['resource']), keptFields: ['security_group_id'] };
const RULE_TYPES = ['aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule'];

/** Writes each stack as cdktf does and reads it back lazily, in pieces of `batchBytes` (small, so every type is kept). */
function lazily(model: TerraformModel, batchBytes: number): TerraformModel {
  const documents: StackDocument[] = model.stacks.map((stack) => {
    const file = path.join(dir, `${files++}.json`);
    fs.writeFileSync(file, JSON.stringify(stack.json, undefined, 2));
    return { name: stack.name, json: readIndentedJson(file, { batchBytes, ...LAZY }) as Record<string, unknown> };
  });
  return createTerraformModel(documents);
}

/** The rule types of a lazily read model that are still text, per stack. */
function rulesKept(model: TerraformModel): number {
  return model.stacks.reduce((count, stack) => count + RULE_TYPES.filter((type) => keptTextOf(stack.json.resource as object, type)).length, 0);
}

describe('a query on a lazily read file', () => {
  test.each([PLATFORMS[0], PLATFORMS[3]].map((p) => [p.name, p] as const))('%s: random estates, every verdict and deciding rule as when the file is read whole', (_name, platform) => {
    fc.assert(fc.property(estateArb(false), fc.integer({ min: 40, max: 400 }), (spec: EstateSpec, batchBytes) => {
      const whole = synthesize(platform, spec);
      const lazy = lazily(whole, batchBytes);
      const kept = rulesKept(lazy);
      for (const { source, destination, protocol, port } of probesOf(spec, 1000)) {
        const question = { from: /^[WX]/.test(source) ? `prop/${source}` : source, to: /^[WX]/.test(destination) ? `prop/${destination}` : destination, port: `${protocol}/${port}` };
        expect(verdictToJson(evaluate(lazy, question))).toStrictEqual(verdictToJson(evaluate(whole, question)));
      }
      // the rule types an estate has were kept as text, so the member-by-member path was taken
      const hasType = (json: Record<string, unknown>, type: string) => (json.resource as Record<string, unknown> | undefined)?.[type] !== undefined;
      const ruleTypes = whole.stacks.reduce((count, stack) => count + RULE_TYPES.filter((type) => hasType(stack.json, type)).length, 0);
      expect(kept).toBe(ruleTypes);
    }), { numRuns: 25, seed: 20261202 });
  });

  test('GIVEN a large estate read lazily WHEN one flow is queried THEN the rule types stay text and only the touched groups\' rules are read', () => {
    // GIVEN the AWS fixture, read lazily
    const whole = loadFixture('aws-sg');
    const lazy = lazily(whole, 64);
    expect(rulesKept(lazy)).toBe(2);
    // WHEN
    const verdict = evaluate(lazy, { from: 'app/Web', to: 'app/Api', port: 'tcp/8080' });
    // THEN the verdict is the whole file's, and neither rule type was parsed whole
    expect(verdictToJson(verdict)).toStrictEqual(verdictToJson(evaluate(whole, { from: 'app/Web', to: 'app/Api', port: 'tcp/8080' })));
    expect(verdict.allowed).toBe(true);
    expect(rulesKept(lazy)).toBe(2);
  });

  test('GIVEN a stack whose rule types are longer than a piece WHEN loadTerraform reads it lazily and one flow is queried THEN the rule types stay text', () => {
    // GIVEN the AWS fixture with each rule repeated under new names (the same permissions) until
    // each rule type spans many of the loader's pieces
    const json = JSON.parse(JSON.stringify(loadFixture('aws-sg').stacks[0].json));
    for (const type of RULE_TYPES) {
      const rules = json.resource[type];
      for (const [name, rule] of Object.entries(rules)) for (let copy = 0; copy < 400; copy++) rules[`${name}_copy${copy}`] = rule;
    }
    const file = path.join(dir, `${files++}.json`);
    fs.writeFileSync(file, JSON.stringify(json, undefined, 2));
    // WHEN read as `microseg query` reads it, with the fields the platforms look resources up by
    const lazy = loadTerraform(file, { lazy: true });
    expect(rulesKept(lazy)).toBe(2);
    const verdict = evaluate(lazy, { from: 'app/Web', to: 'app/Api', port: 'tcp/8080' });
    // THEN the verdict is the whole file's, and neither rule type was parsed whole
    expect(verdictToJson(verdict)).toStrictEqual(verdictToJson(evaluate(loadTerraform(file), { from: 'app/Web', to: 'app/Api', port: 'tcp/8080' })));
    expect(verdict.allowed).toBe(true);
    expect(rulesKept(lazy)).toBe(2);
  });

  test('GIVEN a kept type WHEN its resources are looked up one by one THEN past an eighth of its text it is read whole, and what was given out stays the same objects', () => {
    // GIVEN 80 security groups of about the same size, read lazily
    const groups: Record<string, unknown> = {};
    for (let i = 0; i < 80; i++) groups[`sg${String(i).padStart(2, '0')}`] = { name: `group-${String(i).padStart(2, '0')}`, vpc_id: 'vpc-1' };
    const file = path.join(dir, `${files++}.json`);
    fs.writeFileSync(file, JSON.stringify({ resource: { aws_security_group: groups } }, undefined, 2));
    const lazy = createTerraformModel([{ name: 'app', json: readIndentedJson(file, { batchBytes: 64, ...LAZY }) as Record<string, unknown> }]);
    const kept = () => keptTextOf(lazy.stacks[0].json.resource as object, 'aws_security_group') !== undefined;
    // WHEN they are looked up one by one until the type is no longer text
    const given: TerraformResource[] = [];
    while (kept() && given.length < 80) given.push(lazy.resource(`app/aws_security_group.sg${String(given.length).padStart(2, '0')}`)!);
    // THEN that took a little more than an eighth of them (a group's body is most of its share of
    // the text), each was the group asked for, and those given out before are the same objects
    expect(given.length).toBeGreaterThan(10);
    expect(given.length).toBeLessThanOrEqual(14);
    expect(given.map((resource) => resource.body.name)).toEqual(Array.from({ length: given.length }, (_, i) => `group-${String(i).padStart(2, '0')}`));
    const all = lazy.resourcesOfType('aws_security_group');
    expect(all.length).toBe(80);
    expect(all.slice(0, given.length).every((resource, i) => resource === given[i])).toBe(true);
    expect(lazy.resource('app/aws_security_group.sg79')?.body.name).toBe('group-79');
  });

  test('GIVEN a file whose layout misleads the lazy reader about a rule\'s group WHEN queried THEN the answer is the whole file\'s', () => {
    // GIVEN a synthesized stack where one rule's own security_group_id is written one space deeper and a
    // block inside the rule holds a line at its fields' indentation naming another group
    const json = JSON.parse(JSON.stringify(loadFixture('aws-sg').stacks[0].json)) as { resource: Record<string, Record<string, Record<string, unknown>>> };
    const ingress = json.resource.aws_vpc_security_group_ingress_rule;
    const [name, rule] = Object.entries(ingress).find(([, body]) => String(body.security_group_id).includes('aws_security_group.api.'))!;
    const padding = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`pad${i}`, { security_group_id: '${aws_security_group.nobody.id}', cidr_ipv4: '192.0.2.1/32', ip_protocol: 'tcp', from_port: 1, to_port: 1 }]));
    Object.assign(ingress, padding);
    const text = JSON.stringify(json, undefined, 2).replace(
      `      "${name}": {\n`,
      `      "${name}": {\n        "tags": {\n        "security_group_id": "\${aws_security_group.nobody.id}"\n        },\n`,
    ).replace(`        "security_group_id": "${String(rule.security_group_id)}"`, `         "security_group_id": "${String(rule.security_group_id)}"`);
    const out = path.join(dir, `misleading-${files++}`);
    fs.mkdirSync(path.join(out, 'stacks', 'app'), { recursive: true });
    fs.writeFileSync(path.join(out, 'stacks', 'app', 'cdk.tf.json'), text);
    const eager = JSON.parse(text) as { resource: Record<string, Record<string, Record<string, unknown>>> };
    expect(eager.resource.aws_vpc_security_group_ingress_rule[name].security_group_id).toBe(rule.security_group_id);
    expect(eager.resource.aws_vpc_security_group_ingress_rule[name].tags).toEqual({ security_group_id: '${aws_security_group.nobody.id}' });
    // the ingress rules are longer than a piece: `microseg query` keeps them as text
    const kept = loadTerraform(out, { lazy: true }).stack('app')!.json.resource as object;
    expect(keptTextOf(kept, 'aws_vpc_security_group_ingress_rule')).toBeDefined();
    // WHEN the query command answers, reading lazily first
    const printed: string[] = [];
    const code = runQuery(out, { from: 'app/Web', to: 'app/Api', port: 'tcp/8080' }, { stdout: (line: string) => printed.push(line), stderr: () => undefined, columns: 200 });
    // THEN Web reaches Api, as it does when the file is read whole
    expect(printed.join('')).toMatch(/^ALLOWED/);
    expect(code).toBe(0);
  });

  test('GIVEN a rule whose only line naming a group lies inside a block WHEN that group is queried THEN the command reads the file whole and answers', () => {
    // GIVEN a rule without a group of its own whose tags block holds a line, at the rule's fields' indentation, naming api's group
    const json = JSON.parse(JSON.stringify(loadFixture('aws-sg').stacks[0].json)) as { resource: Record<string, Record<string, Record<string, unknown>>> };
    const ingress = json.resource.aws_vpc_security_group_ingress_rule;
    Object.assign(ingress, Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`pad${i}`, { security_group_id: '${aws_security_group.nobody.id}', cidr_ipv4: '192.0.2.1/32', ip_protocol: 'tcp', from_port: 1, to_port: 1 }])));
    ingress.groupless = { cidr_ipv4: '198.51.100.0/24', ip_protocol: 'tcp', from_port: 8080, to_port: 8080 };
    const text = JSON.stringify(json, undefined, 2).replace(
      '      "groupless": {\n',
      '      "groupless": {\n        "tags": {\n        "security_group_id": "${aws_security_group.api.id}"\n        },\n',
    );
    const out = path.join(dir, `groupless-${files++}`);
    fs.mkdirSync(path.join(out, 'stacks', 'app'), { recursive: true });
    fs.writeFileSync(path.join(out, 'stacks', 'app', 'cdk.tf.json'), text);
    expect((JSON.parse(text) as typeof json).resource.aws_vpc_security_group_ingress_rule.groupless.security_group_id).toBeUndefined();
    // WHEN
    const printed: string[] = [];
    const code = runQuery(out, { from: 'app/Web', to: 'app/Api', port: 'tcp/8080', json: true }, { stdout: (line: string) => printed.push(line), stderr: () => undefined });
    // THEN the answer is the whole file's: the rule without a group decides nothing
    const verdict = JSON.parse(printed.join('')) as { allowed: boolean };
    const whole = evaluate(loadTerraform(out), { from: 'app/Web', to: 'app/Api', port: 'tcp/8080' });
    expect([code, verdict]).toEqual([0, verdictToJson(whole)]);
    expect(verdict.allowed).toBe(true);
  });

  describe('valid JSON laid out otherwise on one line', () => {
    /** The AWS fixture with 2,000 rules of a group no question names in each rule type, as cdktf writes it. */
    function paddedText(): string {
      const json = JSON.parse(JSON.stringify(loadFixture('aws-sg').stacks[0].json)) as { resource: Record<string, Record<string, unknown>> };
      for (const type of RULE_TYPES) {
        Object.assign(json.resource[type], Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`pad${i}`, {
          security_group_id: '${aws_security_group.legacy.id}', cidr_ipv4: '192.0.2.1/32', ip_protocol: 'tcp', from_port: 1, to_port: 1,
        }])));
      }
      return JSON.stringify(json, undefined, 2);
    }
    const rule = (port: number, peer: string) => ({ security_group_id: '${aws_security_group.api.id}', ip_protocol: 'tcp', from_port: port, to_port: port, cidr_ipv4: peer });
    const API_GROUP_LINE = '        "security_group_id": "${aws_security_group.api.id}",\n';
    const API_RULE_LINE = '      "api_in_8080_web": {\n';

    test.each([
      ['a group line that also holds the next field', API_GROUP_LINE, '        "security_group_id": "${aws_security_group.api.id}", "ip_protocol": "tcp",\n', 'app/Web', 'tcp/8080', 2],
      ['a space before a group key\'s colon', API_GROUP_LINE, '        "security_group_id" : "${aws_security_group.api.id}",\n', 'app/Web', 'tcp/8080', 2],
      ['a tab before a group key\'s colon', API_GROUP_LINE, '        "security_group_id"\t: "${aws_security_group.api.id}",\n', 'app/Web', 'tcp/8080', 2],
      ['a line break before a group key\'s colon', API_GROUP_LINE, '        "security_group_id"\n        : "${aws_security_group.api.id}",\n', 'app/Web', 'tcp/8080', 2],
      ['a one-line member before the next member\'s name on its line', API_RULE_LINE, `      "api_in_9999_any": ${JSON.stringify(rule(9999, '0.0.0.0/0'))}, "api_in_8080_web": {\n`, '203.0.113.9', 'tcp/9999', 0],
      ['members named like array indexes, which JSON.parse orders first', API_RULE_LINE,
        `      "20": ${JSON.stringify(rule(8080, '0.0.0.0/0'), undefined, 2).replace(/\n/g, '\n      ')},\n      "10": ${JSON.stringify(rule(8080, '0.0.0.0/0'), undefined, 2).replace(/\n/g, '\n      ')},\n${API_RULE_LINE}`,
        'app/Web', 'tcp/8080', 0],
    ])('GIVEN %s WHEN queried THEN the answer and its deciding rules are the whole file\'s', (_what, line, edited, from, port, kept) => {
      // GIVEN (a field read from its line keeps the rule types as text; a name the walk cannot trust makes the reader parse them whole)
      const text = paddedText();
      expect(text).toContain(line);
      const out = path.join(dir, `one-line-${files++}`);
      fs.mkdirSync(path.join(out, 'stacks', 'app'), { recursive: true });
      fs.writeFileSync(path.join(out, 'stacks', 'app', 'cdk.tf.json'), text.replace(line, edited));
      expect(rulesKept(loadTerraform(out, { lazy: true }))).toBe(kept);
      // WHEN
      const printed: string[] = [];
      const code = runQuery(out, { from, to: 'app/Api', port, json: true }, { stdout: (printedLine: string) => printed.push(printedLine), stderr: () => undefined });
      // THEN
      const whole = evaluate(loadTerraform(out), { from, to: 'app/Api', port });
      expect(whole.allowed).toBe(true);
      expect([code, JSON.parse(printed.join(''))]).toEqual([0, verdictToJson(whole)]);
    });
  });
});
