// Hand-written cdktf binding for `nsxt_policy_security_policy_rule` (vmware/nsxt provider, >= 3.5.0 Beta, GA in 3.6.2).
// https://registry.terraform.io/providers/vmware/nsxt/latest/docs/resources/policy_security_policy_rule
// Use it only under an `nsxt_policy_parent_security_policy`; never mix with inline `rule` blocks of
// `nsxt_policy_security_policy` on the same policy.

import * as cdktf from 'cdktf';
import { Construct } from 'constructs';
import { NsxIpVersion, NsxRuleAction, NsxRuleDirection } from './enums';
import { NsxtPolicyObject, NsxtPolicyObjectConfig } from './policy-object';
import { nsxtToHclAttributes, stringsToTerraform, tagsToTerraform } from './terraform-mapping';

/**
 * Configuration of an `nsxt_policy_security_policy_rule` resource (one distributed firewall rule).
 */
export interface NsxtPolicySecurityPolicyRuleConfig extends NsxtPolicyObjectConfig {
  /** Path of the parent `nsxt_policy_parent_security_policy` (replace on change). */
  readonly policyPath: string;
  /** Position of the rule inside its policy; start at 1, equal numbers give an undefined order. */
  readonly sequenceNumber: number;
  /**
   * Source group paths (or IPs/CIDRs); EMPTY means ANY.
   *
   * @default - any source
   */
  readonly sourceGroups?: string[];
  /**
   * Destination group paths (or IPs/CIDRs); EMPTY means ANY.
   *
   * @default - any destination
   */
  readonly destinationGroups?: string[];
  /**
   * Negate the source groups.
   *
   * @default false
   */
  readonly sourcesExcluded?: boolean;
  /**
   * Negate the destination groups.
   *
   * @default false
   */
  readonly destinationsExcluded?: boolean;
  /**
   * Service paths; EMPTY means any service.
   *
   * @default - any service
   */
  readonly services?: string[];
  /**
   * Context profile paths (layer-7 matching).
   *
   * @default - no profile
   */
  readonly profiles?: string[];
  /**
   * Applied-to policy paths of the rule.
   *
   * @default - the policy scope
   */
  readonly scope?: string[];
  /**
   * Rule action.
   *
   * @default NsxRuleAction.ALLOW
   */
  readonly action?: NsxRuleAction;
  /**
   * Direction seen from the vNIC where the rule applies.
   *
   * @default NsxRuleDirection.IN_OUT
   */
  readonly direction?: NsxRuleDirection;
  /**
   * IP version matched.
   *
   * @default NsxIpVersion.IPV4_IPV6
   */
  readonly ipVersion?: NsxIpVersion;
  /**
   * Log packets hitting the rule.
   *
   * @default false
   */
  readonly logged?: boolean;
  /**
   * Disable the rule.
   *
   * @default false
   */
  readonly disabled?: boolean;
  /**
   * Free-text notes on the change.
   *
   * @default - none
   */
  readonly notes?: string;
  /**
   * Label written to the rule syslog lines.
   *
   * @default - none
   */
  readonly logLabel?: string;
}

/**
 * Represents an `nsxt_policy_security_policy_rule` resource: one rule of a parent security policy, managed on its own.
 */
export class NsxtPolicySecurityPolicyRule extends NsxtPolicyObject {
  /** Terraform resource type. */
  public static readonly tfResourceType = 'nsxt_policy_security_policy_rule';

