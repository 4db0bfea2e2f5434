import { identityRenames, renamedSide } from './identity-renames';
import { DiffOptions, ReachabilitySide, changedPairs, reachabilitySide } from './reachability-diff';
import { META_ARGUMENTS, replacingArguments } from './replacement-rules';
import { UniqueKey, ValueText, ruleMeaning, uniqueKeys } from './unique-keys';
import { Estate, estateOf } from '../estate/estate';
import { Resolver } from '../model/resolver';
import { JsonObject, StackDocument, TerraformModel, TerraformResource, asArray, asObject, createTerraformModel, objectAt, stringAt } from '../model/terraform-model';
import { textOf } from '../model/value';
import { appendTo } from '../multimap';
import { Traffic, formatTraffic, intersectTraffic, isNoTraffic, subtractTraffic } from '../net/traffic';

/** What `terraform apply` does to one resource. */
export type PlannedAction = 'create' | 'destroy' | 'replace' | 'update';

/** One resource that the change creates, destroys, replaces or updates in place. */
export interface PlannedResourceChange {
  /** The stack whose state holds it. */
  readonly stack: string;
  /** Its Terraform address (the "after" one, except for a destroyed resource). */
  readonly address: string;
  /** The address it had before, when a `moved` block renamed it. */
  readonly movedFrom?: string;
  /** The Terraform type. */
  readonly type: string;
  /** What the apply does. */
  readonly action: PlannedAction;
  /** Why: the arguments that force the replacement, the arguments updated, or `address gone` / `new address`. */
  readonly reasons: readonly string[];
  /** Whether the new configuration sets `lifecycle.create_before_destroy`. */
  readonly createBeforeDestroy: boolean;
  /**
   * For a replacement with `create_before_destroy`: the unique values (rule number, priority,
   * permission) the old and the new resource share, so the platform refuses the create while the old
   * one exists. Empty otherwise.
   */
  readonly refusedTogether: readonly string[];
  /** The AllowFlow construct paths the library recorded on it (`"//".microseg.flows`; the "before" side unless created). */
  readonly flows: readonly string[];
  /** The guardrail construct paths recorded on it. */
  readonly guardrails: readonly string[];
}

/** The plan of one stack. */
export interface StackPlan {
  /** The stack name. */
  readonly stack: string;
  /** Resources whose address is gone (no `moved` block points from it). */
  readonly destroyed: readonly PlannedResourceChange[];
  /** Resources replaced because an argument that forces replacement changed. */
  readonly replaced: readonly PlannedResourceChange[];
  /** Resources updated in place. */
  readonly updated: readonly PlannedResourceChange[];
  /** Resources at a new address. */
  readonly created: readonly PlannedResourceChange[];
}

/** Traffic allowed before and after the change that some moment of the apply denies. */
export interface InterruptedTraffic {
  /** Segment level (segments and external peers) or workload level. */
  readonly level: 'segment' | 'workload';
  /** The source name. */
  readonly from: string;
  /** The destination name. */
  readonly to: string;
  /** The traffic that drops (`tcp/8080`). */
  readonly ports: readonly string[];
  /** The flows the removed resources that allowed it served (all deciding flows when no removed resource decided it). */
  readonly flows: readonly string[];
  /** The removed resources (`stack:address`) that allowed it before. */
  readonly resources: readonly string[];
  /** The moments of the apply when it drops (`while stack shop applies`). */
  readonly moments: readonly string[];
}

/** An apply that fails, or may fail depending on order, because the platform refuses a value twice. */
export interface DuplicateFailure {
  /** The unique value (`aws-permission`, `nacl-rule-number`, `nsg-priority`, `nsg-rule-name`, `nsx-sequence`, `nsx-id`, `sg-name`) or `moves-stack`. */
  readonly kind: string;
  /** `after`: the new configuration holds it twice; `during-apply`: a create meets the old holder within one apply; `between-stack-applies`: across two stacks' applies. */
  readonly when: 'after' | 'during-apply' | 'between-stack-applies';
  /** The resources involved (`stack:address`), the incoming one last. */
  readonly resources: readonly string[];
  /** The flows they serve. */
  readonly flows: readonly string[];
  /** One sentence. */
  readonly detail: string;
}

/** What applying the "after" version over the "before" version does to live traffic. */
export interface ChangeImpact {
  /** Per stack, what the apply creates, destroys, replaces and updates. */
  readonly stacks: readonly StackPlan[];
  /** Traffic allowed before and after that drops while the change applies. */
  readonly interrupted: readonly InterruptedTraffic[];
  /** The flows of {@link interrupted}, sorted. */
  readonly interruptedFlows: readonly string[];
  /** Applies that fail, or may fail, on a duplicate. */
  readonly duplicates: readonly DuplicateFailure[];
}

/** A resource of one stack in both versions (or one of them). */
interface ResourcePair {
  readonly stack: string;
  readonly old?: TerraformResource;
  readonly next?: TerraformResource;
}

