import { fixturePlatform } from '../fixtures/shop/platform';
import { platformStacks } from '../../infra/platform-stacks';
import { synthStack } from '../../lib/engine/terraform';

type Resources = Record<string, Record<string, Record<string, unknown>>>;
type Outputs = Record<string, { value: unknown }>;

describe('the data plane in Terraform', () => {
  const stacks = new Map(platformStacks(fixturePlatform()).map(({ name, stack }) => [name, JSON.parse(synthStack(stack)) as { resource: Resources; output: Outputs }]));
  const resources = (stack: string, type: string): Record<string, Record<string, unknown>> => stacks.get(stack)?.resource[type] ?? {};
  const names = (stack: string, type: string): unknown[] => Object.values(resources(stack, type)).map((r) => r.name).sort();

  test('only the data owner gets instances: the canary creates no Cloud SQL or Memorystore instance', () => {
    expect(names('cluster-prod', 'google_sql_database_instance')).toEqual(['inventory-api-prod']);
    expect(names('cluster-prod', 'google_redis_instance')).toEqual(['inventory-api-prod']);
    expect(names('cluster-nonprod', 'google_sql_database_instance')).toEqual(['inventory-api-dev', 'inventory-api-stage']);
  });

  test('the canary\'s own account connects to production\'s instance as its own IAM database user', () => {
    const users = Object.values(resources('cluster-prod', 'google_sql_user'));
    expect(users.map((u) => [u.name, u.type, u.instance])).toEqual([
      ['inventory-api-canary@shop-prod.iam', 'CLOUD_IAM_SERVICE_ACCOUNT', '${google_sql_database_instance.databases_inventory_api_prod_instance.name}'],
      ['inventory-api-prod@shop-prod.iam', 'CLOUD_IAM_SERVICE_ACCOUNT', '${google_sql_database_instance.databases_inventory_api_prod_instance.name}'],
    ]);
    const canaryRoles = Object.values(resources('cluster-prod', 'google_project_iam_member'))
      .filter((m) => String(m.member).includes('identities_inventory-api-canary') || String(m.member).includes('identities_inventory_api_canary'))
      .map((m) => [m.role, (m.condition as { expression: string }).expression.includes('instances/inventory-api-prod')]);
    expect(canaryRoles.sort()).toEqual([['roles/cloudsql.client', true], ['roles/cloudsql.instanceUser', true]]);
  });

  test('Google APIs resolve to private.googleapis.com, routed through Private Google Access', () => {
    const zone = Object.values(resources('cluster-prod', 'google_dns_managed_zone')).find((z) => z.dns_name === 'googleapis.com.');
    expect(zone).toMatchObject({ visibility: 'private', name: 'prod-googleapis' });
    const records = Object.values(resources('cluster-prod', 'google_dns_record_set')).filter((r) => String(r.name).endsWith('googleapis.com.'));
    expect(records.map((r) => [r.name, r.type, r.rrdatas]).sort()).toEqual([
      ['*.googleapis.com.', 'CNAME', ['private.googleapis.com.']],
      ['private.googleapis.com.', 'A', ['199.36.153.8', '199.36.153.9', '199.36.153.10', '199.36.153.11']],
    ]);
    expect(Object.values(resources('cluster-prod', 'google_compute_route'))).toEqual([
      expect.objectContaining({ dest_range: '199.36.153.8/30', next_hop_gateway: 'default-internet-gateway' }),
    ]);
  });

  test('the owner-role SQL of each database names every IAM user Terraform creates on its instance, the canary\'s included', () => {
    const sql = stacks.get('cluster-prod')?.output.database_owner_sql.value as string;
    expect(sql.split('\n')).toEqual([
      '-- shop-prod:europe-west1:inventory-api-prod: database inventory_api, as postgres',
      'CREATE ROLE "inventory_api_owner" NOLOGIN;',
      'GRANT "inventory_api_owner" TO postgres;',
      'GRANT "inventory_api_owner" TO "inventory-api-prod@shop-prod.iam";',
      'ALTER ROLE "inventory-api-prod@shop-prod.iam" SET role = \'inventory_api_owner\';',
      'GRANT "inventory_api_owner" TO "inventory-api-canary@shop-prod.iam";',
      'ALTER ROLE "inventory-api-canary@shop-prod.iam" SET role = \'inventory_api_owner\';',
      'ALTER DATABASE "inventory_api" OWNER TO "inventory_api_owner";',
      '\\connect "inventory_api"',
      'ALTER SCHEMA public OWNER TO "inventory_api_owner";',
    ]);
    const users = Object.values(resources('cluster-prod', 'google_sql_user')).map((u) => String(u.name));
    for (const user of users) expect(sql).toContain(`GRANT "inventory_api_owner" TO "${user}";`);
    // One block per instance: dev's and stage's each grant only their own user.
    const nonprod = stacks.get('cluster-nonprod')?.output.database_owner_sql.value as string;
    expect(nonprod.split('\n\n').map((b) => b.match(/TO "inventory-api-[a-z]+@[^"]+"/g))).toEqual([
      ['TO "inventory-api-dev@shop-nonprod.iam"'], ['TO "inventory-api-stage@shop-nonprod.iam"'],
    ]);
  });
});
