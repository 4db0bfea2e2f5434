import { Token } from 'cdktf';
import { DenyFlow } from '../deny-flow';
import { IFlowEndpoint } from '../endpoint';
import { AllowFlow } from '../flow';
import type { AwsBinding } from './binding';
import { NETWORK_ACL_CAPABILITIES } from './capabilities';
import { CidrMemo } from './cidr-memo';
import { AwsEnforcement } from './enforcement';
import { NetworkAclDenyEntry } from './network-acl-renderer';
import { returnSpecs } from './stateless-rules';
import { namedUnmanagedHosts, subnetHolds } from './unmanaged-hosts';
import { inexpressiblePorts } from '../model/capabilities';
import { checkCidr } from '../model/cidr';
import { atomName, sideHolds } from '../model/guardrail-semantics';
import { peerOf } from '../model/policy-side';
import { intersectPortLists, portKey, PortSpec } from '../model/ports';
import { Platform } from '../platform';
import { byPath } from '../private/path-of';
import { PolicyRegistry, compare } from '../registry';
import { Atom } from '../render/guardrail-sides';
import { ResolvedPolicy } from '../render/resolve-policy';
import { Segment } from '../segment';
import { Workload } from '../workload';

/**
 * A mapped subnet of the enforcement and the workloads that may live in it: the enforcement's AWS
 * workloads of its segments, and hosts known only by their addresses inside its CIDR.
 */
interface PlanSubnet {
  readonly cidr: string;
  readonly segments: Set<Segment>;
  readonly workloads: Set<Workload>;
}

/** Where one side of a DenyFlow is, as network ACLs see it: a mapped subnet, or addresses outside them. */
interface SideLocation {
  /** The mapped subnet; absent for addresses outside the mapped subnets (a peer, an external host). */
  readonly subnet?: PlanSubnet;
  /** The CIDRs that name this location in the entries of another subnet's ACL. */
  readonly remote: string[];
  /** Why `remote` also covers workloads outside the side (empty when it covers only the side). */
  readonly remoteWidening: string[];
  /** Why an entry on this subnet's own ACL also covers workloads outside the side (empty when it does not). */
  readonly localWidening: string[];
}

/** One way to deny a pair of locations: an entry on one subnet's ACL, naming the other side by CIDRs. */
interface Candidate {
  readonly subnet: PlanSubnet;
  readonly egress: boolean;
  readonly cidrs: string[];
  /** Why the entry is wider than the DenyFlow (empty: exactly as wide, as far as the model knows). */
  readonly widening: string[];
  /**
   * Whether literal addresses would narrow the entry: its far side is a subnet only because members
   * there have none. An entry's own side is always its whole subnet, so nothing narrows that.
   */
  readonly addressesWouldHelp: boolean;
}

/** An allowed flow's traffic that a deny entry would drop. */
interface Cut {
  readonly flow: AllowFlow;
  readonly client: Atom;
  readonly server: Atom;
  readonly ports: PortSpec[];
  /** Whether the replies (server to client) are dropped rather than the requests. */
  readonly reply: boolean;
}

/** The deny entries that render a DenyFlow in the network ACLs of one enforcement, and what stops it. */
export interface DenyEntryPlan {
  /** The entries to render. */
  readonly entries: NetworkAclDenyEntry[];
  /** Why the DenyFlow cannot be rendered without dropping allowed traffic (synth errors). */
  readonly problems: string[];
  /** Entries wider than the DenyFlow that drop no declared flow today (warnings). */
  readonly widened: string[];
}

/**
 * Plans the network ACL deny entries of DenyFlows in one enforcement (VPC).
 *
 * An ACL entry names only the far side by CIDR; its own side is always the whole subnet. So for a
 * pair (source location, destination location) there are up to two entries that deny it: ingress on
 * the destination subnet from the source's CIDRs, egress on the source subnet to the destination's
 * CIDRs. A side is named by its subnet's CIDR when the subnet holds only the side's workloads, else
 * by its members' host addresses. An entry is exact when it covers nothing but the DenyFlow's
 * traffic: exact entries are rendered; a pair without one gets the wider entries that drop no
 * allowed flow, and when each of them would, synthesis fails naming the DenyFlow and the flow.
 */
export class NetworkAclDenyPlanner {
  private readonly subnets: PlanSubnet[] = [];
  private readonly located = new Map<Workload, PlanSubnet[]>();
  private readonly hostCache = new Map<Workload, string[] | undefined>();
  private flowCache?: AllowFlow[];
  private namedCache?: string[];

