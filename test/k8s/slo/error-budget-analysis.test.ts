import { Chart, Duration, Testing } from 'cdk8s';
import { ERROR_BUDGET_METRIC, ErrorBudgetAnalysis, type ErrorBudgetAnalysisProps } from '../../../lib/k8s/slo/error-budget-analysis';
import { ERROR_BUDGET_REMAINING } from '../../../lib/k8s/slo/slo-queries';
import { validateObjects } from '../../../lib/validate/schemas';

type Manifest = ReturnType<typeof Testing.synth>[number];

const labels = { app: 'inventory-api', instance: 'inventory-api', partOf: 'shop', version: 'v1.4.2' };
const prometheusAddress = 'http://prometheus-operated.monitoring.svc:9090';

function synth(props: Partial<ErrorBudgetAnalysisProps> = {}): Manifest[] {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  new ErrorBudgetAnalysis(chart, 'Analysis', { name: 'inventory-api-error-budget', labels, prometheusAddress, ...props });
  return Testing.synth(chart);
}

describe('ErrorBudgetAnalysis', () => {
  test('an AnalysisTemplate in the app namespace, labelled for the app', () => {
    const [template] = synth();
    expect(template).toMatchObject({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name: 'inventory-api-error-budget', namespace: 'shop' } });
    expect(template.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'inventory-api', 'app.kubernetes.io/instance': 'inventory-api' });
  });

  test('one metric that fails at the first measurement with no budget left', () => {
    const [template] = synth();
    expect(ERROR_BUDGET_METRIC).toBe('error-budget');
    expect(template.spec.metrics).toEqual([
      {
        name: 'error-budget',
        interval: '30s',
        successCondition: 'result[0] > 0',
        failureLimit: 0,
        provider: {
          prometheus: {
            address: prometheusAddress,
            query: 'min(slo:error_budget_remaining:ratio{namespace="shop",app_kubernetes_io_name="inventory-api"}) or on() vector(1)',
          },
        },
      },
    ]);
  });

  test('reads the budget AppSloRules records, over every SLI of the app, whatever the instance', () => {
    const [template] = synth({ labels: { ...labels, instance: 'inventory-api-canary' } });
    const query: string = template.spec.metrics[0].provider.prometheus.query;
    expect(query.startsWith(`min(${ERROR_BUDGET_REMAINING}{`)).toBe(true);
    expect(query).not.toContain('slo=');
    expect(query).not.toContain('instance');
    expect(query).toContain('app_kubernetes_io_name="inventory-api"');
  });

  test('an app without history yet counts as having its whole budget', () => {
    expect(synth()[0].spec.metrics[0].provider.prometheus.query).toMatch(/ or on\(\) vector\(1\)$/);
  });

  test('the interval and namespace are props', () => {
    const [template] = synth({ interval: Duration.minutes(1), namespace: 'shop-canary' });
    expect(template.metadata.namespace).toBe('shop-canary');
    expect(template.spec.metrics[0].interval).toBe('1m');
    expect(template.spec.metrics[0].provider.prometheus.query).toContain('namespace="shop-canary"');
  });

  test('passes the upstream schema', () => {
    expect(validateObjects(synth())).toEqual([]);
  });

  test('fails if the Prometheus address is not an http(s) URL', () => {
    expect(() => synth({ prometheusAddress: 'prometheus-operated:9090' })).toThrow(
      'inventory-api-error-budget: prometheusAddress "prometheus-operated:9090" is not an http(s) URL; fix: give the Prometheus service URL, like "http://prometheus-operated.monitoring.svc:9090"',
    );
    expect(() => synth({ prometheusAddress: 'ftp://prometheus' })).toThrow('prometheusAddress "ftp://prometheus" is not an http(s) URL');
  });

  test('fails if the interval is zero', () => {
    expect(() => synth({ interval: Duration.seconds(0) })).toThrow('inventory-api-error-budget: interval (0ms) must be longer than zero');
  });
});
