import { App, Lazy, TerraformElement, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { LegacyRuleMoves } from '../../lib/aws/legacy-rule-address';
import { withLateWrites } from '../../lib/private/late-writes';
import { asPreparation } from '../../lib/private/preparation-pass';

/** Another element's `moved` blocks, so the stack's list has blocks before and after the legacy ones. */
class OtherMoves extends TerraformElement {
  public constructor(scope: Construct, id: string, private readonly blocks: Array<{ from: string; to: string }>) {
    super(scope, id);
  }

  public toTerraform(): any {
    return { moved: this.blocks };
  }
}

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

  describe('written after cdktf resolves the stack', () => {
    function stackWithMoves(to: string) {
      const stack = new TerraformStack(new App(), 'shop');
      new OtherMoves(stack, 'Before', [{ from: 'aws_instance.old', to: 'aws_instance.web' }]);
      const moves = LegacyRuleMoves.of(stack);
      new OtherMoves(stack, 'After', [{ from: 'aws_instance.old2', to: 'aws_instance.api' }]);
      moves.add('aws_vpc_security_group_ingress_rule.b', 'aws_vpc_security_group_ingress_rule.old2');
      moves.add(to, 'aws_vpc_security_group_ingress_rule.old1');
      return { stack, moves };
    }

    test('GIVEN plain addresses WHEN the JSON is made through withLateWrites THEN cdktf resolves one marker and the blocks take its place in the list', () => {
      const { stack, moves } = stackWithMoves('aws_vpc_security_group_ingress_rule.a');
      let fragment: any;
      withLateWrites(stack, () => {
        fragment = moves.toTerraform();
        return {};
      });
      expect(fragment.moved).toHaveLength(1);
      expect(typeof fragment.moved[0]).toBe('string');

      const resolvedByCdktf = stack.toTerraform();
      const document = withLateWrites(stack, () => stack.toTerraform());
      expect(document).toEqual(resolvedByCdktf);
      expect(document.moved).toEqual([
        { from: 'aws_instance.old', to: 'aws_instance.web' },
        { from: 'aws_vpc_security_group_ingress_rule.old1', to: 'aws_vpc_security_group_ingress_rule.a' },
        { from: 'aws_vpc_security_group_ingress_rule.old2', to: 'aws_vpc_security_group_ingress_rule.b' },
        { from: 'aws_instance.old2', to: 'aws_instance.api' },
      ]);
      // a copy: whoever reads the document may change it
      document.moved[1].to = 'changed';
      expect(moves.toTerraform().moved[0].to).toBe('aws_vpc_security_group_ingress_rule.a');
    });

    test('GIVEN an address that is a token THEN every block goes through cdktf, which resolves it', () => {
      const { stack, moves } = stackWithMoves(Token.asString(Lazy.stringValue({ produce: () => 'aws_vpc_security_group_ingress_rule.z' })));
      let fragment: any;
      withLateWrites(stack, () => {
        fragment = moves.toTerraform();
        return {};
      });
      expect(fragment.moved).toHaveLength(2);
      const document = withLateWrites(stack, () => stack.toTerraform());
      expect(document).toEqual(stack.toTerraform());
      expect(document.moved[1]).toEqual({ from: 'aws_vpc_security_group_ingress_rule.old1', to: 'aws_vpc_security_group_ingress_rule.z' });
    });

    test('GIVEN more blocks than a call takes as arguments THEN all of them are written, in order', () => {
      const stack = new TerraformStack(new App(), 'shop');
      const moves = LegacyRuleMoves.of(stack);
      const count = 200_000;
      const name = (i: number) => `aws_vpc_security_group_ingress_rule.r${String(i).padStart(6, '0')}`;
      for (let i = 0; i < count; i++) moves.add(name(i), `${name(i)}_old`);
      const document = withLateWrites(stack, () => stack.toTerraform());
      expect(document.moved).toHaveLength(count);
      expect(document.moved[0]).toEqual({ from: `${name(0)}_old`, to: name(0) });
      expect(document.moved[count - 1]).toEqual({ from: `${name(count - 1)}_old`, to: name(count - 1) });
    });
  });
});
