import { AppConfig } from '../lib/model/config';

/** An HTTP API backed by PostgreSQL and Redis. */
export const inventoryApi: AppConfig = {
  name: 'inventory-api',
  ports: [
    { name: 'http', port: 8080 },
    { name: 'metrics', port: 9090 },
  ],
  exposure: { type: 'internal', port: 'http' },
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
  ports: [
    { name: 'http', port: 8080 },
    { name: 'metrics', port: 9090 },
  ],
  exposure: { type: 'public', host: 'www', port: 'http' },
  needs: { dependsOn: ['inventory-api'] },
  config: { INVENTORY_API_URL: 'http://inventory-api:8080' },
};

/** A background consumer with no ingress. */
export const worker: AppConfig = {
  name: 'worker',
  ports: [{ name: 'metrics', port: 9090 }],
  needs: { dependsOn: ['inventory-api'] },
  args: ['consume', '--queue', 'orders'],
  config: { CONCURRENCY: '4' },
};

/** The back office, reachable only over the VPN. */
export const admin: AppConfig = {
  name: 'admin',
  ports: [
    { name: 'http', port: 8080 },
    { name: 'metrics', port: 9090 },
  ],
  exposure: { type: 'internal', host: 'admin', port: 'http' },
  needs: { dependsOn: ['inventory-api'] },
};

export const apps: readonly AppConfig[] = [inventoryApi, web, worker, admin];
