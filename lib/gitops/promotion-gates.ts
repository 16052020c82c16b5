import { type AppLabels } from '../k8s/labels';
import { ERROR_BUDGET_REMAINING, sloSeries } from '../k8s/slo/slo-queries';
import { outputLayout } from '../model/output-layout';
import { type Platform } from '../model/platform';
import { effectiveRelease, type ReleasesConfig } from '../model/releases';
import { queryScalar } from './prometheus';
import { readReleaseHistory } from './release-history';
import { appsIn, type CanaryPolicy } from './release-state';

/*
 * The gates a promotion into production passes before anything is written: the canary's bake time
 * and each promoted app's error budget. A gate that does not pass is a refusal, which `--force`
 * with a reason overrides (and the reason is recorded).
 */

/** A gate that did not pass: why, and how to get past it without forcing. */
export interface GateRefusal {
  readonly gate: 'bake-time' | 'error-budget';
  /** What is wrong, one line without the fix. */
  readonly problem: string;
  /** How to pass, without forcing. */
  readonly fix: string;
  /** Short, for the commit message of a forced promotion: `bake time of canary (3h 2m left)`. */
  readonly summary: string;
}

/** The GitOps commit that set an environment's current release and weight. */
export interface Reached {
  readonly commit: string;
  readonly time: Date;
}

/** What the candidates in the canary environment run, and its weight: what "the same canary" means. */
function canaryState(platform: Platform, releases: ReleasesConfig, env: string): string | undefined {
  const entry = releases.environments[env];
  if (entry === undefined) return undefined;
  const candidates = appsIn(platform, env).map((app) => {
    const r = effectiveRelease(entry, app);
    return [app, r.tag, r.digest ?? ''];
  });
  return JSON.stringify({ weight: entry.canaryWeight ?? 0, candidates });
}

/**
 * The commit of the GitOps checkout at `gitopsDir` (the top of its work tree) that set the current
 * release and weight of the canary environment `env`: walking the history of the releases file
 * (readReleaseHistory) back from HEAD, the oldest commit of the unbroken run whose file says what
 * `releases` says. A version that could not be read ends the walk. Undefined when no commit does.
 */
export function canaryReached(platform: Platform, releases: ReleasesConfig, env: string, gitopsDir: string): Reached | undefined {
  const current = canaryState(platform, releases, env);
  if (current === undefined) return undefined;
  const versions = readReleaseHistory(gitopsDir).versions;
  let reached: Reached | undefined;
  for (let i = versions.length - 1; i >= 0; i -= 1) {
    const version = versions[i];
    if (canaryState(platform, version.releases, env) !== current) break;
    reached = { commit: version.commit, time: new Date(version.time) };
    if (version.afterGap === true) break;
  }
  return reached;
}

/** A duration in seconds for people: `23h 59m`, `12m`, `40s`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const parts = [d > 0 ? `${d}d` : '', h > 0 ? `${h}h` : '', m > 0 ? `${m}m` : '', s < 60 ? `${s}s` : ''].filter((p) => p !== '');
  return parts.length === 0 ? '0s' : parts.join(' ');
}

/** What the bake-time gate reads. */
export interface BakeTimeRequest {
  readonly platform: Platform;
  /** The releases file of the checkout, as it is now. */
  readonly releases: ReleasesConfig;
  readonly canary: CanaryPolicy;
  /** The top of the GitOps checkout's work tree. */
  readonly gitopsDir: string;
  readonly now: Date;
}

/**
 * The bake-time gate of a promotion from the canary environment into production: the candidates
 * must have run at their current weight for the canary's `bakeTime` (24 h by default), counted from
 * the committer time of the GitOps commit that set it. Undefined when it passes.
 */
