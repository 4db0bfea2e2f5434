import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { IFlowEndpoint } from '../endpoint';
import { AllowFlow } from '../flow';
import { Peer } from '../peer';
import { Platform } from '../platform';
import { Port } from '../port';
import { PolicyRegistry } from '../registry';
import { Segment } from '../segment';
import { Workload } from '../workload';

/** What a flow endpoint is. */
export enum EndpointKind {
  /** A {@link Segment}. */
  SEGMENT = 'segment',
  /** A {@link Workload} named directly. */
  WORKLOAD = 'workload',
  /** A {@link Peer} outside the model. */
  PEER = 'peer',
}

/** A flow endpoint as the checks see it. */
export interface EndpointView {
  /** What the endpoint is. */
  readonly kind: EndpointKind;
  /** The construct path of a segment or workload, or the peer as written (`Peer.anyIpv4()`). */
  readonly name: string;
  /**
   * The segment.
   * @default - the endpoint is not a segment
   */
  readonly segment?: Segment;
  /**
   * The workload.
   * @default - the endpoint is not a workload
   */
  readonly workload?: Workload;
  /**
   * The peer.
   * @default - the endpoint is not a peer
   */
  readonly peer?: Peer;
  /** Construct paths of the workloads the endpoint stands for (a workload stands for itself; empty for a peer). */
  readonly members: string[];
  /** Addresses of the endpoint: the CIDR of a CIDR peer, or the address CIDRs of the members (may hold Terraform expressions). */
  readonly addressCidrs: string[];
  /** Whether the endpoint is a peer whose value is an unresolved token, so it cannot be checked by value. */
  readonly unresolved: boolean;
}

/** A segment as the checks see it. */
export interface SegmentView {
  /** The construct path. */
  readonly path: string;
  /** The segment. */
  readonly segment: Segment;
  /** The label selector (empty when the segment has only explicit members). */
  readonly selector: { [key: string]: string };
  /** Whether the segment is the hidden one-member segment of a workload named directly in a flow. */
  readonly implicit: boolean;
  /** Construct paths of the members (explicit and selected), sorted. */
  readonly members: string[];
  /** Whether a guardrail (`DenyFlow`, `GuardrailAllow`) created the segment for a selector. */
  readonly guardrail: boolean;
}

/** A workload as the checks see it. */
export interface WorkloadView {
  /** The construct path. */
  readonly path: string;
  /** The workload. */
  readonly workload: Workload;
  /** The labels. */
  readonly labels: { [key: string]: string };
  /** The platform of the binding. */
  readonly platform: Platform;
  /** Construct paths of the (non-implicit) segments the workload belongs to, sorted. */
  readonly segments: string[];
  /** The addresses as host CIDRs (may hold Terraform expressions). */
  readonly addressCidrs: string[];
}

/** A flow as the checks see it. */
export interface FlowView {
  /** The construct path. */
  readonly path: string;
  /** The flow. */
  readonly flow: AllowFlow;
  /** Where the traffic starts. */
  readonly from: EndpointView;
  /** Where the traffic goes. */
  readonly to: EndpointView;
  /** Allowed protocols and ports. */
  readonly ports: Port[];
  /** Why the flow exists. */
  readonly description: string;
  /** Problems of the flow's own input (reported by its validation); empty when valid. */
  readonly problems: string[];
  /** Whether the flow belongs to a guardrail allow (`GuardrailAllow`) rather than to the application. */
  readonly guardrail: boolean;
}

/** A guardrail deny (`DenyFlow`) as the checks see it. */
export interface DenyFlowView {
  /** The construct path. */
  readonly path: string;
  /** The guardrail construct. */
  readonly construct: IConstruct;
  /**
   * Where the denied traffic starts.
   * @default - anywhere
   */
  readonly from?: EndpointView;
  /**
   * Where the denied traffic goes.
   * @default - anywhere
   */
  readonly to?: EndpointView;
  /** Denied protocols and ports. */
  readonly ports: Port[];
}

/**
 * A read-only snapshot of the intent of an app (segments with their resolved members, workloads,
 * flows with their endpoints and ports), built from the app's {@link PolicyRegistry}. Rules read it;
 * nothing in it changes the app.
 */