/**
 * The impact of a change on live traffic, from two synthesized versions of an app (load them with
 * `loadTerraform` or `loadTerraformStacks`).
 *
 * The plan follows Terraform: an address that is gone (and no `moved` block points from it) is
 * destroyed, a new address is created, with no order between the two; a resource whose argument
 * that forces replacement changed (see `replacement-rules.ts`), or that references a replaced
 * resource's id in such an argument, is replaced, destroy first unless `create_before_destroy`.
 * Every stack applies on its own: its dependencies (cross-stack references) before it, its
 * dependants after it, the other stacks either before or after.
 *
 * Traffic is interrupted when it is allowed before and after but not at the worst moment of some
 * stack's apply: every destroy of that stack done, none of its creates, and its in-place updates
 * applied where Terraform may apply them first (those that reference nothing the apply creates, nor
 * another stack's outputs); and, when it both destroys and updates, the moment its destroys are done
 * and no update yet (but a destroy that an updated resource referenced, which Terraform does after
 * that update). A replacement with `create_before_destroy` keeps the old resource through that moment,
 * unless the platform refuses the two at once (same rule number, priority and direction, identical
 * permission): then the apply fails and the replacement counts as a destroy. Only the pairs with an end
 * that a changed resource touches are evaluated (`compareEveryPair` evaluates all: the same result).
 */
export function changeImpact(before: TerraformModel, after: TerraformModel, options: DiffOptions = {}): ChangeImpact {
  const plan = new PlanBuilder(before, after);
  const duplicates = findDuplicates(plan);
  const interrupted = findInterruptions(plan, options);
  return {
    stacks: plan.stackPlans(),
    interrupted,
    interruptedFlows: [...new Set(interrupted.flatMap((traffic) => traffic.flows))].sort(),
    duplicates,
  };
}

/** Works out the plan: pairs of resources, their changed and forcing arguments, propagated through references. */
class PlanBuilder {
  public readonly pairs: ResourcePair[] = [];
  /** "after" keys of replaced resources. */
  public readonly replaced = new Set<string>();
  private readonly beforeResolver: Resolver;
  private readonly afterResolver: Resolver;
  /** "before" key to "after" key of resources kept (same address or moved). */
  private readonly keyMap = new Map<string, string>();
  private readonly changes = new Map<ResourcePair, { changed: string[]; forcing: string[] }>();
  /** Keys of the managed resources (not data sources) of "before". */
  private readonly managedBefore: ReadonlySet<string>;

  constructor(public readonly before: TerraformModel, public readonly after: TerraformModel) {
    this.beforeResolver = estateOf(before).resolver;
    this.afterResolver = estateOf(after).resolver;
    this.managedBefore = new Set(before.resources.filter((resource) => !resource.type.startsWith('data.')).map((resource) => resource.key));
    const stacks = [...new Set([...before.stacks, ...after.stacks].map((stack) => stack.name))].sort();
    for (const stack of stacks) this.pairStack(stack);
    // a replaced resource gets a new id: arguments that reference it change too, until nothing new is replaced
    for (let changed = true; changed;) {
      changed = false;
      for (const pair of this.pairs) {
        if (!pair.old || !pair.next) continue;
        const result = this.compare(pair);
        this.changes.set(pair, result);
        if (result.forcing.length > 0 && !this.replaced.has(pair.next.key)) {
          this.replaced.add(pair.next.key);
          changed = true;
        }
      }
    }
  }

  /** Comparable text of a "before" value: references resolved and renamed to their "after" keys (marked when that resource is replaced). */
  public beforeText(stack: string): ValueText {
    return (raw) => this.text(this.beforeResolver, stack, raw, (key) => {
      const next = this.keyMap.get(key);
      // data sources and names the model does not hold are read anew, not planned
      if (next === undefined) return this.managedBefore.has(key) ? `${key}#destroyed` : key;
      return this.replaced.has(next) ? `${next}#previous` : next;
    });
  }

  /** Comparable text of an "after" value. */
  public afterText(stack: string): ValueText {
    return (raw) => this.text(this.afterResolver, stack, raw, (key) => key);
  }

  /** The action on a pair. */
  public action(pair: ResourcePair): PlannedAction | undefined {
    if (!pair.old) return 'create';
    if (!pair.next) return 'destroy';
    const result = this.changes.get(pair)!;
    if (result.forcing.length > 0) return 'replace';
    return result.changed.length > 0 ? 'update' : undefined;
  }

  /** Whether the pair is replaced with `create_before_destroy`. */
  public createBeforeDestroy(pair: ResourcePair): boolean {
    return pair.next !== undefined && asObject(pair.next.body.lifecycle).create_before_destroy === true;
  }

  /** The unique values the old and new resource of a replacement share. */
  public sharedUniqueKeys(pair: ResourcePair): string[] {
    if (!pair.old || !pair.next) return [];
    const old = new Set(uniqueKeys(pair.old, this.beforeText(pair.stack)).map(keyText));
    return uniqueKeys(pair.next, this.afterText(pair.stack)).map(keyText).filter((key) => old.has(key));
  }

