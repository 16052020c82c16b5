import { sha256 } from '../engine/hash';
import { type ReleaseRecord } from '../engine/manifest-index';
import { type OutputFile } from '../engine/output';
import { outputLayout, SHARED_SCOPES } from '../model/output-layout';
import { stableJson } from '../engine/stable-json';
import { type CandidateCapacity, DEFAULT_STEP_WEIGHTS, replicasForWeight } from '../model/delivery';
import { type Platform } from '../model/platform';
import { type App } from '../model/app';
/*
 * Release state as pure transitions: what a release or promotion makes of the releases file, and
 * what the platform says about it. Reading files and git lives in release-io.ts.
 */
import {
  type AppReleaseConfig,
  effectiveRelease,
  type EnvReleaseConfig,
  formatReleases,
  type ReleaseProvenance,
  type ReleasesConfig,
} from '../model/releases';
import { GitOpsError } from './gitops-error';
import { type RequestInput } from '../model/request-error';

/**
 * Fits a releases file to the platform config: an environment the file lacks takes its entry from
 * the seed, and environments and apps the config no longer has are dropped. Returns what it did.
 */
export function reconcileReleases(
  releases: ReleasesConfig,
  seed: ReleasesConfig | undefined,
  environments: readonly string[],
  apps: readonly string[],
): { readonly config: ReleasesConfig; readonly notes: readonly string[] } {
  const notes: string[] = [];
  const out: Record<string, EnvReleaseConfig> = {};
  for (const [name, entry] of Object.entries(releases.environments)) {
    if (!environments.includes(name)) {
      notes.push(`dropped environment ${name}: the config no longer has it`);
      continue;
    }
    const gone = Object.keys(entry.apps ?? {}).filter((a) => !apps.includes(a));
    if (gone.length > 0) notes.push(`dropped ${gone.join(', ')} from ${name}: the config no longer has ${gone.length > 1 ? 'them' : 'it'}`);
    out[name] = gone.length === 0 ? entry : { ...entry, apps: Object.fromEntries(Object.entries(entry.apps ?? {}).filter(([a]) => apps.includes(a))) };
  }
  for (const name of environments) {
    const seeded = seed?.environments[name];
    if (out[name] === undefined && seeded !== undefined) {
      out[name] = seeded;
      notes.push(`seeded environment ${name} from apps/releases.json`);
    }
  }
  return { config: notes.length === 0 ? releases : { ...releases, environments: out }, notes };
}

/** How the canary environment of a platform moves. */
export interface CanaryPolicy {
  /** The canary environment, when the platform has one. */
  readonly env?: string;
  /** The production environment ({@link Platform.production}): a release there returns the canary to 0. */
  readonly production: string;
  /** Weights `--step` moves through, ascending, in percent. */
  readonly steps: readonly number[];
  /** What the candidates can carry: `--step` never goes above it. */
  readonly capacity?: CandidateCapacity;
}

/**
 * The canary environment (the one with `canary` settings) and the weights `promote --step` moves it
 * through: its configured weight first, then the default steps above it.
 */
export function canaryPolicy(platform: Platform): CanaryPolicy {
  const canary = platform.environments.find((e) => e.canary !== undefined);
  const first = canary?.canary?.weight ?? DEFAULT_STEP_WEIGHTS[0];
  const steps = first > 0 ? [first, ...DEFAULT_STEP_WEIGHTS.filter((s) => s > first)] : DEFAULT_STEP_WEIGHTS;
  return { env: canary?.name, production: platform.production.name, steps, capacity: canary && platform.candidateCapacity(canary) };
}

/** A short hash of an app's config, the same in every environment: what a release was validated with. */
export function configVersion(app: App): string {
  return sha256(stableJson(app)).slice(0, 16);
}

/**
 * The apps that run in `env`, in config order. Every environment runs every app except the canary
 * environment, which runs only the apps whose candidates go through it.
 */
