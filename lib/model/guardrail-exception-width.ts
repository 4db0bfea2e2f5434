import { cidrContainsValid } from './cidr';
import {
  Atom, Containment, ModelWorkload, ResolvedSide, commonPorts, denyEnforcedAtWorkload, isAddressOnly, isExpression, overlapOf, sharedRangeText,
  sideHolds,
} from './guardrail-semantics';
import { ResolvedFlow } from './policy';
import { PolicySide, SideMember, semanticSide } from './policy-side';
import { PortSpec, coversSpec, portKey } from './ports';

/** One layer that renders rules at a workload, and whether it names another workload exactly. */
export interface ExceptionLayer<W extends ModelWorkload = ModelWorkload> {
  /** The layer as messages name it (`Azure NSGs`, `the host firewall of 'app/Db'`). */
  readonly name: string;
  /** Whether its rules name `member` by identity (a group, a tag, a pod selector) rather than by address. */
  readonly exact: (member: W) => boolean;
  /**
   * Set when the layer names the exception's own end by address too, one layer for many workloads
   * (a Google Cloud hierarchical policy, which targets a whole network): its id, shared by every
   * workload it covers.
   * @default - the layer targets the exception's own members exactly
   */
  readonly ownByAddress?: string;
}

/** What a GuardrailAllow problem says: an error when certain, a warning when addresses known only at apply decide it. */
export interface WidenedException {
  /** The sentence, to follow `GuardrailAllow '<path>'`. */
  readonly text: string;
  /** Whether the range certainly holds the hosts named (false: it may, addresses are known only at apply). */
  readonly certain: boolean;
}

/**
 * A GuardrailAllow grants its exception to a DenyFlow at the ends it names as members, naming the
 * other side there. Where a layer at that end can name a member of the other side only by a range
 * the member shares with other hosts (the pod CIDRs of its cluster, the subnets of a resource
 * without a fixed address: `ModelWorkload.sharedAddressCidrs`), the rendered exception admits every
 * host of the range. When the DenyFlow, enforced at that end, forbids some of those hosts too and
 * no other GuardrailAllow grants them, the exception would let through traffic that nothing
 * grants: the guardrail would no longer hold. One problem per such member, DenyFlow and layer.
 *
 * `layersAt` lists the layers that render rules at a member's end (none for a host that enforces
 * nothing); `grants` is every GuardrailAllow flow of the app; `dropsItself` tells whether a
 * workload's own end drops what a DenyFlow enforced there forbids (a platform or host firewall that
 * can deny): such a workload of the range, a member of the DenyFlow's side, stays denied at its own
 * end whatever the exception admits at the other. `workloads` are the app's workloads, of which a
 * layer naming the exception's own end by address may exempt those in its ranges.
 */
