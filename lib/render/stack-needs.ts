import { TerraformResource, TerraformStack, Tokenization } from 'cdktf';
import { IConstruct } from 'constructs';
import { appWide } from '../private/app-wide';
import { wholeTerraform } from '../private/light-preparation';
import { writtenProvenance } from '../provenance/resource-comments';
import { compare } from '../registry';

const NEEDS = Symbol.for('cdktf-microseg.StackNeeds');

/**
 * Why one stack of the app needs another: recorded by renderers that place a resource in one stack
 * that references a resource of another (a flow's rules live in the stack that declares the flow).
 * When those needs close a cycle, cdktf refuses with "Cannot add dependency ... circular", naming
 * no flow; {@link StackNeeds.of} also installs a guard that fails synthesis instead with a message
 * naming both stacks and the flows that make each need the other.
 */
export class StackNeeds {
  /** The needs of the app that `scope` belongs to (the cycle guard is installed on first use). */
  public static of(scope: IConstruct): StackNeeds {
    return appWide(scope, NEEDS, (root) => {
      const needs = new StackNeeds();
      needs.guard(root);
      return needs;
    });
  }

  /** from -> to -> subject (a flow) -> details. */
  private readonly reasons = new Map<TerraformStack, Map<TerraformStack, Map<string, Set<string>>>>();

  /** The message of the cycle the guard refused, once it has (see {@link withoutResolutionTrace}). */
  private refusedCycle?: string;

  private constructor() {}

  /**
   * The error a synthesis threw, without the token-resolution trace cdktf wraps around the guard's
   * refusal of a cycle (some thirty lines of the library's frames after the message): the message
   * alone, which names both stacks and the flows.
   */
  public withoutResolutionTrace(error: unknown): unknown {
    const cycle = this.refusedCycle;
    if (cycle === undefined || !(error instanceof Error) || !error.message.includes(cycle)) return error;
    return new Error(cycle);
  }

  /**
   * Records that `from` needs `to` because of `subject` (for example "AllowFlow 'a/F'"), for the
   * reason `detail` ("its NSX rule in the policy of 'b/Nsx'").
   */
  public add(from: TerraformStack, to: TerraformStack, subject: string, detail: string): void {
    if (from === to) return;
    let byTarget = this.reasons.get(from);
    if (!byTarget) {
      byTarget = new Map();
      this.reasons.set(from, byTarget);
    }
    let bySubject = byTarget.get(to);
    if (!bySubject) {
      bySubject = new Map();
      byTarget.set(to, bySubject);
    }
    if (!bySubject.has(subject)) bySubject.set(subject, new Set());
    bySubject.get(subject)!.add(detail);
  }

  /**
   * Why `from` needs `to`, one entry per subject, sorted: the reasons renderers recorded, and the
   * microseg rules of `from` (resources marked with the flows they render) that reference `to`, for
   * subjects without a recorded reason; empty when there are neither.
   */
  public why(from: TerraformStack, to: TerraformStack): string[] {
    const bySubject = new Map(this.reasons.get(from)?.get(to) ?? []);
    for (const [subject, details] of referencingRules(from, to)) {
      if (!bySubject.has(subject)) bySubject.set(subject, details);
    }
    return [...bySubject.keys()].sort(compare).map((subject) => `${subject} (${[...bySubject.get(subject)!].sort(compare).join('; ')})`);
  }

  /**
   * The message for a cycle: `needing` is about to need `needed`, which already needs `needing`
   * (directly or through other stacks).
   */
  public cycleMessage(needing: TerraformStack, needed: TerraformStack, identifier: string): string {
    const name = (s: TerraformStack) => `'${s.node.path}'`;
    const explain = (from: TerraformStack, to: TerraformStack, fallback: string) => {
      const why = this.why(from, to);
      return why.length > 0 ? why.join('; ') : fallback;
    };
    const path = dependencyPath(needed, needing) ?? [needed, needing];
    const back = path.slice(0, -1).map((s, i) => `${name(s)} needs ${name(path[i + 1])}: ${explain(s, path[i + 1], 'references outside the microseg rules')}`);
    return `Stacks ${name(needing)} and ${name(needed)} would depend on each other, which Terraform cannot deploy (cdktf: circular dependency). `
      + `${name(needing)} needs ${name(needed)}: ${explain(needing, needed, `a reference to ${identifier}`)}. And ${back.join('. And ')}. `
      + 'A flow\'s rules live in the stack that declares it and reference the enforcement resources (groups, NSGs, policies) of both its sides: declare the flows between these stacks in one of them, or in a third stack that neither of them needs.';
  }

