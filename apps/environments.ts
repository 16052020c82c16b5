import { Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { type DatabaseSettings, type EnvironmentConfig } from '../lib/model/config';
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
    replicas: { replicas: 1, maxReplicas: 2 },
    resources: profiles.minimal,
    quota: { cpuRequests: Cpu.units(2), cpuLimits: Cpu.units(4), memoryRequests: Size.gibibytes(4), memoryLimits: Size.gibibytes(8), pods: 40 },
    teamAccess: 'edit',
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
    replicas: { replicas: 2, maxReplicas: 4 },
    resources: profiles.standard,
    quota: { cpuRequests: Cpu.units(4), cpuLimits: Cpu.units(8), memoryRequests: Size.gibibytes(8), memoryLimits: Size.gibibytes(16), pods: 60 },
    teamAccess: 'edit',
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
    // The candidate scales, so it can carry the share of traffic promote --step gives it: up to 5 of
    // production's 10 pods at peak, 50%. The namespace quota keeps room for all 5.
    replicas: { replicas: 1, maxReplicas: 5 },
    resources: profiles.high,
    canary: { weight: 10, bakeTime: Duration.hours(24) },
    sync: SyncPolicy.automated({ prune: true, selfHeal: true }),
    baseDomain: 'shop.example.com',
    // No database or cache settings: the candidate uses production's instances.
  },
  {
    name: 'prod',
    production: true,
    // Only production pages; every other environment's alerts go to chat (docs/alerting.md).
    alerts: { page: true },
    project: 'shop-prod',
    region: 'europe-west1',
    cluster: 'prod',
    namespace: 'shop-prod',
    replicas: { replicas: 3, minReplicas: 3, maxReplicas: 10 },
    resources: profiles.high,
    quota: { cpuRequests: Cpu.units(16), cpuLimits: Cpu.units(48), memoryRequests: Size.gibibytes(32), memoryLimits: Size.gibibytes(64), pods: 200 },
    teamAccess: 'view',
    sync: SyncPolicy.manual(),
    // Argo CD syncs production on its own only in working hours; outside them, only a person can.
    syncWindow: { schedule: '0 8 * * 1-5', duration: '9h', timeZone: 'Europe/Berlin' },
    progressiveDelivery: { istioGateway: 'istio-ingress/ingress-gateway' },
    baseDomain: 'shop.example.com',
    database: productionDatabase,
    cache: { tier: 'STANDARD_HA' },
  },
];