  /**
   * @param memo the CIDR answers of the app, kept by its network ACL renderer across plans
   */
  constructor(private readonly registry: PolicyRegistry, private readonly enforcement: AwsEnforcement, private readonly memo: CidrMemo) {
    const byCidr = new Map<string, PlanSubnet>();
    for (const mapping of enforcement.subnets) {
      if (Token.isUnresolved(mapping.cidr)) continue; // reported by the network ACL renderer
      const cidr = checkCidr(mapping.cidr, 'ipv4').cidr;
      if (!cidr) continue;
      const subnet = byCidr.get(cidr) ?? { cidr, segments: new Set<Segment>(), workloads: new Set<Workload>() };
      byCidr.set(cidr, subnet);
      subnet.segments.add(mapping.segment);
    }
    this.subnets = [...byCidr.values()].sort((a, b) => compare(a.cidr, b.cidr));
    // a workload of this enforcement lives in one of the subnets mapped to its segments (read from
    // the mapped segments' members, which is cheaper than every workload's segments)
    const candidates = new Map<Workload, Set<PlanSubnet>>();
    for (const subnet of this.subnets) {
      for (const segment of subnet.segments) {
        for (const { workload, enforcement: own } of ResolvedPolicy.of(registry).segmentSide(segment).members) {
          if (workload.platform !== Platform.AWS || own !== enforcement) continue;
          const found = candidates.get(workload) ?? new Set<PlanSubnet>();
          candidates.set(workload, found.add(subnet));
        }
      }
    }
    for (const [workload, found] of candidates) {
      let subnets = [...found].sort((a, b) => compare(a.cidr, b.cidr));
      // a workload with a literal address lives in the subnet that contains it
      const hosts = this.hosts(workload)?.filter((h) => this.memo.family(h) === 'ipv4') ?? [];
      const containing = subnets.filter((s) => hosts.some((h) => this.memo.contains(s.cidr, h)));
      if (containing.length > 0) subnets = containing;
      this.located.set(workload, subnets);
      for (const subnet of subnets) subnet.workloads.add(workload);
    }
    // a host known only by its addresses lives in the subnet that contains them
    for (const workload of registry.workloads) {
      if (workload.platform !== Platform.EXTERNAL) continue;
      const hosts = this.hosts(workload) ?? [];
      const holding = this.subnets.filter((s) => hosts.some((h) => subnetHolds(s.cidr, h)));
      if (holding.length === 0) continue;
      this.located.set(workload, holding);
      for (const subnet of holding) subnet.workloads.add(workload);
    }
  }

  /**
   * The addresses by which the program names hosts inside a subnet that no AWS enforcement manages
   * (`namedUnmanagedHosts`: literal peers of flows, hosts known only by their addresses), sorted;
   * worked out once, when first asked.
   */
  private namedIn(subnet: PlanSubnet): string[] {
    this.namedCache ??= namedUnmanagedHosts(this.registry);
    return this.namedCache.filter((cidr) => subnetHolds(subnet.cidr, cidr));
  }

  /** The valid flows of the app (allowed traffic a deny entry must not drop), by path; read only when needed. */
  private get flows(): AllowFlow[] {
    this.flowCache ??= [...this.registry.flows].filter((f) => f.problems().length === 0).sort(byPath);
    return this.flowCache;
  }

  /**
   * The entries of `deny` in this enforcement. With `checkReplies`, also the replies of allowed
   * flows that the chosen entries would drop (network ACLs are stateless), for validation.
   */
  public plan(deny: DenyFlow, checkReplies: boolean): DenyEntryPlan {
    const chosen = new Map<string, Candidate>();
    const problems: string[] = [];
    const widened: string[] = [];
    for (const source of this.locations(deny.from)) {
      for (const target of this.locations(deny.to)) {
        if (!source.subnet && !target.subnet) continue; // crosses no ACL of this enforcement
        if (source.subnet && source.subnet === target.subnet) continue; // ACLs do not filter within a subnet
        const candidates = this.candidates(source, target);
        const exact = candidates.filter((c) => c.widening.length === 0);
        const picked = exact.length > 0 ? exact : this.cutFree(deny, candidates, problems);
        for (const candidate of picked) chosen.set(candidateKey(candidate), candidate);
      }
    }
    const inexpressible = chosen.size > 0 ? inexpressiblePorts(deny.ports.map((p) => p._toSpec()), NETWORK_ACL_CAPABILITIES) : undefined;
    if (inexpressible) return { entries: [], problems: [...new Set([...problems, `DenyFlow '${deny.node.path}' ${inexpressible}`])], widened };
    const entries: NetworkAclDenyEntry[] = [];
    for (const candidate of [...chosen.values()].sort((a, b) => compare(candidateKey(a), candidateKey(b)))) {
      for (const cidr of candidate.cidrs) {
        entries.push({ subnetCidr: candidate.subnet.cidr, egress: candidate.egress, cidr, ports: deny.ports });
      }
      if (!checkReplies) continue;
      for (const cut of this.cuts(deny, candidate).filter((c) => c.reply)) problems.push(repliesMessage(deny, this.enforcement, cut));
      if (candidate.widening.length > 0) widened.push(widenedMessage(deny, this.enforcement, candidate));
    }
    return { entries, problems: [...new Set(problems)], widened };
  }

