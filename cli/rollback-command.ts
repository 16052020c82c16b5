import { platformConfig } from '../apps/platform';
import { readReleaseHistory, releaseEvents, rollbackTarget, type RollbackSelector } from '../lib/gitops/release-history';
import { applyRollback } from '../lib/gitops/release-state';
import { type GitOpsRunResult } from '../lib/pipeline/release-transaction';
import { UsageError } from './errors';
import { checkEnv } from './history-command';
import { type CliRunOptions, commitPlanned, requireGitops, runSource } from './release-command';

export interface RollbackCommandOptions extends CliRunOptions {
  readonly env?: string;
  /** A tag the environment's history records. */
  readonly to?: string;
  /** How many releases back, as typed. */
  readonly steps?: string;
}

/**
 * `rollback --env E (--to vX.Y.Z | --steps N)`: puts back the entry of E an earlier commit of
 * releases.json recorded, through the same safe synth and commit as a release. The history is read
 * under the checkout's lock, from the commits of the checkout itself; the manifests carry the
 * platform's current config, as a promotion's do.
 */
export function runRollback(options: RollbackCommandOptions): Promise<GitOpsRunResult> {
  const config = options.config ?? platformConfig;
  if (options.env === undefined) throw new UsageError(`rollback needs the environment to roll back; fix: add --env ENV, such as --env ${config.environments[0].name}`);
  const env = checkEnv(config, options.env) as string;
  if ((options.to === undefined) === (options.steps === undefined)) {
    throw new UsageError(`rollback needs one of --to and --steps${options.to === undefined ? '' : ', not both'}; fix: pass --to vX.Y.Z or --steps N`);
  }
  let selector: RollbackSelector;
  if (options.steps !== undefined) {
    if (!/^[1-9]\d*$/.test(options.steps)) throw new UsageError(`--steps "${options.steps}" is no positive integer; fix: pass how many releases back, such as --steps 1`);
    selector = { steps: Number(options.steps) };
  } else {
    selector = { to: options.to as string };
  }
  const gitops = requireGitops(options.gitops, 'rollback');
  // The manifests carry the platform's current config: a dirty one is refused, as for a release.
  const sourceCommit = runSource(options);
  return commitPlanned({ ...options, sourceCommit }, 'rollback', (root) => {
    // Under the lock, on a clean checkout: HEAD's releases.json is the one the root read.
    const history = readReleaseHistory(gitops);
    const { restore, current } = rollbackTarget(releaseEvents(history.versions), env, selector);
    const transition = applyRollback(
      root.platform,
      root.releases.config,
      { env, entry: restore.entry, restoreCommit: restore.commit, replacedTag: current.tag, replacedCommit: current.commit, sourceCommit },
      root.canary,
    );
    return {
      transition,
      unchanged: `${env} already runs the release of ${restore.commit.slice(0, 12)} (${restore.tag}): nothing to commit`,
      subject: `rollback ${env} to ${restore.tag}`,
      details: [
        `Tag: ${restore.tag}, as recorded by GitOps commit ${restore.commit}`,
        `Rolled back from: ${current.tag}, GitOps commit ${current.commit}`,
      ],
    };
  });
}
