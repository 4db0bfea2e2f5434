import type { KubernetesClusterNodePool, KubernetesClusterNodePoolNodeNetworkProfile } from '@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool';
import type { LinuxVirtualMachineScaleSet, LinuxVirtualMachineScaleSetNetworkInterface } from '@cdktf/provider-azurerm/lib/linux-virtual-machine-scale-set';
import { NetworkInterface } from '@cdktf/provider-azurerm/lib/network-interface';
import { NetworkInterfaceApplicationSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/network-interface-application-security-group-association';
import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { boundKind, describeBound, mergedIds, scaleSetInterfaces } from './bound-resource';
import type { AzureNsg } from './nsg';
import { bulkResource } from '../private/bulk-resource';
import { idFromKey } from '../private/identity';
import { loadOnce } from '../private/load-once';
import { addressByIdentity } from '../render/identity-address';
import { readOnce } from '../render/read-once';
import { Workload } from '../workload';

/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use: few apps bind private endpoints, and most place no NSG on a NIC */
const endpointAsgAssociationClass = loadOnce(() => (require('@cdktf/provider-azurerm/lib/private-endpoint-application-security-group-association') as
  typeof import('@cdktf/provider-azurerm/lib/private-endpoint-application-security-group-association')).PrivateEndpointApplicationSecurityGroupAssociation);
const nicNsgAssociationClass = loadOnce(() => (require('@cdktf/provider-azurerm/lib/network-interface-security-group-association') as
  typeof import('@cdktf/provider-azurerm/lib/network-interface-security-group-association')).NetworkInterfaceSecurityGroupAssociation);
/* eslint-enable @typescript-eslint/no-require-imports */

/** An application security group a workload joins: its key (construct ids) and its `id` reference. */
export interface MemberAsg {
  readonly key: string;
  readonly idRef: string;
}

/** What was written into a scale set or node pool: the user's configuration and ours. */
interface WrittenState {
  readonly interfaces?: LinuxVirtualMachineScaleSetNetworkInterface[];
  readonly profile?: KubernetesClusterNodePoolNodeNetworkProfile;
  asgIds: string[];
  nsgId?: string;
}

/**
 * Puts the bound resource of an Azure workload into application security groups and NIC-level
 * NSGs, the way its Terraform type allows: a NIC and a private endpoint through one association
 * resource per ASG; a scale set and a node pool through their own `application_security_group_ids`
 * lists (merged after the ids the user configured), never an attachment that could be forgotten.
 */
export class AsgMembership {
  private readonly written = new Map<Workload, WrittenState>();

  /** Makes the workload's bound resource a member of `asg`; `all` is every ASG it joins so far, sorted. */
  public join(workload: Workload, asg: MemberAsg, all: readonly MemberAsg[]): void {
    const kind = boundKind(workload);
    if (kind === 'nic') {
      addressByIdentity(workload, bulkResource(new NetworkInterfaceApplicationSecurityGroupAssociation(workload, idFromKey(`AsgAssociation-${asg.key}`), {
        networkInterfaceId: readOnce(workload.resource as NetworkInterface, 'id'),
        applicationSecurityGroupId: asg.idRef,
      })));
    } else if (kind === 'private-endpoint') {
      addressByIdentity(workload, bulkResource(new (endpointAsgAssociationClass())(workload, idFromKey(`AsgAssociation-${asg.key}`), {
        privateEndpointId: readOnce(workload.resource as PrivateEndpoint, 'id'),
        applicationSecurityGroupId: asg.idRef,
      })));
    } else {
      const state = this.stateOf(workload);
      state.asgIds = all.map((a) => a.idRef);
      this.write(workload, state);
    }
  }

  /**
   * Puts the workload behind a NIC-level NSG, where its type has one: a NIC's association (recorded
   * as the NSG's `association`), a scale set's `network_interface[].network_security_group_id`.
   * Returns the problem when it cannot (a private endpoint or a node pool: only their subnet's NSG
   * filters them), or when the user set one already.
   */
  public placeNicNsg(scope: Construct, id: string, workload: Workload, nsg: AzureNsg): string | undefined {
    const kind = boundKind(workload);
    const nsgId = readOnce(nsg.resource, 'id');
    if (kind === 'nic') {
      const networkInterfaceId = readOnce(workload.resource as NetworkInterface, 'id');
      nsg.association = bulkResource(new (nicNsgAssociationClass())(scope, id, { networkInterfaceId, networkSecurityGroupId: nsgId }));
      return undefined;
    }
    if (kind === 'scale-set') {
      const state = this.stateOf(workload);
      const own = (state.interfaces ?? []).find((nic) => nic.networkSecurityGroupId !== undefined);
      if (own) return `sets network_security_group_id on network_interface "${own.name}" of ${describeBound(workload)}, and nicNsgs puts the enforcement's NSG there. Remove network_security_group_id (the enforcement's NSG enforces the policy), or turn nicNsgs off and add the subnet to subnetIds.`;
      state.nsgId = nsgId;
      this.write(workload, state);
      return undefined;
    }
    return undefined;
  }

  /**
   * How many ASGs the user configured on the resource itself (the most of any ip configuration of
   * a scale set; a node pool's list); they count against the same quota as ours.
   */
  public userAsgCount(workload: Workload): number {
    const kind = boundKind(workload);
    if (kind !== 'scale-set' && kind !== 'node-pool') return 0;
    const state = this.stateOf(workload);
    const literal = (ids: string[] | undefined) => (ids === undefined || Token.isUnresolved(ids) ? 0 : ids.length);
    if (kind === 'node-pool') return state.profile !== undefined && !Token.isUnresolved(state.profile) ? literal(state.profile.applicationSecurityGroupIds) : 0;
    const configurations = (state.interfaces ?? []).flatMap((nic) => (Array.isArray(nic.ipConfiguration) ? nic.ipConfiguration : []));
    return Math.max(0, ...configurations.map((configuration) => literal(configuration.applicationSecurityGroupIds)));
  }

  private stateOf(workload: Workload): WrittenState {
    let state = this.written.get(workload);
    if (!state) {
      const kind = boundKind(workload);
      state = kind === 'scale-set'
        ? { interfaces: scaleSetInterfaces(workload.resource!), asgIds: [] }
        : { profile: (workload.resource as KubernetesClusterNodePool).nodeNetworkProfileInput, asgIds: [] };
      this.written.set(workload, state);
    }
    return state;
  }

  /** Writes the user's configuration with our ASGs (and NSG) into the scale set or node pool. */
  private write(workload: Workload, state: WrittenState): void {
    if (boundKind(workload) === 'scale-set') {
      const interfaces = state.interfaces;
      if (!interfaces) {
        workload.addProblem(`is bound to ${describeBound(workload)}, whose network_interface blocks are a Terraform expression: synthesis cannot add the segments' application security groups to them. Give network_interface as a list of blocks.`);
        return;
      }
      (workload.resource as LinuxVirtualMachineScaleSet).putNetworkInterface(interfaces.map((nic) => ({
        ...nic,
        ...(state.nsgId !== undefined ? { networkSecurityGroupId: state.nsgId } : {}),
        ipConfiguration: (Array.isArray(nic.ipConfiguration) ? nic.ipConfiguration : []).map((configuration) => ({
          ...configuration,
          applicationSecurityGroupIds: mergedIds(configuration.applicationSecurityGroupIds, state.asgIds),
        })),
      })));
      return;
    }
    const profile = state.profile;
    if (profile !== undefined && Token.isUnresolved(profile)) {
      workload.addProblem(`is bound to ${describeBound(workload)}, whose node_network_profile is a Terraform expression: synthesis cannot add the segments' application security groups to it. Give node_network_profile as a block.`);
      return;
    }
    (workload.resource as KubernetesClusterNodePool).putNodeNetworkProfile({
      ...(profile ?? {}),
      applicationSecurityGroupIds: mergedIds(profile?.applicationSecurityGroupIds, state.asgIds),
    });
  }
}
