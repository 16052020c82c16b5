import { load } from 'js-yaml';
import { fixturePlatform } from '../fixtures/shop/platform';
import { synthPlatform } from '../../lib/pipeline/synth';
import { SYNC_WAVE_ANNOTATION, SyncWave } from '../../lib/k8s/sync-wave';

interface Container {
  name: string;
  image: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { runAsNonRoot?: boolean; readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean; capabilities?: { drop?: string[] } };
  livenessProbe?: unknown;
  readinessProbe?: unknown;
  startupProbe?: unknown;
  restartPolicy?: string;
}
interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: {
    replicas?: number;
    minReplicas?: number;
    type?: string;
    ingressClassName?: string;
    gateways?: string[];
    scaleTargetRef?: { apiVersion?: string; kind?: string; name?: string };
    selector?: { matchLabels?: Record<string, string> };
    template?: { spec: { containers: Container[]; initContainers?: Container[] } };
  };
  data?: unknown;
  stringData?: unknown;
}

/** The whole output of the fixture platform, every environment, every object. */
const platform = fixturePlatform();
const objects = synthPlatform(platform)
  .files.filter((f) => f.path.startsWith('kubernetes/') && f.path.endsWith('.yaml'))
  .map((f) => ({ path: f.path, env: f.path.split('/')[1], object: load(f.content) as KubeObject }));
const workloads = objects.filter((o) => o.object.kind === 'Deployment' || o.object.kind === 'Rollout');

