/**
 * Appends `values` to the list `map` holds for `key`, creating it on first use. The list is
 * extended in place: copying it on every append would make grouping n items cost n squared.
 */
export function appendTo<K, V>(map: Map<K, V[]>, key: K, ...values: V[]): void {
  const list = map.get(key);
  if (list) list.push(...values);
  else map.set(key, [...values]);
}

/** What {@link valueFor} keeps values in: a `Map`, or a `WeakMap` keyed by objects. */
export interface KeyedStore<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): unknown;
}

/** The value `map` holds for `key`, made by `create` and kept on first use. */
export function valueFor<K, V>(map: KeyedStore<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}
