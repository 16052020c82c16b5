import { samplePlatform } from '../../apps/platform';
import { synthPlatform } from '../../lib/pipeline/synth';
import { diffOutput } from '../../lib/diff/compare';
import { DiffReport, RiskRule } from '../../lib/diff/report';
import { dirSource } from '../../lib/diff/tree-source';
import { toYaml } from '../../lib/engine/kubernetes';
import { PlatformConfig } from '../../lib/model/config';
import { parseReleases } from '../../lib/model/releases';
import { SyncPolicy } from '../../lib/model/sync-policy';
import { withConfig } from '../helpers';
import { copyTree, diffDir, editFile, readFile, removeTempDirs, scratchDir, synthesizedTree, withApp, writeFile } from './fixtures';

let base: string;
beforeAll(() => {
  base = synthesizedTree();
});
afterAll(removeTempDirs);

/** `rule object (path)` for each flag, to compare whole lists. */
const flags = (report: DiffReport, rule?: RiskRule): string[] =>
  report.risks.filter((r) => rule === undefined || r.rule === rule).map((r) => `${r.rule} ${r.object} (${r.path})`);

const reasons = (report: DiffReport, rule: RiskRule): string[] => report.risks.filter((r) => r.rule === rule).map((r) => r.reason);

const diffConfig = (change: (c: PlatformConfig) => PlatformConfig): DiffReport => diffDir(withConfig(change), base);

/**
 * For objects the synth does not produce (other kinds, or other specs than the synth writes): the
 * sample synth plus `extra` objects as the new side, `oldTree` as the old side, through the same
 * comparison the command runs.
 */
function diffWithObjects(oldTree: string, extra: readonly { path: string; object: unknown; scope: string }[]): DiffReport {
  const platform = samplePlatform();
  const output = synthPlatform(platform);
  const files = [...output.files, ...extra.map((e) => ({ path: e.path, scope: e.scope, content: toYaml(e.object) }))];
  return diffOutput({ files, scopes: output.scopes }, dirSource(oldTree), {
    environments: platform.environments.map((e) => e.name),
    production: [platform.production.name],
  });
}

const meta = (name: string) => ({ name, namespace: 'shop-prod' });

describe('forces-replacement', () => {
  test('moving the prod cluster to another region replaces the cluster and its databases and caches', () => {
    const report = diffConfig((c) => ({
      ...c,
      clusters: c.clusters.map((k) => (k.name === 'prod' ? { ...k, region: 'europe-west4' } : k)),
      environments: c.environments.map((e) => (e.cluster === 'prod' ? { ...e, region: 'europe-west4' } : e)),
    }));
    const stack = 'terraform/cluster-prod/main.tf.json';
    expect(flags(report, 'forces-replacement')).toEqual([
      `forces-replacement google_container_cluster.cluster (${stack})`,
      `forces-replacement google_redis_instance.caches_inventory_api_canary_instance (${stack})`,
      `forces-replacement google_redis_instance.caches_inventory_api_prod_instance (${stack})`,
      `forces-replacement google_sql_database_instance.databases_inventory_api_canary_instance (${stack})`,
      `forces-replacement google_sql_database_instance.databases_inventory_api_prod_instance (${stack})`,
    ]);
    expect(reasons(report, 'forces-replacement')[0]).toBe('location "europe-west1" → "europe-west4" forces replacement');
  });

  test('a new PostgreSQL version replaces every Cloud SQL instance of the app', () => {
    const report = diffConfig((c) =>
      withApp(c, 'inventory-api', (a) => ({ ...a, needs: { ...a.needs, database: { version: 'POSTGRES_15', migrateCommand: ['migrate'] } } })),
    );
    expect(flags(report, 'forces-replacement')).toHaveLength(4);
    expect(reasons(report, 'forces-replacement')).toContain('database_version "POSTGRES_16" → "POSTGRES_15" forces replacement');
  });

  test('renaming the state bucket replaces it', () => {
    const report = diffConfig((c) => ({ ...c, state: { ...c.state, bucket: 'shop-platform-tofu-state-2' } }));
    expect(flags(report, 'forces-replacement')).toEqual(['forces-replacement google_storage_bucket.state_bucket (terraform/bootstrap/main.tf.json)']);
  });

  test('a new Redis tier in prod replaces the prod cache', () => {
    const report = diffConfig((c) => ({ ...c, environments: c.environments.map((e) => (e.name === 'prod' ? { ...e, cache: { tier: 'BASIC' } } : e)) }));
    expect(flags(report, 'forces-replacement')).toEqual([
      'forces-replacement google_redis_instance.caches_inventory_api_prod_instance (terraform/cluster-prod/main.tf.json)',
    ]);
  });

  test('an attribute outside the table does not flag', () => {
    const report = diffConfig((c) => ({ ...c, clusters: c.clusters.map((k) => (k.name === 'prod' ? { ...k, nodePool: { ...k.nodePool, maxNodes: 12 } } : k)) }));
    expect(report.changes.length).toBeGreaterThan(0);
    expect(report.risks).toEqual([]);
  });
});

