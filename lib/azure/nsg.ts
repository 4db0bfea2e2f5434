import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule';
import { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import type { AzureEnforcement } from './enforcement';
import { bulkResource } from '../private/bulk-resource';
import { idFromKey } from '../private/identity';
import { asTableEntry } from '../private/one-byte-strings';
import { tagValue } from '../private/tag-value';
import { compare } from '../registry';
import { readOnce } from '../render/read-once';

/** A network security group created by an enforcement (on a subnet or on one NIC). */
export interface AzureNsg {
  /** Identity of the NSG: enforcement path and placement (`#subnet0`, `#nic:<workload path>`). */
  readonly key: string;
  /** The NSG resource. */
  readonly resource: NetworkSecurityGroup;
  /** The enforcement that owns the NSG. */
  readonly enforcement: AzureEnforcement;
  /**
   * The load-balancer probe rule.
   * @default - none: `allowLoadBalancerProbes` is off
   */
  readonly probeRule?: NetworkSecurityRule;
  /**
   * The association that puts the NSG in force (on a subnet or a NIC), once made.
   * @default - none: a scale set names the NSG in its own network interface
   */
  association?: TerraformResource;
}

const NSGS = new WeakMap<AzureEnforcement, AzureNsg[]>();

/**
 * Creates an NSG with the two deny rules that make it default-deny: every NSG carries Azure's
 * default rules (AllowVNetInBound and AllowAzureLoadBalancerInBound at 65000/65001, AllowVnetOutBound
 * and AllowInternetOutBound at 65000/65001), which would let every workload of the VNet reach every
 * other. Explicit `Deny` rules at the enforcement's deny priority (4096 by default, the last
 * priority a user rule can have) shadow them in both directions; the policy's allow rules sit at
 * 100-4095, above the deny. With `allowLoadBalancerProbes` (the default) an `Allow` rule from the
 * `AzureLoadBalancer` tag just above the inbound deny restores the health probe that the deny shadows.
 */
export function createNsg(scope: Construct, id: string, enforcement: AzureEnforcement, key: string, name: string): AzureNsg {
  const resource = bulkResource(new NetworkSecurityGroup(scope, id, {
    name,
    resourceGroupName: enforcement.resourceGroupName,
    location: enforcement.location,
    tags: { ...enforcement.tags, 'microseg-enforcement': tagValue(enforcement.node.path) },
  }));
  for (const direction of ['Inbound', 'Outbound']) {
    bulkResource(new NetworkSecurityRule(scope, asTableEntry(`${id}-DenyAll${direction}`), {
      name: `microseg-deny-all-${direction.toLowerCase()}`,
      resourceGroupName: enforcement.resourceGroupName,
      networkSecurityGroupName: readOnce(resource, 'name'),
      priority: enforcement.denyPriority,
      direction,
      access: 'Deny',
      protocol: '*',
      sourcePortRange: '*',
      destinationPortRange: '*',
      sourceAddressPrefix: '*',
      destinationAddressPrefix: '*',
      description: `microseg default deny (${direction.toLowerCase()}): overrides Azure's permissive default rules`,
    }));
  }
  let probeRule: NetworkSecurityRule | undefined;
  if (enforcement.allowLoadBalancerProbes) {
    // The deny above also shadows AllowAzureLoadBalancerInBound (65001): members behind a load
    // balancer would fail its health probe. The AzureLoadBalancer tag is only the probe's source.
    probeRule = bulkResource(new NetworkSecurityRule(scope, asTableEntry(`${id}-AllowAzureLoadBalancerInbound`), {
      name: 'microseg-allow-azure-load-balancer-inbound',
      resourceGroupName: enforcement.resourceGroupName,
      networkSecurityGroupName: readOnce(resource, 'name'),
      priority: enforcement.loadBalancerProbePriority,
      direction: 'Inbound',
      access: 'Allow',
      protocol: '*',
      sourcePortRange: '*',
      destinationPortRange: '*',
      sourceAddressPrefix: 'AzureLoadBalancer',
      destinationAddressPrefix: '*',
      description: 'microseg: Azure Load Balancer health probes (allowLoadBalancerProbes)',
    }));
  }
  const nsg: AzureNsg = { key, resource, enforcement, ...(probeRule ? { probeRule } : {}) };
  const list = NSGS.get(enforcement) ?? [];
  list.push(nsg);
  list.sort((a, b) => compare(a.key, b.key));
  NSGS.set(enforcement, list);
  return nsg;
}

/** The NSGs of an enforcement, sorted by key. */
export function nsgsOf(enforcement: AzureEnforcement): AzureNsg[] {
  return [...(NSGS.get(enforcement) ?? [])];
}

/** An Azure resource name from a meaning key: readable, unique, at most 80 characters. */
export function azureName(prefix: string, key: string): string {
  return `${prefix}-${idFromKey(key, 60)}`.slice(0, 80);
}
