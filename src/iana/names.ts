/**
 * Reverse lookup for `as const` registries: value -> name, with a readable fallback for values the
 * registry does not list.
 */

/** Build a value -> name map from a registry object. */
export function nameMap<T extends Record<string, number>>(registry: T): ReadonlyMap<number, keyof T & string> {
  const m = new Map<number, keyof T & string>();
  for (const [k, v] of Object.entries(registry)) if (!m.has(v)) m.set(v, k as keyof T & string);
  return m;
}

/** Name of `value` in `map`, or `UNKNOWN_<value>`. */
export function nameOf(map: ReadonlyMap<number, string>, value: number): string {
  return map.get(value) ?? `UNKNOWN_${value}`;
}
