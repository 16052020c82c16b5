import { diffOutput } from '../../lib/diff/compare';
import type { RiskRule } from '../../lib/diff/report';
import { type KubernetesPair, riskFlags, type TerraformPair } from '../../lib/diff/risk-flags';
import type { TreeSource } from '../../lib/diff/tree-source';
import type { JsonRecord } from '../../lib/manifest/json-access';
import type { Platform } from '../../lib/model/platform';
import { synthPlatform } from '../../lib/pipeline/synth';
import { fixturePlatform } from '../fixtures/shop/platform';
import { diffOptions, memorySource, objectPair, stackPairs, withApp, withConfig } from './fixtures';

/*
 * Each rule on small hand-written objects, through riskFlags(), the pure function the comparison
 * calls: a positive and a negative case each. Two end-to-end cases at the end check the rules
 * against what the synth really writes.
 */

const context = { production: new Set(['prod']), canarySteps: [10, 25, 50, 75, 100] };

/** `rule object: reason` of every flag. */
function flags(kubernetes: readonly KubernetesPair[], terraform: readonly TerraformPair[] = [], rule?: RiskRule): string[] {
  return riskFlags(kubernetes, terraform, context)
    .filter((f) => rule === undefined || f.rule === rule)
    .map((f) => `${f.rule} ${f.object}: ${f.reason}`);
}

const metadata = (name: string) => ({ name, namespace: 'shop-prod', labels: { 'app.kubernetes.io/name': name } });

const API_VERSIONS: Readonly<Record<string, string>> = { Deployment: 'apps/v1', StatefulSet: 'apps/v1', Rollout: 'argoproj.io/v1alpha1' };

/** A workload of `web` with an app container and a migrate init container on `tag`; `replicas` unset when undefined. */
function workload(kind: string, options: { replicas?: number; tag?: string; apiVersion?: string } = {}): JsonRecord {
  const image = `europe-west1-docker.pkg.dev/shop-platform/shop/web:${options.tag ?? 'v1.3.1'}`;
  return {
    apiVersion: options.apiVersion ?? API_VERSIONS[kind],
    kind,
    metadata: metadata('web'),
    spec: {
      ...(options.replicas === undefined ? {} : { replicas: options.replicas }),
      selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'web' } },
        spec: { initContainers: [{ name: 'migrate', image }], containers: [{ name: 'app', image }] },
      },
    },
  };
}

/** web's autoscaler, scaling `target`; `minReplicas` unset when undefined. */
function autoscaler(minReplicas: number | undefined, target = 'Rollout'): JsonRecord {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: metadata('web'),
    spec: {
      ...(minReplicas === undefined ? {} : { minReplicas }),
      maxReplicas: 10,
      scaleTargetRef: { apiVersion: API_VERSIONS[target], kind: target, name: 'web' },
    },
  };
}

describe('forces-replacement', () => {
  const cluster = (settings: JsonRecord) => ({
    resource: { google_container_cluster: { cluster: { location: 'europe-west1', initial_node_count: 1, private_cluster_config: { enable_private_nodes: true }, ...settings } } },
  });

  test('a watched attribute, or one below it, of a watched type flags', () => {
    expect(flags([], stackPairs('cluster-prod', cluster({}), cluster({ location: 'europe-west4', private_cluster_config: { enable_private_nodes: false } })))).toEqual([
      'forces-replacement google_container_cluster.cluster: location "europe-west1" → "europe-west4", private_cluster_config.enable_private_nodes true → false forces replacement',
    ]);
  });

  test('another attribute, another type, or an added block does not flag', () => {
    expect(flags([], stackPairs('cluster-prod', cluster({}), cluster({ initial_node_count: 3 })))).toEqual([]);
    const pool = (location: string) => ({ resource: { google_container_node_pool: { pool: { location } } } });
    expect(flags([], stackPairs('cluster-prod', pool('europe-west1'), pool('europe-west4')))).toEqual([]);
    expect(flags([], stackPairs('cluster-prod', undefined, cluster({})))).toEqual([]);
  });

  test('the reason names three attributes and counts the rest', () => {
    const moved = { location: 'europe-west4', network: 'vpc-2', subnetwork: 'nodes-2', private_cluster_config: { enable_private_nodes: false } };
    expect(flags([], stackPairs('cluster-prod', cluster({ network: 'vpc', subnetwork: 'nodes' }), cluster(moved)))).toEqual([
      'forces-replacement google_container_cluster.cluster: location "europe-west1" → "europe-west4", private_cluster_config.enable_private_nodes true → false, network "vpc" → "vpc-2" and 1 more forces replacement',
    ]);
  });
});

