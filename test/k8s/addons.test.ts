import { load } from 'js-yaml';
import { ADDON_NAMES, DEFAULT_ADDONS, PINNED_VERSION } from '../../lib/model/addon-catalog';
import { clusterAddons } from '../../lib/model/cluster-addons';
import { synthPlatform } from '../../lib/pipeline/synth';
import { fixturePlatform } from '../fixtures/shop/platform';
import { withConfig } from '../validate/helpers';

type Json = Record<string, unknown>;
interface HelmApp {
  metadata: { name: string; annotations: Record<string, string> };
  spec: {
    project: string;
    source: { chart: string; repoURL: string; targetRevision: string; helm: { releaseName: string; valuesObject: Json } };
    destination: { server: string; namespace: string };
    syncPolicy: { automated?: { prune: boolean }; syncOptions: string[] };
  };
}

describe('cluster add-ons: model', () => {
  const platform = fixturePlatform();
  const names = (cluster: string): string[] => clusterAddons(platform, platform.clusters.find((c) => c.name === cluster)!).map((a) => a.name);

  test('every default version is exact', () => {
    for (const name of ADDON_NAMES) expect([name, PINNED_VERSION.test(DEFAULT_ADDONS[name].version)]).toEqual([name, true]);
  });

  test('Istio and Argo Rollouts only on the cluster with a meshed environment, a gateway per Gateway, the rest everywhere', () => {
    expect(names('nonprod')).toEqual(['argo-cd', 'cert-manager', 'external-secrets', 'kube-prometheus-stack', 'loki', 'alloy']);
    expect(names('prod')).toEqual(['argo-cd', 'argo-rollouts', 'istio-base', 'istio-cni', 'istiod', 'istio-gateway', 'cert-manager', 'external-secrets', 'kube-prometheus-stack', 'loki', 'alloy']);
  });

  test('a chart version is overridden in addons.charts, and a range is refused in one line', () => {
    const other = withConfig((c) => ({ ...c, addons: { ...c.addons, charts: { 'cert-manager': { version: 'v1.17.0' } } } }));
    expect(other.addons.charts['cert-manager']).toMatchObject({ chart: 'cert-manager', version: 'v1.17.0', repoUrl: 'https://charts.jetstack.io' });
    expect(() => withConfig((c) => ({ ...c, addons: { ...c.addons, charts: { loki: { version: '6.x' } } } })))
      .toThrow('field "addons.charts.loki.version": value "6.x" is not an exact version');
  });
});