  /** The "after" key of a "before" resource that is still the same object after the apply (kept or moved, not replaced). */
  public survivor(beforeKey: string): string | undefined {
    const next = this.keyMap.get(beforeKey);
    return next === undefined || this.replaced.has(next) ? undefined : next;
  }

  /** Whether the apply removes the old resource before anything replaces it. */
  public removesEarly(pair: ResourcePair): boolean {
    const action = this.action(pair);
    if (action === 'destroy') return true;
    if (action !== 'replace') return false;
    return !this.createBeforeDestroy(pair) || this.sharedUniqueKeys(pair).length > 0;
  }

  /** The plan of each stack. */
  public stackPlans(): StackPlan[] {
    type List = PlannedResourceChange[];
    const plans = new Map<string, { destroyed: List; replaced: List; updated: List; created: List }>();
    for (const pair of this.pairs) {
      const action = this.action(pair);
      if (!action) continue;
      const plan = plans.get(pair.stack) ?? { destroyed: [], replaced: [], updated: [], created: [] };
      plans.set(pair.stack, plan);
      const list = { create: plan.created, destroy: plan.destroyed, replace: plan.replaced, update: plan.updated }[action];
      list.push(this.describe(pair, action));
    }
    return [...plans.entries()].sort(([a], [b]) => compareText(a, b)).map(([stack, plan]) => ({ stack, ...plan }));
  }

  private describe(pair: ResourcePair, action: PlannedAction): PlannedResourceChange {
    const resource = (pair.next ?? pair.old)!;
    const provenance = action === 'create' ? pair.next! : pair.old!;
    const result = this.changes.get(pair);
    const reasons = action === 'create' ? ['new address'] : action === 'destroy' ? ['address gone'] : action === 'replace' ? result!.forcing : result!.changed;
    const moved = pair.old && pair.next && pair.old.address !== pair.next.address ? pair.old.address : undefined;
    return {
      stack: pair.stack,
      address: resource.address,
      ...(moved ? { movedFrom: moved } : {}),
      type: resource.type,
      action,
      reasons,
      createBeforeDestroy: action === 'replace' && this.createBeforeDestroy(pair),
      refusedTogether: action === 'replace' && this.createBeforeDestroy(pair) ? this.sharedUniqueKeys(pair) : [],
      flows: provenance.flows,
      guardrails: provenance.guardrails,
    };
  }

  private pairStack(stack: string): void {
    const olds = managed(this.before, stack);
    const nexts = managed(this.after, stack);
    const oldByAddress = new Map(olds.map((resource) => [resource.address, resource]));
    const used = new Set<string>();
    const movedTo = new Map<string, string>();
    for (const block of asArray(this.after.stack(stack)?.json.moved).map(asObject)) {
      const from = stringAt(block, 'from');
      const to = stringAt(block, 'to');
      if (from && to) movedTo.set(to, from);
    }
    for (const next of nexts) {
      const fromAddress = oldByAddress.has(next.address) ? next.address : movedTo.get(next.address);
      const old = fromAddress === undefined ? undefined : oldByAddress.get(fromAddress);
      if (old && !used.has(old.address) && old.type === next.type) {
        used.add(old.address);
        this.keyMap.set(old.key, next.key);
        this.pairs.push({ stack, old, next });
      } else {
        this.pairs.push({ stack, next });
      }
    }
    for (const old of olds) if (!used.has(old.address)) this.pairs.push({ stack, old });
  }

  private compare(pair: ResourcePair): { changed: string[]; forcing: string[] } {
    const old = pair.old!;
    const next = pair.next!;
    const beforeText = this.beforeText(pair.stack);
    const afterText = this.afterText(pair.stack);
    const argumentsOf = (body: JsonObject) => Object.keys(body).filter((argument) => !META_ARGUMENTS.has(argument));
    const changed = [...new Set([...argumentsOf(old.body), ...argumentsOf(next.body)])].sort(compareText)
      .filter((argument) => beforeText(old.body[argument]) !== afterText(next.body[argument]));
    return { changed, forcing: replacingArguments(next.type, changed, old.body, next.body) };
  }

  private text(resolver: Resolver, stack: string, raw: unknown, rename: (key: string) => string): string {
    if (raw === undefined || raw === null) return '';
    if (typeof raw === 'string') {
      if (!raw.includes('${')) return raw;
      return resolver.values(stack, raw)
        .map((value) => (value.kind === 'reference' ? `\${${rename(value.key)}.${value.attribute}}` : textOf(value))).join(',');
    }
    if (Array.isArray(raw)) return `[${raw.map((item) => this.text(resolver, stack, item, rename)).join(';')}]`;
    if (typeof raw === 'object') {
      const entries = Object.entries(raw as JsonObject).filter(([key]) => key !== '//').sort(([a], [b]) => compareText(a, b));
      return `{${entries.map(([key, value]) => `${key}:${this.text(resolver, stack, value, rename)}`).join(';')}}`;
    }
    return String(raw);
  }
}

