/** A literal from the Terraform JSON (a string, number or boolean written as such). */
export interface LiteralValue {
  /** Discriminator. */
  readonly kind: 'literal';
  /** The value. */
  readonly value: string | number | boolean;
}

/** A reference to an attribute of a resource or data source that exists in one of the stacks. */
export interface ReferenceValue {
  /** Discriminator. */
  readonly kind: 'reference';
  /** The resource's key, `<stack>/<type>.<name>` (data sources: `<stack>/data.<type>.<name>`). */
  readonly key: string;
  /** The attribute path (`id`, `private_ip`, `ip_configuration.0.private_ip_address`). */
  readonly attribute: string;
}

/** An expression the evaluator cannot resolve (a variable, a function it does not know). */
export interface SymbolicValue {
  /** Discriminator. */
  readonly kind: 'symbolic';
  /** A canonical text of the expression, comparable across stacks. */
  readonly text: string;
}

/** A resolved Terraform value. */
export type Value = LiteralValue | ReferenceValue | SymbolicValue;

/** Attributes that stand for the resource itself rather than for one of its properties. */
const IDENTITY_ATTRIBUTES = new Set(['id', 'arn', 'path']);

/** Whether the attribute (`id`, `arn`, `path`) identifies the resource itself. */
export function isIdentityAttribute(attribute: string): boolean {
  return IDENTITY_ATTRIBUTES.has(attribute);
}

/**
 * What a value identifies, for membership comparisons: the resource key for any reference (an
 * attribute such as `primary_network_interface_id` still names that resource), the literal text, or
 * the symbolic text.
 */
export function identityOf(value: Value): string {
  if (value.kind === 'reference') return value.key;
  if (value.kind === 'literal') return String(value.value);
  return value.text;
}

/** The value as text: a literal as itself, anything else as a canonical `${...}` expression. */
export function textOf(value: Value): string {
  if (value.kind === 'literal') return String(value.value);
  if (value.kind === 'reference') return `\${${value.key}.${value.attribute}}`;
  return value.text;
}

/** Whether the text holds an unresolved expression. */
export function isSymbolicText(text: string): boolean {
  return text.includes('${');
}

/** The literal as a number, if it is one (`443`, `"443"`). */
export function numberOf(value: Value | undefined): number | undefined {
  if (!value || value.kind !== 'literal') return undefined;
  const number = typeof value.value === 'number' ? value.value : Number(value.value);
  return typeof value.value === 'boolean' || String(value.value).trim() === '' || Number.isNaN(number) ? undefined : number;
}

/** The literal as a string, if the value is a literal. */
export function stringOf(value: Value | undefined): string | undefined {
  return value && value.kind === 'literal' ? String(value.value) : undefined;
}
