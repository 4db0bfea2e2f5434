// Hand-written cdktf binding for `nsxt_policy_group` (vmware/nsxt provider).
// https://registry.terraform.io/providers/vmware/nsxt/latest/docs/resources/policy_group

import * as cdktf from 'cdktf';
import { Construct } from 'constructs';
import { NsxConjunctionOperator, NsxGroupConditionKey, NsxGroupConditionMemberType, NsxGroupConditionOperator } from './enums';
import { NsxtTag, nsxtTagToTerraform } from './policy-vm-tags';
import { NSXT_GENERATOR_METADATA, nsxtToHclAttributes } from './provider';

/**
 * One `condition` block of a group criteria: all conditions of one criteria are ANDed and must share the member type.
 */
export interface NsxtPolicyGroupCriteriaCondition {
  /** Attribute to query, e.g. `Tag`. */
  readonly key: NsxGroupConditionKey;
  /** Inventory object type to select, e.g. `VirtualMachine`. */
  readonly memberType: NsxGroupConditionMemberType;
  /** Comparison operator, e.g. `EQUALS`. */
  readonly operator: NsxGroupConditionOperator;
  /** Value to compare with; for `Tag` write `scope|tag` (matching is case-insensitive). */
  readonly value: string;
}

/**
 * Maps an {@link NsxtPolicyGroupCriteriaCondition} to its Terraform JSON form.
 */
export function nsxtPolicyGroupCriteriaConditionToTerraform(struct?: NsxtPolicyGroupCriteriaCondition): unknown {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) {
    return struct;
  }
  if (cdktf.isComplexElement(struct)) {
    throw new Error('A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration');
  }
  return {
    key: cdktf.stringToTerraform(struct!.key),
    member_type: cdktf.stringToTerraform(struct!.memberType),
    operator: cdktf.stringToTerraform(struct!.operator),
    value: cdktf.stringToTerraform(struct!.value),
  };
}

/**
 * The `ipaddress_expression` block of a group criteria: static IPs, ranges or CIDRs (never IPv4 and IPv6 mixed).
 */
export interface NsxtPolicyGroupCriteriaIpaddressExpression {
  /** IP addresses, ranges (`a-b`) or CIDRs, all of one IP version. */
  readonly ipAddresses: string[];
}

/**
 * Maps an {@link NsxtPolicyGroupCriteriaIpaddressExpression} to its Terraform JSON form.
 */
export function nsxtPolicyGroupCriteriaIpaddressExpressionToTerraform(struct?: NsxtPolicyGroupCriteriaIpaddressExpression): unknown {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) {
    return struct;
  }
  if (cdktf.isComplexElement(struct)) {
    throw new Error('A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration');
  }
  return {
    ip_addresses: cdktf.listMapper(cdktf.stringToTerraform, false)(struct!.ipAddresses),
  };
}

/**
 * The `path_expression` block of a group criteria: direct members by policy path (groups, segments, segment ports).
 */
export interface NsxtPolicyGroupCriteriaPathExpression {
  /** Policy paths of the direct members. */
  readonly memberPaths: string[];
}

/**
 * Maps an {@link NsxtPolicyGroupCriteriaPathExpression} to its Terraform JSON form.
 */
export function nsxtPolicyGroupCriteriaPathExpressionToTerraform(struct?: NsxtPolicyGroupCriteriaPathExpression): unknown {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) {
    return struct;
  }
  if (cdktf.isComplexElement(struct)) {
    throw new Error('A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration');
  }
  return {
    member_paths: cdktf.listMapper(cdktf.stringToTerraform, false)(struct!.memberPaths),
  };
}

/**
 * One `criteria` block of a group; set exactly ONE expression type per block (the provider rejects mixed blocks).
 */
export interface NsxtPolicyGroupCriteria {
  /**
   * Condition blocks, ANDed (at most 5, all with the same member type).
   *
   * @default - no condition expression
   */
  readonly condition?: NsxtPolicyGroupCriteriaCondition[];
  /**
   * IP address expression.
   *
   * @default - no IP address expression
   */
  readonly ipaddressExpression?: NsxtPolicyGroupCriteriaIpaddressExpression;
  /**
   * Path expression.
   *
   * @default - no path expression
   */
  readonly pathExpression?: NsxtPolicyGroupCriteriaPathExpression;
}