  private candidates(source: SideLocation, target: SideLocation): Candidate[] {
    const out: Candidate[] = [];
    const add = (subnet: PlanSubnet, egress: boolean, far: SideLocation, widening: string[]) => {
      // a CIDR inside the entry's own subnet is traffic within the subnet, which ACLs do not filter
      const cidrs = far.remote.filter((cidr) => !(this.memo.family(cidr) === 'ipv4' && this.memo.contains(subnet.cidr, cidr)));
      if (cidrs.length > 0) out.push({ subnet, egress, cidrs, widening, addressesWouldHelp: far.remoteWidening.length > 0 });
    };
    if (target.subnet) add(target.subnet, false, source, [...target.localWidening, ...source.remoteWidening]);
    if (source.subnet) add(source.subnet, true, target, [...source.localWidening, ...target.remoteWidening]);
    return out;
  }

  /** The candidates that drop no allowed flow; when there is none, the problems say what each would drop. */
  private cutFree(deny: DenyFlow, candidates: Candidate[], problems: string[]): Candidate[] {
    const withCuts = candidates.map((candidate) => ({ candidate, cuts: this.cuts(deny, candidate) }));
    const free = withCuts.filter((c) => c.cuts.length === 0).map((c) => c.candidate);
    if (free.length === 0) {
      for (const { candidate, cuts } of withCuts) problems.push(wideningMessage(deny, this.enforcement, candidate, cuts[0]));
    }
    return free;
  }

  /** Where a DenyFlow side is in this enforcement, and how entries name it. */
  private locations(endpoint: IFlowEndpoint | undefined): SideLocation[] {
    const outside = (remote: string[]): SideLocation => ({ remote, remoteWidening: [], localWidening: [] });
    const side = ResolvedPolicy.of(this.registry).side(endpoint);
    if (side.anywhere) return [outside(['0.0.0.0/0'])];
    const peer = peerOf(side);
    if (peer) return peer.kind === 'address' && !Token.isUnresolved(peer.value) ? [outside([peer.value])] : [];
    const segment = side.segment;
    if (!segment) return [];
    const members = new Set(side.members.map((m) => m.workload));
    const out: SideLocation[] = [];
    for (const subnet of this.subnets) {
      const inside = [...subnet.workloads].filter((w) => members.has(w)).sort(byPath);
      const others = [...subnet.workloads].filter((w) => !members.has(w)).sort(byPath);
      // addresses the flows name inside the subnet that are not the side's own hosts
      const knownHosts = new Set([...subnet.workloads].flatMap((w) => this.hosts(w) ?? []));
      const strangers = this.namedIn(subnet).filter((cidr) => !knownHosts.has(cidr));
      if (others.length === 0 && strangers.length === 0) {
        // the subnet holds the side only (or is mapped to it and still empty): its CIDR names it exactly
        if (inside.length > 0 || subnet.segments.has(segment)) out.push({ subnet, remote: [subnet.cidr], remoteWidening: [], localWidening: [] });
        continue;
      }
      if (inside.length === 0) continue;
      const shared = `subnet ${subnet.cidr} also holds ${[...(others.length > 0 ? [workloadNames(others)] : []), ...(strangers.length > 0 ? [addressNames(strangers)] : [])].join(' and ')}`;
      const unknown = inside.filter((w) => this.hosts(w) === undefined);
      if (unknown.length === 0) {
        const hosts = [...new Set(inside.flatMap((w) => this.hosts(w)!))].sort(compare);
        out.push({ subnet, remote: hosts, remoteWidening: [], localWidening: [shared] });
      } else {
        const why = `${workloadNames(unknown)} ${unknown.length === 1 ? 'has' : 'have'} no literal address (only a Terraform expression or none), so entries can name ${unknown.length === 1 ? 'it' : 'them'} only by the whole subnet, and ${shared}`;
        out.push({ subnet, remote: [subnet.cidr], remoteWidening: [why], localWidening: [shared] });
      }
    }
    for (const member of [...members].sort(byPath)) {
      if (this.located.has(member)) continue;
      const hosts = this.hosts(member);
      // without a literal address an outside member cannot be named; its own platform enforces the guardrail
      if (hosts && hosts.length > 0) out.push(outside(hosts));
    }
    return out;
  }

