import { Duration } from 'cdk8s';
import { type Checks } from './checks';
import type { ExposureConfig } from './config';

/** One step of a canary release: move `weight` percent onto the new version, then hold. */
export interface CanaryStepConfig {
  /** Percent of replicas (or of traffic, under Istio) on the new version, from 1 to 100. */
  readonly weight: number;
  /**
   * How long to hold before the next step.
   * @default Duration.minutes(5), and no pause after the last step
   */
  readonly pause?: Duration;
}

/** What a release must show while it rolls out, measured on its own pods. */
export interface ReleaseAnalysisConfig {
  /**
   * The share of requests answered without a 5xx status, at least.
   * @default 0.99
   */
  readonly successRate?: number;
  /**
   * The 95th percentile of request latency, at most.
   * @default Duration.millis(500)
   */
  readonly p95Latency?: Duration;
  /**
   * Requests the release must serve within each measurement's window before its ratios are
   * judged. With fewer, a measurement is inconclusive, and Argo Rollouts pauses the release for a
   * person: no traffic is never a pass.
   * @default 50
   */
  readonly minRequests?: number;
}

/**
 * How production replaces an app's pods at a release.
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/specification/
 */
export type RolloutStrategyConfig =
  /**
   * An Argo Rollout that moves replicas to the new version step by step, with background analysis.
   * It has no traffic router: it weights by replica count (docs/progressive-delivery.md).
   */
  | { readonly type: 'canary'; /** @default 10, 25, 50, 75, 100 */ readonly steps?: readonly CanaryStepConfig[]; readonly analysis?: ReleaseAnalysisConfig }
  /** An Argo Rollout that shifts traffic itself, through the app's Istio VirtualService route. */
  | { readonly type: 'rolloutIstio'; /** @default 10, 25, 50, 75, 100 */ readonly steps?: readonly CanaryStepConfig[]; readonly analysis?: ReleaseAnalysisConfig }
  /** An Argo Rollout that starts the new version beside the old behind a preview Service, then switches. */
  | {
      readonly type: 'blueGreen';
      /**
       * Switch once the pre-promotion analysis passes; otherwise a person promotes.
       * @default false
       */
      readonly autoPromotion?: boolean;
      readonly analysis?: ReleaseAnalysisConfig;
    }
  /** A plain Deployment with a rolling update: no analysis, no traffic split. */
  | { readonly type: 'rolling' };

/** How a release of an app reaches users. */
export interface DeliveryConfig {
  /**
   * @default - `canary` for an app that serves HTTP; `rolling` for one with exposure `none`
   */
  readonly strategy?: RolloutStrategyConfig;
  /**
   * Whether the release candidate first runs in the canary environment, beside production, and
   * takes the canary environment's share of production traffic. The candidate uses production's
   * database and cache, and its `migrate` runs against production's database before production
   * runs that release: every migration must be backward compatible (expand, then contract in a
   * later release), so the stable release keeps working on the migrated schema (docs/data.md).
   * @default - true for the `canary` strategy on a platform with a canary environment, else false
   */
  readonly canaryEnvironment?: boolean;
}

/** A canary step with its default pause applied. */
export interface CanaryStep {
  readonly weight: number;
  /** Undefined after the last step. */
  readonly pause?: Duration;
}

/** Release analysis with defaults applied. */
export interface ReleaseAnalysisSettings {
  readonly successRate: number;
  readonly p95Latency: Duration;
  /** Requests in a measurement's window below which it is inconclusive. */
  readonly minRequests: number;
  /** How often each metric is sampled. */
  readonly interval: Duration;
}

/** A strategy with its defaults applied. */
export type RolloutStrategy =
  | { readonly type: 'canary'; readonly steps: readonly CanaryStep[]; readonly analysis: ReleaseAnalysisSettings }
  | { readonly type: 'rolloutIstio'; readonly steps: readonly CanaryStep[]; readonly analysis: ReleaseAnalysisSettings }
  | { readonly type: 'blueGreen'; readonly autoPromotion: boolean; readonly analysis: ReleaseAnalysisSettings }
  | { readonly type: 'rolling' };

/** How an app's releases reach users, validated. */
export interface Delivery {
  readonly strategy: RolloutStrategy;
  readonly canaryEnvironment: boolean;
}

export const DEFAULT_STEP_WEIGHTS: readonly number[] = [10, 25, 50, 75, 100];
/** Requests a measurement's window must hold before an analysis judges a ratio. */
export const DEFAULT_MIN_REQUESTS = 50;
const DEFAULT_PAUSE = Duration.minutes(5);
/** Every analysis samples Prometheus this often. */
export const ANALYSIS_INTERVAL = Duration.seconds(30);

/**
 * Applies the defaults and rejects strategies that cannot work, naming the app and the reason.
 * With `canaryEnvironment`, the candidate migrates production's database while the stable release
 * still serves: migrations must be backward compatible (expand, then contract; docs/data.md).
 * @param hasCanaryEnvironment whether the platform declares a canary environment
 */
