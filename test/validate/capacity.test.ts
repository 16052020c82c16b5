import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { load } from 'js-yaml';
import { podCompute } from '../../lib/manifest/pod-resources';
import { parseQuantity } from '../../lib/manifest/quantity';
import { check, fixtureFiles, get, type Json, mutateJson, mutateYaml, of, withConfig } from './helpers';
import { synthPlatform } from '../../lib/pipeline/synth';

const PROD_STACK = 'terraform/cluster-prod/main.tf.json';
const QUOTA = 'kubernetes/prod/resourcequota-compute.yaml';
const MESHED = [
  'kubernetes/prod/rollout-inventory-api.yaml',
  'kubernetes/prod/rollout-web.yaml',
  'kubernetes/prod/rollout-admin.yaml',
  'kubernetes/prod/deployment-worker.yaml',
  'kubernetes/canary/rollout-inventory-api-canary.yaml',
];
const templateAnnotations = (o: Json): Json => get(o, 'spec', 'template', 'metadata', 'annotations');
const parsed = (path: string): Json => load(fixtureFiles().find((f) => f.path === path)?.content ?? '') as Json;

describe('Google Groups for RBAC', () => {
  test('every cluster whose RoleBindings name groups enables it with the platform\'s security group', () => {
    for (const stack of ['terraform/cluster-prod/main.tf.json', 'terraform/cluster-nonprod/main.tf.json']) {
      const doc = JSON.parse(fixtureFiles().find((f) => f.path === stack)?.content ?? '{}') as Json;
      const clusters = Object.values(get(doc, 'resource', 'google_container_cluster')) as Json[];
      expect(clusters.map((c) => c.authenticator_groups_config)).toEqual([{ security_group: 'gke-security-groups@shop.example.com' }]);
    }
  });

  test('the security group is required while there are teams, and must be gke-security-groups@<domain>', () => {
    expect(() => withConfig((c) => ({ ...c, rbacSecurityGroup: undefined }))).toThrow(/field "rbacSecurityGroup".*is missing.*fix: set rbacSecurityGroup to "gke-security-groups@<your domain>"/);
    expect(() => withConfig((c) => ({ ...c, rbacSecurityGroup: 'rbac@shop.example.com' }))).toThrow(/"rbac@shop.example.com".*is not gke-security-groups@<domain>/);
    expect(() => withConfig((c) => ({ ...c, rbacSecurityGroup: 'gke-security-groups@' }))).toThrow(/is not gke-security-groups@<domain>/);
    expect(withConfig((c) => ({ ...c, rbacSecurityGroup: 'gke-security-groups@corp.example.org' })).clusters.map((c) => c.rbacSecurityGroup))
      .toEqual(['gke-security-groups@corp.example.org', 'gke-security-groups@corp.example.org']);
  });

  test('join-rbac-groups passes on the fixture', () => {
    expect(of('join-rbac-groups', fixtureFiles())).toEqual([]);
  });

  test('join-rbac-groups catches group bindings on a cluster that does not resolve Google Groups', () => {
    const files = mutateJson(PROD_STACK, (s) => {
      for (const c of Object.values(get(s, 'resource', 'google_container_cluster'))) delete (c as Json).authenticator_groups_config;
    });
    const found = of('join-rbac-groups', files);
    expect(found.map((v) => v.object).sort()).toEqual(['RoleBinding/team-backoffice', 'RoleBinding/team-inventory', 'RoleBinding/team-storefront']);
    expect(found.find((v) => v.object === 'RoleBinding/team-inventory')).toEqual({
      file: 'kubernetes/prod/rolebinding-team-inventory.yaml', object: 'RoleBinding/team-inventory', rule: 'join-rbac-groups', app: undefined,
      message: `binds group "inventory@shop.example.com", but ${PROD_STACK}: google_container_cluster.cluster does not enable Google Groups for RBAC, so the binding grants nothing`,
    });
    // The nonprod cluster still has it: dev and stage bindings are fine.
    expect(found.every((v) => v.file.startsWith('kubernetes/prod/'))).toBe(true);
  });

  test('join-rbac-groups catches group bindings applied to a cluster of no stack', () => {
    const files = mutateYaml('kubernetes/argocd/prod/application-app-prod.yaml', (a) => { get(a, 'spec', 'destination').server = 'https://elsewhere.example.com'; });
    expect(of('join-rbac-groups', files).map((v) => `${v.object}: ${v.message}`)).toContain(
      'RoleBinding/team-inventory: binds group "inventory@shop.example.com" on cluster "https://elsewhere.example.com", which no Terraform stack\'s GKE cluster matches');
  });

  test('join-rbac-groups leaves Kubernetes\' own system: groups alone', () => {
    let files = mutateJson(PROD_STACK, (s) => {
      for (const c of Object.values(get(s, 'resource', 'google_container_cluster'))) delete (c as Json).authenticator_groups_config;
    });
    for (const team of ['backoffice', 'inventory', 'storefront']) {
      files = mutateYaml(`kubernetes/prod/rolebinding-team-${team}.yaml`, (b) => { get(b, 'subjects', 0).name = 'system:authenticated'; }, files);
    }
    expect(of('join-rbac-groups', files)).toEqual([]);
  });
});

