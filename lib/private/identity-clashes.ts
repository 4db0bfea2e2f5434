import { TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import type { PolicyRegistry } from '../registry';
import { pathOf } from './path-of';
import { oncePerDeclarationState } from '../render/once-per-declarations';

/** A workload or segment as the identity checks see it. */
interface Identified extends IConstruct {
  /** Its identity: its `stableId`, else its construct path. */
  readonly identity: string;
}

const CLASHES = new WeakMap<PolicyRegistry, () => ReadonlyMap<IConstruct, string>>();
const CLAIMED = new WeakMap<PolicyRegistry, Map<string, IConstruct>>();

/**
 * Claims `item`'s identity among the app's workloads (`kind` 'workload') or segments ('segment')
 * as it is declared, and fails at once when another one has it: the renderers name resources by
 * identity as the item is declared, so two of one identity would meet in one construct id (or one
 * Terraform address) before any validation could say why.
 */
export function claimIdentity(registry: PolicyRegistry, kind: 'workload' | 'segment', item: Identified): void {
  let claimed = CLAIMED.get(registry);
  if (!claimed) {
    claimed = new Map();
    CLAIMED.set(registry, claimed);
  }
  const key = `${kind}|${item.identity}`;
  const other = claimed.get(key);
  if (other === undefined) {
    claimed.set(key, item);
    return;
  }
  const Kind = kind === 'workload' ? 'Workload' : 'Segment';
  const renamed = kind === 'workload' ? ' (a workload renamed with its stableId keeps its former path as its identity, so a new workload at that path needs another one)' : '';
  throw new Error(`${Kind} '${item.node.path}' has the identity "${item.identity}" of ${kind} '${other.node.path}'. One identity is one ${kind}: give one of them a stableId of its own${renamed}.`);
}

/**
 * Why a workload of the app cannot have its identity, or undefined when it can: the resources in a
 * workload's own scope (NSX VM tags, ASG associations) take the address of its identity read
 * within its stack, so a plain-name identity (`payments-db`) must not read as another workload's
 * of that stack (`<stack>/payments-db`), or one address would serve both, the last one silently
 * winning. Worked out once per declaration state of the app.
 */
export function identityClash(registry: PolicyRegistry, item: IConstruct): string | undefined {
  let clashes = CLASHES.get(registry);
  if (!clashes) {
    clashes = oncePerDeclarationState(registry, () => findClashes(registry));
    CLASHES.set(registry, clashes);
  }
  return clashes().get(item);
}

function findClashes(registry: PolicyRegistry): ReadonlyMap<IConstruct, string> {
  const found = new Map<IConstruct, string>();
  const seen = new Map<string, Identified>();
  for (const workload of registry.workloads as readonly Identified[]) {
    const stack = pathOf(TerraformStack.of(workload));
    const key = `${stack}|${identityWithinStack(workload)}`;
    const other = seen.get(key);
    if (!other) seen.set(key, workload);
    else found.set(workload, `has the identity "${workload.identity}", which names its resources in stack '${stack}' as the identity "${other.identity}" of workload '${other.node.path}' does. Give one of them another stableId.`);
  }
  return found;
}

/** A workload's identity read within its stack: without the stack's path when it starts with it. */
export function identityWithinStack(workload: Identified): string {
  const stackPath = pathOf(TerraformStack.of(workload));
  return workload.identity.startsWith(`${stackPath}/`) ? workload.identity.slice(stackPath.length + 1) : workload.identity;
}
