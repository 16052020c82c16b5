import * as fs from 'node:fs';
import parseSemver from 'semver/functions/parse';
import { z } from 'zod';
import { ConfigError } from './config-error';

/** The longest release tag: a Kubernetes label value holds at most 63 characters. */
const MAX_TAG_LENGTH = 63;

/**
 * Strict semver with a leading `v`, without build metadata, and at most 63 characters: what release
 * tags look like. The tag becomes an image tag and a Kubernetes label value, which allows neither `+`
 * nor more than 63 characters. Semver itself is the `semver` package's strict parser.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
 * @see https://semver.org/#spec-item-9
 */
export function isReleaseTag(tag: string): boolean {
  if (tag.length > MAX_TAG_LENGTH || !tag.startsWith('v')) return false;
  const version = parseSemver(tag);
  return version !== null && version.build.length === 0;
}

/** {@link isReleaseTag} under the name (and `test` method) the callers of the former pattern use. */
export const RELEASE_TAG: { readonly test: (tag: string) => boolean } = { test: isReleaseTag };
/** A release tag in a releases file: zod checks it is a string, semver the rest. */
const releaseTag = (): z.ZodString => z.string().refine(isReleaseTag, 'not a release tag such as v1.2.3');
/** A full image digest. */
export const IMAGE_DIGEST = /^sha256:[0-9a-f]{64}$/;
/** A hash of an app's config, as {@link configVersion} in lib/gitops makes it. */
export const CONFIG_VERSION = /^[0-9a-f]{16}$/;
/** An ISO 8601 time with a zone, as `git log --format=%cI` prints it. */
export const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Where a release in an environment came from: written by `release` and `promote`, never by hand. */
const provenance = z.strictObject({
  /**
   * `release`: set from a tag of the source repository. `promote`: copied from another environment.
   * `rollback`: restored from an earlier version of the releases file (see restoredCommit).
   */
  action: z.enum(['release', 'promote', 'rollback']),
  /** The environment a promotion copied the release from. */
  from: z.string().optional(),
  /** The release tag. */
  tag: releaseTag(),
  /** When the release tag was made, from git. */
  tagTime: z.string().regex(ISO_TIME).optional(),
  /** The commit of the platform repository the release was cut from. */
  releaseCommit: z.string().min(1).optional(),
  /** The commit of the platform repository this release or promotion ran from. */
  sourceCommit: z.string().min(1),
  /** Why a promotion skipped environments (`--force --reason`). */
  reason: z.string().min(1).optional(),
  /** The environments a forced promotion skipped. */
  skipped: z.array(z.string()).optional(),
  /** A rollback: the GitOps commit whose entry it restored. */
  restoredCommit: z.string().min(1).optional(),
  /** A rollback: the release it replaced, and the GitOps commit that had brought it. */
  replacedTag: releaseTag().optional(),
  replacedCommit: z.string().min(1).optional(),
});

const appRelease = z.strictObject({
  tag: releaseTag().optional(),
  digest: z.string().regex(IMAGE_DIGEST).optional(),
  /** The app's config this release was validated with. */
  configVersion: z.string().regex(CONFIG_VERSION).optional(),
  provenance: provenance.optional(),
});

const envRelease = z.strictObject({
  /** The release every app of the environment runs unless it names its own. */
  tag: releaseTag(),
  /** Percent of traffic the canary environment takes; only the canary environment has one. */
  canaryWeight: z.number().int().min(0).max(100).optional(),
  provenance: provenance.optional(),
  apps: z.record(z.string(), appRelease).optional(),
});

const releasesSchema = z.strictObject({
  environments: z.record(z.string(), envRelease),
});

/** The release each environment runs: `releases.json` of the output root, seeded from `apps/releases.json`. */
export type ReleasesConfig = z.infer<typeof releasesSchema>;
export type EnvReleaseConfig = z.infer<typeof envRelease>;
export type AppReleaseConfig = z.infer<typeof appRelease>;
export type ReleaseProvenance = z.infer<typeof provenance>;

/** One app's image release in one environment. */
export interface AppRelease {
  readonly tag: string;
  readonly digest?: string;
}

/** One app's release in one environment, with the environment's defaults applied. */
export interface EffectiveRelease extends AppRelease {
  readonly configVersion?: string;
  readonly provenance?: ReleaseProvenance;
}

/** The release `app` runs in `env`: its own entry over the environment's. */
export function effectiveRelease(env: EnvReleaseConfig, app: string): EffectiveRelease {
  const own = env.apps?.[app] ?? {};
  return {
    tag: own.tag ?? env.tag,
    digest: own.digest,
    configVersion: own.configVersion,
    provenance: own.provenance ?? env.provenance,
  };
}


const FIXES: Record<string, string> = {
  tag: 'use a strict semver tag with a leading v, no build metadata (+...) and at most 63 characters, such as v1.2.3',
  digest: 'use a full image digest, such as sha256:<64 hex digits>, or remove it',
  configVersion: 'remove it; release and promote write it',
  canaryWeight: 'use an integer from 0 to 100',
  tagTime: 'use an ISO 8601 time such as 2024-05-01T12:00:00Z, or remove it',
};

