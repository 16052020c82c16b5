import { AppConfig } from '../lib/model/config';

/** An HTTP API backed by PostgreSQL and Redis. */
export const inventoryApi: AppConfig = {
  name: 'inventory-api',
  team: 'inventory',
  ports: [
    { name: 'http', port: 8080 },
    { name: 'metrics', port: 9090 },
  ],
  exposure: { type: 'cluster', port: 'http' },
  needs: {
    database: { version: 'POSTGRES_16', migrateCommand: ['/app/inventory-api', 'migrate', 'up'] },
    cache: { memoryGb: 1 },
  },
  config: { LOG_LEVEL: 'info', HTTP_PORT: '8080' },
  overrides: {
    dev: { config: { LOG_LEVEL: 'debug' } },
    prod: { replicas: 4 },
  },
};

/** The public storefront. */
export const web: AppConfig = {
  name: 'web',
  team: 'storefront',
  ports: [
    { name: 'http', port: 8080 },
    { name: 'metrics', port: 9090 },
  ],
  exposure: { type: 'public', host: 'www', port: 'http' },
  needs: { dependsOn: ['inventory-api'] },
  config: { INVENTORY_API_URL: 'http://inventory-api:8080' },
  secrets: [{ env: 'SESSION_SECRET', key: 'web-session-secret' }],
  alerts: { errorRatio: 0.01, latencySeconds: 0.5 },
};

/** A background consumer with no ingress. */
export const worker: AppConfig = {
  name: 'worker',
  team: 'inventory',
  ports: [{ name: 'metrics', port: 9090 }],
  needs: { dependsOn: ['inventory-api'] },
  args: ['consume', '--queue', 'orders'],
  config: { CONCURRENCY: '4' },
};

/** The back office, reachable only over the VPN. */
export const admin: AppConfig = {
  name: 'admin',
  team: 'backoffice',
  ports: [
    { name: 'http', port: 8080 },
    { name: 'metrics', port: 9090 },
  ],
  exposure: { type: 'internal', host: 'admin', port: 'http' },
  needs: { dependsOn: ['inventory-api'] },
  secrets: [{ env: 'OIDC_CLIENT_SECRET', key: 'admin-oidc-client-secret' }],
};

export const apps: readonly AppConfig[] = [inventoryApi, web, worker, admin];
