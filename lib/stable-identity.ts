import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { digest } from './private/identity';
import { constructPath } from './private/one-byte-strings';
import { expressionText } from './private/terraform-text';

/**
 * The identity of an intent construct: the `stableId` its author gave it, else its construct path.
 * Rendered resources derive their Terraform addresses and their replace-on-change names from it,
 * so renaming or moving a construct that keeps its `stableId` changes nothing in the estate.
 */
export function stableIdentity(construct: IConstruct, stableId: string | undefined): string {
  return stableId ?? constructPath(construct);
}

/**
 * Problems of a user-given `stableId`: empty, or characters that cannot stay readable in resource
 * names. The path-like form of construct paths (letters, digits, `-`, `_`, `.`, `/`) is allowed.
 */
export function stableIdProblems(stableId: string | undefined, scope?: IConstruct): string[] {
  if (stableId === undefined) return [];
  if (Token.isUnresolved(stableId)) {
    const text = scope ? expressionText(scope, stableId) ?? 'a Terraform expression' : 'a Terraform expression';
    return [`has stableId ${text}, a Terraform expression: a stableId names the resources at synth, so it must be a literal string. Give the value as a string (for example the former construct path "App/Web").`];
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9_./-]{0,199}$/.test(stableId)) {
    return [`has stableId ${JSON.stringify(stableId)}; a stableId is 1-200 characters of letters, digits, "-", "_", "." and "/", starting with a letter or digit. Keep the value it had when its resources were first deployed (for example the former construct path "App/Web").`];
  }
  return [];
}

/**
 * A stableId the library derives for a construct it creates on the user's behalf (the flows of
 * `Segment.allowFrom` and friends): `text` with the characters a stableId refuses replaced, and cut
 * to fit with a digest of the whole when too long.
 */
export function derivedStableId(text: string): string {
  const clean = text.replace(/[^A-Za-z0-9_./-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return clean.length <= 200 ? clean : `${clean.slice(0, 190)}-${digest(text)}`;
}
