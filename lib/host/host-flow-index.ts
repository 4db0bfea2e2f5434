import { DenyFlow } from '../deny-flow';
import { AllowFlow } from '../flow';
import { GuardrailAllow } from '../guardrail-allow';
import * as semantics from '../model/guardrail-semantics';
import { PortSpec, mergePortSpecs } from '../model/ports';
import { appendTo } from '../private/multimap';
import { PolicyRegistry } from '../registry';
import { ResolvedSide, openSideDenies } from '../render/guardrail-sides';
import { oncePerDeclarationState } from '../render/once-per-declarations';
import { ResolvedPolicy } from '../render/resolve-policy';
import { Workload } from '../workload';

/** An AllowFlow (or a GuardrailAllow's flow) as seen from one member of one of its sides. */
export interface HostAllowEntry {
  /** The flow. */
  readonly flow: AllowFlow;
  /** `out` where the workload is a member of the source side, `in` where of the destination side. */
  readonly direction: 'in' | 'out';
  /** The flow's other side. */
  readonly other: ResolvedSide;
  /** The flow's traffic, merged and sorted (one array per flow, shared by its entries). */
  readonly ports: readonly PortSpec[];
  /** Whether the flow is a GuardrailAllow's. */
  readonly guardrail: boolean;
}

/** A DenyFlow, resolved once for every host that enforces it. */
export interface HostDenyEntry {
  /** The DenyFlow. */
  readonly deny: DenyFlow;
  /** Its source side. */
  readonly from: ResolvedSide;
  /** Its destination side. */
  readonly to: ResolvedSide;
  /** Its traffic, merged and sorted. */
  readonly ports: readonly PortSpec[];
  /** Its rules at managed ends that lie in an open side (see `openSideDenies`). */
  readonly openSides: readonly semantics.OpenSideDeny[];
}

/** The flows of an app that host firewall rules derive from, resolved once. */
export interface HostFlowIndex {
  /** Every valid DenyFlow, in declaration order. */
  readonly denies: readonly HostDenyEntry[];
  /** The AllowFlows whose side `workload` is a member of: in declaration order, `out` before `in` for one flow. */
  allowsOf(workload: Workload): readonly HostAllowEntry[];
}

const INDEXES = new WeakMap<PolicyRegistry, () => HostFlowIndex>();
const NONE: readonly HostAllowEntry[] = [];

/**
 * The host flow index of the app, built again only when something was declared since. Each
 * workload's host rules read its own flows from it: reading every flow of the app for each host
 * (three times: its validation, its rule set file and its provenance) cost hosts times flows.
 */
export function hostFlowIndex(registry: PolicyRegistry): HostFlowIndex {
  let index = INDEXES.get(registry);
  if (!index) {
    index = oncePerDeclarationState(registry, () => buildIndex(registry));
    INDEXES.set(registry, index);
  }
  return index();
}

function buildIndex(registry: PolicyRegistry): HostFlowIndex {
  const policy = ResolvedPolicy.of(registry);
  const allows = new Map<Workload, HostAllowEntry[]>();
  for (const flow of registry.flows) {
    if (flow.problems().length > 0) continue;
    const from = policy.semanticSide(flow.from);
    const to = policy.semanticSide(flow.to);
    const ports = mergePortSpecs(flow.ports.map((port) => port._toSpec()));
    const guardrail = GuardrailAllow.isGuardrailFlow(flow);
    for (const [direction, own, other] of [['out', from, to], ['in', to, from]] as const) {
      for (const member of semantics.membersOfSide(own)) appendTo(allows, member, { flow, direction, other, ports, guardrail });
    }
  }
  const denies: HostDenyEntry[] = [];
  for (const deny of registry.denyFlows) {
    if (deny.problems().length > 0) continue;
    denies.push({
      deny,
      from: policy.semanticSide(deny.from),
      to: policy.semanticSide(deny.to),
      ports: mergePortSpecs(deny.ports.map((port) => port._toSpec())),
      openSides: openSideDenies(registry, deny),
    });
  }
  return { allowsOf: (workload) => allows.get(workload) ?? NONE, denies };
}
