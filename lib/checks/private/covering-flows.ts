import { EndpointKind, EndpointView, FlowView } from '../policy-view';

/**
 * The flows that may cover a flow (see `endpointCovers`), found through an index instead of by
 * comparing every pair: an endpoint with members is covered only by endpoints holding its first
 * member, one without members only by itself, a peer only by the same peer or, for a CIDR, by
 * another CIDR peer. The candidates are a superset of the covering flows, in the flows' order, for
 * the caller to test.
 */
export class CoveringFlows {
  private readonly from: SideIndex;
  private readonly to: SideIndex;

  public constructor(private readonly flows: readonly FlowView[]) {
    this.from = new SideIndex(flows.map((flow) => flow.from));
    this.to = new SideIndex(flows.map((flow) => flow.to));
  }

  /** The positions (ascending) of the flows whose source and destination may cover those of the flow at `position`. */
  public candidates(position: number): readonly number[] {
    const flow = this.flows[position];
    const byFrom = this.from.candidates(flow.from);
    const byTo = this.to.candidates(flow.to);
    return byFrom.length <= byTo.length ? byFrom : byTo;
  }
}

/** The endpoints of one side of the flows, indexed by what an endpoint covering another must share with it. */
class SideIndex {
  private readonly byMember = new Map<string, number[]>();
  private readonly byName = new Map<string, number[]>();
  private readonly byPeer = new Map<string, number[]>();
  private readonly cidrPeers: number[] = [];

  public constructor(endpoints: readonly EndpointView[]) {
    endpoints.forEach((endpoint, position) => {
      if (endpoint.kind === EndpointKind.PEER) {
        if (endpoint.unresolved || !endpoint.peer) return;
        add(this.byPeer, peerKey(endpoint), position);
        if (endpoint.peer.isCidr) this.cidrPeers.push(position);
        return;
      }
      add(this.byName, nameKey(endpoint), position);
      for (const member of new Set(endpoint.members)) add(this.byMember, member, position);
    });
  }

  /** The positions (ascending) of the endpoints that may cover `inner`. */
  public candidates(inner: EndpointView): readonly number[] {
    if (inner.kind === EndpointKind.PEER) {
      if (inner.unresolved || !inner.peer) return [];
      const same = this.byPeer.get(peerKey(inner)) ?? [];
      return inner.peer.isCidr ? union(same, this.cidrPeers) : same;
    }
    if (inner.members.length === 0) return this.byName.get(nameKey(inner)) ?? [];
    return this.byMember.get(inner.members[0]) ?? [];
  }
}

function add(index: Map<string, number[]>, key: string, position: number): void {
  const positions = index.get(key);
  if (positions) positions.push(position);
  else index.set(key, [position]);
}

function peerKey(endpoint: EndpointView): string {
  return `${endpoint.peer!.kind}|${endpoint.peer!.value}`;
}

function nameKey(endpoint: EndpointView): string {
  return `${endpoint.kind}|${endpoint.name}`;
}

/** Two ascending lists of positions merged into one, without repeats. */
function union(a: readonly number[], b: readonly number[]): number[] {
  const merged: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
    if (merged[merged.length - 1] !== next) merged.push(next);
  }
  return merged;
}