describe('deletes-stateful', () => {
  test('a removed database, bucket or cache flags, each saying what is lost', () => {
    const stack = {
      resource: {
        google_sql_database_instance: { db: { name: 'db' } },
        google_storage_bucket: { assets: { name: 'assets' } },
        google_redis_instance: { cache: { name: 'cache' } },
        google_compute_network: { network: { name: 'vpc' } },
      },
    };
    expect(flags([], stackPairs('cluster-prod', stack, { resource: { google_compute_network: stack.resource.google_compute_network } }))).toEqual([
      'deletes-stateful google_sql_database_instance.db: destroys the Cloud SQL instance, its databases and its backups',
      'deletes-stateful google_storage_bucket.assets: destroys the bucket and every object in it',
      'deletes-stateful google_redis_instance.cache: destroys the Redis instance and its data',
    ]);
  });

  test('a removed stateless resource, or a changed database, does not flag', () => {
    const network = (name: string) => ({ resource: { google_compute_network: { network: { name } } } });
    expect(flags([], stackPairs('cluster-prod', network('vpc'), undefined))).toEqual([]);
    const db = (tier: string) => ({ resource: { google_sql_database_instance: { db: { name: 'db', settings: { tier } } } } });
    expect(flags([], stackPairs('cluster-prod', db('db-custom-1-3840'), db('db-custom-2-7680')))).toEqual([]);
  });

  const claim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: metadata('data'), spec: { resources: { requests: { storage: '1Gi' } } } };
  const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop-dev' } };

  test('a removed PersistentVolumeClaim or Namespace flags, in any environment', () => {
    expect(flags([objectPair('prod', claim, undefined), objectPair('dev', namespace, undefined)])).toEqual([
      'deletes-stateful PersistentVolumeClaim/data: deletes the claim, and with the usual Delete reclaim policy its volume',
      'deletes-stateful Namespace/shop-dev: deletes every object in the namespace',
    ]);
  });

  test('an added or changed claim, or a removed ConfigMap, does not flag', () => {
    const bigger = { ...claim, spec: { resources: { requests: { storage: '2Gi' } } } };
    const config = { apiVersion: 'v1', kind: 'ConfigMap', metadata: metadata('web-config'), data: { A: '1' } };
    expect(flags([objectPair('prod', undefined, claim), objectPair('prod', claim, bigger), objectPair('prod', config, undefined)])).toEqual([]);
  });
});