export function resolveDelivery(config: DeliveryConfig | undefined, exposure: ExposureConfig, hasCanaryEnvironment: boolean, checks: Checks): Delivery {
  const served = exposure.type !== 'none';
  const strategyConfig: RolloutStrategyConfig = config?.strategy ?? (served ? { type: 'canary' } : { type: 'rolling' });
  const type = strategyConfig.type;
  checks.oneOf('delivery.strategy.type', type, ['canary', 'rolloutIstio', 'blueGreen', 'rolling']);
  if (type !== 'rolling') {
    checks.require(served, 'delivery.strategy.type', type,
      'needs an app that serves HTTP: its analysis measures HTTP requests, and exposure is "none"',
      'use { type: "rolling" } for a worker, or give the app an exposure');
  }
  const canaryEnvironment = config?.canaryEnvironment ?? (type === 'canary' && hasCanaryEnvironment);
  if (canaryEnvironment) {
    checks.require(hasCanaryEnvironment, 'delivery.canaryEnvironment', true, 'is set, but no environment of the platform has canary settings',
      'give the canary environment `canary: {}`, or set canaryEnvironment: false');
    const reasons: Readonly<Record<string, string>> = {
      rolloutIstio: 'the Rollout would manage the VirtualService route that the canary environment\'s weight already sets, and Argo Rollouts only manages a route with exactly two destinations (argo-rollouts issue 1364)',
      blueGreen: 'blue-green switches Services, so its preview pods would take the canary environment\'s share of traffic',
      rolling: 'a rolling update has no analysis to stop a bad candidate',
    };
    const reason = reasons[type];
    if (reason !== undefined) {
      checks.fail('delivery.canaryEnvironment', true, `cannot be combined with strategy "${type}": ${reason}`,
        type === 'rolling' ? 'use strategy "canary", or set canaryEnvironment: false' : 'set canaryEnvironment: false, or use strategy "canary"');
    }
  }
  const strategy = resolveStrategy(strategyConfig, checks);
  return { strategy, canaryEnvironment };
}

function resolveStrategy(config: RolloutStrategyConfig, checks: Checks): RolloutStrategy {
  switch (config.type) {
    case 'rolling':
      return { type: 'rolling' };
    case 'blueGreen':
      return { type: 'blueGreen', autoPromotion: config.autoPromotion ?? false, analysis: resolveAnalysis(config.analysis, checks) };
    default:
      return { type: config.type, steps: resolveSteps(config.steps, checks), analysis: resolveAnalysis(config.analysis, checks) };
  }
}

/**
 * What is wrong with a list of canary step weights, or undefined: they must be whole percents from
 * 1 to 100, strictly increasing, ending at 100 so the release reaches every replica. The one home
 * of the rule: the model checks the config with it, and the Rollout construct its own props.
 */
export function canaryStepProblem(weights: readonly number[]): { readonly index: number; readonly problem: string; readonly fix: string } | undefined {
  if (weights.length === 0) return { index: -1, problem: 'is empty', fix: 'list weights that end at 100, such as 10, 25, 50, 75, 100' };
  for (const [i, weight] of weights.entries()) {
    if (!Number.isInteger(weight) || weight < 1 || weight > 100) return { index: i, problem: 'is not an integer from 1 to 100', fix: 'use a whole percent from 1 to 100' };
    if (i > 0 && weight <= weights[i - 1]) {
      return { index: i, problem: `does not rise above the step before (${weights[i - 1]})`, fix: 'make the weights strictly increasing' };
    }
  }
  const last = weights.length - 1;
  if (weights[last] !== 100) return { index: last, problem: 'is the last step but not 100', fix: 'end the steps at 100, so the release reaches every replica' };
  return undefined;
}

function resolveSteps(config: readonly CanaryStepConfig[] | undefined, checks: Checks): CanaryStep[] {
  const steps: readonly CanaryStepConfig[] = config ?? DEFAULT_STEP_WEIGHTS.map((weight) => ({ weight }));
  const field = 'delivery.strategy.steps';
  const problem = canaryStepProblem(steps.map((s) => s.weight));
  if (problem !== undefined) {
    const at = problem.index < 0 ? field : `${field}[${problem.index}].weight`;
    checks.fail(at, problem.index < 0 ? [] : steps[problem.index].weight, problem.problem, problem.fix);
  }
  steps.forEach((s, i) => {
    if (s.pause !== undefined) {
      checks.require(s.pause.toSeconds() >= 1, `${field}[${i}].pause`, `${s.pause.toMilliseconds()}ms`, 'is shorter than a second',
        'give a pause of at least Duration.seconds(1), or leave it unset for the default');
    }
  });
  return steps.map((s, i) => ({ weight: s.weight, pause: i === steps.length - 1 ? undefined : (s.pause ?? DEFAULT_PAUSE) }));
}

