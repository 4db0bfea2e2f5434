import { DefaultTokenResolver, StringConcat, TerraformStack, Token, Tokenization } from 'cdktf';

/**
 * A value as Terraform will read it in `stack` (`${azurerm_subnet.web.id}`, `${var.partner_cidr}`),
 * or undefined when it cannot be read there (a reference to another stack, or one that fails to
 * resolve). Never throws.
 */
export function terraformText(stack: TerraformStack, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!Token.isUnresolved(value)) return value;
  try {
    const text = String(Tokenization.resolve(value, { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()) }));
    return text.includes('terraform_remote_state') ? undefined : text;
  } catch {
    return undefined;
  }
}
