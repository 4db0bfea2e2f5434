import { JsonObject } from './terraform-model';
import { PLATFORMS } from '../platforms/registry';

/** Where an address attribute of a resource is configured, and the attribute that stands for it. */
export interface AddressAttribute {
  /** The configured values the attribute evaluates to at apply, in order; empty when not configured. */
  readonly configured: readonly unknown[];
  /**
   * The attribute that names the resource's primary address, used when nothing is configured, so
   * that a rule and a host naming the same unknown address compare equal (`private_ips` of an ENI
   * and its `private_ip` name one address when only one is known).
   */
  readonly canonical: string;
}

/** Reads an address attribute from a resource body. */
type AddressReader = (body: JsonObject) => AddressAttribute;

let readers: ReadonlyMap<string, AddressReader> | undefined;

/** Every platform's primary-address attributes by `type.attribute`, gathered once. */
function addressReaders(): ReadonlyMap<string, AddressReader> {
  readers ??= new Map(PLATFORMS.all.flatMap((platform) => Object.entries(platform.primaryAddresses)));
  return readers;
}

/**
 * The attributes that name a resource's own (primary) private address, per resource type, and
 * where the resource's configuration sets them, as each platform declares them (an instance's
 * private IP, a NIC's static address, a VM's customized address). Undefined for any other attribute.
 */
export function addressAttribute(type: string, attribute: string, body: JsonObject): AddressAttribute | undefined {
  return addressReaders().get(`${type}.${attribute}`)?.(body);
}

/**
 * A regular expression matching a canonical reference to another resource's primary address
 * (`${stack/type.name.attribute}`, optionally with a prefix length), built once from the platforms.
 */
export function primaryAddressReference(): RegExp {
  if (!referencePattern) {
    const types = new Set<string>();
    const canonical = new Set<string>();
    for (const [key, read] of addressReaders()) {
      types.add(key.slice(0, key.indexOf('.')));
      canonical.add(read({}).canonical);
    }
    referencePattern = new RegExp(`^\\$\\{[^}]*\\/(${[...types].join('|')})\\.[^.}]+\\.(${[...canonical].join('|')})\\}(\\/\\d+)?$`);
  }
  return referencePattern;
}

let referencePattern: RegExp | undefined;

/** The value as a one-item list, or none when it is unset or empty. */
export function present(value: unknown): unknown[] {
  return value === undefined || value === null || value === '' ? [] : [value];
}

/** The set items of a list (or of a single value). */
export function listOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.filter((v) => v !== undefined && v !== null && v !== '');
  return present(value);
}

/** The first value only: the attribute names one address. */
export function firstOf(values: unknown[]): unknown[] {
  return values.slice(0, 1);
}
