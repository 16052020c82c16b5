import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { type DeliveryContext, type DeliveryPlan, planDelivery } from '../../../lib/k8s/delivery/app-delivery';
import { applySyncWaves, SYNC_WAVE_ANNOTATION, SyncWave } from '../../../lib/k8s/sync-wave';
import { type AppInstance } from '../../../lib/model/app-instance';
import { type InstanceDelivery } from '../../../lib/model/delivery';
import { definePlatform, type Platform } from '../../../lib/model/platform';
import { fixturePlatform } from '../../fixtures/shop/platform';
import { mapApp } from '../../helpers';

type Manifest = {
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec?: any;  
};

const platform = fixturePlatform();

function instanceOf(envName: string, app: string, p: Platform = platform): AppInstance {
  const env = p.environment(envName);
  const instance = env && p.instances(env).find((i) => i.app.name === app);
  if (!instance) throw new Error(`no ${app} in ${envName}`);
  return instance;
}

/** What AppChart tells the planner about an instance. */
function contextOf(instance: AppInstance, p: Platform = platform): DeliveryContext {
  const { app, env } = instance;
  const exposure = app.exposure;
  return {
    name: instance.name,
    labels: { app: app.name, instance: instance.name, partOf: p.name, version: instance.image.tag, track: instance.track },
    namespace: env.namespace,
    prometheusUrl: p.addons.prometheusUrl,
    hasSlo: app.slo !== undefined,
    servingPort: exposure.type === 'none' ? undefined : app.ports.find((port) => port.name === exposure.port)?.port,
    host: instance.host,
    istioGateway: env.mesh?.istioGateway,
  };
}

interface Planned {
  readonly plan: DeliveryPlan;
  /** The objects the plan made, and those its traffic function makes once there is a Service. */
  readonly objects: () => Map<string, Manifest>;
}

/** Plans one delivery in a chart of its own; `route` also runs the plan's traffic function. */
function planOf(ctx: DeliveryContext, delivery: InstanceDelivery, route = false): Planned {
  const chart = new Chart(new App(), 'test', { namespace: ctx.namespace, disableResourceNameHashes: true });
  const plan = planDelivery(chart, ctx, delivery);
  if (route && plan.traffic) {
    const service = new kplus.Service(chart, 'Service', { metadata: { name: ctx.name }, ports: [{ port: ctx.servingPort ?? 80 }] });
    plan.traffic(chart, service);
  }
  // As AppChart does: the waves of the plan's objects, and the overrides it set.
  applySyncWaves(chart);
  const objects = () => new Map((chart.toJson() as Manifest[]).filter((o) => o.kind !== 'Service').map((o) => [`${o.kind}/${o.metadata.name}`, o]));
  return { plan, objects };
}

const planned = (envName: string, app: string, route = false, p: Platform = platform): Planned => {
  const instance = instanceOf(envName, app, p);
  return planOf(contextOf(instance, p), instance.delivery, route);
};

function get(objects: Map<string, Manifest>, key: string): Manifest {
  const found = objects.get(key);
  if (!found) throw new Error(`no ${key} in ${[...objects.keys()].join(', ')}`);
  return found;
}

const templateNames = (analysis: { templates?: { templateName?: string }[] } | undefined): (string | undefined)[] => (analysis?.templates ?? []).map((t) => t.templateName);