describe('fewer-prod-replicas', () => {
  const fewer = (pairs: readonly KubernetesPair[]): string[] => flags(pairs, [], 'fewer-prod-replicas');

  test("a lower autoscaler floor flags; an absent one counts as Kubernetes' default of 1", () => {
    expect(fewer([objectPair('prod', autoscaler(4), autoscaler(3))])).toEqual([
      'fewer-prod-replicas HorizontalPodAutoscaler/web: spec.minReplicas 4 → 3 in production environment prod',
    ]);
    expect(fewer([objectPair('prod', autoscaler(3), autoscaler(undefined))])).toEqual([
      'fewer-prod-replicas HorizontalPodAutoscaler/web: spec.minReplicas 3 → 1 in production environment prod',
    ]);
  });

  test('a higher floor, or a lower one outside production, does not flag', () => {
    expect(fewer([objectPair('prod', autoscaler(3), autoscaler(5))])).toEqual([]);
    expect(fewer([objectPair('stage', autoscaler(4), autoscaler(1))])).toEqual([]);
  });

  test.each(['Deployment', 'StatefulSet', 'Rollout'])('a %s without an autoscaler flags a lower spec.replicas', (kind) => {
    expect(fewer([objectPair('prod', workload(kind, { replicas: 4 }), workload(kind, { replicas: 3 }))])).toEqual([
      `fewer-prod-replicas ${kind}/web: spec.replicas 4 → 3 in production environment prod`,
    ]);
  });

  test('spec.replicas is compared only when both sides set it', () => {
    expect(fewer([objectPair('prod', workload('Rollout', { replicas: 4 }), workload('Rollout'))])).toEqual([]);
    expect(fewer([objectPair('prod', workload('Rollout', { replicas: 3 }), workload('Rollout', { replicas: 4 }))])).toEqual([]);
  });

  test('dropping the autoscaler for a lower fixed count flags the workload that now carries the floor', () => {
    const removed = objectPair('prod', autoscaler(4), undefined);
    expect(fewer([removed, objectPair('prod', workload('Rollout'), workload('Rollout', { replicas: 3 }))])).toEqual([
      'fewer-prod-replicas Rollout/web: spec.replicas 3 replaces spec.minReplicas 4 of the removed HorizontalPodAutoscaler/web in production environment prod',
    ]);
    expect(fewer([removed, objectPair('prod', workload('Rollout'), workload('Rollout', { replicas: 4 }))])).toEqual([]);
  });

  test('an added autoscaler whose floor is below the count it takes over flags', () => {
    const fixed = objectPair('prod', workload('Rollout', { replicas: 5 }), workload('Rollout'));
    expect(fewer([fixed, objectPair('prod', undefined, autoscaler(4))])).toEqual([
      'fewer-prod-replicas HorizontalPodAutoscaler/web: spec.minReplicas 4 replaces spec.replicas 5 of Rollout/web in production environment prod',
    ]);
    expect(fewer([fixed, objectPair('prod', undefined, autoscaler(5))])).toEqual([]);
  });

  // A workload that changes kind is a removed and an added object of the same name.
  test('a Deployment turned into a Rollout with fewer replicas flags the Rollout; the same count does not', () => {
    const deployment = objectPair('prod', workload('Deployment', { replicas: 5 }), undefined);
    expect(fewer([deployment, objectPair('prod', undefined, workload('Rollout', { replicas: 3 }))])).toEqual([
      'fewer-prod-replicas Rollout/web: spec.replicas 3 replaces spec.replicas 5 of the removed Deployment/web in production environment prod',
    ]);
    expect(fewer([deployment, objectPair('prod', undefined, workload('Rollout', { replicas: 5 }))])).toEqual([]);
  });

  test('a removed object of another environment, or of a kind that is no scaled workload, is no predecessor', () => {
    const added = objectPair('prod', undefined, workload('Rollout', { replicas: 3 }));
    expect(fewer([objectPair('stage', workload('Deployment', { replicas: 5 }), undefined), added])).toEqual([]);
    // Matched by API group too: a Deployment of another group is some other custom resource.
    expect(fewer([objectPair('prod', workload('Deployment', { replicas: 5, apiVersion: 'example.com/v1' }), undefined), added])).toEqual([]);
  });

  test('an autoscaled Deployment turned into a Rollout at a lower fixed count flags the Rollout', () => {
    const pairs = [
      objectPair('prod', workload('Deployment'), undefined),
      objectPair('prod', autoscaler(4, 'Deployment'), undefined),
      objectPair('prod', undefined, workload('Rollout', { replicas: 3 })),
    ];
    expect(fewer(pairs)).toEqual([
      'fewer-prod-replicas Rollout/web: spec.replicas 3 replaces spec.minReplicas 4 of the removed HorizontalPodAutoscaler/web in production environment prod',
    ]);
  });

  test('a fixed-count Deployment turned into an autoscaled Rollout with a lower floor flags the autoscaler', () => {
    const pairs = [
      objectPair('prod', workload('Deployment', { replicas: 5 }), undefined),
      objectPair('prod', undefined, workload('Rollout')),
      objectPair('prod', undefined, autoscaler(4)),
    ];
    expect(fewer(pairs)).toEqual([
      'fewer-prod-replicas HorizontalPodAutoscaler/web: spec.minReplicas 4 replaces spec.replicas 5 of the removed Deployment/web in production environment prod',
    ]);
  });
});

describe('weaker-disruption-budget', () => {
  const pdb = (spec: JsonRecord) => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: metadata('web'), spec });

  test('a removed budget flags in production only', () => {
    expect(flags([objectPair('prod', pdb({ minAvailable: 2 }), undefined), objectPair('dev', pdb({ minAvailable: 1 }), undefined)])).toEqual([
      'weaker-disruption-budget PodDisruptionBudget/web: removes the disruption budget in production environment prod',
    ]);
  });

  test.each([
    [{ minAvailable: 2 }, { minAvailable: 1 }, 'minAvailable 2 → 1'],
    [{ maxUnavailable: 1 }, { maxUnavailable: 2 }, 'maxUnavailable 1 → 2'],
    [{ maxUnavailable: '10%' }, { maxUnavailable: '25%' }, 'maxUnavailable "10%" → "25%"'],
    [{ minAvailable: 2 }, { maxUnavailable: 1 }, 'minAvailable 2 removed; maxUnavailable 1 added'],
    // A number and a percentage cannot be ordered without the replica count.
    [{ minAvailable: 2 }, { minAvailable: '50%' }, 'minAvailable 2 → "50%"'],
  ])('%j → %j is weaker: %s', (was, now, reason) => {
    expect(flags([objectPair('prod', pdb(was), pdb(now))])).toEqual([
      `weaker-disruption-budget PodDisruptionBudget/web: ${reason} in production environment prod`,
    ]);
  });

  test('a stronger or an added budget does not flag', () => {
    expect(flags([objectPair('prod', pdb({ minAvailable: 1 }), pdb({ minAvailable: 2 })), objectPair('prod', pdb({ maxUnavailable: 2 }), pdb({ maxUnavailable: 1 }))])).toEqual([]);
    expect(flags([objectPair('prod', undefined, pdb({ maxUnavailable: 1 }))])).toEqual([]);
  });
});

