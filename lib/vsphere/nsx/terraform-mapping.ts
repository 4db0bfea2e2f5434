// How the NSX bindings turn their configuration into Terraform JSON and HCL, shared by every binding
// and never exported from the `nsxt` submodule. Generated cdktf bindings spell these steps out once per
// struct and attribute; here each is written once.

import * as cdktf from 'cdktf';
import type { NsxtTag } from './policy-vm-tags';
import { NSXT_PROVIDER_VERSION_CONSTRAINT } from './provider-version';

/**
 * Generator metadata shared by the NSX bindings.
 *
 * Only `providerVersionConstraint` is set: cdktf writes `providerVersion` (an exact pin) to
 * `required_providers` when present, and the constraint otherwise.
 */
export const NSXT_GENERATOR_METADATA: cdktf.TerraformProviderGeneratorMetadata = {
  providerName: 'nsxt',
  providerVersionConstraint: NSXT_PROVIDER_VERSION_CONSTRAINT,
};

/**
 * Maps one nested block to its Terraform JSON form with `fields`; a token stands for itself, and a
 * complex element (a list item reference) is refused as generated bindings refuse it.
 */
export function blockToTerraform<T>(block: T | undefined, fields: (block: T) => { [name: string]: unknown }): unknown {
  if (!cdktf.canInspect(block) || cdktf.Tokenization.isResolvable(block)) {
    return block;
  }
  if (cdktf.isComplexElement(block)) {
    throw new Error('A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration');
  }
  return fields(block!);
}

/** Maps a list of nested blocks (or a token standing for the list) to its Terraform JSON form. */
export function blocksToTerraform<T>(blocks: T[] | undefined, fields: (block: T) => { [name: string]: unknown }): unknown {
  return cdktf.listMapper((block: T) => blockToTerraform(block, fields), true)(blocks);
}

/** Maps a list of strings (or a token standing for the list) to its Terraform JSON form. */
export function stringsToTerraform(values: string[] | undefined): unknown {
  return cdktf.listMapper(cdktf.stringToTerraform, false)(values);
}

/** Maps the `tag` blocks every NSX policy resource accepts. */
export function tagsToTerraform(tags: NsxtTag[] | undefined): unknown {
  return blocksToTerraform(tags, (t) => ({
    scope: cdktf.stringToTerraform(t.scope),
    tag: cdktf.stringToTerraform(t.tag),
  }));
}

/**
 * Nested-block layout of a resource, used to derive the HCL synthesis from the JSON one.
 *
 * Each key is the Terraform name of a nested block; its value describes the blocks nested inside it.
 */
export interface NsxtHclBlockLayout {
  readonly [blockName: string]: NsxtHclBlockLayout;
}

interface HclAttribute {
  readonly value: unknown;
  readonly isBlock: boolean;
  readonly type: string;
  readonly storageClassType: string;
}

/**
 * Converts the JSON-shaped attributes of `synthesizeAttributes()` into cdktf's HCL attribute descriptors.
 *
 * Generated bindings spell out one descriptor per attribute; the bindings here derive them from the
 * same snake_case map so the JSON and HCL outputs can never disagree.
 */
export function nsxtToHclAttributes(attrs: { [name: string]: unknown }, blocks: NsxtHclBlockLayout): { [name: string]: unknown } {
  const out: { [name: string]: HclAttribute } = {};
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined) {
      continue;
    }
    const nested = blocks[name];
    if (nested !== undefined) {
      const convert = (e: unknown): unknown =>
        (typeof e === 'object' && e !== null && !cdktf.Tokenization.isResolvable(e) ? nsxtToHclAttributes(e as { [k: string]: unknown }, nested) : e);
      out[name] = {
        value: Array.isArray(value) ? value.map(convert) : convert(value),
        isBlock: true,
        type: 'list',
        storageClassType: `${name}List`,
      };
    } else if (Array.isArray(value)) {
      out[name] = { value, isBlock: false, type: 'list', storageClassType: typeof value[0] === 'number' ? 'numberList' : 'stringList' };
    } else {
      const kind = typeof value;
      out[name] = { value, isBlock: false, type: 'simple', storageClassType: kind === 'number' || kind === 'boolean' ? kind : 'string' };
    }
  }
  return out;
}
