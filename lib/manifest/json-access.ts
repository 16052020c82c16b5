/**
 * Typed reads of parsed YAML and JSON, which arrive as `unknown`: each answers undefined (or empty)
 * for a value of the wrong type, so a reader never casts and a malformed object never throws.
 */

/** A parsed mapping. */
export type JsonRecord = Readonly<Record<string, unknown>>;

/** A mapping: an object that is neither null nor an array. */
export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The value at a path of keys and array indexes, or undefined. Keys are separate arguments, not a
 * dotted string, because label and annotation keys hold dots (`app.kubernetes.io/name`). Only own
 * keys are read, so a key such as `constructor` never reaches `Object.prototype`.
 */
export function at(value: unknown, ...keys: readonly (string | number)[]): unknown {
  let cursor = value;
  for (const key of keys) {
    if (typeof key === 'number') cursor = Array.isArray(cursor) ? cursor[key] : undefined;
    else cursor = isRecord(cursor) && Object.hasOwn(cursor, key) ? cursor[key] : undefined;
    if (cursor === undefined) return undefined;
  }
  return cursor;
}

export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The string entries of a mapping, such as labels or a selector; other entries are left out. */
export function strMap(value: unknown): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  if (isRecord(value)) for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}