describe('deletes-stateful', () => {
  test('removing the app with a database deletes its Cloud SQL and Redis instances in every environment', () => {
    const report = diffConfig((c) => ({
      ...c,
      apps: c.apps.filter((a) => a.name !== 'inventory-api').map((a) => ({ ...a, needs: { ...a.needs, dependsOn: [] } })),
    }));
    const deleted = flags(report, 'deletes-stateful');
    expect(deleted).toContain('deletes-stateful google_sql_database_instance.databases_inventory_api_prod_instance (terraform/cluster-prod/main.tf.json)');
    expect(deleted).toContain('deletes-stateful google_redis_instance.caches_inventory_api_dev_instance (terraform/cluster-nonprod/main.tf.json)');
    expect(deleted.filter((f) => f.includes('google_sql_database_instance'))).toHaveLength(4);
    expect(deleted.filter((f) => f.includes('google_redis_instance'))).toHaveLength(4);
    expect(reasons(report, 'deletes-stateful')).toContain('destroys the Cloud SQL instance, its databases and its backups');
  });

  test('renaming an environment namespace deletes the old Namespace', () => {
    const report = diffConfig((c) => ({ ...c, environments: c.environments.map((e) => (e.name === 'dev' ? { ...e, namespace: 'shop-development' } : e)) }));
    expect(flags(report, 'deletes-stateful')).toEqual(['deletes-stateful Namespace/shop-dev (kubernetes/dev/namespace-shop-dev.yaml)']);
  });

  test('a storage bucket gone from a stack (simulated: the old stack on disk gains a second bucket)', () => {
    const tree = copyTree(base);
    const stack = 'terraform/bootstrap/main.tf.json';
    editFile(tree, stack, (text) => {
      const json = JSON.parse(text) as { resource: Record<string, Record<string, unknown>> };
      json.resource.google_storage_bucket.assets = { name: 'shop-assets', location: 'EU' };
      return `${JSON.stringify(json, null, 2)}\n`;
    });
    expect(flags(diffDir(samplePlatform(), tree))).toEqual([`deletes-stateful google_storage_bucket.assets (${stack})`]);
  });

  test('a PersistentVolumeClaim gone from an environment (simulated: PVCs are not synthesized yet)', () => {
    const tree = copyTree(base);
    const claim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta('data'), spec: { resources: { requests: { storage: '1Gi' } } } };
    writeFile(tree, 'kubernetes/prod/persistentvolumeclaim-data.yaml', toYaml(claim));
    expect(flags(diffDir(samplePlatform(), tree))).toEqual(['deletes-stateful PersistentVolumeClaim/data (kubernetes/prod/persistentvolumeclaim-data.yaml)']);
  });
});

