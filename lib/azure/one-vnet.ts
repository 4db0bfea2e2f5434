import { stackOf } from '../registry';
import { Workload } from '../workload';
import { boundSubnets, describeBound } from './bound-resource';
import type { AzureEnforcement } from './enforcement';
import { SubnetVnet, describeVnet, differentVnets, vnetOfSubnetId } from './subnet-vnet';
import { byPath } from '../private/path-of';

/** A subnet the enforcement touches, with the VNet synthesis could tell for it. */
interface PlacedSubnet {
  /** What names the subnet, for the message. */
  readonly where: string;
  readonly vnet: SubnetVnet;
}

/**
 * An Azure enforcement stands for one VNet: its ASGs may only hold NICs of one VNet, and an NSG
 * rule's ASGs must all be in one VNet, so Azure rejects the associations at apply otherwise. This
 * finds, at synth, subnets of two different VNets among the enforcement's `subnetIds` and the
 * subnets of its workloads' NICs (literal subnet ids, or `azurerm_subnet` resources of the same
 * stack whose VNet names differ). What cannot be told at synth (variables, other stacks, computed
 * names) is not reported.
 */
export function twoVnetProblems(enforcement: AzureEnforcement, workloads: readonly Workload[]): string[] {
  const enforcementStack = stackOf(enforcement);
  const placed: PlacedSubnet[] = [];
  enforcement.subnetIds.forEach((subnetId, index) => {
    const vnet = vnetOfSubnetId(enforcementStack, subnetId);
    if (vnet) placed.push({ where: `subnetIds[${index}]`, vnet });
  });
  for (const workload of [...workloads].sort(byPath)) {
    for (const subnet of boundSubnets(workload) ?? []) {
      const vnet = vnetOfSubnetId(stackOf(workload.resource!), subnet.subnetId);
      if (vnet) placed.push({ where: `${describeBound(workload)} of workload '${workload.node.path}' (${subnet.where})`, vnet });
    }
  }
  const first = placed[0];
  const other = placed.find((p) => first !== undefined && differentVnets(first.vnet, p.vnet));
  if (!first || !other) return [];
  return [`AzureEnforcement '${enforcement.node.path}' spans two VNets: ${first.where} is in ${describeVnet(first.vnet)} and ${other.where} is in ${describeVnet(other.vnet)}. An enforcement is one VNet (its ASGs, and the ASGs of one NSG rule, must all be in one VNet), so Azure would reject the associations at apply. Declare each VNet's workloads in a stack of their own with its own AzureEnforcement; flows between them use the workloads' addresses.`];
}