describe('planDelivery', () => {
  test('rolling: a Deployment as it is, with no Rollout, analysis or route', () => {
    const { plan, objects } = planned('prod', 'worker');
    expect(instanceOf('prod', 'worker').delivery.type).toBe('rolling');
    expect(plan).toEqual({});
    expect(objects().size).toBe(0);
  });

  test('canary with a candidate: a weighted Rollout analysed in the background, and the route it shares with the candidate', () => {
    const { plan, objects } = planned('prod', 'inventory-api', true);
    const canary = plan.rollout?.toArgo().canary;
    expect(canary?.steps?.filter((s) => s.setWeight !== undefined).map((s) => s.setWeight)).toEqual([10, 25, 50, 75, 100]);
    expect(canary?.trafficRouting).toBeUndefined();
    expect(templateNames(canary?.analysis)).toEqual(['inventory-api-analysis', 'inventory-api-error-budget']);
    expect(canary?.analysis?.args).toEqual([{ name: 'pod-template-hash', valueFrom: { podTemplateHashValue: 'Latest' } }]);
    // The Service reaches both tracks; the subsets tell them apart.
    expect(plan.serviceSelector).toEqual({ 'app.kubernetes.io/name': 'inventory-api' });
    const made = objects();
    expect([...made.keys()].sort()).toEqual([
      'AnalysisTemplate/inventory-api-analysis',
      'AnalysisTemplate/inventory-api-error-budget',
      'DestinationRule/inventory-api',
      'VirtualService/inventory-api',
    ]);
    expect(get(made, 'DestinationRule/inventory-api').spec.subsets).toEqual([
      { name: 'stable', labels: { track: 'stable' } },
      { name: 'canary', labels: { track: 'canary' } },
    ]);
    const [route] = get(made, 'VirtualService/inventory-api').spec.http;
    expect(route.route.map((r: { destination: { subset: string }; weight: number }) => [r.destination.subset, r.weight])).toEqual([['stable', 90], ['canary', 10]]);
  });

  test('canary without a canary environment: weighted by replicas, no shared route', () => {
    const solo = definePlatform(mapApp('inventory-api', (a) => ({ ...a, delivery: { strategy: { type: 'canary' }, canaryEnvironment: false } })));
    const { plan } = planned('prod', 'inventory-api', false, solo);
    expect(plan.rollout?.toArgo().canary).toBeDefined();
    expect(plan.serviceSelector).toBeUndefined();
    expect(plan.traffic).toBeUndefined();
  });

  test('rolloutIstio: the Rollout manages the primary route, which syncs before it and takes the external host through the gateway', () => {
    const { plan, objects } = planned('prod', 'web', true);
    expect(plan.rollout?.toArgo().canary?.trafficRouting?.istio).toEqual({
      virtualService: { name: 'web', routes: ['primary'] },
      destinationRule: { name: 'web', stableSubsetName: 'stable', canarySubsetName: 'canary' },
    });
    const made = objects();
    const rule = get(made, 'DestinationRule/web');
    // Both subsets select the app's pods; Argo Rollouts adds each version's template hash.
    expect(rule.spec.subsets.map((s: { labels: Record<string, string> }) => s.labels)).toEqual([
      { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' },
      { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' },
    ]);
    const route = get(made, 'VirtualService/web');
    expect(route.spec.hosts).toEqual(['web', 'www.shop.example.com']);
    expect(route.spec.gateways).toEqual(['mesh', 'istio-ingress/ingress-gateway']);
    for (const o of [rule, route]) expect(o.metadata.annotations?.[SYNC_WAVE_ANNOTATION]).toBe(String(SyncWave.CONFIG));
  });

  test('blueGreen: a preview Service, and a gate whose every metric takes a fixed number of measurements', () => {
    const { plan, objects } = planned('prod', 'admin');
    expect(plan.previewServiceName).toBe('admin-preview');
    expect(plan.traffic).toBeUndefined();
    const blueGreen = plan.rollout?.toArgo().blueGreen;
    expect(blueGreen).toMatchObject({ activeService: 'admin', previewService: 'admin-preview', autoPromotionEnabled: false });
    expect(templateNames(blueGreen?.prePromotionAnalysis)).toEqual(['admin-analysis', 'admin-error-budget']);
    for (const [key, o] of objects()) {
      for (const metric of o.spec.metrics as { count?: number }[]) expect([key, metric.count]).toEqual([key, 10]);
    }
  });

  test('candidate: one replica\'s worth of traffic, then a bake under comparison with production and its error budget', () => {
    const { plan, objects } = planned('canary', 'inventory-api');
    const canary = plan.rollout?.toArgo().canary;
    expect(canary?.steps).toEqual([{ setWeight: 100 }, { pause: { duration: '24h' } }]);
    expect(templateNames(canary?.analysis)).toEqual(['inventory-api-canary-analysis', 'inventory-api-error-budget']);
    expect(plan.workloadAnnotations).toEqual({ 'platform.shop/min-bake-time': '24h' });
    expect(plan.traffic).toBeUndefined();
    // Only the comparison is its own: production makes the error-budget template.
    const made = objects();
    expect([...made.keys()]).toEqual(['AnalysisTemplate/inventory-api-canary-analysis']);
    const queries = JSON.stringify(get(made, 'AnalysisTemplate/inventory-api-canary-analysis').spec);
    expect(queries).toContain('app_kubernetes_io_instance=\\"inventory-api-canary\\"');
    expect(queries).toContain('app_kubernetes_io_instance=\\"inventory-api\\"');
  });

  test('candidate with no bake time and no SLO: no pause, and the comparison alone', () => {
    const instance = instanceOf('canary', 'inventory-api');
    if (instance.delivery.type !== 'candidate') throw new Error('not a candidate');
    const { plan } = planOf({ ...contextOf(instance), hasSlo: false }, { ...instance.delivery, bakeTime: Duration.seconds(0) });
    const canary = plan.rollout?.toArgo().canary;
    expect(canary?.steps).toEqual([{ setWeight: 100 }]);
    expect(templateNames(canary?.analysis)).toEqual(['inventory-api-canary-analysis']);
  });

  test('without an SLO, production\'s Rollout runs its release analysis alone', () => {
    const instance = instanceOf('prod', 'web');
    const { plan, objects } = planOf({ ...contextOf(instance), hasSlo: false }, instance.delivery);
    expect(templateNames(plan.rollout?.toArgo().canary?.analysis)).toEqual(['web-analysis']);
    expect([...objects().keys()]).toEqual(['AnalysisTemplate/web-analysis']);
  });

  test('a route needs the port the app serves on', () => {
    const instance = instanceOf('prod', 'inventory-api');
    const ctx = { ...contextOf(instance), servingPort: undefined };
    expect(() => planOf(ctx, instance.delivery, true)).toThrow(
      'inventory-api: an Istio route needs the port the app serves on; fix: give the app an exposure with a port',
    );
  });
});