export function bakeTimeGate(req: BakeTimeRequest): GateRefusal | undefined {
  const env = req.canary.env;
  const settings = env === undefined ? undefined : req.platform.environment(env)?.canary;
  if (env === undefined || settings === undefined) return undefined;
  const bake = settings.bakeTime.toSeconds();
  const entry = req.releases.environments[env];
  const candidates = appsIn(req.platform, env);
  const what = `${candidates.map((a) => `${a} ${entry === undefined ? '?' : effectiveRelease(entry, a).tag}`).join(', ') || 'no app'} at ${entry?.canaryWeight ?? 0}%`;
  const reached = canaryReached(req.platform, req.releases, env, req.gitopsDir);
  const force = '{force} {reason} TEXT';
  if (reached === undefined) {
    return {
      gate: 'bake-time',
      problem: `cannot tell how long the candidates in ${env} (${what}) have baked: no commit of ${outputLayout.releases()} in the GitOps checkout sets its release and weight`,
      fix: `promote into ${env} through the tool and wait its bake time of ${formatDuration(bake)}, or pass ${force}`,
      summary: `bake time of ${env} (unknown start)`,
    };
  }
  const baked = (req.now.getTime() - reached.time.getTime()) / 1000;
  if (baked >= bake) return undefined;
  const ready = new Date(reached.time.getTime() + bake * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const left = formatDuration(bake - baked);
  return {
    gate: 'bake-time',
    problem: `the candidates in ${env} (${what}) have baked ${formatDuration(baked)} of the ${formatDuration(bake)} bake time since commit ${reached.commit.slice(0, 12)}; ${left} left`,
    fix: `run the promotion again after ${ready}, or pass ${force}`,
    summary: `bake time of ${env} (${left} left)`,
  };
}

/** The share of its error budget an app may have spent before promotions into production stop. */
export const BUDGET_FREEZE = 0.8;
/** The share at which a rollback of production is recommended. */
export const BUDGET_ROLLBACK = 0.95;

/**
 * The PromQL of an app's error budget left in `env`: the smallest over its SLIs of the series its
 * SLO rules record (AppSloRules), selected as ErrorBudgetAnalysis selects it.
 */
export function errorBudgetQuery(platform: Platform, app: string, env: string): string | undefined {
  const environment = platform.environment(env);
  if (environment === undefined || environment.progressive === undefined) return undefined;
  const instance = platform.instances(environment).find((i) => i.app.name === app);
  if (instance === undefined || instance.app.slo === undefined) return undefined;
  // sloSeries reads the name label and the namespace, as the rules group them.
  const labels: AppLabels = { app, instance: instance.name, partOf: platform.name, version: instance.image.tag };
  return `min(${sloSeries(ERROR_BUDGET_REMAINING, labels, environment.namespace)})`;
}

/** What the error-budget gate reads. */
export interface ErrorBudgetRequest {
  readonly platform: Platform;
  /** The environment promoted into: production. */
  readonly env: string;
  /** The apps promoted. */
  readonly apps: readonly string[];
  /** The base URL of the Prometheus that evaluates the SLO rules. */
  readonly prometheus: string;
  /** @default 10 s */
  readonly timeoutMs?: number;
}

/**
 * The error-budget gate of a promotion into production: each promoted app with an SLO must have
 * spent less than 80% of its budget (the freeze); at 95% a rollback is recommended. A budget that
 * cannot be read throws (GitOpsError): never a pass. Returns the refusals, in app order.
 */
export async function errorBudgetGate(req: ErrorBudgetRequest): Promise<GateRefusal[]> {
  const refusals: GateRefusal[] = [];
  for (const app of req.apps) {
    const query = errorBudgetQuery(req.platform, app, req.env);
    if (query === undefined) continue;
    const remaining = await queryScalar(req.prometheus, query, req.timeoutMs);
    const consumed = 1 - remaining;
    if (consumed < BUDGET_FREEZE) continue;
    const spent = `app "${app}" has spent ${percent(consumed)} of its error budget in ${req.env}`;
    if (consumed >= BUDGET_ROLLBACK) {
      refusals.push({
        gate: 'error-budget',
        problem: `${spent} (${percent(BUDGET_ROLLBACK)} or more): promotions into ${req.env} are frozen and a rollback is recommended`,
        fix: `roll production back with rollback --env ${req.env} --steps 1, or, to promote a fix of the cause, pass {force} {reason} TEXT`,
        summary: `error budget of ${app} (${percent(consumed)} spent)`,
      });
    } else {
      refusals.push({
        gate: 'error-budget',
        problem: `${spent} (${percent(BUDGET_FREEZE)} or more): promotions into ${req.env} are frozen`,
        fix: 'promote once the budget recovers below the freeze, or pass {force} {reason} TEXT',
        summary: `error budget of ${app} (${percent(consumed)} spent)`,
      });
    }
  }
  return refusals;
}

function percent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}
