import { z } from 'zod';

const entrySchema = z.strictObject({
  path: z.string(),
  scope: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

const indexSchema = z.strictObject({
  generator: z.literal('platform-synth'),
  sourceCommit: z.string(),
  files: z.array(entrySchema),
});

/** The file in the output root that lists every file the tool wrote. Pruning trusts only this. */
export type ManifestIndex = z.infer<typeof indexSchema>;
export type IndexEntry = z.infer<typeof entrySchema>;

/** Parses an index read from disk; throws with the fix when it is damaged. */
export function parseIndex(text: string, path: string): ManifestIndex {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error(`${path} is not valid JSON; fix: restore it from git (git checkout -- ${path}) or delete it and remove stale files by hand`);
  }
  const result = indexSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${path} is not a platform-synth index (${issue.path.join('.')}: ${issue.message}); fix: restore it from git or delete it`);
  }
  return result.data;
}
