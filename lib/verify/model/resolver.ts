import { Expression, TemplatePart, parseExpression, splitTemplate } from './expression-parser';
import { addressAttribute } from './primary-address';
import { JsonObject, TerraformModel, asObject, objectAt } from './terraform-model';
import { Value, isIdentityAttribute, textOf } from './value';

/** Functions whose result is the flattened list of their arguments, as far as membership is concerned. */
const LIST_FUNCTIONS = new Set(['concat', 'tolist', 'toset', 'flatten', 'distinct', 'compact', 'sort']);

/** Reference roots that never name a resource. */
const NON_RESOURCE_ROOTS = new Set(['var', 'local', 'module', 'terraform', 'path', 'each', 'count', 'self']);

const REMOTE_STATE_PREFIX = 'cross-stack-reference-input-';
const MAX_DEPTH = 16;

/**
 * Resolves configuration values of the Terraform JSON: `${...}` references inside a stack, cdktf's
 * cross-stack outputs and remote-state data sources, list functions such as `concat`, and attributes
 * set in the referenced resource's own configuration (a resource's primary address wherever its
 * type configures it: see {@link addressAttribute}). What cannot be resolved stays symbolic, and an
 * unknown primary address is always written with one canonical attribute, so the host and the rules
 * that name it compare equal.
 */
export class Resolver {
  // Parsed once per text: an estate writes each reference (a group's id) in many resources.
  private readonly templates = new Map<string, readonly TemplatePart[]>();
  private readonly expressions = new Map<string, Expression | undefined>();
  private readonly interpolations = new Map<string, Map<string, Value | Value[]>>(); // never handed out: values() copies a list

  constructor(private readonly model: TerraformModel) {}

  /** The value of a single-valued field of a resource in `stack`. */
  public value(stack: string, raw: unknown): Value | undefined {
    const result = this.resolved(stack, raw);
    if (!Array.isArray(result)) return result;
    return result.length <= 1 ? result[0] : { kind: 'symbolic', text: result.map(textOf).join(',') };
  }

  /** The values of a list-valued field (a JSON array, a `${concat(...)}`, a cross-stack list output). */
  public values(stack: string, raw: unknown): Value[] {
    const result = this.resolved(stack, raw);
    return Array.isArray(result) ? [...result] : [result];
  }

  /** A field's value; an interpolated string is resolved once per stack (an estate writes each group's id in every rule of it). */
  private resolved(stack: string, raw: unknown): Value | Value[] {
    if (typeof raw !== 'string' || !raw.includes('${')) return this.evaluate(stack, raw, 0);
    let ofStack = this.interpolations.get(stack);
    if (!ofStack) {
      ofStack = new Map();
      this.interpolations.set(stack, ofStack);
    }
    let result = ofStack.get(raw);
    if (result === undefined) {
      result = this.evaluate(stack, raw, 0);
      ofStack.set(raw, result);
    }
    return result;
  }

  private evaluate(stack: string, raw: unknown, depth: number): Value | Value[] {
    if (raw === undefined || raw === null) return [];
    if (Array.isArray(raw)) return raw.flatMap((item) => this.evaluate(stack, item, depth));
    if (typeof raw === 'number' || typeof raw === 'boolean') return { kind: 'literal', value: raw };
    if (typeof raw !== 'string') return [];
    if (!raw.includes('${')) return { kind: 'literal', value: raw };
    return this.template(stack, raw, depth);
  }

  private template(stack: string, raw: string, depth: number): Value | Value[] {
    let parts = this.templates.get(raw);
    if (!parts) {
      parts = splitTemplate(raw);
      this.templates.set(raw, parts);
    }
    const only = parts[0];
    if (parts.length === 1 && 'expression' in only) return this.expression(stack, only.expression, depth);
    const pieces = parts.map((part) => ('text' in part ? { kind: 'literal', value: part.text } as Value : this.single(stack, part.expression, depth)));
    if (pieces.every((piece) => piece.kind === 'literal')) return { kind: 'literal', value: pieces.map(textOf).join('') };
    return { kind: 'symbolic', text: pieces.map(textOf).join('') };
  }

