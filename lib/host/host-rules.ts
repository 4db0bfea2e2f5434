import { Token } from 'cdktf';
import { hostFlowIndex } from './host-flow-index';
import * as semantics from '../model/guardrail-semantics';
import { PortSpec } from '../model/ports';
import { addressFamilyOf } from '../private/address-family';
import { compare, PolicyRegistry, stackOf } from '../registry';
import { Atom, ResolvedSide } from '../render/guardrail-sides';
import { Workload } from '../workload';

/** Where a rule sits in the chain: GuardrailAllows, then DenyFlows, then application flows. */
export enum HostRuleTier {
  GUARDRAIL_ALLOW = 0,
  GUARDRAIL_DENY = 1,
  APPLICATION = 2,
}

/** One rule of a workload's host firewall, before it is written in a flavor's syntax. */
export interface HostRule {
  /** `in`: traffic reaching the workload; `out`: traffic it sends. */
  readonly direction: 'in' | 'out';
  /** What the rule does. */
  readonly action: 'accept' | 'drop';
  /** The other end's addresses (CIDRs, possibly Terraform expressions), sorted; undefined: any address. */
  readonly peers?: readonly string[];
  /**
   * The family of each of `peers` that is a Terraform expression (the flow's `Peer.ipv6`, or an
   * expression whose text names IPv6), by the expression; a literal's is its own.
   * @default - every expression is IPv4
   */
  readonly peerFamilies?: Readonly<Record<string, 'ipv4' | 'ipv6'>>;
  /** The workload's own end as the rule restricts it (an open side's CIDR), if it does. */
  readonly local?: string;
  /** The traffic, merged and sorted. */
  readonly ports: readonly PortSpec[];
  /** The tier. */
  readonly tier: HostRuleTier;
  /** Construct paths of the AllowFlows or GuardrailAllows served. */
  readonly flows: readonly string[];
  /** Construct paths of the DenyFlows served. */
  readonly guardrails: readonly string[];
  /** Why the rule exists (the flow's description), as written. */
  readonly description: string;
}

/** A workload's rules in chain order, and what keeps them from being complete. */
export interface HostRules {
  /** The rules in evaluation order (first match). */
  readonly rules: readonly HostRule[];
  /** Sentences that follow the workload's path in a synth error. */
  readonly problems: readonly string[];
  /** The other workloads whose addresses the rules name. */
  readonly peerWorkloads: readonly Workload[];
}

/**
 * The host firewall rules of `workload` from the complete program: its own flows only (an
 * egress rule where it is a member of a flow's source side, an ingress rule where it is a member of
 * the destination side, peers by address), the DenyFlows enforced at it (`denyEnforcedAt`: as a
 * member of a side, or lying in the open side of a DenyFlow whose other side holds hosts known
 * only by address) and the GuardrailAllows granted at it (`flowRenderedAt`), which come first.
 */
export function hostRulesOf(registry: PolicyRegistry, workload: Workload): HostRules {
  const self: Atom = { kind: 'workload', workload };
  const rules: HostRule[] = [];
  const problems = new Set<string>();
  const peerWorkloads = new Set<Workload>();
  const member = (side: ResolvedSide) => semantics.sideHolds(side, self, { membersOnly: true }) === 'yes';
  const index = hostFlowIndex(registry);

  for (const { flow, direction, other, ports, guardrail } of index.allowsOf(workload)) {
    const tier = guardrail ? HostRuleTier.GUARDRAIL_ALLOW : HostRuleTier.APPLICATION;
    const families: Record<string, 'ipv4' | 'ipv6'> = {};
    const peers = peerAddresses(other, workload, `AllowFlow '${flow.node.path}'`, problems, peerWorkloads, families);
    if (peers === undefined || peers.length === 0) continue;
    rules.push({ direction, action: 'accept', peers, ...familiesOf(families), ports, tier, flows: [flow.node.path], guardrails: [], description: flow.description });
  }

  for (const { deny, from, to, ports, openSides } of index.denies) {
    const base = { action: 'drop' as const, ports, tier: HostRuleTier.GUARDRAIL_DENY, flows: [], guardrails: [deny.node.path], description: deny.description };
    for (const [direction, own, other] of [['out', from, to], ['in', to, from]] as const) {
      if (!member(own)) continue;
      if (other.any) {
        rules.push({ ...base, direction });
        continue;
      }
      const families: Record<string, 'ipv4' | 'ipv6'> = {};
      const peers = peerAddresses(other, workload, `DenyFlow '${deny.node.path}'`, problems, peerWorkloads, families);
      if (peers !== undefined && peers.length > 0) rules.push({ ...base, direction, peers, ...familiesOf(families) });
    }
    for (const open of openSides) {
      const peers = open.addresses.filter((address) => !workload.addressCidrs.includes(address));
      if (peers.length === 0) continue;
      rules.push({ ...base, direction: open.direction === 'inbound' ? 'in' : 'out', peers, ...(open.open ? { local: open.open } : {}) });
    }
  }

  const ordered = dedupe(rules).sort((a, b) => a.tier - b.tier
    || compare(a.flows[0] ?? a.guardrails[0], b.flows[0] ?? b.guardrails[0])
    || compare(a.direction, b.direction)
    || compare(a.local ?? '', b.local ?? ''));
  return { rules: ordered, problems: [...problems], peerWorkloads: [...peerWorkloads] };
}