  /** The allowed flows' traffic (requests the DenyFlow does not forbid, and replies) an entry would drop. */
  private cuts(deny: DenyFlow, candidate: Candidate): Cut[] {
    const policy = ResolvedPolicy.of(this.registry);
    const denied = policy.flow(deny).ports;
    const denyFrom = policy.semanticSide(deny.from);
    const denyTo = policy.semanticSide(deny.to);
    const out: Cut[] = [];
    for (const flow of this.flows) {
      const requests = policy.flow(flow).ports;
      const requestHit = intersectPortLists(requests, denied);
      const replyHit = intersectPortLists(requests.flatMap((s) => returnSpecs(s, this.enforcement.ephemeralPorts)), denied);
      if (requestHit.length === 0 && replyHit.length === 0) continue;
      for (const client of policy.semanticSide(flow.from).atoms) {
        for (const server of policy.semanticSide(flow.to).atoms) {
          if (client.kind === 'workload' && server.kind === 'workload' && client.workload === server.workload) continue;
          // a request leaves the client's subnet (egress) and enters the server's (ingress); a reply the reverse
          const [requestLocal, requestFar] = candidate.egress ? [client, server] : [server, client];
          if (requestHit.length > 0 && this.matches(candidate, requestLocal, requestFar)
            && !(sideHolds(denyFrom, client) === 'yes' && sideHolds(denyTo, server) === 'yes')) {
            out.push({ flow, client, server, ports: requestHit, reply: false });
          }
          if (replyHit.length > 0 && this.matches(candidate, requestFar, requestLocal)) {
            out.push({ flow, client, server, ports: replyHit, reply: true });
          }
        }
      }
    }
    return out;
  }

  /** Whether a packet from or to `local` (in the entry's subnet) and `far` (elsewhere) meets the entry. */
  private matches(candidate: Candidate, local: Atom, far: Atom): boolean {
    if (!this.inSubnet(local, candidate.subnet)) return false;
    if (far.kind === 'cidr' && subnetHolds(candidate.subnet.cidr, far.cidr)) return false; // within the subnet
    const farSubnets = far.kind === 'workload' ? this.located.get(far.workload) ?? [] : [];
    if (farSubnets.length > 0 && farSubnets.every((s) => s === candidate.subnet)) return false; // within the subnet
    return candidate.cidrs.some((cidr) => this.names(cidr, far, farSubnets));
  }

  /**
   * Whether `atom` is behind the subnet's ACL: a workload that lives there, a literal peer inside its
   * CIDR, or a wider one around a subnet that holds hosts the program names by address.
   */
  private inSubnet(atom: Atom, subnet: PlanSubnet): boolean {
    if (atom.kind === 'workload') return (this.located.get(atom.workload) ?? []).includes(subnet);
    if (atom.kind !== 'cidr') return false;
    return subnetHolds(subnet.cidr, atom.cidr) || (this.memo.contains(atom.cidr, subnet.cidr) && this.namedIn(subnet).length > 0);
  }

  /** Whether an entry's CIDR may match the addresses of `atom`. */
  private names(cidr: string, atom: Atom, subnets: PlanSubnet[]): boolean {
    if (atom.kind === 'cidr') return this.memo.overlaps(cidr, atom.cidr) && !this.passesBy(atom.cidr, cidr);
    if (atom.kind !== 'workload') return false;
    const hosts = this.hosts(atom.workload);
    if (hosts) return hosts.some((host) => this.memo.overlaps(cidr, host));
    if (subnets.length > 0) return subnets.some((s) => this.memo.overlaps(cidr, s.cidr));
    return cidr === '0.0.0.0/0'; // an address unknown at synth, outside the mapped subnets
  }