/** The managed resources (data sources left out) of one stack. */
function managed(model: TerraformModel, stack: string): TerraformResource[] {
  return model.resources.filter((resource) => resource.stack === stack && !resource.type.startsWith('data.'));
}

function keyText(key: UniqueKey): string {
  return `${key.kind}:${key.key}`;
}

function label(resource: TerraformResource): string {
  return `${resource.stack}:${resource.address}`;
}

/** The AllowFlow and guardrail paths recorded on the resources, sorted. */
function servedFlows(resources: readonly TerraformResource[]): string[] {
  return [...new Set(resources.flatMap((resource) => [...resource.flows, ...resource.guardrails]))].sort();
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Duplicates in "after", creates that meet the old holder of a unique value, and rules that move between stacks' states. */
function findDuplicates(plan: PlanBuilder): DuplicateFailure[] {
  const failures: DuplicateFailure[] = [];
  const seen = new Set<string>();
  const add = (failure: DuplicateFailure) => {
    const id = `${failure.kind}|${failure.when}|${failure.resources.join(',')}`;
    if (seen.has(id)) return;
    seen.add(id);
    failures.push(failure);
  };
  const flowsOf = servedFlows;

  // the new configuration holds one unique value twice: the second create (or update) fails
  const holders = new Map<string, TerraformResource[]>();
  for (const pair of plan.pairs) {
    if (!pair.next) continue;
    for (const key of uniqueKeys(pair.next, plan.afterText(pair.stack))) {
      const id = keyText(key);
      appendTo(holders, id, pair.next);
    }
  }
  for (const [id, resources] of holders) {
    if (resources.length < 2) continue;
    const kind = id.slice(0, id.indexOf(':'));
    add({ kind, when: 'after', resources: resources.map(label), flows: flowsOf(resources), detail: `${resources.map(label).join(' and ')} hold one ${kind} (${id.slice(kind.length + 1)})` });
  }

  // a value taken while its old holder still exists: unordered destroy and create, a swap, a create_before_destroy
  const oldHolders = new Map<string, { pair: ResourcePair; action: PlannedAction | undefined; keeps: boolean }[]>();
  for (const pair of plan.pairs) {
    if (!pair.old) continue;
    const action = plan.action(pair);
    const nextKeys = new Set(pair.next ? uniqueKeys(pair.next, plan.afterText(pair.stack)).map(keyText) : []);
    for (const key of uniqueKeys(pair.old, plan.beforeText(pair.stack)).map(keyText)) {
      appendTo(oldHolders, key, { pair, action, keeps: nextKeys.has(key) && action !== 'replace' });
    }
  }
  for (const pair of plan.pairs) {
    if (!pair.next) continue;
    const action = plan.action(pair);
    if (action === undefined) continue;
    const ownOld = new Set(pair.old ? uniqueKeys(pair.old, plan.beforeText(pair.stack)).map(keyText) : []);
    for (const id of uniqueKeys(pair.next, plan.afterText(pair.stack)).map(keyText)) {
      const kind = id.slice(0, id.indexOf(':'));
      if (action === 'replace' && plan.createBeforeDestroy(pair) && ownOld.has(id)) {
        add({
          kind,
          when: 'during-apply',
          resources: [label(pair.next)],
          flows: flowsOf([pair.old!]),
          detail: `${label(pair.next)} is replaced with create_before_destroy, but the new one takes the old one's ${kind} (${id.slice(kind.length + 1)}) while the old one exists`,
        });
      }
      if (action === 'update' && ownOld.has(id)) continue;
      for (const holder of oldHolders.get(id) ?? []) {
        if (holder.pair === pair || holder.keeps || holder.action === undefined || !holder.pair.old) continue;
        if (holder.action === 'replace' && holder.pair.next && uniqueKeys(holder.pair.next, plan.afterText(holder.pair.stack)).map(keyText).includes(id)) continue;
        const otherStack = holder.pair.stack !== pair.stack;
        add({
          kind,
          when: otherStack ? 'between-stack-applies' : 'during-apply',
          resources: [label(holder.pair.old), label(pair.next)],
          flows: flowsOf([holder.pair.old, pair.next]),
          detail: `${label(pair.next)} takes the ${kind} (${id.slice(kind.length + 1)}) that ${label(holder.pair.old)} holds until it is ${holder.action === 'update' ? 'updated' : 'destroyed'}${otherStack ? ' in another stack\'s apply' : ', with no order between the two'}`,
        });
      }
    }
  }

  // a rule destroyed in one stack and created with the same meaning in another: a gap or a failed apply, by deploy order
  const deps = dependencies(plan);
  const destroyedRules = plan.pairs.filter((pair) => pair.old && !pair.next)
    .map((pair) => ({ resource: pair.old!, meaning: ruleMeaning(pair.old!, plan.beforeText(pair.stack)) }))
    .filter((entry) => entry.meaning !== undefined);
  for (const pair of plan.pairs) {
    if (pair.old || !pair.next) continue;
    const meaning = ruleMeaning(pair.next, plan.afterText(pair.stack));
    if (meaning === undefined) continue;
    for (const gone of destroyedRules) {
      if (gone.meaning !== meaning || gone.resource.stack === pair.stack) continue;
      add({
        kind: 'moves-stack',
        when: 'between-stack-applies',
        resources: [label(gone.resource), label(pair.next)],
        flows: flowsOf([gone.resource, pair.next]),
        detail: moveDetail(gone.resource.stack, pair.stack, deps),
      });
    }
  }
  return failures;
}

/** What happens to a rule that leaves stack `from` for stack `to`, in the orders their dependencies allow. */
function moveDetail(from: string, to: string, deps: ReadonlyMap<string, ReadonlySet<string>>): string {
  const dependsOn = (a: string, b: string) => closure(a, (name) => deps.get(name) ?? []).has(b);
  const gap = `${from} applies first: the traffic drops until ${to} applies`;
  const both = `${to} applies first: both rules exist at once (an identical one fails)`;
  const orders = dependsOn(to, from) ? [gap] : dependsOn(from, to) ? [both] : [`if ${gap}`, `if ${both}`];
  return `the rule moves from stack ${from} to stack ${to}; ${orders.join('; ')}`;
}

/** The stacks each stack depends on (its cross-stack references), in either version. */
function dependencies(plan: PlanBuilder): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  for (const model of [plan.before, plan.after]) {
    for (const stack of model.stacks) {
      const set = result.get(stack.name) ?? new Set<string>();
      result.set(stack.name, set);
      for (const name of Object.keys(objectAt(objectAt(stack.json, 'data'), 'terraform_remote_state'))) {
        const prefix = 'cross-stack-reference-input-';
        if (name.startsWith(prefix)) set.add(name.slice(prefix.length));
      }
    }
  }
  return result;
}

