import { Duration } from 'cdk8s';
import { type AppConfig } from '../lib/model/config';

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
    database: {
      version: 'POSTGRES_16',
      migrateCommand: ['/app/inventory-api', 'migrate', 'up'],
      // The monthly restore drill compares these tables' row counts with production's (docs/backups.md).
      backups: { drill: { tables: ['items', 'stock_levels'] }, dumps: { retentionMonths: 12 } },
    },
    cache: { memoryGb: 1 },
  },
  config: { LOG_LEVEL: 'info', HTTP_PORT: '8080' },
  overrides: {
    dev: { config: { LOG_LEVEL: 'debug' } },
    prod: { replicas: 4 },
  },
  // Each candidate first runs in the canary environment on a share of production traffic.
  delivery: { strategy: { type: 'canary' }, canaryEnvironment: true },
  slo: { availability: 99.9, latency: { target: 99, threshold: Duration.millis(250) } },
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
  // The Rollout shifts storefront traffic itself, through Istio.
  delivery: { strategy: { type: 'rolloutIstio', analysis: { successRate: 0.995, p95Latency: Duration.millis(400) } } },
  slo: { availability: 99.9, latency: { target: 95, threshold: Duration.millis(500) } },
};

/** A background consumer with no ingress. */
export const worker: AppConfig = {
  name: 'worker',
  team: 'inventory',
  ports: [{ name: 'metrics', port: 9090 }],
  needs: { dependsOn: ['inventory-api'] },
  args: ['consume', '--queue', 'orders'],
  config: { CONCURRENCY: '4' },
  delivery: { strategy: { type: 'rolling' } },
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
  // A person checks the preview before staff are switched over.
  delivery: { strategy: { type: 'blueGreen', autoPromotion: false } },
  slo: { availability: 99.5 },
};

export const apps: readonly AppConfig[] = [inventoryApi, web, worker, admin];
