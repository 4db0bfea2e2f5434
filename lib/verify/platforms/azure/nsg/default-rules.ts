import { NsgAddress } from './nsg-address';
import { NsgRule } from './nsg-rules';
import { exactRuleTraffic } from '../../../net/rule-traffic';
import { ALL_TRAFFIC } from '../../../net/traffic';

interface DefaultRuleSpec {
  readonly name: string;
  readonly direction: 'inbound' | 'outbound';
  readonly priority: number;
  readonly action: 'allow' | 'deny';
  readonly source: NsgAddress;
  readonly destination: NsgAddress;
}

const ANY: NsgAddress = { kind: 'any' };
const VNET: NsgAddress = { kind: 'tag', name: 'VirtualNetwork' };

const DEFAULT_RULES: readonly DefaultRuleSpec[] = [
  { name: 'AllowVNetInBound', direction: 'inbound', priority: 65000, action: 'allow', source: VNET, destination: VNET },
  { name: 'AllowAzureLoadBalancerInBound', direction: 'inbound', priority: 65001, action: 'allow', source: { kind: 'tag', name: 'AzureLoadBalancer' }, destination: ANY },
  { name: 'DenyAllInBound', direction: 'inbound', priority: 65500, action: 'deny', source: ANY, destination: ANY },
  { name: 'AllowVnetOutBound', direction: 'outbound', priority: 65000, action: 'allow', source: VNET, destination: VNET },
  { name: 'AllowInternetOutBound', direction: 'outbound', priority: 65001, action: 'allow', source: ANY, destination: { kind: 'tag', name: 'Internet' } },
  { name: 'DenyAllOutBound', direction: 'outbound', priority: 65500, action: 'deny', source: ANY, destination: ANY },
];

/** The default rules Azure puts at the end of every NSG, for one direction; `nsgAddress` names the NSG in reports. */
export function defaultNsgRules(nsg: string, nsgAddress: string, direction: 'inbound' | 'outbound'): NsgRule[] {
  return DEFAULT_RULES.filter((spec) => spec.direction === direction).map((spec) => ({
    nsg,
    direction,
    priority: spec.priority,
    action: spec.action,
    traffic: exactRuleTraffic(ALL_TRAFFIC),
    sources: [spec.source],
    destinations: [spec.destination],
    origin: {
      address: `${nsgAddress} default rule ${spec.name}`,
      flows: [],
      summary: `priority ${spec.priority} ${spec.action === 'allow' ? 'Allow' : 'Deny'} ${direction === 'inbound' ? 'Inbound' : 'Outbound'} */* `
        + `from ${label(spec.source)} to ${label(spec.destination)} (platform default)`,
    },
  }));
}

function label(address: NsgAddress): string {
  return address.kind === 'tag' ? address.name : '*';
}
