import { Annotations, Aspects, IAspect, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { CheckOutcome, CheckResult, FindingLevel, ICheckRule } from './check-rule';
import { PolicyView } from './policy-view';
import { PolicyRegistry, compare, stackHolding } from '../registry';
import { MicrosegSuppressions } from './suppressions';

/**
 * A pack of policy checks, applied as an Aspect: `Aspects.of(stack).add(pack)`.
 *
 * When the Aspect visits a stack it runs every rule over the whole app's intent, then reports each
 * result on the construct that owns it when the Aspect visits that construct, so a finding is
 * reported once, in its own stack, however many stacks carry the pack. Findings of rules at level
 * ERROR become error annotations (cdktf fails synthesis on them), WARNING ones warnings; a rule
 * that cannot decide is reported as a warning (`[ID] cannot check: ...`); a suppressed finding as an
 * info (`[ID] suppressed: <reason>`).
 *
 * cdktf does not invoke Aspects added to the App for its stacks: add the pack to every stack, for
 * example with {@link CheckPack.addToEveryStack}.
 */
export class CheckPack implements IAspect {
  /** Name of the pack. */
  public readonly name: string;
  /** The rules of the pack. */
  public readonly rules: ICheckRule[];
  private cache?: { readonly fingerprint: string; readonly byConstruct: Map<IConstruct, CheckResult[]> };

  /**
   * Declares a pack.
   * @param name name of the pack
   * @param rules the rules; ids must be unique
   */
  public constructor(name: string, rules: ICheckRule[]) {
    const seen = new Set<string>();
    for (const rule of rules) {
      if (!rule || typeof rule.id !== 'string' || rule.id.trim() === '' || typeof rule.check !== 'function') {
        throw new Error(`CheckPack '${name}': every rule needs a non-empty id and a check(view) method; got ${JSON.stringify(rule?.id)}.`);
      }
      if (seen.has(rule.id)) {
        throw new Error(`CheckPack '${name}': rule id "${rule.id}" appears twice. Give each rule its own id, or list it once.`);
      }
      seen.add(rule.id);
    }
    this.name = name;
    this.rules = [...rules];
  }

  /**
   * Runs every rule over the intent of the app that `scope` belongs to, without reporting anything.
   * A rule that throws yields an UNKNOWN result on `scope`.
   */
  public check(scope: IConstruct): CheckResult[] {
    const view = PolicyView.of(scope);
    const results: CheckResult[] = [];
    for (const rule of this.rules) {
      try {
        results.push(...rule.check(view));
      } catch (e) {
        results.push({
          ruleId: rule.id,
          level: rule.level,
          outcome: CheckOutcome.UNKNOWN,
          construct: scope,
          message: `rule ${rule.id} of pack '${this.name}' failed: ${(e as Error)?.message ?? e}. Fix the rule, or suppress ${rule.id} with a reason.`,
        });
      }
    }
    return results;
  }

  /** Adds this pack to every stack under `scope` (an App, usually). Call it after declaring the stacks. */
  public addToEveryStack(scope: IConstruct): void {
    const stacks = scope.node.findAll().filter((c) => TerraformStack.isStack(c));
    for (const stack of stacks) {
      const aspects = Aspects.of(stack);
      if (!aspects.all.includes(this)) aspects.add(this);
    }
  }

  /** Reports the results owned by `node` (Aspect entry point). */
  public visit(node: IConstruct): void {
    const fingerprint = this.fingerprint(node);
    if (!this.cache || TerraformStack.isStack(node) || this.cache.fingerprint !== fingerprint) {
      const byConstruct = new Map<IConstruct, CheckResult[]>();
      for (const result of this.check(node)) {
        const list = byConstruct.get(result.construct) ?? [];
        list.push(result);
        byConstruct.set(result.construct, list);
      }
      this.cache = { fingerprint, byConstruct };
    }
    if (TerraformStack.isStack(node)) this.holdBackForOtherStacks(node, this.cache.byConstruct);
    for (const result of this.cache.byConstruct.get(node) ?? []) report(result);
  }

  /**
   * cdktf writes each stack as soon as its own errors are checked, so an error finding in a later
   * stack would fail synthesis with this one already written. A stack is therefore held back (an
   * error on it) while the pack finds errors in other stacks that carry it.
   */
  private holdBackForOtherStacks(stack: TerraformStack, byConstruct: ReadonlyMap<IConstruct, CheckResult[]>): void {
    const elsewhere = new Map<string, string[]>();
    for (const [construct, results] of byConstruct) {
      const owner = stackHolding(construct);
      // only stacks that carry this pack report its findings
      if (owner === undefined || owner === stack || !Aspects.of(owner).all.includes(this)) continue;
      for (const result of results) {
        if (!isError(result)) continue;
        const list = elsewhere.get(owner.node.path) ?? [];
        list.push(`[${result.ruleId}] on '${construct.node.path}'`);
        elsewhere.set(owner.node.path, list);
      }
    }
    if (elsewhere.size === 0) return;
    const where = [...elsewhere].sort(([a], [b]) => compare(a, b)).map(([path, findings]) => `stack '${path}' (${findings.join(', ')})`).join('; ');
    addOnce(stack, 'error', `[${this.name}] this stack is not written while the checks fail in ${where}: fix or suppress those findings; the app is written as a whole or not at all.`);
  }

  private fingerprint(node: IConstruct): string {
    const registry = PolicyRegistry.of(node);
    return `${registry.segments.length}/${registry.workloads.length}/${registry.flows.length}`;
  }
}

/** Whether a result fails synthesis: an ERROR rule's non-compliant finding, not suppressed. */
function isError(result: CheckResult): boolean {
  return result.outcome === CheckOutcome.NON_COMPLIANT && result.level === FindingLevel.ERROR
    && MicrosegSuppressions.suppressionFor(result.construct, result.ruleId) === undefined;
}

function report(result: CheckResult): void {
  if (result.outcome === CheckOutcome.NOT_APPLICABLE) return;
  const construct = result.construct;
  const suppression = MicrosegSuppressions.suppressionFor(construct, result.ruleId);
  const text = result.outcome === CheckOutcome.UNKNOWN ? `cannot check: ${result.message}` : result.message;
  if (suppression) {
    addOnce(construct, 'info', `[${result.ruleId}] suppressed: ${suppression.reason} (on '${suppression.addedTo}'; finding: ${text})`);
  } else if (result.outcome === CheckOutcome.NON_COMPLIANT && result.level === FindingLevel.ERROR) {
    addOnce(construct, 'error', `[${result.ruleId}] ${text}`);
  } else {
    addOnce(construct, 'warning', `[${result.ruleId}] ${text}`);
  }
}

const ANNOTATION_TYPES = { info: '@cdktf/info', warning: '@cdktf/warn', error: '@cdktf/error' } as const;

function addOnce(construct: IConstruct, level: keyof typeof ANNOTATION_TYPES, message: string): void {
  if (construct.node.metadata.some((m) => m.type === ANNOTATION_TYPES[level] && m.data === message)) return;
  const annotations = Annotations.of(construct);
  if (level === 'error') annotations.addError(message);
  else if (level === 'warning') annotations.addWarning(message);
  else annotations.addInfo(message);
}
