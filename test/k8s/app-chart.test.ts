import { App } from 'cdk8s';
import { AppChart } from '../../lib/k8s/app-chart';
import { SYNC_WAVE_ANNOTATION } from '../../lib/k8s/sync-wave';
import { type AppInstance } from '../../lib/model/app-instance';
import { definePlatform, type Platform } from '../../lib/model/platform';
import { fixturePlatform, platformConfig } from '../fixtures/shop/platform';

type Manifest = {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any;  
};

const platform = fixturePlatform();

function instanceOf(p: Platform, envName: string, app: string): AppInstance {
  const env = p.environment(envName);
  const instance = env && p.instances(env).find((i) => i.app.name === app);
  if (!instance) throw new Error(`no ${app} in ${envName}`);
  return instance;
}

/** The objects of one app's chart in one environment, by `Kind/name`. */
function chartOf(envName: string, app: string, p: Platform = platform): Map<string, Manifest> {
  const chart = new AppChart(new App(), 'test', { instance: instanceOf(p, envName, app), platform: p });
  return new Map((chart.toJson() as Manifest[]).map((o) => [`${o.kind}/${o.metadata.name}`, o]));
}

function get(objects: Map<string, Manifest>, key: string): Manifest {
  const found = objects.get(key);
  if (!found) throw new Error(`no ${key} in ${[...objects.keys()].join(', ')}`);
  return found;
}

const kinds = (objects: Map<string, Manifest>): string[] => [...new Set([...objects.values()].map((o) => o.kind))].sort();