function closure(start: string, edges: (name: string) => Iterable<string>): Set<string> {
  const found = new Set<string>();
  const visit = (name: string) => {
    for (const next of edges(name)) {
      if (found.has(next)) continue;
      found.add(next);
      visit(next);
    }
  };
  visit(start);
  found.delete(start);
  return found;
}

/** One moment of the apply: every stack's JSON as it stands, and what it is called. */
interface ApplyMoment {
  readonly name: string;
  readonly model: TerraformModel;
  readonly removed: ReadonlySet<string>;
}

/** The worst moment of each stack's apply that removes something, with the other stacks before or after theirs. */
function applyMoments(plan: PlanBuilder): ApplyMoment[] {
  const removedByStack = new Map<string, Set<string>>();
  // what an applied stack no longer has: its destroyed resources and the previous instances of its replaced ones
  const goneByStack = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, stack: string, key: string) => map.set(stack, (map.get(stack) ?? new Set<string>()).add(key));
  for (const pair of plan.pairs) {
    if (!pair.old) continue;
    if (plan.removesEarly(pair)) add(removedByStack, pair.stack, pair.old.key);
    const action = plan.action(pair);
    if (action === 'destroy' || action === 'replace') add(goneByStack, pair.stack, pair.old.key);
  }
  const updatedByStack = updatedEarly(plan);
  const heldBack = destroysHeldBack(plan, updatedByStack);
  const removedBeforeUpdates = new Map<string, Set<string>>();
  for (const [stack, removed] of removedByStack) {
    const early = new Set([...removed].filter((key) => !heldBack.byAnyUpdate.has(key)));
    if ((updatedByStack.get(stack)?.size ?? 0) > 0 && early.size > 0) removedBeforeUpdates.set(stack, early);
    for (const key of heldBack.byLateUpdate) removed.delete(key);
  }
  const deps = dependencies(plan);
  const names = [...deps.keys()].sort();
  const dependants = (name: string) => names.filter((other) => deps.get(other)?.has(name));
  const moments: ApplyMoment[] = [];
  const seen = new Set<string>();
  for (const stack of names) {
    const removed = removedByStack.get(stack) ?? new Set<string>();
    const updated = updatedByStack.get(stack) ?? new Map<string, JsonObject>();
    const midway = removed.size > 0 || updated.size > 0;
    const applied = closure(stack, (name) => deps.get(name) ?? []);
    const waiting = closure(stack, dependants);
    const others = names.filter((name) => name !== stack && !applied.has(name) && !waiting.has(name));
    const variants = others.length === 0 ? [false] : [false, true];
    // the apply may also destroy before it updates: a moment with the removals alone, for traffic an update takes over
    const early = removedBeforeUpdates.get(stack);
    const updateVariants = early !== undefined ? [true, false] : [true];
    for (const [othersApplied, updatesApplied] of variants.flatMap((v) => updateVariants.map((u) => [v, u] as const))) {
      const appliedNames = [...applied, ...(othersApplied ? others : [])].sort(compareText);
      // the stacks' states at this moment: before, after, or (this stack) before without what its apply removes first
      const states = names.map((name) => (name === stack ? (midway ? 'w' : 'b') : appliedNames.includes(name) ? 'a' : 'b'));
      const signature = `${states.join('')}${updatesApplied ? '' : '-'}`;
      if (seen.has(signature) || states.every((state) => state === 'b') || states.every((state) => state === 'a')) continue;
      seen.add(signature);
      const documents = new Map<string, StackDocument>();
      names.forEach((name, index) => {
        const document = (states[index] === 'a' ? plan.after : plan.before).stack(name);
        if (!document) return;
        const during = () => (updatesApplied
          ? withUpdates(withoutResources(document.json, name, removed), name, updated)
          : withoutResources(document.json, name, early!));
        documents.set(name, states[index] === 'w' ? { name, json: during() } : document);
      });
      names.forEach((name, index) => { if (states[index] !== 'a') pinRemoteOutputs(plan, documents, name, (producer) => appliedNames.includes(producer)); });
      const state = (list: string[], word: string) => (list.length > 0 ? `${list.join(', ')} ${word}` : '');
      const notYet = names.filter((name) => name !== stack && !appliedNames.includes(name));
      const context = [state(appliedNames, 'applied'), state(notYet, 'not yet applied')].filter((text) => text.length > 0).join('; ');
      const gone = new Set([...(updatesApplied ? removed : early!), ...appliedNames.flatMap((name) => [...(goneByStack.get(name) ?? [])])]);
      const name = midway ? `while stack ${stack} applies${updatesApplied ? '' : ', before its updates'}` : `before stack ${stack} applies`;
      moments.push({ name: `${name}${context ? ` (${context})` : ''}`, model: createTerraformModel([...documents.values()]), removed: gone });
    }
  }
  return moments;
}

