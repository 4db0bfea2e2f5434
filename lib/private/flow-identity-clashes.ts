import { Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import type { IFlowEndpoint } from '../endpoint';
import { Peer } from '../peer';
import type { Port } from '../port';
import { compare, PolicyRegistry } from '../registry';
import { appendTo } from './multimap';
import { byPath } from './path-of';
import { oncePerDeclarationState } from '../render/once-per-declarations';

/** An AllowFlow or a DenyFlow as the identity check sees it. */
export interface IdentifiedFlow extends IConstruct {
  /** Its identity: its `stableId`, else its construct path. */
  readonly identity: string;
  /** Where its traffic starts; undefined (a DenyFlow's) means anywhere. */
  readonly from?: IFlowEndpoint;
  /** Where its traffic goes; undefined (a DenyFlow's) means anywhere. */
  readonly to?: IFlowEndpoint;
  /** Its ports. */
  readonly ports: readonly Port[];
}

const CLASHES = new WeakMap<PolicyRegistry, () => ReadonlyMap<IConstruct, string>>();

/**
 * Why `flow` cannot have its identity: one problem, or none when it can (or when its `stableId` is
 * invalid, `stableIdValid` false: that is reported as such, not as a clash). Several declarations may share one
 * identity, in one stack or several (the same flow declared where each team needs it), but only when
 * they mean the same: the same kind, ends and ports. Otherwise rules named after the identity would
 * serve two flows, and which one a rule follows would depend on the platform and on declaration
 * order. Each declaration that differs from the first one by construct path is refused, naming it.
 * Worked out once per declaration state of the app.
 */
export function flowIdentityClash(flow: IConstruct, stableIdValid: boolean): string[] {
  if (!stableIdValid) return [];
  const registry = PolicyRegistry.of(flow);
  let clashes = CLASHES.get(registry);
  if (!clashes) {
    clashes = oncePerDeclarationState(registry, () => findClashes([...registry.flows, ...registry.denyFlows]));
    CLASHES.set(registry, clashes);
  }
  const clash = clashes().get(flow);
  return clash === undefined ? [] : [clash];
}

function findClashes(flows: readonly IdentifiedFlow[]): ReadonlyMap<IConstruct, string> {
  const byIdentity = new Map<string, IdentifiedFlow[]>();
  for (const flow of flows) appendTo(byIdentity, flow.identity, flow);
  const found = new Map<IConstruct, string>();
  for (const [identity, declarations] of byIdentity) {
    if (declarations.length < 2) continue;
    const [first, ...others] = [...declarations].sort(byPath);
    const meaning = flowMeaning(first);
    for (const other of others) {
      const otherMeaning = flowMeaning(other);
      // a peer known only at apply cannot be compared: every read of an attribute is a new token
      if (meaning === undefined || otherMeaning === undefined || otherMeaning === meaning) continue;
      found.set(other, `has the identity "${identity}" of ${kindOf(first)} '${first.node.path}' but means something else (${otherMeaning} instead of ${meaning}). One identity is one flow: give this one its own stableId, or declare the same ends and ports.`);
    }
  }
  return found;
}

/**
 * What a flow means, in words: its kind, its ends by identity (peers by value) and its sorted ports;
 * undefined when a peer's value is a Terraform expression, which cannot be compared at synth.
 */
export function flowMeaning(flow: IdentifiedFlow): string | undefined {
  if ([flow.from, flow.to].some((end) => end instanceof Peer && Token.isUnresolved(end.value))) return undefined;
  const ports = flow.ports.map((p) => p.toString()).sort(compare).join(' ');
  return `${kindOf(flow) === 'DenyFlow' ? 'deny' : 'allow'} ${endMeaning(flow.from)} to ${endMeaning(flow.to)} ${ports}`;
}

function endMeaning(endpoint: IFlowEndpoint | undefined): string {
  if (endpoint === undefined) return 'anywhere';
  if (endpoint instanceof Peer) return endpoint.expression;
  const identity = (endpoint as { identity?: unknown }).identity;
  if (typeof identity === 'string' && identity !== '') return identity;
  return Construct.isConstruct(endpoint) ? endpoint.node.path : String(endpoint);
}

// DenyFlow.isDenyFlow's mark, read here because deny-flow.ts imports this module
const DENY_MARK = Symbol.for('cdktf-microseg.DenyFlow');

function kindOf(flow: IConstruct): 'AllowFlow' | 'DenyFlow' {
  return (flow as any)[DENY_MARK] === true ? 'DenyFlow' : 'AllowFlow';
}
