import { Construct } from 'constructs';
import { IFlowEndpoint } from './endpoint';
import { resolveGuardrailSide, segmentOfEndpoint, sideName } from './guardrail-endpoint';
import { Peer } from './peer';
import { Port } from './port';
import { checkPortList } from './private/flow-arguments';
import { flowIdentityClash } from './private/flow-identity-clashes';
import { PolicyRegistry } from './registry';
import { Segment } from './segment';
import { stableIdProblems, stableIdentity } from './stable-identity';
import { Workload } from './workload';

/** Properties of a {@link DenyFlow}. */
export interface DenyFlowProps {
  /**
   * Where the denied traffic starts: a Segment, a Workload or a Peer.
   * @default - anywhere, unless `fromSelector` is given
   */
  readonly from?: IFlowEndpoint;

  /**
   * Where the denied traffic starts, as a label selector (every workload whose labels contain all
   * its keys with the same values); the guardrail creates a segment for it.
   * @default - use `from`
   */
  readonly fromSelector?: { [key: string]: string };

  /**
   * Where the denied traffic goes: a Segment, a Workload or a Peer.
   * @default - anywhere, unless `toSelector` is given
   */
  readonly to?: IFlowEndpoint;

  /**
   * Where the denied traffic goes, as a label selector; the guardrail creates a segment for it.
   * @default - use `to`
   */
  readonly toSelector?: { [key: string]: string };

  /**
   * Protocols and ports denied.
   * @default - all traffic
   */
  readonly ports?: Port[];

  /**
   * Why the guardrail exists; written into the rules' descriptions.
   * @default - a description derived from the endpoints and ports
   */
  readonly description?: string;

  /**
   * A name that identifies the guardrail in the resources it renders, in place of its construct path.
   * Terraform addresses and replace-on-change names derive from it, so a guardrail renamed or moved in
   * the construct tree that keeps its `stableId` keeps its resources; without it a rename destroys
   * and recreates them. Unique in the app. Give the old construct path when you rename.
   * @default - the construct path
   */
  readonly stableId?: string;
}

/**
 * A guardrail: traffic that no application flow may allow. It sits in the guardrail tier, above
 * application flows (`AllowFlow`) and the baseline default deny, like the NSX Emergency category,
 * a Calico tier or an Illumio override deny. Platforms that can deny render it as deny rules
 * evaluated before every application allow (NSX: DROP rules in a guardrail policy; Azure NSG: Deny
 * rules in the guardrail priority band; AWS network ACLs: deny entries 1-99). AWS security groups
 * cannot deny: flows whose security-group rules would let through traffic a DenyFlow forbids at an
 * AWS workload fail synthesis, unless the other end drops it itself (a platform with deny rules that
 * enforces the DenyFlow there, or a host firewall). Only a {@link GuardrailAllow} takes precedence over a DenyFlow.
 *
 * It is enforced at the ends that are members of its sides and, where one side is a host known
 * only by its addresses (which enforces nothing itself), at every managed workload lying in the
 * other side (anywhere, or a CIDR): the same on every platform (see `denyEnforcedAt` in
 * lib/model/guardrail-semantics.ts).
 */
export class DenyFlow extends Construct {
  /** Whether `x` is a DenyFlow. */
  public static isDenyFlow(x: unknown): x is DenyFlow {
    return typeof x === 'object' && x !== null && (x as any)[DENY_SYMBOL] === true;
  }

  /** Where the denied traffic starts; undefined means anywhere. */
  public readonly from?: IFlowEndpoint;
  /** Where the denied traffic goes; undefined means anywhere. */
  public readonly to?: IFlowEndpoint;
  /** Denied protocols and ports. */
  public readonly ports: Port[];
  /** Why the guardrail exists. */
  public readonly description: string;
  /** The identity its rendered rules derive from: `stableId`, else the construct path. */
  public readonly identity: string;
  private readonly inputProblems: string[];

  /** Declares a guardrail deny. */
  public constructor(scope: Construct, id: string, props: DenyFlowProps = {}) {
    super(scope, id);
    Object.defineProperty(this, DENY_SYMBOL, { value: true });
    const from = resolveGuardrailSide(this, 'From', props.from, props.fromSelector, 'from');
    const to = resolveGuardrailSide(this, 'To', props.to, props.toSelector, 'to');
    this.from = from.endpoint;
    this.to = to.endpoint;
    // null is what languages other than TypeScript pass for an omitted prop: all traffic, as omitted
    if (props.ports !== undefined && props.ports !== null) checkPortList(() => `DenyFlow '${this.node.path}'`, props.ports);
    this.ports = [...(props.ports ?? [Port.allTraffic()])];
    const idProblems = stableIdProblems(props.stableId, this);
    this.inputProblems = [...from.problems, ...to.problems, ...idProblems];
    this.identity = stableIdentity(this, props.stableId);
    this.description = (props.description ?? `guardrail: deny ${sideName(this.from)} to ${sideName(this.to)} ${this.ports.map((p) => p.toString()).join(' ')}`).slice(0, 250);
    this.node.addValidation({
      validate: () => [...this.problems(), ...flowIdentityClash(this, idProblems.length === 0)].map((p) => `DenyFlow '${this.node.path}' ${p}`),
    });
    PolicyRegistry.of(this).addDenyFlow(this);
  }

  /** Whether the denied traffic may start anywhere. */
  public get fromAnywhere(): boolean {
    return this.from === undefined;
  }

  /** Whether the denied traffic may go anywhere. */
  public get toAnywhere(): boolean {
    return this.to === undefined;
  }

  /** The source as a segment (a workload named directly stands for its one-member segment). */
  public get fromSegment(): Segment | undefined {
    return segmentOfEndpoint(this.from);
  }

  /** The destination as a segment (a workload named directly stands for its one-member segment). */
  public get toSegment(): Segment | undefined {
    return segmentOfEndpoint(this.to);
  }

  /** Problems of the guardrail's own input; empty when valid. */
  public problems(): string[] {
    const problems = [...this.inputProblems];
    if (this.ports.length === 0) {
      problems.push('has an empty ports list. Omit ports to deny all traffic, or pass at least one Port, for example Port.SSH.');
    }
    for (const port of this.ports) problems.push(...port.validate());
    if (this.inputProblems.length === 0) {
      const managed = (e: IFlowEndpoint | undefined) => e !== undefined && !(e instanceof Peer);
      if (!managed(this.from) && !managed(this.to)) {
        problems.push(`goes from ${sideName(this.from)} to ${sideName(this.to)}: one side must be a Segment, a Workload or a selector, or the guardrail would cover hosts outside the policy. Add to: segment or toSelector: { env: "prod" }.`);
      }
      if (Workload.isWorkload(this.from) && this.from === this.to && !this.from.binding?.severalHosts) {
        problems.push(`goes from workload '${this.from.node.path}' to itself. Traffic inside one host is not filtered; remove the guardrail.`);
      }
    }
    return problems;
  }
}

const DENY_SYMBOL = Symbol.for('cdktf-microseg.DenyFlow');
