import { platformConfig } from '../apps/platform';
import { bakeTimeGate, errorBudgetGate, type GateRefusal } from '../lib/gitops/promotion-gates';
import { GitOpsError } from '../lib/gitops/gitops-error';
import { appsIn, applyPromotion, canaryPolicy, promotionRoute, requireApp } from '../lib/gitops/release-state';
import { definePlatform } from '../lib/model/platform';
import { effectiveRelease } from '../lib/model/releases';
import { UsageError } from './errors';
import { type GitOpsRunResult } from '../lib/pipeline/release-transaction';
import { type CliRunOptions, commitPlanned, requireGitops, runSource } from './release-command';

export interface PromoteCommandOptions extends CliRunOptions {
  readonly from?: string;
  /** @default - the environment after `from` */
  readonly to?: string;
  readonly app?: string;
  /** Allow skipping environments; needs `reason`. */
  readonly force?: boolean;
  readonly reason?: string;
  /** Move the canary to its next weight. */
  readonly step?: boolean;
  /**
   * The base URL of the Prometheus that evaluates the SLO rules: a promotion into production is
   * refused while a promoted app has spent 80% of its error budget.
   * @default - the error budget is not checked
   */
  readonly prometheus?: string;
  /** How long the error budget's query may take. @default 10 s */
  readonly prometheusTimeoutMs?: number;
  /** The time the canary's bake time is measured up to. @default - the current time */
  readonly now?: Date;
}

/**
 * `promote --from A --to B`: copies the release A runs into B, in promotion order, through the same
 * safe synth and commit as a release. With `--app`, the order is that of the environments the app
 * runs in: an app with no canary instance goes from stage straight to production.
 */
export async function runPromote(options: PromoteCommandOptions): Promise<GitOpsRunResult> {
  const config = options.config ?? platformConfig;
  const envs = config.environments.map((e) => e.name);
  const known = (flag: string, name: string): number => {
    const at = envs.indexOf(name);
    if (at < 0) throw new UsageError(`unknown environment "${name}" in ${flag}; fix: use one of ${envs.join(', ')}`);
    return at;
  };
  if (options.from === undefined) throw new UsageError('promote needs the environment to promote from; fix: add --from ENV, such as --from stage');
  const fromAt = known('--from', options.from);
  // Which apps run where does not depend on the releases: the config's own platform tells.
  const platform = definePlatform(config);
  if (options.app !== undefined) requireApp(platform, options.app, options.from, 'from');
  // The environments the promoted apps run in: promoting past one that runs none of them skips nothing.
  const route = promotionRoute(platform, options.app);
  const after = route.filter((e) => envs.indexOf(e) > fromAt);
  if (options.to === undefined && after.length === 0) {
    const last = fromAt === envs.length - 1 ? 'the last environment' : `the last environment ${options.app ?? 'any app'} runs in`;
    throw new UsageError(`--from ${options.from} is ${last}, so there is nothing after it; fix: promote from an earlier one`);
  }
  const to = options.to ?? after[0];
  const toAt = known('--to', to);
  if (toAt <= fromAt) {
    const fix = after.length > 0 ? `use --to ${after.join(' or ')}` : `${options.from} is the last environment; promote from an earlier one`;
    const where = toAt === fromAt ? 'is the same environment' : 'goes back';
    throw new UsageError(`promotion goes forward, but --from ${options.from} --to ${to} ${where}; fix: ${fix}`);
  }
  if (options.app !== undefined) requireApp(platform, options.app, to, 'to');
  // One line: the reason goes into the commit message and the releases file, never new lines of them.
  const reason = options.reason?.replace(/[\s\x00-\x1f\x7f]+/g, ' ').trim();
  if (options.force && (reason === undefined || reason === '')) {
    throw new UsageError('--force needs a reason, which is recorded; fix: add --reason "why the environments or gates are skipped"');
  }
  if (!options.force && reason !== undefined) throw new UsageError('--reason is only read with --force; fix: add --force, or drop --reason');
  const skipped = after.filter((e) => envs.indexOf(e) < toAt);
  if (skipped.length > 0 && !options.force) {
    throw new UsageError(
      `promoting ${options.from} to ${to}${options.app === undefined ? '' : ` (${options.app})`} skips ${skipped.join(', ')}; fix: promote one environment at a time (--from ${options.from} --to ${after[0]}), or pass --force --reason TEXT`,
    );
  }
  const from = options.from;
  const canary = canaryPolicy(platform);
  const intoProduction = to === canary.production;
  if (options.prometheus !== undefined && !intoProduction) {
    throw new UsageError(`--prometheus is only read for a promotion into ${canary.production}, and this one goes to ${to}; fix: drop --prometheus`);
  }
  requireGitops(options.gitops, 'promote');
  const sourceCommit = runSource(options);
  // The error budget of the promoted apps, read before the checkout is touched.
  const budget =
    options.prometheus === undefined
      ? []
      : await errorBudgetGate({
          platform,
          env: to,
          apps: options.app === undefined ? appsIn(platform, to) : [options.app],
          prometheus: options.prometheus,
          timeoutMs: options.prometheusTimeoutMs,
        });
  const now = options.now ?? new Date();
  return commitPlanned({ ...options, sourceCommit }, 'promote', (root) => {
    const source = root.releases.config.environments[from];
    const tag = options.app === undefined ? source.tag : effectiveRelease(source, options.app).tag;
    const transition = applyPromotion(
      root.platform,
      root.releases.config,
      { from, to, app: options.app, step: options.step ?? false, sourceCommit, reason, skipped },
      root.canary,
    );
    // The gates judge a change: a promotion that changes nothing passes as it always did.
    const refusals: GateRefusal[] = [];
    if (transition.changed) {
      if (from === root.canary.env && intoProduction) {
        const bake = bakeTimeGate({ platform: root.platform, releases: root.releases.config, canary: root.canary, gitopsDir: options.gitops ?? '', now });
        if (bake !== undefined) refusals.push(bake);
      }
      refusals.push(...budget);
    }
    if (refusals.length > 0 && !options.force) {
      const first = refusals[0];
      const more = refusals.length > 1 ? ` (and ${refusals.length - 1} more: ${refusals.slice(1).map((r) => r.summary).join(', ')})` : '';
      throw new GitOpsError(`${first.problem}${more}; nothing was changed; fix: ${first.fix}`);
    }
    const forced = [...(skipped.length > 0 ? [`skips ${skipped.join(', ')}`] : []), ...refusals.map((r) => `past the ${r.summary}`)];
    const which = options.app === undefined ? '' : ` (${options.app})`;
    const weight = transition.canaryWeight;
    return {
      transition,
      unchanged: `${to} already runs the release of ${from}${which} (${tag}): nothing to commit`,
      subject: options.step && weight !== undefined ? `step ${to} to ${weight.to}% (${tag})` : `promote ${tag} from ${from} to ${to}${which}`,
      details: [
        `Tag: ${tag}`,
        `Apps: ${options.app ?? 'all'}`,
        ...(options.force ? [`Forced: ${forced.join('; ') || 'skips no environment'}; reason: ${reason}`] : []),
      ],
    };
  });
}
