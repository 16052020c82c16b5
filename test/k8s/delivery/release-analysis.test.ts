import { Chart, Duration, Testing } from 'cdk8s';
import {
  P95_LATENCY_METRIC,
  POD_TEMPLATE_HASH_ARG,
  ReleaseAnalysis,
  type ReleaseAnalysisProps,
  SUCCESS_RATE_METRIC,
} from '../../../lib/k8s/delivery/release-analysis';
import { validateObjects } from '../../../lib/validate/schemas';
import { measurementPhase, noDataValue } from '../../../lib/manifest/analysis-metric';
import { type Metric, prometheusAddress } from './analysis-fixtures';

type Manifest = ReturnType<typeof Testing.synth>[number];

const labels = { app: 'inventory-api', instance: 'inventory-api', partOf: 'shop', version: 'v1.4.2' };

function create(chart: Chart, props: Partial<ReleaseAnalysisProps> = {}): ReleaseAnalysis {
  return new ReleaseAnalysis(chart, 'Analysis', {
    name: 'inventory-api-release',
    labels,
    prometheusAddress,
    successRate: 0.99,
    p95Latency: Duration.millis(300),
    ...props,
  });
}

function synth(props: Partial<ReleaseAnalysisProps> = {}): { analysis: ReleaseAnalysis; manifests: Manifest[] } {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  const analysis = create(chart, props);
  return { analysis, manifests: Testing.synth(chart) };
}

function metrics(props: Partial<ReleaseAnalysisProps> = {}): Metric[] {
  return synth(props).manifests[0].spec.metrics as Metric[];
}

function metric(name: string, props: Partial<ReleaseAnalysisProps> = {}): Metric {
  const found = metrics(props).find((m) => m.name === name);
  if (!found) throw new Error(`no metric ${name}`);
  return found;
}

