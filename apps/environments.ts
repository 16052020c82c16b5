import { EnvironmentConfig } from '../lib/model/config';
import { SyncPolicy } from '../lib/model/sync-policy';
import { profiles } from './profiles';

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
  },
];