export function appsIn(platform: Platform, env: string): string[] {
  const found = platform.environment(env);
  return found === undefined ? [] : platform.instances(found).map((i) => i.app.name);
}

/** The environments `app` runs in, in promotion order: the promotion order of that app. */
export function environmentsOf(platform: Platform, app: string): string[] {
  return platform.environments.map((e) => e.name).filter((env) => appsIn(platform, env).includes(app));
}

/**
 * The environments a promotion of `app` (of every app, when undefined) goes through, in order: an
 * environment that does not run the app is not on its way, so promoting past it skips nothing.
 */
export function promotionRoute(platform: Platform, app?: string): string[] {
  if (app !== undefined) return environmentsOf(platform, app);
  return platform.environments.map((e) => e.name).filter((env) => appsIn(platform, env).length > 0);
}

/**
 * Refuses an `app` input naming an unknown app, or one that does not run in `env` (the `input` it came from): the
 * environment has no release of it to set, promote or take.
 */
export function requireApp(platform: Platform, app: string, env: string, input: RequestInput): App {
  const found = platform.apps.find((a) => a.name === app);
  if (found === undefined) throw new GitOpsError(`unknown app "${app}" in {app}; fix: use one of ${platform.apps.map((a) => a.name).join(', ')}`);
  const there = appsIn(platform, env);
  if (!there.includes(app)) {
    throw new GitOpsError(
      `app "${app}" does not run in ${env}, which runs ${there.length === 0 ? 'no app' : `only ${there.join(', ')}`}; fix: use another {${input}}: ${app} runs in ${environmentsOf(platform, app).join(', ')}`,
    );
  }
  return found;
}

/** The releases file as an output file of the `releases` scope. */
export function releasesFile(platform: Platform, releases: ReleasesConfig): OutputFile {
  const content = formatReleases(releases, platform.environments.map((e) => e.name), platform.apps.map((a) => a.name));
  return { path: outputLayout.releases(), content, scope: SHARED_SCOPES.releases };
}

/** Provenance for the index: what every app runs in every environment and where it came from. */
export function releaseRecords(platform: Platform, releases: ReleasesConfig): ReleaseRecord[] {
  const records: ReleaseRecord[] = [];
  for (const env of platform.environments) {
    const entry = releases.environments[env.name];
    if (entry === undefined) continue;
    for (const instance of platform.instances(env)) {
      const r = effectiveRelease(entry, instance.app.name);
      const p = r.provenance;
      records.push({
        env: env.name,
        app: instance.app.name,
        image: instance.image.toString(),
        tag: r.tag,
        digest: r.digest,
        configVersion: r.configVersion,
        canaryWeight: entry.canaryWeight,
        action: p?.action,
        from: p?.from,
        tagTime: p?.tagTime,
        releaseCommit: p?.releaseCommit,
        sourceCommit: p?.sourceCommit,
        reason: p?.reason,
      });
    }
  }
  return records;
}

/** A release from a tag into one environment. */
export interface ReleaseRequest {
  readonly env: string;
  /** The apps to release; every app when undefined. */
  readonly app?: string;
  readonly tag: string;
  /** Only with `app`. */
  readonly digest?: string;
  readonly tagTime: string;
  readonly sourceCommit: string;
  /** The commit the release tag points at. @default - sourceCommit */
  readonly releaseCommit?: string;
}

/** The state after a change, and whether anything changed. */
export interface Transition {
  readonly releases: ReleasesConfig;
  readonly changed: boolean;
  /** The canary weight before and after, when it moved. */
  readonly canaryWeight?: { readonly from: number; readonly to: number };
  /** Notes for the user: config that changed since the release was validated. */
  readonly warnings: readonly string[];
}

/**
 * Sets the release of one environment. Idempotent: when every selected app already runs `tag`
 * (with `digest`), nothing changes. A new release of a candidate into the canary environment
 * starts it at its first weight; one into production returns the canary to 0 (see withCanary).
 * With `app`, that app must run in the environment.
 */
