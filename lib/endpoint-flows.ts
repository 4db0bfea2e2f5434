import { TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { IFlowEndpoint } from './endpoint';
import { AllowFlow } from './flow';
import { portKey } from './model/ports';
import { Peer } from './peer';
import { Port } from './port';
import { checkEndpoint, checkPortList } from './private/flow-arguments';
import { hasFlowChild } from './private/flows-by-identity';
import { digest, pathKey } from './private/identity';
import { constructPath } from './private/one-byte-strings';
import { terraformText } from './private/terraform-text';
import { Allocations } from './render/allocations';
import { derivedStableId } from './stable-identity';

/** Which helper declares a flow: `allowFrom`, `allowTo` or `allowInternally`. */
export type FlowVerb = 'From' | 'To' | 'Internal';

/** A segment or workload that declares flows as its children. */
export interface FlowOwner extends Construct {
  /** The owner's identity (its `stableId`, else its construct path). */
  readonly identity: string;
}

/**
 * Declares (or returns, when the same flow was already declared) the flow a helper of `owner`
 * creates. The construct id names the other end and the ports; the flow's identity leaves the
 * ports out (`<owner identity>/AllowFrom-<other end's identity>`), so editing its ports updates its
 * rules in place, and renaming either end that keeps its `stableId` keeps them. A second flow
 * between the same ends keeps the ports in its identity.
 */
export function declareFlowChild(
  owner: FlowOwner, verb: FlowVerb, from: IFlowEndpoint, to: IFlowEndpoint, ports: Port[], description?: string,
): AllowFlow {
  const other = verb === 'From' ? from : to;
  checkHelperArguments(owner, verb, other, ports);
  const portPart = ports.map((p) => portKey(p._toSpec()).replace(/\//g, '-')).sort().join('_') || 'none';
  const otherPart = verb === 'Internal' ? '' : `-${helperKey(owner, other, endpointKey(other))}`;
  const id = `Allow${verb}${otherPart}-${portPart}`;
  const existing = owner.node.tryFindChild(id);
  if (existing) return existing as AllowFlow;
  const base = `${owner.identity}/Allow${verb}${verb === 'Internal' ? '' : `-${helperKey(owner, other, identityKey(other))}`}`;
  const identity = helperIdentity(owner, base, portPart);
  return new AllowFlow(owner, id, { from, to, ports, description, stableId: derivedStableId(identity) });
}

/**
 * The identity of a helper's flow: `base` (the ends without the ports, so that editing its ports
 * keeps it) unless another flow between the same ends has it, then `base-<ports>`. Which of two
 * flows between the same ends holds `base` would follow declaration order, so removing the first,
 * or declaring the two the other way round, would rename the second (on platforms that name rules
 * after flows, replacing them). So the allocation file remembers each flow's choice, and a flow
 * keeps it: one that had its ports in its identity keeps them even once `base` is free.
 */
function helperIdentity(owner: FlowOwner, base: string, portPart: string): string {
  const allocations = Allocations.of(owner);
  const stableBase = derivedStableId(base);
  const key = `helper-flow-identity:${stableBase}|${portPart}`;
  const free = !hasFlowChild(owner, stableBase, AllowFlow.isAllowFlow);
  const choice = free && allocations.previousOwner(key) !== 'ports' ? 'base' : 'ports';
  allocations.owner(key, [choice]);
  return choice === 'base' ? base : `${base}-${portPart}`;
}

/**
 * How a helper names its other end: `key`, except for a peer whose CIDR is a Terraform expression.
 * Its value is a token whose number counts every token the program made before it, so an unrelated
 * variable declared earlier would rename the flow (and replace its rules); the expression the token
 * stands for (`${var.partner_cidr}`) names it instead, with a digest of its exact text.
 */
function helperKey(owner: Construct, other: IFlowEndpoint, key: string): string {
  if (Construct.isConstruct(other) || !(other instanceof Peer) || !Token.isUnresolved(other.value)) return key;
  const expression = terraformText(TerraformStack.of(owner), other.value);
  // readable, and a digest of the exact text keeps two expressions that sanitize alike apart
  return expression === undefined ? key : `${other.kind}-${expression}`.replace(/[^A-Za-z0-9.:-]/g, '_') + `-${digest(expression)}`;
}

/**
 * Fails on what languages other than TypeScript can pass a helper where it takes an endpoint or a
 * Port (null, undefined), naming the owner and the argument, before anything is declared.
 */
function checkHelperArguments(owner: FlowOwner, verb: FlowVerb, other: IFlowEndpoint, ports: readonly Port[]): void {
  const where = () => `'${owner.node.path}'.${verb === 'Internal' ? 'allowInternally' : `allow${verb}`}`;
  const side = verb === 'From' ? 'source' : 'destination';
  if (verb !== 'Internal') checkEndpoint(where, `the ${side}`, side, other);
  checkPortList(where, ports);
}

/**
 * A key naming an endpoint inside a flow's identity: a segment's or workload's identity (its
 * `stableId`, else its construct path, as {@link endpointKey} writes it), the value for peers.
 */
function identityKey(endpoint: IFlowEndpoint): string {
  const identity = Construct.isConstruct(endpoint) ? (endpoint as { identity?: unknown }).identity : undefined;
  return typeof identity === 'string' ? pathKey(identity) : endpointKey(endpoint);
}

/** A key naming an endpoint inside construct ids: a path for constructs, the value for peers. */
export function endpointKey(endpoint: IFlowEndpoint): string {
  if (Construct.isConstruct(endpoint)) return pathKey(constructPath(endpoint));
  return (endpoint as any).uniqueId ?? endpoint.endpointName;
}
