import { IConstruct } from 'constructs';
import { PolicyView } from './policy-view';

/** How serious a finding of a rule is. */
export enum FindingLevel {
  /** The finding fails synthesis (an error annotation). */
  ERROR = 'error',
  /** The finding is shown when the app is synthesized but does not fail it (a warning annotation). */
  WARNING = 'warning',
}

/** What a rule concluded about one construct. Compliant constructs produce no result. */
export enum CheckOutcome {
  /** The construct breaks the rule: reported at the rule's level. */
  NON_COMPLIANT = 'non-compliant',
  /** The rule cannot decide (for example a CIDR that is an unresolved token): reported as a warning. */
  UNKNOWN = 'unknown',
  /** The rule does not apply to the construct (for example an invalid flow that its own validation reports): not reported. */
  NOT_APPLICABLE = 'not-applicable',
}

/** One result of a rule: a finding, or a "cannot check" with its reason. */
export interface CheckResult {
  /** Id of the rule that produced the result (`MS-ADMIN-OPEN`). */
  readonly ruleId: string;
  /** Level of the rule. */
  readonly level: FindingLevel;
  /** What the rule concluded. */
  readonly outcome: CheckOutcome;
  /** The construct that owns the result; annotations are added to it. */
  readonly construct: IConstruct;
  /** The finding (naming the construct path, quoting the value, suggesting the fix), or why the rule cannot decide. */
  readonly message: string;
}

/**
 * A policy check: a pure function of the {@link PolicyView}. It must not change the app; it returns
 * one result per non-compliant construct and says so when it cannot decide instead of passing.
 */
export interface ICheckRule {
  /** Stable id, used in annotations and suppressions (`MS-ADMIN-OPEN`). */
  readonly id: string;
  /** Level of the findings of this rule. */
  readonly level: FindingLevel;
  /** One sentence saying what the rule requires. */
  readonly description: string;

  /** Checks the whole policy and returns the non-compliant and undecidable constructs. */
  check(view: PolicyView): CheckResult[];
}

/** Builds {@link CheckResult}s for a rule. */
export class CheckResults {
  /** The construct breaks the rule. */
  public static nonCompliant(rule: ICheckRule, construct: IConstruct, message: string): CheckResult {
    return { ruleId: rule.id, level: rule.level, outcome: CheckOutcome.NON_COMPLIANT, construct, message };
  }

  /** The rule cannot decide for this construct; `reason` says why. */
  public static unknown(rule: ICheckRule, construct: IConstruct, reason: string): CheckResult {
    return { ruleId: rule.id, level: rule.level, outcome: CheckOutcome.UNKNOWN, construct, message: reason };
  }

  /** The rule does not apply to this construct; `reason` says why. */
  public static notApplicable(rule: ICheckRule, construct: IConstruct, reason: string): CheckResult {
    return { ruleId: rule.id, level: rule.level, outcome: CheckOutcome.NOT_APPLICABLE, construct, message: reason };
  }

  private constructor() {}
}