describe('widens-access', () => {
  const policy = (spec: JsonRecord) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: metadata('web'), spec });
  const allowFrom = (cidr: string) =>
    policy({ podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ ipBlock: { cidr } }], ports: [{ port: 8080 }] }] });
  const role = (verbs: string[], kind = 'Role') => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: metadata('team'),
    rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs }],
  });
  const binding = (groups: string[], kind = 'RoleBinding') => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: metadata('team'),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'team' },
    subjects: groups.map((name) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name })),
  });

  test('a wider NetworkPolicy, a removed default-deny, and a Role or binding that grants more flag, in any environment', () => {
    expect(
      flags([
        objectPair('prod', allowFrom('10.1.0.0/16'), allowFrom('10.0.0.0/8')),
        objectPair('dev', policy({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] }), undefined),
        objectPair('prod', role(['get', 'list']), role(['get', 'list', 'delete'])),
        objectPair('prod', binding(['devs']), binding(['devs', 'contractors'])),
        objectPair('prod', undefined, role(['*'], 'ClusterRole')),
        objectPair('prod', undefined, binding(['devs'], 'ClusterRoleBinding')),
      ]),
    ).toEqual([
      'widens-access NetworkPolicy/web: widens access: ingress from ipBlock 10.0.0.0/8 (wider than 10.1.0.0/16) on port 8080/TCP',
      'widens-access NetworkPolicy/web: widens access: removes a policy that denies ingress and egress traffic',
      'widens-access Role/team: widens access: grants delete apps/deployments',
      'widens-access RoleBinding/team: widens access: gives Role team to Group contractors',
      'widens-access ClusterRole/team: widens access: grants * apps/deployments',
      'widens-access ClusterRoleBinding/team: widens access: gives Role team to Group devs',
    ]);
  });

  test('a narrower policy, a Role with fewer verbs, a removed binding, or another kind does not flag', () => {
    const config = (data: JsonRecord) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: metadata('team'), data });
    expect(
      flags([
        objectPair('prod', allowFrom('10.0.0.0/8'), allowFrom('10.1.0.0/16')),
        objectPair('prod', role(['get', 'list', 'delete']), role(['get'])),
        objectPair('prod', binding(['devs']), undefined),
        objectPair('prod', config({ rules: 'x' }), config({ rules: '*' })),
      ]),
    ).toEqual([]);
  });
});

describe('automated-prod-sync', () => {
  const application = (name: string, automated: boolean) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: 'argocd' },
    spec: { syncPolicy: automated ? { automated: { prune: true, selfHeal: true } } : { syncOptions: ['CreateNamespace=false'] } },
  });

  test("turning on automated sync for production, or adding production's Application with it, flags", () => {
    expect(flags([objectPair('prod', application('app-prod', false), application('app-prod', true))])).toEqual([
      'automated-prod-sync Application/app-prod: turns on automated sync for production environment prod',
    ]);
    expect(flags([objectPair('prod', undefined, application('app-prod', true))])).toHaveLength(1);
  });

  test('automated sync elsewhere, kept or turned off in production, does not flag', () => {
    expect(
      flags([
        objectPair('stage', application('app-stage', false), application('app-stage', true)),
        objectPair('prod', application('app-prod', true), application('app-prod', true)),
        objectPair('prod', application('app-prod', true), application('app-prod', false)),
      ]),
    ).toEqual([]);
  });
});

