import { Chart, Testing } from 'cdk8s';
import { GrafanaDashboard, type GrafanaDashboardProps } from '../../../lib/k8s/monitoring/grafana-dashboard';
import { validateObjects } from '../../../lib/validate/schemas';

type Manifest = ReturnType<typeof Testing.synth>[number];

const dashboard = { uid: 'shop-orders', title: 'Orders', panels: [{ type: 'stat', title: 'Orders', id: 1 }], schemaVersion: 39 };

function synth(props: Partial<GrafanaDashboardProps> = {}): Manifest[] {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'monitoring' });
  new GrafanaDashboard(chart, 'Dashboard', { name: 'shop-orders', dashboard, ...props });
  return Testing.synth(chart);
}

describe('GrafanaDashboard', () => {
  test('a ConfigMap with the sidecar discovery label and the dashboard as a JSON file', () => {
    const [map] = synth();
    expect(map).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shop-orders', namespace: 'monitoring', labels: { grafana_dashboard: '1' } } });
    expect(Object.keys(map.data)).toEqual(['shop-orders.json']);
    expect(JSON.parse(map.data['shop-orders.json'])).toEqual(dashboard);
  });

  test('the JSON has sorted keys and two-space indents, whatever the order it was built in', () => {
    const json: string = synth()[0].data['shop-orders.json'];
    expect(json).toBe(
      [
        '{',
        '  "panels": [',
        '    {',
        '      "id": 1,',
        '      "title": "Orders",',
        '      "type": "stat"',
        '    }',
        '  ],',
        '  "schemaVersion": 39,',
        '  "title": "Orders",',
        '  "uid": "shop-orders"',
        '}',
        '',
      ].join('\n'),
    );
    const reordered = { schemaVersion: 39, panels: dashboard.panels, title: 'Orders', uid: 'shop-orders' };
    expect(synth({ dashboard: reordered })[0].data['shop-orders.json']).toBe(json);
  });

  test('the discovery labels, more labels and the file name are props', () => {
    const [map] = synth({ sidecarLabels: { 'grafana.example.com/dashboard': 'shop' }, labels: { team: 'orders' }, fileName: 'orders.json' });
    expect(map.metadata.labels).toEqual({ team: 'orders', 'grafana.example.com/dashboard': 'shop' });
    expect(Object.keys(map.data)).toEqual(['orders.json']);
  });

  test('passes the upstream schema', () => {
    expect(validateObjects(synth())).toEqual([]);
  });

  test('fails if the uid is not a Grafana uid', () => {
    expect(() => synth({ dashboard: { ...dashboard, uid: 'x'.repeat(41) } })).toThrow(/dashboard uid "x+" is not a Grafana uid/);
    expect(() => synth({ dashboard: { ...dashboard, uid: 'shop orders' } })).toThrow('fix: give a shorter uid');
  });

  test('fails if the file name is not a ConfigMap key', () => {
    expect(() => synth({ fileName: 'dashboards/orders.json' })).toThrow('fileName "dashboards/orders.json" is not a ConfigMap key');
  });

  test('fails if the dashboard does not fit in a ConfigMap', () => {
    const huge = { ...dashboard, description: 'x'.repeat(1024 * 1024) };
    expect(() => synth({ dashboard: huge })).toThrow(/does not fit in a ConfigMap \(1 MiB\); fix: split the dashboard/);
  });
});