describe('fewer-prod-replicas', () => {
  const replicas = (env: string, n: number) => (c: PlatformConfig) =>
    withApp(c, 'inventory-api', (a) => ({ ...a, overrides: { ...a.overrides, [env]: { ...a.overrides?.[env], replicas: n } } }));

  test('lowering the prod replica override flags the prod autoscaler, whose minReplicas is the floor', () => {
    const report = diffConfig(replicas('prod', 3));
    // The autoscaled Rollout sets no count of its own, so the autoscaler is the one changed object.
    expect(report.changes.map((c) => c.name)).toEqual(['HorizontalPodAutoscaler/inventory-api']);
    expect(flags(report)).toEqual([
      'fewer-prod-replicas HorizontalPodAutoscaler/inventory-api (kubernetes/prod/horizontalpodautoscaler-inventory-api.yaml)',
    ]);
    expect(reasons(report, 'fewer-prod-replicas')).toEqual(['spec.minReplicas 4 → 3 in production environment prod']);
  });

  test('more prod replicas, or fewer outside prod, do not flag', () => {
    expect(diffConfig(replicas('prod', 5)).risks).toEqual([]);
    const stage = diffConfig((c) => ({ ...c, environments: c.environments.map((e) => (e.name === 'stage' ? { ...e, replicas: { replicas: 1 } } : e)) }));
    expect(stage.changes.length).toBeGreaterThan(0);
    expect(stage.risks).toEqual([]);
  });

  /** inventory-api in prod at a fixed count: `maxReplicas` equal to `replicas` means no autoscaler. */
  const fixed = (n: number) => (c: PlatformConfig) =>
    withApp(c, 'inventory-api', (a) => ({ ...a, overrides: { ...a.overrides, prod: { ...a.overrides?.prod, replicas: n, maxReplicas: n } } }));
  // In prod inventory-api runs as an Argo Rollout; `rolling` makes it a plain Deployment again.
  const rollout = 'kubernetes/prod/rollout-inventory-api.yaml';
  const deployment = 'kubernetes/prod/deployment-inventory-api.yaml';
  const autoscaler = 'kubernetes/prod/horizontalpodautoscaler-inventory-api.yaml';
  const rolling = (c: PlatformConfig): PlatformConfig =>
    withApp(c, 'inventory-api', (a) => ({ ...a, delivery: { strategy: { type: 'rolling' } } }));
  const fewerOnly = (report: DiffReport): string[] => flags(report, 'fewer-prod-replicas');

  test('a prod Rollout without an autoscaler flags on a lower spec.replicas', () => {
    const tree = synthesizedTree(withConfig(fixed(4)));
    expect(readFile(tree, rollout)).toContain('\nkind: Rollout\n');
    expect(readFile(tree, rollout)).toContain('\n  replicas: 4\n');
    const report = diffDir(withConfig(fixed(3)), tree);
    expect(flags(report)).toEqual([`fewer-prod-replicas Rollout/inventory-api (${rollout})`]);
    expect(reasons(report, 'fewer-prod-replicas')).toEqual(['spec.replicas 4 → 3 in production environment prod']);
  });

  test('a prod Deployment without an autoscaler flags on a lower spec.replicas', () => {
    const tree = synthesizedTree(withConfig((c) => fixed(4)(rolling(c))));
    expect(readFile(tree, deployment)).toContain('\n  replicas: 4\n');
    const report = diffDir(withConfig((c) => fixed(3)(rolling(c))), tree);
    expect(flags(report)).toEqual([`fewer-prod-replicas Deployment/inventory-api (${deployment})`]);
    expect(reasons(report, 'fewer-prod-replicas')).toEqual(['spec.replicas 4 → 3 in production environment prod']);
  });

  test('dropping the prod autoscaler for a lower fixed count flags the Rollout that now carries it', () => {
    const report = diffConfig(fixed(3));
    expect(report.changes.map((c) => `${c.change} ${c.name}`)).toEqual(['removed HorizontalPodAutoscaler/inventory-api', 'changed Rollout/inventory-api']);
    expect(flags(report)).toEqual([`fewer-prod-replicas Rollout/inventory-api (${rollout})`]);
    expect(reasons(report, 'fewer-prod-replicas')).toEqual([
      'spec.replicas 3 replaces spec.minReplicas 4 of the removed HorizontalPodAutoscaler/inventory-api in production environment prod',
    ]);
    // The same count without the autoscaler is no fewer.
    expect(diffConfig(fixed(4)).risks).toEqual([]);
  });

  test('an autoscaler whose floor is below the fixed count it replaces flags', () => {
    const tree = synthesizedTree(withConfig(fixed(5)));
    const report = diffDir(samplePlatform(), tree);
    expect(flags(report)).toEqual([`fewer-prod-replicas HorizontalPodAutoscaler/inventory-api (${autoscaler})`]);
    expect(reasons(report, 'fewer-prod-replicas')).toEqual(['spec.minReplicas 4 replaces spec.replicas 5 of Rollout/inventory-api in production environment prod']);
    expect(diffDir(samplePlatform(), synthesizedTree(withConfig(fixed(4)))).risks).toEqual([]);
  });

  // A Deployment turned into a Rollout (or back) is a removed and an added object of the same name.
  test('a Deployment turned into a Rollout with fewer replicas flags the Rollout; back to a Deployment flags that', () => {
    const report = diffDir(withConfig(fixed(3)), synthesizedTree(withConfig((c) => fixed(5)(rolling(c)))));
    const changed = report.changes.map((c) => `${c.group} ${c.change} ${c.name}`);
    expect(changed).toContain('prod removed Deployment/inventory-api');
    expect(changed).toContain('prod added Rollout/inventory-api');
    expect(fewerOnly(report)).toEqual([`fewer-prod-replicas Rollout/inventory-api (${rollout})`]);
    expect(reasons(report, 'fewer-prod-replicas')).toEqual([
      'spec.replicas 3 replaces spec.replicas 5 of the removed Deployment/inventory-api in production environment prod',
    ]);
    const back = diffDir(withConfig((c) => fixed(3)(rolling(c))), synthesizedTree(withConfig(fixed(5))));
    expect(fewerOnly(back)).toEqual([`fewer-prod-replicas Deployment/inventory-api (${deployment})`]);
    // The same count under the other kind is no fewer.
    expect(fewerOnly(diffDir(withConfig(fixed(5)), synthesizedTree(withConfig((c) => fixed(5)(rolling(c))))))).toEqual([]);
  });

  test('an autoscaled Deployment turned into a Rollout at a lower fixed count flags the Rollout', () => {
    const report = diffDir(withConfig(fixed(3)), synthesizedTree(withConfig(rolling)));
    expect(report.changes.map((c) => `${c.group} ${c.change} ${c.name}`)).toContain('prod removed HorizontalPodAutoscaler/inventory-api');
    expect(fewerOnly(report)).toEqual([`fewer-prod-replicas Rollout/inventory-api (${rollout})`]);
    expect(reasons(report, 'fewer-prod-replicas')).toEqual([
      'spec.replicas 3 replaces spec.minReplicas 4 of the removed HorizontalPodAutoscaler/inventory-api in production environment prod',
    ]);
    // Autoscaled on both sides: the autoscaler keeps its floor, though it now scales the Rollout.
    expect(fewerOnly(diffDir(samplePlatform(), synthesizedTree(withConfig(rolling))))).toEqual([]);
  });

  test('a fixed-count Deployment turned into an autoscaled Rollout with a lower floor flags the autoscaler', () => {
    const report = diffDir(samplePlatform(), synthesizedTree(withConfig((c) => fixed(5)(rolling(c)))));
    expect(fewerOnly(report)).toEqual([`fewer-prod-replicas HorizontalPodAutoscaler/inventory-api (${autoscaler})`]);
    expect(reasons(report, 'fewer-prod-replicas')).toEqual([
      'spec.minReplicas 4 replaces spec.replicas 5 of the removed Deployment/inventory-api in production environment prod',
    ]);
  });

  test('a lower or absent minReplicas of an autoscaler the synth does not write', () => {
    const hpa = (min?: number) => ({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: meta('diff-fixture'),
      spec: {
        ...(min === undefined ? {} : { minReplicas: min }),
        maxReplicas: 10,
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      },
    });
    const path = 'kubernetes/prod/horizontalpodautoscaler-diff-fixture.yaml';
    const tree = copyTree(base);
    writeFile(tree, path, toYaml(hpa(3)));
    expect(flags(diffWithObjects(tree, [{ path, scope: 'prod', object: hpa(2) }]))).toEqual([`fewer-prod-replicas HorizontalPodAutoscaler/diff-fixture (${path})`]);
    const absent = diffWithObjects(tree, [{ path, scope: 'prod', object: hpa() }]);
    expect(reasons(absent, 'fewer-prod-replicas')).toEqual(['spec.minReplicas 3 → 1 in production environment prod']);
    expect(diffWithObjects(tree, [{ path, scope: 'prod', object: hpa(4) }]).risks).toEqual([]);
  });
});

