import { z } from 'zod';
import { ConfigError } from './config-error';

/** Strict semver with a leading `v`: what release tags look like. */
export const RELEASE_TAG = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

const appRelease = z.strictObject({
  tag: z.string().regex(RELEASE_TAG).optional(),
  digest: z.string().regex(DIGEST).optional(),
});

const envRelease = z.strictObject({
  /** The release every app of the environment runs unless it names its own. */
  tag: z.string().regex(RELEASE_TAG),
  apps: z.record(z.string(), appRelease).optional(),
});

const releasesSchema = z.strictObject({
  environments: z.record(z.string(), envRelease),
});

/** The release each environment runs: the file `apps/releases.json`. */
export type ReleasesConfig = z.infer<typeof releasesSchema>;

/** One app's image release in one environment. */
export interface AppRelease {
  readonly tag: string;
  readonly digest?: string;
}

const FIXES: Record<string, string> = {
  tag: 'use a strict semver tag with a leading v, such as v1.2.3',
  digest: 'use a full image digest, such as sha256:<64 hex digits>, or remove it',
};

/** Parses and checks the releases file; the error names the environment, app and field. */
export function parseReleases(data: unknown, source = 'apps/releases.json'): ReleasesConfig {
  const result = releasesSchema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue.path.map(String);
  const env = path[0] === 'environments' ? path[1] : undefined;
  const app = path[2] === 'apps' ? path[3] : undefined;
  const field = path[path.length - 1] ?? 'environments';
  throw new ConfigError({
    app,
    env,
    field: `${source}:${path.join('.') || '(root)'}`,
    value: valueAt(data, issue.path),
    problem: `is invalid (${issue.message})`,
    fix: FIXES[field] ?? `correct ${field} in ${source}`,
  });
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let cursor: unknown = data;
  for (const key of path) {
    if (cursor === null || typeof cursor !== 'object') return undefined;
    cursor = (cursor as Record<PropertyKey, unknown>)[key];
  }
  return cursor;
}
