import { Chart, Duration, Testing } from 'cdk8s';
import { AppSloDashboard, type AppSloDashboardProps, sloDashboardUid } from '../../../lib/k8s/slo/app-slo-dashboard';
import { validateObjects } from '../../../lib/validate/schemas';

type Manifest = ReturnType<typeof Testing.synth>[number];

interface Panel {
  id: number;
  title: string;
  fieldConfig: { defaults: { unit: string; min?: number; max?: number } };
  gridPos: { x: number; y: number; w: number; h: number };
  targets: { refId: string; expr: string; legendFormat: string }[];
}

const labels = { app: 'inventory-api', instance: 'inventory-api', partOf: 'shop', version: 'v1.4.2' };
const latency = { objective: 0.99, threshold: Duration.millis(300) };
const app = 'namespace="shop",app_kubernetes_io_name="inventory-api"';

function synth(props: Partial<AppSloDashboardProps> = {}): Manifest[] {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop' });
  new AppSloDashboard(chart, 'Slo', { name: 'inventory-api-slo', labels, availability: 0.999, ...props });
  return Testing.synth(chart);
}

function json(props: Partial<AppSloDashboardProps> = {}): { uid: string; title: string; tags: string[]; panels: Panel[] } {
  return JSON.parse(synth(props)[0].data['inventory-api-slo.json']);
}

function panel(title: string, props: Partial<AppSloDashboardProps> = {}): Panel {
  const found = json(props).panels.find((p) => p.title === title);
  if (!found) throw new Error(`no panel ${title}`);
  return found;
}