describe('image-tag-backwards', () => {
  const image = 'europe-west1-docker.pkg.dev/shop-platform/shop/web';

  test('an older release flags the workload once, naming every container that went back', () => {
    expect(flags([objectPair('dev', workload('Deployment'), workload('Deployment', { tag: 'v1.3.0' }))])).toEqual([
      `image-tag-backwards Deployment/web: containers migrate and app: ${image} tag v1.3.1 → v1.3.0 goes backwards`,
    ]);
  });

  test('a newer release, a tag that is not semver, or an added workload does not flag', () => {
    const pairs = [
      objectPair('dev', workload('Deployment'), workload('Deployment', { tag: 'v1.3.2' })),
      objectPair('stage', workload('Deployment'), workload('Deployment', { tag: 'latest' })),
      objectPair('prod', undefined, workload('Deployment', { tag: 'v0.1.0' })),
    ];
    expect(flags(pairs, [], 'image-tag-backwards')).toEqual([]);
  });

  test('a Deployment turned into a Rollout on an older release flags the Rollout, naming what it replaces', () => {
    const removed = objectPair('prod', workload('Deployment'), undefined);
    expect(flags([removed, objectPair('prod', undefined, workload('Rollout', { tag: 'v1.3.0' }))])).toEqual([
      `image-tag-backwards Rollout/web: containers migrate and app: ${image} tag v1.3.1 → v1.3.0 goes backwards (replaces the removed Deployment/web)`,
    ]);
    expect(flags([removed, objectPair('prod', undefined, workload('Rollout'))])).toEqual([]);
  });
});

describe('secret-carries-data', () => {
  const secret = (fields: JsonRecord) => ({ apiVersion: 'v1', kind: 'Secret', metadata: metadata('web-extra'), type: 'Opaque', ...fields });

  test('an added or changed Secret with values flags, naming the fields', () => {
    expect(
      flags([
        objectPair('prod', undefined, secret({ stringData: { PASSWORD: 'hunter2' } })),
        objectPair('dev', secret({}), secret({ data: { TOKEN: 'aHVudGVyMg==' }, stringData: { USER: 'web' } })),
      ]),
    ).toEqual([
      'secret-carries-data Secret/web-extra: carries stringData in Git; fix: use an ExternalSecret',
      'secret-carries-data Secret/web-extra: carries data and stringData in Git; fix: use an ExternalSecret',
    ]);
  });

  test('a Secret without values, a removed one, or an ExternalSecret does not flag', () => {
    const external = { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: metadata('web'), spec: { data: [{ secretKey: 'A' }] } };
    expect(
      flags([
        objectPair('prod', undefined, secret({ data: {} })),
        objectPair('prod', secret({ data: { A: 'Yg==' } }), undefined),
        objectPair('prod', undefined, external),
      ]),
    ).toEqual([]);
  });
});

describe('on what the synth writes', () => {
  let against: TreeSource;
  beforeAll(() => {
    against = memorySource(synthPlatform(fixturePlatform()).files);
  });
  const risks = (platform: Platform): string[] =>
    diffOutput(synthPlatform(platform), against, diffOptions(platform)).risks.map((r) => `${r.rule} ${r.object} (${r.path}): ${r.reason}`);

  test('the same config flags nothing; one lower prod replica count flags exactly the autoscaler that holds the floor', () => {
    expect(risks(fixturePlatform())).toEqual([]);
    const fewer = withConfig((c) => withApp(c, 'inventory-api', (a) => ({ ...a, overrides: { ...a.overrides, prod: { replicas: 3 } } })));
    expect(risks(fewer)).toEqual([
      'fewer-prod-replicas HorizontalPodAutoscaler/inventory-api (kubernetes/prod/horizontalpodautoscaler-inventory-api.yaml): spec.minReplicas 4 → 3 in production environment prod',
    ]);
  });

  test("moving the prod cluster to another region replaces what the table names, by the provider's attribute names", () => {
    const moved = withConfig((c) => ({
      ...c,
      clusters: c.clusters.map((k) => (k.name === 'prod' ? { ...k, region: 'europe-west4' } : k)),
      environments: c.environments.map((e) => (e.cluster === 'prod' ? { ...e, region: 'europe-west4' } : e)),
    }));
    const replaced = risks(moved).filter((r) => r.startsWith('forces-replacement'));
    expect(replaced.map((r) => r.slice(0, r.indexOf(' ('))).sort()).toEqual([
      'forces-replacement google_compute_subnetwork.network_nodes',
      'forces-replacement google_compute_subnetwork.network_proxies',
      'forces-replacement google_container_cluster.cluster',
      'forces-replacement google_redis_instance.caches_inventory_api_prod_instance',
      'forces-replacement google_sql_database_instance.databases_inventory_api_prod_instance',
      // The dump bucket is regional: moving it replaces it, and its dumps with it (docs/backups.md).
      'forces-replacement google_storage_bucket.backups_inventory_api_prod_bucket',
    ]);
    expect(replaced).toContain(
      'forces-replacement google_container_cluster.cluster (terraform/cluster-prod/main.tf.json): location "europe-west1" → "europe-west4" forces replacement',
    );
  });
});