describe('policy over all the output', () => {
  test('the output has workloads in every environment', () => {
    expect(new Set(workloads.map((w) => w.env))).toEqual(new Set(['dev', 'stage', 'canary', 'prod']));
  });

  test('every container has probes, requests and limits, runs non-root on a read-only root filesystem, and has a pinned image', () => {
    for (const { path, object } of workloads) {
      const spec = object.spec?.template?.spec;
      const containers = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])];
      expect(containers.length).toBeGreaterThan(0);
      for (const c of containers) {
        const where = `${path} ${c.name}`;
        expect([where, c.resources?.requests?.cpu, c.resources?.requests?.memory, c.resources?.limits?.cpu, c.resources?.limits?.memory].every(Boolean)).toBe(true);
        expect([where, c.securityContext]).toEqual([where, expect.objectContaining({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } })]);
        // The app's images carry release tags; the Cloud SQL Auth Proxy is pinned to its own version.
        expect([where, c.image]).toEqual([where, expect.stringMatching(/^[a-z0-9.-]+\/[^:@\s]+:v?\d+\.\d+\.\d+(@sha256:[0-9a-f]{64})?$/)]);
        expect(c.image).not.toMatch(/:latest\b/);
      }
      const app = spec?.containers.find((c) => c.name === 'app');
      expect([path, Boolean(app?.livenessProbe && app.readinessProbe && app.startupProbe)]).toEqual([path, true]);
    }
  });

  test('production delivers the served apps as Argo Rollouts, the worker as a Deployment; the other environments run Deployments', () => {
    const kinds = (env: string): string[] => workloads.filter((w) => w.env === env).map((w) => `${w.object.kind}/${w.object.metadata.name}`).sort();
    expect(kinds('prod')).toEqual(['Deployment/worker', 'Rollout/admin', 'Rollout/inventory-api', 'Rollout/web']);
    expect(kinds('canary')).toEqual(['Rollout/inventory-api-canary']);
    for (const env of ['dev', 'stage']) expect(kinds(env).every((k) => k.startsWith('Deployment/'))).toBe(true);
    for (const { env, object } of workloads) {
      const hpa = objects.find((o) => o.env === env && o.object.kind === 'HorizontalPodAutoscaler' && o.object.spec?.scaleTargetRef?.name === object.metadata.name);
      if (hpa) expect([env, hpa.object.spec?.scaleTargetRef]).toEqual([env, { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name }]);
    }
  });

  test('every replicated production workload has a PodDisruptionBudget that selects it', () => {
    const prodWorkloads = workloads.filter((w) => w.env === 'prod');
    expect(prodWorkloads.length).toBe(platform.apps.length);
    for (const { object } of prodWorkloads) {
      const hpa = objects.find((o) => o.env === 'prod' && o.object.kind === 'HorizontalPodAutoscaler' && o.object.metadata.name === object.metadata.name);
      const replicas = object.spec?.replicas ?? hpa?.object.spec?.minReplicas ?? 0;
      expect(replicas).toBeGreaterThanOrEqual(3);
      const pdb = objects.find((o) => o.env === 'prod' && o.object.kind === 'PodDisruptionBudget' && o.object.metadata.name === object.metadata.name);
      expect([object.metadata.name, pdb?.object.spec?.selector]).toEqual([object.metadata.name, object.spec?.selector]);
    }
  });

  test('no Secret carries data, and secrets arrive through External Secrets', () => {
    for (const { path, object } of objects) {
      if (object.kind === 'Secret') expect([path, object.data, object.stringData]).toEqual([path, undefined, undefined]);
    }
    expect(objects.filter((o) => o.object.kind === 'Secret')).toEqual([]);
    expect(objects.some((o) => o.object.kind === 'ExternalSecret')).toBe(true);
  });

  test('no internal app gets a public ingress or a LoadBalancer Service', () => {
    const internal = platform.apps.filter((a) => a.exposure.type !== 'public').map((a) => a.name);
    for (const { path, object } of objects) {
      const app = object.metadata.labels?.['app.kubernetes.io/name'];
      if (object.kind === 'Service') expect([path, object.spec?.type]).not.toEqual([path, 'LoadBalancer']);
      if (object.kind === 'Ingress' && app !== undefined && internal.includes(app)) {
        expect([path, object.metadata.annotations?.['kubernetes.io/ingress.class']]).toEqual([path, 'gce-internal']);
        expect(object.metadata.annotations?.['kubernetes.io/ingress.global-static-ip-name']).toBeUndefined();
      }
    }
    // The canary environment holds only inventory-api's candidate, so admin has one internal ingress per other environment.
    const internalIngresses = objects.filter((o) => o.object.kind === 'Ingress' && o.object.metadata.annotations?.['kubernetes.io/ingress.class'] === 'gce-internal');
    expect(internalIngresses.map((o) => `${o.env}/${o.object.metadata.name}`).sort()).toEqual(['dev/admin', 'prod/admin', 'stage/admin']);
  });

  test('a public app enters through one front door: its public GKE Ingress, or the Istio gateway where Istio splits its traffic', () => {
    const publicApps = platform.apps.filter((a) => a.exposure.type === 'public').map((a) => a.name);
    expect(publicApps).toEqual(['web']);
    const doors = (env: string, app: string): string[] =>
      objects
        .filter((o) => o.env === env && o.object.metadata.labels?.['app.kubernetes.io/name'] === app)
        .flatMap((o) => {
          if (o.object.kind === 'Ingress' && o.object.metadata.annotations?.['kubernetes.io/ingress.class'] === 'gce') return [`Ingress/${o.object.metadata.name}`];
          const gateways = o.object.kind === 'VirtualService' ? (o.object.spec?.gateways ?? []).filter((g) => g !== 'mesh') : [];
          return gateways.map((g) => `VirtualService/${o.object.metadata.name} via ${g}`);
        });
    expect(doors('dev', 'web')).toEqual(['Ingress/web']);
    expect(doors('stage', 'web')).toEqual(['Ingress/web']);
    expect(doors('prod', 'web')).toEqual(['VirtualService/web via istio-ingress/ingress-gateway']);
  });

  test('every object has an ArgoCD sync wave: baseline, then config, then workloads, then traffic', () => {
    const wave = (kind: string) =>
      new Set(objects.filter((o) => o.object.kind === kind && !o.path.startsWith('kubernetes/argocd') && !o.path.startsWith('kubernetes/bootstrap')).map((o) => o.object.metadata.annotations?.[SYNC_WAVE_ANNOTATION]));
    expect(wave('Namespace')).toEqual(new Set([String(SyncWave.BASELINE)]));
    expect(wave('NetworkPolicy')).toEqual(new Set([String(SyncWave.BASELINE)]));
    expect(wave('ConfigMap')).toEqual(new Set([String(SyncWave.CONFIG)]));
    expect(wave('ExternalSecret')).toEqual(new Set([String(SyncWave.CONFIG)]));
    expect(wave('Deployment')).toEqual(new Set([String(SyncWave.WORKLOAD)]));
    expect(wave('Rollout')).toEqual(new Set([String(SyncWave.WORKLOAD)]));
    expect(wave('AnalysisTemplate')).toEqual(new Set([String(SyncWave.CONFIG)]));
    // A route an Argo Rollout manages (rolloutIstio) syncs with the config, before the Rollout needs it.
    expect(wave('VirtualService')).toEqual(new Set([String(SyncWave.CONFIG), String(SyncWave.TRAFFIC)]));
    expect(wave('DestinationRule')).toEqual(new Set([String(SyncWave.CONFIG), String(SyncWave.TRAFFIC)]));
    expect(wave('Ingress')).toEqual(new Set([String(SyncWave.TRAFFIC)]));
  });

  test('a database app migrates in an init container and has an alert on migration failures', () => {
    for (const env of ['dev', 'stage', 'canary', 'prod']) {
      const api = workloads.find((w) => w.env === env && w.object.metadata.labels?.['app.kubernetes.io/name'] === 'inventory-api');
      // The Cloud SQL Auth Proxy, a native sidecar, starts first so that `migrate` reaches the database.
      expect(api?.object.spec?.template?.spec.initContainers?.map((c) => [c.name, c.restartPolicy])).toEqual([['cloud-sql-proxy', 'Always'], ['migrate', undefined]]);
      const rule = objects.find((o) => o.env === env && o.object.kind === 'PrometheusRule' && o.object.metadata.name === api?.object.metadata.name);
      expect(JSON.stringify(rule?.object)).toContain('kube_pod_init_container_status');
    }
  });

  test('every KSA with a Google identity is annotated with the account the model derives', () => {
    for (const env of platform.environments) {
      for (const instance of platform.instances(env)) {
        const sa = objects.find((o) => o.env === env.name && o.object.kind === 'ServiceAccount' && o.object.metadata.name === instance.name);
        expect(sa?.object.metadata.annotations?.['iam.gke.io/gcp-service-account']).toBe(instance.gcp.identity?.email);
      }
    }
  });
});