/**
 * How to restore a damaged releases file: from the index while the damage is uncommitted, else from
 * the last commit that had it whole (a clean GitOps checkout, as release and rollback need, has it committed).
 */
function restoreFix(file: string): string {
  const name = file.replace(/ at .*$/, '');
  return `restore it from git (git checkout -- ${name}; once the damage is committed, git log -p -- ${name} names the last good commit: git checkout COMMIT -- ${name}, then commit it)`;
}

/**
 * Parses and checks the text of a releases file; `source` names it in messages. Text that is not
 * JSON is a config error too, so a damaged file is one line and exit 2.
 */
export function parseReleasesText(text: string, source: string): ReleasesConfig {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw new ConfigError({ field: source, value: undefined, problem: `cannot be read as JSON (${reason})`, fix: restoreFix(source) });
  }
  return parseReleases(data, source);
}

/** Reads and checks one releases file; `label` names it in messages. */
export function readReleasesFile(file: string, label = file): ReleasesConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ConfigError({ field: label, value: undefined, problem: `cannot be read (${code})`, fix: restoreFix(label) });
  }
  return parseReleasesText(text, label);
}

/** Parses and checks a releases file; the error names the file, environment, app and field. */
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

/**
 * Checks a releases file against the platform's environments and apps: every environment has a
 * release, every app named is known, and only `canaryEnv` carries a canary weight.
 */
export function checkReleases(
  releases: ReleasesConfig,
  source: string,
  environments: readonly string[],
  apps: readonly string[],
  canaryEnv: string | undefined,
): void {
  const fail = (env: string, app: string | undefined, field: string, value: unknown, problem: string, fix: string): never => {
    throw new ConfigError({ env, app, field: `${source}:${field}`, value, problem, fix });
  };
  for (const env of environments) {
    if (releases.environments[env] === undefined) {
      fail(env, undefined, `environments.${env}`, undefined, `has no release for environment "${env}"`,
        `add "${env}": { "tag": "v0.1.0" } to ${source}`);
    }
  }
  for (const [env, release] of Object.entries(releases.environments)) {
    if (!environments.includes(env)) {
      fail(env, undefined, 'environments', env, 'is not an environment of the platform', `remove it, or use one of ${environments.join(', ')}`);
    }
    for (const app of Object.keys(release.apps ?? {})) {
      if (!apps.includes(app)) fail(env, app, `environments.${env}.apps`, app, 'is not an app of the platform', `remove it, or use one of ${apps.join(', ')}`);
    }
    if (release.canaryWeight !== undefined && env !== canaryEnv) {
      fail(env, undefined, `environments.${env}.canaryWeight`, release.canaryWeight, 'is set on an environment that is no canary',
        canaryEnv === undefined ? 'remove it: the platform has no canary environment' : `remove it; only "${canaryEnv}" has a canary weight`);
    }
  }
}

/**
 * The releases file as the tool writes it: environments in promotion order, apps in config order,
 * fields in a fixed order, two-space indents and a final newline.
 */
export function formatReleases(releases: ReleasesConfig, environments: readonly string[], apps: readonly string[]): string {
  const envNames = orderBy(Object.keys(releases.environments), environments);
  const out: Record<string, unknown> = {};
  for (const name of envNames) {
    const env = releases.environments[name];
    const appNames = orderBy(Object.keys(env.apps ?? {}), apps);
    out[name] = {
      tag: env.tag,
      canaryWeight: env.canaryWeight,
      provenance: formatProvenance(env.provenance),
      apps: appNames.length === 0 ? undefined : Object.fromEntries(appNames.map((a) => [a, formatApp(env.apps?.[a] ?? {})])),
    };
  }
  return `${JSON.stringify({ environments: out }, null, 2)}\n`;
}

function formatApp(app: AppReleaseConfig): Record<string, unknown> {
  return { tag: app.tag, digest: app.digest, configVersion: app.configVersion, provenance: formatProvenance(app.provenance) };
}

function formatProvenance(p: ReleaseProvenance | undefined): Record<string, unknown> | undefined {
  if (p === undefined) return undefined;
  return {
    action: p.action,
    from: p.from,
    tag: p.tag,
    tagTime: p.tagTime,
    releaseCommit: p.releaseCommit,
    sourceCommit: p.sourceCommit,
    reason: p.reason,
    skipped: p.skipped,
    restoredCommit: p.restoredCommit,
    replacedTag: p.replacedTag,
    replacedCommit: p.replacedCommit,
  };
}

/** Known names in the given order, then unknown ones sorted by code point. */
function orderBy(names: readonly string[], order: readonly string[]): string[] {
  const known = order.filter((n) => names.includes(n));
  const rest = names.filter((n) => !order.includes(n)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [...known, ...rest];
}

/** The value at a path of keys and indexes in parsed data, or undefined: errors name what they found there. */
export function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let cursor: unknown = data;
  for (const key of path) {
    if (cursor === null || typeof cursor !== 'object') return undefined;
    cursor = (cursor as Record<PropertyKey, unknown>)[key];
  }
  return cursor;
}
