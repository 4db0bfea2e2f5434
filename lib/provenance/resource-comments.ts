import { TerraformElement, TerraformResource, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { HostFirewallProvenance, RuleProvenance, ruleProvenanceJson } from './contract';
import { isPreparing } from '../private/preparation-pass';

/** What one resource's `"//".microseg` holds: a rule's provenance, a host rule set, or both. */
interface ResourceComment {
  rule?: { [key: string]: unknown };
  hostFirewall?: HostFirewallProvenance;
}

/**
 * The `"//".microseg` comments of one stack's resources, written by one element as one fragment
 * that the stack merges into the resources' bodies.
 *
 * Not `addOverride` per resource: cdktf lists every overridden resource's override keys in the
 * stack's metadata and merges those lists by copying them, once per resource, so the cost grows with
 * the square of the overridden resources of one type (95,000 rules: billions of copies and gigabytes
 * of garbage, most of the synthesis time of large estates).
 */
export class ResourceComments extends TerraformElement {
  /** The comments of the stack that `scope` belongs to, created on first use. */
  public static of(scope: Construct): ResourceComments {
    const stack = TerraformStack.of(scope);
    return (stack.node.tryFindChild(ID) as ResourceComments | undefined) ?? new ResourceComments(stack, ID);
  }

  private readonly comments = new Map<TerraformResource, ResourceComment>();

  /** The rule provenance recorded on `resource`, if any. */
  public ruleOf(resource: TerraformResource): { readonly [key: string]: unknown } | undefined {
    return this.comments.get(resource)?.rule;
  }

  /** Records a rule's provenance on `resource` (replacing an earlier one). */
  public setRule(resource: TerraformResource, provenance: RuleProvenance): void {
    const comment = this.commentOf(resource);
    comment.rule = ruleProvenanceJson(provenance);
  }

  /** Records the host firewall rule set that `resource` delivers. */
  public setHostFirewall(resource: TerraformResource, record: HostFirewallProvenance): void {
    const comment = this.commentOf(resource);
    comment.hostFirewall = record;
  }

  /**
   * The comments as a fragment of the stack's `resource` block. While the stack's JSON is made
   * through {@link withPlainCommentsWritten}, the comments that are plain data are left out of the
   * fragment and handed to it instead.
   */
  public toTerraform(): any {
    // a rule's provenance is construct paths and flags, nothing for cdktf's preparation pass to
    // resolve; a host rule set is a lazy value, which that pass must see
    const preparing = isPreparing(this.cdktfStack);
    return this.fragment(preparing, preparing ? undefined : WRITTEN_AFTER.get(this.cdktfStack));
  }

  /** The same fragment for HCL output, where the comments stay raw values as overrides did. */
  public toHclTerraform(): any {
    return this.fragment(false, undefined);
  }

  private fragment(hostFirewallsOnly: boolean, writtenAfter: PlainComment[] | undefined): any {
    const resource: { [type: string]: { [name: string]: unknown } } = {};
    for (const [target, comment] of this.comments) {
      if (hostFirewallsOnly && comment.hostFirewall === undefined) continue;
      // a resource a renderer removed after commenting on it has no body to comment
      if (target.node.scope?.node.tryFindChild(target.node.id) !== target) continue;
      if (writtenAfter && comment.hostFirewall === undefined && comment.rule && isPlainData(comment.rule)) {
        writtenAfter.push({ type: target.terraformResourceType, name: target.friendlyUniqueId, rule: comment.rule });
        continue;
      }
      (resource[target.terraformResourceType] ??= {})[target.friendlyUniqueId] = commentBody(comment);
    }
    return this.comments.size === 0 ? {} : { resource };
  }

  private commentOf(resource: TerraformResource): ResourceComment {
    let comment = this.comments.get(resource);
    if (!comment) {
      comment = {};
      this.comments.set(resource, comment);
    }
    return comment;
  }
}

const ID = 'MicrosegResourceComments';

/**
 * A resource's body in the comments fragment: its rule provenance, then its host rule set. Made
 * anew for each pass and not kept: cdktf resolves the fragment into a copy and changes nothing in
 * it, so the rule's provenance goes in as it is, and keeping a body per resource would only hold
 * memory through the rest of the synthesis (about 10 MB at 95,000 rules).
 */
function commentBody(comment: ResourceComment): { '//': { microseg: { [key: string]: unknown } } } {
  const microseg = comment.hostFirewall ? { ...comment.rule, hostFirewall: comment.hostFirewall } : comment.rule ?? {};
  return { '//': { microseg } };
}

/** A rule's provenance that goes into the stack's JSON after cdktf has resolved it. */
interface PlainComment {
  readonly type: string;
  readonly name: string;
  readonly rule: { readonly [key: string]: unknown };
}

/** The stacks whose JSON {@link withPlainCommentsWritten} is making, with the comments it is to write. */
const WRITTEN_AFTER = new WeakMap<TerraformStack, PlainComment[]>();

/**
 * Makes a stack's JSON with `synthesize` (its `toTerraform`) and writes the rules' provenance into
 * it afterwards, where that provenance is plain data (construct paths and flags). cdktf resolves
 * every value of the stack twice, once in its element's fragment and once in the whole document,
 * making several objects per value each time: for plain data that is a copy and nothing more, and
 * the comments were about a tenth of what a stack of rules made (and left to collect) that way.
 * The document is the one cdktf's own resolution would make.
 */
export function withPlainCommentsWritten<T>(stack: TerraformStack, synthesize: () => T): T {
  const writtenAfter: PlainComment[] = [];
  WRITTEN_AFTER.set(stack, writtenAfter);
  let document: T;
  try {
    document = synthesize();
  } finally {
    WRITTEN_AFTER.delete(stack);
  }
  if (writtenAfter.length === 0) return document;
  const blocks = document as { resource?: { [type: string]: { [name: string]: any } } };
  const resources = (blocks.resource ??= {});
  for (const { type, name, rule } of writtenAfter) {
    const body = ((resources[type] ??= {})[name] ??= {});
    const comment = (body['//'] ??= {});
    // a copy, as resolution makes: the document may be changed by whoever reads it
    comment.microseg = { ...comment.microseg, ...copyOf(rule) };
  }
  return document;
}

/**
 * Whether cdktf's resolution would give back `value` unchanged: nothing but plain objects, lists,
 * strings and booleans, and no text with a token's marker (a string's, a list's or a map's) or that
 * could read as a token number.
 */
function isPlainData(value: unknown): boolean {
  if (typeof value === 'boolean') return true;
  if (typeof value === 'string') return !value.includes(TOKEN_MARKER) && !DIGIT_EXPONENT.test(value);
  if (Array.isArray(value)) return value.every(isPlainData);
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.entries(value).every(([key, inner]) => isPlainData(key) && isPlainData(inner));
}

/** What every token's text holds: `${TfToken[...]}`, `#{TfToken[...]}` (a list's), `&{TfToken[...]}` (a map's). */
const TOKEN_MARKER = 'TfToken[';

/** Text cdktf might read as a token number written into a string (`-1.8881545897087626e+289`). */
const DIGIT_EXPONENT = /\d[eE]/;

function copyOf(value: unknown): any {
  if (Array.isArray(value)) return value.map(copyOf);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, copyOf(inner)]));
  }
  return value;
}

/** Writes a rule's provenance into the `"//".microseg` comment of a resource. */
export function writeProvenance(resource: TerraformResource, provenance: RuleProvenance): void {
  ResourceComments.of(resource).setRule(resource, provenance);
}

/** What a rule's written provenance names. */
export interface WrittenProvenance {
  /** Construct paths of the flows the rule serves. */
  readonly flows?: readonly string[];
  /** Construct paths of the guardrails the rule serves. */
  readonly guardrails?: readonly string[];
}

/** The rule provenance written on `resource` (its flows and guardrails), if any. */
export function writtenProvenance(resource: TerraformResource): WrittenProvenance | undefined {
  const comments = TerraformStack.of(resource).node.tryFindChild(ID) as ResourceComments | undefined;
  return comments?.ruleOf(resource);
}

/** Writes a host firewall rule set's provenance into the comment of its delivery resource. */
export function writeHostFirewallProvenance(resource: TerraformResource, record: HostFirewallProvenance): void {
  ResourceComments.of(resource).setHostFirewall(resource, record);
}
