import { PlatformCapabilities } from '../model/capabilities';

/**
 * What rules of a Google Cloud network firewall policy can express (hashicorp/google
 * `google_compute_network_firewall_policy_rule`): `allow`, `deny` and `goto_next` actions, stateful;
 * `layer4_configs` hold an IP protocol and, for TCP and UDP only, ports: no ICMP type or code, and
 * SCTP only as the whole protocol. Peers are secure tags (of the same network) and IP ranges.
 */
export const GCP_FIREWALL_POLICY_CAPABILITIES: PlatformCapabilities = {
  name: 'Google Cloud network firewall policies',
  ruleName: 'network firewall policy rules',
  platform: 'Google Cloud',
  deny: true,
  stateless: false,
  icmpTypeCode: false,
  sctp: 'protocol',
  peerKinds: [],
  groups: 'secure tags',
  matches: 'secure tags of their network and addresses',
  addressExample: 'instance.networkInterface.get(0).networkIp',
};
