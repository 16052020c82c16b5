import * as fs from 'node:fs';
import * as path from 'node:path';
import { load } from 'js-yaml';
import { fixturePlatform } from '../fixtures/shop/platform';
import { synthPlatform } from '../../lib/pipeline/synth';
import { withConfig } from '../validate/helpers';

interface Application {
  kind: string;
  metadata: { name: string; namespace: string };
  spec: {
    project: string;
    source: { path: string; repoURL: string; targetRevision: string; chart?: string };
    destination: { server: string; namespace: string };
    syncPolicy: { automated?: { prune: boolean; selfHeal: boolean } };
  };
}

describe('ArgoCD objects', () => {
  const output = synthPlatform(fixturePlatform());
  const byPath = new Map(output.files.map((f) => [f.path, f.content]));
  const objects = output.files.filter((f) => f.path.endsWith('.yaml')).map((f) => ({ path: f.path, object: load(f.content) as Application }));
  const applications = objects.filter((o) => o.object.kind === 'Application' && o.object.spec.source.chart === undefined);

  const objectAt = (p: string): Application => load(byPath.get(p) ?? '') as Application;
  const instanceOf = (env: string): string => (env === 'dev' || env === 'stage' ? 'nonprod' : 'prod');
  const appAt = (instance: string, name: string): Application => objectAt(`kubernetes/argocd/${instance}/application-${name}.yaml`);

  test('one Argo CD per cluster: each holds its environments, its cluster, its bootstrap Application and root app', () => {
    // The add-ons' Helm Applications sit beside them; test/k8s/addons.test.ts covers those.
    const files = (dir: string) => [...byPath.keys()].filter((p) => p.startsWith(dir) && !p.includes('/application-addon-')).sort();
    expect(files('kubernetes/argocd/nonprod/')).toEqual(['app-dev', 'app-stage', 'cluster-nonprod', 'shop-bootstrap'].map((n) => `kubernetes/argocd/nonprod/application-${n}.yaml`));
    expect(files('kubernetes/argocd/prod/')).toEqual(['app-canary', 'app-prod', 'cluster-prod', 'shop-bootstrap'].map((n) => `kubernetes/argocd/prod/application-${n}.yaml`));
    expect([...byPath.keys()].filter((p) => p.startsWith('kubernetes/argocd/nonprod/application-addon-'))).toHaveLength(6);
    expect(files('kubernetes/bootstrap/prod/')).toEqual([
      'kubernetes/bootstrap/prod/application-shop-root.yaml',
      'kubernetes/bootstrap/prod/appproject-shop-addons.yaml',
      'kubernetes/bootstrap/prod/appproject-shop-argocd.yaml',
      'kubernetes/bootstrap/prod/appproject-shop.yaml',
    ]);
  });

  test('a cluster Application is plumbing and syncs on its own everywhere, so a new cluster comes up from the bootstrap; every Application retries a failed sync', () => {
    expect(appAt('nonprod', 'cluster-nonprod').spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(appAt('prod', 'cluster-prod').spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    for (const { object } of objects.filter((o) => o.object.kind === 'Application')) {
      expect([object.metadata.name, (object.spec.syncPolicy as { retry?: { limit: number } }).retry?.limit]).toEqual([object.metadata.name, 10]);
    }
    expect(appAt('prod', 'cluster-prod').spec.source.path).toBe('kubernetes/clusters/prod');
  });

  test('every Application path exists in the output and holds manifests', () => {
    for (const { object } of applications) {
      const dir = object.spec.source.path;
      const inside = [...byPath.keys()].filter((p) => p.startsWith(`${dir}/`));
      expect([object.metadata.name, inside.length > 0]).toEqual([object.metadata.name, true]);
    }
  });

  test('each environment Application deploys in-cluster, from the Argo CD of its own cluster, in the apps project', () => {
    for (const env of fixturePlatform().environments) {
      expect(appAt(instanceOf(env.name), `app-${env.name}`).spec).toMatchObject({
        project: 'shop',
        source: { path: `kubernetes/${env.name}`, targetRevision: 'main' },
        destination: { server: 'https://kubernetes.default.svc', namespace: env.namespace },
      });
    }
  });

  test('dev, stage and canary sync automatically with prune and self-heal; prod syncs by hand', () => {
    for (const env of ['dev', 'stage', 'canary']) {
      expect(appAt(instanceOf(env), `app-${env}`).spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    }
    expect(appAt('prod', 'app-prod').spec.syncPolicy.automated).toBeUndefined();
  });

  test('the root app is applied with its project and syncs the instance\'s Applications; the bootstrap Application keeps the bootstrap directory', () => {
    const root = objectAt('kubernetes/bootstrap/prod/application-shop-root.yaml');
    expect(root.spec).toMatchObject({ project: 'shop-argocd', source: { path: 'kubernetes/argocd/prod' } });
    expect(byPath.has('kubernetes/bootstrap/prod/appproject-shop-argocd.yaml')).toBe(true);
    expect(appAt('prod', 'shop-bootstrap').spec).toMatchObject({ project: 'shop-argocd', source: { path: 'kubernetes/bootstrap/prod' } });
  });

  interface Project { spec: Record<string, unknown> & { sourceRepos: string[]; destinations: { server: string; namespace: string }[] } }
  const project = (instance: string, name: string): Project => load(byPath.get(`kubernetes/bootstrap/${instance}/appproject-${name}.yaml`) ?? '') as Project;

  test('the apps project allows exactly the repository and the destinations its Applications use, and never Argo CD\'s namespace', () => {
    for (const instance of ['nonprod', 'prod']) {
      const apps = project(instance, 'shop');
      for (const { path: p, object } of applications.filter((a) => a.path.startsWith(`kubernetes/argocd/${instance}/`) && a.object.spec.project === 'shop')) {
        expect([p, apps.spec.sourceRepos]).toEqual([p, expect.arrayContaining([object.spec.source.repoURL])]);
        expect(apps.spec.destinations).toContainEqual(object.spec.destination);
      }
      expect(apps.spec.destinations.map((d) => d.namespace)).not.toContain('argocd');
    }
  });

  test('Argo CD\'s own project reaches only its namespace, with its kinds listed one by one: Applications, AppProjects and its own install', () => {
    const own = project('prod', 'shop-argocd');
    expect(own.spec.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: 'argocd' }]);
    const kinds = (own.spec.namespaceResourceWhitelist as { group: string; kind: string }[]).map((k) => `${k.group}/${k.kind}`);
    expect(kinds.slice(0, 2)).toEqual(['argoproj.io/Application', 'argoproj.io/AppProject']);
    expect(kinds).toEqual(expect.arrayContaining(['apps/Deployment', '/Secret', '/ConfigMap']));
    expect(kinds.some((k) => k.includes('*'))).toBe(false);
    expect(own.spec.clusterResourceWhitelist).toEqual([
      { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
    ]);
    expect(own.spec.sourceRepos).toEqual(['https://git.example.com/platform/shop-gitops.git', 'https://argoproj.github.io/argo-helm']);
    // The add-ons' project never reaches Argo CD's namespace.
    expect(project('prod', 'shop-addons').spec.destinations.map((d) => d.namespace)).not.toContain('argocd');
  });

  test('a role per team gets and syncs only the Applications its apps run in; prod syncs on its own only in its window', () => {
    const apps = project('prod', 'shop').spec as unknown as { roles: { name: string; groups: string[]; policies: string[] }[]; syncWindows: unknown[] };
    const inventory = apps.roles.find((r) => r.name === 'team-inventory');
    expect(inventory?.groups).toEqual(['inventory@shop.example.com']);
    expect(inventory?.policies).toContain('p, proj:shop:team-inventory, applications, sync, shop/app-prod, allow');
    expect(inventory?.policies.every((p) => /, shop\/app-(canary|prod), allow$/.test(p))).toBe(true);
    expect(apps.syncWindows).toEqual([{ kind: 'allow', schedule: '0 8 * * 1-5', duration: '9h', timeZone: 'Europe/Berlin', manualSync: true, applications: ['app-prod'] }]);
    expect(project('nonprod', 'shop').spec.syncWindows).toBeUndefined();
  });

  test('a central Argo CD is a config change: the remote cluster gets a cluster Secret with Workload Identity, no credential', () => {
    const central = withConfig((c) => ({
      ...c,
      clusters: c.clusters.map((k) => (k.name === 'prod' ? { ...k, argocdManagedBy: 'nonprod', argoServer: 'https://gke-0123.europe-west1.gke.goog' } : k)),
    }));
    const files = new Map(synthPlatform(central).files.map((f) => [f.path, f.content]));
    expect([...files.keys()].some((p) => p.startsWith('kubernetes/argocd/prod/') || p.startsWith('kubernetes/bootstrap/prod/'))).toBe(false);
    const secret = load(files.get('kubernetes/bootstrap/nonprod/secret-cluster-prod.yaml') ?? '') as { metadata: { labels: Record<string, string> }; stringData: Record<string, string> };
    expect(secret.metadata.labels).toEqual({ 'argocd.argoproj.io/secret-type': 'cluster' });
    expect(secret.stringData.server).toBe('https://gke-0123.europe-west1.gke.goog');
    expect(JSON.parse(secret.stringData.config)).toEqual({
      execProviderConfig: { command: 'argocd-k8s-auth', args: ['gcp'], apiVersion: 'client.authentication.k8s.io/v1beta1' },
      tlsClientConfig: { insecure: false },
    });
    const prod = load(files.get('kubernetes/argocd/nonprod/application-app-prod.yaml') ?? '') as Application;
    expect(prod.spec.destination.server).toBe('https://gke-0123.europe-west1.gke.goog');
  });

  test('bad placements are refused in one line', () => {
    const place = (prod: Record<string, string>) => () => withConfig((c) => ({ ...c, clusters: c.clusters.map((k) => (k.name === 'prod' ? { ...k, ...prod } : k)) }));
    expect(place({ argoServer: 'https://x.example.com' })).toThrow(/clusters\.prod\.argoServer.*own Argo CD/);
    expect(place({ argocdManagedBy: 'nonprod' })).toThrow(/clusters\.prod\.argoServer/);
    expect(place({ argocdManagedBy: 'elsewhere', argoServer: 'https://x.example.com' })).toThrow(/clusters\.prod\.argocdManagedBy/);
  });

  test('a sync window Argo CD could not parse is refused in one line', () => {
    const window = (syncWindow: { schedule: string; duration: string }) => () =>
      withConfig((c) => ({ ...c, environments: c.environments.map((e) => (e.name === 'prod' ? { ...e, syncWindow } : e)) }));
    expect(window({ schedule: '0 8 * * 1-5', duration: '1h30m' })).not.toThrow();
    expect(window({ schedule: '0 8 * *', duration: '9h' })).toThrow(/syncWindow\.schedule/);
    expect(window({ schedule: '0 8 * * 1-5', duration: 'nine hours' })).toThrow(/syncWindow\.duration/);
  });

  test('files in the output have no kustomization and no Helm chart', () => {
    const names = [...byPath.keys()].map((p) => path.basename(p));
    expect(names.filter((n) => /^(kustomization\.ya?ml|Chart\.yaml|values\.yaml)$/.test(n))).toEqual([]);
    expect(fs.existsSync(path.join(__dirname, '..', '..', 'kustomization.yaml'))).toBe(false);
  });
});
