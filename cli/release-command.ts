import { platformConfig, SEED_RELEASES } from '../apps/platform';
import { releaseTag } from '../lib/gitops/release-io';
import { applyRelease } from '../lib/gitops/release-state';
import { type PlatformConfig } from '../lib/model/config';
import { IMAGE_DIGEST, RELEASE_TAG } from '../lib/model/releases';
import { type GitOpsRunOptions, type GitOpsRunResult, type PlannedChange, synthAndCommit } from '../lib/pipeline/release-transaction';
import { type RootPlatform } from '../lib/pipeline/synth-output';
import { UsageError } from './errors';
import { checkOutDir, PROJECT_DIR } from './project-dir';
import { releaseSourceCommit } from './source-commit';

/** A release or promotion as the CLI starts it: the sample platform unless a test gives another. */
export type CliRunOptions = Omit<GitOpsRunOptions, 'config' | 'seed' | 'gitops' | 'sourceCommit'> & {
  readonly gitops?: string;
  /**
   * The commit of the platform repository the run records as its source.
   * @default - PLATFORM_SOURCE_COMMIT when set, else HEAD of `sourceDir`, which must be clean
   */
  readonly sourceCommit?: string;
  /** The platform repository the run comes from, and a release's tag is read from. @default PROJECT_DIR */
  readonly sourceDir?: string;
  /** @default - the sample platform's config */
  readonly config?: PlatformConfig;
  /** @default - apps/releases.json */
  readonly seed?: string;
};

/** Runs the planned change through the release transaction of lib/pipeline, with the CLI's defaults. */
export function commitPlanned(
  options: CliRunOptions & { readonly sourceCommit: string },
  command: string,
  plan: (root: RootPlatform) => PlannedChange,
): Promise<GitOpsRunResult> {
  const gitops = requireGitops(options.gitops, command);
  return synthAndCommit({ ...options, gitops, config: options.config ?? platformConfig, seed: options.seed ?? SEED_RELEASES }, plan);
}

/**
 * The source commit of a run: as given, else PLATFORM_SOURCE_COMMIT, else HEAD of the platform
 * repository, which is refused when it has uncommitted changes (see releaseSourceCommit).
 */
export function runSource(options: CliRunOptions): string {
  return options.sourceCommit ?? releaseSourceCommit(options.sourceDir ?? PROJECT_DIR);
}

export interface ReleaseCommandOptions extends CliRunOptions {
  readonly tag: string;
  /** @default - the first environment in promotion order */
  readonly env?: string;
  readonly app?: string;
  readonly digest?: string;
}

/** `release vX.Y.Z`: sets the first environment's release, synthesizes, validates and commits. */
export function runRelease(options: ReleaseCommandOptions): Promise<GitOpsRunResult> {
  const tag = checkTag(options.tag);
  const config = options.config ?? platformConfig;
  const envNames = config.environments.map((e) => e.name);
  const env = options.env ?? envNames[0];
  if (!envNames.includes(env)) throw new UsageError(`unknown environment "${env}" in --env; fix: use one of ${envNames.join(', ')}`);
  if (options.digest !== undefined) {
    if (options.app === undefined) throw new UsageError(`--digest ${options.digest} names one image; fix: add --app NAME`);
    if (!IMAGE_DIGEST.test(options.digest)) throw new UsageError(`--digest "${options.digest}" is not an image digest; fix: pass sha256:<64 hex digits>`);
  }
  const apps = options.app === undefined ? 'all' : options.app;
  requireGitops(options.gitops, 'release');
  const sourceCommit = runSource(options);
  return commitPlanned({ ...options, sourceCommit }, 'release', (root) => {
    const released = releaseTag(options.sourceDir ?? PROJECT_DIR, tag);
    const tagTime = released.time;
    return {
      transition: applyRelease(
        root.platform,
        root.releases.config,
        // Without a tag in git (an exported tree), the tag points at the commit built: the source.
        { env, app: options.app, tag, digest: options.digest, tagTime, sourceCommit, releaseCommit: released.commit ?? sourceCommit },
        root.canary,
      ),
      unchanged: `${tag} is already released to ${env}${options.app === undefined ? '' : ` for ${options.app}`}: nothing to commit`,
      subject: `release ${tag} to ${env}${options.app === undefined ? '' : ` (${options.app})`}`,
      details: [`Tag: ${tag}, made ${tagTime}`, `Apps: ${apps}`, ...(options.digest === undefined ? [] : [`Digest: ${options.digest}`])],
    };
  });
}

/** The tag, when it is strict semver with a leading v. */
export function checkTag(tag: string): string {
  if (RELEASE_TAG.test(tag)) return tag;
  const fix = RELEASE_TAG.test(`v${tag}`) ? `use v${tag}` : 'tag the release as vMAJOR.MINOR.PATCH, such as v1.2.3';
  throw new UsageError(`release tag "${tag}" is not strict semver with a leading v; fix: ${fix}`);
}

export function requireGitops(gitops: string | undefined, command: string): string {
  if (gitops === undefined || gitops === '') throw new UsageError(`${command} needs the GitOps checkout to commit to; fix: add --gitops DIR`);
  checkOutDir(gitops, '--gitops');
  return gitops;
}

