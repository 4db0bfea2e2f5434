import * as fs from 'fs';
import * as v8 from 'v8';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';

/**
 * The floor the library is measured against: plain cdktf, written well, that builds the very
 * resources the library synthesized. It is driven by the library's output (one stack's parsed
 * cdk.tf.json) the way a hand-written program is driven by its own data, and it:
 * - uses the same provider classes (`@cdktf/provider-aws/lib/security-group`, the library's own
 *   `nsxt` bindings, ...), loading only the packages of the types it builds;
 * - creates each resource once, at the construct path the library used (so addresses and metadata
 *   are the same), with the same arguments;
 * - reads each referenced attribute once (`group.id`) and reuses the token for every reference;
 * - writes the same provenance (`"//".microseg`) and `moved` blocks.
 * The bench checks that its output is byte-identical to the library's.
 *
 * Preparing the plan (parsing the reference, converting argument names) is done by {@link planPlain}
 * before the measured part, {@link buildPlain}.
 */
export interface PlainPlan {
  readonly stackName: string;
  readonly providers: Array<{ readonly name: string; readonly config: any }>;
  readonly resources: PlannedResource[];
  readonly inventory?: unknown;
  readonly moved?: unknown[];
}

/** One resource or data source of the plan. */
export interface PlannedResource {
  /** `resource` or `data`. */
  readonly kind: 'resource' | 'data';
  readonly type: string;
  readonly name: string;
  /** Construct path below the stack. */
  readonly path: string[];
  /** Constructor props, camelCase, references still as `${type.name.attr}` strings. */
  readonly props: any;
  /** Addresses (`type.name`, `data.type.name`) its props reference. */
  readonly references: string[];
  readonly provenance?: unknown;
}

/** Keys whose values are maps of user keys (kept as written, not converted to camelCase). */
const MAP_ARGUMENTS = new Set(['tags', 'tags_all', 'labels']);

function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function toProps(value: any): any {
  if (Array.isArray(value)) return value.map(toProps);
  if (value === null || typeof value !== 'object') return value;
  const props: any = {};
  for (const [key, v] of Object.entries<any>(value)) {
    if (key === '//') continue;
    props[camel(key)] = MAP_ARGUMENTS.has(key) ? v : toProps(v);
  }
  return props;
}

/**
 * Writes the plan of the library's output `reference` (a cdk.tf.json) to `file` in V8's
 * serialization format, for {@link readFloorPlan}: the bench prepares it once per estate and mode,
 * so the floor's process reads its plan without parsing JSON.
 */
export function writeFloorPlan(reference: string, file: string): void {
  fs.writeFileSync(file, v8.serialize(planPlain(JSON.parse(fs.readFileSync(reference, 'utf8')))));
}

/** Reads a plan that {@link writeFloorPlan} wrote. */
export function readFloorPlan(file: string): PlainPlan {
  return v8.deserialize(fs.readFileSync(file)) as PlainPlan;
}

/** Turns one stack's cdk.tf.json (parsed) into the plan {@link buildPlain} replays. */
export function planPlain(reference: any): PlainPlan {
  const known = new Set(['//', 'terraform', 'provider', 'resource', 'data', 'moved']);
  const unknown = Object.keys(reference).filter((key) => !known.has(key));
  if (unknown.length > 0) throw new Error(`the plain floor cannot rebuild top-level ${unknown.join(', ')}`);
  const stackName = reference['//'].metadata.stackName;
  const providers = Object.entries<any>(reference.provider ?? {}).map(([name, blocks]) => {
    if (blocks.length !== 1) throw new Error(`the plain floor builds one ${name} provider block, found ${blocks.length}`);
    return { name, config: toProps(blocks[0]) };
  });
  const resources: PlannedResource[] = [];
  for (const kind of ['data', 'resource'] as const) {
    for (const [type, byName] of Object.entries<any>(reference[kind] ?? {})) {
      for (const [name, body] of Object.entries<any>(byName)) {
        const path = String(body['//'].metadata.path).split('/');
        if (path.shift() !== stackName) throw new Error(`${type}.${name}: path ${body['//'].metadata.path} is not in stack ${stackName}`);
        const props = toProps(body);
        // `depends_on` names resources bare (`type.name`): they are references too, built first
        const dependencies: string[] = Array.isArray(body.depends_on) ? body.depends_on : [];
        const references = [...new Set([...JSON.stringify(props).matchAll(/\$\{((?:data\.)?[a-z0-9_]+\.[^.}]+)/g)].map((m) => m[1]).concat(dependencies))];
        resources.push({ kind, type, name, path, props, references, provenance: body['//'].microseg });
      }
    }
  }
  return { stackName, providers, resources, inventory: reference['//'].microseg, moved: reference.moved };
}

const classes = new Map<string, any>();

/** The provider class of a Terraform type (`aws_security_group` -> SecurityGroup of provider-aws), loaded once. */
function classOf(kind: 'resource' | 'data' | 'provider', type: string): any {
  const key = `${kind} ${type}`;
  let found = classes.get(key);
  if (!found) {
    found = loadClass(kind, type);
    classes.set(key, found);
  }
  return found;
}

/**
 * The module of the prebuilt provider package that holds the class of a Terraform type
 * (`aws_network_acl_rule` -> `@cdktf/provider-aws/lib/network-acl-rule`, data source
 * `aws_vpc` -> `@cdktf/provider-aws/lib/data-aws-vpc`).
 */
export function providerModuleOf(kind: 'resource' | 'data' | 'provider', type: string): string {
  const [provider, ...rest] = type.split('_');
  const base = kind === 'provider' ? ['provider'] : kind === 'data' ? ['data', provider, ...rest] : rest;
  return `@cdktf/provider-${provider}/lib/${base.join('-')}`;
}

