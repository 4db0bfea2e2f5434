// Hand-written cdktf binding for `nsxt_policy_group` (vmware/nsxt provider).
// https://registry.terraform.io/providers/vmware/nsxt/latest/docs/resources/policy_group

import * as cdktf from 'cdktf';
import { Construct } from 'constructs';
import { NsxConjunctionOperator, NsxGroupConditionKey, NsxGroupConditionMemberType, NsxGroupConditionOperator } from './enums';
import { NsxtDomainObject, NsxtDomainObjectConfig } from './policy-object';
import { blockToTerraform, blocksToTerraform, nsxtToHclAttributes, stringsToTerraform, tagsToTerraform } from './terraform-mapping';

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
 * The `ipaddress_expression` block of a group criteria: static IPs, ranges or CIDRs (never IPv4 and IPv6 mixed).
 */
export interface NsxtPolicyGroupCriteriaIpaddressExpression {
  /** IP addresses, ranges (`a-b`) or CIDRs, all of one IP version. */
  readonly ipAddresses: string[];
}

/**
 * The `path_expression` block of a group criteria: direct members by policy path (groups, segments, segment ports).
 */
export interface NsxtPolicyGroupCriteriaPathExpression {
  /** Policy paths of the direct members. */
  readonly memberPaths: string[];
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
 * One `conjunction` block, placed between two consecutive `criteria` blocks (n criteria need n-1 conjunctions).
 */
export interface NsxtPolicyGroupConjunction {
  /** `AND` or `OR`. */
  readonly operator: NsxConjunctionOperator;
}

/**
 * Configuration of an `nsxt_policy_group` resource (the group path is `/infra/domains/<domain>/groups/<nsxId>`).
 */
export interface NsxtPolicyGroupConfig extends NsxtDomainObjectConfig {
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
}

/**
 * Represents an `nsxt_policy_group` resource: an NSX inventory group used as rule source, destination or scope.
 */
export class NsxtPolicyGroup extends NsxtDomainObject {
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

  private _criteria?: NsxtPolicyGroupCriteria[];
  private _conjunction?: NsxtPolicyGroupConjunction[];

  /**
   * Create a new `nsxt_policy_group` resource.
   *
   * @param scope The scope in which to define this construct
   * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
   * @param config NsxtPolicyGroupConfig
   */
  public constructor(scope: Construct, id: string, config: NsxtPolicyGroupConfig) {
    super(scope, id, 'nsxt_policy_group', config);
    this._criteria = config.criteria;
    this._conjunction = config.conjunction;
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

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      display_name: cdktf.stringToTerraform(this.displayNameInput),
      description: cdktf.stringToTerraform(this.descriptionInput),
      domain: cdktf.stringToTerraform(this.domainInput),
      nsx_id: cdktf.stringToTerraform(this.nsxIdInput),
      criteria: blocksToTerraform(this._criteria, criteriaToTerraform),
      conjunction: blocksToTerraform(this._conjunction, (c) => ({ operator: cdktf.stringToTerraform(c.operator) })),
      tag: tagsToTerraform(this.tagInput),
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

function criteriaToTerraform(criteria: NsxtPolicyGroupCriteria): { [name: string]: unknown } {
  return {
    condition: blocksToTerraform(criteria.condition, (c) => ({
      key: cdktf.stringToTerraform(c.key),
      member_type: cdktf.stringToTerraform(c.memberType),
      operator: cdktf.stringToTerraform(c.operator),
      value: cdktf.stringToTerraform(c.value),
    })),
    ipaddress_expression: blockToTerraform(criteria.ipaddressExpression, (e) => ({ ip_addresses: stringsToTerraform(e.ipAddresses) })),
    path_expression: blockToTerraform(criteria.pathExpression, (e) => ({ member_paths: stringsToTerraform(e.memberPaths) })),
  };
}