/**
 * The addresses of a side's ends other than `workload` (sorted), or undefined when some end cannot
 * be named by address on a host (a prefix list, a service tag, a workload without addresses): that
 * is a problem, since leaving it out would make a deny weaker or an allow silently missing.
 */
function peerAddresses(
  side: ResolvedSide, workload: Workload, owner: string, problems: Set<string>, peers: Set<Workload>, families: Record<string, 'ipv4' | 'ipv6'>,
): string[] | undefined {
  const addresses = new Set<string>();
  let complete = true;
  for (const atom of side.atoms) {
    if (atom.kind === 'cidr') {
      addresses.add(atom.cidr);
    } else if (atom.kind === 'peer' && atom.expression !== undefined) {
      // a CIDR known only at apply goes into the rule set as its expression, like a workload's address
      addresses.add(atom.expression);
      families[atom.expression] = atom.family ?? addressFamilyOf(atom.expression, workload);
    } else if (atom.kind === 'peer') {
      problems.add(`has a host firewall, which names peers by address only, but ${owner} names ${atom.name}. Name the peer's CIDRs with Peer.ipv4(...) in a flow of its own, or leave this workload out of the host firewall.`);
      complete = false;
    } else if (atom.workload !== workload) {
      peers.add(atom.workload);
      if (atom.workload.addressCidrs.length === 0) {
        problems.add(`has a host firewall, which names peers by address, but ${owner} reaches workload '${atom.workload.node.path}', which has no addresses. Give that workload addresses, for example addresses: [instance.privateIp].`);
        complete = false;
      }
      // an address known only at apply in another stack would be a cross-stack reference from the
      // rule set, and two such host firewalls a stack cycle that hides the problem (reported for the peer)
      if (hostStackOf(atom.workload) !== hostStackOf(workload) && atom.workload.addressCidrs.some((address) => Token.isUnresolved(address))) {
        complete = false;
        continue;
      }
      for (const address of atom.workload.addressCidrs) {
        addresses.add(address);
        if (Token.isUnresolved(address)) families[address] = addressFamilyOf(address, atom.workload);
      }
    }
  }
  return complete ? [...addresses].sort(compare) : undefined;
}

/** The `peerFamilies` field of a rule, when some peer is an expression. */
function familiesOf(families: Record<string, 'ipv4' | 'ipv6'>): { peerFamilies?: Record<string, 'ipv4' | 'ipv6'> } {
  return Object.keys(families).length > 0 ? { peerFamilies: families } : {};
}

/** Drops rules equal in every field but their flows, merging their flows and guardrails. */
function dedupe(rules: readonly HostRule[]): HostRule[] {
  const byMeaning = new Map<string, HostRule>();
  for (const rule of rules) {
    const key = JSON.stringify([
      rule.tier, rule.direction, rule.action, rule.peers ?? null, rule.local ?? null, rule.ports, rule.flows, rule.guardrails,
    ]);
    if (!byMeaning.has(key)) byMeaning.set(key, rule);
  }
  return [...byMeaning.values()];
}

/** The stack of a workload's host: that of its bound resource, else its own. */
function hostStackOf(workload: Workload) {
  return workload.resource ? stackOf(workload.resource) : stackOf(workload);
}
