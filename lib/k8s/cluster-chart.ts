import { Chart } from 'cdk8s';
import { type Construct } from 'constructs';
import { type Platform } from '../model/platform';
import { type Cluster } from '../model/cluster';
import { CLUSTER_ISSUERS } from '../model/traffic';
import { AcmeClusterIssuers } from './exposure/cluster-issuers';
import { DiskUsageAlerts } from './monitoring/disk-usage-alerts';
import { applySyncWaves } from './sync-wave';

/** Props of {@link ClusterChart}. */
export interface ClusterChartProps {
  readonly platform: Platform;
  readonly cluster: Cluster;
}

/**
 * The objects a cluster has once, whatever environments run on it: the ACME ClusterIssuers its
 * Certificates name, and the disk usage alerts of nodes and volumes. One ArgoCD Application per cluster owns them, so two environments on a cluster never
 * emit the same object. Secret stores are per namespace, in the environment charts.
 */
export class ClusterChart extends Chart {
  constructor(scope: Construct, id: string, props: ClusterChartProps) {
    const { platform, cluster } = props;
    super(scope, id, { disableResourceNameHashes: true });
    const addons = platform.addons;
    const labels = { 'app.kubernetes.io/part-of': platform.name };
    // The ClusterIssuers every Certificate of the cluster names; DNS-01 edits the public zones of
    // the cluster's environments as cert-manager's Workload Identity (Cluster.certManagerIdentity).
    const traffic = platform.traffic;
    new AcmeClusterIssuers(this, 'Issuers', {
      labels,
      server: traffic.acme.server,
      email: traffic.acme.email,
      http01Name: CLUSTER_ISSUERS.http01,
      dns01Name: CLUSTER_ISSUERS.dns01,
      zones: traffic.zones.filter((z) => z.visibility === 'public' && z.cluster === cluster.name),
    });
    new DiskUsageAlerts(this, 'DiskUsage', {
      name: 'disk-usage',
      namespace: addons.monitoringNamespace,
      labels: { ...labels, ...addons.monitoringLabels },
    });
    applySyncWaves(this);
  }
}