describe('sidecar resources', () => {
  test('every meshed pod states the proxy\'s requests and limits; pods outside the mesh do not', () => {
    for (const path of MESHED) {
      expect(templateAnnotations(parsed(path))).toMatchObject({
        'sidecar.istio.io/proxyCPU': '100m',
        'sidecar.istio.io/proxyCPULimit': '500m',
        'sidecar.istio.io/proxyMemory': '128Mi',
        'sidecar.istio.io/proxyMemoryLimit': '512Mi',
      });
    }
    const dev = parsed('kubernetes/dev/deployment-worker.yaml');
    expect(JSON.stringify(dev)).not.toContain('sidecar.istio.io/proxy');
  });

  test('the mesh config sets them, for production and the canary sharing its namespace', () => {
    const platform = withConfig((c) => ({
      ...c,
      environments: c.environments.map((e) => (e.progressiveDelivery ? {
        ...e,
        progressiveDelivery: {
          ...e.progressiveDelivery,
          sidecarResources: { name: 'lean', cpu: { request: Cpu.millis(50), limit: Cpu.millis(200) }, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(256) } },
        },
      } : e)),
    }));
    const files = synthPlatform(platform, ['prod', 'canary'], ['kubernetes']).files;
    for (const path of ['kubernetes/prod/rollout-web.yaml', 'kubernetes/canary/rollout-inventory-api-canary.yaml']) {
      const o = load(files.find((f) => f.path === path)?.content ?? '') as Json;
      expect(templateAnnotations(o)).toMatchObject({ 'sidecar.istio.io/proxyCPU': '50m', 'sidecar.istio.io/proxyCPULimit': '200m' });
    }
    expect(() => withConfig((c) => ({
      ...c,
      environments: c.environments.map((e) => (e.progressiveDelivery ? {
        ...e,
        progressiveDelivery: { sidecarResources: { name: 'bad', cpu: { request: Cpu.millis(500), limit: Cpu.millis(100) }, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(64) } } },
      } : e)),
    }))).toThrow(/field "progressiveDelivery.sidecarResources.cpu.limit"/);
  });
});

describe('pod resources', () => {
  const c = (name: string, cpu: string, extra: Json = {}): Json => ({ name, resources: { requests: { cpu, memory: '64Mi' }, limits: { cpu, memory: '64Mi' } }, ...extra });

  test('quantities', () => {
    expect([parseQuantity('250m'), parseQuantity('1.5'), parseQuantity('512Mi'), parseQuantity('1G'), parseQuantity('1e3'), parseQuantity(2), parseQuantity('x')])
      .toEqual([0.25, 1.5, 512 * 2 ** 20, 1e9, 1000, 2, undefined]);
  });

  test('native sidecars run beside the containers and under later init containers; regular init containers do not add', () => {
    const sidecarFirst = { initContainers: [c('proxy', '1', { restartPolicy: 'Always' }), c('migrate', '3')], containers: [c('app', '1')] };
    expect(podCompute(sidecarFirst)['requests.cpu']).toBe(4);
    const migrateFirst = { initContainers: [c('migrate', '3'), c('proxy', '1', { restartPolicy: 'Always' })], containers: [c('app', '1')] };
    expect(podCompute(migrateFirst)['requests.cpu']).toBe(3);
    const small = { initContainers: [c('migrate', '250m')], containers: [c('app', '1')] };
    expect(podCompute(small)['limits.cpu']).toBe(1);
    const injected = { 'requests.cpu': 0.1, 'limits.cpu': 0.5, 'requests.memory': 0, 'limits.memory': 0 };
    expect(podCompute(small, [injected])['limits.cpu']).toBe(1.5);
  });

  test('a container without values gets the LimitRange defaults; a request defaults to its own limit', () => {
    const spec = { containers: [{ name: 'bare' }, { name: 'limited', resources: { limits: { cpu: '2' } } }] };
    expect(podCompute(spec, [], { requests: { cpu: 0.1 }, limits: { cpu: 0.5 } })).toMatchObject({ 'requests.cpu': 2.1, 'limits.cpu': 2.5 });
  });
});

