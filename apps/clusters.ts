import { type ClusterConfig } from '../lib/model/config';

/** One cluster for dev and stage, one for canary and prod. */
export const clusters: readonly ClusterConfig[] = [
  {
    name: 'nonprod',
    project: 'shop-nonprod',
    region: 'europe-west1',
    network: {
      nodesCidr: '10.10.0.0/20',
      podsCidr: '10.12.0.0/16',
      servicesCidr: '10.13.0.0/20',
      controlPlaneCidr: '172.16.0.0/28',
      privateServicesCidr: '10.14.0.0/20',
      vpnCidrs: ['10.100.0.0/16'],
      proxyOnlyCidr: '10.15.0.0/23',
    },
    nodePool: { machineType: 'e2-standard-4', minNodes: 1, maxNodes: 3 },
    releaseChannel: 'REGULAR',
    deletionProtection: false,
  },
  {
    name: 'prod',
    project: 'shop-prod',
    region: 'europe-west1',
    network: {
      nodesCidr: '10.20.0.0/20',
      podsCidr: '10.22.0.0/16',
      servicesCidr: '10.23.0.0/20',
      controlPlaneCidr: '172.16.0.16/28',
      privateServicesCidr: '10.24.0.0/20',
      vpnCidrs: ['10.100.0.0/16'],
      proxyOnlyCidr: '10.25.0.0/23',
    },
    nodePool: { machineType: 'e2-standard-8', minNodes: 2, maxNodes: 10 },
    releaseChannel: 'STABLE',
    deletionProtection: true,
    // The cluster production runs on pages on its own critical alerts (disks, nodes, add-ons).
    alerts: { page: true },
    // Outside the shop's busiest hours in Europe.
    maintenanceStartTime: '02:00',
  },
];
