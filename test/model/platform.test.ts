import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { platformConfig } from '../fixtures/shop/platform';
import { type AppConfig, type ClusterConfig, type EnvironmentConfig, type PlatformConfig } from '../../lib/model/config';
import { definePlatform } from '../../lib/model/platform';
import { parseReleases } from '../../lib/model/releases';
import { configRejection, mapApp, mapEnv } from '../helpers';

const base = platformConfig;

function mapCluster(name: string, change: (c: ClusterConfig) => ClusterConfig): PlatformConfig {
  return { ...base, clusters: base.clusters.map((c) => (c.name === name ? change(c) : c)) };
}

function mapNetwork(name: string, change: (n: ClusterConfig['network']) => ClusterConfig['network']): PlatformConfig {
  return mapCluster(name, (c) => ({ ...c, network: change(c.network) }));
}

/** An app with a database and nothing else. */
function databaseApp(name: string): AppConfig {
  return { name, team: 'inventory', ports: [{ name: 'http', port: 8080 }], needs: { database: { migrateCommand: ['migrate'], backups: { drill: { tables: ['items'] } } } } };
}

const rejection = configRejection;

describe('definePlatform', () => {
  test('accepts the fixture platform and resolves its four environments in promotion order', () => {
    const platform = definePlatform(base);
    expect(platform.environments.map((e) => e.name)).toEqual(['dev', 'stage', 'canary', 'prod']);
    expect(platform.apps.map((a) => a.name)).toEqual(['inventory-api', 'web', 'worker', 'admin']);
  });

  test('gives each environment its profile: dev 1 minimal, stage 2 standard, canary 1, prod 3+ high', () => {
    const platform = definePlatform(base);
    const instance = (app: string, env: string) => {
      const e = platform.environment(env);
      if (!e) throw new Error(env);
      return platform.instances(e).find((i) => i.app.name === app);
    };
    const worker = (env: string) => instance('worker', env);
    expect(worker('dev')).toMatchObject({ replicas: 1, resources: { name: 'minimal' } });
    expect(worker('stage')).toMatchObject({ replicas: 2, resources: { name: 'standard' } });
    // The canary runs only the candidates that go through it: inventory-api, not the worker.
    expect(worker('canary')).toBeUndefined();
    expect(instance('inventory-api', 'canary')).toMatchObject({ replicas: 1, resources: { name: 'high' } });
    expect(worker('prod')?.replicas).toBeGreaterThanOrEqual(3);
    expect(worker('prod')?.resources.name).toBe('high');
  });

  test('puts dev and stage on the non-production cluster and canary and prod on the production one', () => {
    const platform = definePlatform(base);
    expect(platform.environments.map((e) => [e.name, e.cluster])).toEqual([
      ['dev', 'nonprod'],
      ['stage', 'nonprod'],
      ['canary', 'prod'],
      ['prod', 'prod'],
    ]);
    expect(platform.environment('canary')?.namespace).toBe(platform.environment('prod')?.namespace);
  });

  test('applies per-environment overrides and keeps object names equal across environments', () => {
    const platform = definePlatform(base);
    const api = (env: string) => platform.instances(platform.environment(env)!).find((i) => i.app.name === 'inventory-api')!;
    expect(api('prod').replicas).toBe(4);
    expect(api('dev').config.LOG_LEVEL).toBe('debug');
    expect(api('stage').config.LOG_LEVEL).toBe('info');
    expect(['dev', 'stage', 'prod'].map((e) => api(e).name)).toEqual(['inventory-api', 'inventory-api', 'inventory-api']);
    expect(api('canary').name).toBe('inventory-api-canary');
  });

  test('gives every environment its own typed database and cache settings', () => {
    const platform = definePlatform(base);
    expect(platform.environment('prod')).toMatchObject({
      database: { backupRetentionDays: 28, pointInTimeRecovery: true, highAvailability: true, deletionProtection: true },
      cache: { tier: 'STANDARD_HA' },
    });
    // The canary sets none: it uses production's instances.
    expect(platform.environment('canary')?.database).toBeUndefined();
    expect(platform.environment('canary')?.cache).toBeUndefined();
    for (const env of ['dev', 'stage']) {
      expect(platform.environment(env)).toMatchObject({
        database: { backupRetentionDays: 14, pointInTimeRecovery: false, highAvailability: false, deletionProtection: false },
        cache: { tier: 'BASIC' },
      });
    }
  });

  test('derives each app\'s Google Cloud names once, from its app and environment', () => {
    const platform = definePlatform(base);
    const gcp = (app: string, env: string) => platform.instances(platform.environment(env)!).find((i) => i.app.name === app)!.gcp;
    const prod = gcp('inventory-api', 'prod');
    expect(prod.identity?.email).toBe('inventory-api-prod@shop-prod.iam.gserviceaccount.com');
    expect(prod.identity?.kubernetesMember).toBe('serviceAccount:shop-prod.svc.id.goog[shop-prod/inventory-api]');
    expect(prod.identity?.kubernetesAnnotations()).toEqual({ 'iam.gke.io/gcp-service-account': 'inventory-api-prod@shop-prod.iam.gserviceaccount.com' });
    expect(prod.database).toEqual({ instanceName: 'inventory-api-prod', connectionName: 'shop-prod:europe-west1:inventory-api-prod', databaseName: 'inventory_api', ownerRole: 'inventory_api_owner' });
    expect(prod.cache).toEqual({ instanceName: 'inventory-api-prod', host: 'inventory-api-prod.redis.shop.internal', port: 6379 });
    // The candidate shares production's namespace under its own service account.
    expect(gcp('inventory-api', 'canary').identity?.kubernetesServiceAccount).toEqual({ namespace: 'shop-prod', name: 'inventory-api-canary' });
    expect(gcp('web', 'stage')).toEqual({ ownsData: true, staticIp: { kind: 'global', name: 'web-stage' }, secrets: [{ env: 'SESSION_SECRET', secretId: 'web-session-secret-stage' }] });
    expect(gcp('worker', 'dev')).toEqual({ ownsData: true, secrets: [] });
  });

  test('lists the release tags environments run, for the registry to keep', () => {
    expect(definePlatform(base).releaseTags()).toEqual(['v1.3.1', 'v1.3.2', 'v1.4.0']);
  });

  test('derives image references from the registry and the release of each environment', () => {
    const platform = definePlatform(base);
    const web = platform.instances(platform.environment('prod')!).find((i) => i.app.name === 'web')!;
    expect(web.image.toString()).toBe('europe-west1-docker.pkg.dev/shop-platform/shop/web:v1.3.1');
  });

  // Each case: a bad value, and what its one-line message must name.
  const cases: [string, PlatformConfig, RegExp][] = [
    ['a port outside 1 to 65535', mapApp('web', (a) => ({ ...a, ports: [{ name: 'http', port: 70000 }] })),
      /app "web", field "ports\[0\]\.port": value 70000 .*fix: choose a port from 1 to 65535/],
    ['a port name that is not an IANA name', mapApp('web', (a) => ({ ...a, ports: [{ name: 'HTTP_PORT', port: 80 }] })),
      /app "web", field "ports\[0\]\.name": value "HTTP_PORT" .*fix: use a name such as "http"/],
    ['an app name that is not a DNS label', mapApp('web', (a) => ({ ...a, name: 'Web_Front' })),
      /app "Web_Front", field "name": value "Web_Front" .*fix: rename it, for example "web-front"/],
    ['two apps with one name', { ...base, apps: [...base.apps, base.apps[0]] },
      /field "apps\[\]\.name": value "inventory-api" appears twice/],
    ['an exposure port the app does not declare', mapApp('web', (a) => ({ ...a, exposure: { type: 'public', host: 'www', port: 'grpc' } })),
      /app "web", field "exposure\.port": value "grpc" is not known; fix: use one of http, metrics/],
    ['a public app with no host', mapApp('web', (a) => ({ ...a, exposure: { type: 'public', host: '', port: 'http' } })),
      /app "web", field "exposure\.host": value "" is empty: a public app needs a host; fix: set exposure\.host/],
    ['a dependency on an unknown app', mapApp('web', (a) => ({ ...a, needs: { dependsOn: ['payments'] } })),
      /app "web", field "needs\.dependsOn\[0\]": value "payments" is not known; fix: use one of inventory-api, worker, admin/],
    ['an override for an unknown environment', mapApp('web', (a) => ({ ...a, overrides: { qa: { replicas: 2 } } })),
      /app "web", field "overrides": value "qa" is not known; fix: use one of dev, stage, canary, prod/],
    ['replicas below the environment minimum', mapApp('web', (a) => ({ ...a, overrides: { prod: { replicas: 2 } } })),
      /app "web", env "prod", field "overrides\.prod\.replicas": value 2 .*fix: set replicas to at least 3/],
    ['a memory limit below its request', mapApp('web', (a) => ({
      ...a,
      overrides: { dev: { resources: { name: 'odd', cpu: { request: Cpu.millis(100), limit: Cpu.millis(200) }, memory: { request: Size.mebibytes(256), limit: Size.mebibytes(128) } } } },
    })), /app "web", env "dev", field "overrides\.dev\.resources\.memory\.limit": value "128Mi" is below the request \(256Mi\); fix: raise the memory limit/],
    ['a CPU limit below its request', mapEnv('stage', (e) => ({
      ...e, resources: { ...e.resources, cpu: { request: Cpu.millis(500), limit: Cpu.millis(100) } },
    })), /env "stage", field "resources\.cpu\.limit": value "100m" is below the request \(500m\)/],
    ['a config key that is not an environment variable name', mapApp('web', (a) => ({ ...a, config: { 'log-level': 'x' } })),
      /app "web", field "config": value "log-level" .*fix: use upper-case letters/],
    ['an environment on an unknown cluster', mapEnv('dev', (e) => ({ ...e, cluster: 'edge' })),
      /env "dev", field "cluster": value "edge" is not known; fix: use one of nonprod, prod/],
    ['an environment in another project than its cluster', mapEnv('dev', (e) => ({ ...e, project: 'elsewhere' })),
      /env "dev", field "project": value "elsewhere" differs from cluster "nonprod" \(shop-nonprod\)/],
    ['an unknown region', mapEnv('dev', (e) => ({ ...e, region: 'europe-west99' as EnvironmentConfig['region'] })),
      /env "dev", field "region": value "europe-west99" is not known; fix: use one of africa-south1/],
    ['zero replicas', mapEnv('dev', (e) => ({ ...e, replicas: { replicas: 0 } })),
      /env "dev", field "replicas\.replicas": value 0 is not an integer from 1 to 100/],
    ['a minimum above the replica count', mapEnv('prod', (e) => ({ ...e, replicas: { replicas: 3, minReplicas: 5 } })),
      /env "prod", field "replicas\.minReplicas": value 5 .*fix: set minReplicas from 1 to replicas \(3\)/],
    ['a malformed base domain', mapEnv('dev', (e) => ({ ...e, baseDomain: 'Dev Shop' })),
      /env "dev", field "baseDomain": value "Dev Shop" is not a DNS domain/],
    // Without its canary settings, so that the canary environment reaches the namespace check.
    ['a shared namespace with no owner', {
      ...base,
      environments: base.environments.map((e): EnvironmentConfig =>
        e.name === 'prod' ? { ...e, managesNamespace: false, quota: undefined, teamAccess: undefined, alerts: undefined } : { ...e, canary: undefined }),
    }, /env "canary", field "managesNamespace": value false leaves namespace "shop-prod" on cluster "prod" with 0 owners/],
    ['a canary environment in a namespace nobody owns', mapEnv('prod', (e) => ({ ...e, managesNamespace: false, quota: undefined, teamAccess: undefined, alerts: undefined })),
      /env "canary", field "canary": value "set" is set, but the environment does not run in another environment's namespace; fix: run the canary in production's cluster and namespace with managesNamespace: false/],
    ['two environments sharing names in one namespace', mapEnv('canary', (e) => ({ ...e, nameSuffix: undefined })),
      /env "canary", field "nameSuffix": value "" equals that of "prod", which shares namespace "shop-prod"/],
    ['two environments with one name', { ...base, environments: [...base.environments, base.environments[0]] },
      /field "environments\[\]\.name": value "dev" appears twice/],
    ['a malformed CIDR', mapCluster('prod', (c) => ({ ...c, network: { ...c.network, nodesCidr: '10.20.0.1/20' } })),
      /field "clusters\.prod\.network\.nodesCidr": value "10\.20\.0\.1\/20" is not an IPv4 CIDR/],
    ['overlapping CIDRs across clusters', mapCluster('prod', (c) => ({ ...c, network: { ...c.network, podsCidr: '10.12.128.0/17' } })),
      /field "clusters\.prod\.network\.podsCidr": value "10\.12\.128\.0\/17" overlaps clusters\.nonprod\.network\.podsCidr \(10\.12\.0\.0\/16\)/],
    ['a control plane range that is not a /28', mapCluster('prod', (c) => ({ ...c, network: { ...c.network, controlPlaneCidr: '172.16.1.0/24' } })),
      /field "clusters\.prod\.network\.controlPlaneCidr": value "172\.16\.1\.0\/24" is not a \/28/],
    ['a node pool whose maximum is below its minimum', mapCluster('prod', (c) => ({ ...c, nodePool: { minNodes: 4, maxNodes: 2 } })),
      /field "clusters\.prod\.nodePool\.maxNodes": value 2 .*fix: set maxNodes to at least minNodes \(4\)/],
    ['a state version retention above 10', { ...base, state: { ...base.state, keepVersions: 12 } },
      /^config error: field "state\.keepVersions": value 12 is not an integer from 5 to 10; fix: set state\.keepVersions to an integer from 5 to 10$/],
    ['a state version retention below 5', { ...base, state: { ...base.state, keepVersions: 4 } },
      /field "state\.keepVersions": value 4 is not an integer from 5 to 10/],
    ['a soft-delete period below 7 days', { ...base, state: { ...base.state, softDeleteDays: 1 } },
      /field "state\.softDeleteDays": value 1 is not an integer from 7 to 90/],
    ['a malformed state encryption key', { ...base, state: { ...base.state, kmsKeyName: 'tofu-key' } },
      /field "state\.kmsKeyName": value "tofu-key" is not a Cloud KMS key name; fix: write it as projects\/P\/locations/],
    ['a registry retention above 5', { ...base, registry: { ...base.registry, keepReleases: 6 } },
      /^config error: field "registry\.keepReleases": value 6 is not an integer from 3 to 5; fix: set registry\.keepReleases to an integer from 3 to 5$/],
    ['a registry retention below 3', { ...base, registry: { ...base.registry, keepReleases: 2 } },
      /field "registry\.keepReleases": value 2 is not an integer from 3 to 5/],
    ['an unknown registry region', { ...base, registry: { ...base.registry, region: 'eu-west1' as PlatformConfig['registry']['region'] } },
      /field "registry\.region": value "eu-west1" is not known; fix: use one of/],
    ['an unknown cluster region', mapCluster('prod', (c) => ({ ...c, region: 'europe-west99' as ClusterConfig['region'] })),
      /field "clusters\.prod\.region": value "europe-west99" is not known/],
    ['a database in an environment with no private service access', mapNetwork('nonprod', (n) => ({ ...n, privateServicesCidr: undefined })),
      /^config error: app "inventory-api", env "dev", field "clusters\.nonprod\.network\.privateServicesCidr": value \(unset\) gives cluster "nonprod" no private service access, but the app declares a database and runs there in env "dev"; fix: set clusters\.nonprod\.network\.privateServicesCidr to a free range/],
    ['a cache in an environment with no private service access', {
      ...mapNetwork('nonprod', (n) => ({ ...n, privateServicesCidr: undefined })),
      apps: [{ name: 'sessions', team: 'inventory', ports: [{ name: 'http', port: 8080 }], needs: { cache: {} } }],
    }, /app "sessions", env "dev", field "clusters\.nonprod\.network\.privateServicesCidr": .* declares a cache/],
    ['a VPN range that overlaps a cluster range', mapNetwork('prod', (n) => ({ ...n, vpnCidrs: ['10.12.8.0/24'] })),
      /field "clusters\.prod\.network\.vpnCidrs\[0\]": value "10\.12\.8\.0\/24" overlaps clusters\.nonprod\.network\.podsCidr \(10\.12\.0\.0\/16\); fix: give the VPN a range no cluster uses/],
    ['a cluster with no VPN range', mapNetwork('nonprod', (n) => ({ ...n, vpnCidrs: [] })),
      /field "clusters\.nonprod\.network\.vpnCidrs": value \[\] is empty: nobody could reach the control plane/],
    ['a malformed VPN range', mapNetwork('nonprod', (n) => ({ ...n, vpnCidrs: ['10.100.0.0'] })),
      /field "clusters\.nonprod\.network\.vpnCidrs\[0\]": value "10\.100\.0\.0" is not an IPv4 CIDR/],
    ['a maintenance start that is not a time of day', mapCluster('prod', (c) => ({ ...c, maintenanceStartTime: '25:00' })),
      /field "clusters\.prod\.maintenanceStartTime": value "25:00" is not a time of day as HH:MM/],
    ['a database backup retention above 28 days', mapEnv('prod', (e) => ({ ...e, database: { ...e.database, backupRetentionDays: 35 } })),
      /^config error: env "prod", field "database\.backupRetentionDays": value 35 is not an integer from 14 to 28; fix: set database\.backupRetentionDays to an integer from 14 to 28$/],
    ['a malformed database tier', mapEnv('dev', (e) => ({ ...e, database: { ...e.database, tier: 'small' } })),
      /env "dev", field "database\.tier": value "small" is not a Cloud SQL tier/],
    ['an unknown cache tier', mapEnv('dev', (e) => ({ ...e, cache: { tier: 'PREMIUM' as 'BASIC' } })),
      /env "dev", field "cache\.tier": value "PREMIUM" is not known; fix: use one of BASIC, STANDARD_HA/],
    ['an app name too long for its Google service account', { ...base, apps: [...base.apps, databaseApp('very-long-reporting-service')] },
      /app "very-long-reporting-service", env "dev", field "name": value "very-long-reporting-service" makes the Google service account name "very-long-reporting-service-dev" longer than 30 characters in env "dev"; fix: shorten the app name to at most 26 characters/],
    ['an app name too long for its Memorystore instance', { ...base, apps: [...base.apps, { name: 'session-cache-for-the-shopping-basket', team: 'inventory', ports: [{ name: 'http', port: 8080 }], needs: { cache: {} } }] },
      /app "session-cache-for-the-shopping-basket", env "dev", field "name": .* Memorystore instance name .* longer than 40 characters .*fix: shorten the app name to at most 36 characters/],
    ['two apps whose Google Cloud resources would share a name', {
      ...mapEnv('stage', (e) => ({ ...e, name: 'qa-dev' })),
      releases: { environments: { ...base.releases.environments, 'qa-dev': { tag: 'v1.3.2' } } },
      apps: [...base.apps, databaseApp('api'), databaseApp('api-qa')],
    }, /app "api", env "qa-dev", field "name": value "api" gives its Google Cloud resources the name "api-qa-dev", which app "api-qa" uses in env "dev"; fix: rename one of the two apps/],
    ['an environment with no release', { ...base, releases: { environments: { dev: { tag: 'v1.0.0' } } } },
      /env "stage", field "apps\/releases\.json:environments\.stage": value \(unset\) has no release .*fix: add "stage": \{ "tag": "v0\.1\.0" \}/],
    ['an internal app asking for a public host', mapApp('admin', (a) => ({ ...a, exposure: { type: 'internal', host: 'admin.shop.example.com', port: 'http' } })),
      /app "admin", field "exposure\.host": value "admin\.shop\.example\.com" asks for a full host name: an internal app only gets a host under internal\.<baseDomain>, never a public one; fix: give a host label such as "admin"/],
    ['a secret reference with no key', mapApp('web', (a) => ({ ...a, secrets: [{ env: 'SESSION_SECRET', key: '' }] })),
      /app "web", field "secrets\[0\]\.key": value "" is missing: secret SESSION_SECRET names no Secret Manager secret; fix: set key to the name of the secret in Secret Manager/],
    ['an app owned by an unknown team', mapApp('web', (a) => ({ ...a, team: 'payments' })),
      /app "web", field "team": value "payments" is not known; fix: use one of inventory, storefront, backoffice/],
    ['probes on a port the app does not declare', mapApp('worker', (a) => ({ ...a, probes: { port: 'http' } })),
      /app "worker", field "probes\.port": value "http" is not known; fix: use one of metrics/],
    ['a dependency on an app nobody can call', mapApp('web', (a) => ({ ...a, needs: { dependsOn: ['worker'] } })),
      /app "web", field "needs\.dependsOn\[0\]": value "worker" names an app nobody can call/],
    ['an internal app on a cluster without a proxy-only subnet', mapNetwork('nonprod', (n) => ({ ...n, proxyOnlyCidr: undefined })),
      /app "admin", env "dev", field "exposure\.type": value "internal" needs an internal load balancer, and cluster "nonprod" has no proxy-only subnet; fix: set clusters\.nonprod\.network\.proxyOnlyCidr/],
    ['an environment that owns its namespace without a quota', mapEnv('dev', (e) => ({ ...e, quota: undefined })),
      /env "dev", field "quota": value \(unset\) is missing: the environment owns its namespace; fix: give the namespace a quota/],
    ['an autoscaling maximum below the replicas', mapEnv('stage', (e) => ({ ...e, replicas: { replicas: 2, maxReplicas: 1 } })),
      /env "stage", field "replicas\.maxReplicas": value 1 .*fix: set maxReplicas to at least replicas \(2\)/],
  ];

  test.each(cases)('rejects %s with a one-line message naming the fix', (_name, config, message) => {
    const error = rejection(config);
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/^config error: .*; fix: /);
    expect(error.message).not.toContain('\n');
  });
});

describe('parseReleases', () => {
  test('rejects a tag that is not strict semver with a leading v', () => {
    expect(() => parseReleases({ environments: { prod: { tag: '1.2.3' } } })).toThrow(
      /env "prod", field "apps\/releases\.json:environments\.prod\.tag": value "1\.2\.3" .*fix: use a strict semver tag with a leading v/,
    );
  });

  test('rejects an app release with a malformed digest, naming the app', () => {
    expect(() =>
      parseReleases({ environments: { dev: { tag: 'v1.0.0', apps: { web: { digest: 'sha256:abc' } } } } }),
    ).toThrow(/app "web", env "dev", .*digest.*fix: use a full image digest/);
  });

  test('rejects unknown fields', () => {
    expect(() => parseReleases({ environments: {}, extra: 1 })).toThrow(/config error: field "apps\/releases\.json:\(root\)"/);
  });
});
