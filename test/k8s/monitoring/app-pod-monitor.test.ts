import { Chart, Duration, Testing } from 'cdk8s';
import { AppPodMonitor, type AppPodMonitorProps } from '../../../lib/k8s/monitoring/app-pod-monitor';
import { validateObjects } from '../../../lib/validate/schemas';

type Manifest = ReturnType<typeof Testing.synth>[number];

const labels = { app: 'inventory-api', instance: 'inventory-api', partOf: 'shop', version: 'v1.4.2' };

function synth(props: Partial<AppPodMonitorProps> = {}, chartNamespace: string | null = 'shop'): Manifest[] {
  const chart = new Chart(Testing.app(), 'test', { namespace: chartNamespace ?? undefined });
  new AppPodMonitor(chart, 'Monitor', { name: 'inventory-api', labels, ...props });
  return Testing.synth(chart);
}

describe('AppPodMonitor', () => {
  test('selects the app pods by their labels, in its namespace only, on the named metrics port', () => {
    const [monitor] = synth();
    expect(monitor).toMatchObject({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', metadata: { name: 'inventory-api', namespace: 'shop' } });
    expect(monitor.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'inventory-api', 'app.kubernetes.io/instance': 'inventory-api' } });
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: ['shop'] });
    expect(monitor.spec.podMetricsEndpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '30s' }]);
  });

  test('copies the app labels and the rollout pod template hash onto every scraped series', () => {
    expect(synth()[0].spec.podTargetLabels).toEqual(['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'rollouts-pod-template-hash']);
  });

  test('carries the app labels and the discovery labels', () => {
    const [monitor] = synth({ discoveryLabels: { release: 'kube-prometheus-stack' } });
    expect(monitor.metadata.labels).toMatchObject({ 'app.kubernetes.io/instance': 'inventory-api', release: 'kube-prometheus-stack' });
  });

  test('takes another port, path, interval and timeout', () => {
    const [monitor] = synth({ port: 'http-metrics', path: '/internal/metrics', interval: Duration.seconds(15), scrapeTimeout: Duration.seconds(10) });
    expect(monitor.spec.podMetricsEndpoints).toEqual([{ port: 'http-metrics', path: '/internal/metrics', interval: '15s', scrapeTimeout: '10s' }]);
  });

  test('a given namespace wins over the chart namespace', () => {
    const [monitor] = synth({ namespace: 'shop-canary' }, null);
    expect(monitor.metadata.namespace).toBe('shop-canary');
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: ['shop-canary'] });
  });

  test('passes the upstream schema', () => {
    expect(validateObjects(synth({ scrapeTimeout: Duration.seconds(5) }))).toEqual([]);
  });

  test('fails if the port is a number or not a port name', () => {
    expect(() => synth({ port: '9090' })).toThrow('port "9090" is not a port name');
    expect(() => synth({ port: 'Metrics_Port' })).toThrow(/fix: use the name of the metrics port/);
  });

  test('fails if the scrape timeout is longer than the interval', () => {
    expect(() => synth({ interval: Duration.seconds(10), scrapeTimeout: Duration.seconds(20) })).toThrow(
      'inventory-api: scrapeTimeout (20s) is longer than interval (10s); fix: shorten scrapeTimeout or lengthen interval',
    );
  });

  test('fails if the path is relative', () => {
    expect(() => synth({ path: 'metrics' })).toThrow(`path "metrics" must start with '/'`);
  });

  test('fails if there is no namespace', () => {
    expect(() => synth({}, null)).toThrow('inventory-api: no namespace; fix: set namespace, or give the chart a namespace');
  });
});