export function widenedExceptionProblems<W extends ModelWorkload>(
  grant: ResolvedFlow<W, unknown, unknown, unknown>,
  denies: ReadonlyArray<ResolvedFlow<W, unknown, unknown, unknown>>,
  grants: ReadonlyArray<ResolvedFlow<W, unknown, unknown, unknown>>,
  layersAt: (workload: W) => ReadonlyArray<ExceptionLayer<W>>,
  dropsItself: (workload: W) => boolean,
  workloads: readonly W[],
): WidenedException[] {
  if (grant.invalid) return [];
  // only a member named by a range it shares widens an exception, at either end
  const rangedFrom = rangedMembers(grant.from);
  const rangedTo = rangedMembers(grant.to);
  if (rangedFrom.length === 0 && rangedTo.length === 0) return [];
  const othersGranted = grants.filter((g) => g !== grant && !g.invalid);
  const found = new Map<string, Finding<W>>();
  for (const deny of denies) {
    if (deny.invalid) continue;
    const ports = commonPorts(grant.ports, deny.ports);
    if (ports.length === 0) continue;
    const denyFrom = semanticSide(deny.from);
    const denyTo = semanticSide(deny.to);
    for (const end of ['destination', 'source'] as const) {
      const [own, other, denyOwn, denyOther] = end === 'destination' ? [grant.to, grant.from, denyTo, denyFrom] : [grant.from, grant.to, denyFrom, denyTo];
      const [rangedOwn, ranged] = end === 'destination' ? [rangedTo, rangedFrom] : [rangedFrom, rangedTo];
      if (rangedOwn.length > 0) ownEndWidened(end, own, rangedOwn, other, denyOwn, denyOther, ports, deny.path, layersAt, workloads, found);
      if (ranged.length === 0) continue;
      for (const { workload: at } of own.members) {
        // where the DenyFlow is enforced: at a member of its side, and (its other side holding hosts
        // that enforce nothing) at every workload lying in its side there
        const enforced = denyEnforcedAtWorkload(denyOwn, denyOther, at);
        if (enforced === 'no') continue;
        const layers = layersAt(at);
        for (const { workload: member } of ranged) {
          const wide = layers.filter((layer) => !layer.exact(member));
          if (wide.length === 0) continue;
          const range = member.sharedAddressCidrs ?? [];
          const granted = (atom: Atom<W> | 'range') => othersGranted.some((g) => grantsAt(g, end, at, atom, range, ports));
          // a workload of the range stops the traffic at its own end when that end can deny and no
          // exception rendered there names a range holding this end (which it would admit too)
          const stopsItself = (workload: W) => dropsItself(workload)
            && !grants.some((g) => !g.invalid && widensAt(g, end === 'destination' ? 'source' : 'destination', workload, at, ports, layersAt));
          const admitted = deniedInRange(denyOther, range, other, enforced === 'external-only', granted, stopsItself);
          if (admitted.names.length === 0) continue;
          for (const layer of wide) {
            const key = `${deny.path}|${end}|${member.endpointName}|${layer.name}`;
            const finding = found.get(key) ?? { end, ports, member, layer: layer.name, denyPath: deny.path, ats: [], admitted: [], certain: false };
            finding.ats.push(at);
            for (const name of admitted.names) if (!finding.admitted.includes(name)) finding.admitted.push(name);
            finding.certain = finding.certain || admitted.certain;
            found.set(key, finding);
          }
        }
      }
    }
  }
  return [...found.values()].map((f) => ({ text: problemText(f), certain: f.certain }));
}

/**
 * Where a layer names the exception's own end by address too (a hierarchical policy targets the
 * network, and matches the own side by its ranges), the exception applies at every workload that
 * layer covers with an address in an own member's shared range. A DenyFlow whose side at that end
 * holds such a workload (not itself granted), towards the exception's other side, would no longer
 * hold there: recorded in `found` as a finding of the own end.
 */
function ownEndWidened<W extends ModelWorkload>(
  end: 'source' | 'destination', own: PolicySide<W, unknown, unknown>, ranged: ReadonlyArray<SideMember<W, unknown>>,
  other: PolicySide<W, unknown, unknown>, denyOwn: ResolvedSide<W>, denyOther: ResolvedSide<W>, ports: readonly PortSpec[], denyPath: string,
  layersAt: (workload: W) => ReadonlyArray<ExceptionLayer<W>>, workloads: readonly W[], found: Map<string, Finding<W>>,
): void {
  if (overlapOf(semanticSide(other), denyOther).length === 0 && !(other.anywhere || denyOther.any)) return;
  const granted = new Set(own.members.map((m) => m.workload));
  // the workloads where the DenyFlow is enforced at this end: its members, and every workload its
  // open side (anywhere, a CIDR) holds when its other side is hosts known only by their addresses
  const enforced = workloads.filter((w) => !granted.has(w) && denyEnforcedAtWorkload(denyOwn, denyOther, w) !== 'no');
  for (const { workload: member } of ranged) {
    const range = member.sharedAddressCidrs ?? [];
    for (const layer of layersAt(member)) {
      if (layer.ownByAddress === undefined) continue;
      for (const workload of enforced) {
        if (!layersAt(workload).some((l) => l.ownByAddress === layer.ownByAddress)) continue;
        const held = overlaps(range, addressesOf(workload));
        if (held === 'no') continue;
        const key = `${denyPath}|own|${end}|${member.endpointName}|${layer.name}`;
        const finding = found.get(key) ?? { end, ports, member, layer: layer.name, denyPath, ats: [], admitted: [], certain: false, ownEnd: true };
        const name = `workload '${workload.endpointName}'`;
        if (!finding.admitted.includes(name)) finding.admitted.push(name);
        finding.certain = finding.certain || held === 'yes';
        found.set(key, finding);
      }
    }
  }
}

