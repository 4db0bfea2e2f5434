// Hand-written cdktf binding for `nsxt_policy_vm_tags` (vmware/nsxt provider).
// https://registry.terraform.io/providers/vmware/nsxt/latest/docs/resources/policy_vm_tags

import * as cdktf from 'cdktf';
import { Construct } from 'constructs';
import { NsxtTaggedResource } from './policy-object';
import { nsxtToHclAttributes, tagsToTerraform } from './terraform-mapping';

/**
 * One NSX `tag { scope, tag }` block, shared by every NSX policy resource that accepts tags.
 */
export interface NsxtTag {
  /**
   * Tag scope (the "key"); group conditions match it as `scope|tag`.
   *
   * @default - no scope
   */
  readonly scope?: string;
  /**
   * Tag value.
   *
   * @default - empty tag value
   */
  readonly tag?: string;
}

/**
 * Configuration of an `nsxt_policy_vm_tags` resource.
 */
export interface NsxtPolicyVmTagsConfig extends cdktf.TerraformMetaArguments {
  /**
   * Instance UUID or BIOS UUID of the VM; `vsphere_virtual_machine.id` works.
   */
  readonly instanceId: string;
  /**
   * The COMPLETE NSX tag set of the VM: the resource overwrites every tag on the VM, so declare exactly one per VM.
   *
   * @default - no tags (removes every tag from the VM)
   */
  readonly tag?: NsxtTag[];
}

/**
 * Represents an `nsxt_policy_vm_tags` resource: the authoritative NSX tag set of one virtual machine.
 */
export class NsxtPolicyVmTags extends NsxtTaggedResource {
  /** Terraform resource type. */
  public static readonly tfResourceType = 'nsxt_policy_vm_tags';

  /**
   * Generates CDKTF code for importing an NsxtPolicyVmTags resource (import id: the VM external id).
   *
   * @param scope The scope in which to define this construct
   * @param importToId The construct id used in the generated config for the NsxtPolicyVmTags to import
   * @param importFromId The id of the existing VM tag set to import
   * @param provider Optional instance of the provider where the NsxtPolicyVmTags to import is found
   */
  public static generateConfigForImport(
    scope: Construct,
    importToId: string,
    importFromId: string,
    provider?: cdktf.TerraformProvider,
  ): cdktf.ImportableResource {
    return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: 'nsxt_policy_vm_tags', importId: importFromId, provider });
  }

  private _instanceId?: string;

  /**
   * Create a new `nsxt_policy_vm_tags` resource.
   *
   * @param scope The scope in which to define this construct
   * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
   * @param config NsxtPolicyVmTagsConfig
   */
  public constructor(scope: Construct, id: string, config: NsxtPolicyVmTagsConfig) {
    super(scope, id, 'nsxt_policy_vm_tags', config);
    this._instanceId = config.instanceId;
  }

  /** Instance or BIOS UUID of the VM. */
  public get instanceId(): string {
    return this.getStringAttribute('instance_id');
  }
  public set instanceId(value: string) {
    this._instanceId = value;
  }
  /** Configured `instance_id` value. */
  public get instanceIdInput(): string | undefined {
    return this._instanceId;
  }

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      instance_id: cdktf.stringToTerraform(this._instanceId),
      tag: tagsToTerraform(this.tagInput),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    return nsxtToHclAttributes(this.synthesizeAttributes(), { tag: {} });
  }
}
