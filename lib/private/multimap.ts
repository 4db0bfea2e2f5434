/**
 * Appends `value` to the list `map` holds for `key`, creating it on first use. The list grows in
 * place: copying it on every append would make grouping n items cost n squared. (The evaluator,
 * which imports nothing of the rest of the library, has its own in `lib/verify/multimap.ts`.)
 */
export function appendTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