/** The members of a side with a range they share with other hosts (pod CIDRs, subnets). */
function rangedMembers<W extends ModelWorkload>(side: PolicySide<W, unknown, unknown>): ReadonlyArray<SideMember<W, unknown>> {
  return side.members.filter((m) => (m.workload.sharedAddressCidrs ?? []).length > 0);
}

/** One widened exception: a member named by a shared range at some ends, by one layer, against one DenyFlow. */
interface Finding<W extends ModelWorkload> {
  /** Set for a finding at the exception's own end (the member is of its own side). */
  readonly ownEnd?: boolean;
  readonly end: 'source' | 'destination';
  readonly ports: readonly PortSpec[];
  readonly member: W;
  readonly layer: string;
  readonly denyPath: string;
  readonly ats: W[];
  readonly admitted: string[];
  certain: boolean;
}

/**
 * Whether GuardrailAllow `grant`, rendered at `workload`'s end (`end`), names a member of its other
 * side there by a shared range that may hold `target` on some of `ports`: its exception at that end
 * would admit the traffic with `target` too.
 */
function widensAt<W extends ModelWorkload>(
  grant: ResolvedFlow<W, unknown, unknown, unknown>, end: 'source' | 'destination', workload: W, target: W, ports: readonly PortSpec[],
  layersAt: (workload: W) => ReadonlyArray<ExceptionLayer<W>>,
): boolean {
  const [own, other] = end === 'destination' ? [grant.to, grant.from] : [grant.from, grant.to];
  if (!own.members.some((m) => m.workload === workload) || commonPorts(grant.ports, ports).length === 0) return false;
  const layers = layersAt(workload);
  const targetAddresses = addressesOf(target);
  return other.members.some(({ workload: member }) => {
    const range = member.sharedAddressCidrs ?? [];
    // a target without addresses may lie anywhere: only a range that certainly misses it is harmless
    return range.length > 0 && layers.some((layer) => !layer.exact(member)) && (targetAddresses.length === 0 || overlaps(range, targetAddresses) !== 'no');
  });
}

/** Whether another GuardrailAllow grants `ports` at `at` for a host of the range (`atom`, or the whole range). */
function grantsAt<W extends ModelWorkload>(
  grant: ResolvedFlow<W, unknown, unknown, unknown>, end: 'source' | 'destination', at: W, atom: Atom<W> | 'range', range: readonly string[], ports: readonly PortSpec[],
): boolean {
  const [own, other] = end === 'destination' ? [grant.to, grant.from] : [grant.from, grant.to];
  if (!own.members.some((m) => m.workload === at)) return false;
  if (!ports.every((spec) => grant.ports.some((p) => coversSpec(p, spec)))) return false;
  const side = semanticSide(other);
  if (atom !== 'range') return sideHolds(side, atom) === 'yes';
  if (side.any) return true;
  return range.every((cidr) => !isExpression(cidr) && sideHolds(side, { kind: 'cidr', cidr }, { covering: true }) === 'yes');
}

/**
 * What the DenyFlow's side `denied` holds inside `range` beyond the exception's side `granted` and
 * what other GuardrailAllows grant, by name: every host of the range when the side is anywhere, the
 * hosts of a CIDR overlapping it, and the workloads outside `granted` with an address in it that
 * their own end does not stop (only address-only hosts when the DenyFlow is enforced at the end for
 * them alone). `certain` is false when only addresses known at apply put them there.
 */