describe('weaker-disruption-budget', () => {
  const pdb = (spec: Record<string, unknown>) => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta('diff-fixture'), spec });
  const path = (env: string) => `kubernetes/${env}/poddisruptionbudget-diff-fixture.yaml`;

  test('one replica in stage and prod removes their budgets; only the prod ones flag', () => {
    // The synth gives a budget only to workloads with two replicas or more; inventory-api keeps 4 in prod.
    const report = diffConfig((c) => ({
      ...c,
      environments: c.environments.map((e) => (e.name === 'stage' || e.name === 'prod' ? { ...e, replicas: { replicas: 1 } } : e)),
    }));
    const removed = report.changes.filter((c) => c.kind === 'PodDisruptionBudget').map((c) => `${c.group} ${c.change} ${c.name}`);
    expect(removed).toHaveLength(7);
    expect(removed.filter((c) => c.startsWith('prod '))).toEqual([
      'prod removed PodDisruptionBudget/admin',
      'prod removed PodDisruptionBudget/web',
      'prod removed PodDisruptionBudget/worker',
    ]);
    expect(flags(report, 'weaker-disruption-budget')).toEqual(
      ['admin', 'web', 'worker'].map((app) => `weaker-disruption-budget PodDisruptionBudget/${app} (kubernetes/prod/poddisruptionbudget-${app}.yaml)`),
    );
    expect(new Set(reasons(report, 'weaker-disruption-budget'))).toEqual(new Set(['removes the disruption budget in production environment prod']));
  });

  test('a removed prod PDB flags; a removed dev PDB does not (budgets the synth does not write)', () => {
    const tree = copyTree(base);
    writeFile(tree, path('prod'), toYaml(pdb({ minAvailable: 2 })));
    writeFile(tree, path('dev'), toYaml(pdb({ minAvailable: 1 })));
    const report = diffDir(samplePlatform(), tree);
    expect(flags(report)).toEqual([`weaker-disruption-budget PodDisruptionBudget/diff-fixture (${path('prod')})`]);
  });

  test.each([
    [{ minAvailable: 2 }, { minAvailable: 1 }, 'minAvailable 2 → 1'],
    [{ maxUnavailable: 1 }, { maxUnavailable: 2 }, 'maxUnavailable 1 → 2'],
    [{ maxUnavailable: '10%' }, { maxUnavailable: '25%' }, 'maxUnavailable "10%" → "25%"'],
    [{ minAvailable: 2 }, { maxUnavailable: 1 }, 'minAvailable 2 removed; maxUnavailable 1 added'],
  ])('%j → %j is weaker: %s', (was, now, reason) => {
    const tree = copyTree(base);
    writeFile(tree, path('prod'), toYaml(pdb(was)));
    const report = diffWithObjects(tree, [{ path: path('prod'), scope: 'prod', object: pdb(now) }]);
    expect(reasons(report, 'weaker-disruption-budget')).toEqual([`${reason} in production environment prod`]);
  });

  test('a stronger PDB does not flag', () => {
    const tree = copyTree(base);
    writeFile(tree, path('prod'), toYaml(pdb({ minAvailable: 1 })));
    expect(diffWithObjects(tree, [{ path: path('prod'), scope: 'prod', object: pdb({ minAvailable: 2 }) }]).risks).toEqual([]);
  });
});

