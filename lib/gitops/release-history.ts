import { spawnSync } from 'node:child_process';
import { ConfigError } from '../model/config-error';
import { outputLayout } from '../model/output-layout';
import { type EnvReleaseConfig, parseReleasesText, type ReleaseProvenance, type ReleasesConfig } from '../model/releases';
import { gitReason, runGit } from './git';
import { GitOpsError } from './gitops-error';

/*
 * The history of the release state: every committed version of `releases.json` at the root of a
 * GitOps checkout, and what each commit did to each environment. The derivation is pure (arrays of
 * versions in, events out); readReleaseHistory is the one function that runs git.
 */

/** One committed version of the releases file. */
export interface ReleasesVersion {
  readonly commit: string;
  /** The committer time, ISO 8601 (`%cI`). */
  readonly time: string;
  readonly subject: string;
  readonly releases: ReleasesConfig;
  /**
   * True when a version between this one and the one before it could not be read: what changed
   * across that gap is unknown.
   * @default false
   */
  readonly afterGap?: boolean;
}

/** The versions of the releases file, oldest first, and the versions that could not be read. */
export interface ReleaseHistory {
  readonly versions: readonly ReleasesVersion[];
  /** One line per skipped version: its commit and why. */
  readonly notes: readonly string[];
}

/**
 * What a commit did to one environment:
 * - `release`, `promote`, `rollback`: the provenance the commit wrote (the environment's, else the
 *   first app's own that changed);
 * - `canary-step`: only the canary weight moved;
 * - `edit`: the entry changed with no new provenance (a seed or a hand edit).
 */
export type ReleaseAction = 'release' | 'promote' | 'rollback' | 'canary-step' | 'edit';

/** One app's own release in an environment (an entry of `apps`), as the event recorded it. */
export interface AppReleaseState {
  readonly app: string;
  readonly tag: string;
  readonly digest?: string;
  readonly configVersion?: string;
}

/** One change of one environment's entry in the releases file. */
export interface ReleaseEvent {
  readonly commit: string;
  readonly time: string;
  readonly subject: string;
  readonly env: string;
  /** The environment's release tag after the commit. */
  readonly tag: string;
  /** The apps the entry names, with their effective tag (their own, else the environment's). */
  readonly apps: readonly AppReleaseState[];
  readonly canaryWeight?: number;
  readonly action: ReleaseAction;
  /** The changed provenance (see {@link ReleaseAction}), when there is one. */
  readonly provenance?: ReleaseProvenance;
  /** A forced promotion's reason. */
  readonly reason?: string;
  /** When the release's tag was made (`provenance.tagTime`). */
  readonly tagTime?: string;
  /** True when the release changed (tags, digests, config versions); false for a weight-only change. */
  readonly releaseChanged: boolean;
  /** The environment's entry after the commit, as the file holds it: what a rollback restores. */
  readonly entry: EnvReleaseConfig;
}

/** Where the releases file lives, relative to the output root: the one path this module reads. */
const RELEASES_PATH = outputLayout.releases();

/** Fields of one `git log` line, separated by the unit separator, which no subject contains. */
const LOG_FORMAT = '%H%x1f%cI%x1f%s';

/**
 * Reads every version of `releases.json` at the root of the checkout `dir` along the first-parent
 * history of HEAD: `git log --first-parent -- releases.json`, then every version at once through one
 * `git cat-file --batch` (`<commit>:./releases.json`), rather than one git process per commit.
 * A version that cannot be read or parsed becomes a note and is skipped; the next version read is
 * marked {@link ReleasesVersion.afterGap}. A repository without commits has no history.
 */
export function readReleaseHistory(dir: string): ReleaseHistory {
  const head = runGit(dir, ['rev-parse', '--verify', '-q', 'HEAD^{commit}']);
  if (head.status !== 0) return { versions: [], notes: [] };
  const log = runGit(dir, ['log', '--first-parent', `--format=${LOG_FORMAT}`, 'HEAD', '--', RELEASES_PATH]);
  if (log.status !== 0) {
    throw new GitOpsError(`cannot read the history of ${RELEASES_PATH} in ${dir} (${gitReason(log)}); fix: check the checkout with git -C ${dir} log`);
  }
  const commits = log.stdout
    .split('\n')
    .filter((l) => l !== '')
    .reverse()
    .map((line) => {
      const [commit, time, ...rest] = line.split('\x1f');
      return { commit, time, subject: rest.join('\x1f') };
    });
  // `./` makes the path relative to the output root, which may be a directory of the work tree.
  const blobs = readBlobs(dir, commits.map((c) => `${c.commit}:./${RELEASES_PATH}`));
  const versions: ReleasesVersion[] = [];
  const notes: string[] = [];
  let gap = false;
  commits.forEach(({ commit, time, subject }, i) => {
    const text = blobs[i];
    if (text === undefined) {
      // The commit removed the file: the next version starts afresh.
      notes.push(`${commit.slice(0, 12)}: ${RELEASES_PATH} is absent; skipped`);
      gap = true;
      return;
    }
    try {
      versions.push({ commit, time, subject, releases: parseReleasesText(text, RELEASES_PATH), afterGap: gap });
      gap = false;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      notes.push(`${commit.slice(0, 12)}: ${error.details.field} ${error.details.problem}; skipped`);
      gap = true;
    }
  });
  return { versions, notes };
}

/**
 * The contents of the blobs `specs` name (`<commit>:<path>`), in order, through one `git cat-file
 * --batch`; undefined for a spec that names no blob. Its output is `<id> blob <size>\n<bytes>\n`
 * per object, or `<spec> missing\n`.
 */