function loadClass(kind: 'resource' | 'data' | 'provider', type: string): any {
  const [provider, ...rest] = type.split('_');
  if (provider === 'nsxt') {
    // the library's hand-written nsxt bindings (no prebuilt package exists)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nsxt = require('../lib/vsphere/nsx');
    const name = kind === 'provider' ? 'NsxtProvider' : `Nsxt${rest.map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('')}`;
    if (!nsxt[name]) throw new Error(`no nsxt binding ${name} for ${type}`);
    return nsxt[name];
  }
  const modulePath = providerModuleOf(kind, type);
  // the class is named as its module (network-acl-rule: NetworkAclRule), a provider's after its provider (AwsProvider)
  const words = kind === 'provider' ? [provider, 'provider'] : modulePath.slice(modulePath.lastIndexOf('/') + 1).split('-');
  const pascal = words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
  // the module is named by the resource type the plan holds
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(modulePath);
  const found = module[pascal] ?? Object.values(module).find((value: any) => typeof value === 'function' && value.tfResourceType === type);
  if (!found) throw new Error(`no class ${pascal} in ${modulePath}`);
  return found;
}

/**
 * The floor's stack: it writes the resources' `"//".microseg` comments and the `moved` blocks into
 * its JSON once cdktf has resolved it, as the library writes its rules' provenance and legacy moves.
 * They are plain data: cdktf's resolution would only copy them, twice. (An `addOverride` per resource
 * would be worse: cdktf merges the stack's override lists once per resource, a cost that grows with
 * the square of the resources.)
 */
class FloorStack extends TerraformStack {
  private readonly comments: Array<[any, unknown]> = [];
  /** The `moved` blocks, written after any a resource of the stack writes. */
  public moved?: unknown[];

  public comment(resource: any, microseg: unknown): void {
    this.comments.push([resource, microseg]);
  }

  public toTerraform(): any {
    const document = super.toTerraform();
    for (const [target, microseg] of this.comments) {
      const bodies = ((document.resource ??= {})[target.terraformResourceType] ??= {});
      const body = (bodies[target.friendlyUniqueId] ??= {});
      (body['//'] ??= {}).microseg = microseg;
    }
    if (this.moved !== undefined) document.moved = [...(document.moved ?? []), ...this.moved];
    return document;
  }
}

/** Builds the plan with plain cdktf into `app` (the measured part of the floor). */
export function buildPlain(app: App, plan: PlainPlan): TerraformStack {
  const stack = new FloorStack(app, plan.stackName);
  for (const provider of plan.providers) {
    const Provider = classOf('provider', provider.name);
    new Provider(stack, provider.name, provider.config);
  }
  const scopes = new Map<string, Construct>();
  const scopeOf = (path: string[]): Construct => {
    let scope: Construct = stack;
    for (let i = 0; i < path.length; i++) {
      const key = path.slice(0, i + 1).join('/');
      let next = scopes.get(key);
      if (!next) {
        next = new Construct(scope, path[i]);
        scopes.set(key, next);
      }
      scope = next;
    }
    return scope;
  };
  const built = new Map<string, any>();
  // each referenced attribute is read once; every later reference reuses the token
  const tokens = new Map<string, any>();
  const token = (reference: string): any => {
    let value = tokens.get(reference);
    if (value === undefined) {
      const parts = reference.split('.');
      const address = parts[0] === 'data' ? parts.slice(0, 3).join('.') : parts.slice(0, 2).join('.');
      const attribute = parts.slice(address.split('.').length);
      const resource = built.get(address);
      if (!resource) throw new Error(`reference to ${address} before it was built`);
      value = attribute.length === 1 && camel(attribute[0]) in resource ? resource[camel(attribute[0])] : resource.getStringAttribute(attribute.join('.'));
      tokens.set(reference, value);
    }
    return value;
  };
  const resolve = (value: any): any => {
    if (typeof value === 'string') {
      if (!value.includes('${')) return value;
      const whole = /^\$\{([^}]+)\}$/.exec(value);
      if (whole) return token(whole[1]);
      return value.replace(/\$\{([^}]+)\}/g, (_, reference: string) => token(reference));
    }
    if (Array.isArray(value)) return value.map(resolve);
    if (value === null || typeof value !== 'object') return value;
    const resolved: any = {};
    for (const [key, v] of Object.entries(value)) resolved[key] = resolve(v);
    return resolved;
  };
  // a resource may reference one built later in the reference's order: build referenced ones first
  const byAddress = new Map(plan.resources.map((r) => [`${r.kind === 'data' ? 'data.' : ''}${r.type}.${r.name}`, r]));
  const build = (address: string, resource: PlannedResource): void => {
    if (built.has(address)) return;
    for (const target of resource.references) {
      const dependency = byAddress.get(target);
      if (dependency && target !== address) build(target, dependency);
    }
    const Class = classOf(resource.kind, resource.type);
    const scope = scopeOf(resource.path.slice(0, -1));
    const props = resource.references.length === 0 ? resource.props : resolve(resource.props);
    // the resources it waits for, as the resources themselves (cdktf reads their `fqn`)
    if (Array.isArray(props.dependsOn)) props.dependsOn = props.dependsOn.map((waitedFor: string) => built.get(waitedFor));
    const instance = new Class(scope, resource.path[resource.path.length - 1], props);
    if (resource.provenance !== undefined) stack.comment(instance, resource.provenance);
    built.set(address, instance);
  };
  for (const [address, resource] of byAddress) build(address, resource);
  if (plan.inventory !== undefined) stack.addOverride('//.microseg', plan.inventory);
  stack.moved = plan.moved;
  return stack;
}
