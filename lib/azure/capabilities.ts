import { PlatformCapabilities } from '../model/capabilities';

/** What Azure NSG rules can express. */
export const NSG_CAPABILITIES: PlatformCapabilities = {
  name: 'Azure NSGs',
  ruleName: 'Azure NSG rules',
  platform: 'Azure',
  deny: true,
  stateless: false,
  icmpTypeCode: false,
  sctp: 'none',
  peerKinds: ['azure-service-tag', 'azure-application-security-group'],
  groups: 'application security groups',
  matches: 'application security groups, addresses and service tags',
  addressExample: 'nic.privateIpAddress',
};
