/** The resource types of hashicorp/google the evaluator reads, by role. */
export const GCP_TYPES = {
  instance: 'google_compute_instance',
  instanceData: 'data.google_compute_instance',
  template: 'google_compute_instance_template',
  groupManager: 'google_compute_instance_group_manager',
  regionGroupManager: 'google_compute_region_instance_group_manager',
  network: 'google_compute_network',
  subnetwork: 'google_compute_subnetwork',
  tagKey: 'google_tags_tag_key',
  tagValue: 'google_tags_tag_value',
  locationTagBinding: 'google_tags_location_tag_binding',
  classicRule: 'google_compute_firewall',
  hierarchicalPolicy: 'google_compute_firewall_policy',
  hierarchicalRule: 'google_compute_firewall_policy_rule',
  hierarchicalAssociation: 'google_compute_firewall_policy_association',
  networkPolicy: 'google_compute_network_firewall_policy',
  networkRule: 'google_compute_network_firewall_policy_rule',
  networkAssociation: 'google_compute_network_firewall_policy_association',
  regionalPolicy: 'google_compute_region_network_firewall_policy',
  regionalRule: 'google_compute_region_network_firewall_policy_rule',
  regionalAssociation: 'google_compute_region_network_firewall_policy_association',
} as const;

/** Policies whose rules are inline (`*_with_rules`): the evaluator does not read them and says so. */
export const GCP_UNREAD_POLICY_TYPES = [
  'google_compute_firewall_policy_with_rules',
  'google_compute_network_firewall_policy_with_rules',
  'google_compute_region_network_firewall_policy_with_rules',
];

/** Resource types that stand for a VM (or the VMs of a template or group) as an endpoint. */
export const GCP_VM_TYPES: readonly string[] = [
  GCP_TYPES.instance, GCP_TYPES.instanceData, GCP_TYPES.template, GCP_TYPES.groupManager, GCP_TYPES.regionGroupManager,
  GCP_TYPES.locationTagBinding,
];
