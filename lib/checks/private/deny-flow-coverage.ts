import { cidrContainsValid } from '../../model/cidr';
import { cidrHoldsWorkload, isExpression } from '../../model/guardrail-semantics';
import { intersectPortLists } from '../../model/ports';
import { Workload } from '../../workload';
import { DenyFlowView, EndpointKind, EndpointView, FlowView, PolicyView } from '../policy-view';
import { endpointCovers } from './endpoint-coverage';
import { portsCover } from './port-coverage';

/**
 * What the guardrail denies (`DenyFlow`s) of a view forbid of a flow: all of its traffic, or some
 * of it. A deny side that is a CIDR holds the workloads docs/presets.md says it holds (those with a
 * literal address inside, every workload of the family for `0.0.0.0/0` and `::/0`, as
 * `cidrHoldsWorkload` decides), unlike a flow's CIDR, which stands for hosts outside the model.
 */
export class DenyFlowCoverage {
  private readonly workloads = new Map<string, Workload>();
  /** Answers for a CIDR against the members of an endpoint, by `all|some`, CIDR and endpoint. */
  private readonly memberAnswers = new Map<string, boolean>();

  public constructor(private readonly view: PolicyView) {
    for (const workload of view.workloads) this.workloads.set(workload.path, workload.workload);
  }

  /** The first DenyFlow, in declaration order, that forbids every packet `flow` allows. */
  public forbiddingAll(flow: FlowView): DenyFlowView | undefined {
    return this.view.denyFlows.find((deny) => deny.ports.length > 0
      && this.holdsAll(deny.from, flow.from) && this.holdsAll(deny.to, flow.to) && portsCover(deny.ports, flow.ports));
  }

  /**
   * Whether a DenyFlow may forbid some of the traffic `flow` allows. When it cannot be told (an
   * unresolved or named peer, an address known only at apply) it may.
   */
  public forbidsSome(flow: FlowView): boolean {
    const ports = flow.ports.map((p) => p._toSpec());
    return this.view.denyFlows.some((deny) => this.holdsSome(deny.from, flow.from) && this.holdsSome(deny.to, flow.to)
      && intersectPortLists(deny.ports.map((p) => p._toSpec()), ports).length > 0);
  }

  /** Whether the deny side `guard` (undefined: anywhere) holds every address `side` stands for. */
  private holdsAll(guard: EndpointView | undefined, side: EndpointView): boolean {
    if (guard === undefined) return true;
    if (guard.kind !== EndpointKind.PEER || side.kind === EndpointKind.PEER) return endpointCovers(guard, side);
    const cidr = literalCidrOf(guard);
    return cidr !== undefined && this.remembered(`all|${cidr}|${side.kind}|${side.name}`, () => {
      const members = this.membersOf(side);
      return members.length > 0 && members.every((w) => w !== undefined && cidrHoldsWholly(cidr, w));
    });
  }

  /** Whether the deny side `guard` (undefined: anywhere) may hold some address `side` stands for. */
  private holdsSome(guard: EndpointView | undefined, side: EndpointView): boolean {
    if (guard === undefined || guard.unresolved || side.unresolved) return true;
    if (guard.kind !== EndpointKind.PEER && side.kind !== EndpointKind.PEER) {
      if (guard.kind === side.kind && guard.name === side.name) return true;
      const members = new Set(guard.members);
      return side.members.some((m) => members.has(m));
    }
    if (guard.kind === EndpointKind.PEER && side.kind === EndpointKind.PEER) {
      const [a, b] = [literalCidrOf(guard), literalCidrOf(side)];
      // a service tag or a prefix list may hold any address
      return a === undefined || b === undefined || cidrContainsValid(a, b) || cidrContainsValid(b, a);
    }
    const [peer, other] = guard.kind === EndpointKind.PEER ? [guard, side] : [side, guard];
    const cidr = literalCidrOf(peer);
    return cidr === undefined || this.remembered(`some|${cidr}|${other.kind}|${other.name}`,
      () => this.membersOf(other).some((w) => w === undefined || cidrHoldsWorkload(cidr, w) !== 'no'));
  }

  private membersOf(endpoint: EndpointView): Array<Workload | undefined> {
    return endpoint.members.map((m) => this.workloads.get(m));
  }

  /** A CIDR against the members of a segment is asked for every flow of the segment: answered once. */
  private remembered(key: string, answer: () => boolean): boolean {
    let known = this.memberAnswers.get(key);
    if (known === undefined) {
      known = answer();
      this.memberAnswers.set(key, known);
    }
    return known;
  }
}

/** The CIDR of a peer whose value is a literal CIDR. */
function literalCidrOf(endpoint: EndpointView): string | undefined {
  return endpoint.peer?.isCidr && !endpoint.unresolved ? endpoint.peer.value : undefined;
}

/**
 * Whether every address of the workload lies in `cidr`: the CIDR holds it, and none of its literal
 * addresses lies outside (a dual-stack workload still talks over the other family). Addresses known
 * only at apply lie inside a whole address family only.
 */
function cidrHoldsWholly(cidr: string, workload: Workload): boolean {
  if (cidrHoldsWorkload(cidr, workload) !== 'yes') return false;
  return [...workload.addressCidrs, ...workload.configuredAddressCidrs]
    .every((address) => isExpression(address) ? cidr.endsWith('/0') : cidrContainsValid(cidr, address));
}
