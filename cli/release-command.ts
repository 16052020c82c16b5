import { platformConfig } from '../apps/platform';
import { OutputFile } from '../lib/engine/output';
import { writeOutput } from '../lib/engine/writer';
import { GitOpsCheckout } from '../lib/gitops/checkout';
import { applyRelease, releaseTagTime, Transition } from '../lib/gitops/release-state';
import { PlatformConfig } from '../lib/model/config';
import { definePlatform } from '../lib/model/platform';
import { IMAGE_DIGEST, RELEASE_TAG, ReleasesConfig } from '../lib/model/releases';
import { validateOutput, Violation } from '../lib/validate/output';
import { platformRules } from './validate-command';
import { Interrupted, UsageError } from './errors';
import { checkOutDir, PROJECT_DIR } from './project-dir';
import { formatReleasesSource, formatSummary, loadRootPlatform, RootPlatform, SEED_RELEASES, synthWrite } from './synth-command';


/** What a release or promotion printed, and its exit code. */
export interface GitOpsRunResult {
  /** 0: committed, or nothing to do. 1: the output failed validation; nothing was written. */
  readonly exitCode: 0 | 1;
  readonly stdout: readonly string[];
  readonly stderr: readonly string[];
  /** The new commit in the GitOps repository, if any. */
  readonly commit?: string;
}

/** Where and from what a release or promotion runs. */
export interface GitOpsRunOptions {
  /** The GitOps checkout: the output root. */
  readonly gitops?: string;
  readonly push?: boolean;
  readonly sourceCommit: string;
  /** @default - the sample platform's config */
  readonly config?: PlatformConfig;
  /** @default - apps/releases.json */
  readonly seed?: string;
  /** Checks the output before anything is written. @default validateOutput */
  readonly validate?: (files: readonly OutputFile[]) => Violation[];
  /**
   * Aborted on SIGINT or SIGTERM: the run stops at its next step and the checkout is rolled back
   * to where it was. The abort reason must be an {@link Interrupted}.
   * @default - runs to the end
   */
  readonly signal?: AbortSignal;
}

/** A decided change of the release state, and how to describe it. */
export interface PlannedChange {
  readonly transition: Transition;
  /** Printed when the state is already as asked. */
  readonly unchanged: string;
  /** The first line of the commit message. */
  readonly subject: string;
  /** Lines of the commit message after the subject. */
  readonly details: readonly string[];
}

