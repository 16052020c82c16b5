import { Chart, Duration, Testing } from 'cdk8s';
import { AppServiceMonitor, type AppServiceMonitorProps } from '../../../lib/k8s/monitoring/app-service-monitor';
import { validateObjects } from '../../../lib/validate/schemas';

type Manifest = ReturnType<typeof Testing.synth>[number];

const labels = { app: 'inventory-api', instance: 'inventory-api', partOf: 'shop', version: 'v1.4.2' };
/** The endpoint relabeling that drops every target but the pods of `instance`. */
const keepInstance = (instance: string) => ({ sourceLabels: ['__meta_kubernetes_pod_label_app_kubernetes_io_instance'], regex: instance, action: 'keep' });
// A blue-green preview Service selects the same pods as the active one: only the monitor's own Service counts.
const keepService = (service: string) => ({ sourceLabels: ['__meta_kubernetes_service_name'], regex: service, action: 'keep' });

function synth(props: Partial<AppServiceMonitorProps> = {}, chartNamespace: string | null = 'shop'): Manifest[] {
  const chart = new Chart(Testing.app(), 'test', { namespace: chartNamespace ?? undefined });
  new AppServiceMonitor(chart, 'Monitor', { name: 'inventory-api', labels, ...props });
  return Testing.synth(chart);
}

describe('AppServiceMonitor', () => {
  test('selects the app Service by its labels, in its namespace only, on the named metrics port', () => {
    const [monitor] = synth();
    expect(monitor).toMatchObject({ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'inventory-api', namespace: 'shop' } });
    expect(monitor.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'inventory-api', 'app.kubernetes.io/instance': 'inventory-api' } });
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: ['shop'] });
    expect(monitor.spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '30s', relabelings: [keepInstance('inventory-api'), keepService('inventory-api')] }]);
  });

  test('keeps only the pods of its own instance: production\'s Service also selects the canary candidate beside it', () => {
    const [monitor] = synth({ name: 'inventory-api-canary', labels: { ...labels, instance: 'inventory-api-canary' } });
    expect(monitor.spec.endpoints[0].relabelings).toEqual([keepInstance('inventory-api-canary'), keepService('inventory-api-canary')]);
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
    expect(monitor.spec.endpoints).toEqual([
      { port: 'http-metrics', path: '/internal/metrics', interval: '15s', scrapeTimeout: '10s', relabelings: [keepInstance('inventory-api'), keepService('inventory-api')] },
    ]);
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