export function applyRelease(platform: Platform, releases: ReleasesConfig, req: ReleaseRequest, canary: CanaryPolicy): Transition {
  const env = releases.environments[req.env];
  const apps = selectedApps(platform, req.app, req.env, 'env');
  const changedApps = apps.filter((a) => {
    const r = effectiveRelease(env, a.name);
    return r.tag !== req.tag || (req.digest !== undefined && r.digest !== req.digest);
  });
  if (changedApps.length === 0) return { releases, changed: false, warnings: [] };

  const provenance: ReleaseProvenance = {
    action: 'release',
    tag: req.tag,
    tagTime: req.tagTime,
    releaseCommit: req.releaseCommit ?? req.sourceCommit,
    sourceCommit: req.sourceCommit,
  };
  let next: EnvReleaseConfig;
  if (req.app === undefined) {
    next = {
      tag: req.tag,
      canaryWeight: env.canaryWeight,
      provenance,
      apps: Object.fromEntries(apps.map((a) => [a.name, { configVersion: configVersion(a) }])),
    };
  } else {
    const app = apps[0];
    const own: AppReleaseConfig = { tag: req.tag, digest: req.digest, configVersion: configVersion(app), provenance };
    next = { ...env, apps: { ...env.apps, [app.name]: own } };
  }
  return withCanary(platform, { ...releases, environments: { ...releases.environments, [req.env]: next } }, releases, req.env, changedApps, canary, []);
}

/** A promotion of the release of one environment into a later one. */
export interface PromoteRequest {
  readonly from: string;
  readonly to: string;
  /** The app to promote; every app when undefined. */
  readonly app?: string;
  /** Move the canary to its next weight instead. */
  readonly step: boolean;
  readonly sourceCommit: string;
  /** Set when the promotion skips environments. */
  readonly reason?: string;
  readonly skipped?: readonly string[];
}

/**
 * Copies the exact release (tag, digest, config version) each selected app runs in `from` into
 * `to`, with provenance. Into the canary environment it starts the canary at its first weight, or
 * with `step` moves a canary that already runs that release to its next weight; into production it
 * returns the canary to 0 (only a candidate's release moves the weight: see withCanary).
 * Idempotent: promoting a release that is already there changes nothing. With `app`, that app must
 * run in both environments. Without it, the canary environment's entry also records the release
 * the apps it does not run ride along with, so promoting it on moves the whole release.
 */
