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

/**
 * The problems one renderer found while rendering flows, one set per flow. The first look at a
 * flow's set adds a validation to the flow that reports them when the app is synthesized, as
 * `AllowFlow '<path>' <problem>` (or `DenyFlow ...`). A renderer that recomputes a flow clears the
 * set first, so only the problems of the latest rendering are reported.
 */
export class FlowProblems {
  private readonly byFlow = new WeakMap<RenderedFlow, Set<string>>();

  /** Creates the problem sets of one renderer. */
  public constructor(private readonly options: FlowProblemsOptions = {}) {}

  /** The problems of `flow` (created empty, and wired into the flow's validation, on first use). */
  public of(flow: RenderedFlow): Set<string> {
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
