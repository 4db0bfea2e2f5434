import { readProvenance, readStackProvenance } from '../../provenance/contract';
import { VerifyInputError } from '../errors';

/** The JSON of one synthesized stack (`cdk.tf.json`), as parsed. */
export type StackJson = Record<string, unknown>;

/** Any JSON object. */
export type JsonObject = Record<string, unknown>;

/** One resource or data source of one stack. */
export interface TerraformResource {
  /** `<stack>/<type>.<name>` (data sources: `<stack>/data.<type>.<name>`), unique across stacks. */
  readonly key: string;
  /** The stack it belongs to. */
  readonly stack: string;
  /** The Terraform type (`aws_security_group`). */
  readonly type: string;
  /** The Terraform name (`Web_sg_ABC123`). */
  readonly name: string;
  /** The Terraform address inside its stack (`aws_security_group.Web_sg_ABC123`). */
  readonly address: string;
  /** The resource's configuration as written in the JSON. */
  readonly body: JsonObject;
  /** cdktf's construct path from `"//".metadata.path`, if present. */
  readonly constructPath?: string;
  /** The AllowFlow construct paths the library recorded in `"//".microseg.flows`. */
  readonly flows: readonly string[];
  /** The guardrail construct paths the library recorded in `"//".microseg.guardrails` (deny rules). */
  readonly guardrails: readonly string[];
}

/** One stack: its name and JSON. */
export interface StackDocument {
  /** The stack name (the folder under `stacks/`, or `"//".metadata.stackName`). */
  readonly name: string;
  /** The parsed `cdk.tf.json`. */
  readonly json: StackJson;
}

/** Every stack of a synthesized app with its resources indexed. */
export interface TerraformModel {
  /** The stacks, sorted by name. */
  readonly stacks: readonly StackDocument[];
  /** Every resource and data source of every stack. */
  readonly resources: readonly TerraformResource[];
  /** The resource with this key (`<stack>/<type>.<name>`). */
  resource(key: string): TerraformResource | undefined;
  /** Every resource of a Terraform type, across stacks. */
  resourcesOfType(type: string): readonly TerraformResource[];
  /** The stack with this name. */
  stack(name: string): StackDocument | undefined;
}

/**
 * Builds the indexed model from stack documents; a stack whose `"//".microseg` provenance has a
 * version this evaluator does not read is bad input (the provenance contract decides).
 */
export function createTerraformModel(documents: readonly StackDocument[]): TerraformModel {
  const stacks = [...documents].sort((a, b) => a.name.localeCompare(b.name));
  for (const stack of stacks) {
    const unsupported = readStackProvenance(stack.json).unsupported;
    if (unsupported) throw new VerifyInputError(`stack '${stack.name}': ${unsupported}`);
  }
  const resources = stacks.flatMap(readResources);
  const byKey = new Map(resources.map((resource) => [resource.key, resource]));
  const byType = new Map<string, TerraformResource[]>();
  for (const resource of resources) {
    const ofType = byType.get(resource.type);
    if (ofType) ofType.push(resource);
    else byType.set(resource.type, [resource]);
  }
  const byStack = new Map(stacks.map((stack) => [stack.name, stack]));
  return {
    stacks,
    resources,
    resource: (key) => byKey.get(key),
    resourcesOfType: (type) => byType.get(type) ?? [],
    stack: (name) => byStack.get(name),
  };
}

function readResources(stack: StackDocument): TerraformResource[] {
  const result: TerraformResource[] = [];
  for (const [section, prefix] of [['resource', ''], ['data', 'data.']] as const) {
    for (const [type, byName] of Object.entries(objectAt(stack.json, section))) {
      for (const [name, body] of Object.entries(asObject(byName))) {
        const config = asObject(body);
        const comment = asObject(config['//']);
        const provenance = readProvenance(config);
        result.push({
          key: `${stack.name}/${prefix}${type}.${name}`,
          stack: stack.name,
          type: `${prefix}${type}`,
          name,
          address: `${prefix}${type}.${name}`,
          body: config,
          constructPath: stringAt(asObject(comment.metadata), 'path'),
          flows: provenance.flows,
          guardrails: provenance.guardrails,
        });
      }
    }
  }
  return result;
}

/** The value as an object, or an empty object if it is not one. */
export function asObject(value: unknown): JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as JsonObject : {};
}

/** The value as an array, wrapping a single non-array value and dropping undefined. */
export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** The object at `key`, or an empty object. */
export function objectAt(object: JsonObject, key: string): JsonObject {
  return asObject(object[key]);
}

/** The string at `key`, if it is one. */
export function stringAt(object: JsonObject, key: string): string | undefined {
  const value = object[key];
  return typeof value === 'string' ? value : undefined;
}

/** The strings in the list at `key`. */
export function stringsAt(object: JsonObject, key: string): string[] {
  return asArray(object[key]).filter((item): item is string => typeof item === 'string');
}

/** The blocks at `key` (cdktf writes nested blocks as an object or an array of objects). */
export function blocksAt(object: JsonObject, key: string): JsonObject[] {
  return asArray(object[key]).map(asObject);
}
