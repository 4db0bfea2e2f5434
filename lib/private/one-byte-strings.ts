import { IConstruct } from 'constructs';

/**
 * A construct's path (`Stack/App/Web`), the text of `node.path`, kept one byte per character.
 *
 * `node.path` joins the ids with `Array.prototype.join`. V8 (Node 20) makes a two-byte string of a
 * join that meets a forwarding ("thin") string, and a new id becomes one as soon as constructs files
 * it as a child key. Identities derived from such paths, and every key, rule id and tag built from
 * them, would take two bytes per character, and so would each later join over them: cdktf's
 * logical ids, and the path of every value cdktf resolves. Concatenation reads through forwarding
 * strings.
 */
export function constructPath(construct: IConstruct): string {
  let path = '';
  for (const scope of construct.node.scopes) {
    const id = scope.node.id;
    if (id) path = path === '' ? id : `${path}/${id}`;
  }
  return path;
}

/**
 * Where {@link asTableEntry} files names, empty between calls. V8 keeps an object without a
 * prototype in dictionary mode, so filing a name adds no hidden class (an object literal with a
 * computed key would add one per name, each copying a growing transition table).
 */
const NAMES: Record<string, true> = Object.create(null);

/**
 * The same text as V8's own table entry (an internalized string), for a construct id.
 *
 * Constructs files an id as a child key, which turns a new string into a forwarding one, and cdktf
 * joins ids into logical ids (see {@link constructPath}); an id that already is the table's entry
 * is never turned into one.
 */
export function asTableEntry(text: string): string {
  NAMES[text] = true;
  let entry = text;
  // the one name filed; `for...in` reads it without making an array of the keys, as Object.keys does
  for (const name in NAMES) {
    entry = name;
    break;
  }
  delete NAMES[text];
  return entry;
}
