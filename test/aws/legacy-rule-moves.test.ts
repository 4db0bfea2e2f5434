import { App, TerraformStack } from 'cdktf';
import { LegacyRuleMoves } from '../../lib/aws/legacy-rule-address';
import { asPreparation } from '../../lib/private/preparation-pass';

describe('LegacyRuleMoves', () => {
  test('GIVEN blocks asked for once WHEN moves are added and removed THEN the next blocks follow them, sorted by old address', () => {
    const stack = new TerraformStack(new App(), 'shop');
    const moves = LegacyRuleMoves.of(stack);
    moves.add('aws_vpc_security_group_ingress_rule.b', 'aws_vpc_security_group_ingress_rule.old2');
    moves.add('aws_vpc_security_group_ingress_rule.a', 'aws_vpc_security_group_ingress_rule.old1');
    expect(moves.toTerraform().moved.map((m: { from: string }) => m.from)).toEqual([
      'aws_vpc_security_group_ingress_rule.old1', 'aws_vpc_security_group_ingress_rule.old2',
    ]);

    moves.remove('aws_vpc_security_group_ingress_rule.a');
    moves.add('aws_vpc_security_group_ingress_rule.c', 'aws_vpc_security_group_ingress_rule.old0');
    expect(moves.toTerraform()).toEqual({
      moved: [
        { from: 'aws_vpc_security_group_ingress_rule.old0', to: 'aws_vpc_security_group_ingress_rule.c' },
        { from: 'aws_vpc_security_group_ingress_rule.old2', to: 'aws_vpc_security_group_ingress_rule.b' },
      ],
    });

    // a rule that moves again keeps only its latest old address
    moves.add('aws_vpc_security_group_ingress_rule.b', 'aws_vpc_security_group_ingress_rule.old3');
    expect(moves.toTerraform().moved.map((m: { from: string }) => m.from)).toEqual([
      'aws_vpc_security_group_ingress_rule.old0', 'aws_vpc_security_group_ingress_rule.old3',
    ]);

    moves.remove('aws_vpc_security_group_ingress_rule.b');
    moves.remove('aws_vpc_security_group_ingress_rule.c');
    expect(moves.toTerraform()).toEqual({});
  });

  test('GIVEN no change between two askings THEN the blocks are the same list (made once for the two passes of the synthesis)', () => {
    const stack = new TerraformStack(new App(), 'shop');
    const moves = LegacyRuleMoves.of(stack);
    moves.add('aws_vpc_security_group_ingress_rule.a', 'aws_vpc_security_group_ingress_rule.old1');
    const first = moves.toTerraform().moved;
    expect(first).toEqual([{ from: 'aws_vpc_security_group_ingress_rule.old1', to: 'aws_vpc_security_group_ingress_rule.a' }]);
    expect(moves.toTerraform().moved).toBe(first);

    // adding the move it already has is no change
    moves.add('aws_vpc_security_group_ingress_rule.a', 'aws_vpc_security_group_ingress_rule.old1');
    expect(moves.toTerraform().moved).toBe(first);
  });

  test('GIVEN moves WHEN cdktf prepares the stack THEN there are no blocks to resolve (plain addresses), and all of them after', () => {
    const stack = new TerraformStack(new App(), 'shop');
    const moves = LegacyRuleMoves.of(stack);
    moves.add('aws_vpc_security_group_ingress_rule.a', 'aws_vpc_security_group_ingress_rule.old1');
    expect(asPreparation(stack, () => moves.toTerraform())).toEqual({});
    expect(moves.toTerraform()).toEqual({ moved: [{ from: 'aws_vpc_security_group_ingress_rule.old1', to: 'aws_vpc_security_group_ingress_rule.a' }] });
  });
});
