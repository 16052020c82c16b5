import { dump } from 'js-yaml';
import { addFile, check, fixtureFiles, get, mutateYaml, of } from './helpers';

// Production runs web as an Argo Rollout: the pod rules check its template as they do a Deployment's.
const WEB = 'kubernetes/prod/rollout-web.yaml';
const API_DEV = 'kubernetes/dev/deployment-inventory-api.yaml';
const app = (o: unknown): Record<string, unknown> => get(o, 'spec', 'template', 'spec', 'containers', 0);
/** The `migrate` init container, which follows the Cloud SQL Auth Proxy sidecar. */
const init = (o: unknown): Record<string, unknown> => {
  const list = get(o, 'spec', 'template', 'spec').initContainers as Record<string, unknown>[];
  return get(list, list.findIndex((c) => c.name === 'migrate'));
};

describe('the Kubernetes policy baseline', () => {
  test('the fixture output passes every rule, and every violation has a fix', () => {
    expect(check(fixtureFiles())).toEqual({ violations: [], waived: [] });
  });

  test('image-tag catches a latest and an untagged image', () => {
    const files = mutateYaml(WEB, (d) => {
      app(d).image = 'europe-west1-docker.pkg.dev/shop-platform/shop/web:latest';
    });
    expect(of('image-tag', files)).toEqual([
      { file: WEB, object: 'Rollout/web', rule: 'image-tag', message: 'container "app" image "europe-west1-docker.pkg.dev/shop-platform/shop/web:latest" uses the latest tag' },
    ]);
    const untagged = mutateYaml(API_DEV, (d) => {
      init(d).image = 'europe-west1-docker.pkg.dev/shop-platform/shop/inventory-api';
    });
    expect(of('image-tag', untagged).map((v) => v.message)).toEqual([
      'init container "migrate" image "europe-west1-docker.pkg.dev/shop-platform/shop/inventory-api" has no tag',
    ]);
  });

  test('probes catches an app container without liveness or readiness probe', () => {
    const files = mutateYaml(WEB, (d) => {
      delete app(d).livenessProbe;
      delete app(d).readinessProbe;
    });
    expect(of('probes', files)).toEqual([
      { file: WEB, object: 'Rollout/web', rule: 'probes', message: 'container "app" has no livenessProbe' },
      { file: WEB, object: 'Rollout/web', rule: 'probes', message: 'container "app" has no readinessProbe' },
    ]);
  });

  test('resources catches missing requests and limits, init containers included', () => {
    const files = mutateYaml(API_DEV, (d) => {
      delete get(init(d), 'resources').limits;
      delete get(app(d), 'resources', 'requests').memory;
    });
    expect(of('resources', files).map((v) => v.message)).toEqual([
      'init container "migrate" has no cpu limits',
      'init container "migrate" has no memory limits',
      'container "app" has no memory requests',
    ]);
  });

  test('non-root, read-only-root and drop-capabilities catch a weakened security context', () => {
    const files = mutateYaml(WEB, (d) => {
      const sc = get(app(d), 'securityContext');
      sc.runAsNonRoot = false;
      sc.readOnlyRootFilesystem = false;
      get(sc, 'capabilities').drop = ['NET_RAW'];
    });
    const report = check(files).violations.map((v) => `${v.rule}: ${v.message}`);
    expect(report).toEqual([
      'non-root: container "app" does not set runAsNonRoot: true',
      'read-only-root: container "app" does not set readOnlyRootFilesystem: true',
      'drop-capabilities: container "app" does not drop ALL capabilities',
    ]);
    const root = mutateYaml(WEB, (d) => {
      get(app(d), 'securityContext').runAsUser = 0;
    });
    expect(of('non-root', root).map((v) => v.message)).toEqual(['container "app" runs as user 0']);
  });

  test('the pod rules check every kind that runs pods, matched by API group', () => {
    const pods = { spec: { restartPolicy: 'Never', containers: [{ name: 'report', image: 'europe-west1-docker.pkg.dev/shop-platform/shop/report:v1.0.0' }] } };
    const metadata = { name: 'report', namespace: 'shop-dev' };
    const cronJob = { apiVersion: 'batch/v1', kind: 'CronJob', metadata, spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: pods } } } };
    const files = addFile('kubernetes/dev/cronjob-report.yaml', dump(cronJob));
    expect(of('resources', files).map((v) => `${v.object}: ${v.message}`)).toEqual([
      'CronJob/report: container "report" has no cpu requests',
      'CronJob/report: container "report" has no memory requests',
      'CronJob/report: container "report" has no cpu limits',
      'CronJob/report: container "report" has no memory limits',
    ]);
    // A Deployment of another group is some custom resource: its schema is unknown, its pods are not ours to check.
    const custom = { apiVersion: 'example.com/v1', kind: 'Deployment', metadata, spec: { replicas: 5, template: pods } };
    const other = check(addFile('kubernetes/dev/deployment-report.yaml', dump(custom))).violations;
    // No add-on serves example.com's kinds either.
    expect(other.map((v) => v.rule)).toEqual(['schema', 'join-addon-controller']);
  });

  test('pdb catches a replicated workload without a PodDisruptionBudget', () => {
    const files = fixtureFiles().filter((f) => f.path !== 'kubernetes/prod/poddisruptionbudget-web.yaml');
    expect(of('pdb', files)).toEqual([
      { file: WEB, object: 'Rollout/web', rule: 'pdb', message: 'runs 3 replicas and no PodDisruptionBudget selects its pods' },
    ]);
  });

  test('prod-replicas catches fewer than 3 replicas in a production environment only', () => {
    const files = mutateYaml('kubernetes/prod/horizontalpodautoscaler-web.yaml', (h) => {
      get(h, 'spec').minReplicas = 2;
    });
    expect(of('prod-replicas', files)).toEqual([
      { file: WEB, object: 'Rollout/web', rule: 'prod-replicas', message: 'runs 2 replica(s) in production environment "prod", fewer than 3' },
    ]);
    expect(of('prod-replicas', files, { productionEnvs: [] })).toEqual([]);
    // The worker stays a Deployment in production, and is held to the same floor.
    const worker = mutateYaml('kubernetes/prod/horizontalpodautoscaler-worker.yaml', (h) => { get(h, 'spec').minReplicas = 1; });
    expect(of('prod-replicas', worker).map((v) => `${v.file}: ${v.object}`)).toEqual(['kubernetes/prod/deployment-worker.yaml: Deployment/worker']);
    // The canary environment holds one candidate, a Rollout of 1 replica.
    expect(of('prod-replicas', fixtureFiles(), { productionEnvs: ['canary'] }).map((v) => `${v.object}: ${v.message}`)).toEqual([
      'Rollout/inventory-api-canary: runs 1 replica(s) in production environment "canary", fewer than 3',
    ]);
  });

  test('ingress-tls catches a public ingress without TLS, or a host TLS does not cover', () => {
    // Production's web enters through the Istio gateway; stage still has its public GKE Ingress.
    const ING = 'kubernetes/stage/ingress-web.yaml';
    expect(of('ingress-tls', mutateYaml(ING, (i) => { delete get(i, 'spec').tls; }))).toEqual([
      { file: ING, object: 'Ingress/web', rule: 'ingress-tls', message: 'is a public ingress (class gce) without TLS' },
    ]);
    expect(of('ingress-tls', mutateYaml(ING, (i) => { get(i, 'spec', 'rules', 0).host = 'shop.example.com'; })).map((v) => v.message)).toEqual([
      'is a public ingress and host "shop.example.com" has no TLS',
    ]);
  });

  test('public-exposure catches a LoadBalancer Service, a public ingress without its static IP, and an ingress without class', () => {
    const files = mutateYaml('kubernetes/prod/service-web.yaml', (s) => { get(s, 'spec').type = 'LoadBalancer'; },
      mutateYaml('kubernetes/stage/ingress-web.yaml', (i) => { delete get(i, 'metadata', 'annotations')['kubernetes.io/ingress.global-static-ip-name']; },
        mutateYaml('kubernetes/prod/ingress-admin.yaml', (i) => { delete get(i, 'metadata', 'annotations')['kubernetes.io/ingress.class']; })));
    expect(of('public-exposure', files).sort((a, b) => a.file.localeCompare(b.file))).toEqual([
      { file: 'kubernetes/prod/ingress-admin.yaml', object: 'Ingress/admin', rule: 'public-exposure', message: 'names no ingress class: GKE makes it a public load balancer' },
      { file: 'kubernetes/prod/service-web.yaml', object: 'Service/web', rule: 'public-exposure', message: 'is a Service of type LoadBalancer' },
      { file: 'kubernetes/stage/ingress-web.yaml', object: 'Ingress/web', rule: 'public-exposure', message: 'is a public ingress (class gce) without the kubernetes.io/ingress.global-static-ip-name annotation' },
    ]);
  });

  test('public-exposure accepts a public app reached through the Istio gateway, and catches a GKE Ingress past its traffic split', () => {
    const prod = fixtureFiles().filter((f) => f.path.startsWith('kubernetes/prod/'));
    // Production's web has no Ingress: its VirtualService is bound to the gateway, and nothing is flagged.
    expect(prod.map((f) => f.path)).not.toContain('kubernetes/prod/ingress-web.yaml');
    expect(prod.find((f) => f.path === 'kubernetes/prod/virtualservice-web.yaml')?.content).toContain('istio-ingress/ingress-gateway');
    expect(of('public-exposure', fixtureFiles())).toEqual([]);
    // A GKE Ingress in front of the split sends to pod IPs directly: the canary weights would not hold.
    const stageIngress = fixtureFiles().find((f) => f.path === 'kubernetes/stage/ingress-web.yaml')?.content ?? '';
    const files = addFile('kubernetes/prod/ingress-web.yaml', stageIngress.replace(/shop-stage/g, 'shop-prod').replace('web-stage', 'web-prod'));
    expect(of('public-exposure', files)).toEqual([
      {
        file: 'kubernetes/prod/ingress-web.yaml', object: 'Ingress/web', rule: 'public-exposure',
        message: 'routes to Service "web", whose traffic VirtualService "web" splits: a GKE Ingress sends to pod IPs past the split',
      },
    ]);
  });

  test('public-exposure catches an internal app behind a public ingress', () => {
    const ING = 'kubernetes/prod/ingress-admin.yaml';
    const files = mutateYaml(ING, (i) => {
      get(i, 'metadata', 'annotations')['kubernetes.io/ingress.class'] = 'gce';
      get(i, 'metadata', 'annotations')['kubernetes.io/ingress.global-static-ip-name'] = 'admin-prod';
    });
    expect(of('public-exposure', files)).toEqual([
      { file: ING, object: 'Ingress/admin', rule: 'public-exposure', message: 'is a public ingress (class gce) for internal host "admin.internal.shop.example.com"' },
    ]);
  });

  test('secret-data catches a Secret that carries data', () => {
    const files = addFile('kubernetes/dev/secret-web-extra.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: web-extra\n  namespace: shop-dev\n  labels:\n    app.kubernetes.io/name: web\nstringData:\n  TOKEN: hunter2\n');
    expect(of('secret-data', files)).toEqual([
      { file: 'kubernetes/dev/secret-web-extra.yaml', object: 'Secret/web-extra', rule: 'secret-data', message: 'is a Secret that carries data in the output' },
    ]);
  });

  test('every violation of a faulty tree is reported at once, each with a one-line fix', () => {
    const files = mutateYaml(WEB, (d) => {
      app(d).image = 'nginx';
      delete app(d).livenessProbe;
    });
    const violations = check(files).violations;
    expect(violations.map((v) => v.rule)).toEqual(['image-tag', 'probes', 'join-image-registry']);
    for (const v of violations) expect(v.fix).toMatch(/^[^\n]+$/);
  });
});
