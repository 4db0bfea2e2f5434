import { META_ARGUMENTS } from './replacement-rules';
import { JsonObject, TerraformResource } from '../model/terraform-model';
import type { UniqueKey, ValueText } from '../platforms/evaluator-platform';
import { PLATFORMS } from '../platforms/registry';

export type { UniqueKey, ValueText } from '../platforms/evaluator-platform';

/** The values of `resource` that its platform accepts only once (see each platform's `changeRules.uniqueKeys`). */
export function uniqueKeys(resource: TerraformResource, text: ValueText): UniqueKey[] {
  return PLATFORMS.all.flatMap((platform) => platform.changeRules?.uniqueKeys(resource, text) ?? []);
}

/** Arguments that name, number or describe a rule without changing which traffic it matches. */
const NOT_MEANING = new Set(['description', 'name', 'display_name', 'priority', 'rule_number', 'sequence_number', 'tags', 'tags_all', 'nsx_id']);

/** Rule types of every platform. */
const RULE_TYPES = new Set(PLATFORMS.all.flatMap((platform) => platform.changeRules?.ruleTypes ?? []));

/** What a rule matches and does (its type and every argument but names, numbers and descriptions), or undefined for a non-rule. */
export function ruleMeaning(resource: TerraformResource, text: ValueText): string | undefined {
  if (!RULE_TYPES.has(resource.type)) return undefined;
  const entries = Object.entries(resource.body as JsonObject)
    .filter(([argument]) => !META_ARGUMENTS.has(argument) && !NOT_MEANING.has(argument))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([argument, raw]) => `${argument}=${text(raw)}`);
  return [resource.type, ...entries].join('|');
}