const REMOTE_OUTPUT = /data\.terraform_remote_state\.cross-stack-reference-input-([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)/g;
const PINNED_SUFFIX = '__before_apply';

/**
 * A stack that has not applied yet still holds the values it read from its producers' previous
 * state. Where a producer has applied, the stack's remote-state reads are pointed at copies of the
 * producer's previous outputs, added to the producer's document: a resource that survived the
 * producer's apply keeps its "after" address, one destroyed or replaced gets an address nothing has
 * (what the stack still names is gone).
 */
function pinRemoteOutputs(plan: PlanBuilder, documents: Map<string, StackDocument>, stack: string, applied: (producer: string) => boolean): void {
  const document = documents.get(stack);
  if (!document) return;
  const text = JSON.stringify(document.json);
  let changed = false;
  const pinned = text.replace(REMOTE_OUTPUT, (whole, producer: string, output: string) => {
    const target = documents.get(producer);
    const previous = plan.before.stack(producer);
    if (!applied(producer) || !target || !previous) return whole;
    const value = asObject(objectAt(previous.json, 'output')[output]).value;
    if (value === undefined) return whole;
    const outputs = { ...objectAt(target.json, 'output'), [`${output}${PINNED_SUFFIX}`]: { value: repointReferences(plan, producer, value) } };
    documents.set(producer, { name: producer, json: { ...target.json, output: outputs } });
    changed = true;
    return `${whole}${PINNED_SUFFIX}`;
  });
  if (changed) documents.set(stack, { name: stack, json: JSON.parse(pinned) });
}

/** An output value of `producer`'s previous version, its references moved to the surviving "after" addresses (others to none). */
function repointReferences(plan: PlanBuilder, producer: string, value: unknown): unknown {
  const text = JSON.stringify(value).replace(/\$\{([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)\./g, (_whole, type: string, name: string) => {
    const survivor = plan.survivor(`${producer}/${type}.${name}`);
    if (survivor === undefined) return `\${${type}.${name}${PINNED_SUFFIX}.`;
    return `\${${survivor.slice(survivor.indexOf('/') + 1)}.`;
  });
  return JSON.parse(text);
}

/**
 * Per stack, the resources its apply updates in place that may be updated before anything it
 * creates exists: Terraform orders an update after the creations it references only, so an update
 * that names no created resource can come first, while the rule that takes over its old traffic is
 * not there yet. By their "before" key, with their "after" configuration.
 */
function updatedEarly(plan: PlanBuilder): Map<string, Map<string, JsonObject>> {
  const createdByStack = new Map<string, string[]>();
  for (const pair of plan.pairs) {
    const action = plan.action(pair);
    if (pair.next && (action === 'create' || action === 'replace')) createdByStack.set(pair.stack, [...(createdByStack.get(pair.stack) ?? []), `\${${pair.next.address}.`]);
  }
  const updated = new Map<string, Map<string, JsonObject>>();
  for (const pair of plan.pairs) {
    if (!pair.old || !pair.next || plan.action(pair) !== 'update') continue;
    const text = JSON.stringify(pair.next.body);
    // a reference to another stack's outputs (a data source) is read when the stack applies, as the plan says
    if (text.includes('${data.') || (createdByStack.get(pair.stack) ?? []).some((reference) => text.includes(reference))) continue;
    const byKey = updated.get(pair.stack) ?? new Map<string, JsonObject>();
    byKey.set(pair.old.key, pair.next.body);
    updated.set(pair.stack, byKey);
  }
  return updated;
}

/**
 * The destroys Terraform holds back until an update is done: it updates a resource that referenced a
 * destroyed one before (or named it in depends_on) first, then destroys. By "before" key: those an
 * update the apply may do early referenced (held back only by the early updates, which need nothing
 * else), and those any update referenced (for the moment before every update). A replaced resource is
 * not held back: Terraform destroys it before it creates its successor, which the updates then name.
 */
function destroysHeldBack(
  plan: PlanBuilder, updatedByStack: ReadonlyMap<string, ReadonlyMap<string, JsonObject>>,
): { byAnyUpdate: Set<string>; byLateUpdate: Set<string> } {
  const referenced = { any: new Set<string>(), late: new Set<string>() };
  for (const pair of plan.pairs) {
    if (!pair.old || plan.action(pair) !== 'update') continue;
    const late = !updatedByStack.get(pair.stack)?.has(pair.old.key);
    for (const address of referencedAddresses(pair.old.body)) {
      referenced.any.add(`${pair.stack}/${address}`);
      if (late) referenced.late.add(`${pair.stack}/${address}`);
    }
  }
  const held = { byAnyUpdate: new Set<string>(), byLateUpdate: new Set<string>() };
  for (const pair of plan.pairs) {
    if (!pair.old || plan.action(pair) !== 'destroy') continue;
    const address = `${pair.stack}/${pair.old.address}`;
    if (referenced.any.has(address)) held.byAnyUpdate.add(pair.old.key);
    if (referenced.late.has(address)) held.byLateUpdate.add(pair.old.key);
  }
  return held;
}

/** The resource addresses (`type.name`) a resource's configuration references or names in depends_on. */
function referencedAddresses(body: JsonObject): Set<string> {
  const found = new Set<string>();
  for (const match of JSON.stringify(body).matchAll(/\$\{([a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)[.}\[]/g)) found.add(match[1]);
  const dependsOn = body.depends_on;
  if (Array.isArray(dependsOn)) for (const entry of dependsOn) if (typeof entry === 'string') found.add(entry.replace(/^\$\{|\}$/g, ''));
  return found;
}

/** The stack's document with the "after" configuration of the resources updated early (see updatedEarly). */
function withUpdates(json: JsonObject, stack: string, updated: ReadonlyMap<string, JsonObject>): JsonObject {
  if (updated.size === 0) return json;
  const resources: JsonObject = {};
  for (const [type, byName] of Object.entries(objectAt(json, 'resource'))) {
    resources[type] = Object.fromEntries(Object.entries(asObject(byName)).map(([name, body]) => [name, updated.get(`${stack}/${type}.${name}`) ?? body]));
  }
  return { ...json, resource: resources };
}

function withoutResources(json: JsonObject, stack: string, removed: ReadonlySet<string>): JsonObject {
  const resources: JsonObject = {};
  for (const [type, byName] of Object.entries(objectAt(json, 'resource'))) {
    const kept = Object.fromEntries(Object.entries(asObject(byName)).filter(([name]) => !removed.has(`${stack}/${type}.${name}`)));
    if (Object.keys(kept).length > 0) resources[type] = kept;
  }
  return { ...json, resource: resources };
}

/** Traffic allowed before and after that some apply moment denies, with the removed resources and flows that allowed it. */
function findInterruptions(plan: PlanBuilder, options: DiffOptions): InterruptedTraffic[] {
  const moments = applyMoments(plan);
  if (moments.length === 0) return [];
  const estates = { before: estateOf(plan.before), after: estateOf(plan.after) };
  const renames = identityRenames(estates.before.inventory, estates.after.inventory);
  const before = renamedSide(reachabilitySide(estates.before, options), renames);
  const after = reachabilitySide(estates.after, options);
  // only a pair with an end that a changed resource touches can lose traffic at a moment of the apply
  const { segmentPairs, workloadPairs } = changedPairs({ before, after }, options);
  const live: { level: 'segment' | 'workload'; from: string; to: string; traffic: Traffic }[] = [];
  for (const [level, pairs] of [['segment', segmentPairs], ['workload', workloadPairs]] as const) {
    for (const [from, to] of pairs) {
      const traffic = intersectTraffic(before.allowed(level, from, to), after.allowed(level, from, to));
      if (!isNoTraffic(traffic)) live.push({ level, from, to, traffic });
    }
  }
  const found = new Map<string, InterruptedTraffic>();
  for (const moment of moments) {
    const duringEstate = estateOf(moment.model);
    const during = renamedSide(reachabilitySide(duringEstate, options), identityRenames(duringEstate.inventory, estates.after.inventory));
    for (const { level, from, to, traffic } of live) {
      const lost = subtractTraffic(traffic, during.allowed(level, from, to));
      if (isNoTraffic(lost)) continue;
      const ports = formatTraffic(lost);
      const id = `${level}|${from}|${to}|${ports.join(',')}`;
      const existing = found.get(id);
      if (existing) {
        found.set(id, { ...existing, moments: [...existing.moments, moment.name] });
        continue;
      }
      found.set(id, { level, from, to, ports, ...attribution(before, after, level, from, to, lost, moment.removed), moments: [moment.name] });
    }
  }
  return [...found.values()];
}

/**
 * The removed resources that allowed the traffic before, and their flows; when no deciding rule is
 * removed, the removed resources the deciding rules name (a group, a service, an ASG) and the
 * deciding rules' flows: those that left the rule in "after" (a flow whose share of a rule several
 * flows hold moved elsewhere), else all of them.
 */
function attribution(
  before: ReachabilitySide, after: ReachabilitySide, level: 'segment' | 'workload', from: string, to: string, traffic: Traffic, removed: ReadonlySet<string>,
) {
  const responsible = before.responsible(level, from, to, traffic, 'allowed');
  const estate = before.estate;
  const byAddress = resourcesByAddress(estate);
  const deciding = [...new Map(responsible.rules
    .map((rule) => byAddress.get(rule.address.replace(/\[\d+\]$/, '')))
    .filter((resource): resource is TerraformResource => resource !== undefined)
    .map((resource) => [resource.key, resource])).values()];
  const removedRules = deciding.filter((resource) => removed.has(resource.key));
  if (removedRules.length > 0) {
    return { flows: servedFlows(removedRules), resources: removedRules.map(label).sort() };
  }
  const named = new Set<string>();
  const visit = (stack: string, value: unknown): void => {
    if (typeof value === 'string') {
      if (!value.includes('${')) return;
      for (const resolved of estate.resolver.values(stack, value)) if (resolved.kind === 'reference' && removed.has(resolved.key)) named.add(resolved.key);
    } else if (Array.isArray(value)) {
      value.forEach((item) => visit(stack, item));
    } else if (value && typeof value === 'object') {
      Object.entries(value as JsonObject).forEach(([key, inner]) => { if (key !== '//') visit(stack, inner); });
    }
  };
  deciding.forEach((resource) => visit(resource.stack, resource.body));
  const stayed = new Set(deciding.flatMap((resource) => {
    const later = after.estate.model.resource(resource.key);
    return later ? servedFlows([later]) : [];
  }));
  const left = responsible.flows.filter((flow) => !stayed.has(flow));
  return { flows: left.length > 0 ? left : responsible.flows, resources: [...named].map((key) => label(estate.model.resource(key)!)).sort() };
}

const RESOURCES_BY_ADDRESS = new WeakMap<Estate, Map<string, TerraformResource>>();

/** The estate's resources by address, built once per estate (every interruption's attribution reads it). */
function resourcesByAddress(estate: Estate): Map<string, TerraformResource> {
  let byAddress = RESOURCES_BY_ADDRESS.get(estate);
  if (!byAddress) {
    byAddress = new Map(estate.model.resources.map((resource) => [estate.naming.addressOf(resource.key), resource]));
    RESOURCES_BY_ADDRESS.set(estate, byAddress);
  }
  return byAddress;
}

/** The impact as text, one line per planned destroy or replacement, interruption and duplicate. */
export function formatChangeImpact(impact: ChangeImpact): string {
  const lines: string[] = [];
  for (const stack of impact.stacks) {
    lines.push(`stack ${stack.stack}: ${stack.destroyed.length} destroyed, ${stack.replaced.length} replaced, ${stack.updated.length} updated, ${stack.created.length} created`);
    for (const change of [...stack.destroyed, ...stack.replaced]) {
      const cbd = change.createBeforeDestroy ? (change.refusedTogether.length > 0 ? ', create_before_destroy refused' : ', create_before_destroy') : '';
      const flows = change.flows.length + change.guardrails.length > 0 ? ` serving ${[...change.flows, ...change.guardrails].join(', ')}` : '';
      lines.push(`  ${change.action} ${change.address} (${change.reasons.join(', ')}${cbd})${flows}`);
    }
  }
  for (const traffic of impact.interrupted) {
    lines.push(`interrupted ${traffic.from} -> ${traffic.to} ${traffic.ports.join(' ')} ${traffic.moments[0]}${traffic.moments.length > 1 ? ` (+${traffic.moments.length - 1} more)` : ''}: flows ${traffic.flows.join(', ') || '(none recorded)'} via ${traffic.resources.join(', ') || '(no removed rule)'}`);
  }
  for (const failure of impact.duplicates) lines.push(`duplicate ${failure.kind} (${failure.when}): ${failure.detail}`);
  return lines.join('\n');
}
