// Argo CD's topology, bootstrap and projects (docs/argocd.md): join-argocd-project, argocd-project-scope.
import { dump } from 'js-yaml';
import { synthPlatform } from '../../lib/pipeline/synth';
import { addFile, fixtureFiles, get, type Json, mutateYaml, of, withConfig } from './helpers';

const ROOT = 'kubernetes/bootstrap/prod/application-shop-root.yaml';
/** A stand-in project that permits everything, so only where it is defined matters. */
const OPEN = { sourceRepos: ['*'], destinations: [{ server: '*', namespace: '*' }], clusterResourceWhitelist: [{ group: '*', kind: '*' }] };
const APP_PROD = 'kubernetes/argocd/prod/application-app-prod.yaml';
const APPS_PROJECT = 'kubernetes/bootstrap/prod/appproject-shop.yaml';

describe('join-argocd-project: what the Application\'s project refuses', () => {
  const ADDONS = 'kubernetes/bootstrap/nonprod/appproject-shop-addons.yaml';
  const line = (files: ReturnType<typeof fixtureFiles>): string[] => of('join-argocd-project', files).map((v) => `${v.file} ${v.object}: ${v.message}`);
  const without = (list: unknown, drop: (e: Json) => boolean): unknown[] => (list as Json[]).filter((e) => !drop(e));

  test('a source repository removed from sourceRepos', () => {
    const files = mutateYaml(ADDONS, (p) => { get(p, 'spec').sourceRepos = without(get(p, 'spec').sourceRepos, (r) => (r as unknown) === 'https://charts.jetstack.io'); });
    expect(line(files)).toEqual([
      'kubernetes/argocd/nonprod/application-addon-nonprod-cert-manager.yaml Application/addon-nonprod-cert-manager: project "shop-addons" refuses source repository "https://charts.jetstack.io", which is not in its sourceRepos',
    ]);
  });

  test('a destination namespace removed from destinations', () => {
    const prodAddons = 'kubernetes/bootstrap/prod/appproject-shop-addons.yaml';
    const files = mutateYaml(prodAddons, (p) => { get(p, 'spec').destinations = without(get(p, 'spec').destinations, (d) => d.namespace === 'kube-system'); });
    expect(line(files)).toEqual([
      'kubernetes/argocd/prod/application-addon-prod-istio-cni.yaml Application/addon-prod-istio-cni: project "shop-addons" refuses destination https://kubernetes.default.svc namespace "kube-system", which matches none of its destinations',
    ]);
  });

  test('a cluster-scoped kind a directory Application emits, removed from the whitelist', () => {
    const files = mutateYaml('kubernetes/bootstrap/nonprod/appproject-shop.yaml', (p) => { get(p, 'spec').clusterResourceWhitelist = without(get(p, 'spec').clusterResourceWhitelist, (e) => e.kind === 'ClusterIssuer'); });
    expect(line(files)).toEqual([
      'kubernetes/argocd/nonprod/application-cluster-nonprod.yaml Application/cluster-nonprod: project "shop" refuses cert-manager.io/ClusterIssuer (letsencrypt-dns01, letsencrypt-http01 in kubernetes/clusters/nonprod/), which is not in its clusterResourceWhitelist',
    ]);
  });

  test('an empty namespaced whitelist allows no namespaced kind; an absent one allows all', () => {
    const project = 'kubernetes/bootstrap/nonprod/appproject-shop-argocd.yaml';
    expect(line(mutateYaml(project, (p) => { delete get(p, 'spec').namespaceResourceWhitelist; }))).toEqual([]);
    const refused = line(mutateYaml(project, (p) => { get(p, 'spec').namespaceResourceWhitelist = []; }));
    expect(refused).toContain('kubernetes/argocd/nonprod/application-shop-bootstrap.yaml Application/shop-bootstrap: project "shop-argocd" refuses argoproj.io/AppProject (shop, shop-addons, shop-argocd in kubernetes/bootstrap/nonprod/), which is not in its namespaceResourceWhitelist');
  });

  test('an object in another namespace than its Application\'s must be a destination of the project too', () => {
    const files = mutateYaml('kubernetes/dev/service-web.yaml', (s) => { get(s, 'metadata').namespace = 'kube-system'; });
    expect(line(files)).toEqual([
      'kubernetes/argocd/nonprod/application-app-dev.yaml Application/app-dev: project "shop" refuses namespace "kube-system" of Service/web (in kubernetes/dev/), which matches none of its destinations',
    ]);
  });
});

