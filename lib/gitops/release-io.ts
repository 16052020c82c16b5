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

/**
 * When the release tag was made: `PLATFORM_RELEASE_TAG_TIME` when set (CI that builds an exported
 * tree), else the tag's date in the platform repository (the tagger date of an annotated tag, the
 * commit date of a lightweight one). The tag must point at the commit checked out there.
 */
export function releaseTagTime(sourceDir: string, tag: string, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.PLATFORM_RELEASE_TAG_TIME;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!ISO_TIME.test(fromEnv)) {
      throw new GitOpsError(`PLATFORM_RELEASE_TAG_TIME "${fromEnv}" is not an ISO 8601 time; fix: set it as git log -1 --format=%cI ${tag} prints it, or unset it`);
    }
    return fromEnv;
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
  return time;
}