describe('AppSloDashboard', () => {
  test('a dashboard ConfigMap in the app namespace, labelled for the app and the Grafana sidecar', () => {
    const [map] = synth();
    expect(map).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'inventory-api-slo', namespace: 'shop' } });
    expect(map.metadata.labels).toMatchObject({ grafana_dashboard: '1', 'app.kubernetes.io/name': 'inventory-api' });
    expect(json()).toMatchObject({ uid: 'slo-shop-inventory-api', title: 'inventory-api SLOs', tags: ['shop', 'inventory-api', 'slo'] });
  });

  test('SLIs against their objectives, budget, burn rates, then the canary panels', () => {
    expect(json({ latency }).panels.map((p) => [p.title, p.fieldConfig.defaults.unit])).toEqual([
      ['Availability SLI', 'percentunit'],
      ['Latency SLI', 'percentunit'],
      ['Error budget remaining', 'percentunit'],
      ['Burn rate', 'none'],
      ['Request rate by instance', 'reqps'],
      ['Request rate by pod template hash', 'reqps'],
      ['Errors (5xx share) by instance', 'percentunit'],
      ['Errors (5xx share) by pod template hash', 'percentunit'],
      ['p95 latency by instance', 's'],
      ['p95 latency by pod template hash', 's'],
    ]);
    expect(json().panels.map((p) => p.title)).not.toContain('Latency SLI');
  });

  test('each SLI panel draws the SLI over the window and over 1h against the objective', () => {
    expect(panel('Latency SLI', { latency, window: Duration.days(28) }).targets.map((t) => [t.expr, t.legendFormat])).toEqual([
      [`1 - slo:sli_error:ratio_period{${app},slo="latency"}`, 'over 28d'],
      [`1 - slo:sli_error:ratio_rate1h{${app},slo="latency"}`, 'over 1h'],
      ['vector(0.99)', 'objective'],
    ]);
    expect(panel('Availability SLI').targets[2].expr).toBe('vector(0.999)');
  });

  test('the budget left of every SLI, and the burn rates of the alert windows', () => {
    expect(panel('Error budget remaining').targets).toEqual([expect.objectContaining({ expr: `slo:error_budget_remaining:ratio{${app}}`, legendFormat: '{{slo}}' })]);
    const burn = panel('Burn rate', { latency }).targets;
    expect(burn.map((t) => t.legendFormat)).toEqual(['availability 1h', 'availability 6h', 'availability 1d', 'availability 3d', 'latency 1h', 'latency 6h', 'latency 1d', 'latency 3d']);
    expect(burn[0].expr).toBe(`slo:sli_error:ratio_rate1h{${app},slo="availability"} / 0.001`);
    expect(burn[7].expr).toBe(`slo:sli_error:ratio_rate3d{${app},slo="latency"} / 0.01`);
    expect(burn.map((t) => t.refId)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H']);
  });

  test('canary panels compare instances and pod template hashes of the whole app', () => {
    const rate = `rate(http_requests_total{${app}}[$__rate_interval])`;
    expect(panel('Request rate by instance').targets[0]).toMatchObject({ expr: `sum by (app_kubernetes_io_instance) (${rate})`, legendFormat: '{{app_kubernetes_io_instance}}' });
    expect(panel('Request rate by pod template hash').targets[0]).toMatchObject({ expr: `sum by (rollouts_pod_template_hash) (${rate})`, legendFormat: '{{rollouts_pod_template_hash}}' });
    const errors = panel('Errors (5xx share) by pod template hash').targets[0].expr;
    expect(errors).toContain(`sum by (rollouts_pod_template_hash) (rate(http_requests_total{${app},code=~"5.."}[$__rate_interval]))`);
    expect(errors.endsWith(`/\nsum by (rollouts_pod_template_hash) (${rate})`)).toBe(true);
    expect(panel('p95 latency by instance').targets[0].expr).toBe(
      `histogram_quantile(0.95, sum by (app_kubernetes_io_instance, le) (rate(http_request_duration_seconds_bucket{${app}}[$__rate_interval])))`,
    );
  });

  test('a canary instance sees the same app-wide dashboard', () => {
    const canary = JSON.stringify(json({ labels: { ...labels, instance: 'inventory-api-canary' } }).panels);
    expect(canary).toBe(JSON.stringify(json().panels));
  });

  test('panels sit two to a row, stable beside canary, a lone SLI panel across the row', () => {
    expect(json({ latency }).panels.map((p) => [p.id, p.gridPos])).toEqual(
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => [i + 1, { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 }]),
    );
    const alone = json().panels;
    expect(alone[0].gridPos).toEqual({ h: 8, w: 24, x: 0, y: 0 });
    expect(alone.slice(1).map((p) => [p.title, p.gridPos.x, p.gridPos.y])).toEqual([
      ['Error budget remaining', 0, 8],
      ['Burn rate', 12, 8],
      ['Request rate by instance', 0, 16],
      ['Request rate by pod template hash', 12, 16],
      ['Errors (5xx share) by instance', 0, 24],
      ['Errors (5xx share) by pod template hash', 12, 24],
      ['p95 latency by instance', 0, 32],
      ['p95 latency by pod template hash', 12, 32],
    ]);
  });

  test('the uid is short, stable and depends on the namespace and app only', () => {
    expect(json({ name: 'inventory-api-slo', title: 'Inventory' }).uid).toBe('slo-shop-inventory-api');
    const long = sloDashboardUid('shop-production-europe-west1', 'inventory-api-reservations');
    expect(long).toMatch(/^slo-shop-production-europe-west-[0-9a-f]{8}$/);
    expect(long).toHaveLength(40);
    // No doubled '-' where the cut falls after one.
    expect(sloDashboardUid('shop-production-europe-wes', 'inventory-api-reservations')).toMatch(/^slo-shop-production-europe-wes-[0-9a-f]{8}$/);
    expect(sloDashboardUid('shop-production-europe-west1', 'inventory-api-reservations')).toBe(long);
    expect(sloDashboardUid('shop-production-europe-west1', 'inventory-api-payments')).not.toBe(long);
    expect(sloDashboardUid('shop', 'inventory.api')).toMatch(/^slo-shop-inventory-api-[0-9a-f]{8}$/);
  });

  test('the same input gives the same JSON', () => {
    expect(synth({ latency })[0].data['inventory-api-slo.json']).toBe(synth({ latency })[0].data['inventory-api-slo.json']);
  });

  test('passes the upstream schema', () => {
    expect(validateObjects(synth({ latency }))).toEqual([]);
  });

  test('fails on the objectives AppSloRules rejects', () => {
    expect(() => synth({ availability: 1 })).toThrow('inventory-api-slo: availability (1) must be strictly between 0 and 1');
    expect(() => synth({ window: Duration.days(120) })).toThrow('inventory-api-slo: window (120d) must be a whole number of days from 7 to 90');
    expect(() => synth({ latency: { objective: 0.99, threshold: Duration.millis(0) } })).toThrow('latency.threshold (0ms) must be longer than zero');
  });
});