/**
 * Maps an {@link NsxtPolicyGroupCriteria} to its Terraform JSON form.
 */
export function nsxtPolicyGroupCriteriaToTerraform(struct?: NsxtPolicyGroupCriteria): unknown {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) {
    return struct;
  }
  if (cdktf.isComplexElement(struct)) {
    throw new Error('A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration');
  }
  return {
    condition: cdktf.listMapper(nsxtPolicyGroupCriteriaConditionToTerraform, true)(struct!.condition),
    ipaddress_expression: nsxtPolicyGroupCriteriaIpaddressExpressionToTerraform(struct!.ipaddressExpression),
    path_expression: nsxtPolicyGroupCriteriaPathExpressionToTerraform(struct!.pathExpression),
  };
}

/**
 * One `conjunction` block, placed between two consecutive `criteria` blocks (n criteria need n-1 conjunctions).
 */
export interface NsxtPolicyGroupConjunction {
  /** `AND` or `OR`. */
  readonly operator: NsxConjunctionOperator;
}

/**
 * Maps an {@link NsxtPolicyGroupConjunction} to its Terraform JSON form.
 */
export function nsxtPolicyGroupConjunctionToTerraform(struct?: NsxtPolicyGroupConjunction): unknown {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) {
    return struct;
  }
  if (cdktf.isComplexElement(struct)) {
    throw new Error('A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration');
  }
  return {
    operator: cdktf.stringToTerraform(struct!.operator),
  };
}

/**
 * Configuration of an `nsxt_policy_group` resource.
 */
export interface NsxtPolicyGroupConfig extends cdktf.TerraformMetaArguments {
  /** Display name of the group. */
  readonly displayName: string;
  /**
   * Description of the group.
   *
   * @default - no description
   */
  readonly description?: string;
  /**
   * Policy domain holding the group (replace on change); must already exist.
   *
   * @default 'default'
   */
  readonly domain?: string;
  /**
   * NSX id of the group (replace on change); the group path becomes `/infra/domains/<domain>/groups/<nsxId>`.
   *
   * @default - generated by the provider
   */
  readonly nsxId?: string;
  /**
   * Membership criteria (at most 5), separated by `conjunction` blocks.
   *
   * @default - no criteria (an empty group)
   */
  readonly criteria?: NsxtPolicyGroupCriteria[];
  /**
   * Conjunctions between consecutive criteria, in order.
   *
   * @default - none (required when there is more than one criteria block)
   */
  readonly conjunction?: NsxtPolicyGroupConjunction[];
  /**
   * NSX tags on the group object itself.
   *
   * @default - no tags
   */
  readonly tag?: NsxtTag[];
}

/**
 * Represents an `nsxt_policy_group` resource: an NSX inventory group used as rule source, destination or scope.
 */
export class NsxtPolicyGroup extends cdktf.TerraformResource {
  /** Terraform resource type. */
  public static readonly tfResourceType = 'nsxt_policy_group';

