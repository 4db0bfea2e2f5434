import { readProvenance, stackProvenanceUnsupported } from '../../provenance/contract';
import { VerifyInputError } from '../errors';
import { valueFor } from '../multimap';
import { KeptMember, KeptText, keptTextOf } from './kept-text';

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

/** A resource with one of its fields read, the rest read when asked for. */
export interface ResourceByField {
  /** The stack it belongs to. */
  readonly stack: string;
  /** The field asked for, as written in the JSON (undefined when the resource has none). */
  readonly field: unknown;
  /** The resource, read when first called. */
  resource(): TerraformResource;
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
  /**
   * Every resource of a Terraform type with one of its fields, across stacks and in the order of
   * {@link resourcesOfType}: where the JSON was loaded lazily, a resource is read only when its
   * `resource()` is called (a query reads the rules of a few groups by their `security_group_id`).
   * There `resource()` throws a `KeptLayoutSurprise` (`kept-text.ts`) when the file's layout misled the
   * reader about the resource's field: load the JSON again without `lazy`.
   */
  resourcesOfTypeByField(type: string, field: string): readonly ResourceByField[];
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

/** What a stack's type still kept as text has given out one by one, to be the same objects when it is read whole. */
type ReadOneByOne = Map<string, RecordedResource>;

class IndexedModel implements TerraformModel {
  private all?: readonly TerraformResource[];
  private readonly ofType = new Map<string, readonly TerraformResource[]>();
  private readonly stackTypes = new Map<StackDocument, Map<string, StackType>>();
  private readonly oneByOne = new Map<StackDocument, Map<string, ReadOneByOne>>();
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
      const typeName = address.slice(0, dot);
      const name = address.slice(dot + 1);
      // one already read one by one, or one of a type kept as text: its type need not be read whole
      const one = this.stackTypes.get(stack)?.has(typeName) ? undefined : this.oneOf(stack, typeName, name);
      if (one) return one;
      const type = this.typeIn(stack, typeName);
      type.byName ??= new Map(type.list.map((resource) => [resource.name, resource]));
      const found = type.byName.get(name);
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

  public resourcesOfTypeByField(type: string, field: string): readonly ResourceByField[] {
    return this.stacks.flatMap((stack) => this.byFieldIn(stack, type, field));
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
    return valueFor(valueFor(this.stackTypes, stack, () => new Map<string, StackType>()), type, () => {
      const isData = type.startsWith('data.');
      const byName = asObject(objectAt(stack.json, isData ? 'data' : 'resource')[isData ? type.slice('data.'.length) : type]);
      const given = this.oneByOne.get(stack)?.get(type);
      return { list: Object.keys(byName).map((name) => given?.get(name) ?? new RecordedResource(stack.name, type, name, asObject(byName[name]))) };
    });
  }

  /**
   * A resource of a type not read whole yet: one read before, or the member of the type's kept
   * text, parsed alone (throws a `KeptLayoutSurprise` when the layout misled the reader).
   * Undefined when the type is not kept, has no such member, or has had so many members read
   * one by one that reading it whole is cheaper (see `KeptText.cheaperWhole`).
   */
  private oneOf(stack: StackDocument, type: string, name: string): RecordedResource | undefined {
    const read = this.oneByOneIn(stack, type);
    const given = read.get(name);
    if (given) return given;
    const kept = keptTypeIn(stack, type);
    // past that point the caller reads the type whole, keeping the resources given out so far
    if (!kept?.membersKnown || kept.cheaperWhole) return undefined;
    const body = kept.member(name);
    if (body === undefined) return undefined;
    const recorded = new RecordedResource(stack.name, type, name, asObject(body));
    read.set(name, recorded);
    return recorded;
  }

  /** What a stack's type kept as text has given out one by one. */
  private oneByOneIn(stack: StackDocument, type: string): ReadOneByOne {
    return valueFor(valueFor(this.oneByOne, stack, () => new Map<string, ReadOneByOne>()), type, () => new Map());
  }

  /** A resource of a type read whole. */
  private namedIn(stack: StackDocument, type: string, name: string): TerraformResource {
    const found = this.typeIn(stack, type);
    found.byName ??= new Map(found.list.map((resource) => [resource.name, resource]));
    const resource = found.byName.get(name);
    if (!resource) throw new VerifyInputError(`stack '${stack.name}': ${type}.${name} is not in its JSON where the file's layout showed it`);
    return resource;
  }

  /** The resources of a type in one stack with a field each: one by one when the type is still kept as text. */
  private byFieldIn(stack: StackDocument, type: string, field: string): ResourceByField[] {
    const members = this.stackTypes.get(stack)?.has(type) ? undefined : keptTypeIn(stack, type)?.members(field);
    if (!members) {
      return this.typeIn(stack, type).list.map((resource) => ({ stack: stack.name, field: resource.body[field], resource: () => resource }));
    }
    const read = this.oneByOneIn(stack, type);
    const resourceOf = (member: KeptMember) => {
      const given = read.get(member.name);
      if (given) return given;
      // read whole since the scan
      if (this.stackTypes.get(stack)?.has(type)) return this.namedIn(stack, type, member.name);
      // throws a KeptLayoutSurprise when the layout misled the scan: the caller reads the JSON whole
      const recorded = new RecordedResource(stack.name, type, member.name, asObject(member.value()));
      read.set(member.name, recorded);
      return recorded;
    };
    return members.map((member) => new KeptResourceByField(stack.name, member, resourceOf));
  }
}

/** The text a stack's resource type is still kept as, if it is (data sources never are). */
function keptTypeIn(stack: StackDocument, type: string): KeptText | undefined {
  return type.startsWith('data.') ? undefined : keptTextOf(objectAt(stack.json, 'resource'), type);
}

/** A resource of a type kept as text, with the field the reader read from its line. */
class KeptResourceByField implements ResourceByField {
  constructor(public readonly stack: string, private readonly member: KeptMember, private readonly read: (member: KeptMember) => TerraformResource) {}

  public get field(): unknown {
    return this.member.field;
  }

  public resource(): TerraformResource {
    return this.read(this.member);
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