function deniedInRange<W extends ModelWorkload>(
  denied: ResolvedSide<W>, range: readonly string[], granted: PolicySide<W, unknown, unknown>, externalOnly: boolean,
  grantedElsewhere: (atom: Atom<W> | 'range') => boolean, dropsItself: (workload: W) => boolean,
): { names: string[]; certain: boolean } {
  const members = new Set(granted.members.map((m) => m.workload));
  const names: string[] = [];
  let certain = false;
  const add = (name: string, found: Containment) => {
    if (found === 'no') return;
    names.push(name);
    certain = certain || found === 'yes';
  };
  if (denied.any) {
    if (!externalOnly && !grantedElsewhere('range')) add('every other host of that range', 'yes');
    return { names, certain };
  }
  for (const atom of denied.atoms) {
    if (atom.kind === 'cidr' && !externalOnly && !grantedElsewhere('range')) add(`the hosts of "${atom.cidr}"`, overlaps(range, [atom.cidr]));
    if (atom.kind !== 'workload' || members.has(atom.workload) || grantedElsewhere(atom)) continue;
    if (externalOnly && !isAddressOnly(atom.workload)) continue;
    // a member of the DenyFlow's side whose own end denies is stopped there
    if (!externalOnly && dropsItself(atom.workload) && sideHolds(denied, atom, { membersOnly: true }) === 'yes') continue;
    add(`workload '${atom.workload.endpointName}'`, overlaps(range, addressesOf(atom.workload)));
  }
  return { names, certain };
}

function addressesOf(workload: ModelWorkload): string[] {
  return [...workload.addressCidrs, ...(workload.configuredAddressCidrs ?? [])];
}

/** Whether two lists of ranges share an address: certainly (the same text, literal CIDRs one inside the other), perhaps (expressions), or not. */
function overlaps(a: readonly string[], b: readonly string[]): Containment {
  let found: Containment = 'no';
  for (const x of a) {
    for (const y of b) {
      if (x === y) return 'yes';
      if (isExpression(x) || isExpression(y)) {
        found = 'unknown';
        continue;
      }
      if (cidrContainsValid(x, y) || cidrContainsValid(y, x)) return 'yes';
    }
  }
  return found;
}

function listed(names: readonly string[]): string {
  const shown = names.slice(0, 3);
  const rest = names.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  return shown.length <= 1 ? shown.join('') : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

function problemText<W extends ModelWorkload>(finding: Finding<W>): string {
  if (finding.ownEnd) return ownEndText(finding);
  const { end, member } = finding;
  const range = member.sharedAddressCidrs ?? [];
  const side = end === 'destination' ? 'from' : 'to';
  const single = range.length === 1 && !isExpression(range[0]) ? `${side}: Peer.${range[0].includes(':') ? 'ipv6' : 'ipv4'}("${range[0]}")` : `${side}: a Peer of the range`;
  const ats = listed(finding.ats.map((w) => `'${w.endpointName}'`));
  const direction = end === 'destination' ? `from workload '${member.endpointName}' to ${ats}` : `from ${ats} to workload '${member.endpointName}'`;
  const own = member.addressCidrs.filter((a) => !range.includes(a));
  const narrow = own.length > 0
    ? `Leave the shared range out of '${member.endpointName}' (it has addresses of its own: ${own.map((a) => JSON.stringify(a)).join(', ')})`
    : `Give '${member.endpointName}' addresses of its own`;
  const admitted = finding.certain
    ? `DenyFlow '${finding.denyPath}' forbids ${listed(finding.admitted)} there, and the exception would admit them too.`
    : `DenyFlow '${finding.denyPath}' forbids ${listed(finding.admitted)} there, which the range may hold (addresses known only at apply decide it): the exception may admit them too.`;
  return `grants ${finding.ports.map(portKey).join(', ')} ${direction}, but ${finding.layer} can name '${member.endpointName}' there only by ${sharedRangeText(member)}, which it shares with other hosts. `
    + `${admitted} `
    + `${narrow}, leave the range out of the DenyFlow, or grant the whole range by naming it (${single}).`;
}

function ownEndText<W extends ModelWorkload>(finding: Finding<W>): string {
  const { member } = finding;
  const side = finding.end === 'source' ? 'from' : 'to';
  const holds = finding.certain ? 'forbids' : 'forbids, and the range may hold (addresses known only at apply decide it),';
  return `grants ${finding.ports.map(portKey).join(', ')} ${side} workload '${member.endpointName}', but ${finding.layer} names '${member.endpointName}' at its own end too, only by ${sharedRangeText(member)}, which it shares with other hosts. `
    + `DenyFlow '${finding.denyPath}' ${holds} ${listed(finding.admitted)} there, and the exception would exempt them too. `
    + `Give '${member.endpointName}' addresses of its own hosts, or keep the range out of the DenyFlow's side.`;
}

