import { isRecord } from './json-access';
import type { Manifest } from './manifest';

/** The fields of a Secret that hold values in the manifest itself. */
export const SECRET_DATA_FIELDS = ['data', 'stringData'] as const;

/**
 * The fields of a Secret that carry values into Git: `data` and `stringData` when not empty.
 * Empty for a Secret without values and for every other kind: secrets come through ExternalSecrets.
 */
export function secretDataFields(m: Manifest): (typeof SECRET_DATA_FIELDS)[number][] {
  if (m.kind !== 'Secret') return [];
  return SECRET_DATA_FIELDS.filter((f) => {
    const value = m.body[f];
    return isRecord(value) && Object.keys(value).length > 0;
  });
}