  /** Makes the app's cross-stack references fail with {@link cycleMessage} where cdktf would find a cycle. */
  private guard(root: any): void {
    if (typeof root.crossStackReference !== 'function') return; // not a cdktf App: nothing to guard
    const original = root.crossStackReference;
    const needs = this;
    root.crossStackReference = function (fromStack: TerraformStack, toStack: TerraformStack, identifier: string): string {
      if (fromStack !== toStack && fromStack.dependsOn(toStack)) {
        needs.refusedCycle = needs.cycleMessage(toStack, fromStack, identifier);
        throw new Error(needs.refusedCycle);
      }
      return original.call(this, fromStack, toStack, identifier);
    };
  }
}

/**
 * The microseg rules of `from` that reference a resource of `to`, by the flows they render
 * (`AllowFlow 'a/F'`), each with what it references (`its aws_vpc_security_group_egress_rule
 * references 'b/Aws/Sg-b-Db-...'`).
 */
function referencingRules(from: TerraformStack, to: TerraformStack): Map<string, Set<string>> {
  const bySubject = new Map<string, Set<string>>();
  const root = from.node.root;
  const resourcesOfTo = new Map(to.node.findAll().filter(TerraformResource.isTerraformResource)
    .map((r) => [`${r.terraformResourceType}.${r.friendlyUniqueId}`, r.node.path]));
  for (const rule of from.node.findAll().filter(TerraformResource.isTerraformResource)) {
    const marks = writtenProvenance(rule);
    const flows: string[] = [...(marks?.flows ?? []), ...(marks?.guardrails ?? [])];
    if (flows.length === 0) continue;
    const referenced = referencesTo(wholeTerraform(rule), to).map((identifier) => {
      const address = identifier.split('.').slice(0, 2).join('.');
      return resourcesOfTo.has(address) ? `'${resourcesOfTo.get(address)}'` : `${address} of '${to.node.path}'`;
    });
    if (referenced.length === 0) continue;
    const detail = `its ${rule.terraformResourceType} references ${[...new Set(referenced)].sort(compare).join(', ')}`;
    for (const path of flows) {
      const flow = root.node.findAll().find((c) => c.node.path === path);
      const subject = `${flow ? flow.constructor.name : 'flow'} '${path}'`;
      if (!bySubject.has(subject)) bySubject.set(subject, new Set());
      bySubject.get(subject)!.add(detail);
    }
  }
  return bySubject;
}

/** The identifiers of the references to resources of `stack` anywhere in `value`. */
function referencesTo(value: unknown, stack: TerraformStack): string[] {
  if (typeof value === 'string') {
    return Tokenization.reverseString(value).tokens
      .filter((token) => (token as any).originStack === stack)
      .map((token) => String((token as any).identifier));
  }
  if (Array.isArray(value)) return value.flatMap((item) => referencesTo(item, stack));
  if (value && typeof value === 'object') return Object.values(value).flatMap((item) => referencesTo(item, stack));
  return [];
}

/** The stacks from `from` to `to` along recorded cdktf dependencies (both included), if any. */
function dependencyPath(from: TerraformStack, to: TerraformStack): TerraformStack[] | undefined {
  const queue: TerraformStack[][] = [[from]];
  const seen = new Set<TerraformStack>([from]);
  while (queue.length > 0) {
    const path = queue.shift()!;
    for (const next of path[path.length - 1].dependencies) {
      if (next === to) return [...path, next];
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push([...path, next]);
    }
  }
  return undefined;
}
