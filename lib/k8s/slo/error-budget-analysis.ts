import type { IAnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';
import { type Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { analysisTemplate, prometheusAnalysis, prometheusMetric } from '../delivery/prometheus-analysis';
import { type ModelObject } from '../model-object';
import { type MonitoredAppProps } from '../monitoring/monitored-app';
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
    // One measurement with the budget spent is enough to stop the release.
    const settings = prometheusAnalysis(this, { ...props, failureLimit: 0 });
    // An app without history yet has its whole budget, not an empty result that fails. This judges
    // the app's budget over its SLO window, not the release's traffic: the release and canary
    // analyses beside it need their minimum of requests.
    const query = `min(${sloSeries(ERROR_BUDGET_REMAINING, props.labels, settings.namespace)}) or on() vector(1)`;
    this.resource = analysisTemplate(this, props, settings, { metrics: [prometheusMetric(settings, ERROR_BUDGET_METRIC, query, { success: 'result[0] > 0' })] });
  }
}
