/**
 * Appends `value` to the list kept under `key`. A new list is the literal `[value]`, sized to its one element: an
 * empty array grown by push reserves room for 17, and maps of one-element lists (one entry per Gateway of a large
 * workspace) would otherwise hold mostly empty slots that every garbage collection copies.
 */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
