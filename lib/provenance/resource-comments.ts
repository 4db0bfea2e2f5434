import { TerraformElement, TerraformResource, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { HostFirewallProvenance, RuleProvenance, ruleProvenanceJson } from './contract';
import { isPlainData, LateWrite, lateWritesOf, plainCopy } from '../private/late-writes';
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
   * The comments as a fragment of the stack's `resource` block. While the library makes the stack's
   * JSON, the comments that are plain data are written into it once cdktf has resolved it instead
   * (see `withLateWrites`).
   */
  public toTerraform(): any {
    // a rule's provenance is construct paths and flags, nothing for cdktf's preparation pass to
    // resolve; a host rule set is a lazy value, which that pass must see
    const preparing = isPreparing(this.cdktfStack);
    return this.fragment(preparing, preparing ? undefined : lateWritesOf(this.cdktfStack));
  }

  /** The same fragment for HCL output, where the comments stay raw values as overrides did. */
  public toHclTerraform(): any {
    return this.fragment(false, undefined);
  }

  private fragment(hostFirewallsOnly: boolean, lateWrites: LateWrite[] | undefined): any {
    const resource: { [type: string]: { [name: string]: unknown } } = {};
    const late: PlainComment[] = [];
    for (const [target, comment] of this.comments) {
      if (hostFirewallsOnly && comment.hostFirewall === undefined) continue;
      // a resource a renderer removed after commenting on it has no body to comment
      if (target.node.scope?.node.tryFindChild(target.node.id) !== target) continue;
      if (lateWrites && comment.hostFirewall === undefined && comment.rule && isPlainData(comment.rule)) {
        late.push({ type: target.terraformResourceType, name: target.friendlyUniqueId, rule: comment.rule });
        continue;
      }
      (resource[target.terraformResourceType] ??= {})[target.friendlyUniqueId] = commentBody(comment);
    }
    if (late.length > 0) lateWrites!.push((document) => writeComments(document, late));
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

/** A rule's provenance that goes into the stack's JSON once cdktf has resolved it. */
interface PlainComment {
  readonly type: string;
  readonly name: string;
  readonly rule: { readonly [key: string]: unknown };
}

/** Writes comments into their resources' bodies, as cdktf merges the fragment (a body of its own when the resource has none). */
function writeComments(document: { resource?: { [type: string]: { [name: string]: any } } }, comments: readonly PlainComment[]): void {
  const resources = (document.resource ??= {});
  for (const { type, name, rule } of comments) {
    const body = ((resources[type] ??= {})[name] ??= {});
    const comment = (body['//'] ??= {});
    comment.microseg = { ...comment.microseg, ...plainCopy(rule) };
  }
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
