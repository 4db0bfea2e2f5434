import { Construct } from 'constructs';
import { IFlowEndpoint } from './endpoint';
import { Peer } from './peer';
import { Port } from './port';
import { checkEndpoint, checkPortList } from './private/flow-arguments';
import { flowIdentityClash } from './private/flow-identity-clashes';
import { indexFlowChild } from './private/flows-by-identity';
import { UNRESOLVED_ENDPOINT } from './private/unresolved-endpoint';
import { PolicyRegistry } from './registry';
import { Segment } from './segment';
import { stableIdProblems, stableIdentity } from './stable-identity';
import { Workload } from './workload';

/** Properties of an {@link AllowFlow}. */
export interface AllowFlowProps {
  /** Where the traffic starts: a Segment, a Workload or a Peer. */
  readonly from: IFlowEndpoint;
  /** Where the traffic goes: a Segment, a Workload or a Peer. */
  readonly to: IFlowEndpoint;
  /** Protocols and ports allowed; at least one. */
  readonly ports: Port[];
  /**
   * Why the flow exists; written into the descriptions of the rules it renders: the NSX rule's
   * display name, the AWS security group rule's description (rewritten into the characters AWS
   * accepts, at most 255) and the Azure NSG rule's description (at most 140 bytes). A rule that
   * serves several flows carries their descriptions, sorted and joined by `; `. Descriptions update
   * in place: editing one never replaces a rule.
   * @default - a description derived from the endpoints and ports
   */
  readonly description?: string;

  /**
   * A name that identifies the flow in the resources it renders, in place of its construct path.
   * Terraform addresses and replace-on-change names derive from it, so a flow renamed or moved in
   * the construct tree that keeps its `stableId` keeps its resources; without it a rename destroys
   * and recreates them. Unique in the app. Give the old construct path when you rename.
   * @default - the construct path
   */
  readonly stableId?: string;
}

/**
 * Allows traffic from one endpoint to another on some ports. Everything not allowed by a flow is
 * denied. Stateful platforms get the egress rule on the source side and the ingress rule on the
 * destination side; stateless ones also get the return path.
 */
export class AllowFlow extends Construct {
  /** Whether `x` is an AllowFlow. */
  public static isAllowFlow(x: unknown): x is AllowFlow {
    return typeof x === 'object' && x !== null && (x as any)[FLOW_SYMBOL] === true;
  }

  /** Where the traffic starts. */
  public readonly from: IFlowEndpoint;
  /** Where the traffic goes. */
  public readonly to: IFlowEndpoint;
  /** Allowed protocols and ports. */
  public readonly ports: Port[];
  /** Why the flow exists. */
  public readonly description: string;
  /** The identity its rendered rules derive from: `stableId`, else the construct path. */
  public readonly identity: string;
  private readonly stableIdProblems: string[];
  private inputProblems?: string[];

  /** Declares a flow. */
  public constructor(scope: Construct, id: string, props: AllowFlowProps) {
    super(scope, id);
    Object.defineProperty(this, FLOW_SYMBOL, { value: true });
    const where = () => `AllowFlow '${this.node.path}'`;
    checkEndpoint(where, 'from', 'source', props.from);
    checkEndpoint(where, 'to', 'destination', props.to);
    checkPortList(where, props.ports);
    this.from = props.from;
    this.to = props.to;
    this.ports = [...props.ports];
    this.identity = stableIdentity(this, props.stableId);
    this.stableIdProblems = stableIdProblems(props.stableId, this);
    this.description = props.description ?? `${shortName(props.from)} to ${shortName(props.to)} ${this.ports.map((p) => p.toString()).join(' ')}`.slice(0, 250);
    this.node.addValidation({ validate: () => this.validateFlow() });
    indexFlowChild(scope, this);
    PolicyRegistry.of(this).addFlow(this);
  }

  /** The source as a segment (a workload named directly stands for its one-member segment). */
  public get fromSegment(): Segment | undefined {
    return asSegment(this.from);
  }

  /** The destination as a segment (a workload named directly stands for its one-member segment). */
  public get toSegment(): Segment | undefined {
    return asSegment(this.to);
  }

  /** Problems of the flow's own input; empty when valid. */
  public problems(): string[] {
    // the input is immutable and renderers ask on every event that touches the flow
    this.inputProblems ??= this.checkInput();
    return [...this.inputProblems];
  }

  private checkInput(): string[] {
    const problems: string[] = [...this.stableIdProblems];
    if (this.ports.length === 0) {
      problems.push('has no ports. Pass at least one Port, for example Port.HTTPS, or Port.allTraffic() to allow everything.');
    }
    for (const port of this.ports) problems.push(...port.validate());
    for (const endpoint of [this.from, this.to]) {
      if (endpoint instanceof Peer) problems.push(...endpoint.validate());
    }
    if (this.from instanceof Peer && this.to instanceof Peer) {
      if (this.from.uniqueId === this.to.uniqueId) {
        problems.push(`goes from ${this.from.expression} to itself. A flow needs two different endpoints.`);
      } else {
        problems.push(`goes between two peers (${this.from.expression} and ${this.to.expression}). One side must be a Segment or a Workload.`);
      }
    }
    if (Workload.isWorkload(this.from) && this.from === this.to && !this.from.binding?.severalHosts) {
      problems.push(`goes from workload '${this.from.node.path}' to itself. Traffic inside one host is not filtered; remove the flow.`);
    }
    if (!isEndpoint(this.from) || !isEndpoint(this.to)) {
      problems.push('has an endpoint that is not a Segment, a Workload or a Peer.');
    }
    return problems;
  }

  private validateFlow(): string[] {
    // A construct that owns this flow and could not resolve a side reports that itself.
    if ([this.from, this.to].includes(UNRESOLVED_ENDPOINT)) return [];
    const problems = [...this.problems(), ...flowIdentityClash(this, this.stableIdProblems.length === 0)];
    return problems.map((p) => `AllowFlow '${this.node.path}' ${p}`);
  }
}

function asSegment(endpoint: IFlowEndpoint): Segment | undefined {
  if (Segment.isSegment(endpoint)) return endpoint;
  if (Workload.isWorkload(endpoint)) return endpoint._asSegment();
  return undefined;
}

function isEndpoint(endpoint: IFlowEndpoint): boolean {
  return Segment.isSegment(endpoint) || Workload.isWorkload(endpoint) || endpoint instanceof Peer;
}

function shortName(endpoint: IFlowEndpoint): string {
  if (Segment.isSegment(endpoint) || Workload.isWorkload(endpoint)) return endpoint.node.id;
  return endpoint.endpointName;
}

const FLOW_SYMBOL = Symbol.for('cdktf-microseg.AllowFlow');