  /**
   * Generates CDKTF code for importing an NsxtPolicySecurityPolicyRule resource (import id: the rule path).
   *
   * @param scope The scope in which to define this construct
   * @param importToId The construct id used in the generated config for the NsxtPolicySecurityPolicyRule to import
   * @param importFromId The policy path of the existing rule to import
   * @param provider Optional instance of the provider where the NsxtPolicySecurityPolicyRule to import is found
   */
  public static generateConfigForImport(
    scope: Construct,
    importToId: string,
    importFromId: string,
    provider?: cdktf.TerraformProvider,
  ): cdktf.ImportableResource {
    return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: 'nsxt_policy_security_policy_rule', importId: importFromId, provider });
  }

  private _policyPath?: string;
  private _sequenceNumber?: number;
  private _sourceGroups?: string[];
  private _destinationGroups?: string[];
  private _sourcesExcluded?: boolean;
  private _destinationsExcluded?: boolean;
  private _services?: string[];
  private _profiles?: string[];
  private _scope?: string[];
  private _action?: string;
  private _direction?: string;
  private _ipVersion?: string;
  private _logged?: boolean;
  private _disabled?: boolean;
  private _notes?: string;
  private _logLabel?: string;

  /**
   * Create a new `nsxt_policy_security_policy_rule` resource.
   *
   * @param scope The scope in which to define this construct
   * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
   * @param config NsxtPolicySecurityPolicyRuleConfig
   */
  public constructor(scope: Construct, id: string, config: NsxtPolicySecurityPolicyRuleConfig) {
    super(scope, id, 'nsxt_policy_security_policy_rule', config);
    this._policyPath = config.policyPath;
    this._sequenceNumber = config.sequenceNumber;
    this._sourceGroups = config.sourceGroups;
    this._destinationGroups = config.destinationGroups;
    this._sourcesExcluded = config.sourcesExcluded;
    this._destinationsExcluded = config.destinationsExcluded;
    this._services = config.services;
    this._profiles = config.profiles;
    this._scope = config.scope;
    this._action = config.action;
    this._direction = config.direction;
    this._ipVersion = config.ipVersion;
    this._logged = config.logged;
    this._disabled = config.disabled;
    this._notes = config.notes;
    this._logLabel = config.logLabel;
  }

  /** Unique positive number assigned by NSX (appears in firewall logs). */
  public get ruleId(): number {
    return this.getNumberAttribute('rule_id');
  }

  /** Path of the parent security policy. */
  public get policyPath(): string {
    return this.getStringAttribute('policy_path');
  }
  public set policyPath(value: string) {
    this._policyPath = value;
  }
  /** Configured `policy_path` value. */
  public get policyPathInput(): string | undefined {
    return this._policyPath;
  }

  /** Position of the rule inside its policy. */
  public get sequenceNumber(): number {
    return this.getNumberAttribute('sequence_number');
  }
  public set sequenceNumber(value: number) {
    this._sequenceNumber = value;
  }
  /** Configured `sequence_number` value. */
  public get sequenceNumberInput(): number | undefined {
    return this._sequenceNumber;
  }

  /** Source group paths. */
  public get sourceGroups(): string[] {
    return cdktf.Fn.tolist(this.getListAttribute('source_groups'));
  }
  public set sourceGroups(value: string[]) {
    this._sourceGroups = value;
  }
  /** Unset `source_groups` (any source). */
  public resetSourceGroups(): void {
    this._sourceGroups = undefined;
  }
  /** Configured `source_groups` value. */
  public get sourceGroupsInput(): string[] | undefined {
    return this._sourceGroups;
  }

  /** Destination group paths. */
  public get destinationGroups(): string[] {
    return cdktf.Fn.tolist(this.getListAttribute('destination_groups'));
  }
  public set destinationGroups(value: string[]) {
    this._destinationGroups = value;
  }
  /** Unset `destination_groups` (any destination). */
  public resetDestinationGroups(): void {
    this._destinationGroups = undefined;
  }
  /** Configured `destination_groups` value. */
  public get destinationGroupsInput(): string[] | undefined {
    return this._destinationGroups;
  }

  /** Reference to the `sources_excluded` attribute. */
  public get sourcesExcluded(): cdktf.IResolvable {
    return this.getBooleanAttribute('sources_excluded');
  }
  /** Unset `sources_excluded`. */
  public resetSourcesExcluded(): void {
    this._sourcesExcluded = undefined;
  }
  /** Configured `sources_excluded` value. */
  public get sourcesExcludedInput(): boolean | undefined {
    return this._sourcesExcluded;
  }

  /** Reference to the `destinations_excluded` attribute. */
  public get destinationsExcluded(): cdktf.IResolvable {
    return this.getBooleanAttribute('destinations_excluded');
  }
  /** Unset `destinations_excluded`. */
  public resetDestinationsExcluded(): void {
    this._destinationsExcluded = undefined;
  }
  /** Configured `destinations_excluded` value. */
  public get destinationsExcludedInput(): boolean | undefined {
    return this._destinationsExcluded;
  }

  /** Service paths. */
  public get services(): string[] {
    return cdktf.Fn.tolist(this.getListAttribute('services'));
  }
  public set services(value: string[]) {
    this._services = value;
  }
  /** Unset `services` (any service). */
  public resetServices(): void {
    this._services = undefined;
  }
  /** Configured `services` value. */
  public get servicesInput(): string[] | undefined {
    return this._services;
  }

  /** Context profile paths. */
  public get profiles(): string[] {
    return cdktf.Fn.tolist(this.getListAttribute('profiles'));
  }
  public set profiles(value: string[]) {
    this._profiles = value;
  }
  /** Unset `profiles`. */
  public resetProfiles(): void {
    this._profiles = undefined;
  }
  /** Configured `profiles` value. */
  public get profilesInput(): string[] | undefined {
    return this._profiles;
  }

  /** Applied-to paths of the rule. */
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

  /** Rule action (a string token; set it with an {@link NsxRuleAction} value). */
  public get action(): string {
    return this.getStringAttribute('action');
  }
  public set action(value: string) {
    this._action = value;
  }
  /** Unset `action` (provider default `ALLOW`). */
  public resetAction(): void {
    this._action = undefined;
  }
  /** Configured `action` value. */
  public get actionInput(): string | undefined {
    return this._action;
  }

  /** Rule direction (a string token; set it with an {@link NsxRuleDirection} value). */
  public get direction(): string {
    return this.getStringAttribute('direction');
  }
  public set direction(value: string) {
    this._direction = value;
  }
  /** Unset `direction` (provider default `IN_OUT`). */
  public resetDirection(): void {
    this._direction = undefined;
  }
  /** Configured `direction` value. */
  public get directionInput(): string | undefined {
    return this._direction;
  }

  /** IP version (a string token; set it with an {@link NsxIpVersion} value). */
  public get ipVersion(): string {
    return this.getStringAttribute('ip_version');
  }
  public set ipVersion(value: string) {
    this._ipVersion = value;
  }
  /** Unset `ip_version` (provider default `IPV4_IPV6`). */
  public resetIpVersion(): void {
    this._ipVersion = undefined;
  }
  /** Configured `ip_version` value. */
  public get ipVersionInput(): string | undefined {
    return this._ipVersion;
  }

  /** Reference to the `logged` attribute. */
  public get logged(): cdktf.IResolvable {
    return this.getBooleanAttribute('logged');
  }
  /** Unset `logged`. */
  public resetLogged(): void {
    this._logged = undefined;
  }
  /** Configured `logged` value. */
  public get loggedInput(): boolean | undefined {
    return this._logged;
  }

  /** Reference to the `disabled` attribute. */
  public get disabled(): cdktf.IResolvable {
    return this.getBooleanAttribute('disabled');
  }
  /** Unset `disabled`. */
  public resetDisabled(): void {
    this._disabled = undefined;
  }
  /** Configured `disabled` value. */
  public get disabledInput(): boolean | undefined {
    return this._disabled;
  }

  /** Notes on the rule. */
  public get notes(): string {
    return this.getStringAttribute('notes');
  }
  public set notes(value: string) {
    this._notes = value;
  }
  /** Unset `notes`. */
  public resetNotes(): void {
    this._notes = undefined;
  }
  /** Configured `notes` value. */
  public get notesInput(): string | undefined {
    return this._notes;
  }

  /** Syslog label of the rule. */
  public get logLabel(): string {
    return this.getStringAttribute('log_label');
  }
  public set logLabel(value: string) {
    this._logLabel = value;
  }
  /** Unset `log_label`. */
  public resetLogLabel(): void {
    this._logLabel = undefined;
  }
  /** Configured `log_label` value. */
  public get logLabelInput(): string | undefined {
    return this._logLabel;
  }

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      policy_path: cdktf.stringToTerraform(this._policyPath),
      nsx_id: cdktf.stringToTerraform(this.nsxIdInput),
      display_name: cdktf.stringToTerraform(this.displayNameInput),
      description: cdktf.stringToTerraform(this.descriptionInput),
      sequence_number: cdktf.numberToTerraform(this._sequenceNumber),
      source_groups: stringsToTerraform(this._sourceGroups),
      destination_groups: stringsToTerraform(this._destinationGroups),
      sources_excluded: cdktf.booleanToTerraform(this._sourcesExcluded),
      destinations_excluded: cdktf.booleanToTerraform(this._destinationsExcluded),
      services: stringsToTerraform(this._services),
      profiles: stringsToTerraform(this._profiles),
      scope: stringsToTerraform(this._scope),
      action: cdktf.stringToTerraform(this._action),
      direction: cdktf.stringToTerraform(this._direction),
      ip_version: cdktf.stringToTerraform(this._ipVersion),
      logged: cdktf.booleanToTerraform(this._logged),
      disabled: cdktf.booleanToTerraform(this._disabled),
      notes: cdktf.stringToTerraform(this._notes),
      log_label: cdktf.stringToTerraform(this._logLabel),
      tag: tagsToTerraform(this.tagInput),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    return nsxtToHclAttributes(this.synthesizeAttributes(), { tag: {} });
  }
}
