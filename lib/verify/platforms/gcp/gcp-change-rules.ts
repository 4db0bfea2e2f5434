import { GCP_TYPES } from './gcp-types';
import { TerraformResource } from '../../model/terraform-model';
import { PlatformChangeRules, UniqueKey, ValueText } from '../evaluator-platform';

/**
 * Google Cloud (hashicorp/google 6.x, per its resource schemas): a firewall policy rule is identified
 * by its policy and priority (both force replacement, as does the project); its match, action and
 * targets update in place. A VPC firewall rule's name, direction, project and params force
 * replacement (its network, priority, ranges and tags update in place). Tag
 * keys and values are replaced when their parent or short name (or a key's purpose) changes; a
 * location tag binding and a policy association have only arguments that force replacement.
 */
export const GCP_CHANGE_RULES: PlatformChangeRules = {
  forceNew: {
    [GCP_TYPES.networkRule]: ['firewall_policy', 'priority', 'project'],
    [GCP_TYPES.regionalRule]: ['firewall_policy', 'priority', 'project', 'region'],
    [GCP_TYPES.hierarchicalRule]: ['firewall_policy', 'priority'],
    [GCP_TYPES.networkPolicy]: ['name', 'project'],
    [GCP_TYPES.regionalPolicy]: ['name', 'project', 'region'],
    [GCP_TYPES.hierarchicalPolicy]: ['parent', 'short_name'],
    [GCP_TYPES.networkAssociation]: 'all',
    [GCP_TYPES.regionalAssociation]: 'all',
    [GCP_TYPES.hierarchicalAssociation]: ['attachment_target', 'firewall_policy', 'name'],
    [GCP_TYPES.classicRule]: ['name', 'direction', 'project', 'params'],
    [GCP_TYPES.tagKey]: ['parent', 'short_name', 'purpose', 'purpose_data'],
    [GCP_TYPES.tagValue]: ['parent', 'short_name'],
    [GCP_TYPES.locationTagBinding]: 'all',
    [GCP_TYPES.network]: ['name', 'project', 'auto_create_subnetworks'],
    [GCP_TYPES.subnetwork]: ['name', 'network', 'region', 'project'],
    // a VM's secure tags are set at creation only: changing them recreates the instance
    [GCP_TYPES.instance]: ['name', 'zone', 'project', 'params'],
    [GCP_TYPES.template]: 'all',
  },
  ruleTypes: [GCP_TYPES.networkRule, GCP_TYPES.regionalRule, GCP_TYPES.hierarchicalRule, GCP_TYPES.classicRule],
  /** A priority per firewall policy (rules have no other identity), a VPC firewall rule name per project, a tag value short name per key. */
  uniqueKeys: (resource: TerraformResource, text: ValueText): UniqueKey[] => {
    const at = (argument: string) => text(resource.body[argument]);
    switch (resource.type) {
      case GCP_TYPES.networkRule:
      case GCP_TYPES.regionalRule:
      case GCP_TYPES.hierarchicalRule:
        return [{ kind: 'gcp-policy-priority', key: [at('firewall_policy'), at('priority')].join('|') }];
      case GCP_TYPES.classicRule:
        return [{ kind: 'gcp-firewall-name', key: [at('project'), at('name')].join('|') }];
      case GCP_TYPES.tagValue:
        return [{ kind: 'gcp-tag-value', key: [at('parent'), at('short_name')].join('|') }];
      case GCP_TYPES.tagKey:
        return [{ kind: 'gcp-tag-key', key: [at('parent'), at('short_name')].join('|') }];
      default:
        return [];
    }
  },
};