describe('join-argocd-project', () => {
  test('the fixture: every Application\'s project is bootstrapped with it, and every destination is registered', () => {
    expect(of('join-argocd-project', fixtureFiles())).toEqual([]);
  });

  test('a root app whose project only the root app itself would create deadlocks the bootstrap', () => {
    const files = mutateYaml(ROOT, (a) => { get(a, 'spec').project = 'shop-platform'; }, addFile('kubernetes/argocd/prod/appproject-shop-platform.yaml',
      dump({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'shop-platform', namespace: 'argocd' }, spec: OPEN })));
    expect(of('join-argocd-project', files)).toEqual([
      { file: ROOT, object: 'Application/shop-root', rule: 'join-argocd-project', message: 'names project "shop-platform", which reaches Argo CD only after it' },
    ]);
  });

  test('a project of another Argo CD instance does not count', () => {
    const files = mutateYaml(APP_PROD, (a) => { get(a, 'spec').project = 'nonprod-only'; }, addFile('kubernetes/bootstrap/nonprod/appproject-nonprod-only.yaml',
      dump({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'nonprod-only', namespace: 'argocd' }, spec: OPEN })));
    expect(of('join-argocd-project', files)).toEqual([
      { file: APP_PROD, object: 'Application/app-prod', rule: 'join-argocd-project', message: 'names project "nonprod-only", which no AppProject of Argo CD "prod" defines' },
    ]);
  });

  test('a project in the Application\'s own directory counts only in an earlier sync wave', () => {
    const project = (wave: string): Json => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'late', namespace: 'argocd', annotations: { 'argocd.argoproj.io/sync-wave': wave } }, spec: OPEN });
    const late = (wave: string) => mutateYaml(APP_PROD, (a) => { get(a, 'spec').project = 'late'; }, addFile('kubernetes/argocd/prod/appproject-late.yaml', dump(project(wave))));
    expect(of('join-argocd-project', late('0'))).toHaveLength(1);
    expect(of('join-argocd-project', late('-1'))).toEqual([]);
  });

  test('a destination no cluster Secret registers: production driven from nowhere', () => {
    const files = mutateYaml(APP_PROD, (a) => { get(a, 'spec', 'destination').server = 'https://prod.clusters.shop.example.com'; });
    expect(of('join-argocd-project', files)).toEqual([
      { file: APP_PROD, object: 'Application/app-prod', rule: 'join-argocd-project', message: 'deploys to "https://prod.clusters.shop.example.com", which Argo CD "prod" has no cluster for' },
    ]);
  });

  test('a central Argo CD registers the remote cluster with its own Secret', () => {
    const central = withConfig((c) => ({
      ...c,
      clusters: c.clusters.map((k) => (k.name === 'prod' ? { ...k, argocdManagedBy: 'nonprod', argoServer: 'https://gke-0123.europe-west1.gke.goog' } : k)),
    }));
    const files = synthPlatform(central).files;
    expect(of('join-argocd-project', files)).toEqual([]);
    expect(of('argocd-project-scope', files)).toEqual([]);
    const unregistered = files.filter((f) => f.path !== 'kubernetes/bootstrap/nonprod/secret-cluster-prod.yaml');
    // Every Application that targets prod: its environments, its cluster objects and its add-ons.
    const flagged = of('join-argocd-project', unregistered).map((v) => v.object);
    expect(flagged.filter((o) => !o.startsWith('Application/addon-prod-')).sort()).toEqual(['Application/app-canary', 'Application/app-prod', 'Application/cluster-prod']);
    expect(flagged.filter((o) => o.startsWith('Application/addon-prod-')).length).toBeGreaterThan(0);
    // A cluster managed from another runs no Argo CD of its own.
    expect(files.some((f) => f.path.endsWith('application-addon-prod-argo-cd.yaml'))).toBe(false);
  });
});

describe('argocd-project-scope', () => {
  test('the fixture: no project reaches Argo CD\'s objects, and cluster-scoped kinds are listed', () => {
    expect(of('argocd-project-scope', fixtureFiles())).toEqual([]);
  });

  test('the apps project with Argo CD\'s namespace and every kind could create Applications, AppProjects and cluster Secrets', () => {
    const files = mutateYaml(APPS_PROJECT, (p) => { (get(p, 'spec').destinations as Json[]).push({ server: 'https://kubernetes.default.svc', namespace: 'argocd' }); });
    expect(of('argocd-project-scope', files)).toEqual([
      { file: APPS_PROJECT, object: 'AppProject/shop', rule: 'argocd-project-scope', message: 'may create any namespaced kind in Argo CD\'s namespace "argocd" (Applications, AppProjects, cluster Secrets)' },
    ]);
  });

  test('a destination glob that covers Argo CD\'s namespace counts, and so does a missing whitelist', () => {
    const glob = mutateYaml(APPS_PROJECT, (p) => { (get(p, 'spec').destinations as Json[]).push({ server: 'https://kubernetes.default.svc', namespace: 'argo*' }); });
    expect(of('argocd-project-scope', glob)).toHaveLength(1);
    const own = 'kubernetes/bootstrap/prod/appproject-shop-argocd.yaml';
    const noList = mutateYaml(own, (p) => { delete get(p, 'spec').namespaceResourceWhitelist; });
    expect(of('argocd-project-scope', noList).map((v) => v.object)).toEqual(['AppProject/shop-argocd']);
  });

  test('a wildcard cluster-scoped kind', () => {
    const files = mutateYaml('kubernetes/bootstrap/nonprod/appproject-shop-addons.yaml', (p) => { get(p, 'spec').clusterResourceWhitelist = [{ group: '*', kind: '*' }]; });
    expect(of('argocd-project-scope', files)).toEqual([
      { file: 'kubernetes/bootstrap/nonprod/appproject-shop-addons.yaml', object: 'AppProject/shop-addons', rule: 'argocd-project-scope', message: 'allows every cluster-scoped kind' },
    ]);
  });
});
