import { Chart, Duration, Testing } from 'cdk8s';
import { AppSloRules } from '../../../lib/k8s/slo/app-slo-rules';
import { type AppSloProps, BURN_RATE_CONDITIONS, burnRateFactor } from '../../../lib/k8s/slo/slo-queries';
import { validateObjects } from '../../../lib/validate/schemas';

type Manifest = ReturnType<typeof Testing.synth>[number];

interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
}

interface Group {
  name: string;
  rules: Rule[];
}

const labels = { app: 'inventory-api', instance: 'inventory-api', partOf: 'shop', version: 'v1.4.2' };
const latency = { objective: 0.99, threshold: Duration.millis(300) };

function synth(props: Partial<AppSloProps> = {}, chartNamespace: string | null = 'shop'): Manifest[] {
  const chart = new Chart(Testing.app(), 'test', { namespace: chartNamespace ?? undefined });
  new AppSloRules(chart, 'Slo', { name: 'inventory-api-slo', labels, availability: 0.999, ...props });
  return Testing.synth(chart);
}

function groups(props: Partial<AppSloProps> = {}): Group[] {
  return synth(props)[0].spec.groups as Group[];
}

function group(slo: string, props: Partial<AppSloProps> = {}): Rule[] {
  const found = groups(props).find((g) => g.name === `inventory-api-slo-${slo}`);
  if (!found) throw new Error(`no group for ${slo}`);
  return found.rules;
}

function record(name: string, rules: Rule[]): Rule {
  const found = rules.find((r) => r.record === name);
  if (!found) throw new Error(`no record ${name}`);
  return found;
}

function alerts(name: string, rules: Rule[]): Rule[] {
  return rules.filter((r) => r.alert === name);
}

/** The regular expression of a `label=~"..."` matcher, anchored as Prometheus anchors it. */
function matcherRegex(expr: string, label: string): RegExp {
  const match = new RegExp(`${label}=~"([^"]+)"`).exec(expr);
  if (!match) throw new Error(`no ${label}=~ matcher in ${expr}`);
  return new RegExp(`^(?:${JSON.parse(`"${match[1]}"`)})$`);
}

/** Each `(<ratio record> > (<factor> * <budget>) and <ratio record> > ...)` condition of a burn alert: windows and factor. */
function burnConditions(expr: string): { long: string; short: string; factor: number; budget: number }[] {
  return expr.split('\nor\n').map((condition) => {
    const parts = [...condition.matchAll(/slo:sli_error:ratio_rate(\w+)\{[^}]*\} > \(([\d.]+) \* ([\d.]+)\)/g)];
    expect(parts).toHaveLength(2);
    expect(parts[0][2]).toBe(parts[1][2]);
    return { long: parts[0][1], short: parts[1][1], factor: Number(parts[0][2]), budget: Number(parts[0][3]) };
  });
}

const RATIO_RECORDS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'].map((w) => `slo:sli_error:ratio_rate${w}`);