describe('widens-access', () => {
  test('a new dependency opens the NetworkPolicies of both apps, in every environment that runs them', () => {
    const report = diffConfig((c) => withApp(c, 'worker', (a) => ({ ...a, needs: { ...a.needs, dependsOn: [...(a.needs?.dependsOn ?? []), 'web'] } })));
    const prod = report.risks.filter((r) => r.group === 'prod');
    expect(prod.map((r) => `${r.rule} ${r.object}: ${r.reason}`)).toEqual([
      'widens-access NetworkPolicy/web: widens access: ingress from {"podSelector":{"matchLabels":{"app.kubernetes.io/name":"worker"}}} (new peer) on port 8080/TCP',
      'widens-access NetworkPolicy/worker: widens access: egress to {"podSelector":{"matchLabels":{"app.kubernetes.io/name":"web"}}} (new peer) on port 8080/TCP',
    ]);
    expect(flags(report, 'widens-access')).toHaveLength(report.changes.length);
    expect(report.changes.every((c) => c.kind === 'NetworkPolicy')).toBe(true);
    // The canary environment runs only inventory-api's release candidate: neither app is there.
    expect(new Set(report.changes.map((c) => c.group))).toEqual(new Set(['dev', 'stage', 'prod']));
  });

  test('edit access for the teams in prod widens their Roles', () => {
    const report = diffConfig((c) => ({ ...c, environments: c.environments.map((e) => (e.name === 'prod' ? { ...e, teamAccess: 'edit' } : e)) }));
    expect(flags(report)).toEqual(
      ['backoffice', 'inventory', 'storefront'].map((team) => `widens-access Role/team-${team} (kubernetes/prod/role-team-${team}.yaml)`),
    );
    expect(reasons(report, 'widens-access')[0]).toMatch(/^widens access: grants create apps\/deployments, update apps\/deployments, patch apps\/deployments and \d+ more$/);
    // Back to view access narrows them again.
    const edit = synthesizedTree(withConfig((c) => ({ ...c, environments: c.environments.map((e) => (e.name === 'prod' ? { ...e, teamAccess: 'edit' } : e)) })));
    const narrowed = diffDir(samplePlatform(), edit);
    expect(narrowed.changes.map((c) => c.name)).toEqual(['Role/team-backoffice', 'Role/team-inventory', 'Role/team-storefront']);
    expect(narrowed.risks).toEqual([]);
  });

  // Policies and bindings unlike the synth's, for the rule's finer cases.
  const policy = (spec: Record<string, unknown>) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('diff-fixture'), spec });
  const path = 'kubernetes/prod/networkpolicy-diff-fixture.yaml';
  const allowFrom = (peer: unknown) => policy({ podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: [{ from: [peer], ports: [{ port: 8080 }] }] });

  test('a wider ipBlock in a NetworkPolicy flags', () => {
    const tree = copyTree(base);
    writeFile(tree, path, toYaml(allowFrom({ ipBlock: { cidr: '10.1.0.0/16' } })));
    const report = diffWithObjects(tree, [{ path, scope: 'prod', object: allowFrom({ ipBlock: { cidr: '10.0.0.0/8' } }) }]);
    expect(flags(report)).toEqual([`widens-access NetworkPolicy/diff-fixture (${path})`]);
    expect(reasons(report, 'widens-access')).toEqual(['widens access: ingress from ipBlock 10.0.0.0/8 (wider than 10.1.0.0/16) on port 8080/TCP']);
  });

  test('a narrower ipBlock does not flag', () => {
    const tree = copyTree(base);
    writeFile(tree, path, toYaml(allowFrom({ ipBlock: { cidr: '10.0.0.0/8' } })));
    expect(diffWithObjects(tree, [{ path, scope: 'prod', object: allowFrom({ ipBlock: { cidr: '10.1.0.0/16' } }) }]).risks).toEqual([]);
  });

  test('a removed default-deny policy flags', () => {
    const tree = copyTree(base);
    writeFile(tree, path, toYaml(policy({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] })));
    expect(reasons(diffDir(samplePlatform(), tree), 'widens-access')).toEqual(['widens access: removes a policy that denies ingress and egress traffic']);
  });

  test('a Role gaining a verb and a RoleBinding gaining a subject flag', () => {
    const role = (verbs: string[]) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta('diff-fixture'),
      rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs }],
    });
    const binding = (users: string[]) => ({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta('diff-fixture'),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'diff-fixture' },
      subjects: users.map((name) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name })),
    });
    const tree = copyTree(base);
    writeFile(tree, 'kubernetes/prod/role-diff-fixture.yaml', toYaml(role(['get', 'list'])));
    writeFile(tree, 'kubernetes/prod/rolebinding-diff-fixture.yaml', toYaml(binding(['shop-devs'])));
    const report = diffWithObjects(tree, [
      { path: 'kubernetes/prod/role-diff-fixture.yaml', scope: 'prod', object: role(['get', 'list', 'delete']) },
      { path: 'kubernetes/prod/rolebinding-diff-fixture.yaml', scope: 'prod', object: binding(['shop-devs', 'contractors']) },
    ]);
    expect(reasons(report, 'widens-access')).toEqual([
      'widens access: grants delete apps/deployments',
      'widens access: gives Role diff-fixture to Group contractors',
    ]);
  });
});

