import { Estate } from '../estate/estate';
import { isEndpointResource } from '../estate/resource-hosts';
import { JsonObject, TerraformResource } from '../model/terraform-model';
import { PLATFORMS } from '../platforms/registry';

/** How many resources were added, removed and modified, by Terraform type. */
export interface ResourceChangeCounts {
  /** Resources only in "after". */
  readonly added: number;
  /** Resources only in "before". */
  readonly removed: number;
  /** Resources in both whose configuration differs (the `//` metadata aside). */
  readonly modified: number;
  /** The same, per Terraform type: `{ <type>: { added: 1, removed: 0, modified: 0 } }`. */
  readonly byType: Readonly<Record<string, { added: number; removed: number; modified: number }>>;
}

/** What changed between two models, and which part of the estate it can touch. */
export interface ResourceChanges {
  /** The counts. */
  readonly counts: ResourceChangeCounts;
  /**
   * Per changed resource, the keys of the groups and interfaces it is or names (the groups a rule
   * names, the VM whose tags it sets): only pairs with an end attached to one of these can see the
   * change, and only pairs with both ends attached when the rule names a group on each side.
   */
  readonly scopes: readonly ChangeScope[];
  /** True when a change may touch any endpoint (a network ACL, an NSG rule naming no group, a policy's order). */
  readonly global: boolean;
  /** Construct paths of segments and workloads whose inventory entry differs (added, removed, other groups or segments). */
  readonly touchedNames: ReadonlySet<string>;
}

/** What one changed resource can touch. */
export interface ChangeScope {
  /** Keys of the groups and interfaces the resource is or names. */
  readonly keys: ReadonlySet<string>;
  /** True when the resource names a group on each side (a rule between two groups): both ends of a touched pair carry one. */
  readonly bothEnds: boolean;
}

/** Compares two models resource by resource (ignoring the `//` metadata) and scopes what the changes can touch. */
export function resourceChanges(before: Estate, after: Estate): ResourceChanges {
  const byType: Record<string, { added: number; removed: number; modified: number }> = {};
  const count = (type: string, field: 'added' | 'removed' | 'modified') => {
    byType[type] = byType[type] ?? { added: 0, removed: 0, modified: 0 };
    byType[type][field]++;
  };
  const scopes: ChangeScope[] = [];
  let global = false;
  const touch = (estate: Estate, resource: TerraformResource) => {
    // a change to a type no platform reads cannot change reachability
    const platform = PLATFORMS.ofEvaluatedType(resource.type);
    if (!platform) return;
    const keys = [resource.key, ...referencedKeys(estate, resource.stack, resource.body)].filter((key) => {
      const target = estate.model.resource(key);
      return target !== undefined && isEndpointResource(target);
    });
    // a change to a type outside the platforms' scoped types (an ACL, an NSG, a policy's order) may touch any endpoint
    if (keys.length === 0 || !PLATFORMS.scopedTypes.has(resource.type)) global = true;
    const bothEnds = platform.namesGroupsOnBothSides(estate, resource, (body) => referencedKeys(estate, resource.stack, body));
    scopes.push({ keys: new Set(keys), bothEnds });
  };
  for (const resource of after.model.resources) {
    const old = before.model.resource(resource.key);
    if (!old) {
      count(resource.type, 'added');
      touch(after, resource);
    } else if (canonical(old.body) !== canonical(resource.body)) {
      count(resource.type, 'modified');
      touch(before, old);
      touch(after, resource);
    }
  }
  for (const resource of before.model.resources) {
    if (after.model.resource(resource.key)) continue;
    count(resource.type, 'removed');
    touch(before, resource);
  }
  const sum = (field: 'added' | 'removed' | 'modified') => Object.values(byType).reduce((total, counts) => total + counts[field], 0);
  const totals = { added: sum('added'), removed: sum('removed'), modified: sum('modified') };
  return { counts: { ...totals, byType }, scopes, global, touchedNames: inventoryChanges(before, after) };
}

function referencedKeys(estate: Estate, stack: string, body: unknown): string[] {
  const keys: string[] = [];
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      if (!value.includes('${')) return;
      for (const resolved of estate.resolver.values(stack, value)) if (resolved.kind === 'reference') keys.push(resolved.key);
    } else if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (value && typeof value === 'object') {
      Object.entries(value as JsonObject).forEach(([key, inner]) => { if (key !== '//') visit(inner); });
    }
  };
  visit(body);
  return keys;
}

function canonical(body: JsonObject): string {
  const { ['//']: _metadata, ...rest } = body;
  return JSON.stringify(rest);
}

function inventoryChanges(before: Estate, after: Estate): Set<string> {
  const names = new Set<string>();
  const compare = <T>(a: ReadonlyMap<string, T>, b: ReadonlyMap<string, T>) => {
    for (const key of new Set([...a.keys(), ...b.keys()])) if (JSON.stringify(a.get(key)) !== JSON.stringify(b.get(key))) names.add(key);
  };
  compare(before.inventory.segments, after.inventory.segments);
  compare(before.inventory.workloads, after.inventory.workloads);
  return names;
}
