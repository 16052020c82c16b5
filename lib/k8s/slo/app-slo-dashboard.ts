import { Construct } from 'constructs';
import { sha256 } from '../../engine/hash';
import { type AppLabels, appLabels } from '../labels';
import { type DashboardJson, GrafanaDashboard } from '../monitoring/grafana-dashboard';
import { dashboardFrame, type Panel, type PanelTarget, timeseriesPanel } from '../monitoring/dashboard-panels';
import { monitoredNamespace } from '../monitoring/monitored-app';
import { type LabelMatcher, promLabelName, promNumber, ROLLOUT_HASH_LABEL, series } from '../monitoring/promql';
import {
  type AppSloProps,
  type AppSloSpec,
  appSloSpec,
  BURN_RATE_CONDITIONS,
  ERROR_BUDGET_REMAINING,
  SLI_ERROR_RATIO_PERIOD,
  sliErrorRatioRecord,
  sloDuration,
  sloMatchers,
  sloSeries,
} from './slo-queries';

/** Props of {@link AppSloDashboard}. */
export interface AppSloDashboardProps extends Omit<AppSloProps, 'discoveryLabels'> {
  /** @default - `<app> SLOs` */
  readonly title?: string;
  /**
   * The labels the Grafana dashboard sidecar discovers ConfigMaps by.
   * @default { grafana_dashboard: '1' }
   */
  readonly sidecarLabels?: Readonly<Record<string, string>>;
}

/** The longest Grafana uid. */
const MAX_UID = 40;

/**
 * The dashboard uid of an app's SLOs: `slo-<namespace>-<app>`, or, when that is too long or holds
 * characters a uid cannot, at most its first 31 characters and a hash of the whole. It depends on neither
 * the ConfigMap's name nor the title, so links to the dashboard survive their renaming.
 */
export function sloDashboardUid(namespace: string, app: string): string {
  const readable = `slo-${namespace}-${app}`;
  if (readable.length <= MAX_UID && /^[a-zA-Z0-9_-]+$/.test(readable)) return readable;
  const hash = sha256(`${namespace}/${app}`).slice(0, 8);
  const prefix = readable.replace(/[^a-zA-Z0-9_-]/g, '-').slice(0, MAX_UID - hash.length - 1).replace(/-+$/, '');
  return `${prefix}-${hash}`;
}

/**
 * An app's SLO dashboard, loaded into Grafana through a {@link GrafanaDashboard}: each SLI against
 * its objective, the error budget left and the burn rates, from the series {@link AppSloRules}
 * records; then, to judge a canary, request rate, error ratio and p95 latency per instance (stable
 * against `-canary`) and per rollout pod template hash.
 */
export class AppSloDashboard extends Construct {
  public readonly dashboard: GrafanaDashboard;

  constructor(scope: Construct, id: string, props: AppSloDashboardProps) {
    super(scope, id);
    const namespace = monitoredNamespace(this, props);
    const spec = appSloSpec(props);
    this.dashboard = new GrafanaDashboard(this, 'Dashboard', {
      name: props.name,
      namespace,
      labels: appLabels(props.labels),
      sidecarLabels: props.sidecarLabels,
      dashboard: sloDashboard(props.labels, namespace, spec, props.title),
    });
  }
}

const RATE_INTERVAL = '$__rate_interval';

function sloDashboard(labels: AppLabels, namespace: string, spec: AppSloSpec, title: string | undefined): DashboardJson {
  const app = sloMatchers(labels, namespace);
  const window = sloDuration(spec.window);

  const sliPanels = spec.slis.map((sli) =>
    panel(`${capitalize(sli.indicator)} SLI`, 'percentunit', {}, [
      { expr: `1 - ${sloSeries(SLI_ERROR_RATIO_PERIOD, labels, namespace, sli.indicator)}`, legend: `over ${window}` },
      { expr: `1 - ${sloSeries(sliErrorRatioRecord(BURN_RATE_CONDITIONS[0].longWindow), labels, namespace, sli.indicator)}`, legend: `over ${sloDuration(BURN_RATE_CONDITIONS[0].longWindow)}` },
      { expr: `vector(${promNumber(sli.objective)})`, legend: 'objective' },
    ]),
  );
  const budgetPanel = panel('Error budget remaining', 'percentunit', { max: 1 }, [
    { expr: sloSeries(ERROR_BUDGET_REMAINING, labels, namespace), legend: '{{slo}}' },
  ]);
  // A burn rate of 1 spends the budget exactly over the window; the alerts watch the long windows.
  const burnPanel = panel(
    'Burn rate',
    'none',
    { min: 0 },
    spec.slis.flatMap((sli) =>
      BURN_RATE_CONDITIONS.map((c) => ({
        expr: `${sloSeries(sliErrorRatioRecord(c.longWindow), labels, namespace, sli.indicator)} / ${promNumber(1 - sli.objective)}`,
        legend: `${sli.indicator} ${sloDuration(c.longWindow)}`,
      })),
    ),
  );

  const { availability } = spec;
  const { requestsTotal, durationBucket } = spec.metrics;
  const rate = (metric: string, matchers: readonly LabelMatcher[]): string => `rate(${series(metric, matchers)}[${RATE_INTERVAL}])`;
  const canary = (label: string, what: string): Panel[] => {
    const legend = `{{${label}}}`;
    return [
      panel(`Request rate by ${what}`, 'reqps', { min: 0 }, [{ expr: `sum by (${label}) (${rate(requestsTotal, app)})`, legend }]),
      panel(`Errors (5xx share) by ${what}`, 'percentunit', { min: 0 }, [{ expr: availability.errorRatio(RATE_INTERVAL, app, [label]), legend }]),
      panel(`p95 latency by ${what}`, 's', { min: 0 }, [{ expr: `histogram_quantile(0.95, sum by (${label}, le) (${rate(durationBucket, app)}))`, legend }]),
    ];
  };
  const byInstance = canary(promLabelName('app.kubernetes.io/instance'), 'instance');
  const byHash = canary(promLabelName(ROLLOUT_HASH_LABEL), 'pod template hash');

  // Rows of one or two panels; a canary row sets the stable/canary split beside the per-release one.
  const rows: readonly (readonly Panel[])[] = [sliPanels, [budgetPanel, burnPanel], ...byInstance.map((p, index) => [p, byHash[index]])];
  return {
    uid: sloDashboardUid(namespace, labels.app),
    title: title ?? `${labels.app} SLOs`,
    tags: [labels.partOf, labels.app, 'slo'],
    ...dashboardFrame('now-24h'),
    panels: rows.flatMap((row, y) =>
      row.map((p, x) => ({ ...p, gridPos: { h: 8, w: 24 / row.length, x: x * (24 / row.length), y: y * 8 } })),
    ).map((p, index) => ({ ...p, id: index + 1 })),
  };
}

function capitalize(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/** A time series panel; the range comes first here, as most SLO panels set one. */
function panel(title: string, unit: string, range: { readonly min?: number; readonly max?: number }, targets: readonly PanelTarget[]): Panel {
  return timeseriesPanel(title, unit, targets, range);
}
