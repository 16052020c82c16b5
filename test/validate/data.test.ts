import { check, fixtureFiles, get, type Json, mutateJson, mutateYaml, of } from './helpers';

const PROD = 'kubernetes/prod/rollout-inventory-api.yaml';
const CANARY = 'kubernetes/canary/rollout-inventory-api-canary.yaml';
const DEV = 'kubernetes/dev/deployment-inventory-api.yaml';
const DEV_CONFIG = 'kubernetes/dev/configmap-inventory-api-config.yaml';
const DEV_POLICY = 'kubernetes/dev/networkpolicy-inventory-api.yaml';
const CANARY_CONFIG = 'kubernetes/canary/configmap-inventory-api-canary-config.yaml';
const PROD_STACK = 'terraform/cluster-prod/main.tf.json';
const NONPROD_STACK = 'terraform/cluster-nonprod/main.tf.json';
const DEV_KSA = 'kubernetes/dev/serviceaccount-inventory-api.yaml';
const DEV_DNS = 'kubernetes/dev/networkpolicy-allow-dns.yaml';
const DEV_IT = `${DEV} Deployment/inventory-api`;

const inits = (o: Json): Json[] => get(o, 'spec', 'template', 'spec').initContainers as Json[];
const proxy = (o: Json): Json => inits(o).find((c) => c.name === 'cloud-sql-proxy') as Json;
const lines = (rule: string, files: ReturnType<typeof fixtureFiles>): string[] => of(rule, files).map((v) => `${v.file} ${v.object}: ${v.message}`);

describe('apps reach their data', () => {
  test('the fixture output passes join-data and canary-data', () => {
    expect(check(fixtureFiles()).violations.filter((v) => v.rule === 'join-data' || v.rule === 'canary-data')).toEqual([]);
  });

  test('join-data: a proxy naming an instance no stack creates, and the instance no workload names', () => {
    const files = mutateYaml(DEV, (d) => {
      const args = proxy(d).args as string[];
      args[args.length - 1] = 'shop-nonprod:europe-west1:inventory-api-dve';
    });
    expect(lines('join-data', files)).toEqual([
      'terraform/cluster-nonprod/main.tf.json google_sql_database_instance.databases_inventory_api_dev_instance: is Cloud SQL instance "shop-nonprod:europe-west1:inventory-api-dev", which no workload\'s cloud-sql-proxy connects to',
      `${DEV} Deployment/inventory-api: runs cloud-sql-proxy for "shop-nonprod:europe-west1:inventory-api-dve", which no Terraform stack creates`,
    ]);
  });

  test('join-data: the proxy must be a native sidecar before migrate', () => {
    const plain = mutateYaml(DEV, (d) => { delete proxy(d).restartPolicy; });
    const after = mutateYaml(DEV, (d) => { get(d, 'spec', 'template', 'spec').initContainers = [...inits(d)].reverse(); });
    const message = `${DEV} Deployment/inventory-api: runs cloud-sql-proxy other than as a native sidecar before "migrate"`;
    expect(lines('join-data', plain)).toEqual([message]);
    expect(lines('join-data', after)).toEqual([message]);
  });

  test('join-data: the ConfigMap carries the database settings and REDIS_PORT; the policy opens 3307 and 6379', () => {
    const config = mutateYaml(DEV_CONFIG, (c) => {
      delete get(c, 'data').DATABASE_USER;
      delete get(c, 'data').REDIS_PORT;
    });
    expect(lines('join-data', config)).toEqual([
      `${DEV} Deployment/inventory-api: runs cloud-sql-proxy, but its ConfigMap has no DATABASE_USER`,
      `${DEV} Deployment/inventory-api: has REDIS_HOST but no REDIS_PORT in its ConfigMap`,
    ]);
    const policy = mutateYaml(DEV_POLICY, (p) => {
      const egress = get(p, 'spec').egress as Json[];
      get(p, 'spec').egress = egress.filter((r) => !(r.ports as Json[]).some((port) => port.port === 3307));
    });
    expect(lines('join-data', policy)).toEqual([
      `${DEV} Deployment/inventory-api: runs cloud-sql-proxy, but no NetworkPolicy lets it leave on port 3307`,
      `${DEV} Deployment/inventory-api: uses Redis on port 6379, but no NetworkPolicy lets it leave on that port`,
    ]);
  });

  test('join-data: REDIS_HOST names the DNS record of a Memorystore instance, and every instance is some REDIS_HOST', () => {
    const files = mutateYaml(DEV_CONFIG, (c) => { get(c, 'data').REDIS_HOST = 'redis.example.com'; });
    expect(lines('join-data', files)).toEqual([
      'terraform/cluster-nonprod/main.tf.json google_redis_instance.caches_inventory_api_dev_instance: is Memorystore instance "inventory-api-dev", which no workload\'s REDIS_HOST names (inventory-api-dev.redis.shop.internal)',
      `${DEV} Deployment/inventory-api: has REDIS_HOST "redis.example.com", which no Terraform DNS record of a Memorystore instance names`,
    ]);
  });
});

