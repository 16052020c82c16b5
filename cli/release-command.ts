import { platformConfig, SEED_RELEASES } from '../apps/platform';
import { releaseTagTime } from '../lib/gitops/release-io';
import { applyRelease } from '../lib/gitops/release-state';
import { type PlatformConfig } from '../lib/model/config';
import { IMAGE_DIGEST, RELEASE_TAG } from '../lib/model/releases';
import { type GitOpsRunOptions, type GitOpsRunResult, type PlannedChange, synthAndCommit } from '../lib/pipeline/release-transaction';
import { type RootPlatform } from '../lib/pipeline/synth-output';
import { UsageError } from './errors';
import { checkOutDir, PROJECT_DIR } from './project-dir';

/** A release or promotion as the CLI starts it: the sample platform unless a test gives another. */
export type CliRunOptions = Omit<GitOpsRunOptions, 'config' | 'seed' | 'gitops'> & {
  readonly gitops?: string;
  /** @default - the sample platform's config */
  readonly config?: PlatformConfig;
  /** @default - apps/releases.json */
  readonly seed?: string;
};

/** Runs the planned change through the release transaction of lib/pipeline, with the CLI's defaults. */
export function commitPlanned(options: CliRunOptions, command: string, plan: (root: RootPlatform) => PlannedChange): Promise<GitOpsRunResult> {
  const gitops = requireGitops(options.gitops, command);
  return synthAndCommit({ ...options, gitops, config: options.config ?? platformConfig, seed: options.seed ?? SEED_RELEASES }, plan);
}

export interface ReleaseCommandOptions extends CliRunOptions {
  readonly tag: string;
  /** @default - the first environment in promotion order */
  readonly env?: string;
  readonly app?: string;
  readonly digest?: string;
  /** The platform repository the tag is read from. @default PROJECT_DIR */
  readonly sourceDir?: string;
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
  return commitPlanned(options, 'release', (root) => {
    const tagTime = releaseTagTime(options.sourceDir ?? PROJECT_DIR, tag);
    return {
      transition: applyRelease(
        root.platform,
        root.releases.config,
        { env, app: options.app, tag, digest: options.digest, tagTime, sourceCommit: options.sourceCommit },
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

