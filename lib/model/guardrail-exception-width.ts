import { cidrContainsValid } from './cidr';
import { Atom, ModelWorkload, ResolvedSide, commonPorts, isExpression, sideHolds } from './guardrail-semantics';
import { ResolvedFlow } from './policy';
import { PolicySide, SideMember, semanticSide } from './policy-side';
import { portKey } from './ports';

/**
 * A GuardrailAllow grants its exception to a DenyFlow at the ends it names as members, naming the
 * other side there. Where that end's platform can name a member of the other side only by a range
 * the member shares with other hosts (the pod CIDRs of its cluster, the subnets of a resource
 * without a fixed address: `ModelWorkload.sharedAddressCidrs`), the rendered exception admits every
 * host of the range. When the DenyFlow forbids some of those hosts too, the exception would let
 * through traffic that nothing grants: the guardrail would no longer hold. This returns one sentence
 * per such member, DenyFlow and enforcing platform (empty when the exception is as narrow as its
 * sides), each to follow `GuardrailAllow '<path>'`.
 *
 * `rendersAt` tells whether a member's end renders rules at all (a managed workload with an
 * enforcement, a server with its own firewall); a member named there by identity (the same platform
 * and enforcement: a security group, an application security group, a pod selector) is exact.
 */
export function widenedExceptionProblems<W extends ModelWorkload, E>(
  grant: ResolvedFlow<W, unknown, E, unknown>,
  denies: ReadonlyArray<ResolvedFlow<W, unknown, E, unknown>>,
  rendersAt: (member: SideMember<W, E>) => boolean,
): string[] {
  if (grant.invalid) return [];
  const problems: string[] = [];
  for (const deny of denies) {
    if (deny.invalid) continue;
    const ports = commonPorts(grant.ports, deny.ports);
    if (ports.length === 0) continue;
    const denyFrom = semanticSide(deny.from);
    const denyTo = semanticSide(deny.to);
    for (const end of ['destination', 'source'] as const) {
      const [own, other, denyOwn, denyOther] = end === 'destination' ? [grant.to, grant.from, denyTo, denyFrom] : [grant.from, grant.to, denyFrom, denyTo];
      const ranged = other.members.filter((m) => (m.workload.sharedAddressCidrs ?? []).length > 0);
      if (ranged.length === 0) continue;
      // the exception matters only where the DenyFlow is enforced: at the members of its side there
      const enforcing = own.members.filter((m) => rendersAt(m) && sideHolds(denyOwn, workloadAtom(m.workload), { membersOnly: true }) === 'yes');
      if (enforcing.length === 0) continue;
      for (const member of ranged) {
        const byAddress = enforcing.filter((at) => !namedByIdentity(member, at));
        if (byAddress.length === 0) continue;
        const range = member.workload.sharedAddressCidrs ?? [];
        const admitted = deniedInRange(denyOther, range, other);
        if (admitted.length === 0) continue;
        for (const [platform, ends] of byPlatform(byAddress)) {
          problems.push(problemText(end, ports.map(portKey).join(', '), member.workload, ends, platform, admitted, deny.path));
        }
      }
    }
  }
  return problems;
}

function workloadAtom<W extends ModelWorkload>(workload: W): Atom<W> {
  return { kind: 'workload', workload };
}

/** Whether `at`'s platform names `member` by identity: both are rendered by one enforcement. */
function namedByIdentity<W extends ModelWorkload, E>(member: SideMember<W, E>, at: SideMember<W, E>): boolean {
  return member.enforcement !== undefined && member.enforcement === at.enforcement && member.workload.platform === at.workload.platform;
}

/**
 * What the DenyFlow's side `denied` holds inside `range` beyond the exception's side `granted`, by
 * name (empty when nothing certainly): every host of the range when the side is anywhere, the hosts
 * of a CIDR overlapping it, and the workloads outside `granted` with an address in it.
 */
function deniedInRange<W extends ModelWorkload>(
  denied: ResolvedSide<W>, range: readonly string[], granted: PolicySide<W, unknown, unknown>,
): string[] {
  if (denied.any) return ['every other host of that range'];
  const members = new Set(granted.members.map((m) => m.workload));
  const names: string[] = [];
  for (const atom of denied.atoms) {
    if (atom.kind === 'cidr' && range.some((r) => overlaps(r, atom.cidr))) names.push(`the hosts of "${atom.cidr}"`);
    if (atom.kind === 'workload' && !members.has(atom.workload) && addressesOf(atom.workload).some((a) => range.some((r) => overlaps(r, a)))) {
      names.push(`workload '${atom.workload.endpointName}'`);
    }
  }
  return names;
}

function addressesOf(workload: ModelWorkload): string[] {
  return [...workload.addressCidrs, ...(workload.configuredAddressCidrs ?? [])];
}

/** Whether two ranges certainly share an address: the same text, or literal CIDRs one inside the other. */
function overlaps(a: string, b: string): boolean {
  if (a === b) return true;
  if (isExpression(a) || isExpression(b)) return false;
  return cidrContainsValid(a, b) || cidrContainsValid(b, a);
}

function byPlatform<W extends ModelWorkload, E>(members: ReadonlyArray<SideMember<W, E>>): Map<string, W[]> {
  const groups = new Map<string, W[]>();
  for (const { workload } of members) groups.set(workload.platform, [...(groups.get(workload.platform) ?? []), workload]);
  return groups;
}

function listed(names: readonly string[]): string {
  const shown = names.slice(0, 3);
  const rest = names.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  return shown.length <= 1 ? shown.join('') : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

function problemText(
  end: 'source' | 'destination', ports: string, member: ModelWorkload, ends: readonly ModelWorkload[], platform: string,
  admitted: readonly string[], denyPath: string,
): string {
  const range = member.sharedAddressCidrs ?? [];
  const at = listed(ends.map((w) => `'${w.endpointName}'`));
  const origin = member.sharedAddressOrigin ? ` (${member.sharedAddressOrigin})` : '';
  const side = end === 'destination' ? 'from' : 'to';
  const single = range.length === 1 && !isExpression(range[0]) ? `${side}: Peer.${range[0].includes(':') ? 'ipv6' : 'ipv4'}("${range[0]}")` : `${side}: a Peer of the range`;
  const direction = end === 'destination' ? `from workload '${member.endpointName}' to ${at}` : `from ${at} to workload '${member.endpointName}'`;
  return `grants ${ports} ${direction}, but ${platform} can name '${member.endpointName}' there only by ${range.map((r) => JSON.stringify(r)).join(', ')}${origin}, which it shares with other hosts. `
    + `DenyFlow '${denyPath}' forbids ${listed(admitted)} there, and the exception would admit them too. `
    + `Give '${member.endpointName}' addresses of its own, leave the range out of the DenyFlow, or grant the whole range by naming it (${single}).`;
}
