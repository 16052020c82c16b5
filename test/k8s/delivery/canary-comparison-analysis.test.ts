import { Chart, Duration, Testing } from 'cdk8s';
import {
  CanaryComparisonAnalysis,
  type CanaryComparisonAnalysisProps,
  ERROR_RATE_VS_STABLE_METRIC,
  P95_LATENCY_VS_STABLE_METRIC,
} from '../../../lib/k8s/delivery/canary-comparison-analysis';
import { validateObjects } from '../../../lib/validate/schemas';
import { measurementPhase, noDataValue } from '../../../lib/manifest/analysis-metric';
import { type Metric, prometheusAddress } from './analysis-fixtures';

type Manifest = ReturnType<typeof Testing.synth>[number];

const labels = { app: 'inventory-api', instance: 'inventory-api-canary', partOf: 'shop', version: 'v1.5.0' };

function synth(props: Partial<CanaryComparisonAnalysisProps> = {}): Manifest[] {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  new CanaryComparisonAnalysis(chart, 'Analysis', {
    name: 'inventory-api-canary',
    labels,
    prometheusAddress,
    canaryInstance: 'inventory-api-canary',
    stableInstance: 'inventory-api',
    ...props,
  });
  return Testing.synth(chart);
}

function metric(name: string, props: Partial<CanaryComparisonAnalysisProps> = {}): Metric {
  const found = (synth(props)[0].spec.metrics as Metric[]).find((m) => m.name === name);
  if (!found) throw new Error(`no metric ${name}`);
  return found;
}

