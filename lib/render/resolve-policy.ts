import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { DenyFlow } from '../deny-flow';
import { IFlowEndpoint } from '../endpoint';
import { AllowFlow } from '../flow';
import { GuardrailAllow } from '../guardrail-allow';
import { oncePerDeclarationState } from './once-per-declarations';
import { managedPlatforms } from './platforms';
import { AddressAtom, NamedPeerAtom } from '../model/atom';
import { PlatformCapabilities } from '../model/capabilities';
import { familyOf } from '../model/cidr';
import { crossPlatformAddressProblems } from '../model/cross-platform-addresses';
import { ResolvedSide } from '../model/guardrail-semantics';
import { FlowTier, ResolvedFlow } from '../model/policy';
import { anywhereSide, PolicySide, peerSide, segmentSide, semanticSide, SideMember } from '../model/policy-side';
import { Peer, PeerKind } from '../peer';
import { pathOf } from '../private/path-of';
import { PolicyRegistry, stackOf } from '../registry';
import { addressAdvice } from './cross-platform-addresses';
import { Segment } from '../segment';
import { Workload } from '../workload';

/** A flow side of this app: workloads, segments and enforcements as constructs. */
export type Side = PolicySide<Workload, Segment, IConstruct>;

/** A flow of this app, resolved. */
export type Flow = ResolvedFlow<Workload, Segment, IConstruct, AllowFlow | DenyFlow>;

const POLICY = Symbol.for('cdktf-microseg.ResolvedPolicy');

/**
 * The resolved policy of one app: the registry's declarations turned into the model once
 * (`lib/model/policy.ts`). Every renderer reads its flows and sides here instead of resolving
 * endpoints itself. Each side is resolved once and kept while it holds: memberships only grow, so a
 * segment's side is made again only when it gained a member (or an enforcement was declared).
 */
export class ResolvedPolicy {
  /** The resolved policy of the app `registry` indexes. */
  public static of(registry: PolicyRegistry): ResolvedPolicy {
    const host = registry as any;
    if (!host[POLICY]) Object.defineProperty(host, POLICY, { value: new ResolvedPolicy(registry), enumerable: false });
    return host[POLICY];
  }

  private readonly platforms = managedPlatforms();
  private readonly segmentSides = new Map<Segment, { readonly size: number; readonly enforcements: number; readonly side: Side }>();
  private readonly peerSides = new WeakMap<Peer, Side>();
  private readonly flowCache = new WeakMap<AllowFlow | DenyFlow, Flow>();
  private readonly enforcements = new WeakMap<Workload, { readonly count: number; readonly enforcement: IConstruct | undefined }>();
  private readonly anywhere: Side = anywhereSide();
  private readonly semanticSides = new WeakMap<Side, ResolvedSide<Workload>>();
  private capabilityTable?: Record<string, PlatformCapabilities>;
  private named?: { readonly count: number; readonly endpoints: Set<IFlowEndpoint> };

  /** The managed platforms the app's workloads are bound to. */
  private readonly platformsInUse: () => ReadonlySet<string>;

  private constructor(private readonly registry: PolicyRegistry) {
    this.platformsInUse = oncePerDeclarationState(registry, () => new Set(registry.workloads
      .map((workload) => workload.platform)
      .filter((platform) => this.platforms.has(platform))));
  }

  /** The flow, resolved (an AllowFlow, a GuardrailAllow's flow, or a DenyFlow). */
  public flow(declaration: AllowFlow | DenyFlow): Flow {
    const deny = DenyFlow.isDenyFlow(declaration);
    const from = deny ? this.side(declaration.from) : this.side(declaration.from);
    const to = this.side(declaration.to);
    const cached = this.flowCache.get(declaration);
    if (cached && cached.from === from && cached.to === to) return cached;
    const flow: Flow = {
      declaration,
      identity: declaration.identity,
      tier: deny ? FlowTier.GUARDRAIL_DENY : GuardrailAllow.isGuardrailFlow(declaration) ? FlowTier.GUARDRAIL_ALLOW : FlowTier.APPLICATION_ALLOW,
      from,
      to,
      ports: cached?.ports ?? declaration.ports.map((p) => p._toSpec()),
      stackPath: pathOf(stackOf(declaration)),
      path: pathOf(declaration),
      invalid: declaration.problems().length > 0,
    };
    this.flowCache.set(declaration, flow);
    return flow;
  }

