import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import type { IRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Rule';
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { type AppLabels } from '../labels';
import { ModelObject } from '../model-object';
import { type MonitoredAppProps, monitoredNamespace, monitoringLabels, requirePositive } from './monitored-app';
import {
  APP_SERIES_GROUPING,
  appPodMatchers,
  appSeriesMatchers,
  type HttpMetricNames,
  httpMetrics,
  type LabelMatcher,
  promDuration,
  promNumber,
  series,
  Severity,
  SEVERITY_LABEL,
} from './promql';

/** The latency percentile an alert watches. */
export enum LatencyPercentile {
  P95 = 'p95',
  P99 = 'p99',
}

const QUANTILES: Readonly<Record<LatencyPercentile, number>> = {
  [LatencyPercentile.P95]: 0.95,
  [LatencyPercentile.P99]: 0.99,
};

/** The alert on a failing database migration, run as an init container of the app's pods. */
export interface MigrationAlertOptions {
  /** The name of the migration init container. */
  readonly containerName: string;
  /**
   * How far back a restart of the init container counts.
   * @default Duration.minutes(15)
   */
  readonly window?: Duration;
  /** @default Severity.CRITICAL */
  readonly severity?: Severity;
}

/** Props of {@link AppAlerts}. */
export interface AppAlertsProps extends MonitoredAppProps {
  /**
   * Whether the app serves HTTP and gets the error-rate and latency alerts. A worker with no
   * HTTP metrics sets this to false.
   * @default true
   */
  readonly httpAlerts?: boolean;
  /**
   * The share of requests answered with a 5xx status above which the error-rate alert fires.
   * @default 0.05
   */
  readonly errorRatio?: number;
  /** @default Severity.CRITICAL */
  readonly errorSeverity?: Severity;
  /**
   * The latency percentile the latency alert watches.
   * @default LatencyPercentile.P99
   */
  readonly latencyPercentile?: LatencyPercentile;
  /**
   * The request duration above which the latency alert fires.
   * @default Duration.seconds(1)
   */
  readonly latencyThreshold?: Duration;
  /** @default Severity.WARNING */
  readonly latencySeverity?: Severity;
  /**
   * The window rates are computed over.
   * @default Duration.minutes(5)
   */
  readonly rateWindow?: Duration;
  /**
   * How long the error-rate or latency condition must hold before its alert fires (the rule's `for`).
   * @default Duration.minutes(5)
   */
  readonly alertAfter?: Duration;
  /**
   * The names of the app's HTTP metrics.
   * @default - http_requests_total with a `code` label and http_request_duration_seconds_bucket
   */
  readonly metrics?: HttpMetricNames;
  /**
   * The migration alert, for an app whose pods run a migration init container.
   * @default - no migration alert
   */
  readonly migration?: MigrationAlertOptions;
}

/**
 * A PrometheusRule with an app's alerts: its 5xx error rate, its request latency and, when it
 * migrates its database in an init container, a failing migration. Every query selects the app's
 * namespace and the app itself: its instance label on the series its monitors scrape, the names
 * of its pods on kube-state-metrics series.
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.PrometheusRule
 */
export class AppAlerts extends Construct {
  public readonly resource: ModelObject<IPrometheusRule>;

  constructor(scope: Construct, id: string, props: AppAlertsProps) {
    super(scope, id);
    const namespace = monitoredNamespace(this, props);
    const rules: IRule[] = [];
    if (props.httpAlerts ?? true) rules.push(...httpRules(props, namespace));
    if (props.migration) rules.push(migrationRule(props.name, props.labels, namespace, props.migration));
    if (rules.length === 0) {
      throw new Error(`${props.name}: httpAlerts is false and there is no migration, so there is nothing to alert on; fix: create no AppAlerts for this app`);
    }
    this.resource = new ModelObject<IPrometheusRule>(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: props.name, namespace, labels: monitoringLabels(props) },
      spec: { groups: [{ name: props.name, rules }] },
    });
  }
}

