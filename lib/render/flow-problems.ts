import { DenyFlow } from '../deny-flow';
import { AllowFlow } from '../flow';
import { compare } from '../registry';

/** A flow a renderer turns into rules: an application or guardrail allow, or a guardrail deny. */
export type RenderedFlow = AllowFlow | DenyFlow;

/** How a renderer reports the problems it finds in flows. */
export interface FlowProblemsOptions {
  /**
   * Report a flow's problems sorted (true) or in the order they were found (false).
   * @default false
   */
  readonly sorted?: boolean;
}

/** Where a renderer puts the problems it finds in one flow (a `Set<string>` is one). */
export interface FlowProblemSet {
  /** Adds a problem (a sentence that follows the flow's path in the error). */
  add(problem: string): unknown;
  /** Forgets the problems found so far: the flow is being rendered again. */
  clear(): void;
}

/**
 * The problems one renderer found while rendering flows. The first problem found in a flow adds a
 * validation to the flow that reports them when the app is synthesized, as `AllowFlow '<path>'
 * <problem>` (or `DenyFlow ...`). A renderer that recomputes a flow clears its problems first, so
 * only the problems of the latest rendering are reported. A flow without problems costs nothing:
 * most flows have none, and an estate has tens of thousands of flows.
 */
export class FlowProblems {
  private readonly byFlow = new WeakMap<RenderedFlow, Set<string>>();

  /** Creates the problem sets of one renderer. */
  public constructor(private readonly options: FlowProblemsOptions = {}) {}

  /** The problems of `flow`, to add to or clear. */
  public of(flow: RenderedFlow): FlowProblemSet {
    return {
      add: (problem) => this.found(flow).add(problem),
      clear: () => this.byFlow.get(flow)?.clear(),
    };
  }

  /** The set of `flow`'s problems, created and wired into the flow's validation on the first problem. */
  private found(flow: RenderedFlow): Set<string> {
    let problems = this.byFlow.get(flow);
    if (!problems) {
      const found = new Set<string>();
      problems = found;
      this.byFlow.set(flow, found);
      const kind = DenyFlow.isDenyFlow(flow) ? 'DenyFlow' : 'AllowFlow';
      flow.node.addValidation({
        validate: () => {
          const list = [...found];
          if (this.options.sorted) list.sort(compare);
          return list.map((p) => `${kind} '${flow.node.path}' ${p}`);
        },
      });
    }
    return problems;
  }
}