  /** Whether an AllowFlow (an application flow or a GuardrailAllow's) names the endpoint itself as one of its sides. */
  public isNamedByFlow(endpoint: IFlowEndpoint): boolean {
    if (!this.named || this.named.count !== this.registry.flows.length) {
      this.named = { count: this.registry.flows.length, endpoints: new Set(this.registry.flows.flatMap((f) => [f.from, f.to])) };
    }
    return this.named.endpoints.has(endpoint);
  }

  /** Every flow and guardrail deny of the app, resolved, in declaration order (flows first). */
  public flows(): Flow[] {
    return [...this.registry.flows, ...this.registry.denyFlows].map((f) => this.flow(f));
  }

  /** What an endpoint stands for now (undefined: anywhere). */
  public side(endpoint: IFlowEndpoint | undefined): Side {
    if (endpoint === undefined) return this.anywhere;
    if (endpoint instanceof Peer) return this.peerSideOf(endpoint);
    const segment = Segment.isSegment(endpoint) ? endpoint : Workload.isWorkload(endpoint) ? endpoint._asSegment() : undefined;
    if (!segment) return { anywhere: false, members: [], atoms: [] };
    return this.segmentSide(segment);
  }

  /** What an endpoint stands for as the guardrail semantics see it (undefined: anywhere). */
  public semanticSide(endpoint: IFlowEndpoint | undefined): ResolvedSide<Workload> {
    const side = this.side(endpoint);
    let semantic = this.semanticSides.get(side);
    if (!semantic) {
      semantic = semanticSide(side);
      this.semanticSides.set(side, semantic);
    }
    return semantic;
  }

  /** The side of a segment: its members by construct path, each with its enforcement. */
  public segmentSide(segment: Segment): Side {
    const size = this.registry.memberCount(segment);
    const enforcements = this.registry.enforcementStacks.length;
    const cached = this.segmentSides.get(segment);
    if (cached && cached.size === size && cached.enforcements === enforcements) return cached.side;
    const members: Array<SideMember<Workload, IConstruct>> = this.registry.membersOf(segment)
      .map((workload) => ({ workload, enforcement: this.enforcementOf(workload) }));
    const side: Side = segmentSide(segment, members);
    this.segmentSides.set(segment, { size, enforcements, side });
    return side;
  }

  /** The enforcement that renders a workload's rules: that of its platform in its stack, if any. */
  public enforcementOf(workload: Workload): IConstruct | undefined {
    const count = this.registry.enforcementStacks.length;
    const cached = this.enforcements.get(workload);
    if (cached && cached.count === count) return cached.enforcement;
    const enforcement = this.platforms.get(workload.platform)?.enforcementOf(workload);
    this.enforcements.set(workload, { count, enforcement });
    return enforcement;
  }

  /**
   * The cross-platform address problems of a flow or deny (see the model's
   * `crossPlatformAddressProblems`), without the `AllowFlow '<path>'` prefix.
   */
  public crossPlatformAddressProblems(declaration: AllowFlow | DenyFlow): string[] {
    // a problem needs members of two managed platforms: an app whose workloads use one has none
    if (this.platformsInUse().size < 2) return [];
    const flow = this.flow(declaration);
    return crossPlatformAddressProblems(flow.from, flow.to, flow.tier === FlowTier.GUARDRAIL_DENY, this.capabilities(), addressAdvice);
  }

  /** The capabilities of every managed platform, by platform name. */
  public capabilities(): Record<string, PlatformCapabilities> {
    if (!this.capabilityTable) {
      this.capabilityTable = {};
      for (const [platform, entry] of this.platforms) this.capabilityTable[platform] = entry.capabilities();
    }
    return this.capabilityTable;
  }

  private peerSideOf(peer: Peer): Side {
    let side = this.peerSides.get(peer);
    if (!side) {
      side = peerSide(peerAtom(peer));
      this.peerSides.set(peer, side);
    }
    return side;
  }
}

/** The atom a peer stands for: an address (literal or expression) or a named peer. */
function peerAtom(peer: Peer): AddressAtom | NamedPeerAtom {
  if (peer.kind === PeerKind.IPV4 || peer.kind === PeerKind.IPV6) {
    const expression = Token.isUnresolved(peer.value) || !familyOf(peer.value);
    return { kind: 'address', value: peer.value, expression, family: peer.kind === PeerKind.IPV4 ? 'ipv4' : 'ipv6', written: peer.expression, id: peer.uniqueId };
  }
  return { kind: 'named', peerKind: peer.kind, value: peer.value, written: peer.expression, id: peer.uniqueId, maxEntries: peer.maxEntries };
}
