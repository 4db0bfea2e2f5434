import { Construct } from 'constructs';

/**
 * The plain construct `id` under `scope` that holds rendered resources (a stack's rules, an
 * enforcement's network ACLs), created on first use.
 */
export function rulesContainer(scope: Construct, id: string): Construct {
  return (scope.node.tryFindChild(id) as Construct | undefined) ?? new Construct(scope, id);
}