describe('automated-prod-sync', () => {
  test('turning on automated sync for prod flags its Application', () => {
    const report = diffConfig((c) => ({
      ...c,
      environments: c.environments.map((e) => (e.name === 'prod' ? { ...e, sync: SyncPolicy.automated({ prune: true, selfHeal: true }) } : e)),
    }));
    expect(flags(report)).toEqual(['automated-prod-sync Application/app-prod (kubernetes/argocd/application-app-prod.yaml)']);
  });

  test('automated sync elsewhere does not flag', () => {
    const tree = copyTree(base);
    editFile(tree, 'kubernetes/argocd/application-app-stage.yaml', (t) => t.replace(/ {4}automated:\n(?: {6}.*\n)+/, ''));
    const report = diffDir(samplePlatform(), tree);
    expect(report.changes.map((c) => c.name)).toEqual(['Application/app-stage']);
    expect(report.risks).toEqual([]);
  });
});

describe('image-tag-backwards', () => {
  const prodTag = (tag: string) => (c: PlatformConfig): PlatformConfig => ({
    ...c,
    releases: parseReleases({ environments: { ...c.releases.environments, prod: { tag } } }),
  });

  const image = (app: string) => `europe-west1-docker.pkg.dev/shop-platform/shop/${app}`;
  const isWorkload = (kind: string): boolean => kind === 'Deployment' || kind === 'Rollout';

  test('rolling prod back to an older release flags every prod workload once, Rollouts and Deployments, naming each container', () => {
    const report = diffConfig(prodTag('v1.3.0'));
    const workloads = report.changes.filter((c) => isWorkload(c.kind));
    expect(workloads.map((c) => `${c.group} ${c.name}`)).toEqual([
      'prod Deployment/worker',
      ...['admin', 'inventory-api', 'web'].map((app) => `prod Rollout/${app}`),
    ]);
    // One flag per workload, though inventory-api's migrate init container runs the same image.
    expect(flags(report, 'image-tag-backwards')).toEqual(
      workloads.map((c) => `image-tag-backwards ${c.name} (${c.path})`),
    );
    expect(reasons(report, 'image-tag-backwards')).toEqual([
      `container app: ${image('worker')} tag v1.3.1 → v1.3.0 goes backwards`,
      `container app: ${image('admin')} tag v1.3.1 → v1.3.0 goes backwards`,
      `containers app and migrate: ${image('inventory-api')} tag v1.3.1 → v1.3.0 goes backwards`,
      `container app: ${image('web')} tag v1.3.1 → v1.3.0 goes backwards`,
    ]);
  });

  test('a Deployment turned into a Rollout on an older release flags the Rollout, naming the Deployment it replaces', () => {
    const rolling = (c: PlatformConfig): PlatformConfig => withApp(c, 'inventory-api', (a) => ({ ...a, delivery: { strategy: { type: 'rolling' } } }));
    const report = diffDir(withConfig(prodTag('v1.3.0')), synthesizedTree(withConfig(rolling)));
    const path = 'kubernetes/prod/rollout-inventory-api.yaml';
    expect(report.changes.find((c) => c.path === path)?.change).toBe('added');
    expect(flags(report, 'image-tag-backwards')).toContain(`image-tag-backwards Rollout/inventory-api (${path})`);
    expect(report.risks.find((r) => r.path === path)?.reason).toBe(
      `containers app and migrate: ${image('inventory-api')} tag v1.3.1 → v1.3.0 goes backwards (replaces the removed Deployment/inventory-api)`,
    );
    // On the same release the switch of kind moves no tag.
    expect(flags(diffDir(samplePlatform(), synthesizedTree(withConfig(rolling))), 'image-tag-backwards')).toEqual([]);
  });

  test('a newer release does not flag', () => {
    expect(diffConfig(prodTag('v1.3.2')).risks).toEqual([]);
  });
});

