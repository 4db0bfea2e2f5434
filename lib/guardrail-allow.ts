import { Construct } from 'constructs';
import { IFlowEndpoint } from './endpoint';
import { AllowFlow } from './flow';
import { resolveGuardrailSide, sideName } from './guardrail-endpoint';
import { Port } from './port';
import { checkPortList } from './private/flow-arguments';
import { UNRESOLVED_ENDPOINT } from './private/unresolved-endpoint';

/** Properties of a {@link GuardrailAllow}. */
export interface GuardrailAllowProps {
  /**
   * Where the traffic starts: a Segment, a Workload or a Peer.
   * @default - use `fromSelector` (one of the two is required)
   */
  readonly from?: IFlowEndpoint;

  /**
   * Where the traffic starts, as a label selector (for example `{ app: 'payments' }` for every
   * workload of the app); the guardrail creates a segment for it.
   * @default - use `from`
   */
  readonly fromSelector?: { [key: string]: string };

  /**
   * Where the traffic goes: a Segment, a Workload or a Peer (typically a shared-services segment).
   * @default - use `toSelector` (one of the two is required)
   */
  readonly to?: IFlowEndpoint;

  /**
   * Where the traffic goes, as a label selector; the guardrail creates a segment for it.
   * @default - use `to`
   */
  readonly toSelector?: { [key: string]: string };

  /** Protocols and ports allowed; at least one. */
  readonly ports: Port[];

  /**
   * Why the guardrail exists; written into the rules' descriptions.
   * @default - a description derived from the endpoints and ports
   */
  readonly description?: string;

  /**
   * A name that identifies the guardrail in the rules it renders, in place of its construct path.
   * Terraform addresses and replace-on-change names derive from it, so a guardrail renamed or moved
   * in the construct tree that keeps its `stableId` keeps its rules. Unique in the app.
   * @default - the construct path
   */
  readonly stableId?: string;
}

/**
 * A guardrail allow: a flow the platform team grants (DNS, NTP, monitoring, management access)
 * that takes precedence over everything else, {@link DenyFlow}s included. It is rendered on every
 * platform like an {@link AllowFlow} (it owns one, `flow`), but in the guardrail tier: the NSX
 * guardrail policy (before its DROP rules), the Azure guardrail priority band (before its Deny
 * rules). AWS security groups and network ACL allows have no order; there the flow is an
 * ordinary allow, and the DenyFlow conflict check treats traffic it grants as permitted.
 *
 * Like every flow, it grants the traffic at the ends it names as members (a segment, a workload, a
 * selector): a side that is a CIDR peer stands for the hosts behind it, so a managed workload whose
 * address lies in that CIDR is not granted at its own end, where its own flows and the DenyFlows on
 * it still decide (see `flowRenderedAt` in lib/model/guardrail-semantics.ts). Name the workload or its segment
 * to grant it.
 *
 * Its exception is never wider than its sides: where the platform at one end can name a workload of
 * the other side only by a range it shares with other hosts (its cluster's pod CIDRs, the subnets of
 * a resource without a fixed address) and a DenyFlow forbids those hosts too, synthesis fails (see
 * lib/model/guardrail-exception-width.ts).
 */
export class GuardrailAllow extends Construct {
  /** Whether `x` is a GuardrailAllow. */
  public static isGuardrailAllow(x: unknown): x is GuardrailAllow {
    return typeof x === 'object' && x !== null && (x as any)[GUARDRAIL_ALLOW_SYMBOL] === true;
  }

  /** Whether `flow` is the flow of a GuardrailAllow (guardrail tier) rather than an application flow. */
  public static isGuardrailFlow(flow: AllowFlow): boolean {
    return GuardrailAllow.isGuardrailAllow(flow.node.scope);
  }

  /** The flow rendered for the guardrail. */
  public readonly flow: AllowFlow;
  private readonly inputProblems: string[];

  /** Declares a guardrail allow. */
  public constructor(scope: Construct, id: string, props: GuardrailAllowProps) {
    super(scope, id);
    Object.defineProperty(this, GUARDRAIL_ALLOW_SYMBOL, { value: true });
    const from = resolveGuardrailSide(this, 'From', props.from, props.fromSelector, 'from');
    const to = resolveGuardrailSide(this, 'To', props.to, props.toSelector, 'to');
    this.inputProblems = [...from.problems, ...to.problems];
    if (!from.endpoint && from.problems.length === 0) this.inputProblems.push('has neither from nor fromSelector. Give the source, for example fromSelector: { app: "payments" }.');
    if (!to.endpoint && to.problems.length === 0) this.inputProblems.push('has neither to nor toSelector. Give the destination, for example to: sharedServices.');
    this.node.addValidation({ validate: () => this.inputProblems.map((p) => `GuardrailAllow '${this.node.path}' ${p}`) });
    checkPortList(() => `GuardrailAllow '${this.node.path}'`, props.ports);
    const ports = [...props.ports];
    this.flow = new AllowFlow(this, 'Flow', {
      // an unresolvable side is reported above; the placeholder keeps the flow constructible
      from: from.endpoint ?? UNRESOLVED_ENDPOINT,
      to: to.endpoint ?? UNRESOLVED_ENDPOINT,
      ports,
      ...(props.stableId !== undefined ? { stableId: `${props.stableId}/Flow` } : {}),
      description: (props.description ?? `guardrail: allow ${sideName(from.endpoint)} to ${sideName(to.endpoint)} ${ports.map((p) => p.toString()).join(' ')}`).slice(0, 250),
    });
  }
}

const GUARDRAIL_ALLOW_SYMBOL = Symbol.for('cdktf-microseg.GuardrailAllow');
