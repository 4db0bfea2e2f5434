import { PlatformCapabilities } from '../model/capabilities';

/** What NSX distributed firewall rules can express. */
export const NSX_CAPABILITIES: PlatformCapabilities = {
  name: 'the NSX distributed firewall',
  ruleName: 'NSX rules',
  platform: 'NSX',
  deny: true,
  stateless: false,
  icmpTypeCode: true,
  sctp: 'protocol',
  peerKinds: [],
  groups: 'groups',
  matches: 'groups and addresses',
  addressExample: 'vm.defaultIpAddress',
};
