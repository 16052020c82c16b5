import { load } from 'js-yaml';
import { fixturePlatform } from '../fixtures/shop/platform';
import { synthPlatform } from '../../lib/pipeline/synth';
import { SYNC_WAVE_ANNOTATION, SyncWave } from '../../lib/k8s/sync-wave';
import { definePlatform } from '../../lib/model/platform';
import { mapApp } from '../helpers';

type Json = Record<string, unknown>;
interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Json;
}
interface OutputObject {
  readonly path: string;
  /** The directory under kubernetes/: `prod`, `clusters/prod`, `argocd`. */
  readonly dir: string;
  readonly object: KubeObject;
}
interface Route {
  name?: string;
  route: { destination: { host: string; subset?: string; port?: { number: number } }; weight?: number }[];
}
interface AnalysisRef {
  templates?: { templateName: string }[];
}

function at(value: unknown, ...keys: string[]): unknown {
  let cursor = value;
  for (const key of keys) cursor = cursor !== null && typeof cursor === 'object' ? (cursor as Json)[key] : undefined;
  return cursor;
}

/** The whole output of the fixture platform: every Kubernetes object, with the directory it is written to. */
const objects: OutputObject[] = synthPlatform(fixturePlatform())
  .files.filter((f) => f.path.startsWith('kubernetes/') && f.path.endsWith('.yaml'))
  .map((f) => ({ path: f.path, dir: f.path.slice('kubernetes/'.length, f.path.lastIndexOf('/')), object: load(f.content) as KubeObject }));

