import { PlatformCapabilities } from '../model/capabilities';

/** What AWS security group rules can express. */
export const SECURITY_GROUP_CAPABILITIES: PlatformCapabilities = {
  name: 'AWS security groups',
  ruleName: 'security group rules',
  platform: 'AWS',
  deny: false,
  stateless: false,
  icmpTypeCode: true,
  sctp: 'protocol',
  peerKinds: ['aws-prefix-list', 'aws-security-group'],
  groups: 'security groups',
  matches: 'security groups, addresses and prefix lists',
  addressExample: 'instance.privateIp',
};

/** What AWS network ACL entries can express. */
export const NETWORK_ACL_CAPABILITIES: PlatformCapabilities = {
  name: 'AWS network ACLs',
  ruleName: 'network ACL entries',
  platform: 'AWS',
  deny: true,
  stateless: true,
  icmpTypeCode: true,
  sctp: 'protocol',
  peerKinds: [],
  groups: 'mapped subnets',
  matches: 'addresses',
  addressExample: 'instance.privateIp',
};
