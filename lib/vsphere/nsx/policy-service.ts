// Hand-written cdktf binding for `nsxt_policy_service` (vmware/nsxt provider).
// https://registry.terraform.io/providers/vmware/nsxt/latest/docs/resources/policy_service

import * as cdktf from 'cdktf';
import { Construct } from 'constructs';
import { NsxIcmpProtocol, NsxL4Protocol } from './enums';
import { NsxtTag, nsxtTagToTerraform } from './policy-vm-tags';
import { NSXT_GENERATOR_METADATA, nsxtToHclAttributes } from './provider';

/**
 * One `l4_port_set_entry` block of a policy service (TCP or UDP ports).
 */
export interface NsxtPolicyServiceL4PortSetEntry {
  /**
   * Display name of the entry.
   *
   * @default - none
   */
  readonly displayName?: string;
  /**
   * Description of the entry.
   *
   * @default - none
   */
  readonly description?: string;
  /** `TCP` or `UDP`. */
  readonly protocol: NsxL4Protocol;
  /**
   * Destination ports or ranges, e.g. `443`, `8000-8100`.
   *
   * @default - any destination port
   */
  readonly destinationPorts?: string[];
  /**
   * Source ports or ranges.
   *
   * @default - any source port
   */
  readonly sourcePorts?: string[];
}

/**
 * Maps an {@link NsxtPolicyServiceL4PortSetEntry} to its Terraform JSON form.
 */
export function nsxtPolicyServiceL4PortSetEntryToTerraform(struct?: NsxtPolicyServiceL4PortSetEntry): unknown {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) {
    return struct;
  }
  if (cdktf.isComplexElement(struct)) {
    throw new Error('A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration');
  }
  return {
    display_name: cdktf.stringToTerraform(struct!.displayName),
    description: cdktf.stringToTerraform(struct!.description),
    protocol: cdktf.stringToTerraform(struct!.protocol),
    destination_ports: cdktf.listMapper(cdktf.stringToTerraform, false)(struct!.destinationPorts),
    source_ports: cdktf.listMapper(cdktf.stringToTerraform, false)(struct!.sourcePorts),
  };
}

/**
 * One `icmp_entry` block of a policy service.
 */
export interface NsxtPolicyServiceIcmpEntry {
  /**
   * Display name of the entry.
   *
   * @default - none
   */
  readonly displayName?: string;
  /**
   * Description of the entry.
   *
   * @default - none
   */
  readonly description?: string;
  /** `ICMPv4` or `ICMPv6`. */
  readonly protocol: NsxIcmpProtocol;
  /**
   * ICMP message type as a decimal STRING (`"8"` = echo request); required when `icmpCode` is set.
   *
   * @default - any type
   */
  readonly icmpType?: string;
  /**
   * ICMP message code as a decimal STRING.
   *
   * @default - any code
   */
  readonly icmpCode?: string;
}

/**
 * Maps an {@link NsxtPolicyServiceIcmpEntry} to its Terraform JSON form.
 */
export function nsxtPolicyServiceIcmpEntryToTerraform(struct?: NsxtPolicyServiceIcmpEntry): unknown {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) {
    return struct;
  }
  if (cdktf.isComplexElement(struct)) {
    throw new Error('A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration');
  }
  return {
    display_name: cdktf.stringToTerraform(struct!.displayName),
    description: cdktf.stringToTerraform(struct!.description),
    protocol: cdktf.stringToTerraform(struct!.protocol),
    icmp_type: cdktf.stringToTerraform(struct!.icmpType),
    icmp_code: cdktf.stringToTerraform(struct!.icmpCode),
  };
}

/**
 * One `ip_protocol_entry` block of a policy service (a bare IP protocol number, e.g. 50 for ESP).
 */
export interface NsxtPolicyServiceIpProtocolEntry {
  /**
   * Display name of the entry.
   *
   * @default - none
   */
  readonly displayName?: string;
  /**
   * Description of the entry.
   *
   * @default - none
   */
  readonly description?: string;
  /** IP protocol number, 0-255 (a NUMBER, unlike the L4 and ICMP `protocol`). */
  readonly protocol: number;
}

/**
 * Maps an {@link NsxtPolicyServiceIpProtocolEntry} to its Terraform JSON form.
 */
export function nsxtPolicyServiceIpProtocolEntryToTerraform(struct?: NsxtPolicyServiceIpProtocolEntry): unknown {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) {
    return struct;
  }
  if (cdktf.isComplexElement(struct)) {
    throw new Error('A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration');
  }
  return {
    display_name: cdktf.stringToTerraform(struct!.displayName),
    description: cdktf.stringToTerraform(struct!.description),
    protocol: cdktf.numberToTerraform(struct!.protocol),
  };
}

/**
 * Configuration of an `nsxt_policy_service` resource; it needs at least one entry of some type.
 */
export interface NsxtPolicyServiceConfig extends cdktf.TerraformMetaArguments {
  /** Display name of the service. */
  readonly displayName: string;
  /**
   * Description of the service.
   *
   * @default - no description
   */
  readonly description?: string;
  /**
   * NSX id of the service (replace on change); the path becomes `/infra/services/<nsxId>`.
   *
   * @default - generated by the provider
   */
  readonly nsxId?: string;
  /**
   * TCP/UDP port entries.
   *
   * @default - none
   */
  readonly l4PortSetEntry?: NsxtPolicyServiceL4PortSetEntry[];
  /**
   * ICMP entries.
   *
   * @default - none
   */
  readonly icmpEntry?: NsxtPolicyServiceIcmpEntry[];
  /**
   * IP protocol entries.
   *
   * @default - none
   */
  readonly ipProtocolEntry?: NsxtPolicyServiceIpProtocolEntry[];
  /**
   * NSX tags on the service object.
   *
   * @default - no tags
   */
  readonly tag?: NsxtTag[];
}