describe('AppChart', () => {
  test('a worker has no Service, Ingress or HTTP alerts, and is scraped through a PodMonitor', () => {
    const worker = chartOf('dev', 'worker');
    expect(kinds(worker)).toEqual(['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'PodMonitor', 'ServiceAccount']);
    expect(get(worker, 'PodMonitor/worker').spec.podMetricsEndpoints).toEqual([expect.objectContaining({ port: 'metrics' })]);
    // Nothing calls a worker, so its policy admits only Prometheus; it reaches the app it depends on.
    const policy = get(worker, 'NetworkPolicy/worker').spec;
    expect(policy.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ port: 9090, protocol: 'TCP' }] }]);
    expect(JSON.stringify(policy.egress)).toContain('"app.kubernetes.io/name":"inventory-api"');
  });

  test('a served app is a Deployment behind a Service, with a ServiceMonitor, HTTP alerts and a dashboard', () => {
    const api = chartOf('dev', 'inventory-api');
    expect(kinds(api)).toEqual(['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'PrometheusRule', 'Service', 'ServiceAccount', 'ServiceMonitor']);
    expect(get(api, 'Service/inventory-api').spec.selector).toEqual({ 'app.kubernetes.io/instance': 'inventory-api', 'app.kubernetes.io/name': 'inventory-api' });
    get(api, 'ServiceMonitor/inventory-api');
    get(api, 'ConfigMap/inventory-api-dashboard');
    // The database is migrated by an init container, and a failed migration alerts.
    expect(get(api, 'Deployment/inventory-api').spec.template.spec.initContainers.map((c: { name: string }) => c.name)).toEqual(['cloud-sql-proxy', 'migrate']);
    expect(JSON.stringify(get(api, 'PrometheusRule/inventory-api').spec)).toContain('kube_pod_init_container_status');
  });

  test('the KSA carries the Workload Identity the model gives the instance, and only an app with one gets it', () => {
    const instance = instanceOf(platform, 'prod', 'inventory-api');
    expect(instance.gcp.identity).toBeDefined();
    expect(get(chartOf('prod', 'inventory-api'), 'ServiceAccount/inventory-api').metadata.annotations).toMatchObject({
      'iam.gke.io/gcp-service-account': instance.gcp.identity?.email,
    });
    expect(instanceOf(platform, 'prod', 'worker').gcp.identity).toBeUndefined();
    expect(get(chartOf('prod', 'worker'), 'ServiceAccount/worker').metadata.annotations?.['iam.gke.io/gcp-service-account']).toBeUndefined();
  });

  test('a public app outside the mesh gets a GKE Ingress on its reserved static IP, its certificate and the HTTPS redirect', () => {
    const web = chartOf('dev', 'web');
    const ingress = get(web, 'Ingress/web');
    expect(ingress.spec.ingressClassName).toBeUndefined();
    expect(ingress.metadata.annotations).toMatchObject({
      'kubernetes.io/ingress.class': 'gce',
      'kubernetes.io/ingress.global-static-ip-name': instanceOf(platform, 'dev', 'web').gcp.staticIp?.name,
      'networking.gke.io/v1beta1.FrontendConfig': 'web',
    });
    expect(ingress.spec.tls).toEqual([{ hosts: ['www.dev.shop.example.com'], secretName: 'web-tls' }]);
    get(web, 'Certificate/web-tls');
    get(web, 'FrontendConfig/web');
    get(web, 'ExternalSecret/web-secrets');
    // The Google load balancer ranges reach the serving port.
    expect(JSON.stringify(get(web, 'NetworkPolicy/web').spec.ingress)).toContain('"cidr":"130.211.0.0/22"');
  });

  test('an internal app gets the internal load balancer class, reachable from the proxy-only subnet', () => {
    const admin = chartOf('stage', 'admin');
    expect(get(admin, 'Ingress/admin').metadata.annotations).toMatchObject({
      'kubernetes.io/ingress.class': 'gce-internal',
      'kubernetes.io/ingress.regional-static-ip-name': instanceOf(platform, 'stage', 'admin').gcp.staticIp?.name,
    });
    expect(get(admin, 'Ingress/admin').metadata.annotations?.['kubernetes.io/ingress.global-static-ip-name']).toBeUndefined();
    expect(admin.has('FrontendConfig/admin')).toBe(false);
    const proxyOnly = instanceOf(platform, 'stage', 'admin').env.clusterConfig.network.proxyOnlyCidr;
    expect(JSON.stringify(get(admin, 'NetworkPolicy/admin').spec.ingress)).toContain(`"cidr":"${proxyOnly}"`);
  });

  test('in production a canary app with a candidate is a Rollout sharing its Service and route with the candidate', () => {
    const api = chartOf('prod', 'inventory-api');
    expect(api.has('Deployment/inventory-api')).toBe(false);
    const rollout = get(api, 'Rollout/inventory-api');
    expect(rollout.spec.strategy.canary.analysis.templates).toEqual([{ templateName: 'inventory-api-analysis' }, { templateName: 'inventory-api-error-budget' }]);
    expect(rollout.spec.template.metadata.labels).toMatchObject({ track: 'stable' });
    get(api, 'AnalysisTemplate/inventory-api-analysis');
    get(api, 'AnalysisTemplate/inventory-api-error-budget');
    // The Service selects both tracks; the route sends the candidate its weight from the canary settings.
    expect(get(api, 'Service/inventory-api').spec.selector).toEqual({ 'app.kubernetes.io/name': 'inventory-api' });
    const [route] = get(api, 'VirtualService/inventory-api').spec.http;
    expect(route.route.map((r: { destination: { subset: string }; weight: number }) => [r.destination.subset, r.weight])).toEqual([['stable', 90], ['canary', 10]]);
    // Production watches the SLO; Cloud SQL and Redis stay outside the sidecar.
    get(api, 'PrometheusRule/inventory-api-slo');
    get(api, 'ConfigMap/inventory-api-slo-dashboard');
    expect(rollout.spec.template.metadata.annotations).toMatchObject({ 'traffic.sidecar.istio.io/excludeOutboundPorts': '6379' });
  });

  test('with no live candidate, production keeps the whole route', () => {
    const releases = { environments: { ...platformConfig.releases.environments, canary: { ...platformConfig.releases.environments.canary, canaryWeight: 0 } } };
    const api = chartOf('prod', 'inventory-api', definePlatform({ ...platformConfig, releases }));
    const [route] = get(api, 'VirtualService/inventory-api').spec.http;
    expect(route.route.map((r: { weight: number }) => r.weight)).toEqual([100, 0]);
  });

  test('the candidate in the canary environment gets its Rollout and comparison analysis, under its own names', () => {
    const candidate = chartOf('canary', 'inventory-api');
    const rollout = get(candidate, 'Rollout/inventory-api-canary');
    expect(rollout.metadata.namespace).toBe('shop-prod');
    expect(rollout.metadata.annotations).toMatchObject({ 'platform.shop/min-bake-time': '24h' });
    expect(rollout.spec.strategy.canary.steps).toEqual([{ setWeight: 100 }, { pause: { duration: '24h' } }]);
    // It runs production's error budget, which production's chart makes.
    expect(rollout.spec.strategy.canary.analysis.templates).toEqual([{ templateName: 'inventory-api-canary-analysis' }, { templateName: 'inventory-api-error-budget' }]);
    expect(candidate.has('AnalysisTemplate/inventory-api-error-budget')).toBe(false);
    get(candidate, 'AnalysisTemplate/inventory-api-canary-analysis');
    expect(rollout.spec.template.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'inventory-api', track: 'canary' });
    // Production's route reaches it: it has none of its own, and no SLO objects.
    expect(kinds(candidate)).not.toEqual(expect.arrayContaining(['VirtualService']));
    expect(kinds(candidate)).not.toContain('DestinationRule');
    expect([...candidate.keys()].filter((k) => k.endsWith('-slo'))).toEqual([]);
    for (const o of candidate.values()) expect(o.metadata.name).toMatch(/^inventory-api-canary(-|$)/);
  });

  test('an app whose traffic Rollouts shift through Istio enters through the gateway, with no GKE Ingress', () => {
    const web = chartOf('prod', 'web');
    expect(web.has('Ingress/web')).toBe(false);
    expect(web.has('Certificate/web-tls')).toBe(false);
    expect(get(web, 'Rollout/web').spec.strategy.canary.trafficRouting.istio.virtualService).toEqual({ name: 'web', routes: ['primary'] });
    expect(get(web, 'VirtualService/web').spec.gateways).toEqual(['mesh', 'istio-ingress/ingress-gateway']);
    expect(JSON.stringify(get(web, 'NetworkPolicy/web').spec.ingress)).toContain('"kubernetes.io/metadata.name":"istio-ingress"');
  });

  test('a blue-green app gets its preview Service beside the active one', () => {
    const admin = chartOf('prod', 'admin');
    expect(get(admin, 'Rollout/admin').spec.strategy.blueGreen).toMatchObject({ activeService: 'admin', previewService: 'admin-preview', autoPromotionEnabled: false });
    expect(get(admin, 'Service/admin-preview').spec.selector).toEqual(get(admin, 'Service/admin').spec.selector);
  });

  test('an app that opts out of progressive delivery stays a Deployment in production', () => {
    const worker = chartOf('prod', 'worker');
    get(worker, 'Deployment/worker');
    expect(kinds(worker)).not.toContain('Rollout');
    expect(kinds(worker)).not.toContain('AnalysisTemplate');
  });

  test('every object is in the environment\'s namespace and has its sync wave', () => {
    for (const [env, app] of [['dev', 'web'], ['prod', 'inventory-api'], ['canary', 'inventory-api']]) {
      const namespace = instanceOf(platform, env, app).env.namespace;
      for (const [key, o] of chartOf(env, app)) {
        expect([env, key, o.metadata.namespace]).toEqual([env, key, namespace]);
        expect([env, key, o.metadata.annotations?.[SYNC_WAVE_ANNOTATION]]).toEqual([env, key, expect.stringMatching(/^\d$/)]);
      }
    }
  });
});
