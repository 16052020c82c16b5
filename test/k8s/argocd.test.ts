import * as fs from 'node:fs';
import * as path from 'node:path';
import { load } from 'js-yaml';
import { fixturePlatform } from '../fixtures/shop/platform';
import { synthPlatform } from '../../lib/pipeline/synth';

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
  // The Applications of directories; the add-ons' Helm Applications are tested in test/k8s/addons.test.ts.
  const applications = objects.filter((o) => o.object.kind === 'Application' && o.object.spec.source.chart === undefined);
  const app = (name: string) => applications.find((a) => a.object.metadata.name === name)?.object;

  test('one Application per environment and per cluster, plus the root app-of-apps', () => {
    expect(applications.map((a) => a.object.metadata.name).sort()).toEqual([
      'app-canary',
      'app-dev',
      'app-prod',
      'app-stage',
      'cluster-nonprod',
      'cluster-prod',
      'shop-root',
    ]);
  });

  test('a cluster Application syncs on its own only when every environment on the cluster does', () => {
    expect(app('cluster-nonprod')?.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(app('cluster-prod')?.spec.syncPolicy.automated).toBeUndefined();
    expect(app('cluster-prod')?.spec.source.path).toBe('kubernetes/clusters/prod');
  });

  test('every Application path exists in the output and holds manifests', () => {
    for (const { object } of applications) {
      const dir = object.spec.source.path;
      const inside = [...byPath.keys()].filter((p) => p.startsWith(`${dir}/`));
      expect([object.metadata.name, inside.length > 0]).toEqual([object.metadata.name, true]);
    }
  });

  test('each environment Application points at its own directory, cluster and namespace', () => {
    const platform = fixturePlatform();
    for (const env of platform.environments) {
      expect(app(`app-${env.name}`)?.spec).toMatchObject({
        project: 'shop',
        source: { path: `kubernetes/${env.name}`, targetRevision: 'main' },
        destination: { server: env.clusterConfig.argoServer, namespace: env.namespace },
      });
    }
    expect(app('app-dev')?.spec.destination.server).toBe(app('app-stage')?.spec.destination.server);
    expect(app('app-prod')?.spec.destination.server).toBe(app('app-canary')?.spec.destination.server);
    expect(app('app-prod')?.spec.destination.server).not.toBe(app('app-dev')?.spec.destination.server);
  });

  test('dev, stage and canary sync automatically with prune and self-heal; prod syncs by hand', () => {
    for (const env of ['dev', 'stage', 'canary']) {
      expect(app(`app-${env}`)?.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    }
    expect(app('app-prod')?.spec.syncPolicy.automated).toBeUndefined();
  });

  test('the root app-of-apps points at the directory of the Applications', () => {
    const root = app('shop-root');
    expect(root?.spec.source.path).toBe('kubernetes/argocd');
    const inRoot = objects.filter((o) => o.path.startsWith('kubernetes/argocd/')).map((o) => o.object.kind);
    // 4 environments and 2 clusters, plus 17 add-ons (6 on nonprod, 11 on prod).
    expect(inRoot.filter((k) => k === 'Application')).toHaveLength(6 + 17);
    expect(inRoot).toContain('AppProject');
  });

  test('the AppProject allows exactly the repository and the destinations the Applications use', () => {
    const project = load(byPath.get('kubernetes/argocd/appproject-shop.yaml') ?? '') as {
      spec: { sourceRepos: string[]; destinations: { server: string; namespace: string }[] };
    };
    for (const { object } of applications) {
      expect(project.spec.sourceRepos).toContain(object.spec.source.repoURL);
      expect(project.spec.destinations).toContainEqual(object.spec.destination);
    }
  });

  test('files in the output have no kustomization and no Helm chart', () => {
    const names = [...byPath.keys()].map((p) => path.basename(p));
    expect(names.filter((n) => /^(kustomization\.ya?ml|Chart\.yaml|values\.yaml)$/.test(n))).toEqual([]);
    expect(fs.existsSync(path.join(__dirname, '..', '..', 'kustomization.yaml'))).toBe(false);
  });
});