describe('AppSloRules', () => {
  test('a PrometheusRule named after the props, in the app namespace, with the monitoring labels', () => {
    const [rule] = synth({ discoveryLabels: { release: 'kube-prometheus-stack' } });
    expect(rule).toMatchObject({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'inventory-api-slo', namespace: 'shop' } });
    expect(rule.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'inventory-api', release: 'kube-prometheus-stack' });
  });

  test('one group per SLI: availability alone, or availability then latency', () => {
    expect(groups().map((g) => g.name)).toEqual(['inventory-api-slo-availability']);
    expect(groups({ latency }).map((g) => g.name)).toEqual(['inventory-api-slo-availability', 'inventory-api-slo-latency']);
  });

  test('records the error ratio over every burn-rate window, the window ratio and the budget left, each with its slo label', () => {
    for (const slo of ['availability', 'latency']) {
      const records = group(slo, { latency }).filter((r) => r.record !== undefined);
      expect(records.map((r) => r.record)).toEqual([...RATIO_RECORDS, 'slo:sli_error:ratio_period', 'slo:error_budget_remaining:ratio']);
      for (const r of records) expect(r.labels).toEqual({ slo });
    }
  });

  test('every selector picks the app by namespace and name, across instances, never by instance', () => {
    const canary = { ...labels, instance: 'inventory-api-canary' };
    for (const g of groups({ latency, labels: canary })) {
      for (const r of g.rules) {
        const selectors = r.expr.match(/[a-zA-Z_:][a-zA-Z0-9_:]*\{(?:[^}"]|"[^"]*")*\}/g) ?? [];
        expect(selectors.length).toBeGreaterThan(0);
        for (const s of selectors) {
          expect([r.record ?? r.alert, s]).toEqual([r.record ?? r.alert, expect.stringContaining('namespace="shop",app_kubernetes_io_name="inventory-api"')]);
        }
        expect(r.expr).not.toContain('app_kubernetes_io_instance');
      }
    }
  });

  test('the availability ratio is the 5xx share summed by namespace and app, 0 before the first 5xx, without NaN', () => {
    const app = 'namespace="shop",app_kubernetes_io_name="inventory-api"';
    const by = 'sum by (namespace, app_kubernetes_io_name)';
    expect(record('slo:sli_error:ratio_rate5m', group('availability')).expr).toBe(
      [
        '(',
        `  ${by} (rate(http_requests_total{${app},code=~"5.."}[5m]))`,
        '  or',
        `  0 * ${by} (rate(http_requests_total{${app}}[5m]))`,
        ')',
        '/',
        `${by} (rate(http_requests_total{${app}}[5m]))`,
        '>= 0',
      ].join('\n'),
    );
    expect(record('slo:sli_error:ratio_rate3d', group('availability')).expr).toContain('[3d]');
  });

  test('the latency ratio is the share slower than the threshold: 1 - bucket / count', () => {
    const props = { latency, metrics: { durationBucket: 'request_seconds_bucket' } };
    const expr = record('slo:sli_error:ratio_rate1h', group('latency', props)).expr;
    expect(expr).toMatch(/^1 - \(\n {2}sum by \(namespace, app_kubernetes_io_name\) \(rate\(request_seconds_bucket\{[^}]*le=~"[^"]+"\}\[1h\]\)\)\n {2}\/\n/);
    expect(expr).toContain('sum by (namespace, app_kubernetes_io_name) (rate(request_seconds_count{namespace="shop",app_kubernetes_io_name="inventory-api"}[1h]))');
    expect(expr.endsWith('\n>= 0')).toBe(true);
  });

  test('the bucket bound matches however the client prints it', () => {
    const le = (threshold: Duration): RegExp => matcherRegex(record('slo:sli_error:ratio_rate5m', group('latency', { latency: { objective: 0.99, threshold } })).expr, 'le');
    const third = le(Duration.millis(300));
    expect(['0.3', '0.30', '0.300'].map((v) => third.test(v))).toEqual([true, true, true]);
    expect(['0.03', '0.35', '3', '0x3'].map((v) => third.test(v))).toEqual([false, false, false, false]);
    const second = le(Duration.seconds(1));
    expect(['1', '1.0', '1.00'].map((v) => second.test(v))).toEqual([true, true, true]);
    expect(['10', '0.1', '1.5', '+Inf'].map((v) => second.test(v))).toEqual([false, false, false, false]);
  });

  test('the window ratio averages the 5m ratio over the window, and the budget left divides by the error budget', () => {
    const rules = group('availability', { window: Duration.days(28) });
    const base = 'slo:sli_error:ratio_rate5m{namespace="shop",app_kubernetes_io_name="inventory-api",slo="availability"}';
    expect(record('slo:sli_error:ratio_period', rules).expr).toBe(`sum_over_time(${base}[28d])\n/\ncount_over_time(${base}[28d])`);
    expect(record('slo:error_budget_remaining:ratio', rules).expr).toBe(
      '1 - slo:sli_error:ratio_period{namespace="shop",app_kubernetes_io_name="inventory-api",slo="availability"} / 0.001',
    );
    expect(record('slo:error_budget_remaining:ratio', group('latency', { latency })).expr).toMatch(/ \/ 0\.01$/);
  });

  test('over 30 days, fast burns (14.4 and 6) page and slow burns (3 and 1) warn', () => {
    const [fast, slow] = alerts('AppErrorBudgetBurn', group('availability'));
    expect(fast.labels).toEqual({ severity: 'critical' });
    expect(burnConditions(fast.expr)).toEqual([
      { long: '1h', short: '5m', factor: 14.4, budget: 0.001 },
      { long: '6h', short: '30m', factor: 6, budget: 0.001 },
    ]);
    expect(slow.labels).toEqual({ severity: 'warning' });
    expect(burnConditions(slow.expr)).toEqual([
      { long: '1d', short: '2h', factor: 3, budget: 0.001 },
      { long: '3d', short: '6h', factor: 1, budget: 0.001 },
    ]);
  });

  test('the factors follow the window, never below 1: over 7 days they are 3.36, 1.4, 1 and 1', () => {
    const factors = alerts('AppErrorBudgetBurn', group('latency', { latency, window: Duration.days(7) })).flatMap((a) => burnConditions(a.expr));
    expect(factors.map((c) => c.factor)).toEqual([3.36, 1.4, 1, 1]);
    expect(factors.every((c) => c.budget === 0.01)).toBe(true);
    expect(BURN_RATE_CONDITIONS.map((c) => burnRateFactor(Duration.days(90), c))).toEqual([43.2, 18, 9, 3]);
  });

  test('alerts when 80% (critical) and 95% (emergency) of the budget is spent', () => {
    const low = alerts('AppErrorBudgetLow', group('availability'));
    expect(low.map((a) => [a.expr, a.labels])).toEqual([
      ['slo:error_budget_remaining:ratio{namespace="shop",app_kubernetes_io_name="inventory-api",slo="availability"} <= 0.2', { severity: 'critical' }],
      ['slo:error_budget_remaining:ratio{namespace="shop",app_kubernetes_io_name="inventory-api",slo="availability"} <= 0.05', { severity: 'emergency' }],
    ]);
    expect(low[1].annotations?.summary).toBe('inventory-api has spent 95% of its availability error budget');
  });

  test('alerts explain themselves with the objective and the window', () => {
    const [fast] = alerts('AppErrorBudgetBurn', group('latency', { latency }));
    expect(fast.annotations).toEqual({
      summary: 'inventory-api is burning its latency error budget fast',
      description:
        '{{ $value | humanizePercentage }} of the requests to inventory-api in {{ $labels.namespace }} miss the latency objective (99% of requests faster than 0.3s); at this rate it spends 2% of its 30d error budget within 1h, or 5% within 6h.',
    });
  });

  test('the same input gives the same rules, in the same order', () => {
    expect(JSON.stringify(synth({ latency }))).toBe(JSON.stringify(synth({ latency })));
  });

  test('passes the upstream schema', () => {
    expect(validateObjects(synth({ latency, discoveryLabels: { release: 'kube-prometheus-stack' } }))).toEqual([]);
  });

  test('fails if an objective is not strictly between 0 and 1', () => {
    expect(() => synth({ availability: 1 })).toThrow('inventory-api-slo: availability (1) must be strictly between 0 and 1; fix: give a share of requests, like 0.999 for 99.9%');
    expect(() => synth({ availability: 99.9 })).toThrow('availability (99.9) must be strictly between 0 and 1');
    expect(() => synth({ availability: 0 })).toThrow('availability (0) must be strictly between 0 and 1');
    expect(() => synth({ availability: Number.NaN })).toThrow('availability (NaN) must be strictly between 0 and 1');
    expect(() => synth({ latency: { ...latency, objective: 1 } })).toThrow(
      'inventory-api-slo: latency.objective (1) must be strictly between 0 and 1; fix: give a share of requests, like 0.99 for 99%',
    );
  });

  test('fails if the window is not a whole number of days from 7 to 90', () => {
    const message = 'must be a whole number of days from 7 to 90, as the burn-rate alerts look back as far as 3d; fix: give Duration.days(n), like Duration.days(30)';
    expect(() => synth({ window: Duration.days(6) })).toThrow(`inventory-api-slo: window (6d) ${message}`);
    expect(() => synth({ window: Duration.days(91) })).toThrow(`window (91d) ${message}`);
    expect(() => synth({ window: Duration.hours(180) })).toThrow(`window (180h) ${message}`);
  });

  test('fails if the latency threshold is zero', () => {
    expect(() => synth({ latency: { ...latency, threshold: Duration.millis(0) } })).toThrow('inventory-api-slo: latency.threshold (0ms) must be longer than zero; fix: give a positive duration');
  });

  test('fails if the duration histogram is not named after its buckets', () => {
    expect(() => synth({ latency, metrics: { durationBucket: 'http_request_duration_seconds' } })).toThrow(
      'inventory-api-slo: metrics.durationBucket "http_request_duration_seconds" does not end in "_bucket", so its _count series is unknown; fix: name the histogram\'s bucket series, like "http_request_duration_seconds_bucket"',
    );
  });

  test('fails if a metric name is not a Prometheus name', () => {
    expect(() => synth({ metrics: { requestsTotal: 'http-requests' } })).toThrow('metrics.requestsTotal "http-requests" is not a Prometheus metric name');
  });

  test('fails if no namespace is known', () => {
    expect(() => synth({}, null)).toThrow('inventory-api-slo: no namespace; fix: set namespace, or give the chart a namespace');
  });
});
