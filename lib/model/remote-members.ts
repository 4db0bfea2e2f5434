import { ModelWorkload } from './guardrail-semantics';
import { PolicySide, SideMember } from './policy-side';

/** How the rules of one enforcement see the members of a segment side. */
export interface MembersSeen<W extends ModelWorkload = ModelWorkload, E = unknown> {
  /** Members it enforces itself: its rules name them by its group of the segment. */
  readonly local: W[];
  /** Members it names by their addresses (each has at least one), in the side's order. */
  readonly remote: W[];
  /** Members of its platform in another enforcement that have no addresses: its rules cannot name them. */
  readonly unaddressed: Array<SideMember<W, E>>;
}

/**
 * The one rule for naming a segment's members in the rules of an enforcement of `platform`
 * (`isLocal` tells which enforcements its groups cover): a member it enforces is named by the group;
 * every other member by its addresses. A member of the platform whose stack has no enforcement is
 * left out (reported on the workload), and so is a member of another platform without addresses
 * (reported by the cross-platform rule, see `crossPlatformAddressProblems`).
 */
export function membersSeenFrom<W extends ModelWorkload, E>(
  side: PolicySide<W, any, E>, platform: string, isLocal: (enforcement: E) => boolean,
): MembersSeen<W, E> {
  const seen: MembersSeen<W, E> = { local: [], remote: [], unaddressed: [] };
  for (const member of side.members) {
    const own = member.workload.platform === platform;
    if (own && member.enforcement === undefined) continue;
    if (own && isLocal(member.enforcement!)) seen.local.push(member.workload);
    else if (member.workload.addressCidrs.length > 0) seen.remote.push(member.workload);
    else if (own) seen.unaddressed.push(member);
  }
  return seen;
}
