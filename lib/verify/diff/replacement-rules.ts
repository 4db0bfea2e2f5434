import { JsonObject } from '../model/terraform-model';
import { PLATFORMS } from '../platforms/registry';

/** Arguments that are Terraform meta-arguments or comments, not provider arguments. */
export const META_ARGUMENTS = new Set(['//', 'lifecycle', 'depends_on', 'provider', 'count', 'for_each', 'timeouts', 'provisioner', 'connection']);

/** Every platform's replace-vs-update table, merged (each platform declares its own types in its `changeRules`). */
const FORCE_NEW: ReadonlyMap<string, readonly string[] | 'all'> = new Map(
  PLATFORMS.all.flatMap((platform) => Object.entries(platform.changeRules?.forceNew ?? {})),
);

/**
 * The arguments among `changed` that force replacement of a resource of `type` (the provider's
 * `ForceNew` / `RequiresReplace`, from the platform folders), plus the platform's other replacement
 * reasons. A type no platform lists updates in place.
 */
export function replacingArguments(type: string, changed: readonly string[], oldBody: JsonObject, newBody: JsonObject): string[] {
  const rule = FORCE_NEW.get(type);
  const forcing = rule === undefined ? [] : rule === 'all' ? [...changed] : changed.filter((argument) => rule.includes(argument));
  return [...forcing, ...PLATFORMS.all.flatMap((platform) => platform.changeRules?.extraReplacements?.(type, oldBody, newBody) ?? [])];
}