export function applyPromotion(platform: Platform, releases: ReleasesConfig, req: PromoteRequest, canary: CanaryPolicy): Transition {
  const source = releases.environments[req.from];
  const target = releases.environments[req.to];
  const apps = selectedApps(platform, req.app, req.to, 'to');
  if (req.app !== undefined) selectedApps(platform, req.app, req.from, 'from');
  const same = (a: App): boolean => {
    const s = effectiveRelease(source, a.name);
    const t = effectiveRelease(target, a.name);
    return s.tag === t.tag && s.digest === t.digest && s.configVersion === t.configVersion;
  };
  const moving = apps.filter((a) => !same(a));

  if (req.step) {
    if (req.to !== canary.env) {
      throw new GitOpsError(`{step} moves the canary, but {to} ${req.to} is not the canary environment; fix: ${canary.env === undefined ? 'drop {step}: the platform has no canary environment' : `use {to} ${canary.env}, or drop {step}`}`);
    }
    // Only the candidates run in the canary: the release of an app that does not run there is not checked.
    const candidates = appsIn(platform, req.to);
    const differing = moving.filter((a) => candidates.includes(a.name));
    if (differing.length > 0) {
      throw new GitOpsError(
        `{step} moves a canary that runs ${req.from}'s release, but ${req.to} runs another release of ${differing.map((a) => a.name).join(', ')}; fix: promote {from} ${req.from} {to} ${req.to} without {step} first`,
      );
    }
    const weight = target.canaryWeight ?? 0;
    const nextWeight = canary.steps.find((s) => s > weight);
    if (nextWeight === undefined) {
      throw new GitOpsError(`the canary ${req.to} is at its last weight (${weight}); fix: promote {from} ${req.to} {to} ${canary.production}`);
    }
    const capacity = canary.capacity;
    if (capacity !== undefined && nextWeight > capacity.maxWeight) {
      throw new GitOpsError(
        `{step} would give the candidates in ${req.to} ${nextWeight}% of production's traffic, but "${capacity.app}"'s candidate runs at most ${capacity.candidateReplicas} replica(s) beside production's ${capacity.productionReplicas}, so it can carry at most ${capacity.maxWeight}% (now ${weight}%); ` +
          `fix: let it scale to at least ${replicasForWeight(nextWeight, capacity.productionReplicas)} replicas (replicas.maxReplicas of environment ${req.to}, or the app's override), or promote {from} ${req.to} {to} ${canary.production}`,
      );
    }
    const next = { ...target, canaryWeight: nextWeight };
    return { releases: { ...releases, environments: { ...releases.environments, [req.to]: next } }, changed: true, canaryWeight: { from: weight, to: nextWeight }, warnings: [] };
  }
  if (moving.length === 0) return { releases, changed: false, warnings: [] };

  const promoted = (p: ReleaseProvenance | undefined, tag: string): ReleaseProvenance => ({
    action: 'promote',
    from: req.from,
    tag,
    tagTime: p?.tagTime,
    releaseCommit: p?.releaseCommit,
    sourceCommit: req.sourceCommit,
    reason: req.reason,
    skipped: req.skipped && req.skipped.length > 0 ? [...req.skipped] : undefined,
  });
  let next: EnvReleaseConfig;
  if (req.app === undefined) {
    const apps: Record<string, AppReleaseConfig> = {};
    for (const [name, own] of Object.entries(source.apps ?? {})) {
      apps[name] = { ...own, provenance: own.provenance && promoted(own.provenance, own.tag ?? source.tag) };
    }
    next = { tag: source.tag, canaryWeight: target.canaryWeight, provenance: promoted(source.provenance, source.tag), apps };
  } else {
    const r = effectiveRelease(source, req.app);
    const own: AppReleaseConfig = { tag: r.tag, digest: r.digest, configVersion: r.configVersion, provenance: promoted(r.provenance, r.tag) };
    next = { ...target, apps: { ...target.apps, [req.app]: own } };
  }
  // Only an app that runs in the target gets manifests with the current config.
  const running = appsIn(platform, req.to);
  const warnings = moving
    .filter((a) => running.includes(a.name))
    .filter((a) => {
      const validated = effectiveRelease(source, a.name).configVersion;
      return validated !== undefined && validated !== configVersion(a);
    })
    .map((a) => `app "${a.name}": its config changed since the release was validated in ${req.from} (config version ${effectiveRelease(source, a.name).configVersion}, now ${configVersion(a)}); the manifests carry the current config`);
  return withCanary(platform, { ...releases, environments: { ...releases.environments, [req.to]: next } }, releases, req.to, moving, canary, warnings);
}

/**
 * The canary consequences of a new release of `changed` in `env`. Only the candidates (the apps that
 * run in the canary environment) move the weight: a new candidate starts at the first weight, and
 * production taking a candidate's release returns the canary to 0. A release of another app leaves
 * a live canary as it is.
 */
function withCanary(
  platform: Platform,
  next: ReleasesConfig,
  before: ReleasesConfig,
  env: string,
  changed: readonly App[],
  canary: CanaryPolicy,
  warnings: readonly string[],
): Transition {
  if (canary.env === undefined) return { releases: next, changed: true, warnings };
  const candidates = appsIn(platform, canary.env);
  if (!changed.some((a) => candidates.includes(a.name))) return { releases: next, changed: true, warnings };
  const from = before.environments[canary.env]?.canaryWeight ?? 0;
  let to: number | undefined;
  if (env === canary.env) to = canary.steps[0];
  else if (env === canary.production) to = 0;
  if (to === undefined) return { releases: next, changed: true, warnings };
  const entry = next.environments[canary.env];
  const releases = { ...next, environments: { ...next.environments, [canary.env]: { ...entry, canaryWeight: to } } };
  return { releases, changed: true, canaryWeight: from === to ? undefined : { from, to }, warnings };
}

