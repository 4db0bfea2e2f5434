import { TerraformStack, Token } from 'cdktf';
import { terraformText } from '../private/terraform-text';

/** A VPC id as a construct gives it, with the stack it is read in. */
export interface VpcIdIn {
  /** The id: a literal (`vpc-0123`) or a Terraform expression. */
  readonly value: string;
  /** The stack whose Terraform reads it. */
  readonly stack: TerraformStack;
}

/** What synthesis can tell of two VPC ids, and their texts as Terraform reads them when it can. */
export interface VpcComparison {
  /** `same` and `different` are certain; anything else is `unknown`. */
  readonly relation: 'same' | 'different' | 'unknown';
  /** The two ids as Terraform reads them, when both could be read. */
  readonly texts?: readonly [string, string];
}

/**
 * Compares two VPC ids: two literals by value; two expressions only within one stack, where one text
 * is one VPC and references to two `aws_vpc` resources are two VPCs. Anything else is unknown (a
 * variable and a data source may name the same VPC, and one text in two stacks two resources).
 */
export function compareVpcIds(a: VpcIdIn, b: VpcIdIn): VpcComparison {
  const literal = (id: VpcIdIn) => !Token.isUnresolved(id.value);
  if (literal(a) && literal(b)) return { relation: a.value === b.value ? 'same' : 'different', texts: [a.value, b.value] };
  if (literal(a) || literal(b) || a.stack !== b.stack) return { relation: 'unknown' };
  const [first, second] = [terraformText(a.stack, a.value), terraformText(a.stack, b.value)];
  if (first === undefined || second === undefined) return { relation: 'unknown' };
  const texts = [first, second] as const;
  if (first === second) return { relation: 'same', texts };
  return { relation: VPC_REFERENCE.test(first) && VPC_REFERENCE.test(second) ? 'different' : 'unknown', texts };
}

/** A reference to an `aws_vpc` resource's id, as Terraform reads it. */
const VPC_REFERENCE = /^\$\{aws_vpc\.[^.}]+\.id\}$/;
