import { DecidingRule } from './layer-verdict';
import { VerifyInputError } from '../errors';
import { Estate } from '../estate/estate';
import { TerraformResource } from '../model/terraform-model';
import { numberOf, stringOf } from '../model/value';

/** The reporting fields of a rule written by `resource` (an inline block adds `[index]` via `suffix`). */
export function ruleOrigin(estate: Estate, resource: TerraformResource, summary: string, suffix = ''): DecidingRule {
  return {
    address: `${estate.naming.addressOf(resource.key)}${suffix}`,
    constructPath: resource.constructPath,
    flows: resource.flows,
    ...(resource.guardrails.length > 0 ? { guardrails: resource.guardrails } : {}),
    summary,
  };
}

/**
 * Reads a numeric field of a resource or block in the resource's stack: undefined when unset or
 * known only at apply. A literal that is not a number (`"abc"`, `true`) is an input error: the
 * provider refuses it, so no verdict may read it as every port or the default number.
 */
export function numberField(estate: Estate, resource: TerraformResource, raw: unknown): number | undefined {
  const value = estate.resolver.value(resource.stack, raw);
  const number = numberOf(value);
  if (number === undefined && value?.kind === 'literal' && String(value.value).trim() !== '') {
    throw new VerifyInputError(`${resource.stack}:${resource.address} has ${JSON.stringify(value.value)} where Terraform takes a number; the provider would refuse it. Synthesize again, or fix the value.`);
  }
  return number;
}

/** Reads a string field of a resource or block in the resource's stack. */
export function stringField(estate: Estate, resource: TerraformResource, raw: unknown): string | undefined {
  return stringOf(estate.resolver.value(resource.stack, raw));
}