export class PolicyView {
  /** The view of the app that `scope` belongs to. */
  public static of(scope: IConstruct): PolicyView {
    return new PolicyView(PolicyRegistry.of(scope));
  }

  /** Every segment (implicit ones included, flagged), in declaration order. */
  public readonly segments: SegmentView[];
  /** Every workload, in declaration order. */
  public readonly workloads: WorkloadView[];
  /** Every flow, in declaration order (the flows of guardrail allows included, flagged). */
  public readonly flows: FlowView[];
  /** Every guardrail deny (`DenyFlow`), in declaration order. */
  public readonly denyFlows: DenyFlowView[];

  private constructor(registry: PolicyRegistry) {
    this.segments = registry.segments.map((segment) => Object.freeze({
      path: segment.node.path,
      segment,
      selector: Object.freeze({ ...segment.selector }),
      implicit: segment.implicit,
      members: Object.freeze(registry.membersOf(segment).map((w) => w.node.path)) as string[],
      guardrail: isGuardrail(segment.node.scope),
    }));
    this.workloads = registry.workloads.map((workload) => Object.freeze({
      path: workload.node.path,
      workload,
      labels: Object.freeze({ ...workload.labels }),
      platform: workload.platform,
      segments: Object.freeze(registry.segmentsOf(workload).filter((s) => !s.implicit).map((s) => s.node.path)) as string[],
      addressCidrs: Object.freeze([...workload.addressCidrs]) as string[],
    }));
    this.flows = registry.flows.map((flow) => Object.freeze({
      path: flow.node.path,
      flow,
      from: endpointView(registry, flow.from),
      to: endpointView(registry, flow.to),
      ports: Object.freeze([...flow.ports]) as Port[],
      description: flow.description,
      problems: Object.freeze(flow.problems()) as string[],
      guardrail: isGuardrailFlow(flow),
    }));
    // read loosely so the checks do not depend on the guardrail module
    const denies: any[] = (registry as any).denyFlows ?? [];
    this.denyFlows = denies.map((deny) => Object.freeze({
      path: deny.node.path,
      construct: deny,
      from: deny.from === undefined ? undefined : endpointView(registry, deny.from),
      to: deny.to === undefined ? undefined : endpointView(registry, deny.to),
      ports: Object.freeze([...(deny.ports ?? [])]) as Port[],
    }));
    Object.freeze(this.segments);
    Object.freeze(this.workloads);
    Object.freeze(this.flows);
    Object.freeze(this.denyFlows);
  }
}

function endpointView(registry: PolicyRegistry, endpoint: IFlowEndpoint): EndpointView {
  if (Segment.isSegment(endpoint)) {
    const members = registry.membersOf(endpoint);
    return Object.freeze({
      kind: EndpointKind.SEGMENT,
      name: endpoint.node.path,
      segment: endpoint,
      members: members.map((w) => w.node.path),
      addressCidrs: members.flatMap((w) => w.addressCidrs),
      unresolved: false,
    });
  }
  if (Workload.isWorkload(endpoint)) {
    return Object.freeze({
      kind: EndpointKind.WORKLOAD,
      name: endpoint.node.path,
      workload: endpoint,
      members: [endpoint.node.path],
      addressCidrs: [...endpoint.addressCidrs],
      unresolved: false,
    });
  }
  if (endpoint instanceof Peer) {
    return Object.freeze({
      kind: EndpointKind.PEER,
      name: endpoint.expression,
      peer: endpoint,
      members: [],
      addressCidrs: endpoint.isCidr ? [endpoint.value] : [],
      unresolved: Token.isUnresolved(endpoint.value),
    });
  }
  // not a valid endpoint: the flow's own validation reports it
  return Object.freeze({ kind: EndpointKind.PEER, name: String(endpoint?.endpointName), members: [], addressCidrs: [], unresolved: false });
}

function isGuardrailFlow(flow: AllowFlow): boolean {
  return isGuardrail(flow.node.scope, ['GuardrailAllow']);
}

/** Whether a construct is a guardrail, recognized by the symbols of lib/deny-flow.ts and lib/guardrail-allow.ts. */
function isGuardrail(scope: IConstruct | undefined, kinds = ['DenyFlow', 'GuardrailAllow']): boolean {
  return scope !== undefined && kinds.some((kind) => (scope as any)[Symbol.for(`cdktf-microseg.${kind}`)] === true);
}