describe('the data path means what it says', () => {
  const withoutUserOf = (user: string) => (s: Json): void => {
    const users = get(s, 'resource', 'google_sql_user');
    for (const [k, u] of Object.entries(users)) if ((u as Json).name === user) delete users[k];
  };

  test('join-data: DATABASE_USER is the IAM database user of the pod\'s own service account, on the instance it connects to', () => {
    const other = mutateYaml(DEV_CONFIG, (c) => { get(c, 'data').DATABASE_USER = 'inventory-api-stage@shop-nonprod.iam'; });
    expect(lines('join-data', other)).toEqual([
      `${DEV_IT}: has DATABASE_USER "inventory-api-stage@shop-nonprod.iam", but its service account acts as inventory-api-dev@shop-nonprod.iam.gserviceaccount.com, whose IAM database user is "inventory-api-dev@shop-nonprod.iam"`,
      `${DEV_IT}: has DATABASE_USER "inventory-api-stage@shop-nonprod.iam", which no CLOUD_IAM_SERVICE_ACCOUNT google_sql_user of instance "inventory-api-dev" in ${NONPROD_STACK} names`,
    ]);
    const ksa = mutateYaml(DEV_KSA, (a) => { get(a, 'metadata', 'annotations')['iam.gke.io/gcp-service-account'] = 'web-dev@shop-nonprod.iam.gserviceaccount.com'; });
    expect(lines('join-data', ksa)).toEqual([
      `${DEV_IT}: has DATABASE_USER "inventory-api-dev@shop-nonprod.iam", but its service account acts as web-dev@shop-nonprod.iam.gserviceaccount.com, whose IAM database user is "web-dev@shop-nonprod.iam"`,
    ]);
    // The canary's user must exist on production's instance, not on one of its own.
    expect(lines('join-data', mutateJson(PROD_STACK, withoutUserOf('inventory-api-canary@shop-prod.iam')))).toEqual([
      `${CANARY} Rollout/inventory-api-canary: has DATABASE_USER "inventory-api-canary@shop-prod.iam", which no CLOUD_IAM_SERVICE_ACCOUNT google_sql_user of instance "inventory-api-prod" in ${PROD_STACK} names`,
    ]);
    // A user of another type does not count.
    expect(lines('join-data', mutateJson(NONPROD_STACK, (s) => { get(s, 'resource', 'google_sql_user', 'databases_inventory_api_dev_iam_user').type = 'BUILT_IN'; }))).toEqual([
      `${DEV_IT}: has DATABASE_USER "inventory-api-dev@shop-nonprod.iam", which no CLOUD_IAM_SERVICE_ACCOUNT google_sql_user of instance "inventory-api-dev" in ${NONPROD_STACK} names`,
    ]);
  });

  test('join-data: DATABASE_HOST and DATABASE_PORT are where the proxy listens', () => {
    const config = mutateYaml(DEV_CONFIG, (c) => { Object.assign(get(c, 'data'), { DATABASE_HOST: 'localhost', DATABASE_PORT: '5433' }); });
    expect(lines('join-data', config)).toEqual([
      `${DEV_IT}: has DATABASE_PORT "5433", but cloud-sql-proxy listens on port 5432`,
      `${DEV_IT}: has DATABASE_HOST "localhost", but cloud-sql-proxy listens on 127.0.0.1`,
    ]);
    const port = mutateYaml(DEV, (d) => { proxy(d).args = (proxy(d).args as string[]).map((a) => (a === '--port=5432' ? '--port=6543' : a)); });
    expect(lines('join-data', port)).toEqual([`${DEV_IT}: has DATABASE_PORT "5432", but cloud-sql-proxy listens on port 6543`]);
  });

  test('join-data: the proxy logs in as its account over private IP, and migrate waits for its startup probe', () => {
    const files = mutateYaml(DEV, (d) => {
      proxy(d).args = (proxy(d).args as string[]).filter((a) => a !== '--auto-iam-authn' && a !== '--private-ip');
      delete proxy(d).startupProbe;
    });
    expect(lines('join-data', files)).toEqual([
      `${DEV_IT}: runs cloud-sql-proxy without --auto-iam-authn, --private-ip`,
      `${DEV_IT}: runs cloud-sql-proxy without a startupProbe, so "migrate" can start before the proxy listens`,
    ]);
  });

  test('join-data: in a meshed namespace the proxy runs as Istio\'s proxy UID; elsewhere any UID will do', () => {
    const asApp = (o: Json): void => { delete get(proxy(o), 'securityContext').runAsUser; };
    expect(lines('join-data', mutateYaml(PROD, asApp))).toEqual([
      `${PROD} Rollout/inventory-api: runs cloud-sql-proxy as UID 65532 in meshed namespace "shop-prod", so Istio redirects its connections to an Envoy that is not running yet`,
    ]);
    expect(lines('join-data', mutateYaml(DEV, asApp))).toEqual([]);
    const unmeshed = mutateYaml('kubernetes/prod/namespace-shop-prod.yaml', (n) => { delete get(n, 'metadata', 'labels')['istio-injection']; }, mutateYaml(PROD, asApp));
    expect(lines('join-data', unmeshed)).toEqual([]);
  });

  test('join-data: the instance accepts IAM database users', () => {
    const files = mutateJson(NONPROD_STACK, (s) => { get(s, 'resource', 'google_sql_database_instance', 'databases_inventory_api_dev_instance', 'settings').database_flags = []; });
    expect(lines('join-data', files)).toEqual([
      `${NONPROD_STACK} google_sql_database_instance.databases_inventory_api_dev_instance: is Cloud SQL instance "inventory-api-dev" without the database flag cloudsql.iam_authentication=on, so no IAM database user can log in`,
    ]);
  });

  test('join-data: HTTPS leaves for private.googleapis.com alone, which the cluster stack resolves on its network', () => {
    const https = (change: (rule: Json) => void) => mutateYaml(DEV_POLICY, (p) => {
      change((get(p, 'spec').egress as Json[]).find((r) => (r.ports as Json[]).some((port) => port.port === 443))!);
    });
    expect(lines('join-data', https((r) => { get(r, 'to', 0, 'ipBlock').cidr = '0.0.0.0/0'; }))).toEqual([
      `${DEV_IT}: runs cloud-sql-proxy, but its NetworkPolicies open port 443 to 0.0.0.0/0, not to private.googleapis.com (199.36.153.8/30) alone`,
    ]);
    expect(lines('join-data', https((r) => { delete r.to; }))).toEqual([
      `${DEV_IT}: runs cloud-sql-proxy, but its NetworkPolicies open port 443 to anywhere, not to private.googleapis.com (199.36.153.8/30) alone`,
    ]);
    expect(lines('join-data', https((r) => { r.ports = [{ port: 8443, protocol: 'TCP' }]; }))).toEqual([
      `${DEV_IT}: runs cloud-sql-proxy, but its NetworkPolicies open port 443 to nowhere, not to private.googleapis.com (199.36.153.8/30) alone`,
    ]);
    const noCname = mutateJson(NONPROD_STACK, (s) => { delete get(s, 'resource', 'google_dns_record_set').private_google_access_apis; });
    const zoneMessage = `runs cloud-sql-proxy, but ${NONPROD_STACK} has no private googleapis.com. zone on its network that sends *.googleapis.com to private.googleapis.com`;
    expect(lines('join-data', noCname)).toEqual([`${DEV_IT}: ${zoneMessage}`, `kubernetes/stage/deployment-inventory-api.yaml Deployment/inventory-api: ${zoneMessage}`]);
    const offNetwork = mutateJson(NONPROD_STACK, (s) => { get(s, 'resource', 'google_dns_managed_zone', 'private_google_access_zone').private_visibility_config = { networks: [] }; });
    expect(lines('join-data', offNetwork)).toHaveLength(2);
  });

  test('join-data: a pod that reaches its data by name may resolve names', () => {
    const files = mutateYaml(DEV_DNS, (p) => { get(p, 'spec').podSelector = { matchLabels: { 'app.kubernetes.io/name': 'web' } }; });
    expect(lines('join-data', files)).toEqual([
      `${DEV_IT}: reaches its data by name, but no NetworkPolicy of its namespace lets it leave on port 53, so nothing resolves`,
    ]);
  });
});

