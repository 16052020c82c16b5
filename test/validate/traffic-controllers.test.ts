import { load } from 'js-yaml';
import { fixtureFiles, get, type Json, mutateJson, mutateYaml, of } from './helpers';

const STAGE_SOLVER = 'kubernetes/stage/networkpolicy-acme-http01-solver.yaml';
const STAGE_SVC = 'kubernetes/stage/service-web.yaml';
const STAGE_BACKEND = 'kubernetes/stage/backendconfig-web.yaml';
const PROD_ADMIN_SVC = 'kubernetes/prod/service-admin.yaml';
const PROD_NS = 'kubernetes/prod/namespace-shop-prod.yaml';
const PROD_TF = 'terraform/cluster-prod/main.tf.json';
const NONPROD_TF = 'terraform/cluster-nonprod/main.tf.json';

const hostPath = (files: ReturnType<typeof fixtureFiles>): string[] => of('join-host-path', files).map((v) => `${v.object}: ${v.message}`);
const yaml = (path: string): Json => load(fixtureFiles().find((f) => f.path === path)?.content ?? '') as Json;

describe('HTTP-01 solver reachable through the default-deny policy', () => {
  test('only namespaces with an HTTP-01 host admit the solver, and the fixture is clean', () => {
    const paths = fixtureFiles().map((f) => f.path);
    expect(paths).toContain('kubernetes/dev/networkpolicy-acme-http01-solver.yaml');
    expect(paths).toContain(STAGE_SOLVER);
    // prod's public host is on the Istio gateway (DNS-01); its internal host is DNS-01 too.
    expect(paths).not.toContain('kubernetes/prod/networkpolicy-acme-http01-solver.yaml');
    expect(get(yaml(STAGE_SOLVER), 'spec')).toEqual({
      podSelector: { matchLabels: { 'acme.cert-manager.io/http01-solver': 'true' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ ipBlock: { cidr: '35.191.0.0/16' } }, { ipBlock: { cidr: '130.211.0.0/22' } }], ports: [{ port: 8089, protocol: 'TCP' }] }],
    });
    expect(hostPath(fixtureFiles())).toEqual([]);
  });

  test('an HTTP-01 host whose namespace does not admit the load balancer to the solver on 8089 is a finding', () => {
    const wrongPort = mutateYaml(STAGE_SOLVER, (p) => { (get(p, 'spec').ingress as Json[])[0].ports = [{ port: 8080, protocol: 'TCP' }]; });
    expect(hostPath(wrongPort)).toEqual([
      'Ingress/web: host "www.stage.shop.example.com" solves HTTP-01, but no NetworkPolicy in namespace "shop-stage" admits 35.191.0.0/16, 130.211.0.0/22 to cert-manager\'s solver pods on 8089',
    ]);
    const otherPods = mutateYaml(STAGE_SOLVER, (p) => { get(p, 'spec', 'podSelector').matchLabels = { app: 'web' }; });
    expect(hostPath(otherPods)).toHaveLength(1);
    const oneRange = mutateYaml(STAGE_SOLVER, (p) => { (get(p, 'spec').ingress as Json[])[0].from = [{ ipBlock: { cidr: '35.191.0.0/16' } }]; });
    expect(hostPath(oneRange)).toEqual([expect.stringContaining('admits 130.211.0.0/22 to')]);
  });
});

describe('Argo CD keeps the solver\'s path on an Ingress solved in place', () => {
  const app = (env: string): Json => yaml(`kubernetes/argocd/${env === 'dev' || env === 'stage' ? 'nonprod' : 'prod'}/application-app-${env}.yaml`);

  test('stage ignores exactly the ACME challenge paths of its HTTP-01 Ingress, and respects that at sync', () => {
    const spec = get(app('stage'), 'spec');
    expect(spec.ignoreDifferences).toEqual([{
      group: 'networking.k8s.io',
      kind: 'Ingress',
      name: 'web',
      namespace: 'shop-stage',
      jqPathExpressions: ['.spec.rules[]?.http.paths[]? | select((.path // "") | startswith("/.well-known/acme-challenge/"))'],
    }]);
    expect(get(spec, 'syncPolicy').syncOptions).toContain('RespectIgnoreDifferences=true');
    expect(get(spec, 'syncPolicy', 'automated')).toMatchObject({ selfHeal: true });
  });

  test('a DNS-01 Ingress gets no such entry: prod\'s internal admin Ingress', () => {
    const ignores = (get(app('prod'), 'spec').ignoreDifferences as Json[]).filter((i) => i.kind === 'Ingress');
    expect(ignores).toEqual([]);
  });
});

