import { IConstruct } from 'constructs';

/** A rule switched off for a construct, with the reason why. */
export interface CheckSuppression {
  /** Id of the rule to suppress (`MS-ADMIN-OPEN`). */
  readonly id: string;
  /** Why the finding is acceptable, at least 10 characters; shown in an info annotation. */
  readonly reason: string;
}

/** A suppression that applies to a construct, as found by {@link MicrosegSuppressions.suppressionFor}. */
export interface AppliedSuppression {
  /** Id of the suppressed rule. */
  readonly id: string;
  /** Why the finding is acceptable. */
  readonly reason: string;
  /** Path of the construct the suppression was added to. */
  readonly addedTo: string;
}

/** Metadata type under which suppressions are stored in the construct tree. */
const METADATA_TYPE = 'cdktf-microseg/check-suppressions';
const MIN_REASON = 10;

interface StoredSuppressions {
  readonly rules: CheckSuppression[];
  readonly applyToChildren: boolean;
}

/**
 * Suppressions of policy-check findings. Each needs a reason; it is stored in the construct's
 * metadata (visible in the tree) and a suppressed finding is still reported, as an info annotation.
 */
export class MicrosegSuppressions {
  /** Metadata type under which suppressions are stored. */
  public static readonly METADATA_TYPE = METADATA_TYPE;

  /**
   * Suppresses rules for a construct and, unless `applyToChildren` is false, every construct under it.
   * @param construct the construct (a flow, a segment, a workload, a stack...)
   * @param suppressions the rules to suppress, each with a reason of at least 10 characters
   * @param applyToChildren whether the suppressions also apply to the constructs under `construct`. @default true
   */
  public static addSuppressions(construct: IConstruct, suppressions: CheckSuppression[], applyToChildren?: boolean): void {
    const problems: string[] = [];
    for (const s of suppressions) {
      if (typeof s.id !== 'string' || s.id.trim() === '') {
        problems.push(`a suppression has the rule id ${JSON.stringify(s.id)}. Give the id of the rule, for example 'MS-ADMIN-OPEN'.`);
      }
      const reason = typeof s.reason === 'string' ? s.reason.trim() : '';
      if (reason.length < MIN_REASON) {
        problems.push(`the suppression of ${JSON.stringify(s.id)} has the reason ${JSON.stringify(s.reason ?? '')}, shorter than ${MIN_REASON} characters. Say why the finding is acceptable, for example { id: ${JSON.stringify(s.id)}, reason: 'Public bastion, access limited by MFA (TICKET-123)' }.`);
      }
    }
    if (problems.length > 0) {
      throw new Error(`MicrosegSuppressions on '${construct.node.path}': ${problems.join(' ')}`);
    }
    const stored: StoredSuppressions = {
      rules: suppressions.map((s) => ({ id: s.id.trim(), reason: s.reason.trim() })),
      applyToChildren: applyToChildren ?? true,
    };
    construct.node.addMetadata(METADATA_TYPE, stored);
  }

  /**
   * The suppression of `ruleId` that applies to `construct`: one added to the construct itself, or
   * to an ancestor with `applyToChildren`. The nearest one wins.
   * @returns the suppression, or undefined when the rule is not suppressed there
   */
  public static suppressionFor(construct: IConstruct, ruleId: string): AppliedSuppression | undefined {
    const scopes = construct.node.scopes;
    for (let i = scopes.length - 1; i >= 0; i--) {
      const scope = scopes[i];
      for (const entry of scope.node.metadata) {
        if (entry.type !== METADATA_TYPE) continue;
        const stored = entry.data as StoredSuppressions;
        if (scope !== construct && !stored.applyToChildren) continue;
        const rule = stored.rules.find((r) => r.id === ruleId);
        if (rule) return { id: rule.id, reason: rule.reason, addedTo: scope.node.path };
      }
    }
    return undefined;
  }

  private constructor() {}
}
