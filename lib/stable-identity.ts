import { IConstruct } from 'constructs';

/**
 * The identity of an intent construct: the `stableId` its author gave it, else its construct path.
 * Rendered resources derive their Terraform addresses and their replace-on-change names from it,
 * so renaming or moving a construct that keeps its `stableId` changes nothing in the estate.
 */
export function stableIdentity(construct: IConstruct, stableId: string | undefined): string {
  return stableId ?? construct.node.path;
}

/**
 * Problems of a user-given `stableId`: empty, or characters that cannot stay readable in resource
 * names. The path-like form of construct paths (letters, digits, `-`, `_`, `.`, `/`) is allowed.
 */
export function stableIdProblems(stableId: string | undefined): string[] {
  if (stableId === undefined) return [];
  if (!/^[A-Za-z0-9][A-Za-z0-9_./-]{0,199}$/.test(stableId)) {
    return [`has stableId ${JSON.stringify(stableId)}; a stableId is 1-200 characters of letters, digits, "-", "_", "." and "/", starting with a letter or digit. Keep the value it had when its resources were first deployed (for example the former construct path "App/Web").`];
  }
  return [];
}