function readBlobs(dir: string, specs: readonly string[]): (string | undefined)[] {
  if (specs.length === 0) return [];
  const result = spawnSync('git', ['cat-file', '--batch'], { cwd: dir, input: `${specs.join('\n')}\n`, maxBuffer: 1024 * 1024 * 1024 });
  if (result.error !== undefined || result.status !== 0) {
    const reason = result.error?.message ?? result.stderr.toString('utf8').trim().split('\n')[0] ?? `git exited with ${result.status}`;
    throw new GitOpsError(`cannot read the versions of ${RELEASES_PATH} in ${dir} (${reason}); fix: check the checkout with git -C ${dir} fsck`);
  }
  const out = result.stdout;
  const blobs: (string | undefined)[] = [];
  let at = 0;
  for (let i = 0; i < specs.length; i += 1) {
    const end = out.indexOf(0x0a, at);
    const header = out.subarray(at, end).toString('utf8');
    at = end + 1;
    const match = /^[0-9a-f]+ (\S+) (\d+)$/.exec(header);
    if (match === null) {
      blobs.push(undefined);
      continue;
    }
    const size = Number(match[2]);
    blobs.push(match[1] === 'blob' ? out.subarray(at, at + size).toString('utf8') : undefined);
    at += size + 1;
  }
  return blobs;
}

/** Every change of every environment, oldest first: consecutive versions compared entry by entry. */
export function releaseEvents(versions: readonly ReleasesVersion[]): ReleaseEvent[] {
  const events: ReleaseEvent[] = [];
  let before: ReleasesConfig | undefined;
  for (const version of versions) {
    for (const [env, entry] of Object.entries(version.releases.environments)) {
      const event = eventOf(version, env, before?.environments[env], entry);
      if (event !== undefined) events.push(event);
    }
    before = version.releases;
  }
  return events;
}

/** The events of one environment, oldest first. */
export function envEvents(events: readonly ReleaseEvent[], env: string): ReleaseEvent[] {
  return events.filter((e) => e.env === env);
}

/** What changed in one environment's entry, or undefined when nothing did. */
function eventOf(version: ReleasesVersion, env: string, before: EnvReleaseConfig | undefined, after: EnvReleaseConfig): ReleaseEvent | undefined {
  if (before !== undefined && same(before, after)) return undefined;
  const releaseChanged = before === undefined || !same({ ...before, canaryWeight: undefined }, { ...after, canaryWeight: undefined });
  const provenance = changedProvenance(before, after);
  const action: ReleaseAction = provenance !== undefined ? provenance.action : releaseChanged ? 'edit' : 'canary-step';
  return {
    commit: version.commit,
    time: version.time,
    subject: version.subject,
    env,
    tag: after.tag,
    apps: Object.entries(after.apps ?? {}).map(([app, own]) => ({ app, tag: own.tag ?? after.tag, digest: own.digest, configVersion: own.configVersion })),
    canaryWeight: after.canaryWeight,
    action,
    provenance,
    reason: provenance?.action === 'promote' ? provenance.reason : undefined,
    tagTime: provenance?.tagTime,
    releaseChanged,
    entry: after,
  };
}

/** The provenance a commit wrote into an entry: the environment's when it changed, else the first app's own that changed. */
function changedProvenance(before: EnvReleaseConfig | undefined, after: EnvReleaseConfig): ReleaseProvenance | undefined {
  const differs = (a: ReleaseProvenance | undefined, b: ReleaseProvenance | undefined): boolean => b !== undefined && !same(a, b);
  if (differs(before?.provenance, after.provenance)) return after.provenance;
  for (const [app, own] of Object.entries(after.apps ?? {})) {
    if (differs(before?.apps?.[app]?.provenance, own.provenance)) return own.provenance;
  }
  return undefined;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Which earlier release a rollback restores: a tag, or a number of releases back. */
export type RollbackSelector = { readonly to: string; readonly steps?: undefined } | { readonly steps: number; readonly to?: undefined };

/** The release a rollback restores, and the one it replaces. */
export interface RollbackTarget {
  /** The event that recorded the release restored. */
  readonly restore: ReleaseEvent;
  /** The environment's current release. */
  readonly current: ReleaseEvent;
}

/**
 * The release of `env` a rollback restores, from the environment's release history (changes of
 * the release itself; a canary-weight-only change is no release): `steps` N is the N-th release
 * before the current one, `to` the newest release whose tag is `to`. Refuses a tag the history does
 * not know and steps beyond it.
 */
export function rollbackTarget(events: readonly ReleaseEvent[], env: string, selector: RollbackSelector): RollbackTarget {
  const releases = envEvents(events, env).filter((e) => e.releaseChanged);
  const current = releases[releases.length - 1];
  if (current === undefined) {
    throw new GitOpsError(`the history of releases.json records no release of ${env}; fix: release into ${env} first, or pick another {env}`);
  }
  if (selector.steps !== undefined) {
    const at = releases.length - 1 - selector.steps;
    if (at < 0) {
      throw new GitOpsError(
        `steps ${selector.steps} goes back beyond the history of ${env}, which records ${releases.length - 1} earlier release(s); fix: use steps 1 to ${releases.length - 1}, or {to} with one of ${knownTags(releases)}`,
      );
    }
    return { restore: releases[at], current };
  }
  const found = [...releases].reverse().find((e) => e.tag === selector.to);
  if (found === undefined) {
    throw new GitOpsError(`${env} has never run ${selector.to} in the history of releases.json; fix: use {to} with one of ${knownTags(releases)}`);
  }
  return { restore: found, current };
}

function knownTags(releases: readonly ReleaseEvent[]): string {
  return [...new Set([...releases].reverse().map((e) => e.tag))].join(', ');
}