/** Every `metric{...}` of a query, quoted values (which may hold braces) included. */
function selectors(query: string): string[] {
  return query.match(/[a-zA-Z_:][a-zA-Z0-9_:]*\{(?:[^}"]|"[^"]*")*\}/g) ?? [];
}

describe('ReleaseAnalysis', () => {
  test('an AnalysisTemplate in the app namespace, with the app labels and the two metrics', () => {
    const { analysis, manifests } = synth();
    expect(manifests).toHaveLength(1);
    expect(manifests[0]).toMatchObject({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'inventory-api-release', namespace: 'shop', labels: { 'app.kubernetes.io/instance': 'inventory-api', 'app.kubernetes.io/part-of': 'shop' } },
    });
    expect(metrics().map((m) => m.name)).toEqual([SUCCESS_RATE_METRIC, P95_LATENCY_METRIC]);
    expect([SUCCESS_RATE_METRIC, P95_LATENCY_METRIC]).toEqual(['success-rate', 'p95-latency']);
    expect(analysis.templateName).toBe('inventory-api-release');
  });

  test('takes the pod template hash as its one arg, which the Rollout fills from the latest ReplicaSet', () => {
    const { manifests } = synth();
    expect(POD_TEMPLATE_HASH_ARG).toBe('pod-template-hash');
    expect(manifests[0].spec.args).toEqual([{ name: 'pod-template-hash' }]);
  });

  test('every query selects the app namespace, the app itself and the release pod template hash', () => {
    for (const m of metrics()) {
      const found = selectors(m.provider.prometheus.query);
      expect(found.length).toBeGreaterThan(0);
      for (const s of found) {
        expect([m.name, s.includes('namespace="shop"')]).toEqual([m.name, true]);
        expect([m.name, s.includes('app_kubernetes_io_instance="inventory-api"')]).toEqual([m.name, true]);
        expect([m.name, s.includes('rollouts_pod_template_hash="{{args.pod-template-hash}}"')]).toEqual([m.name, true]);
      }
    }
  });

  test('measures every 30s against Prometheus and tolerates one failure by default', () => {
    for (const m of metrics()) {
      expect(m.interval).toBe('30s');
      expect(m.failureLimit).toBe(1);
      expect(m.provider.prometheus.address).toBe(prometheusAddress);
    }
  });

  const gate = (selector: string, min = 50): string[] => ['and on()', `(sum(increase(http_requests_total{${selector}}[2m])) >= ${min})`, ') or on() vector(NaN)'];

  test('the success rate is the non-5xx share, judged only once the release served enough requests', () => {
    const m = metric(SUCCESS_RATE_METRIC);
    const selector = 'namespace="shop",app_kubernetes_io_instance="inventory-api",rollouts_pod_template_hash="{{args.pod-template-hash}}"';
    expect(m.provider.prometheus.query).toBe(
      [
        '(',
        '(',
        `(sum(rate(http_requests_total{${selector},code!~"5.."}[2m])) or on() vector(0))`,
        '/',
        `(sum(rate(http_requests_total{${selector}}[2m])) > 0)`,
        ')',
        ...gate(selector),
      ].join('\n'),
    );
    expect([m.successCondition, m.failureCondition]).toEqual(['result[0] >= 0.99', 'result[0] < 0.99']);
    expect(metric(SUCCESS_RATE_METRIC, { minRequests: 200 }).provider.prometheus.query).toContain('>= 200)');
  });

  test('a measurement without enough requests (NaN) is inconclusive, never a pass; a good one passes, a bad one fails', () => {
    for (const m of metrics()) {
      expect(noDataValue(m.provider.prometheus.query)).toBeNaN();
      expect([m.name, measurementPhase(Number.NaN, m.successCondition, m.failureCondition)]).toEqual([m.name, 'Inconclusive']);
      expect(m.initialDelay).toBe('2m');
    }
    const rate = metric(SUCCESS_RATE_METRIC);
    expect(measurementPhase(0.995, rate.successCondition, rate.failureCondition)).toBe('Successful');
    expect(measurementPhase(0.98, rate.successCondition, rate.failureCondition)).toBe('Failed');
    const latency = metric(P95_LATENCY_METRIC);
    expect(measurementPhase(0.25, latency.successCondition, latency.failureCondition)).toBe('Successful');
    expect(measurementPhase(0.31, latency.successCondition, latency.failureCondition)).toBe('Failed');
  });

  test('the p95 latency is in seconds, drops NaN and is judged only with enough requests', () => {
    const m = metric(P95_LATENCY_METRIC);
    const selector = 'namespace="shop",app_kubernetes_io_instance="inventory-api",rollouts_pod_template_hash="{{args.pod-template-hash}}"';
    expect(m.provider.prometheus.query).toBe(
      [
        '(',
        '(',
        `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{${selector}}[2m]))) > 0`,
        ')',
        ...gate(selector),
      ].join('\n'),
    );
    expect([m.successCondition, m.failureCondition]).toEqual(['result[0] <= 0.3', 'result[0] > 0.3']);
  });

  test('a minimum of requests below one is refused: with none, no traffic would pass again', () => {
    expect(() => metrics({ minRequests: 0 })).toThrow('minRequests (0) must be a whole number of at least 1');
  });

  test('thresholds, interval, failure limit, window, namespace and metric names are props', () => {
    const props: Partial<ReleaseAnalysisProps> = {
      successRate: 1,
      p95Latency: Duration.seconds(2),
      interval: Duration.minutes(1),
      failureLimit: 0,
      rateWindow: Duration.minutes(5),
      namespace: 'shop-canary',
      metrics: { requestsTotal: 'requests_total', statusCodeLabel: 'status', durationBucket: 'request_seconds_bucket' },
    };
    const success = metric(SUCCESS_RATE_METRIC, props);
    expect(success.successCondition).toBe('result[0] >= 1');
    expect(success.interval).toBe('1m');
    expect(success.failureLimit).toBe(0);
    expect(success.provider.prometheus.query).toContain('rate(requests_total{namespace="shop-canary",app_kubernetes_io_instance="inventory-api",');
    expect(success.provider.prometheus.query).toContain(',status!~"5.."}[5m]');
    const latency = metric(P95_LATENCY_METRIC, props);
    expect(latency.successCondition).toBe('result[0] <= 2');
    expect(latency.provider.prometheus.query).toContain('rate(request_seconds_bucket{namespace="shop-canary",');
    expect(synth(props).manifests[0].metadata.namespace).toBe('shop-canary');
  });

  test('passes the upstream schema', () => {
    expect(validateObjects(synth().manifests)).toEqual([]);
  });

  test('fails if the success rate is not a share above 0', () => {
    expect(() => synth({ successRate: 99 })).toThrow('inventory-api-release: successRate (99) must be above 0 and at most 1; fix: give the minimum share of requests without a 5xx status, like 0.99');
    expect(() => synth({ successRate: 0 })).toThrow('successRate (0) must be above 0 and at most 1');
  });

  test('fails if the latency threshold, interval or window is zero', () => {
    expect(() => synth({ p95Latency: Duration.millis(0) })).toThrow('inventory-api-release: p95Latency (0ms) must be longer than zero');
    expect(() => synth({ interval: Duration.seconds(0) })).toThrow('interval (0ms) must be longer than zero');
    expect(() => synth({ rateWindow: Duration.seconds(0) })).toThrow('rateWindow (0ms) must be longer than zero');
  });

  test('fails if the failure limit is not a whole number of at least 0', () => {
    expect(() => synth({ failureLimit: -1 })).toThrow('inventory-api-release: failureLimit (-1) must be a whole number of at least 0');
    expect(() => synth({ failureLimit: 1.5 })).toThrow('failureLimit (1.5) must be a whole number');
  });

  test('fails if the Prometheus address is not an http(s) URL', () => {
    expect(() => synth({ prometheusAddress: 'prometheus:9090' })).toThrow('inventory-api-release: prometheusAddress "prometheus:9090" is not an http(s) URL');
  });

  test('fails if a metric name is not a Prometheus name', () => {
    expect(() => synth({ metrics: { durationBucket: 'request-seconds' } })).toThrow('metrics.durationBucket "request-seconds" is not a Prometheus metric name');
  });

  test('fails if no namespace is known', () => {
    expect(() => create(new Chart(Testing.app(), 'test'))).toThrow('inventory-api-release: no namespace; fix: set namespace, or give the chart a namespace');
  });
});