export interface ReleaseCommandOptions extends GitOpsRunOptions {
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
  const gitops = requireGitops(options.gitops, 'release');
  const apps = options.app === undefined ? 'all' : options.app;
  return synthAndCommit({ ...options, gitops }, (root) => {
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

/**
 * The safe path every release and promotion takes. Holding the checkout's lock, it refuses a dirty
 * checkout, reads the releases file of the checkout, decides the next state, synthesizes every
 * scope in memory, validates, and commits (and pushes) through {@link GitOpsCheckout.commit},
 * which restores the checkout on any failure.
 */
export async function synthAndCommit(
  options: GitOpsRunOptions & { readonly gitops: string },
  plan: (root: RootPlatform) => PlannedChange,
): Promise<GitOpsRunResult> {
  const config = options.config ?? platformConfig;
  const checkout = GitOpsCheckout.open(options.gitops);
  checkout.assertIdentity();
  // Signals are seen between steps: each yields to the event loop, where their handlers run.
  const checkpoint = async (): Promise<void> => {
    await new Promise((resolve) => setImmediate(resolve));
    options.signal?.throwIfAborted();
  };
  let head: string | undefined;
  try {
    return await checkout.locked(async () => {
      checkout.assertGitUnlocked();
      const recovered = checkout.recoverInterrupted();
      checkout.assertClean();
      head = checkout.head();
      const run = await planAndCommit(options, config, checkout, head, plan, checkpoint);
      return recovered ? { ...run, stdout: [`recovered ${options.gitops} from a run that was killed part-way: reset to ${head.slice(0, 12)}`, ...run.stdout] } : run;
    });
  } catch (error) {
    if (error instanceof Interrupted) {
      const where = head === undefined ? 'nothing was changed' : `the checkout is back at ${head.slice(0, 12)}`;
      throw new Interrupted(error.signalName, `interrupted by ${error.signalName}: ${where} and unlocked; fix: run the same command again`);
    }
    throw error;
  }
}

async function planAndCommit(
  options: GitOpsRunOptions & { readonly gitops: string },
  config: PlatformConfig,
  checkout: GitOpsCheckout,
  head: string,
  plan: (root: RootPlatform) => PlannedChange,
  checkpoint: () => Promise<void>,
): Promise<GitOpsRunResult> {
  const push = options.push ? checkout.pushTarget() : undefined;
  const root = loadRootPlatform(options.gitops, config, options.seed ?? SEED_RELEASES);
  const stdout = formatReleasesSource(root, options.gitops);
  const planned = plan(root);
  await checkpoint();
  // Nothing new, but a run before may have committed without pushing: push whenever asked.
  const pushed = (): string[] => {
    if (push === undefined) return [];
    return checkout.push(push) === 'pushed' ? [`pushed to ${push.remote} ${push.ref}`] : [`${push.remote} ${push.ref} is up to date`];
  };
  if (!planned.transition.changed) {
    return { exitCode: 0, stdout: [...stdout, planned.unchanged, ...pushed()], stderr: planned.transition.warnings.map((w) => `warning: ${w}`) };
  }

  const next = planned.transition.releases;
  const platform = definePlatform({ ...config, releases: next });
  const write = synthWrite({ platform, outDir: checkout.root, envs: [], sourceCommit: options.sourceCommit, releases: next });
  const warnings = planned.transition.warnings.map((w) => `warning: ${w}`);
  const violations = options.validate ? options.validate(write.files) : validateOutput(write.files, platformRules(platform));
  await checkpoint();
  if (violations.length > 0) {
    return {
      exitCode: 1,
      stdout,
      stderr: [
        ...warnings,
        ...violations.map((v) => `${v.file}: ${v.object}: ${v.rule}: ${v.message}; fix: ${v.fix}`),
        `error: ${planned.subject}: the output has ${violations.length} violation(s); nothing was written to ${options.gitops}`,
      ],
    };
  }
  const preview = writeOutput({ ...write, dryRun: true });
  const envNames = platform.environments.map((e) => e.name);
  const changedEnvs = envNames.filter(
    (env) =>
      preview.summaries.some((s) => s.scope === env && s.added + s.changed + s.removed > 0) ||
      stateOf(root.releases.config, env) !== stateOf(next, env),
  );
  const otherScopes = preview.summaries.filter((s) => !envNames.includes(s.scope) && s.added + s.changed + s.removed > 0).map((s) => s.scope);
  const weight = planned.transition.canaryWeight;
  const message = [
    planned.subject,
    '',
    ...planned.details,
    ...(weight === undefined ? [] : [`Canary weight: ${weight.from} -> ${weight.to}`]),
    `Environments changed: ${changedEnvs.join(', ') || 'none'}`,
    ...(otherScopes.length === 0 ? [] : [`Also changed: ${otherScopes.join(', ')}`]),
    `Source commit: ${options.sourceCommit}`,
    '',
  ].join('\n');
  const outcome = await checkout.commit(head, { paths: preview.touched, apply: () => writeOutput(write), message, push, checkpoint });
  if (outcome.commit === undefined) {
    return { exitCode: 0, stdout: [...stdout, `${planned.subject}: the checkout already holds this output; nothing to commit`, ...pushed()], stderr: warnings };
  }
  return {
    exitCode: 0,
    commit: outcome.commit,
    stdout: [
      ...stdout,
      ...formatSummary(preview, options.gitops),
      `${planned.subject}: committed ${outcome.commit.slice(0, 12)} in ${options.gitops}`,
      ...(push === undefined ? [] : [`pushed to ${push.remote} ${push.ref}`]),
    ],
    stderr: warnings,
  };
}

function stateOf(releases: ReleasesConfig, env: string): string {
  return JSON.stringify(releases.environments[env] ?? null);
}
