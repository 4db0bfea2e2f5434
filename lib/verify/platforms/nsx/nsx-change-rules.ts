import { TerraformResource } from '../../model/terraform-model';
import { PlatformChangeRules, UniqueKey, ValueText } from '../evaluator-platform';

const NSX_ID_TYPES = ['nsxt_policy_group', 'nsxt_policy_service', 'nsxt_policy_parent_security_policy', 'nsxt_policy_security_policy'];

/** NSX and vSphere (vmware/nsxt, vmware/vsphere, per their documentation): a rule's `policy_path` forces replacement, its sequence number updates in place. */
export const NSX_CHANGE_RULES: PlatformChangeRules = {
  forceNew: {
    nsxt_policy_security_policy_rule: ['policy_path', 'nsx_id'],
    nsxt_policy_parent_security_policy: ['nsx_id', 'domain', 'category'],
    nsxt_policy_security_policy: ['nsx_id', 'domain', 'category'],
    nsxt_policy_group: ['nsx_id', 'domain'],
    nsxt_policy_service: ['nsx_id'],
    nsxt_policy_vm_tags: ['instance_id'],
    vsphere_tag: ['category_id'],
    vsphere_tag_category: ['cardinality'],
  },
  ruleTypes: ['nsxt_policy_security_policy_rule'],
  /** A sequence number per policy (equal numbers leave the order undefined), an NSX id per domain. */
  uniqueKeys: (resource: TerraformResource, text: ValueText): UniqueKey[] => {
    const at = (argument: string) => text(resource.body[argument]);
    if (resource.type === 'nsxt_policy_security_policy_rule') return [{ kind: 'nsx-sequence', key: [at('policy_path'), at('sequence_number')].join('|') }];
    if (NSX_ID_TYPES.includes(resource.type) && resource.body.nsx_id !== undefined) {
      return [{ kind: 'nsx-id', key: [resource.type, at('domain') || 'default', at('nsx_id')].join('|') }];
    }
    return [];
  },
};
