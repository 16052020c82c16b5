import { check, fixtureFiles, get, type Json, mutateJson, mutateYaml, of } from './helpers';

const PROD = 'kubernetes/prod/rollout-inventory-api.yaml';
const CANARY = 'kubernetes/canary/rollout-inventory-api-canary.yaml';
const DEV = 'kubernetes/dev/deployment-inventory-api.yaml';
const DEV_CONFIG = 'kubernetes/dev/configmap-inventory-api-config.yaml';
const DEV_POLICY = 'kubernetes/dev/networkpolicy-inventory-api.yaml';
const CANARY_CONFIG = 'kubernetes/canary/configmap-inventory-api-canary-config.yaml';
const PROD_STACK = 'terraform/cluster-prod/main.tf.json';

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
