import { type Checks } from './checks';
import { CLOUD_SQL_PROXY } from './cloud-sql-proxy';
import { type AppGcpResources } from './gcp-resources';

/** The settings {@link dataConfig} gives an app that declares a database. */
export const DATABASE_CONFIG_KEYS = ['DATABASE_HOST', 'DATABASE_PORT', 'DATABASE_NAME', 'DATABASE_USER', 'DATABASE_ROLE'] as const;

/** The settings {@link dataConfig} gives an app; its own config may not set them. */
export const DATA_CONFIG_KEYS = [...DATABASE_CONFIG_KEYS, 'REDIS_HOST', 'REDIS_PORT'] as const;

type DatabaseConfig = Readonly<Record<(typeof DATABASE_CONFIG_KEYS)[number], string>>;

/**
 * Where an app finds its data, as plain settings for its ConfigMap, read from the same objects
 * Terraform creates the instances and the IAM database user from. The database is the Cloud SQL
 * Auth Proxy in the pod, which logs in as the app's Google service account (no password exists);
 * the cache is its private DNS name.
 */
export function dataConfig(gcp: AppGcpResources): Readonly<Record<string, string>> {
  const { database, cache, identity } = gcp;
  return {
    ...(database && identity
      ? ({
          DATABASE_HOST: CLOUD_SQL_PROXY.host,
          DATABASE_PORT: String(CLOUD_SQL_PROXY.port),
          DATABASE_NAME: database.databaseName,
          DATABASE_USER: identity.sqlUser,
          // The role migrations `SET ROLE` to, should the session default (docs/data.md) be missing.
          DATABASE_ROLE: database.ownerRole,
        } satisfies DatabaseConfig)
      : {}),
    ...(cache ? { REDIS_HOST: cache.host, REDIS_PORT: String(cache.port) } : {}),
  };
}

/** The data settings are the platform's: an app's config may not set one, even without that need. */
export function checkDataConfigKeys(config: Readonly<Record<string, string>>, field: string, checks: Checks): void {
  for (const key of Object.keys(config)) {
    if ((DATA_CONFIG_KEYS as readonly string[]).includes(key)) {
      checks.fail(`${field}.${key}`, config[key], 'is a name the platform sets from the app\'s declared database or cache',
        `remove ${key}, or rename it: the platform gives ${DATA_CONFIG_KEYS.join(', ')} from needs.database and needs.cache`);
    }
  }
}
