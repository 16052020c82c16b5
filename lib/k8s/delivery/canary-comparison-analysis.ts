import type { IAnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';
import { Construct } from 'constructs';
import { type ModelObject } from '../model-object';
import { appSeriesMatchers, promNumber } from '../monitoring/promql';
import { DEFAULT_MIN_REQUESTS } from '../../model/delivery';
import { analysisTemplate, errorRatio, type MetricConditions, p95Seconds, prometheusAnalysis, type PrometheusAnalysisProps, prometheusMetric, whenEnoughRequests } from './prometheus-analysis';

/** The metric of a {@link CanaryComparisonAnalysis} on the canary's 5xx ratio minus the stable one's. */
export const ERROR_RATE_VS_STABLE_METRIC = 'error-rate-vs-stable';

/** The metric of a {@link CanaryComparisonAnalysis} on the canary's p95 latency over the stable one's. */
export const P95_LATENCY_VS_STABLE_METRIC = 'p95-latency-vs-stable';

/** Props of {@link CanaryComparisonAnalysis}. */
export interface CanaryComparisonAnalysisProps extends PrometheusAnalysisProps {
  /** The `app.kubernetes.io/instance` label of the canary workload. */
  readonly canaryInstance: string;
  /** The `app.kubernetes.io/instance` label of the stable workload the canary runs beside. */
  readonly stableInstance: string;
  /**
   * How far the canary's share of 5xx responses may exceed the stable one's, as a share.
   * @default 0.01 - one percentage point
   */
  readonly maxErrorRateIncrease?: number;
  /**
   * How far the canary's p95 latency may exceed the stable one's, as a share of the stable one.
   * @default 0.2 - at most 20% slower
   */
  readonly maxLatencyIncrease?: number;
  /**
   * Requests the canary must serve within the rate window before it is compared; with fewer, the
   * measurement is inconclusive.
   * @default 50
   */
  readonly minRequests?: number;
}

/**
 * An Argo Rollouts AnalysisTemplate that compares a canary workload with the stable one it runs
 * beside, under the same traffic: its 5xx ratio and p95 latency may exceed the stable ones by a
 * margin. A canary that serves fewer than `minRequests` requests in a window is not judged: the
 * measurement is inconclusive and its Rollout pauses. A stable workload without traffic counts as
 * error-free; without its latency, the latency comparison is inconclusive.
 * @see https://argo-rollouts.readthedocs.io/en/stable/analysis/prometheus/
 */
export class CanaryComparisonAnalysis extends Construct {
  public readonly resource: ModelObject<IAnalysisTemplate>;
  /** The name a Rollout's `analysis.templates[].templateName` refers to. */
  public readonly templateName: string;

  constructor(scope: Construct, id: string, props: CanaryComparisonAnalysisProps) {
    super(scope, id);
    const settings = prometheusAnalysis(this, props);
    const maxErrorRateIncrease = props.maxErrorRateIncrease ?? 0.01;
    const maxLatencyIncrease = props.maxLatencyIncrease ?? 0.2;
    checkInstance(props.name, 'canaryInstance', props.canaryInstance);
    checkInstance(props.name, 'stableInstance', props.stableInstance);
    if (props.canaryInstance === props.stableInstance) {
      throw new Error(`${props.name}: canaryInstance and stableInstance are both "${props.canaryInstance}", so the canary would be compared with itself; fix: give the instance label of each workload`);
    }
    if (!(maxErrorRateIncrease >= 0 && maxErrorRateIncrease < 1)) {
      throw new Error(`${props.name}: maxErrorRateIncrease (${maxErrorRateIncrease}) must be at least 0 and below 1; fix: give a share of requests, like 0.01 for one point`);
    }
    if (!(maxLatencyIncrease >= 0 && Number.isFinite(maxLatencyIncrease))) {
      throw new Error(`${props.name}: maxLatencyIncrease (${maxLatencyIncrease}) must be a number of at least 0; fix: give a share of the stable latency, like 0.2 for 20%`);
    }

    const canary = appSeriesMatchers({ ...props.labels, instance: props.canaryInstance }, settings.namespace);
    const stable = appSeriesMatchers({ ...props.labels, instance: props.stableInstance }, settings.namespace);
    // A stable workload without traffic counts as error-free, so a failing canary still fails.
    const errorIncrease = `(${errorRatio(settings, canary)})\n-\n((${errorRatio(settings, stable)}) or on() vector(0))`;
    const latencyRatio = `(${p95Seconds(settings, canary)})\n/\n(${p95Seconds(settings, stable)})`;
    const judged = (query: string): string => whenEnoughRequests(query, settings, canary, props.minRequests ?? DEFAULT_MIN_REQUESTS);
    const atMost = (max: string): MetricConditions => ({ success: `result[0] <= ${max}`, failure: `result[0] > ${max}` });
    this.templateName = props.name;
    this.resource = analysisTemplate(this, props, settings, {
      metrics: [
        prometheusMetric(settings, ERROR_RATE_VS_STABLE_METRIC, judged(errorIncrease), atMost(promNumber(maxErrorRateIncrease)), settings.rateWindow),
        prometheusMetric(settings, P95_LATENCY_VS_STABLE_METRIC, judged(latencyRatio), atMost(promNumber(1 + maxLatencyIncrease)), settings.rateWindow),
      ],
    });
  }
}

function checkInstance(owner: string, field: string, value: string): void {
  if (!/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(value) || value.length > 63) {
    throw new Error(`${owner}: ${field} "${value}" is not a label value; fix: use the workload's app.kubernetes.io/instance label, like "inventory-api-canary"`);
  }
}
