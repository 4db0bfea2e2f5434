import { readProvenance, stackProvenanceUnsupported } from '../../provenance/contract';
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
  /** The Terraform types the JSON names (data sources as `data.<type>`), some perhaps without a resource; read without reading the resources. */
  resourceTypes(): readonly string[];
  /** The stack with this name. */
  stack(name: string): StackDocument | undefined;
}

/**
 * Builds the indexed model from stack documents; a stack whose `"//".microseg` provenance has a
 * version this evaluator does not read is bad input (the provenance contract decides). Resources
 * are read per type when first asked for (a query on a large estate reads a few types), each once.
 */
export function createTerraformModel(documents: readonly StackDocument[]): TerraformModel {
  const stacks = [...documents].sort((a, b) => a.name.localeCompare(b.name));
  for (const stack of stacks) {
    const unsupported = stackProvenanceUnsupported(stack.json);
    if (unsupported) throw new VerifyInputError(`stack '${stack.name}': ${unsupported}`);
  }
  return new IndexedModel(stacks);
}

const SECTIONS = [['resource', ''], ['data', 'data.']] as const;

/** The resources of one type in one stack, in the order of the JSON, and by name when asked. */
interface StackType {
  readonly list: readonly TerraformResource[];
  byName?: ReadonlyMap<string, TerraformResource>;
}

class IndexedModel implements TerraformModel {
  private all?: readonly TerraformResource[];
  private readonly ofType = new Map<string, readonly TerraformResource[]>();
  private readonly stackTypes = new Map<StackDocument, Map<string, StackType>>();
  private readonly byStack: ReadonlyMap<string, StackDocument>;

  constructor(public readonly stacks: readonly StackDocument[]) {
    this.byStack = new Map(stacks.map((stack) => [stack.name, stack]));
  }

  public get resources(): readonly TerraformResource[] {
    if (!this.all) {
      this.all = this.stacks.flatMap((stack) => SECTIONS.flatMap(([section, prefix]) =>
        Object.keys(objectAt(stack.json, section)).flatMap((type) => this.typeIn(stack, `${prefix}${type}`).list)));
    }
    return this.all;
  }

  public resource(key: string): TerraformResource | undefined {
    // the last stack of a name wins, as a later entry of a map would
    for (let index = this.stacks.length - 1; index >= 0; index--) {
      const stack = this.stacks[index];
      if (!key.startsWith(`${stack.name}/`)) continue;
      const address = key.slice(stack.name.length + 1);
      const prefix = address.startsWith('data.') ? 'data.' : '';
      const dot = address.indexOf('.', prefix.length);
      if (dot < 0) continue;
      const type = this.typeIn(stack, address.slice(0, dot));
      type.byName ??= new Map(type.list.map((resource) => [resource.name, resource]));
      const found = type.byName.get(address.slice(dot + 1));
      if (found) return found;
    }
    return undefined;
  }

  public resourcesOfType(type: string): readonly TerraformResource[] {
    let list = this.ofType.get(type);
    if (!list) {
      list = this.stacks.flatMap((stack) => this.typeIn(stack, type).list);
      this.ofType.set(type, list);
    }
    return list;
  }

  public resourceTypes(): readonly string[] {
    const types = new Set<string>();
    for (const stack of this.stacks) {
      for (const [section, prefix] of SECTIONS) {
        for (const type of Object.keys(objectAt(stack.json, section))) types.add(`${prefix}${type}`);
      }
    }
    return [...types];
  }

  public stack(name: string): StackDocument | undefined {
    return this.byStack.get(name);
  }

  /** The resources of a type (`data.` prefixed for data sources) in one stack, read once. */
  private typeIn(stack: StackDocument, type: string): StackType {
    let types = this.stackTypes.get(stack);
    if (!types) {
      types = new Map();
      this.stackTypes.set(stack, types);
    }
    let found = types.get(type);
    if (!found) {
      const isData = type.startsWith('data.');
      const byName = asObject(objectAt(stack.json, isData ? 'data' : 'resource')[isData ? type.slice('data.'.length) : type]);
      found = { list: Object.keys(byName).map((name) => new RecordedResource(stack.name, type, name, asObject(byName[name]))) };
      types.set(type, found);
    }
    return found;
  }
}

/** A resource of the JSON; what its `"//"` comment records is read when first asked for. */
class RecordedResource implements TerraformResource {
  private memoKey?: string;
  private comment?: { readonly constructPath?: string; readonly flows: readonly string[]; readonly guardrails: readonly string[] };

  constructor(public readonly stack: string, public readonly type: string, public readonly name: string, public readonly body: JsonObject) {}

  public get key(): string {
    this.memoKey ??= `${this.stack}/${this.type}.${this.name}`;
    return this.memoKey;
  }

  public get address(): string {
    return `${this.type}.${this.name}`;
  }

  public get constructPath(): string | undefined {
    return this.recorded().constructPath;
  }

  public get flows(): readonly string[] {
    return this.recorded().flows;
  }

  public get guardrails(): readonly string[] {
    return this.recorded().guardrails;
  }

  private recorded() {
    if (!this.comment) {
      const provenance = readProvenance(this.body);
      this.comment = {
        constructPath: stringAt(asObject(asObject(this.body['//']).metadata), 'path'),
        flows: provenance.flows,
        guardrails: provenance.guardrails,
      };
    }
    return this.comment;
  }
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