  private single(stack: string, source: string, depth: number): Value {
    const result = this.expression(stack, source, depth);
    if (!Array.isArray(result)) return result;
    return result.length === 1 ? result[0] : symbolic(stack, source);
  }

  private expression(stack: string, source: string, depth: number): Value | Value[] {
    if (!this.expressions.has(source)) this.expressions.set(source, parseExpression(source));
    const parsed = this.expressions.get(source);
    if (!parsed || depth > MAX_DEPTH) return symbolic(stack, source);
    return this.node(stack, parsed, source, depth);
  }

  private node(stack: string, node: Expression, source: string, depth: number): Value | Value[] {
    switch (node.type) {
      case 'string':
      case 'number':
        return { kind: 'literal', value: node.value };
      case 'list':
        return node.items.flatMap((item) => this.node(stack, item, source, depth));
      case 'call':
        if (!LIST_FUNCTIONS.has(node.name)) return symbolic(stack, source);
        return node.args.flatMap((arg) => this.node(stack, arg, source, depth));
      case 'reference':
        return this.reference(stack, node.parts, source, depth);
    }
  }

  private reference(stack: string, parts: readonly string[], source: string, depth: number): Value | Value[] {
    if (parts[0] === 'data' && parts[1] === 'terraform_remote_state' && parts[3] === 'outputs' && parts[4] !== undefined) {
      return this.crossStackOutput(parts[2], parts[4], depth) ?? symbolic(stack, source);
    }
    if (NON_RESOURCE_ROOTS.has(parts[0]) || parts.length < 2) return symbolic(stack, source);
    const isData = parts[0] === 'data';
    const [type, name, ...attributePath] = isData ? parts.slice(1) : parts;
    if (name === undefined) return symbolic(stack, source);
    const key = `${stack}/${isData ? 'data.' : ''}${type}.${name}`;
    const attribute = attributePath.length > 0 ? attributePath.join('.') : 'id';
    const resource = this.model.resource(key);
    const address = resource ? addressAttribute(type, attribute, resource.body) : undefined;
    if (address) {
      if (address.configured.length > 0) return this.evaluate(stack, [...address.configured], depth + 1);
      return { kind: 'reference', key, attribute: address.canonical };
    }
    const configured = isIdentityAttribute(attribute) ? undefined : this.configuredAttribute(key, attributePath);
    if (configured !== undefined) return this.evaluate(stack, configured, depth + 1);
    return { kind: 'reference', key, attribute };
  }

  private configuredAttribute(key: string, path: readonly string[]): unknown {
    let current: unknown = this.model.resource(key)?.body;
    for (const part of path) {
      if (Array.isArray(current) && !/^\d+$/.test(part)) current = current[0];
      if (Array.isArray(current)) current = current[Number(part)];
      else current = asObject(current)[part];
      if (current === undefined) return undefined;
    }
    return current;
  }

  private crossStackOutput(remoteStateName: string, outputName: string, depth: number): Value | Value[] | undefined {
    const producer = this.producerOf(remoteStateName, outputName);
    if (!producer) return undefined;
    const output = asObject(objectAt(producer, 'output')[outputName]);
    const stackName = this.model.stacks.find((stack) => stack.json === producer)?.name ?? '';
    return this.evaluate(stackName, output.value, depth + 1);
  }

  private producerOf(remoteStateName: string, outputName: string): JsonObject | undefined {
    const named = remoteStateName.startsWith(REMOTE_STATE_PREFIX) ? this.model.stack(remoteStateName.slice(REMOTE_STATE_PREFIX.length)) : undefined;
    if (named && outputName in objectAt(named.json, 'output')) return named.json;
    return this.model.stacks.find((stack) => outputName in objectAt(stack.json, 'output'))?.json;
  }
}

function symbolic(stack: string, source: string): Value {
  return { kind: 'symbolic', text: `\${${stack}:${source.trim()}}` };
}
