import { Chart, Testing } from 'cdk8s';
import { AppOverviewDashboard, type AppOverviewDashboardProps, appOverviewDashboard } from '../../../lib/k8s/monitoring/app-overview-dashboard';
import { validateObjects } from '../../../lib/validate/schemas';

type Manifest = ReturnType<typeof Testing.synth>[number];

interface Panel {
  title: string;
  fieldConfig: { defaults: { unit: string } };
  gridPos: { x: number; y: number; w: number; h: number };
  targets: { refId: string; expr: string; legendFormat: string }[];
}

const labels = { app: 'inventory-api', instance: 'inventory-api', partOf: 'shop', version: 'v1.4.2' };

function synth(props: Partial<AppOverviewDashboardProps> = {}): Manifest[] {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  new AppOverviewDashboard(chart, 'Overview', { name: 'inventory-api-overview', labels, ...props });
  return Testing.synth(chart);
}

function panels(props: Partial<AppOverviewDashboardProps> = {}): Panel[] {
  const [map] = synth(props);
  return JSON.parse(map.data['inventory-api-overview.json']).panels as Panel[];
}

describe('AppOverviewDashboard', () => {
  test('a dashboard ConfigMap in the app namespace, labelled for the app and the Grafana sidecar', () => {
    const [map] = synth();
    expect(map).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'inventory-api-overview', namespace: 'shop' } });
    expect(map.metadata.labels).toMatchObject({ grafana_dashboard: '1', 'app.kubernetes.io/instance': 'inventory-api' });
    const json = JSON.parse(map.data['inventory-api-overview.json']);
    expect(json).toMatchObject({ uid: 'inventory-api-overview', title: 'inventory-api overview', tags: ['shop', 'inventory-api'] });
  });

  test('request rate, errors, latency, CPU and memory saturation panels', () => {
    expect(panels().map((p) => [p.title, p.fieldConfig.defaults.unit])).toEqual([
      ['Request rate', 'reqps'],
      ['Errors (5xx share)', 'percentunit'],
      ['Latency', 's'],
      ['CPU use of limit', 'percentunit'],
      ['Memory use of limit', 'percentunit'],
    ]);
  });

  test('HTTP panels select the app series; saturation panels its pods against their limits', () => {
    const [rate, errors, latency, cpu, memory] = panels();
    const app = '{namespace="shop",app_kubernetes_io_instance="inventory-api"}';
    expect(rate.targets[0].expr).toBe(`sum by (code) (rate(http_requests_total${app}[$__rate_interval]))`);
    expect(errors.targets[0].expr).toContain('code=~"5.."');
    expect(latency.targets.map((t) => t.legendFormat)).toEqual(['p50', 'p95', 'p99']);
    expect(latency.targets[2].expr).toBe(`histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket${app}[$__rate_interval])))`);
    const pods = 'namespace="shop",pod=~"inventory-api-[a-z0-9]{1,10}-[a-z0-9]{5}"';
    expect(cpu.targets[0].expr).toBe(
      `sum by (pod) (rate(container_cpu_usage_seconds_total{${pods},container!=""}[$__rate_interval]))\n/\nsum by (pod) (kube_pod_container_resource_limits{${pods},resource="cpu"})`,
    );
    expect(memory.targets[0].expr).toBe(
      `sum by (pod) (container_memory_working_set_bytes{${pods},container!=""})\n/\nsum by (pod) (kube_pod_container_resource_limits{${pods},resource="memory"})`,
    );
  });

  test('panels sit two to a row without overlapping', () => {
    expect(panels().map((p) => p.gridPos)).toEqual([
      { h: 8, w: 12, x: 0, y: 0 },
      { h: 8, w: 12, x: 12, y: 0 },
      { h: 8, w: 12, x: 0, y: 8 },
      { h: 8, w: 12, x: 12, y: 8 },
      { h: 8, w: 12, x: 0, y: 16 },
    ]);
  });

  test('the data source is a variable, so the JSON fits any Grafana', () => {
    const json = appOverviewDashboard({ labels, namespace: 'shop', uid: 'inventory-api-overview' });
    expect(json.templating).toEqual({ list: [{ name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', hide: 0 }] });
    expect(JSON.stringify(json)).not.toMatch(/"uid":"(?!\$\{datasource\}|inventory-api-overview)/);
  });

  test('the same input gives the same JSON', () => {
    const a = synth()[0].data['inventory-api-overview.json'];
    expect(synth()[0].data['inventory-api-overview.json']).toBe(a);
  });

  test('metric names and title are props', () => {
    const [rate] = panels({ title: 'Inventory', metrics: { requestsTotal: 'requests_total', statusCodeLabel: 'status' } });
    expect(rate.targets[0]).toMatchObject({ expr: expect.stringMatching(/^sum by \(status\) \(rate\(requests_total\{/), legendFormat: '{{status}}' });
  });

  test('passes the upstream schema', () => {
    expect(validateObjects(synth())).toEqual([]);
  });

  test('fails if the name is too long for a Grafana uid', () => {
    expect(() => synth({ name: 'inventory-api-canary-overview-of-everything-here' })).toThrow(/is not a Grafana uid/);
  });
});
