import { IConstruct } from 'constructs';
import { hostFirewallRuns } from '../host/host-platform-use';
import { KubernetesEnforcement } from '../kubernetes/enforcement';
import { Platform } from '../platform';
import { Workload } from '../workload';
import { ResolvedPolicy } from './resolve-policy';

/**
 * Whether a DenyFlow enforced at `workload`'s end is dropped there by a layer other than AWS
 * security groups, or refused by that layer's own check when it cannot drop it: the workload's
 * platform has deny rules and an enforcement renders them (Azure NSGs, the NSX distributed
 * firewall, GCP firewall policies), its cluster has a KubernetesEnforcement (an Admin Deny
 * ClusterNetworkPolicy, or a synth error where NetworkPolicy alone cannot deny), or a host firewall
 * runs on it (a server with a `HostBinding`, a `HostFirewall`, or a `HostFirewallEnforcement` in its
 * stack; a database or a function runs none). Where this holds, an allow that AWS renders at the
 * other end does not let the traffic through. A GuardrailAllow that such a layer renders for a
 * shared range is refused on its own (lib/model/guardrail-exception-width.ts).
 */
export function deniesAt(policy: ResolvedPolicy, workload: Workload): boolean {
  if (workload.binding === undefined) return false; // a host known only by its addresses enforces nothing
  if (hostFirewallRuns(workload)) return true;
  if (workload.platform === Platform.KUBERNETES) return platformEnforcementOf(policy, workload) !== undefined;
  return policy.capabilities()[workload.platform]?.deny === true && platformEnforcementOf(policy, workload) !== undefined;
}

/**
 * The enforcement that renders a workload's platform rules: the policy model's (AWS, Azure, NSX,
 * GCP), or its cluster's KubernetesEnforcement, which the model does not list.
 */
export function platformEnforcementOf(policy: ResolvedPolicy, workload: Workload): IConstruct | undefined {
  return policy.enforcementOf(workload) ?? (workload.platform === Platform.KUBERNETES ? KubernetesEnforcement.of(workload) : undefined);
}