  /**
   * Generates CDKTF code for importing an NsxtPolicyGroup resource (import id: `<id>` or `<domain>/<id>`).
   *
   * @param scope The scope in which to define this construct
   * @param importToId The construct id used in the generated config for the NsxtPolicyGroup to import
   * @param importFromId The id of the existing group to import
   * @param provider Optional instance of the provider where the NsxtPolicyGroup to import is found
   */
  public static generateConfigForImport(
    scope: Construct,
    importToId: string,
    importFromId: string,
    provider?: cdktf.TerraformProvider,
  ): cdktf.ImportableResource {
    return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: 'nsxt_policy_group', importId: importFromId, provider });
  }

  private _displayName?: string;
  private _description?: string;
  private _domain?: string;
  private _nsxId?: string;
  private _criteria?: NsxtPolicyGroupCriteria[];
  private _conjunction?: NsxtPolicyGroupConjunction[];
  private _tag?: NsxtTag[];

  /**
   * Create a new `nsxt_policy_group` resource.
   *
   * @param scope The scope in which to define this construct
   * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
   * @param config NsxtPolicyGroupConfig
   */
  public constructor(scope: Construct, id: string, config: NsxtPolicyGroupConfig) {
    super(scope, id, {
      terraformResourceType: 'nsxt_policy_group',
      terraformGeneratorMetadata: NSXT_GENERATOR_METADATA,
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach,
    });
    this._displayName = config.displayName;
    this._description = config.description;
    this._domain = config.domain;
    this._nsxId = config.nsxId;
    this._criteria = config.criteria;
    this._conjunction = config.conjunction;
    this._tag = config.tag;
  }

  /** Terraform id of the group (its NSX id). */
  public get id(): string {
    return this.getStringAttribute('id');
  }

  /** NSX policy path of the group, e.g. `/infra/domains/default/groups/<id>`: use it in rules. */
  public get path(): string {
    return this.getStringAttribute('path');
  }

  /** Current revision of the object as seen by the NSX API. */
  public get revision(): number {
    return this.getNumberAttribute('revision');
  }

  /** Display name of the group. */
  public get displayName(): string {
    return this.getStringAttribute('display_name');
  }
  public set displayName(value: string) {
    this._displayName = value;
  }
  /** Configured `display_name` value. */
  public get displayNameInput(): string | undefined {
    return this._displayName;
  }

  /** Description of the group. */
  public get description(): string {
    return this.getStringAttribute('description');
  }
  public set description(value: string) {
    this._description = value;
  }
  /** Unset `description`. */
  public resetDescription(): void {
    this._description = undefined;
  }
  /** Configured `description` value. */
  public get descriptionInput(): string | undefined {
    return this._description;
  }

  /** Policy domain of the group. */
  public get domain(): string {
    return this.getStringAttribute('domain');
  }
  public set domain(value: string) {
    this._domain = value;
  }
  /** Unset `domain`. */
  public resetDomain(): void {
    this._domain = undefined;
  }
  /** Configured `domain` value. */
  public get domainInput(): string | undefined {
    return this._domain;
  }

  /** NSX id of the group. */
  public get nsxId(): string {
    return this.getStringAttribute('nsx_id');
  }
  public set nsxId(value: string) {
    this._nsxId = value;
  }
  /** Unset `nsx_id`. */
  public resetNsxId(): void {
    this._nsxId = undefined;
  }
  /** Configured `nsx_id` value. */
  public get nsxIdInput(): string | undefined {
    return this._nsxId;
  }

  /** Replace the `criteria` blocks. */
  public putCriteria(value: NsxtPolicyGroupCriteria[]): void {
    this._criteria = value;
  }
  /** Remove every `criteria` block. */
  public resetCriteria(): void {
    this._criteria = undefined;
  }
  /** Configured `criteria` blocks. */
  public get criteriaInput(): NsxtPolicyGroupCriteria[] | undefined {
    return this._criteria;
  }

  /** Replace the `conjunction` blocks. */
  public putConjunction(value: NsxtPolicyGroupConjunction[]): void {
    this._conjunction = value;
  }
  /** Remove every `conjunction` block. */
  public resetConjunction(): void {
    this._conjunction = undefined;
  }
  /** Configured `conjunction` blocks. */
  public get conjunctionInput(): NsxtPolicyGroupConjunction[] | undefined {
    return this._conjunction;
  }

  /** Replace the `tag` blocks. */
  public putTag(value: NsxtTag[]): void {
    this._tag = value;
  }
  /** Remove every `tag` block. */
  public resetTag(): void {
    this._tag = undefined;
  }
  /** Configured `tag` blocks. */
  public get tagInput(): NsxtTag[] | undefined {
    return this._tag;
  }

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      display_name: cdktf.stringToTerraform(this._displayName),
      description: cdktf.stringToTerraform(this._description),
      domain: cdktf.stringToTerraform(this._domain),
      nsx_id: cdktf.stringToTerraform(this._nsxId),
      criteria: cdktf.listMapper(nsxtPolicyGroupCriteriaToTerraform, true)(this._criteria),
      conjunction: cdktf.listMapper(nsxtPolicyGroupConjunctionToTerraform, true)(this._conjunction),
      tag: cdktf.listMapper(nsxtTagToTerraform, true)(this._tag),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    return nsxtToHclAttributes(this.synthesizeAttributes(), {
      criteria: { condition: {}, ipaddress_expression: {}, path_expression: {} },
      conjunction: {},
      tag: {},
    });
  }
}
