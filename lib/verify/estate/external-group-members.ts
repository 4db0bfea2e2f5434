import { VerifyInputError } from '../errors';
import { TerraformModel } from '../model/terraform-model';
import { parseCidr } from '../net/cidr';

/** Who is in a group owned outside the Terraform JSON (an existing AWS security group), as far as the caller knows. */
export interface ExternalGroupMembers {
  /** Addresses or CIDRs of the group's members (`10.50.0.0/24`, `10.50.0.7`). @default none */
  readonly addresses?: readonly string[];
  /** Workloads (construct paths) that are in the group. @default none */
  readonly workloads?: readonly string[];
}

const declared = new WeakMap<TerraformModel, Map<string, ExternalGroupMembers>>();

/**
 * Tells the evaluator who is in a group that is owned elsewhere and that rules reference by id
 * (`Peer.awsSecurityGroup("sg-...")`): the group as an endpoint (`"sg-..."`) then stands for those
 * addresses, and the named workloads match the rules that reference it. Without it the group is an
 * external group of unknown members: rules naming it match the group only, never everyone.
 */
export function describeExternalGroup(model: TerraformModel, groupId: string, members: ExternalGroupMembers): void {
  if (!/^sg-[0-9a-z]+$/i.test(groupId)) throw new VerifyInputError(`"${groupId}" is not a security group id; ids look like "sg-0123456789abcdef0"`);
  for (const address of members.addresses ?? []) {
    if (!parseCidr(asCidr(address))) throw new VerifyInputError(`member address "${address}" of ${groupId} is not an IP address or CIDR`);
  }
  const groups = declared.get(model) ?? new Map<string, ExternalGroupMembers>();
  declared.set(model, groups);
  groups.set(groupId, members);
}

/** The members declared for a group, if any. */
export function externalGroupMembers(model: TerraformModel, groupId: string): ExternalGroupMembers | undefined {
  return declared.get(model)?.get(groupId);
}

/** The external groups a workload (by construct path) was declared a member of, sorted. */
export function externalGroupsOf(model: TerraformModel, workloadPath: string): string[] {
  return [...(declared.get(model) ?? new Map<string, ExternalGroupMembers>()).entries()]
    .filter(([, members]) => (members.workloads ?? []).includes(workloadPath))
    .map(([group]) => group)
    .sort();
}

/** An address as a CIDR (a bare IP becomes a host prefix). */
export function asCidr(address: string): string {
  return address.includes('/') ? address : `${address}/${address.includes(':') ? 128 : 32}`;
}
