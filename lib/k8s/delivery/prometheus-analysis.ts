import type { IAnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';
import type { IMetric } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Metric';
import { Duration } from 'cdk8s';
import { type Construct } from 'constructs';
import { isHttpUrl } from '../../model/http-url';
import { appLabels } from '../labels';
import { ModelObject } from '../model-object';
import { type MonitoredAppProps, monitoredNamespace, requirePositive } from '../monitoring/monitored-app';
import { type HttpMetricNames, httpMetrics, type LabelMatcher, promDuration, series } from '../monitoring/promql';

/** Props shared by the AnalysisTemplates that measure an app through Prometheus. */
export interface PrometheusAnalysisProps extends Omit<MonitoredAppProps, 'discoveryLabels'> {
  /** The URL of the Prometheus server, as Argo Rollouts' controller reaches it. */
  readonly prometheusAddress: string;
  /**
   * How often each metric is measured.
   * @default Duration.seconds(30)
   */
  readonly interval?: Duration;
  /**
   * How many failed measurements a metric tolerates; one more fails the analysis.
   * @default 1
   */
  readonly failureLimit?: number;
  /**
   * How many measurements each metric takes before the analysis ends. A gate (blue-green's
   * pre-promotion analysis) needs one, or the Rollout waits forever.
   * @default - measure until the Rollout ends the analysis: background analysis
   */
  readonly count?: number;
  /**
   * The window rates are computed over: at least four scrape intervals, so rate() has samples.
   * @default Duration.minutes(2)
   */
  readonly rateWindow?: Duration;
  /**
   * The names of the app's HTTP metrics.
   * @default - http_requests_total with a `code` label and http_request_duration_seconds_bucket
   */
  readonly metrics?: HttpMetricNames;
}

/** {@link PrometheusAnalysisProps} with every default applied and checked. */
export interface PrometheusAnalysis {
  readonly namespace: string;
  readonly prometheusAddress: string;
  readonly interval: Duration;
  readonly failureLimit: number;
  readonly count?: number;
  readonly rateWindow: Duration;
  readonly metrics: Required<HttpMetricNames>;
}

/** Applies the defaults of {@link PrometheusAnalysisProps} and checks them. */
export function prometheusAnalysis(scope: Construct, props: PrometheusAnalysisProps): PrometheusAnalysis {
  const interval = props.interval ?? Duration.seconds(30);
  const failureLimit = props.failureLimit ?? 1;
  const rateWindow = props.rateWindow ?? Duration.minutes(2);
  if (!isHttpUrl(props.prometheusAddress)) {
    throw new Error(`${props.name}: prometheusAddress "${props.prometheusAddress}" is not an http(s) URL; fix: give the Prometheus service URL, like "http://prometheus-operated.monitoring.svc:9090"`);
  }
  requirePositive(props.name, 'interval', interval);
  requirePositive(props.name, 'rateWindow', rateWindow);
  if (!Number.isInteger(failureLimit) || failureLimit < 0) {
    throw new Error(`${props.name}: failureLimit (${failureLimit}) must be a whole number of at least 0; fix: give how many failed measurements to tolerate, like 1`);
  }
  if (props.count !== undefined && (!Number.isInteger(props.count) || props.count <= failureLimit)) {
    throw new Error(`${props.name}: count (${props.count}) must be a whole number above failureLimit (${failureLimit}); fix: take more measurements, like 10`);
  }
  return {
    count: props.count,
    namespace: monitoredNamespace(scope, props),
    prometheusAddress: props.prometheusAddress,
    interval,
    failureLimit,
    rateWindow,
    metrics: httpMetrics(props.name, props.metrics),
  };
}

/** The AnalysisTemplate of an analysis, in the app's namespace with the app's labels. */
export function analysisTemplate(
  scope: Construct,
  props: PrometheusAnalysisProps,
  settings: PrometheusAnalysis,
  spec: IAnalysisTemplate['spec'],
): ModelObject<IAnalysisTemplate> {
  return new ModelObject<IAnalysisTemplate>(scope, 'Resource', {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: { name: props.name, namespace: settings.namespace, labels: appLabels(props.labels) },
    spec,
  });
}

/**
 * When a measurement passes and when it fails. With both set, a value that meets neither (the NaN
 * of {@link whenEnoughRequests}) is inconclusive, and Argo Rollouts pauses the Rollout for a person.
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/analysis/#inconclusive-runs
 */
export interface MetricConditions {
  readonly success: string;
  /** @default - any value that does not meet `success` fails */
  readonly failure?: string;
}

/** A metric measured every interval, judged by its conditions on the query's value. */
export function prometheusMetric(settings: PrometheusAnalysis, name: string, query: string, conditions: MetricConditions, initialDelay?: Duration): IMetric {
  return {
    name,
    initialDelay: initialDelay === undefined ? undefined : promDuration(initialDelay),
    interval: promDuration(settings.interval),
    count: settings.count,
    failureLimit: settings.failureLimit,
    successCondition: conditions.success,
    failureCondition: conditions.failure,
    provider: { prometheus: { address: settings.prometheusAddress, query } },
  };
}

/**
 * `rate(metric{...}[window])`: the per-second rate of a counter over the analysis's rate window.
 */
function rate(settings: PrometheusAnalysis, metric: string, matchers: readonly LabelMatcher[]): string {
  return `rate(${series(metric, matchers)}[${promDuration(settings.rateWindow)}])`;
}

/**
 * The share of the selected requests whose status matches `op` 5xx. Empty without traffic: the
 * request rate is filtered with `> 0`, so 0/0 gives no sample rather than NaN, which fails every
 * condition. A status that never occurred counts as 0, so all-5xx traffic gives 0, not nothing.
 */
function statusRatio(settings: PrometheusAnalysis, matchers: readonly LabelMatcher[], op: '=~' | '!~'): string {
  const { requestsTotal, statusCodeLabel } = settings.metrics;
  const matching = [...matchers, { label: statusCodeLabel, op, value: '5..' } as const];
  return `(sum(${rate(settings, requestsTotal, matching)}) or on() vector(0))\n/\n(sum(${rate(settings, requestsTotal, matchers)}) > 0)`;
}

/** The share of the selected requests answered without a 5xx status; empty without traffic. */
export function successRatio(settings: PrometheusAnalysis, matchers: readonly LabelMatcher[]): string {
  return statusRatio(settings, matchers, '!~');
}

/** The share of the selected requests answered with a 5xx status; empty without traffic. */
export function errorRatio(settings: PrometheusAnalysis, matchers: readonly LabelMatcher[]): string {
  return statusRatio(settings, matchers, '=~');
}

/**
 * The 95th percentile of the selected requests' duration, in seconds. Empty without traffic:
 * histogram_quantile gives NaN when no request was counted, which `> 0` drops.
 */
export function p95Seconds(settings: PrometheusAnalysis, matchers: readonly LabelMatcher[]): string {
  return `histogram_quantile(0.95, sum by (le) (${rate(settings, settings.metrics.durationBucket, matchers)})) > 0`;
}

/** How many of the selected requests were served within the rate window. */
export function requestCount(settings: PrometheusAnalysis, matchers: readonly LabelMatcher[]): string {
  return `sum(increase(${series(settings.metrics.requestsTotal, matchers)}[${promDuration(settings.rateWindow)}]))`;
}

/**
 * The query, judged only when the selected requests in the window reach `minRequests`; otherwise,
 * and when the query is empty, NaN, which meets no condition: the measurement is inconclusive, so
 * an idle release or candidate never passes. A metric with this query needs both conditions.
 */
export function whenEnoughRequests(query: string, settings: PrometheusAnalysis, matchers: readonly LabelMatcher[], minRequests: number): string {
  if (!Number.isInteger(minRequests) || minRequests < 1) {
    throw new Error(`minRequests (${minRequests}) must be a whole number of at least 1; fix: give the requests a window must hold, like 50`);
  }
  return `(
(
${query}
)
and on()
(${requestCount(settings, matchers)} >= ${minRequests})
) or on() vector(NaN)`;
}