function resolveAnalysis(config: ReleaseAnalysisConfig | undefined, checks: Checks): ReleaseAnalysisSettings {
  const successRate = config?.successRate ?? 0.99;
  const p95Latency = config?.p95Latency ?? Duration.millis(500);
  const minRequests = config?.minRequests ?? DEFAULT_MIN_REQUESTS;
  checkMinRequests(checks, 'delivery.strategy.analysis.minRequests', minRequests);
  checks.require(successRate > 0 && successRate <= 1, 'delivery.strategy.analysis.successRate', successRate, 'is not above 0 and at most 1',
    'give a share such as 0.99');
  checks.require(p95Latency.toMilliseconds() > 0, 'delivery.strategy.analysis.p95Latency', `${p95Latency.toMilliseconds()}ms`,
    'is not longer than zero', 'give a latency such as Duration.millis(500)');
  return { successRate, p95Latency, minRequests, interval: ANALYSIS_INTERVAL };
}

/** A minimum request count is a whole number of at least 1: with 0, no traffic would pass again. */
export function checkMinRequests(checks: Checks, field: string, value: number): void {
  checks.intInRange(field, value, 1, 1_000_000, 'give a whole number of requests of at least 1, such as 50');
}

/** The release candidate that runs beside a production workload, in the canary environment. */
export interface CanaryCandidate {
  /** The candidate's workload name, `<app>-canary`. */
  readonly instance: string;
  /** Percent of the production route it takes: 0 when no candidate is live. */
  readonly weight: number;
}

/** How a candidate in the canary environment is judged against production. */
export interface CandidateSettings {
  /** The production workload it runs beside and is compared with. */
  readonly stableInstance: string;
  readonly bakeTime: Duration;
  readonly maxErrorRateIncrease: number;
  readonly maxLatencyIncrease: number;
  /** Requests the candidate must serve in a measurement's window before it is judged. */
  readonly minRequests: number;
  readonly interval: Duration;
}

/** How one app's workload is released in one environment: the strategy object its chart renders. */
export type InstanceDelivery =
  /** A Deployment with a rolling update: environments without progressive delivery, and apps that opt out. */
  | { readonly type: 'rolling' }
  /** A production Rollout weighted by replicas; with a candidate, production also owns the Istio route they share. */
  | { readonly type: 'canary'; readonly steps: readonly CanaryStep[]; readonly analysis: ReleaseAnalysisSettings; readonly candidate?: CanaryCandidate }
  /** A production Rollout that manages its Istio route. */
  | { readonly type: 'rolloutIstio'; readonly steps: readonly CanaryStep[]; readonly analysis: ReleaseAnalysisSettings }
  /** A production Rollout behind active and preview Services. */
  | { readonly type: 'blueGreen'; readonly autoPromotion: boolean; readonly analysis: ReleaseAnalysisSettings }
  /** The candidate in the canary environment: one replica, compared with production in the background. */
  | ({ readonly type: 'candidate' } & CandidateSettings);

/** The pod label Istio subsets select a track by. */
export const TRACK_LABEL = 'track';
/** Production's pods and the canary environment's candidate. */
export type Track = 'stable' | 'canary';

/**
 * Whether Istio splits the workload's traffic, so its external hosts must enter through the Istio
 * gateway: a GKE Ingress sends to pod IPs directly, past every VirtualService weight.
 */
export function entersThroughMesh(delivery: InstanceDelivery): boolean {
  // The candidate shares production's host and takes its share through production's route.
  return delivery.type === 'rolloutIstio' || delivery.type === 'candidate' || (delivery.type === 'canary' && delivery.candidate !== undefined);
}

/** The most production traffic a platform's candidates can carry, and the app that limits it. */
export interface CandidateCapacity {
  /** Percent of production traffic, from 0 to 100. */
  readonly maxWeight: number;
  /** The candidate that carries the least. */
  readonly app: string;
  /** The most pods the candidate can run: its autoscaler's maximum, else its replicas. */
  readonly candidateReplicas: number;
  /** The most pods production runs of the app at peak: its autoscaler's maximum. */
  readonly productionReplicas: number;
}

/**
 * The share of production traffic, in percent, a candidate can carry: production is sized so its
 * most pods serve all of it at peak, so each pod serves at least 1/productionReplicas of it, and
 * the candidate's pods are the same pods. A weight above this overloads the candidate at peak.
 */
export function candidateCapacity(app: string, candidateReplicas: number, productionReplicas: number): CandidateCapacity {
  const maxWeight = Math.min(100, Math.floor((100 * candidateReplicas) / productionReplicas));
  return { maxWeight, app, candidateReplicas, productionReplicas };
}

/** The replicas a candidate needs, at least, to carry `weight` percent of `productionReplicas`' traffic. */
export function replicasForWeight(weight: number, productionReplicas: number): number {
  return Math.ceil((weight * productionReplicas) / 100);
}
