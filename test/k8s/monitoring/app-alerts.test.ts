import { Chart, Duration, Testing } from 'cdk8s';
import { AppAlerts, type AppAlertsProps, LatencyPercentile } from '../../../lib/k8s/monitoring/app-alerts';
import { Severity } from '../../../lib/k8s/monitoring/promql';
import { validateObjects } from '../../../lib/validate/schemas';

type Manifest = ReturnType<typeof Testing.synth>[number];

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

const labels = { app: 'inventory-api', instance: 'inventory-api', partOf: 'shop', version: 'v1.4.2' };

function synth(props: Partial<AppAlertsProps> = {}): Manifest[] {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  new AppAlerts(chart, 'Alerts', { name: 'inventory-api', labels, ...props });
  return Testing.synth(chart);
}

function rules(props: Partial<AppAlertsProps> = {}): Rule[] {
  const [rule] = synth(props);
  expect(rule.spec.groups).toHaveLength(1);
  return rule.spec.groups[0].rules as Rule[];
}

function rule(name: string, props: Partial<AppAlertsProps> = {}): Rule {
  const found = rules(props).find((r) => r.alert === name);
  if (!found) throw new Error(`no alert ${name}`);
  return found;
}

/** The regular expression a PromQL matcher `label=~"..."` uses, anchored as Prometheus anchors it. */
function matcherRegex(expr: string, label: string): RegExp {
  const match = new RegExp(`${label}=~"([^"]+)"`).exec(expr);
  if (!match) throw new Error(`no ${label}=~ matcher in ${expr}`);
  return new RegExp(`^(?:${JSON.parse(`"${match[1]}"`)})$`);
}

