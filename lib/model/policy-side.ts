import { AddressAtom, MembersAtom, NamedPeerAtom, PolicyAtom } from './atom';
import { Atom, ModelWorkload, ResolvedSide } from './guardrail-semantics';

/** One member of a segment side and the enforcement that renders it (undefined: none). */
export interface SideMember<W extends ModelWorkload = ModelWorkload, E = unknown> {
  /** The workload. */
  readonly workload: W;
  /** Its enforcement; undefined for a host known only by its addresses or a workload whose stack has none. */
  readonly enforcement: E | undefined;
}

/**
 * One side of a flow, resolved: anywhere (a guardrail side left open), a segment's members (a
 * workload named directly is its one-member segment), or a peer outside the model.
 *
 * `S` is how the caller knows a segment.
 */
export interface PolicySide<W extends ModelWorkload = ModelWorkload, S = unknown, E = unknown> {
  /** Matches everything: a guardrail side that is anywhere. */
  readonly anywhere: boolean;
  /** The segment the side stands for, if it is one. */
  readonly segment?: S;
  /** The segment's members by construct path, each with its enforcement (empty for a peer or anywhere). */
  readonly members: ReadonlyArray<SideMember<W, E>>;
  /** The concrete ends: the members grouped by enforcement (in member order), or the one peer atom. */
  readonly atoms: ReadonlyArray<PolicyAtom<W, E>>;
}

/** Builds a segment side from its members (by construct path) and their enforcements. */
export function segmentSide<W extends ModelWorkload, S, E>(segment: S, members: ReadonlyArray<SideMember<W, E>>): PolicySide<W, S, E> {
  const groups = new Map<string, { platform: string; enforcement: E | undefined; workloads: W[] }>();
  const keys = new Map<E | undefined, string>();
  for (const member of members) {
    if (!keys.has(member.enforcement)) keys.set(member.enforcement, String(keys.size));
    const key = `${member.workload.platform}|${keys.get(member.enforcement)}`;
    const group = groups.get(key) ?? { platform: member.workload.platform, enforcement: member.enforcement, workloads: [] };
    group.workloads.push(member.workload);
    groups.set(key, group);
  }
  const atoms: Array<MembersAtom<W, E>> = [...groups.values()].map((g) => ({ kind: 'members', ...g }));
  return { anywhere: false, segment, members, atoms };
}

/** The side that matches everything. */
export function anywhereSide<W extends ModelWorkload, S, E>(): PolicySide<W, S, E> {
  return { anywhere: true, members: [], atoms: [] };
}

/** A side that is one peer atom (an address or a named peer). */
export function peerSide<W extends ModelWorkload, S, E>(atom: PolicyAtom<W, E>): PolicySide<W, S, E> {
  return { anywhere: false, members: [], atoms: [atom] };
}

/** The peer atom of a side, if the side is a peer. */
export function peerOf(side: PolicySide<any, any, any>): AddressAtom | NamedPeerAtom | undefined {
  const atom = side.atoms[0];
  return atom && atom.kind !== 'members' ? atom : undefined;
}

/** The side as the guardrail semantics see it (workloads, literal CIDRs, other peers). */
export function semanticSide<W extends ModelWorkload>(side: PolicySide<W, any, any>): ResolvedSide<W> {
  if (side.anywhere) return { any: true, atoms: [] };
  const peer = peerOf(side);
  if (!peer) return { any: false, atoms: side.members.map((m): Atom<W> => ({ kind: 'workload', workload: m.workload })) };
  if (peer.kind === 'address' && !peer.expression) return { any: false, atoms: [{ kind: 'cidr', cidr: peer.value }] };
  // an address known only at apply: named where a rule can carry the expression (a host's rule set)
  return { any: false, atoms: [{ kind: 'peer', id: peer.id, name: peer.written, ...(peer.kind === 'address' ? { expression: peer.value, family: peer.family } : {}) }] };
}