const applications = objects.filter((o) => o.object.kind === 'Application');
const find = (dir: string, kind: string, name: string): KubeObject => {
  const found = objects.find((o) => o.dir === dir && o.object.kind === kind && o.object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in ${dir}`);
  return found.object;
};
const ofKind = (kind: string) => objects.filter((o) => o.object.kind === kind);

/** The ArgoCD Application that syncs a directory. */
function ownersOf(dir: string): KubeObject[] {
  return applications.filter((a) => at(a.object.spec, 'source', 'path') === `kubernetes/${dir}`).map((a) => a.object);
}

/** Objects two Applications on the same cluster would both apply: apiVersion, kind, namespace and name. */
export function ownershipCollisions(output: readonly OutputObject[]): string[] {
  const seen = new Map<string, string>();
  const collisions: string[] = [];
  for (const o of output) {
    const owner = applications.find((a) => at(a.object.spec, 'source', 'path') === `kubernetes/${o.dir}`);
    // The in-cluster address is the cluster of the Argo CD instance whose directory holds the Application.
    const server = `${String(at(owner?.object.spec, 'destination', 'server'))}@${owner?.dir.split('/')[1] ?? ''}`;
    const m = o.object.metadata;
    const key = [server, o.object.apiVersion, o.object.kind, m.namespace ?? '', m.name].join(' ');
    const first = seen.get(key);
    if (first !== undefined && first !== o.dir) collisions.push(`${key}: ${first} and ${o.dir}`);
    seen.set(key, o.dir);
  }
  return collisions;
}

describe('ownership', () => {
  test('every object is owned by exactly one ArgoCD Application', () => {
    // Each instance's bootstrap directory too: applied once by hand, then kept by its bootstrap Application.
    const dirs = new Set(objects.map((o) => o.dir));
    for (const dir of dirs) expect([dir, ownersOf(dir).length]).toEqual([dir, 1]);
  });

  test('no two Applications that target the same cluster emit the same apiVersion, kind, namespace and name', () => {
    // The canary and prod Applications both deploy to the prod cluster's shop-prod namespace.
    const servers = (dir: string) => ownersOf(dir).map((a) => at(a.spec, 'destination', 'server'));
    expect(servers('canary')).toEqual(servers('prod'));
    expect(ownershipCollisions(objects)).toEqual([]);
  });

  test('the invariant check catches an object that both the canary and prod would apply', () => {
    const service = objects.find((o) => o.dir === 'prod' && o.object.kind === 'Service');
    if (!service) throw new Error('no prod Service');
    const copy: OutputObject = { ...service, dir: 'canary', path: service.path.replace('/prod/', '/canary/') };
    expect(ownershipCollisions([...objects, copy])).toEqual([expect.stringContaining(`Service shop-prod ${service.object.metadata.name}: prod and canary`)]);
  });

  test('the canary environment shares no object with prod: every name it emits is its own', () => {
    const canary = objects.filter((o) => o.dir === 'canary');
    expect(canary.length).toBeGreaterThan(0);
    for (const o of canary) expect(o.object.metadata.name).toMatch(/^inventory-api-canary(-|$)/);
  });
});

describe('traffic in production', () => {
  const virtualServices = ofKind('VirtualService');
  const destinationRules = ofKind('DestinationRule');

  test('the prod Service of a shared route selects every track; each subset selects one track', () => {
    const service = find('prod', 'Service', 'inventory-api');
    expect(at(service.spec, 'selector')).toEqual({ 'app.kubernetes.io/name': 'inventory-api' });
    const rule = find('prod', 'DestinationRule', 'inventory-api');
    expect(at(rule.spec, 'subsets')).toEqual([
      { name: 'stable', labels: { track: 'stable' } },
      { name: 'canary', labels: { track: 'canary' } },
    ]);
    const podLabels = (dir: string, name: string) => at(find(dir, 'Rollout', name).spec, 'template', 'metadata', 'labels') as Record<string, string>;
    expect(podLabels('prod', 'inventory-api')).toMatchObject({ 'app.kubernetes.io/name': 'inventory-api', track: 'stable' });
    expect(podLabels('canary', 'inventory-api-canary')).toMatchObject({ 'app.kubernetes.io/name': 'inventory-api', track: 'canary' });
  });

  test('weights come from the canary setting, 10%, and always sum to 100', () => {
    expect(virtualServices.length).toBeGreaterThan(0);
    for (const vs of virtualServices) {
      for (const route of at(vs.object.spec, 'http') as Route[]) {
        const sum = route.route.reduce((total, r) => total + (r.weight ?? 0), 0);
        expect([vs.path, sum]).toEqual([vs.path, 100]);
      }
    }
    const [route] = at(find('prod', 'VirtualService', 'inventory-api').spec, 'http') as Route[];
    expect(route.route.map((r) => [r.destination.subset, r.weight])).toEqual([['stable', 90], ['canary', 10]]);
  });

  test('every subset a VirtualService or Rollout refers to exists in its DestinationRule', () => {
    for (const vs of virtualServices) {
      for (const route of at(vs.object.spec, 'http') as Route[]) {
        for (const { destination } of route.route) {
          const rule = destinationRules.find((d) => d.dir === vs.dir && at(d.object.spec, 'host') === destination.host);
          const subsets = ((at(rule?.object.spec, 'subsets') ?? []) as { name: string }[]).map((s) => s.name);
          expect([vs.path, destination.subset, subsets.includes(destination.subset ?? '')]).toEqual([vs.path, destination.subset, true]);
        }
      }
    }
    for (const rollout of ofKind('Rollout')) {
      const istio = at(rollout.object.spec, 'strategy', 'canary', 'trafficRouting', 'istio') as Json | undefined;
      if (!istio) continue;
      const rule = find(rollout.dir, 'DestinationRule', String(at(istio, 'destinationRule', 'name')));
      const subsets = (at(rule.spec, 'subsets') as { name: string }[]).map((s) => s.name);
      expect(subsets).toEqual(expect.arrayContaining([at(istio, 'destinationRule', 'stableSubsetName'), at(istio, 'destinationRule', 'canarySubsetName')]));
      const vs = find(rollout.dir, 'VirtualService', String(at(istio, 'virtualService', 'name')));
      const routes = (at(vs.spec, 'http') as Route[]).map((r) => r.name);
      expect(routes).toEqual(expect.arrayContaining(at(istio, 'virtualService', 'routes') as string[]));
      // Argo Rollouts manages a route only with exactly two destinations.
      for (const r of at(vs.spec, 'http') as Route[]) expect(r.route).toHaveLength(2);
    }
  });

  test('public hosts whose traffic Istio splits enter through the Istio gateway, with no GKE Ingress beside it', () => {
    const vs = find('prod', 'VirtualService', 'web');
    expect(at(vs.spec, 'gateways')).toEqual(['mesh', 'istio-ingress/ingress-gateway']);
    expect(at(vs.spec, 'hosts')).toEqual(['web', 'www.shop.example.com']);
    expect(objects.some((o) => o.dir === 'prod' && o.object.kind === 'Ingress' && o.object.metadata.name === 'web')).toBe(false);
    expect(objects.some((o) => o.dir === 'stage' && o.object.kind === 'Ingress' && o.object.metadata.name === 'web')).toBe(true);
    // A cluster-only app is routed inside the mesh only.
    expect(at(find('prod', 'VirtualService', 'inventory-api').spec, 'gateways')).toEqual(['mesh']);
  });

  test('the production namespace is in the mesh and its pods may reach istiod', () => {
    expect(find('prod', 'Namespace', 'shop-prod').metadata.labels).toMatchObject({ 'istio-injection': 'enabled' });
    expect(find('stage', 'Namespace', 'shop-stage').metadata.labels?.['istio-injection']).toBeUndefined();
    const policy = find('prod', 'NetworkPolicy', 'allow-istiod');
    expect(JSON.stringify(policy.spec)).toContain('"kubernetes.io/metadata.name":"istio-system"');
    expect(JSON.stringify(policy.spec)).toContain('"port":15012');
  });
});

describe('Rollouts', () => {
  const rollouts = ofKind('Rollout');
  const strategy = (dir: string, name: string) => at(find(dir, 'Rollout', name).spec, 'strategy') as Json;

  test('each app has its strategy: canary environment, rolloutIstio, blueGreen, rolling', () => {
    expect(at(strategy('prod', 'inventory-api'), 'canary', 'trafficRouting')).toBeUndefined();
    expect(at(strategy('prod', 'web'), 'canary', 'trafficRouting', 'istio', 'virtualService')).toEqual({ name: 'web', routes: ['primary'] });
    expect(at(strategy('prod', 'admin'), 'blueGreen')).toMatchObject({ activeService: 'admin', previewService: 'admin-preview', autoPromotionEnabled: false });
    find('prod', 'Service', 'admin-preview');
    find('prod', 'Deployment', 'worker');
    expect(rollouts.filter((r) => r.dir === 'prod').map((r) => r.object.metadata.name).sort()).toEqual(['admin', 'inventory-api', 'web']);
    for (const dir of ['dev', 'stage']) expect(rollouts.filter((r) => r.dir === dir)).toEqual([]);
  });

  test('the steps of every prod canary Rollout are strictly increasing and end at 100', () => {
    const prodCanaries = rollouts.filter((r) => r.dir === 'prod' && at(r.object.spec, 'strategy', 'canary'));
    expect(prodCanaries).toHaveLength(2);
    for (const r of prodCanaries) {
      const weights = (at(r.object.spec, 'strategy', 'canary', 'steps') as Json[]).filter((s) => 'setWeight' in s).map((s) => s.setWeight as number);
      expect([r.path, weights]).toEqual([r.path, [10, 25, 50, 75, 100]]);
      expect(at(r.object.spec, 'strategy', 'canary', 'analysis', 'startingStep')).toBe(0);
    }
  });

  test('every analysis template a Rollout names exists in its namespace on its cluster', () => {
    const server = (dir: string) => at(ownersOf(dir)[0]?.spec, 'destination', 'server');
    const refs = (s: Json): AnalysisRef[] =>
      [at(s, 'canary', 'analysis'), at(s, 'blueGreen', 'prePromotionAnalysis'), at(s, 'blueGreen', 'postPromotionAnalysis')].filter(Boolean) as AnalysisRef[];
    let checked = 0;
    for (const r of rollouts) {
      for (const ref of refs(at(r.object.spec, 'strategy') as Json)) {
        for (const { templateName } of ref.templates ?? []) {
          const template = ofKind('AnalysisTemplate').find(
            (t) => server(t.dir) === server(r.dir) && t.object.metadata.namespace === r.object.metadata.namespace && t.object.metadata.name === templateName,
          );
          expect([r.path, templateName, template !== undefined]).toEqual([r.path, templateName, true]);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });

  test('every Rollout of an app with an SLO runs the app\'s error-budget template, the candidate\'s included', () => {
    const templates = (dir: string, name: string) => {
      const s = strategy(dir, name);
      return ((at(s, 'canary', 'analysis', 'templates') ?? at(s, 'blueGreen', 'prePromotionAnalysis', 'templates')) as { templateName: string }[]).map((t) => t.templateName);
    };
    expect(templates('prod', 'inventory-api')).toEqual(['inventory-api-analysis', 'inventory-api-error-budget']);
    expect(templates('canary', 'inventory-api-canary')).toEqual(['inventory-api-canary-analysis', 'inventory-api-error-budget']);
    expect(templates('prod', 'web')).toEqual(['web-analysis', 'web-error-budget']);
    expect(templates('prod', 'admin')).toEqual(['admin-analysis', 'admin-error-budget']);
  });

  test('analysis queries select the app\'s own labels and namespace', () => {
    const templates = ofKind('AnalysisTemplate');
    expect(templates.length).toBeGreaterThanOrEqual(7);
    for (const t of templates) {
      const labels = t.object.metadata.labels ?? {};
      const namespace = t.object.metadata.namespace ?? '';
      for (const metric of at(t.object.spec, 'metrics') as Json[]) {
        const query = String(at(metric, 'provider', 'prometheus', 'query'));
        expect([t.path, query]).toEqual([t.path, expect.stringContaining(`namespace="${namespace}"`)]);
        const own = query.includes(`app_kubernetes_io_instance="${labels['app.kubernetes.io/instance']}"`) || query.includes(`app_kubernetes_io_name="${labels['app.kubernetes.io/name']}"`);
        expect([t.path, metric.name, own]).toEqual([t.path, metric.name, true]);
        expect(metric.interval).toBe('30s');
      }
    }
    // The candidate is compared with the production workload it runs beside.
    const comparison = JSON.stringify(find('canary', 'AnalysisTemplate', 'inventory-api-canary-analysis').spec);
    expect(comparison).toContain('app_kubernetes_io_instance=\\"inventory-api-canary\\"');
    expect(comparison).toContain('app_kubernetes_io_instance=\\"inventory-api\\"');
  });

  test('the candidate runs one replica and scales like production, bakes for the configured time and shows it as an annotation', () => {
    const candidate = find('canary', 'Rollout', 'inventory-api-canary');
    expect(at(find('canary', 'HorizontalPodAutoscaler', 'inventory-api-canary').spec, 'minReplicas')).toBe(1);
    expect(at(find('canary', 'HorizontalPodAutoscaler', 'inventory-api-canary').spec, 'maxReplicas')).toBe(10);
    expect(candidate.metadata.annotations).toMatchObject({ 'platform.shop/min-bake-time': '24h' });
    expect(at(candidate.spec, 'strategy', 'canary', 'steps')).toEqual([{ setWeight: 100 }, { pause: { duration: '24h' } }]);
    find('canary', 'ConfigMap', 'inventory-api-canary-config');
  });

  test('autoscalers scale the Rollout, not a Deployment that is not there', () => {
    for (const name of ['inventory-api', 'web', 'admin']) {
      expect(at(find('prod', 'HorizontalPodAutoscaler', name).spec, 'scaleTargetRef')).toEqual({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name });
    }
  });
});

describe('error budgets', () => {
  test('each served app in prod has burn-rate and budget alerts, a budget template and an SLO dashboard', () => {
    for (const app of ['inventory-api', 'web', 'admin']) {
      const rule = JSON.stringify(find('prod', 'PrometheusRule', `${app}-slo`).spec);
      expect(rule).toContain('slo:error_budget_remaining:ratio');
      for (const severity of ['critical', 'warning', 'emergency']) expect(rule).toContain(`"severity":"${severity}"`);
      find('prod', 'AnalysisTemplate', `${app}-error-budget`);
      expect(find('prod', 'ConfigMap', `${app}-slo-dashboard`).metadata.labels).toMatchObject({ grafana_dashboard: '1' });
    }
    expect(objects.some((o) => o.object.metadata.name === 'worker-slo')).toBe(false);
    expect(objects.some((o) => ['dev', 'stage', 'canary'].includes(o.dir) && o.object.metadata.name.endsWith('-slo'))).toBe(false);
  });
});

describe('ArgoCD', () => {
  test('the prod Application ignores the fields Argo Rollouts changes, and respects that at sync', () => {
    const app = find('argocd/prod', 'Application', 'app-prod');
    expect(at(app.spec, 'ignoreDifferences')).toEqual(
      expect.arrayContaining([
        { group: 'networking.istio.io', kind: 'VirtualService', name: 'web', namespace: 'shop-prod', jqPathExpressions: ['.spec.http[].route[].weight'] },
        { group: '', kind: 'Service', name: 'admin-preview', namespace: 'shop-prod', jqPathExpressions: ['.spec.selector["rollouts-pod-template-hash"]'] },
      ]),
    );
    // Production writes the shared route's weights itself: ArgoCD must keep them as written.
    expect(JSON.stringify(at(app.spec, 'ignoreDifferences'))).not.toContain('"name":"inventory-api"');
    expect(at(app.spec, 'syncPolicy', 'syncOptions')).toContain('RespectIgnoreDifferences=true');
    // Stage ignores only the HTTP-01 solver's path on its public Ingress (test/validate/traffic-controllers.test.ts).
    expect(at(find('argocd/nonprod', 'Application', 'app-stage').spec, 'ignoreDifferences')).toEqual([expect.objectContaining({ kind: 'Ingress', name: 'web' })]);
  });

  test('sync waves: baseline, then config and analysis, then workloads, then traffic; a route a Rollout manages comes before it', () => {
    const wave = (dir: string, kind: string, name: string) => Number(find(dir, kind, name).metadata.annotations?.[SYNC_WAVE_ANNOTATION]);
    expect(wave('prod', 'AnalysisTemplate', 'web-analysis')).toBe(SyncWave.CONFIG);
    expect(wave('prod', 'Rollout', 'web')).toBe(SyncWave.WORKLOAD);
    // Argo Rollouts holds a Rollout invalid until the route it manages exists.
    expect(wave('prod', 'VirtualService', 'web')).toBe(SyncWave.CONFIG);
    expect(wave('prod', 'DestinationRule', 'web')).toBe(SyncWave.CONFIG);
    expect(wave('prod', 'VirtualService', 'inventory-api')).toBe(SyncWave.TRAFFIC);
    expect(wave('prod', 'DestinationRule', 'inventory-api')).toBe(SyncWave.TRAFFIC);
    expect(wave('prod', 'NetworkPolicy', 'allow-istiod')).toBe(SyncWave.BASELINE);
  });
});

describe('review fixes', () => {
  test('blue-green gates end: every metric of its pre-promotion templates takes a fixed number of measurements', () => {
    for (const name of ['admin-analysis', 'admin-error-budget']) {
      for (const metric of at(find('prod', 'AnalysisTemplate', name).spec, 'metrics') as Json[]) expect([name, metric.count]).toEqual([name, 10]);
    }
    // Background analysis runs until the Rollout ends it.
    for (const name of ['web-analysis', 'web-error-budget', 'inventory-api-analysis']) {
      for (const metric of at(find('prod', 'AnalysisTemplate', name).spec, 'metrics') as Json[]) expect([name, metric.count]).toEqual([name, undefined]);
    }
  });

  test('pods in the mesh reach Redis past the sidecar; the database proxy runs as Istio\'s UID, which Istio never redirects', () => {
    const annotations = (dir: string, name: string) => at(find(dir, 'Rollout', name).spec, 'template', 'metadata', 'annotations') as Record<string, string>;
    expect(annotations('prod', 'inventory-api')['traffic.sidecar.istio.io/excludeOutboundPorts']).toBe('6379');
    expect(annotations('canary', 'inventory-api-canary')['traffic.sidecar.istio.io/excludeOutboundPorts']).toBe('6379');
    const proxy = (at(find('canary', 'Rollout', 'inventory-api-canary').spec, 'template', 'spec', 'initContainers') as Json[])[0];
    expect(at(proxy, 'securityContext', 'runAsUser')).toBe(1337);
    const stage = at(find('stage', 'Deployment', 'inventory-api').spec, 'template', 'metadata', 'annotations') as Record<string, string>;
    expect(stage['traffic.sidecar.istio.io/excludeOutboundPorts']).toBeUndefined();
  });
});

describe('a public app through the canary environment', () => {
  const platform = definePlatform(mapApp('web', (a) => ({ ...a, delivery: { strategy: { type: 'canary' } } })));
  const files = synthPlatform(platform).files.filter((f) => f.path.startsWith('kubernetes/canary/'));

  test('the candidate takes its share of production\'s host through the gateway: no Ingress or certificate of its own', () => {
    const names = files.map((f) => f.path.split('/').pop());
    expect(names).toContain('rollout-web-canary.yaml');
    expect(names.filter((n) => /^(ingress|certificate|frontendconfig)-web-canary/.test(n ?? ''))).toEqual([]);
    const policy = load(files.find((f) => f.path.endsWith('networkpolicy-web-canary.yaml'))?.content ?? '') as KubeObject;
    expect(JSON.stringify(policy.spec)).toContain('"kubernetes.io/metadata.name":"istio-ingress"');
  });
});
