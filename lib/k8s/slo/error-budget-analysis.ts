import type { IAnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { isHttpUrl } from '../../model/http-url';
import { appLabels } from '../labels';
import { ModelObject } from '../model-object';
import { MonitoredAppProps, monitoredNamespace, requirePositive } from '../monitoring/monitored-app';
import { promDuration } from '../monitoring/promql';
import { ERROR_BUDGET_REMAINING, sloSeries } from './slo-queries';

/** The name of the {@link ErrorBudgetAnalysis} metric, as the AnalysisRun reports it. */
export const ERROR_BUDGET_METRIC = 'error-budget';

/** Props of {@link ErrorBudgetAnalysis}. */
export interface ErrorBudgetAnalysisProps extends Omit<MonitoredAppProps, 'discoveryLabels'> {
  /**
   * The URL of the Prometheus that evaluates the app's {@link AppSloRules}, as Argo Rollouts'
   * controller reaches it, like `http://prometheus-operated.monitoring.svc:9090`.
   */
  readonly prometheusAddress: string;
  /**
   * How often the budget is measured.
   * @default Duration.seconds(30)
   */
  readonly interval?: Duration;
  /**
   * How many measurements the analysis takes before it ends, for a gate such as blue-green's
   * pre-promotion analysis.
   * @default - measure until the Rollout ends the analysis: background analysis
   */
  readonly count?: number;
}

/**
 * An Argo Rollouts AnalysisTemplate that fails as soon as the app has no error budget left, so a
 * release that would spend an exhausted budget is aborted and rolled back. It reads the budget
 * {@link AppSloRules} records, the smallest over the app's SLIs. Its metric measures until the
 * analysis ends, so use it as the Rollout's background analysis (`strategy.canary.analysis`), or
 * give it a `count` to use it as a gate.
 * @see https://argo-rollouts.readthedocs.io/en/stable/analysis/prometheus/
 */
export class ErrorBudgetAnalysis extends Construct {
  public readonly resource: ModelObject<IAnalysisTemplate>;

  constructor(scope: Construct, id: string, props: ErrorBudgetAnalysisProps) {
    super(scope, id);
    const namespace = monitoredNamespace(this, props);
    const interval = props.interval ?? Duration.seconds(30);
    requirePositive(props.name, 'interval', interval);
    if (props.count !== undefined && (!Number.isInteger(props.count) || props.count < 1)) {
      throw new Error(`${props.name}: count (${props.count}) must be a whole number of at least 1; fix: take some measurements, like 10`);
    }
    if (!isHttpUrl(props.prometheusAddress)) {
      throw new Error(
        `${props.name}: prometheusAddress "${props.prometheusAddress}" is not an http(s) URL; fix: give the Prometheus service URL, like "http://prometheus-operated.monitoring.svc:9090"`,
      );
    }
    this.resource = new ModelObject<IAnalysisTemplate>(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: props.name, namespace, labels: appLabels(props.labels) },
      spec: {
        metrics: [
          {
            name: ERROR_BUDGET_METRIC,
            interval: promDuration(interval),
            count: props.count,
            successCondition: 'result[0] > 0',
            // One measurement with the budget spent is enough to stop the release.
            failureLimit: 0,
            provider: {
              prometheus: {
                address: props.prometheusAddress,
                // An app without history yet has its whole budget, not an empty result that fails.
                query: `min(${sloSeries(ERROR_BUDGET_REMAINING, props.labels, namespace)}) or on() vector(1)`,
              },
            },
          },
        ],
      },
    });
  }
}
