import { DefaultTokenResolver, StringConcat, TerraformStack, Token, Tokenization } from 'cdktf';
import { IConstruct } from 'constructs';

/**
 * A value as Terraform will read it in `stack` (`${azurerm_subnet.web.id}`, `${var.partner_cidr}`),
 * or undefined when it cannot be read there (a reference to another stack, or one that fails to
 * resolve). Never throws.
 */
export function terraformText(stack: TerraformStack, value: string | undefined): string | undefined {
  if (value === undefined || !Token.isUnresolved(value)) return value;
  const text = expressionText(stack, value);
  return text?.includes('terraform_remote_state') ? undefined : text;
}

/**
 * A value's text as written, read from `scope`'s stack (a reference to another stack as it names
 * that stack's resource, or as the remote state a synthesis already put in its place), or undefined
 * when it fails to resolve. Only reads: nothing is added to the tree. Never throws.
 */
export function expressionText(scope: IConstruct, value: string): string | undefined {
  if (!Token.isUnresolved(value)) return value;
  try {
    return String(Tokenization.resolve(value, { scope, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) }));
  } catch {
    return undefined;
  }
}
