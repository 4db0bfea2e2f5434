// Hand-written cdktf binding for `nsxt_policy_service` (vmware/nsxt provider).
// https://registry.terraform.io/providers/vmware/nsxt/latest/docs/resources/policy_service

import * as cdktf from 'cdktf';
import { Construct } from 'constructs';
import { NsxIcmpProtocol, NsxL4Protocol } from './enums';
import { NsxtPolicyObject, NsxtPolicyObjectConfig, NsxtServiceEntryConfig } from './policy-object';
import { blocksToTerraform, nsxtToHclAttributes, stringsToTerraform, tagsToTerraform } from './terraform-mapping';

/**
 * One `l4_port_set_entry` block of a policy service (TCP or UDP ports).
 */
export interface NsxtPolicyServiceL4PortSetEntry extends NsxtServiceEntryConfig {
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
 * One `icmp_entry` block of a policy service.
 */
export interface NsxtPolicyServiceIcmpEntry extends NsxtServiceEntryConfig {
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
 * One `ip_protocol_entry` block of a policy service (a bare IP protocol number, e.g. 50 for ESP).
 */
export interface NsxtPolicyServiceIpProtocolEntry extends NsxtServiceEntryConfig {
  /** IP protocol number, 0-255 (a NUMBER, unlike the L4 and ICMP `protocol`). */
  readonly protocol: number;
}

/**
 * Configuration of an `nsxt_policy_service` resource (path `/infra/services/<nsxId>`); it needs at least one entry of some type.
 */
export interface NsxtPolicyServiceConfig extends NsxtPolicyObjectConfig {
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
}

/**
 * Represents an `nsxt_policy_service` resource: a named set of L4 port, ICMP or IP protocol entries.
 */
export class NsxtPolicyService extends NsxtPolicyObject {
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

  private _l4PortSetEntry?: NsxtPolicyServiceL4PortSetEntry[];
  private _icmpEntry?: NsxtPolicyServiceIcmpEntry[];
  private _ipProtocolEntry?: NsxtPolicyServiceIpProtocolEntry[];

  /**
   * Create a new `nsxt_policy_service` resource.
   *
   * @param scope The scope in which to define this construct
   * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
   * @param config NsxtPolicyServiceConfig
   */
  public constructor(scope: Construct, id: string, config: NsxtPolicyServiceConfig) {
    super(scope, id, 'nsxt_policy_service', config);
    this._l4PortSetEntry = config.l4PortSetEntry;
    this._icmpEntry = config.icmpEntry;
    this._ipProtocolEntry = config.ipProtocolEntry;
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

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      display_name: cdktf.stringToTerraform(this.displayNameInput),
      description: cdktf.stringToTerraform(this.descriptionInput),
      nsx_id: cdktf.stringToTerraform(this.nsxIdInput),
      l4_port_set_entry: blocksToTerraform(this._l4PortSetEntry, (e) => ({
        ...entryNamesToTerraform(e),
        protocol: cdktf.stringToTerraform(e.protocol),
        destination_ports: stringsToTerraform(e.destinationPorts),
        source_ports: stringsToTerraform(e.sourcePorts),
      })),
      icmp_entry: blocksToTerraform(this._icmpEntry, (e) => ({
        ...entryNamesToTerraform(e),
        protocol: cdktf.stringToTerraform(e.protocol),
        icmp_type: cdktf.stringToTerraform(e.icmpType),
        icmp_code: cdktf.stringToTerraform(e.icmpCode),
      })),
      ip_protocol_entry: blocksToTerraform(this._ipProtocolEntry, (e) => ({
        ...entryNamesToTerraform(e),
        protocol: cdktf.numberToTerraform(e.protocol),
      })),
      tag: tagsToTerraform(this.tagInput),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    return nsxtToHclAttributes(this.synthesizeAttributes(), { l4_port_set_entry: {}, icmp_entry: {}, ip_protocol_entry: {}, tag: {} });
  }
}

function entryNamesToTerraform(entry: NsxtServiceEntryConfig): { [name: string]: unknown } {
  return {
    display_name: cdktf.stringToTerraform(entry.displayName),
    description: cdktf.stringToTerraform(entry.description),
  };
}