  /**
   * Whether a flow's wider peer `wide` never reaches the hosts of entry CIDR `cidr`: they lie in a
   * mapped subnet that `wide` only surrounds, and a wider peer reaches a mapped subnet (entries on
   * its ACL) only where the program names a host inside it. Nothing of the flow crosses such an entry.
   */
  private passesBy(wide: string, cidr: string): boolean {
    return this.subnets.some((subnet) => subnetHolds(subnet.cidr, cidr) && !subnetHolds(subnet.cidr, wide)
      && this.memo.contains(wide, subnet.cidr) && this.namedIn(subnet).length === 0);
  }

  /** A workload's literal addresses as host CIDRs, or undefined when any is unknown at synth or none is given. */
  private hosts(workload: Workload): string[] | undefined {
    if (!this.hostCache.has(workload)) this.hostCache.set(workload, literalHosts(workload, this.memo));
    return this.hostCache.get(workload);
  }
}

/** The literal addresses of a workload: its `addresses` and, for AWS, the configured private IPs; undefined when one is an expression. */
function literalHosts(workload: Workload, memo: CidrMemo): string[] | undefined {
  const configured = workload.platform === Platform.AWS ? (workload.binding as AwsBinding)._configuredAddressValues() : [];
  const given = [...workload.addressCidrs, ...configured];
  if (given.some((value) => Token.isUnresolved(value))) return undefined;
  return memo.hostCidrs(given);
}

function candidateKey(candidate: Candidate): string {
  return `${candidate.subnet.cidr}|${candidate.egress ? 'egress' : 'ingress'}|${candidate.cidrs.join(',')}`;
}

function addressNames(cidrs: string[]): string {
  return `address${cidrs.length > 1 ? 'es' : ''} ${cidrs.slice(0, 3).join(', ')}${cidrs.length > 3 ? ` and ${cidrs.length - 3} more` : ''} named by flows`;
}

function workloadNames(workloads: Workload[]): string {
  const names = workloads.slice(0, 3).map((w) => `'${w.node.path}'`);
  return `workload${workloads.length > 1 ? 's' : ''} ${names.join(', ')}${workloads.length > 3 ? ` and ${workloads.length - 3} more` : ''}`;
}

function repliesMessage(deny: DenyFlow, enforcement: AwsEnforcement, cut: Cut): string {
  return `DenyFlow '${deny.node.path}' becomes network ACL deny entries on '${enforcement.node.path}' that also drop the replies (${cut.ports.map(portKey).join(', ')}) of AllowFlow '${cut.flow.node.path}' from ${atomName(cut.client)} to ${atomName(cut.server)}: network ACLs are stateless. Deny only the ports that matter (not all traffic), or also deny the reverse direction and remove the flow.`;
}

function widenedMessage(deny: DenyFlow, enforcement: AwsEnforcement, candidate: Candidate): string {
  const entry = `${candidate.egress ? 'egress to' : 'ingress from'} ${candidate.cidrs.join(', ')}`;
  return `[microseg:nacl-deny-wider] DenyFlow '${deny.node.path}': its network ACL deny entry on subnet ${candidate.subnet.cidr} in '${enforcement.node.path}' (${entry}) is wider than the DenyFlow (${candidate.widening.join('; ')}). No declared flow crosses it today; a flow declared later that does will fail synthesis. ${candidate.addressesWouldHelp ? 'Give the workloads literal addresses or subnets of their own' : 'Give the denied workloads subnets of their own'} to make it exact.`;
}

function wideningMessage(deny: DenyFlow, enforcement: AwsEnforcement, candidate: Candidate, cut: Cut): string {
  const entry = `${candidate.egress ? 'egress to' : 'ingress from'} ${candidate.cidrs.join(', ')}`;
  const dropped = cut.reply ? `the replies (${cut.ports.map(portKey).join(', ')})` : cut.ports.map(portKey).join(', ');
  return `DenyFlow '${deny.node.path}' cannot be rendered in the network ACLs of '${enforcement.node.path}' as narrowly as it is declared: ${candidate.widening.join('; ')}. Its deny entry on subnet ${candidate.subnet.cidr} (${entry}) would also drop ${dropped} of AllowFlow '${cut.flow.node.path}' from ${atomName(cut.client)} to ${atomName(cut.server)}. ${candidate.addressesWouldHelp ? 'Give the workloads literal addresses (the instance\'s privateIp, or the Workload\'s addresses) so that entries can name hosts, place' : 'Place'} the denied workloads in subnets of their own, or narrow the DenyFlow.`;
}