describe('Services behind a GKE Ingress: NEGs and an explicit health check at the readiness path', () => {
  test('the fixture\'s Services carry both annotations and their BackendConfig checks the readiness path', () => {
    expect(get(yaml(PROD_ADMIN_SVC), 'metadata', 'annotations')).toMatchObject({
      'cloud.google.com/neg': '{"ingress":true}',
      'cloud.google.com/backend-config': '{"default":"admin"}',
    });
    expect(get(yaml(STAGE_BACKEND), 'spec', 'healthCheck')).toEqual({ type: 'HTTP', port: 8080, requestPath: '/readyz' });
  });

  test('a Service without the NEG annotation, without a BackendConfig, or checking another path is a finding', () => {
    const noNeg = mutateYaml(STAGE_SVC, (s) => { delete get(s, 'metadata', 'annotations')['cloud.google.com/neg']; });
    expect(hostPath(noNeg)).toEqual(['Ingress/web: routes to Service "web", which does not use container-native load balancing']);
    const noConfig = mutateYaml(STAGE_SVC, (s) => { delete get(s, 'metadata', 'annotations')['cloud.google.com/backend-config']; });
    expect(hostPath(noConfig)).toEqual(['Ingress/web: routes to Service "web", which names no BackendConfig of its namespace: GKE would health-check GET / (Istio rewrites the readiness probe)']);
    const rootPath = mutateYaml(STAGE_BACKEND, (b) => { get(b, 'spec', 'healthCheck').requestPath = '/'; });
    expect(hostPath(rootPath)).toEqual(['Ingress/web: routes to Service "web", whose BackendConfig "web" health-checks /, not the pods\' readiness path /readyz']);
    const implicit = mutateYaml(STAGE_BACKEND, (b) => { delete get(b, 'spec', 'healthCheck').requestPath; });
    expect(hostPath(implicit)).toEqual([expect.stringContaining('health-checks no explicit requestPath')]);
  });
});

describe('join-mesh-webhook: Istio\'s injection webhook reachable on a private cluster', () => {
  test('the meshed cluster opens 15017 from the control plane; the unmeshed one adds no rule', () => {
    const firewall = (path: string): Json | undefined =>
      get(JSON.parse(fixtureFiles().find((f) => f.path === path)?.content ?? '{}'), 'resource', 'google_compute_firewall').network_allow_control_plane_webhooks as Json | undefined;
    const rule = firewall(PROD_TF) as Json;
    expect(rule.allow).toEqual([{ protocol: 'tcp', ports: ['15017'] }]);
    expect(rule.source_ranges).toHaveLength(1);
    expect(firewall(NONPROD_TF)).toBeUndefined();
    expect(of('join-mesh-webhook', fixtureFiles())).toEqual([]);
  });

  test('a meshed namespace on a cluster whose stack does not open 15017 is a finding; an unmeshed one is not', () => {
    const closed = mutateJson(PROD_TF, (s) => { delete get(s, 'resource', 'google_compute_firewall').network_allow_control_plane_webhooks; });
    expect(of('join-mesh-webhook', closed).map((v) => `${v.object}: ${v.message}`)).toEqual([
      expect.stringMatching(/^Namespace\/shop-prod: is in the Istio mesh on private cluster "prod", but terraform\/cluster-prod\/main\.tf\.json has no firewall rule from the control plane \(\d+\.\d+\.\d+\.\d+\/28\) to the nodes on tcp:15017/),
    ]);
    const otherPort = mutateJson(PROD_TF, (s) => {
      get(s, 'resource', 'google_compute_firewall', 'network_allow_control_plane_webhooks').allow = [{ protocol: 'tcp', ports: ['443'] }];
    });
    expect(of('join-mesh-webhook', otherPort)).toHaveLength(1);
    const unmeshed = mutateYaml(PROD_NS, (n) => { delete get(n, 'metadata', 'labels')['istio-injection']; }, closed);
    expect(of('join-mesh-webhook', unmeshed)).toEqual([]);
  });
});
