import { Annotations, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';

const GUARDED = Symbol.for('cdktf-microseg.AppWideValidation');
const WARNED = Symbol.for('cdktf-microseg.Warned');

/**
 * Makes invalid intent fail the whole app before anything is written. cdktf validates and writes
 * one stack at a time, so a valid stack synthesized before an invalid one would stay on disk and
 * only the first invalid stack's problems would be listed. Every stack that exists when the app's
 * policy constructs are declared therefore also validates every construct of the other stacks:
 * whichever stack is synthesized first fails with every problem of the app.
 *
 * Stacks created after the first policy construct come later in synthesis order than that
 * construct's stack, which is guarded, so they cannot be written before the check.
 */
export function guardAppStacks(scope: IConstruct): void {
  const root = scope.node.root as any;
  const children = root.node.children as IConstruct[];
  if (root[GUARDED]?.seen === children.length) return;
  if (!root[GUARDED]) Object.defineProperty(root, GUARDED, { value: { seen: 0, stacks: new Set<TerraformStack>() } });
  const state = root[GUARDED] as { seen: number; stacks: Set<TerraformStack> };
  state.seen = children.length;
  for (const child of children) {
    if (!TerraformStack.isStack(child) || state.stacks.has(child)) continue;
    state.stacks.add(child);
    child.node.addValidation({ validate: () => otherStacksProblems(child) });
  }
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
function otherStacksProblems(stack: TerraformStack): string[] {
  if (validatingApp) return []; // another stack's check is validating this one: no recursion
  validatingApp = true;
  try {
    const problems: string[] = [];
    for (const construct of stack.node.root.node.findAll()) {
      if (construct === stack.node.root || owningStack(construct) === stack) continue;
      for (const message of construct.node.validate()) problems.push(`[${construct.node.path}] ${message}`);
    }
    return problems;
  } finally {
    validatingApp = false;
  }
}

let validatingApp = false;

function owningStack(construct: IConstruct): TerraformStack | undefined {
  const scopes = construct.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) {
    if (TerraformStack.isStack(scopes[i])) return scopes[i] as TerraformStack;
  }
  return undefined;
}
