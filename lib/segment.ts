import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { AllowOptions } from './allow-options';
import { IFlowEndpoint } from './endpoint';
import { declareFlowChild } from './endpoint-flows';
import { AllowFlow } from './flow';
import { selectorMatches } from './model/selector';
import { Port } from './port';
import { claimIdentity } from './private/identity-clashes';
import { expressionText } from './private/terraform-text';
import { PolicyRegistry } from './registry';
import { warnOnce } from './render/app-wide-validation';
import { stableIdProblems, stableIdentity } from './stable-identity';
import { Workload } from './workload';

/** Properties of a {@link Segment}. */
export interface SegmentProps {
  /**
   * Workloads whose labels contain every key of the selector with the same value are members.
   * @default - no selector: only explicit members
   */
  readonly selector?: { [key: string]: string };

  /**
   * Explicit members.
   * @default - none
   */
  readonly members?: Workload[];

  /**
   * What the segment is for; written into the groups it renders (on AWS into the group's
   * `microseg:description` tag, which updates in place: the group's own description would replace it).
   * @default - the construct path
   */
  readonly description?: string;

  /**
   * A name that identifies the segment in the resources it renders, in place of its construct path.
   * Terraform addresses and replace-on-change names derive from it, so a segment renamed or moved in
   * the construct tree that keeps its `stableId` keeps its resources; without it a rename destroys
   * and recreates them. Unique in the app. Give the old construct path when you rename.
   * @default - the construct path
   */
  readonly stableId?: string;
}

/**
 * A set of workloads that share a policy: explicit members and/or every workload whose labels match
 * a selector. Flows are declared between segments, workloads and peers.
 */
export class Segment extends Construct implements IFlowEndpoint {
  /** Whether `x` is a Segment. */
  public static isSegment(x: unknown): x is Segment {
    return typeof x === 'object' && x !== null && (x as any)[SEGMENT_SYMBOL] === true;
  }

  /** The label selector (empty when the segment has only explicit members). */
  public readonly selector: { [key: string]: string };
  /** The description written into rendered groups. */
  public readonly description: string;
  /** Whether this segment stands for a single workload named directly in a flow. */
  public readonly implicit: boolean;
  /** The identity its rendered resources derive from: `stableId`, else the construct path. */
  public readonly identity: string;
  private readonly explicitMembers: Workload[];
  private readonly declarationProblems: string[];

  /** Declares a segment. */
  public constructor(scope: Construct, id: string, props: SegmentProps = {}) {
    super(scope, id);
    Object.defineProperty(this, SEGMENT_SYMBOL, { value: true });
    this.selector = { ...(props.selector ?? {}) };
    this.explicitMembers = [...(props.members ?? [])];
    this.implicit = Workload.isWorkload(scope) && id === 'Self';
    this.identity = this.implicit ? `${(scope as Workload).identity}/Self` : stableIdentity(this, props.stableId);
    const identityProblems = stableIdProblems(props.stableId, this);
    this.declarationProblems = [
      ...identityProblems,
      // a workload never carries an empty label value, so such a selector would select nothing (a DenyFlow would guard nothing)
      ...Object.entries(this.selector).filter(([, value]) => typeof value !== 'string' || value === '')
        .map(([key, value]) => `has a selector whose label "${key}" has the value ${JSON.stringify(value)}, which no workload carries (label values are non-empty strings). Give the value, or leave the label out of the selector.`),
      ...(Object.keys(this.selector).some((key) => key.trim() === '') ? ['has a selector with an empty label key, which no workload carries (label keys are non-empty). Name the label.'] : []),
    ];
    this.description = props.description ?? (this.implicit ? `microseg workload ${scope.node.path}` : `microseg segment ${this.node.path}`);
    this.node.addValidation({ validate: () => this.validateSegment() });
    const registry = PolicyRegistry.of(this);
    // an invalid stableId is reported as such; a workload's own segment claims its identity too
    if (identityProblems.length === 0) claimIdentity(registry, 'segment', this);
    registry.addSegment(this, this.explicitMembers);
    for (const member of this.explicitMembers) registry.join(member, this);
  }

  /** The segment's construct path, used in reports. */
  public get endpointName(): string {
    return this.node.path;
  }

  /** The members known so far (explicit and selected), sorted by construct path. */
  public get members(): Workload[] {
    return PolicyRegistry.of(this).membersOf(this);
  }

  /** Whether the segment takes `workload` as a member (explicitly or by its selector). */
  public selects(workload: Workload): boolean {
    return this.explicitMembers.includes(workload) || workload.explicitSegments.includes(this) || selectorMatches(this.selector, workload.labels);
  }

  /** Adds an explicit member. */
  public addMember(workload: Workload): void {
    if (!this.explicitMembers.includes(workload)) this.explicitMembers.push(workload);
    PolicyRegistry.of(this).join(workload, this);
  }

  /** Allows traffic from `source` to this segment's members on the given ports. */
  public allowFrom(source: IFlowEndpoint, ...ports: Port[]): AllowFlow {
    return declareFlowChild(this, 'From', source, this, ports);
  }

  /** Allows traffic from this segment's members to `destination` on the given ports. */
  public allowTo(destination: IFlowEndpoint, ...ports: Port[]): AllowFlow {
    return declareFlowChild(this, 'To', this, destination, ports);
  }

  /** Allows traffic between the members of this segment on the given ports. */
  public allowInternally(...ports: Port[]): AllowFlow {
    return declareFlowChild(this, 'Internal', this, this, ports);
  }

  /** Allows traffic from `source` to this segment's members, with a description (same flow as {@link allowFrom}). */
  public allowFromWith(source: IFlowEndpoint, options: AllowOptions): AllowFlow {
    return declareFlowChild(this, 'From', source, this, options.ports ?? [], options.description);
  }

  /** Allows traffic from this segment's members to `destination`, with a description (same flow as {@link allowTo}). */
  public allowToWith(destination: IFlowEndpoint, options: AllowOptions): AllowFlow {
    return declareFlowChild(this, 'To', this, destination, options.ports ?? [], options.description);
  }

  /** Allows traffic between the members of this segment, with a description (same flow as {@link allowInternally}). */
  public allowInternallyWith(options: AllowOptions): AllowFlow {
    return declareFlowChild(this, 'Internal', this, this, options.ports ?? [], options.description);
  }

  private validateSegment(): string[] {
    if (this.declarationProblems.length > 0) return this.declarationProblems.map((p) => `Segment '${this.node.path}' ${p}`);
    if (this.implicit || Object.keys(this.selector).length === 0 || this.members.length > 0) return [];
    const selector = Object.entries(this.selector).map(([k, v]) => `${k}=${Token.isUnresolved(v) ? expressionText(this, v) ?? v : v}`).join(',');
    // labels are matched at synth: an expression matches only the same read of it (the same token)
    const expressions = Object.values(this.selector).some((v) => Token.isUnresolved(v))
      ? ' Its selector holds a Terraform expression, whose value is unknown at synth: it matches a label only if that label is the very same read of the expression. Give literal label values.'
      : '';
    warnOnce(this, `[microseg:empty-selector] Segment '${this.node.path}': selector {${selector}} matches no workload. Check the labels, or remove the segment.${expressions}`);
    return [];
  }
}

export { endpointKey } from './endpoint-flows';

const SEGMENT_SYMBOL = Symbol.for('cdktf-microseg.Segment');