/**
 * Represents an `nsxt_policy_service` resource: a named set of L4 port, ICMP or IP protocol entries.
 */
export class NsxtPolicyService extends cdktf.TerraformResource {
  /** Terraform resource type. */
  public static readonly tfResourceType = 'nsxt_policy_service';

  /**
   * Generates CDKTF code for importing an NsxtPolicyService resource (import id: the NSX id or the policy path).
   *
   * @param scope The scope in which to define this construct
   * @param importToId The construct id used in the generated config for the NsxtPolicyService to import
   * @param importFromId The id of the existing service to import
   * @param provider Optional instance of the provider where the NsxtPolicyService to import is found
   */
  public static generateConfigForImport(
    scope: Construct,
    importToId: string,
    importFromId: string,
    provider?: cdktf.TerraformProvider,
  ): cdktf.ImportableResource {
    return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: 'nsxt_policy_service', importId: importFromId, provider });
  }

  private _displayName?: string;
  private _description?: string;
  private _nsxId?: string;
  private _l4PortSetEntry?: NsxtPolicyServiceL4PortSetEntry[];
  private _icmpEntry?: NsxtPolicyServiceIcmpEntry[];
  private _ipProtocolEntry?: NsxtPolicyServiceIpProtocolEntry[];
  private _tag?: NsxtTag[];

  /**
   * Create a new `nsxt_policy_service` resource.
   *
   * @param scope The scope in which to define this construct
   * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
   * @param config NsxtPolicyServiceConfig
   */
  public constructor(scope: Construct, id: string, config: NsxtPolicyServiceConfig) {
    super(scope, id, {
      terraformResourceType: 'nsxt_policy_service',
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
    this._nsxId = config.nsxId;
    this._l4PortSetEntry = config.l4PortSetEntry;
    this._icmpEntry = config.icmpEntry;
    this._ipProtocolEntry = config.ipProtocolEntry;
    this._tag = config.tag;
  }

  /** Terraform id of the service (its NSX id). */
  public get id(): string {
    return this.getStringAttribute('id');
  }

  /** NSX policy path of the service, e.g. `/infra/services/<id>`: use it in rule `services`. */
  public get path(): string {
    return this.getStringAttribute('path');
  }

  /** Current revision of the object as seen by the NSX API. */
  public get revision(): number {
    return this.getNumberAttribute('revision');
  }

  /** Display name of the service. */
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

  /** Description of the service. */
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

  /** NSX id of the service. */
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

  /** Replace the `l4_port_set_entry` blocks. */
  public putL4PortSetEntry(value: NsxtPolicyServiceL4PortSetEntry[]): void {
    this._l4PortSetEntry = value;
  }
  /** Remove every `l4_port_set_entry` block. */
  public resetL4PortSetEntry(): void {
    this._l4PortSetEntry = undefined;
  }
  /** Configured `l4_port_set_entry` blocks. */
  public get l4PortSetEntryInput(): NsxtPolicyServiceL4PortSetEntry[] | undefined {
    return this._l4PortSetEntry;
  }

  /** Replace the `icmp_entry` blocks. */
  public putIcmpEntry(value: NsxtPolicyServiceIcmpEntry[]): void {
    this._icmpEntry = value;
  }
  /** Remove every `icmp_entry` block. */
  public resetIcmpEntry(): void {
    this._icmpEntry = undefined;
  }
  /** Configured `icmp_entry` blocks. */
  public get icmpEntryInput(): NsxtPolicyServiceIcmpEntry[] | undefined {
    return this._icmpEntry;
  }

  /** Replace the `ip_protocol_entry` blocks. */
  public putIpProtocolEntry(value: NsxtPolicyServiceIpProtocolEntry[]): void {
    this._ipProtocolEntry = value;
  }
  /** Remove every `ip_protocol_entry` block. */
  public resetIpProtocolEntry(): void {
    this._ipProtocolEntry = undefined;
  }
  /** Configured `ip_protocol_entry` blocks. */
  public get ipProtocolEntryInput(): NsxtPolicyServiceIpProtocolEntry[] | undefined {
    return this._ipProtocolEntry;
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
      nsx_id: cdktf.stringToTerraform(this._nsxId),
      l4_port_set_entry: cdktf.listMapper(nsxtPolicyServiceL4PortSetEntryToTerraform, true)(this._l4PortSetEntry),
      icmp_entry: cdktf.listMapper(nsxtPolicyServiceIcmpEntryToTerraform, true)(this._icmpEntry),
      ip_protocol_entry: cdktf.listMapper(nsxtPolicyServiceIpProtocolEntryToTerraform, true)(this._ipProtocolEntry),
      tag: cdktf.listMapper(nsxtTagToTerraform, true)(this._tag),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    return nsxtToHclAttributes(this.synthesizeAttributes(), { l4_port_set_entry: {}, icmp_entry: {}, ip_protocol_entry: {}, tag: {} });
  }
}
