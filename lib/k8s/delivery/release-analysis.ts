import type { IAnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';
import { type Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { type ModelObject } from '../model-object';
import { requirePositive } from '../monitoring/monitored-app';
import { appSeriesMatchers, type LabelMatcher, promLabelName, promNumber, ROLLOUT_HASH_LABEL } from '../monitoring/promql';
import { DEFAULT_MIN_REQUESTS } from '../../model/delivery';
import { analysisTemplate, p95Seconds, prometheusAnalysis, type PrometheusAnalysisProps, prometheusMetric, successRatio, whenEnoughRequests } from './prometheus-analysis';

/** The argument of a {@link ReleaseAnalysis}: the pod template hash of the release under analysis. */
export const POD_TEMPLATE_HASH_ARG = 'pod-template-hash';

/** The metric of a {@link ReleaseAnalysis} on the share of requests answered without a 5xx status. */
export const SUCCESS_RATE_METRIC = 'success-rate';

/** The metric of a {@link ReleaseAnalysis} on the 95th percentile of the request duration. */
export const P95_LATENCY_METRIC = 'p95-latency';

/** Props of {@link ReleaseAnalysis}. */
export interface ReleaseAnalysisProps extends PrometheusAnalysisProps {
  /** The minimum share of requests answered without a 5xx status, above 0 and at most 1. */
  readonly successRate: number;
  /** The maximum 95th percentile of the request duration. */
  readonly p95Latency: Duration;
  /**
   * Requests the release's pods must serve within the rate window before it is judged; with fewer,
   * the measurement is inconclusive.
   * @default 50
   */
  readonly minRequests?: number;
}

/**
 * An Argo Rollouts AnalysisTemplate that a Rollout runs in the background while it releases: the
 * success rate and p95 latency of the new pods, found by the pod template hash the app's monitors
 * copy onto their series. A release that serves fewer than `minRequests` requests in a window is
 * not judged: the measurement is inconclusive and the Rollout pauses until a person resumes or
 * aborts it. Each metric first measures once a whole window of the release's traffic exists.
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/analysis/
 */
export class ReleaseAnalysis extends Construct {
  public readonly resource: ModelObject<IAnalysisTemplate>;
  /** The name a Rollout's `analysis.templates[].templateName` refers to. */
  public readonly templateName: string;

  constructor(scope: Construct, id: string, props: ReleaseAnalysisProps) {
    super(scope, id);
    const settings = prometheusAnalysis(this, props);
    if (!(props.successRate > 0 && props.successRate <= 1)) {
      throw new Error(`${props.name}: successRate (${props.successRate}) must be above 0 and at most 1; fix: give the minimum share of requests without a 5xx status, like 0.99`);
    }
    requirePositive(props.name, 'p95Latency', props.p95Latency);

    const release: LabelMatcher[] = [
      ...appSeriesMatchers(props.labels, settings.namespace),
      { label: promLabelName(ROLLOUT_HASH_LABEL), op: '=', value: `{{args.${POD_TEMPLATE_HASH_ARG}}}` },
    ];
    const maxSeconds = promNumber(props.p95Latency.toMilliseconds() / 1000);
    const successRate = promNumber(props.successRate);
    const judged = (query: string): string => whenEnoughRequests(query, settings, release, props.minRequests ?? DEFAULT_MIN_REQUESTS);
    this.templateName = props.name;
    this.resource = analysisTemplate(this, props, settings, {
      args: [{ name: POD_TEMPLATE_HASH_ARG }],
      metrics: [
        prometheusMetric(settings, SUCCESS_RATE_METRIC, judged(successRatio(settings, release)),
          { success: `result[0] >= ${successRate}`, failure: `result[0] < ${successRate}` }, settings.rateWindow),
        prometheusMetric(settings, P95_LATENCY_METRIC, judged(p95Seconds(settings, release)),
          { success: `result[0] <= ${maxSeconds}`, failure: `result[0] > ${maxSeconds}` }, settings.rateWindow),
      ],
    });
  }
}
