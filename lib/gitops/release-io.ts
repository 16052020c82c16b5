import { OutputRoot } from '../engine/output-root';
import { outputLayout } from '../model/output-layout';
import { ISO_TIME, parseReleasesText, readReleasesFile, type ReleasesConfig } from '../model/releases';
import { gitReason, runGit } from './git';
import { GitOpsError } from './gitops-error';

// The I/O shell of the release state: the releases file of an output root, and release tags in git.

/** A releases file as read for a run. */
export interface LoadedReleases {
  readonly config: ReleasesConfig;
  /** The file it came from. */
  readonly file: string;
  /** True when the output root had none and the seed was read. */
  readonly seeded: boolean;
}

/**
 * Reads `<outDir>/releases.json`, or the seed when the output root has none, and checks its shape.
 * The root's file is read like every path of an output root: never through a link.
 * `seedLabel` names the seed in messages.
 */
export function readReleases(outDir: string, seedFile: string, seedLabel = 'apps/releases.json'): LoadedReleases {
  const root = new OutputRoot(outDir);
  const text = root.exists() ? root.read(outputLayout.releases()) : undefined;
  return releasesOrSeed(text === undefined ? undefined : { text, file: root.show(outputLayout.releases()) }, seedFile, seedLabel);
}

/** A releases file's text and the name messages give it. */
export interface ReleasesText {
  readonly text: string;
  readonly file: string;
}

/**
 * The releases of a root whose file was read elsewhere (a commit of the GitOps repository, for
 * diff): `found`, checked like {@link readReleases} checks it, or the seed when the root has none.
 */
export function releasesOrSeed(found: ReleasesText | undefined, seedFile: string, seedLabel = 'apps/releases.json'): LoadedReleases {
  if (found === undefined) return { config: readReleasesFile(seedFile, seedLabel), file: seedLabel, seeded: true };
  return { config: parseReleasesText(found.text, found.file), file: found.file, seeded: false };
}

/** A release tag as the platform repository has it. */
export interface ReleaseTag {
  /** When it was made (ISO 8601). */
  readonly time: string;
  /** The commit it points at (`refs/tags/<tag>^{commit}`); undefined when the tree is exported (PLATFORM_RELEASE_TAG_TIME). */
  readonly commit?: string;
}

/**
 * When the release tag was made: `PLATFORM_RELEASE_TAG_TIME` when set (CI that builds an exported
 * tree), else the tag's date in the platform repository (the tagger date of an annotated tag, the
 * commit date of a lightweight one). The tag must point at the commit checked out there.
 */
export function releaseTagTime(sourceDir: string, tag: string, env: NodeJS.ProcessEnv = process.env): string {
  return releaseTag(sourceDir, tag, env).time;
}

/** The time and commit of a release tag; see {@link releaseTagTime}. */
export function releaseTag(sourceDir: string, tag: string, env: NodeJS.ProcessEnv = process.env): ReleaseTag {
  const fromEnv = env.PLATFORM_RELEASE_TAG_TIME;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!ISO_TIME.test(fromEnv)) {
      throw new GitOpsError(`PLATFORM_RELEASE_TAG_TIME "${fromEnv}" is not an ISO 8601 time; fix: set it as git log -1 --format=%cI ${tag} prints it, or unset it`);
    }
    return { time: fromEnv };
  }
  const date = runGit(sourceDir, ['for-each-ref', '--format=%(creatordate:iso-strict)', `refs/tags/${tag}`]);
  const time = date.stdout.trim();
  if (date.status !== 0 || time === '') {
    throw new GitOpsError(
      `${tag} is not a tag of the platform repository ${sourceDir}; fix: tag the commit to release (git tag ${tag}), fetch tags (git fetch --tags), or set PLATFORM_RELEASE_TAG_TIME`,
    );
  }
  const tagged = runGit(sourceDir, ['rev-parse', '--verify', '-q', `refs/tags/${tag}^{commit}`]).stdout.trim();
  const head = runGit(sourceDir, ['rev-parse', '--verify', '-q', 'HEAD^{commit}']);
  if (head.status !== 0) throw new GitOpsError(`cannot read HEAD of ${sourceDir} (${gitReason(head)}); fix: run the release from a checkout of the platform repository`);
  if (tagged !== head.stdout.trim()) {
    throw new GitOpsError(
      `${tag} points at ${tagged.slice(0, 12)} but ${sourceDir} is at ${head.stdout.trim().slice(0, 12)}; fix: git checkout ${tag}, then run the release again`,
    );
  }
  return { time, commit: tagged };
}

/**
 * The commit checked out in the platform repository at `sourceDir` (40 hex digits), which must
 * have no uncommitted change: a release or promotion records it as its source, so the output must
 * be what that commit makes. Tracked changes and untracked files that git does not ignore count.
 */
export function cleanSourceCommit(sourceDir: string): string {
  const head = runGit(sourceDir, ['rev-parse', '--verify', '-q', 'HEAD^{commit}']);
  if (head.status !== 0) {
    throw new GitOpsError(
      `the platform repository ${sourceDir} is not a git checkout with a commit (${gitReason(head)}); fix: run from a checkout of it, or set PLATFORM_SOURCE_COMMIT when building an exported tree`,
    );
  }
  const status = runGit(sourceDir, ['status', '--porcelain=v1', '-z', '--untracked-files=all']);
  if (status.status !== 0) throw new GitOpsError(`cannot read the status of ${sourceDir} (${gitReason(status)}); fix: check it with git -C ${sourceDir} status`);
  const paths: string[] = [];
  const records = status.stdout.split('\0');
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    if (record.length < 4) continue;
    paths.push(record.slice(3));
    // A rename or copy is followed by its source path.
    if (record[0] === 'R' || record[0] === 'C') i += 1;
  }
  if (paths.length > 0) {
    const more = paths.length > 3 ? ` and ${paths.length - 3} more` : '';
    throw new GitOpsError(
      `the platform repository ${sourceDir} has uncommitted changes (${paths.slice(0, 3).join(', ')}${more}), so the output would not be what commit ${head.stdout.trim().slice(0, 12)} makes; fix: commit or stash them (git -C ${sourceDir} stash -u), then run again`,
    );
  }
  return head.stdout.trim();
}