describe('cluster add-ons: Applications', () => {
  const platform = fixturePlatform();
  const files = synthPlatform(platform).files;
  // Each cluster's own Argo CD installs its add-ons: they sit in that instance's directory.
  const app = (name: string): HelmApp => load(files.find((f) => f.path === `kubernetes/argocd/${name.split('-')[1]}/application-${name}.yaml`)?.content ?? '') as HelmApp;
  const values = (name: string): Json => app(name).spec.source.helm.valuesObject;
  const prod = platform.clusters.find((c) => c.name === 'prod')!;

  test('each is a Helm source at its pinned version, on its cluster, in the add-ons project, before the environments', () => {
    const a = app('addon-prod-cert-manager');
    expect(a.spec.source).toMatchObject({ chart: 'cert-manager', repoURL: 'https://charts.jetstack.io', targetRevision: DEFAULT_ADDONS['cert-manager'].version });
    expect(a.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'cert-manager' });
    expect(a.spec.project).toBe('shop-addons');
    expect(Math.sign(Number(a.metadata.annotations['argocd.argoproj.io/sync-wave']))).toBe(-1);
    expect(a.spec.syncPolicy.syncOptions).toEqual(expect.arrayContaining(['CreateNamespace=true', 'ServerSideApply=true']));
    expect(Number(app('addon-prod-istio-base').metadata.annotations['argocd.argoproj.io/sync-wave']))
      .toBeLessThan(Number(app('addon-prod-istiod').metadata.annotations['argocd.argoproj.io/sync-wave']));
    // Plumbing syncs on its own even on production's manual cluster, and prunes nothing by itself.
    expect(a.spec.syncPolicy.automated).toMatchObject({ prune: false });
  });

  test('Argo CD upgrades itself in place: release argocd, its own project, its existing namespace', () => {
    const a = app('addon-prod-argo-cd');
    expect(a.spec.source.helm.releaseName).toBe('argocd');
    expect(a.spec.project).toBe('shop-argocd');
    expect(a.spec.syncPolicy.syncOptions).not.toContain('CreateNamespace=true');
  });

  test('istio-base ignores the webhook failurePolicy that istiod rewrites, and respects that at sync', () => {
    const a = app('addon-prod-istio-base') as HelmApp & { spec: { ignoreDifferences?: unknown[] } };
    expect(a.spec.ignoreDifferences).toEqual([{ group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', jqPathExpressions: ['.webhooks[]?.failurePolicy'] }]);
    expect(a.spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
  });

  test('Argo CD tracks by annotation and gives Applications a health, so the app-of-apps waits for the add-ons', () => {
    const cm = (values('addon-nonprod-argo-cd').configs as { cm: Record<string, string> }).cm;
    expect(cm['application.resourceTrackingMethod']).toBe('annotation');
    expect(cm['resource.customizations.health.argoproj.io_Application']).toContain('obj.status.health.status');
  });

  test('cert-manager runs as its cluster\'s Google account and asks public resolvers', () => {
    expect(values('addon-prod-cert-manager')).toMatchObject({
      crds: { enabled: true },
      serviceAccount: { name: 'cert-manager', annotations: { 'iam.gke.io/gcp-service-account': prod.certManagerIdentity.email } },
      extraArgs: ['--dns01-recursive-nameservers-only', '--dns01-recursive-nameservers=8.8.8.8:53,1.1.1.1:53'],
    });
  });

  test('the Istio gateway binds its static IP and carries the labels its Gateway selects; istiod runs with the CNI', () => {
    const gateway = platform.traffic.gateways.find((g) => g.cluster === 'prod')!;
    expect(values(`addon-prod-istio-gateway-${gateway.env}`)).toEqual({
      labels: gateway.selector,
      service: { type: 'LoadBalancer', annotations: { 'networking.gke.io/load-balancer-ip-addresses': gateway.staticIp.name } },
    });
    expect(app(`addon-prod-istio-gateway-${gateway.env}`).spec.destination.namespace).toBe(gateway.namespace);
    expect(values('addon-prod-istiod')).toMatchObject({ pilot: { cni: { enabled: true }, env: { ENABLE_NATIVE_SIDECARS: 'true' } } });
    expect(values('addon-prod-istio-cni')).toEqual({ global: { platform: 'gke' } });
  });

  test('Prometheus keeps 30 days and selects by the monitoring labels; Grafana loads the dashboards\' label', () => {
    const kps = values('addon-prod-kube-prometheus-stack') as { prometheus: { prometheusSpec: Json }; grafana: { sidecar: { dashboards: Json } } };
    const matchLabels = platform.addons.monitoringLabels;
    expect(kps.prometheus.prometheusSpec).toMatchObject({
      retention: '30d', serviceMonitorSelector: { matchLabels }, podMonitorSelector: { matchLabels }, ruleSelector: { matchLabels },
    });
    expect(kps.grafana.sidecar.dashboards).toEqual({ enabled: true, label: 'grafana_dashboard', labelValue: '1', searchNamespace: 'ALL' });
    // The analyses' Prometheus is the operator's prometheus-operated Service in the add-on's namespace.
    expect(platform.addons.prometheusUrl).toBe(`http://prometheus-operated.${app('addon-prod-kube-prometheus-stack').spec.destination.namespace}.svc:9090`);
    const dashboards = files.filter((f) => f.path.startsWith('kubernetes/prod/configmap-') && f.content.includes('grafana_dashboard'));
    expect(dashboards.length).toBeGreaterThan(0);
  });
});
