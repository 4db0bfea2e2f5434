// Hand-written cdktf binding for `nsxt_policy_parent_security_policy` (vmware/nsxt provider, >= 3.5.0 Beta, GA in 3.6.2).
// https://registry.terraform.io/providers/vmware/nsxt/latest/docs/resources/policy_parent_security_policy
// A distributed firewall policy WITHOUT rules: add one `nsxt_policy_security_policy_rule` per rule.

import * as cdktf from 'cdktf';
import { Construct } from 'constructs';
import { NsxPolicyCategory } from '../policy-category';
import { NsxtDomainObject, NsxtDomainObjectConfig } from './policy-object';
import { nsxtToHclAttributes, stringsToTerraform, tagsToTerraform } from './terraform-mapping';

/**
 * Configuration of an `nsxt_policy_parent_security_policy` resource.
 */
export interface NsxtPolicyParentSecurityPolicyConfig extends NsxtDomainObjectConfig {
  /** Distributed firewall category (replace on change). */
  readonly category: NsxPolicyCategory;
  /**
   * Order of the policy inside its category; equal numbers give an undefined order.
   *
   * @default 0
   */
  readonly sequenceNumber?: number;
  /**
   * Track connection state (stateful inspection).
   *
   * @default true
   */
  readonly stateful?: boolean;
  /**
   * Require a full TCP 3-way handshake before data; set it explicitly (the provider marks it computed).
   *
   * @default - NSX default (false)
   */
  readonly tcpStrict?: boolean;
  /**
   * Applied-to group paths of the whole policy.
   *
   * @default - DFW (every vNIC)
   */
  readonly scope?: string[];
  /**
   * Lock the policy against edits by other users.
   *
   * @default false
   */
  readonly locked?: boolean;
  /**
   * Comments for lock/unlock.
   *
   * @default - none
   */
  readonly comments?: string;
}

/**
 * Represents an `nsxt_policy_parent_security_policy` resource: a DFW security policy whose rules are separate resources.
 */
export class NsxtPolicyParentSecurityPolicy extends NsxtDomainObject {
  /** Terraform resource type. */
  public static readonly tfResourceType = 'nsxt_policy_parent_security_policy';

  /**
   * Generates CDKTF code for importing an NsxtPolicyParentSecurityPolicy resource (import id: `<domain>/<id>`).
   *
   * @param scope The scope in which to define this construct
   * @param importToId The construct id used in the generated config for the NsxtPolicyParentSecurityPolicy to import
   * @param importFromId The id of the existing policy to import
   * @param provider Optional instance of the provider where the NsxtPolicyParentSecurityPolicy to import is found
   */
  public static generateConfigForImport(
    scope: Construct,
    importToId: string,
    importFromId: string,
    provider?: cdktf.TerraformProvider,
  ): cdktf.ImportableResource {
    return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: 'nsxt_policy_parent_security_policy', importId: importFromId, provider });
  }

  private _category?: string;
  private _sequenceNumber?: number;
  private _stateful?: boolean;
  private _tcpStrict?: boolean;
  private _scope?: string[];
  private _locked?: boolean;
  private _comments?: string;

  /**
   * Create a new `nsxt_policy_parent_security_policy` resource.
   *
   * @param scope The scope in which to define this construct
   * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
   * @param config NsxtPolicyParentSecurityPolicyConfig
   */
  public constructor(scope: Construct, id: string, config: NsxtPolicyParentSecurityPolicyConfig) {
    super(scope, id, 'nsxt_policy_parent_security_policy', config);
    this._category = config.category;
    this._sequenceNumber = config.sequenceNumber;
    this._stateful = config.stateful;
    this._tcpStrict = config.tcpStrict;
    this._scope = config.scope;
    this._locked = config.locked;
    this._comments = config.comments;
  }

  /** Category (a string token; set it with an {@link NsxPolicyCategory} value). */
  public get category(): string {
    return this.getStringAttribute('category');
  }
  public set category(value: string) {
    this._category = value;
  }
  /** Configured `category` value. */
  public get categoryInput(): string | undefined {
    return this._category;
  }

  /** Order of the policy inside its category. */
  public get sequenceNumber(): number {
    return this.getNumberAttribute('sequence_number');
  }
  public set sequenceNumber(value: number) {
    this._sequenceNumber = value;
  }
  /** Unset `sequence_number`. */
  public resetSequenceNumber(): void {
    this._sequenceNumber = undefined;
  }
  /** Configured `sequence_number` value. */
  public get sequenceNumberInput(): number | undefined {
    return this._sequenceNumber;
  }

  /** Reference to the `stateful` attribute. */
  public get stateful(): cdktf.IResolvable {
    return this.getBooleanAttribute('stateful');
  }
  /** Unset `stateful`. */
  public resetStateful(): void {
    this._stateful = undefined;
  }
  /** Configured `stateful` value. */
  public get statefulInput(): boolean | undefined {
    return this._stateful;
  }

  /** Reference to the `tcp_strict` attribute. */
  public get tcpStrict(): cdktf.IResolvable {
    return this.getBooleanAttribute('tcp_strict');
  }
  /** Unset `tcp_strict`. */
  public resetTcpStrict(): void {
    this._tcpStrict = undefined;
  }
  /** Configured `tcp_strict` value. */
  public get tcpStrictInput(): boolean | undefined {
    return this._tcpStrict;
  }

  /** Applied-to paths of the policy. */
  public get scope(): string[] {
    return cdktf.Fn.tolist(this.getListAttribute('scope'));
  }
  public set scope(value: string[]) {
    this._scope = value;
  }
  /** Unset `scope`. */
  public resetScope(): void {
    this._scope = undefined;
  }
  /** Configured `scope` value. */
  public get scopeInput(): string[] | undefined {
    return this._scope;
  }

  /** Reference to the `locked` attribute. */
  public get locked(): cdktf.IResolvable {
    return this.getBooleanAttribute('locked');
  }
  /** Unset `locked`. */
  public resetLocked(): void {
    this._locked = undefined;
  }
  /** Configured `locked` value. */
  public get lockedInput(): boolean | undefined {
    return this._locked;
  }

  /** Lock/unlock comments. */
  public get comments(): string {
    return this.getStringAttribute('comments');
  }
  public set comments(value: string) {
    this._comments = value;
  }
  /** Unset `comments`. */
  public resetComments(): void {
    this._comments = undefined;
  }
  /** Configured `comments` value. */
  public get commentsInput(): string | undefined {
    return this._comments;
  }

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      display_name: cdktf.stringToTerraform(this.displayNameInput),
      description: cdktf.stringToTerraform(this.descriptionInput),
      domain: cdktf.stringToTerraform(this.domainInput),
      nsx_id: cdktf.stringToTerraform(this.nsxIdInput),
      category: cdktf.stringToTerraform(this._category),
      sequence_number: cdktf.numberToTerraform(this._sequenceNumber),
      stateful: cdktf.booleanToTerraform(this._stateful),
      tcp_strict: cdktf.booleanToTerraform(this._tcpStrict),
      scope: stringsToTerraform(this._scope),
      locked: cdktf.booleanToTerraform(this._locked),
      comments: cdktf.stringToTerraform(this._comments),
      tag: tagsToTerraform(this.tagInput),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    return nsxtToHclAttributes(this.synthesizeAttributes(), { tag: {} });
  }
}