describe('AppAlerts', () => {
  test('a PrometheusRule named after the app, in its namespace, with the error-rate and latency alerts', () => {
    const [object] = synth();
    expect(object).toMatchObject({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'inventory-api', namespace: 'shop' } });
    expect(rules().map((r) => r.alert)).toEqual(['AppErrorRateHigh', 'AppLatencyHigh']);
  });

  test('every query selects the app namespace and the app itself', () => {
    const all = rules({ migration: { containerName: 'migrate' } });
    expect(all).toHaveLength(3);
    for (const r of all) {
      // Every `metric{...}`, quoted values (which may hold braces) included.
      const selectors = r.expr.match(/[a-zA-Z_:][a-zA-Z0-9_:]*\{(?:[^}"]|"[^"]*")*\}/g) ?? [];
      expect(selectors.length).toBeGreaterThan(0);
      for (const s of selectors) {
        expect([r.alert, s.includes('namespace="shop"')]).toEqual([r.alert, true]);
        expect([r.alert, s.includes('app_kubernetes_io_instance="inventory-api"') || s.includes('pod=~"inventory-api-')]).toEqual([r.alert, true]);
      }
    }
  });

  test('the error-rate alert compares the 5xx share with 5% by default and is critical', () => {
    const r = rule('AppErrorRateHigh');
    expect(r.expr).toBe(
      [
        'sum by (namespace, app_kubernetes_io_instance) (rate(http_requests_total{namespace="shop",app_kubernetes_io_instance="inventory-api",code=~"5.."}[5m]))',
        '/',
        'sum by (namespace, app_kubernetes_io_instance) (rate(http_requests_total{namespace="shop",app_kubernetes_io_instance="inventory-api"}[5m]))',
        '> 0.05',
      ].join('\n'),
    );
    expect(r.for).toBe('5m');
    expect(r.labels).toEqual({ severity: 'critical' });
    expect(r.annotations.summary).toBe('inventory-api answers more than 5% of requests with a 5xx status');
  });

  test('the latency alert watches p99 above 1s by default and is a warning', () => {
    const r = rule('AppLatencyHigh');
    expect(r.expr).toBe(
      'histogram_quantile(0.99, sum by (namespace, app_kubernetes_io_instance, le) (rate(http_request_duration_seconds_bucket{namespace="shop",app_kubernetes_io_instance="inventory-api"}[5m])))\n> 1',
    );
    expect(r.labels).toEqual({ severity: 'warning' });
  });

  test('thresholds, windows, severities and metric names are props', () => {
    const props: Partial<AppAlertsProps> = {
      errorRatio: 0.01,
      errorSeverity: Severity.WARNING,
      latencyPercentile: LatencyPercentile.P95,
      latencyThreshold: Duration.millis(300),
      latencySeverity: Severity.CRITICAL,
      rateWindow: Duration.minutes(10),
      alertAfter: Duration.minutes(15),
      metrics: { requestsTotal: 'requests_total', statusCodeLabel: 'status', durationBucket: 'request_seconds_bucket' },
    };
    const errors = rule('AppErrorRateHigh', props);
    expect(errors.expr).toContain('rate(requests_total{namespace="shop",app_kubernetes_io_instance="inventory-api",status=~"5.."}[10m])');
    expect(errors.expr.endsWith('> 0.01')).toBe(true);
    expect(errors.for).toBe('15m');
    expect(errors.labels.severity).toBe('warning');
    const latency = rule('AppLatencyHigh', props);
    expect(latency.expr).toMatch(/^histogram_quantile\(0\.95, .*request_seconds_bucket\{.*\}\[10m\]\)\)\)\n> 0\.3$/);
    expect(latency.labels.severity).toBe('critical');
  });

  test('with a migration, alerts on restarts or a failed last run of the init container', () => {
    const r = rule('AppMigrationFailing', { migration: { containerName: 'migrate' } });
    expect(r.expr).toContain(
      'increase(kube_pod_init_container_status_restarts_total{namespace="shop",pod=~"inventory-api-[a-z0-9]{1,10}-[a-z0-9]{5}",container="migrate"}[15m]) > 0',
    );
    expect(r.expr).toContain('kube_pod_init_container_status_last_terminated_reason{namespace="shop",pod=~"inventory-api-[a-z0-9]{1,10}-[a-z0-9]{5}",container="migrate",reason!="Completed"} == 1');
    expect(r.expr).toContain('unless on (namespace, pod, container)');
    expect(r.expr).toContain('kube_pod_init_container_status_ready{namespace="shop",pod=~"inventory-api-[a-z0-9]{1,10}-[a-z0-9]{5}",container="migrate"} == 1');
    expect(r.labels).toEqual({ severity: 'critical' });
  });

  test('no migration alert without a migration', () => {
    expect(rules().map((r) => r.alert)).not.toContain('AppMigrationFailing');
  });

  test('the pod selector matches the app pods and not those of a canary or another app sharing its prefix', () => {
    const pods = matcherRegex(rule('AppMigrationFailing', { migration: { containerName: 'migrate' } }).expr, 'pod');
    expect(pods.test('inventory-api-7d9f8c6b5d-x2k4q')).toBe(true);
    expect(pods.test('inventory-api-canary-7d9f8c6b5d-x2k4q')).toBe(false);
    expect(pods.test('inventory-api-v2-7d9f8c6b5d-x2k4q')).toBe(false);
    expect(pods.test('inventory-7d9f8c6b5d-x2k4q')).toBe(false);
  });

  test('a canary instance selects only its own series and pods', () => {
    const canary = { ...labels, instance: 'inventory-api-canary' };
    for (const r of rules({ labels: canary, migration: { containerName: 'migrate' } })) {
      expect(r.expr).not.toMatch(/"inventory-api"/);
      expect(r.expr).not.toContain('pod=~"inventory-api-[');
    }
  });

  test('a worker without HTTP metrics gets only the migration alert', () => {
    expect(rules({ httpAlerts: false, migration: { containerName: 'migrate' } }).map((r) => r.alert)).toEqual(['AppMigrationFailing']);
  });

  test('passes the upstream schema', () => {
    expect(validateObjects(synth({ migration: { containerName: 'migrate' }, discoveryLabels: { release: 'kube-prometheus-stack' } }))).toEqual([]);
  });

  test('fails if the error ratio is not a share', () => {
    expect(() => synth({ errorRatio: 5 })).toThrow('inventory-api: errorRatio (5) must be between 0 and 1; fix: give a share of requests, like 0.05 for 5%');
    expect(() => synth({ errorRatio: 0 })).toThrow('errorRatio (0) must be between 0 and 1');
  });

  test('fails if the latency threshold or a window is zero', () => {
    expect(() => synth({ latencyThreshold: Duration.millis(0) })).toThrow('inventory-api: latencyThreshold (0ms) must be longer than zero');
    expect(() => synth({ rateWindow: Duration.seconds(0) })).toThrow('rateWindow (0ms) must be longer than zero');
  });

  test('fails if a metric or label name is not a Prometheus name', () => {
    expect(() => synth({ metrics: { requestsTotal: 'http-requests' } })).toThrow('metrics.requestsTotal "http-requests" is not a Prometheus metric name');
    expect(() => synth({ metrics: { statusCodeLabel: 'status.code' } })).toThrow('metrics.statusCodeLabel "status.code" is not a Prometheus label name');
  });

  test('fails if the migration container is not a container name', () => {
    expect(() => synth({ migration: { containerName: 'Migrate DB' } })).toThrow('migration.containerName "Migrate DB" is not a container name');
  });

  test('fails if there is nothing to alert on', () => {
    expect(() => synth({ httpAlerts: false })).toThrow('httpAlerts is false and there is no migration');
  });
});