describe('namespace-quota', () => {
  const setHard = (key: string, value: string) => (q: Json): void => { get(q, 'spec', 'hard')[key] = value; };

  test('the fixture\'s quotas fit, with headroom', () => {
    expect(of('namespace-quota', fixtureFiles())).toEqual([]);
    // prod and canary together: 32 pods during a release (the candidate at its autoscaler's maximum
    // of 10, and one surge pod) at 1000m + 500m of CPU limit each, and 16 Cloud SQL Auth Proxy
    // sidecars of inventory-api and its candidate at 500m; and the two backup jobs' pods at 500m.
    expect(of('namespace-quota', mutateYaml(QUOTA, setHard('limits.cpu', '57')))).toEqual([]);
  });

  test('a quota below what the namespace needs is one finding naming the resource, the need and the quota', () => {
    const files = mutateYaml(QUOTA, (q) => { setHard('limits.cpu', '30')(q); setHard('pods', '20')(q); });
    expect(of('namespace-quota', files)).toEqual([{
      file: QUOTA, object: 'ResourceQuota/compute', rule: 'namespace-quota', app: undefined,
      message: 'does not fit the 34 pods of namespace shop-prod during a release (replicas, release surge and sidecars): ' +
        'limits.cpu needs 57 but the quota is 30; pods needs 34 but the quota is 20',
    }]);
    expect(check(files).violations.find((v) => v.rule === 'namespace-quota')?.fix)
      .toMatch(/^raise spec.hard\["limits.cpu"\] to at least 57, spec.hard\["pods"\] to at least 34 \(the environment's quota\)/);
  });

  test('the Istio proxy counts with Istio\'s own defaults when the annotations are missing', () => {
    let files = fixtureFiles();
    for (const path of MESHED) {
      files = mutateYaml(path, (o) => {
        const a = templateAnnotations(o);
        for (const k of Object.keys(a).filter((k) => k.startsWith('sidecar.istio.io/proxy'))) delete a[k];
      }, files);
    }
    // 32 pods at 1000m + Istio's 2000m of limit, 16 database proxies at 500m, and the 2 backup jobs'
    // pods at 500m, which opt out of injection.
    expect(of('namespace-quota', files).map((v) => v.message)).toEqual([expect.stringContaining('limits.cpu needs 105 but the quota is 64')]);
  });

  test('adding replicas fails the quota exactly when the pods and their surge no longer fit', () => {
    const WORKER = 'kubernetes/prod/deployment-worker.yaml';
    const failsAt = (replicas: number): boolean => of('namespace-quota', mutateYaml(WORKER, (d) => { get(d, 'spec').replicas = replicas; })).length > 0;
    // The others need 28 pods × 1.5 CPU, 16 database proxies × 0.5 CPU and the 2 backup jobs' pods
    // × 0.5 CPU (51); the worker needs replicas + 25% surge (rounded up) at 1.5 CPU:
    // 51 + 8 × 1.5 = 63 fits, 51 + 9 × 1.5 = 64.5 does not.
    expect(failsAt(3)).toBe(false);
    expect(failsAt(6)).toBe(false);
    expect(failsAt(7)).toBe(true);
    const message = of('namespace-quota', mutateYaml(WORKER, (d) => { get(d, 'spec').replicas = 8; }))[0].message;
    expect(message).toContain('limits.cpu needs 66 but the quota is 64');
  });

  test('the canary sharing the namespace and blue-green\'s preview ReplicaSet count', () => {
    // 32 pods of the apps and the 2 of the backup jobs.
    const tight = mutateYaml(QUOTA, setHard('pods', '34'));
    expect(of('namespace-quota', tight)).toEqual([]);
    // The candidate counts at its autoscaler's maximum: the traffic it is given assumes it can scale there.
    const biggerCanary = mutateYaml('kubernetes/canary/horizontalpodautoscaler-inventory-api-canary.yaml', (h) => { get(h, 'spec').maxReplicas = 11; }, tight);
    expect(of('namespace-quota', biggerCanary).map((v) => v.message)).toEqual([expect.stringContaining('pods needs 35 but the quota is 34')]);
    const smallerPreview = mutateYaml('kubernetes/prod/rollout-admin.yaml', (r) => { get(r, 'spec', 'strategy', 'blueGreen').previewReplicaCount = 1; },
      mutateYaml(QUOTA, setHard('pods', '32')));
    expect(of('namespace-quota', smallerPreview)).toEqual([]);
  });

  test('a native sidecar added to a pod counts against the quota', () => {
    const files = mutateYaml('kubernetes/prod/rollout-web.yaml', (r) => {
      const spec = get(r, 'spec', 'template', 'spec');
      spec.initContainers = [{ name: 'cloud-sql-proxy', restartPolicy: 'Always', resources: { requests: { cpu: '1', memory: '64Mi' }, limits: { cpu: '1', memory: '64Mi' } } }];
    }, mutateYaml(QUOTA, setHard('requests.cpu', '12')));
    // web runs 6 pods during a release (3 stable, 3 canary): 6 more CPU of requests (the backup jobs request 200m).
    expect(of('namespace-quota', files).map((v) => v.message)).toEqual([expect.stringContaining('requests.cpu needs 18200m but the quota is 12')]);
  });
});
