import { z } from 'zod';

const entrySchema = z.strictObject({
  path: z.string(),
  scope: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

/** What one app runs in one environment, and where that came from. */
const releaseSchema = z.strictObject({
  env: z.string(),
  app: z.string(),
  /** The image reference the manifests pull. */
  image: z.string(),
  tag: z.string(),
  digest: z.string().optional(),
  configVersion: z.string().optional(),
  /** The canary environment's traffic weight, in percent. */
  canaryWeight: z.number().optional(),
  /** `release` (from a tag) or `promote` (from the environment in `from`). */
  action: z.string().optional(),
  from: z.string().optional(),
  /** When the release tag was made, from git. */
  tagTime: z.string().optional(),
  /** The platform commit the release was cut from. */
  releaseCommit: z.string().optional(),
  /** The platform commit the release or promotion ran from. */
  sourceCommit: z.string().optional(),
  reason: z.string().optional(),
});

const indexSchema = z.strictObject({
  generator: z.literal('platform-synth'),
  sourceCommit: z.string(),
  files: z.array(entrySchema),
  /** Provenance: the release of every app in every environment. */
  releases: z.array(releaseSchema).optional(),
});

/** The file in the output root that lists every file the tool wrote. Pruning trusts only this. */
export type ManifestIndex = z.infer<typeof indexSchema>;
export type IndexEntry = z.infer<typeof entrySchema>;
export type ReleaseRecord = z.infer<typeof releaseSchema>;

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
