import { DatabaseSettings, EnvironmentConfig } from '../lib/model/config';
import { SyncPolicy } from '../lib/model/sync-policy';
import { profiles } from './profiles';

/** Databases whose loss costs a restore from backup, not customer data. */
const disposableDatabase: DatabaseSettings = {
  tier: 'db-custom-1-3840',
  backupRetentionDays: 14,
  pointInTimeRecovery: false,
  highAvailability: false,
  deletionProtection: false,
};

/** Customer data: a standby in a second zone, four weeks of backups, recovery to the second. */
const productionDatabase: DatabaseSettings = {
  tier: 'db-custom-2-7680',
  backupRetentionDays: 28,
  pointInTimeRecovery: true,
  highAvailability: true,
  deletionProtection: true,
};

/** The four stages, in promotion order. */
export const environments: readonly EnvironmentConfig[] = [
  {
    name: 'dev',
    project: 'shop-nonprod',
    region: 'europe-west1',
    cluster: 'nonprod',
    namespace: 'shop-dev',
    replicas: { replicas: 1 },
    resources: profiles.minimal,
    sync: SyncPolicy.automated({ prune: true, selfHeal: true }),
    baseDomain: 'dev.shop.example.com',
    database: disposableDatabase,
    cache: { tier: 'BASIC' },
  },
  {
    name: 'stage',
    project: 'shop-nonprod',
    region: 'europe-west1',
    cluster: 'nonprod',
    namespace: 'shop-stage',
    replicas: { replicas: 2 },
    resources: profiles.standard,
    sync: SyncPolicy.automated({ prune: true, selfHeal: true }),
    baseDomain: 'stage.shop.example.com',
    database: disposableDatabase,
    cache: { tier: 'BASIC' },
  },
  {
    name: 'canary',
    project: 'shop-prod',
    region: 'europe-west1',
    cluster: 'prod',
    // The release candidate runs beside production, in its namespace, under its own names.
    namespace: 'shop-prod',
    managesNamespace: false,
    nameSuffix: '-canary',
    replicas: { replicas: 1 },
    resources: profiles.high,
    sync: SyncPolicy.automated({ prune: true, selfHeal: true }),
    baseDomain: 'shop.example.com',
    database: disposableDatabase,
    cache: { tier: 'BASIC' },
  },
  {
    name: 'prod',
    project: 'shop-prod',
    region: 'europe-west1',
    cluster: 'prod',
    namespace: 'shop-prod',
    replicas: { replicas: 3, minReplicas: 3 },
    resources: profiles.high,
    sync: SyncPolicy.manual(),
    baseDomain: 'shop.example.com',
    database: productionDatabase,
    cache: { tier: 'STANDARD_HA' },
  },
];
