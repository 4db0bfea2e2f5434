import { Annotations, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { appWide } from '../private/app-wide';

const GUARDED = Symbol.for('cdktf-microseg.AppWideValidation');
const WARNED = Symbol.for('cdktf-microseg.Warned');

/**
 * Makes invalid intent fail the whole app before anything is written. cdktf validates and writes
 * one stack at a time, so a valid stack synthesized before an invalid one would stay on disk and
 * only the first invalid stack's problems would be listed. Every stack that exists when the app's
 * policy constructs are declared is therefore guarded (the registry guards them at the first
 * policy construct, and a later stack at its own first one): it also validates every construct of
 * the other stacks, so whichever stack is synthesized first fails with every problem of the app.
 *
 * Stacks created after the first policy construct come later in synthesis order than that
 * construct's stack, which is guarded, so they cannot be written before the check.
 *
 * The app is validated once per synthesis, not once per stack: every later stack reuses the
 * problems found. It is validated again when a policy declaration was made since (`generation`
 * changed) or when a stack asks a second time (the app, or that stack, is synthesized again).
 * An app of many stacks would otherwise validate every construct once per stack.
 */
export function guardStack(stack: TerraformStack, generation: () => number): void {
  const state = appWide<AppCheck>(stack, GUARDED, () => ({ stacks: new Set<TerraformStack>(), generation }));
  if (state.stacks.has(stack)) return;
  state.stacks.add(stack);
  stack.node.addValidation({ validate: () => otherStacksProblems(stack, state) });
}

/** What the app-wide check keeps on the app's root. */
interface AppCheck {
  /** The stacks guarded so far. */
  readonly stacks: Set<TerraformStack>;
  /** The registry's declaration count: a change means the app must be validated again. */
  readonly generation: () => number;
  /** The problems of the last validation of the app, with the stack each belongs to. */
  checked?: {
    readonly generation: number;
    readonly problems: ReadonlyArray<{ readonly stack?: TerraformStack; readonly message: string }>;
    /** The stacks these problems were given to. */
    readonly served: Set<TerraformStack>;
  };
}

/** Adds a warning to a construct unless the same warning is already there (validations can run twice). */
export function warnOnce(construct: IConstruct, message: string): void {
  const holder = construct as any;
  if (!holder[WARNED]) Object.defineProperty(holder, WARNED, { value: new Set<string>() });
  if (holder[WARNED].has(message)) return;
  holder[WARNED].add(message);
  Annotations.of(construct).addWarning(message);
}

/** The validation errors of every construct outside `stack`, prefixed with their paths as cdktf does. */
function otherStacksProblems(stack: TerraformStack, state: AppCheck): string[] {
  if (validatingApp) return []; // another stack's check is validating this one: no recursion
  const generation = state.generation();
  if (state.checked?.generation !== generation || state.checked.served.has(stack)) {
    state.checked = { generation, problems: appProblems(stack), served: new Set() };
  }
  state.checked.served.add(stack);
  return state.checked.problems.filter((problem) => problem.stack !== stack).map((problem) => problem.message);
}

/**
 * The validation errors of every construct of the app outside `stack`, each with the stack it
 * belongs to. Everything below `stack` (stacks nested in it too) is validated by cdktf in the same
 * pass as this check, which fails then if they have problems: the later stacks that reuse the
 * result need not see them again, so that part of the tree is not walked.
 */
function appProblems(stack: TerraformStack): Array<{ stack?: TerraformStack; message: string }> {
  validatingApp = true;
  try {
    const problems: Array<{ stack?: TerraformStack; message: string }> = [];
    // every construct below the root but outside `stack`, parents before children as `findAll`
    // lists them, each with the stack it belongs to carried down rather than looked up through its scopes
    const visit = (construct: IConstruct, owner: TerraformStack | undefined): void => {
      for (const child of construct.node.children) {
        if (child === stack) continue;
        const childOwner = TerraformStack.isStack(child) ? child : owner;
        for (const message of child.node.validate()) problems.push({ stack: childOwner, message: `[${child.node.path}] ${message}` });
        visit(child, childOwner);
      }
    };
    visit(stack.node.root, undefined);
    return problems;
  } finally {
    validatingApp = false;
  }
}

let validatingApp = false;