describe('secret-carries-data', () => {
  const secret = (data?: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: meta('diff-fixture'), type: 'Opaque', ...(data ? { stringData: data } : {}) });
  const path = 'kubernetes/prod/secret-diff-fixture.yaml';

  test('an added Secret with stringData flags; one without data does not (simulated: the synth writes no Secrets)', () => {
    expect(flags(diffWithObjects(base, [{ path, scope: 'prod', object: secret({ PASSWORD: 'hunter2' }) }]))).toEqual([
      `secret-carries-data Secret/diff-fixture (${path})`,
    ]);
    expect(diffWithObjects(base, [{ path, scope: 'prod', object: secret() }]).risks).toEqual([]);
  });

  test('the ExternalSecrets the synth writes do not flag, even all added at once', () => {
    const report = diffDir(samplePlatform(), scratchDir());
    expect(report.changes.filter((c) => c.kind === 'ExternalSecret').length).toBeGreaterThan(0);
    expect(flags(report, 'secret-carries-data')).toEqual([]);
  });
});

test('the old side of a fixture is read from disk as the synth wrote it', () => {
  // Guards the fixtures above: the sample tree holds the synth's own bytes.
  expect(readFile(base, 'kubernetes/prod/rollout-web.yaml')).toBe(
    synthPlatform(samplePlatform()).files.find((f) => f.path === 'kubernetes/prod/rollout-web.yaml')?.content,
  );
});
