import { parseExpression, splitTemplate } from '../../lib/verify/model/expression-parser';
import { loadTerraformStacks } from '../../lib/verify/model/load-terraform';
import { Resolver } from '../../lib/verify/model/resolver';

const model = loadTerraformStacks({
  a: {
    resource: {
      aws_security_group: { web: { name: 'web' } },
      aws_instance: { vm: { private_ip: '10.0.0.5', vpc_security_group_ids: ['${aws_security_group.web.id}'] }, bare: {} },
    },
    output: { 'cross-stack-output-aws_security_groupwebid': { value: '${aws_security_group.web.id}' } },
  },
  b: {
    data: { terraform_remote_state: { 'cross-stack-reference-input-a': { backend: 'local' } } },
    resource: { aws_security_group: { local: { name: 'local' } } },
  },
});
const resolver = new Resolver(model);
const REMOTE = 'data.terraform_remote_state.cross-stack-reference-input-a.outputs.cross-stack-output-aws_security_groupwebid';

describe('expression parsing', () => {
  test('splits templates into text and interpolations, honouring nested braces and escapes', () => {
    expect(splitTemplate('${a.b}/32')).toEqual([{ expression: 'a.b' }, { text: '/32' }]);
    expect(splitTemplate('x $${literal} ${f({a = 1})}')).toEqual([{ text: 'x ${literal} ' }, { expression: 'f({a = 1})' }]);
  });

  test('parses references, calls, lists, strings and numbers; rejects other syntax', () => {
    expect(parseExpression('concat([a.b.id], ["x", 1])')).toEqual({
      type: 'call',
      name: 'concat',
      args: [
        { type: 'list', items: [{ type: 'reference', parts: ['a', 'b', 'id'] }] },
        { type: 'list', items: [{ type: 'string', value: 'x' }, { type: 'number', value: 1 }] },
      ],
    });
    expect(parseExpression('a.b[0].c')).toEqual({ type: 'reference', parts: ['a', 'b', '0', 'c'] });
    expect(parseExpression('a ? b : c')).toBeUndefined();
  });
});

describe('resolving values', () => {
  test('identity attributes name the resource; configured attributes resolve to their value', () => {
    expect(resolver.value('a', '${aws_security_group.web.id}')).toEqual({ kind: 'reference', key: 'a/aws_security_group.web', attribute: 'id' });
    expect(resolver.value('a', '${aws_security_group.web.arn}')).toEqual({ kind: 'reference', key: 'a/aws_security_group.web', attribute: 'arn' });
    expect(resolver.value('a', '${aws_instance.vm.private_ip}/32')).toEqual({ kind: 'literal', value: '10.0.0.5/32' });
  });

  test('an attribute that is not configured stays a canonical symbolic expression', () => {
    expect(resolver.value('a', '${aws_instance.bare.private_ip}/32')).toEqual({ kind: 'symbolic', text: '${a/aws_instance.bare.private_ip}/32' });
    expect(resolver.value('a', '${var.cidr}')).toEqual({ kind: 'symbolic', text: '${a:var.cidr}' });
    expect(resolver.value('a', '${cidrsubnet("10.0.0.0/8", 8, 1)}')).toMatchObject({ kind: 'symbolic' });
  });

  test('remote-state outputs resolve into the producing stack', () => {
    expect(resolver.value('b', `\${${REMOTE}}`)).toEqual({ kind: 'reference', key: 'a/aws_security_group.web', attribute: 'id' });
  });

  test('concat flattens lists across stacks, and references to list attributes follow the configuration', () => {
    expect(resolver.values('b', `\${concat([${REMOTE}], [aws_security_group.local.id])}`).map((v) => (v.kind === 'reference' ? v.key : v)))
      .toEqual(['a/aws_security_group.web', 'b/aws_security_group.local']);
    expect(resolver.values('a', '${aws_instance.vm.vpc_security_group_ids}')).toEqual([{ kind: 'reference', key: 'a/aws_security_group.web', attribute: 'id' }]);
  });
});
