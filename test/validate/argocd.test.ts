// Argo CD's topology, bootstrap and projects (docs/argocd.md): join-argocd-project, argocd-project-scope.
import { dump } from 'js-yaml';
import { synthPlatform } from '../../lib/pipeline/synth';
import { addFile, fixtureFiles, get, type Json, mutateYaml, of, withConfig } from './helpers';

const ROOT = 'kubernetes/bootstrap/prod/application-shop-root.yaml';
const APP_PROD = 'kubernetes/argocd/prod/application-app-prod.yaml';
const APPS_PROJECT = 'kubernetes/bootstrap/prod/appproject-shop.yaml';

describe('join-argocd-project', () => {
  test('the fixture: every Application\'s project is bootstrapped with it, and every destination is registered', () => {
    expect(of('join-argocd-project', fixtureFiles())).toEqual([]);
  });

  test('a root app whose project only the root app itself would create deadlocks the bootstrap', () => {
    const files = mutateYaml(ROOT, (a) => { get(a, 'spec').project = 'shop-platform'; }, addFile('kubernetes/argocd/prod/appproject-shop-platform.yaml',
      dump({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'shop-platform', namespace: 'argocd' }, spec: {} })));
    expect(of('join-argocd-project', files)).toEqual([
      { file: ROOT, object: 'Application/shop-root', rule: 'join-argocd-project', message: 'names project "shop-platform", which reaches Argo CD only after it' },
    ]);
  });

  test('a project of another Argo CD instance does not count', () => {
    const files = mutateYaml(APP_PROD, (a) => { get(a, 'spec').project = 'nonprod-only'; }, addFile('kubernetes/bootstrap/nonprod/appproject-nonprod-only.yaml',
      dump({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'nonprod-only', namespace: 'argocd' }, spec: {} })));
    expect(of('join-argocd-project', files)).toEqual([
      { file: APP_PROD, object: 'Application/app-prod', rule: 'join-argocd-project', message: 'names project "nonprod-only", which no AppProject of Argo CD "prod" defines' },
    ]);
  });

  test('a project in the Application\'s own directory counts only in an earlier sync wave', () => {
    const project = (wave: string): Json => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'late', namespace: 'argocd', annotations: { 'argocd.argoproj.io/sync-wave': wave } }, spec: {} });
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
