import { type OutputFile } from '../engine/output';
import { writeOutput } from '../engine/writer';
import { GitOpsCheckout } from '../gitops/checkout';
import { type Transition } from '../gitops/release-state';
import { type PlatformConfig } from '../model/config';
import { definePlatform } from '../model/platform';
import { type ReleasesConfig } from '../model/releases';
import { validateOutput, type Violation } from '../validate/output';
import { platformRules } from '../validate/platform-rules';
import { Interrupted } from './interrupted';
import { formatReleasesSource, formatSummary } from './summary';
import { loadRootPlatform, type RootPlatform, synthWrite } from './synth-output';

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
  readonly config: PlatformConfig;
  /** The releases of an output root that has none yet. */
  readonly seed: string;
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

/** How long a failed run waits for a signal that may have caused its failure to be handled. */
const SIGNAL_GRACE_MS = 50;

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
  const config = options.config;
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
  } catch (caught) {
    // A signal to the whole process group also stops the git command running then, which fails
    // first; the handler has run once the event loop turns, and the signal is the real cause.
    if (!(caught instanceof Interrupted) && options.signal !== undefined && !options.signal.aborted) {
      await new Promise((resolve) => setTimeout(resolve, SIGNAL_GRACE_MS));
    }
    const error: unknown = options.signal?.aborted === true ? options.signal.reason : caught;
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
  const root = loadRootPlatform(options.gitops, config, options.seed);
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
  const outcome = await checkout.commit(head, { paths: preview.touched, apply: () => writeOutput({ ...write, keepJournal: true }), message, push, checkpoint });
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