/** The apps a release or promotion names: every app, or the one of `--app`, which must run in `env` (see requireApp). */
function selectedApps(platform: Platform, app: string | undefined, env: string, input: RequestInput): App[] {
  return app === undefined ? [...platform.apps] : [requireApp(platform, app, env, input)];
}

/** A rollback of one environment to an entry an earlier version of the releases file recorded. */
export interface RollbackRequest {
  readonly env: string;
  /** The environment's entry as the earlier version recorded it. */
  readonly entry: EnvReleaseConfig;
  /** The GitOps commit of that earlier version. */
  readonly restoreCommit: string;
  /** The release replaced, for the record: its tag and GitOps commit. */
  readonly replacedTag: string;
  readonly replacedCommit: string;
  readonly sourceCommit: string;
}

/**
 * Puts the earlier entry (tags, digests, config versions) back into `env`, with provenance
 * `rollback`: `from` names the GitOps commit restored, `reason` the release replaced. The canary
 * weight is the current one, moved as a release would move it (see withCanary): a rollback of
 * production returns the canary to 0. Apps the config no longer has are dropped. Idempotent, and
 * warns, as a promotion does, when an app's config changed since the restored release.
 */
export function applyRollback(platform: Platform, releases: ReleasesConfig, req: RollbackRequest, canary: CanaryPolicy): Transition {
  const current = releases.environments[req.env];
  const apps = platform.apps;
  const release = (entry: EnvReleaseConfig, a: App): string => {
    const r = effectiveRelease(entry, a.name);
    return JSON.stringify([r.tag, r.digest, r.configVersion]);
  };
  const running = appsIn(platform, req.env);
  const moving = apps.filter((a) => release(current, a) !== release(req.entry, a));
  if (moving.length === 0) return { releases, changed: false, warnings: [] };

  const rolledBack = (p: ReleaseProvenance | undefined, tag: string): ReleaseProvenance => ({
    action: 'rollback',
    tag,
    tagTime: p?.tagTime,
    releaseCommit: p?.releaseCommit,
    sourceCommit: req.sourceCommit,
    restoredCommit: req.restoreCommit,
    replacedTag: req.replacedTag,
    replacedCommit: req.replacedCommit,
  });
  const restoredApps: Record<string, AppReleaseConfig> = {};
  for (const [name, own] of Object.entries(req.entry.apps ?? {})) {
    if (!apps.some((a) => a.name === name)) continue;
    restoredApps[name] = { ...own, provenance: own.provenance && rolledBack(own.provenance, own.tag ?? req.entry.tag) };
  }
  const next: EnvReleaseConfig = {
    tag: req.entry.tag,
    canaryWeight: current.canaryWeight,
    provenance: rolledBack(req.entry.provenance, req.entry.tag),
    apps: Object.keys(restoredApps).length === 0 ? undefined : restoredApps,
  };
  const warnings = moving
    .filter((a) => running.includes(a.name))
    .filter((a) => {
      const validated = effectiveRelease(req.entry, a.name).configVersion;
      return validated !== undefined && validated !== configVersion(a);
    })
    .map((a) => `app "${a.name}": its config changed since the release restored in ${req.env} (config version ${effectiveRelease(req.entry, a.name).configVersion}, now ${configVersion(a)}); the manifests carry the current config`);
  return withCanary(platform, { ...releases, environments: { ...releases.environments, [req.env]: next } }, releases, req.env, moving, canary, warnings);
}
