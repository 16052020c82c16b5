import { Construct } from 'constructs';
import { type AppLabels, appLabels } from '../labels';
import { dashboardFrame, type PanelTarget, timeseriesPanel } from './dashboard-panels';
import { type DashboardJson, GrafanaDashboard } from './grafana-dashboard';
import { monitoredNamespace } from './monitored-app';
import { appPodMatchers, appSeriesMatchers, type HttpMetricNames, httpMetrics, type LabelMatcher, series } from './promql';

/** What an app overview dashboard shows. */
export interface AppOverviewOptions {
  /** The app's labels, as its workload carries them. */
  readonly labels: AppLabels;
  /** The namespace of the app. */
  readonly namespace: string;
  /** The dashboard's uid in Grafana, at most 40 characters. */
  readonly uid: string;
  /** @default - `<instance> overview` */
  readonly title?: string;
  /**
   * The names of the app's HTTP metrics.
   * @default - http_requests_total with a `code` label and http_request_duration_seconds_bucket
   */
  readonly metrics?: HttpMetricNames;
}

/** Props of {@link AppOverviewDashboard}. */
export interface AppOverviewDashboardProps {
  /** The name of the ConfigMap, and the dashboard's uid. */
  readonly name: string;
  readonly labels: AppLabels;
  /**
   * The app's namespace: the ConfigMap's own and the one its queries select. Grafana's sidecar must
   * watch it (`searchNamespace`).
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /** @default - `<instance> overview` */
  readonly title?: string;
  /**
   * The names of the app's HTTP metrics.
   * @default - http_requests_total with a `code` label and http_request_duration_seconds_bucket
   */
  readonly metrics?: HttpMetricNames;
  /**
   * The labels the Grafana dashboard sidecar discovers ConfigMaps by.
   * @default { grafana_dashboard: '1' }
   */
  readonly sidecarLabels?: Readonly<Record<string, string>>;
}

/** An app's overview dashboard, loaded into Grafana through a {@link GrafanaDashboard}. */
export class AppOverviewDashboard extends Construct {
  public readonly dashboard: GrafanaDashboard;

  constructor(scope: Construct, id: string, props: AppOverviewDashboardProps) {
    super(scope, id);
    const namespace = monitoredNamespace(this, props);
    this.dashboard = new GrafanaDashboard(this, 'Dashboard', {
      name: props.name,
      namespace,
      labels: appLabels(props.labels),
      sidecarLabels: props.sidecarLabels,
      dashboard: appOverviewDashboard({ labels: props.labels, namespace, uid: props.name, title: props.title, metrics: props.metrics }),
    });
  }
}

/**
 * The JSON of an app overview: request rate, error ratio and latency from the app's own metrics,
 * then CPU and memory use against the containers' limits (cAdvisor and kube-state-metrics).
 * The data source is a dashboard variable, so the same JSON works in every Grafana.
 */
export function appOverviewDashboard(options: AppOverviewOptions): DashboardJson {
  const metrics = httpMetrics(options.uid, options.metrics);
  const app = appSeriesMatchers(options.labels, options.namespace);
  const pods = appPodMatchers(options.labels, options.namespace);
  const containers: LabelMatcher[] = [...pods, { label: 'container', op: '!=', value: '' }];
  const rate = (metric: string, matchers: readonly LabelMatcher[]): string => `rate(${series(metric, matchers)}[$__rate_interval])`;
  const errors: LabelMatcher[] = [...app, { label: metrics.statusCodeLabel, op: '=~', value: '5..' }];
  const quantile = (q: string, legend: string): PanelTarget => ({
    expr: `histogram_quantile(${q}, sum by (le) (${rate(metrics.durationBucket, app)}))`,
    legend,
  });
  const limit = (resource: string): string =>
    `sum by (pod) (${series('kube_pod_container_resource_limits', [...pods, { label: 'resource', op: '=', value: resource }])})`;

  const panels = [
    timeseriesPanel('Request rate', 'reqps', [{ expr: `sum by (${metrics.statusCodeLabel}) (${rate(metrics.requestsTotal, app)})`, legend: `{{${metrics.statusCodeLabel}}}` }]),
    timeseriesPanel('Errors (5xx share)', 'percentunit', [
      { expr: `sum(${rate(metrics.requestsTotal, errors)})\n/\nsum(${rate(metrics.requestsTotal, app)})`, legend: '5xx' },
    ]),
    timeseriesPanel('Latency', 's', [quantile('0.5', 'p50'), quantile('0.95', 'p95'), quantile('0.99', 'p99')]),
    timeseriesPanel('CPU use of limit', 'percentunit', [
      { expr: `sum by (pod) (${rate('container_cpu_usage_seconds_total', containers)})\n/\n${limit('cpu')}`, legend: '{{pod}}' },
    ]),
    timeseriesPanel('Memory use of limit', 'percentunit', [
      { expr: `sum by (pod) (${series('container_memory_working_set_bytes', containers)})\n/\n${limit('memory')}`, legend: '{{pod}}' },
    ]),
  ];

  return {
    uid: options.uid,
    title: options.title ?? `${options.labels.instance} overview`,
    tags: [options.labels.partOf, options.labels.app],
    ...dashboardFrame('now-6h'),
    panels: panels.map((p, index) => ({
      ...p,
      id: index + 1,
      // Two panels a row, each half the 24-column grid.
      gridPos: { h: 8, w: 12, x: (index % 2) * 12, y: Math.floor(index / 2) * 8 },
    })),
  };
}

