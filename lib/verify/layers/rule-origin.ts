import { DecidingRule } from './layer-verdict';
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

/** Reads a numeric field of a resource or block in the resource's stack. */
export function numberField(estate: Estate, resource: TerraformResource, raw: unknown): number | undefined {
  return numberOf(estate.resolver.value(resource.stack, raw));
}

/** Reads a string field of a resource or block in the resource's stack. */
export function stringField(estate: Estate, resource: TerraformResource, raw: unknown): string | undefined {
  return stringOf(estate.resolver.value(resource.stack, raw));
}
