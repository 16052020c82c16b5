import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import { load } from 'js-yaml';
import { isRecord, type JsonRecord } from '../manifest/json-access';
import { toManifest } from '../manifest/manifest';

/** Lines of context around each change in an object's diff. */
export const PATCH_CONTEXT = 3;

/** The object in a manifest file, or undefined when the file is not one YAML mapping. */
export function parseManifest(text: string): JsonRecord | undefined {
  try {
    const value = load(text);
    return isRecord(value) ? value : undefined;
  } catch {
    // A hand-edited file that no longer parses is still compared as text.
    return undefined;
  }
}

/** `kind` and `Kind/name` of an object; from the file name when the object cannot be read. */
export function objectIdentity(path: string, object: JsonRecord | undefined): { kind: string; name: string } {
  const manifest = toManifest(object);
  if (manifest?.name !== undefined) return { kind: manifest.kind, name: `${manifest.kind}/${manifest.name}` };
  const file = path.slice(path.lastIndexOf('/') + 1);
  return { kind: 'file', name: file };
}

/** The unified diff of one file, `--- a/path` / `+++ b/path`, with {@link PATCH_CONTEXT} lines of context. */
export function textPatch(path: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${path}`, `b/${path}`, before, after, undefined, undefined, {
    context: PATCH_CONTEXT,
    headerOptions: FILE_HEADERS_ONLY,
  });
}
