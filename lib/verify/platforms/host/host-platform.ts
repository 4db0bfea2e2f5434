import { HOST_CHANGE_RULES } from './host-change-rules';
import { FIREWALLED_WORKLOADS, HOST_CARRIER_TYPES, hostFacts } from './host-facts';
import { HostFirewallLayer } from './host-layer';
import { EvaluatorPlatform } from '../evaluator-platform';

/**
 * Host firewalls (nftables, iptables, Windows Defender Firewall) on the workloads themselves, read
 * from the rule sets their delivery resources carry. A host firewall is not a placement of its own:
 * it protects a workload another platform (or none) places, found by the workload's name or address.
 */
export const HOST_PLATFORM: EvaluatorPlatform = {
  name: 'host',
  changeRules: HOST_CHANGE_RULES,
  layers: (estate) => [new HostFirewallLayer(estate)],
  evaluatedTypes: HOST_CARRIER_TYPES,
  // a rule set names its peers by address: a change may touch any pair
  scopedTypes: [],
  addressRuleTypes: HOST_CARRIER_TYPES,
  groupTypes: [],
  endpointTypes: [],
  primaryAddresses: {},
  hostOf: () => undefined,
  placements: () => [],
  namesByIdentity: () => false,
  carriesGroup: () => false,
  // a firewall found by the host's name makes the name decide; one found by address, the address (already in every signature)
  signature: (host) => (FIREWALLED_WORKLOADS.has(host.name) ? host.name : null),
  keysOf: () => [],
  ruleAddressTexts: (estate) => hostFacts(estate).firewalls.flatMap((firewall) => firewall.rules.flatMap((rule) => rule.peers ?? [])),
  namesGroupsOnBothSides: () => false,
};