/** Every `metric{...}` of a query, quoted values (which may hold braces) included. */
function selectors(query: string): string[] {
  return query.match(/[a-zA-Z_:][a-zA-Z0-9_:]*\{(?:[^}"]|"[^"]*")*\}/g) ?? [];
}

const canary = 'namespace="shop",app_kubernetes_io_instance="inventory-api-canary"';
const stable = 'namespace="shop",app_kubernetes_io_instance="inventory-api"';
const gate = ['and on()', `(sum(increase(http_requests_total{${canary}}[2m])) >= 50)`, ') or on() vector(NaN)'];
const metrics = (): Metric[] => synth()[0].spec.metrics as Metric[];

describe('CanaryComparisonAnalysis', () => {
  test('an AnalysisTemplate in the app namespace with the two comparisons and no args', () => {
    const [object] = synth();
    expect(object).toMatchObject({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'inventory-api-canary', namespace: 'shop', labels: { 'app.kubernetes.io/instance': 'inventory-api-canary' } },
    });
    expect(object.spec.args).toBeUndefined();
    expect((object.spec.metrics as Metric[]).map((m) => m.name)).toEqual([ERROR_RATE_VS_STABLE_METRIC, P95_LATENCY_VS_STABLE_METRIC]);
    expect([ERROR_RATE_VS_STABLE_METRIC, P95_LATENCY_VS_STABLE_METRIC]).toEqual(['error-rate-vs-stable', 'p95-latency-vs-stable']);
  });

  test('every query selects the app namespace, and both the canary and the stable instance', () => {
    for (const m of synth()[0].spec.metrics as Metric[]) {
      const found = selectors(m.provider.prometheus.query);
      for (const s of found) expect([m.name, s.includes('namespace="shop"')]).toEqual([m.name, true]);
      expect([m.name, found.some((s) => s.includes(canary))]).toEqual([m.name, true]);
      expect([m.name, found.some((s) => s.includes(stable))]).toEqual([m.name, true]);
      expect([m.name, found.every((s) => s.includes(canary) || s.includes(stable))]).toEqual([m.name, true]);
    }
  });

  test('the error comparison subtracts the stable 5xx ratio from the canary one, at most one point by default', () => {
    const m = metric(ERROR_RATE_VS_STABLE_METRIC);
    const ratio = (selector: string): string =>
      [`(sum(rate(http_requests_total{${selector},code=~"5.."}[2m])) or on() vector(0))`, '/', `(sum(rate(http_requests_total{${selector}}[2m])) > 0)`].join('\n');
    expect(m.provider.prometheus.query).toBe(['(', '(', `(${ratio(canary)})`, '-', `((${ratio(stable)}) or on() vector(0))`, ')', ...gate].join('\n'));
    expect([m.successCondition, m.failureCondition]).toEqual(['result[0] <= 0.01', 'result[0] > 0.01']);
  });

  test('the latency comparison divides the canary p95 by the stable one, at most 20% above by default', () => {
    const m = metric(P95_LATENCY_VS_STABLE_METRIC);
    const p95 = (selector: string): string => `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{${selector}}[2m]))) > 0`;
    expect(m.provider.prometheus.query).toBe(['(', '(', `(${p95(canary)})`, '/', `(${p95(stable)})`, ')', ...gate].join('\n'));
    expect([m.successCondition, m.failureCondition]).toEqual(['result[0] <= 1.2', 'result[0] > 1.2']);
  });

  test('a canary that served too few requests is inconclusive, never a pass', () => {
    for (const m of metrics()) {
      expect(m.provider.prometheus.query).toContain(gate[1]);
      expect([m.name, measurementPhase(noDataValue(m.provider.prometheus.query) ?? 0, m.successCondition, m.failureCondition)]).toEqual([m.name, 'Inconclusive']);
    }
    expect(metric(ERROR_RATE_VS_STABLE_METRIC, { minRequests: 10 }).provider.prometheus.query).toContain('>= 10)');
  });

  test('measures every 30s against Prometheus and tolerates one failure by default', () => {
    for (const m of synth()[0].spec.metrics as Metric[]) {
      expect(m.interval).toBe('30s');
      expect(m.failureLimit).toBe(1);
      expect(m.provider.prometheus.address).toBe(prometheusAddress);
    }
  });

  test('margins, interval, failure limit and metric names are props', () => {
    const props: Partial<CanaryComparisonAnalysisProps> = {
      maxErrorRateIncrease: 0,
      maxLatencyIncrease: 0.1,
      interval: Duration.minutes(2),
      failureLimit: 3,
      metrics: { requestsTotal: 'requests_total', statusCodeLabel: 'status' },
    };
    const errors = metric(ERROR_RATE_VS_STABLE_METRIC, props);
    expect(errors.successCondition).toBe('result[0] <= 0');
    expect(errors.interval).toBe('2m');
    expect(errors.failureLimit).toBe(3);
    expect(errors.provider.prometheus.query).toContain(`requests_total{${canary},status=~"5.."}`);
    expect(metric(P95_LATENCY_VS_STABLE_METRIC, props).successCondition).toBe('result[0] <= 1.1');
  });

  test('passes the upstream schema', () => {
    expect(validateObjects(synth())).toEqual([]);
  });

  test('fails if the canary and the stable instance are the same', () => {
    expect(() => synth({ stableInstance: 'inventory-api-canary' })).toThrow(
      'inventory-api-canary: canaryInstance and stableInstance are both "inventory-api-canary", so the canary would be compared with itself',
    );
  });

  test('fails if an instance is not a label value', () => {
    expect(() => synth({ canaryInstance: '' })).toThrow('inventory-api-canary: canaryInstance "" is not a label value');
    expect(() => synth({ stableInstance: 'inventory api' })).toThrow('stableInstance "inventory api" is not a label value');
  });

  test('fails if a margin is out of range', () => {
    expect(() => synth({ maxErrorRateIncrease: 1 })).toThrow('inventory-api-canary: maxErrorRateIncrease (1) must be at least 0 and below 1');
    expect(() => synth({ maxErrorRateIncrease: -0.01 })).toThrow('maxErrorRateIncrease (-0.01) must be at least 0 and below 1');
    expect(() => synth({ maxLatencyIncrease: -0.2 })).toThrow('inventory-api-canary: maxLatencyIncrease (-0.2) must be a number of at least 0');
  });

  test('fails if the Prometheus address is not an http(s) URL', () => {
    expect(() => synth({ prometheusAddress: '' })).toThrow('prometheusAddress "" is not an http(s) URL');
  });
});