function httpRules(props: AppAlertsProps, namespace: string): IRule[] {
  const metrics = httpMetrics(props.name, props.metrics);
  const errorRatio = props.errorRatio ?? 0.05;
  const percentile = props.latencyPercentile ?? LatencyPercentile.P99;
  const latency = props.latencyThreshold ?? Duration.seconds(1);
  const window = props.rateWindow ?? Duration.minutes(5);
  const alertAfter = props.alertAfter ?? Duration.minutes(5);
  if (!(errorRatio > 0 && errorRatio < 1)) {
    throw new Error(`${props.name}: errorRatio (${errorRatio}) must be between 0 and 1; fix: give a share of requests, like 0.05 for 5%`);
  }
  requirePositive(props.name, 'latencyThreshold', latency);
  requirePositive(props.name, 'rateWindow', window);
  requirePositive(props.name, 'alertAfter', alertAfter);

  const app = appSeriesMatchers(props.labels, namespace);
  const by = APP_SERIES_GROUPING.join(', ');
  const rate = (metric: string, matchers: readonly LabelMatcher[]): string => `rate(${series(metric, matchers)}[${promDuration(window)}])`;
  const errors = [...app, { label: metrics.statusCodeLabel, op: '=~', value: '5..' } as const];
  const seconds = promNumber(latency.toMilliseconds() / 1000);
  const quantile = QUANTILES[percentile];
  return [
    {
      alert: 'AppErrorRateHigh',
      expr: [
        `sum by (${by}) (${rate(metrics.requestsTotal, errors)})`,
        '/',
        `sum by (${by}) (${rate(metrics.requestsTotal, app)})`,
        `> ${promNumber(errorRatio)}`,
      ].join('\n'),
      for: promDuration(alertAfter),
      labels: { [SEVERITY_LABEL]: props.errorSeverity ?? Severity.CRITICAL },
      annotations: {
        summary: `${props.labels.instance} answers more than ${promNumber(errorRatio * 100)}% of requests with a 5xx status`,
        description: `{{ $value | humanizePercentage }} of the requests to ${props.labels.instance} in {{ $labels.namespace }} failed with a 5xx status over ${promDuration(window)}.`,
      },
    },
    {
      alert: 'AppLatencyHigh',
      expr: [
        `histogram_quantile(${promNumber(quantile)}, sum by (${by}, le) (${rate(metrics.durationBucket, app)}))`,
        `> ${seconds}`,
      ].join('\n'),
      for: promDuration(alertAfter),
      labels: { [SEVERITY_LABEL]: props.latencySeverity ?? Severity.WARNING },
      annotations: {
        summary: `${props.labels.instance} ${percentile} latency is above ${seconds}s`,
        description: `The ${percentile} request duration of ${props.labels.instance} in {{ $labels.namespace }} is {{ $value | humanizeDuration }} over ${promDuration(window)}.`,
      },
    },
  ];
}

/**
 * Fires while the migration init container restarts, or while its last run failed and it has not
 * completed since: a pod that failed once and then migrated stops the alert.
 */
function migrationRule(name: string, labels: AppLabels, namespace: string, options: MigrationAlertOptions): IRule {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(options.containerName) || options.containerName.length > 63) {
    throw new Error(`${name}: migration.containerName "${options.containerName}" is not a container name; fix: use the name of the migration init container, like "migrate"`);
  }
  const window = options.window ?? Duration.minutes(15);
  requirePositive(name, 'migration.window', window);
  const init = [...appPodMatchers(labels, namespace), { label: 'container', op: '=', value: options.containerName } as const];
  const failed = [...init, { label: 'reason', op: '!=', value: 'Completed' } as const];
  return {
    alert: 'AppMigrationFailing',
    expr: [
      `increase(${series('kube_pod_init_container_status_restarts_total', init)}[${promDuration(window)}]) > 0`,
      'or',
      `(${series('kube_pod_init_container_status_last_terminated_reason', failed)} == 1`,
      '  unless on (namespace, pod, container)',
      `  ${series('kube_pod_init_container_status_ready', init)} == 1)`,
    ].join('\n'),
    labels: { [SEVERITY_LABEL]: options.severity ?? Severity.CRITICAL },
    annotations: {
      summary: `The database migration of ${labels.instance} is failing`,
      description: `The init container ${options.containerName} of pod {{ $labels.pod }} in {{ $labels.namespace }} failed or restarted; the pod cannot start until the migration succeeds.`,
    },
  };
}