describe('the canary uses production\'s data', () => {
  test('canary-data: the candidate connects where production does', () => {
    const files = mutateYaml(CANARY, (r) => {
      const args = proxy(r).args as string[];
      args[args.length - 1] = 'shop-prod:europe-west1:inventory-api-canary';
    }, mutateYaml(CANARY_CONFIG, (c) => { get(c, 'data').REDIS_HOST = 'inventory-api-canary.redis.shop.internal'; }));
    expect(lines('canary-data', files)).toEqual([
      `${CANARY} Rollout/inventory-api-canary: connects cloud-sql-proxy to "shop-prod:europe-west1:inventory-api-canary", but production's Rollout/inventory-api uses "shop-prod:europe-west1:inventory-api-prod"`,
      `${CANARY} Rollout/inventory-api-canary: has REDIS_HOST "inventory-api-canary.redis.shop.internal", but production's Rollout/inventory-api has "inventory-api-prod.redis.shop.internal"`,
    ]);
    // Production itself is not a canary: changing it alone is the candidate's finding, not production's.
    expect(of('canary-data', mutateYaml(PROD, (r) => { (proxy(r).args as string[]).push('x:y:z'); })).map((v) => v.file)).toEqual([CANARY]);
  });

  test('canary-data: no stack creates a data instance under the canary\'s own name', () => {
    const files = mutateJson(PROD_STACK, (s) => {
      const sql = get(s, 'resource', 'google_sql_database_instance');
      sql.databases_inventory_api_canary_instance = { ...get(sql, 'databases_inventory_api_prod_instance'), name: 'inventory-api-canary' };
    });
    expect(lines('canary-data', files)).toEqual([
      `${CANARY} Rollout/inventory-api-canary: has its own Cloud SQL instance "inventory-api-canary" in ${PROD_STACK} (google_sql_database_instance.databases_inventory_api_canary_instance)`,
    ]);
  });
});
