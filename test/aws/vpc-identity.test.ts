import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { App, TerraformStack, TerraformVariable } from 'cdktf';
import { compareVpcIds } from '../../lib/aws/vpc-identity';

describe('compareVpcIds: what synthesis can tell of two VPC ids', () => {
  const app = new App();
  const stack = new TerraformStack(app, 'one');
  const other = new TerraformStack(app, 'two');
  const [a, b] = [new Vpc(stack, 'a', {}), new Vpc(stack, 'b', {})];
  const variable = new TerraformVariable(stack, 'vpc', { type: 'string' });
  const in1 = (value: string) => ({ value, stack });

  test('two literals: same or different by value', () => {
    expect(compareVpcIds(in1('vpc-1'), in1('vpc-1'))).toEqual({ relation: 'same', texts: ['vpc-1', 'vpc-1'] });
    expect(compareVpcIds(in1('vpc-1'), in1('vpc-2'))).toEqual({ relation: 'different', texts: ['vpc-1', 'vpc-2'] });
  });

  test('two expressions of one stack: one text is one VPC (each read of an attribute is a new token), two aws_vpc resources are two', () => {
    expect(compareVpcIds(in1(a.id), in1(a.id)).relation).toBe('same');
    expect(compareVpcIds(in1(a.id), in1(b.id))).toEqual({ relation: 'different', texts: ['${aws_vpc.a.id}', '${aws_vpc.b.id}'] });
  });

  test('anything else is unknown: a variable beside a resource, a literal beside an expression, expressions read in two stacks', () => {
    expect(compareVpcIds(in1(variable.stringValue), in1(a.id)).relation).toBe('unknown');
    expect(compareVpcIds(in1('vpc-1'), in1(a.id)).relation).toBe('unknown');
    expect(compareVpcIds(in1(a.id), { value: a.id, stack: other }).relation).toBe('unknown');
  });
});
