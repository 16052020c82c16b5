import { platformConfig } from '../fixtures/shop/platform';
import { dataConfig } from '../../lib/model/data-config';
import { databaseOwnerships } from '../../lib/model/database-owner';
import { definePlatform } from '../../lib/model/platform';
import { configRejection, mapApp, mapEnv } from '../helpers';

const platform = definePlatform(platformConfig);
const api = (env: string) => platform.instances(platform.environment(env)!).find((i) => i.app.name === 'inventory-api')!;

describe('where apps find their data', () => {
  test('each environment owns its data, except the canary, which uses production\'s under its own identity', () => {
    expect(platform.environments.map((e) => [e.name, e.dataOwner])).toEqual([['dev', 'dev'], ['stage', 'stage'], ['canary', 'prod'], ['prod', 'prod']]);
    const canary = api('canary').gcp;
    const prod = api('prod').gcp;
    expect([canary.ownsData, prod.ownsData]).toEqual([false, true]);
    expect(canary.database).toEqual(prod.database);
    expect(canary.cache).toEqual(prod.cache);
    expect(canary.identity?.email).toBe('inventory-api-canary@shop-prod.iam.gserviceaccount.com');
    expect(canary.identity?.sqlUser).toBe('inventory-api-canary@shop-prod.iam');
  });

  test('the ConfigMap settings come from the same objects Terraform reads: the proxy on loopback, the IAM user, the Redis name', () => {
    expect(dataConfig(api('dev').gcp)).toEqual({
      DATABASE_HOST: '127.0.0.1',
      DATABASE_PORT: '5432',
      DATABASE_NAME: 'inventory_api',
      DATABASE_USER: 'inventory-api-dev@shop-nonprod.iam',
      DATABASE_ROLE: 'inventory_api_owner',
      REDIS_HOST: 'inventory-api-dev.redis.shop.internal',
      REDIS_PORT: '6379',
    });
    expect(api('canary').config).toMatchObject({ DATABASE_USER: 'inventory-api-canary@shop-prod.iam', REDIS_HOST: 'inventory-api-prod.redis.shop.internal', LOG_LEVEL: 'info' });
    const web = platform.instances(platform.environment('dev')!).find((i) => i.app.name === 'web')!;
    expect(dataConfig(web.gcp)).toEqual({});
    expect(Object.keys(web.config).some((k) => k.startsWith('DATABASE_') || k.startsWith('REDIS_'))).toBe(false);
  });

  test('one owner role per database, shared by production\'s and the canary\'s IAM users', () => {
    expect(api('prod').gcp.database?.ownerRole).toBe('inventory_api_owner');
    const prodNamespace = [...platform.instances(platform.environment('prod')!), ...platform.instances(platform.environment('canary')!)].map((i) => i.gcp);
    expect(databaseOwnerships(prodNamespace).map((o) => [o.database.instanceName, o.database.ownerRole, o.users])).toEqual([
      ['inventory-api-prod', 'inventory_api_owner', ['inventory-api-prod@shop-prod.iam', 'inventory-api-canary@shop-prod.iam']],
    ]);
    // Apps without a database have no owner to set up; dev's database has only dev's user.
    expect(databaseOwnerships(platform.instances(platform.environment('dev')!).map((i) => i.gcp)).map((o) => o.users)).toEqual([['inventory-api-dev@shop-nonprod.iam']]);
  });

  test('the canary environment may not set database or cache settings', () => {
    expect(configRejection(mapEnv('canary', (e) => ({ ...e, database: { tier: 'db-custom-1-3840' } }))).message).toBe(
      'config error: env "canary", field "database": value "set" is set on the canary environment, which uses production\'s instances and creates none; fix: remove it: production\'s database settings govern the instances the candidate shares',
    );
    expect(configRejection(mapEnv('canary', (e) => ({ ...e, cache: { tier: 'BASIC' } }))).details.field).toBe('cache');
  });

  test('an app may not set a data setting the platform gives, in its config or an override', () => {
    const error = configRejection(mapApp('web', (a) => ({ ...a, config: { ...a.config, REDIS_HOST: 'localhost' } })));
    expect(error.message).toMatch(/^config error: app "web", field "config\.REDIS_HOST": value "localhost" is a name the platform sets .*; fix: remove REDIS_HOST, or rename it/);
    const override = configRejection(mapApp('inventory-api', (a) => ({ ...a, overrides: { ...a.overrides, dev: { config: { DATABASE_USER: 'postgres' } } } })));
    expect(override.details).toMatchObject({ app: 'inventory-api', env: 'dev', field: 'overrides.dev.config.DATABASE_USER' });
  });
});
