import { Chart } from 'cdk8s';
import { type Construct } from 'constructs';
import { type Platform } from '../model/platform';
import { type Cluster } from '../model/cluster';
import { CLUSTER_ISSUERS } from '../model/traffic';
import { AlertReceivers } from './alert-receivers';
import { AcmeClusterIssuers } from './exposure/cluster-issuers';
import { DiskUsageAlerts } from './monitoring/disk-usage-alerts';
import { NamespaceSecretStoreObjects } from './secrets/namespace-secret-store';
import { applySyncWaves } from './sync-wave';

/** Props of {@link ClusterChart}. */
export interface ClusterChartProps {
  readonly platform: Platform;
  readonly cluster: Cluster;
}

/**
 * The objects a cluster has once, whatever environments run on it: the ACME ClusterIssuers its
 * Certificates name, the disk usage alerts of nodes and volumes, and the routing of the monitoring
 * namespace's alerts with its secret store. One ArgoCD Application per cluster owns them, so two
 * environments on a cluster never emit the same object. The environments' secret stores are per
 * namespace, in the environment charts.
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
      // Routed by the cluster's AlertmanagerConfig below, whatever namespace a volume is in.
      alertNamespace: addons.monitoringNamespace,
    });
    this.alertRouting(platform, cluster, labels);
    applySyncWaves(this);
  }

  /**
   * The cluster's own alert routing, in the monitoring namespace: the Prometheus Operator routes an
   * AlertmanagerConfig only the alerts whose namespace label is its own, so the monitoring
   * namespace's alerts (nodes, disks, the add-ons kube-prometheus-stack watches there) need one of
   * their own. Its receivers' keys come through a SecretStore of that namespace, whose Google account
   * Terraform grants exactly those secrets (`Platform.clusterSecretStore`).
   */
  private alertRouting(platform: Platform, cluster: Cluster, labels: Readonly<Record<string, string>>): void {
    const secretStore = platform.clusterSecretStore(cluster);
    const { store } = new NamespaceSecretStoreObjects(this, 'SecretStore', { store: secretStore, cluster, labels, explicitNamespace: true });
    new AlertReceivers(this, 'Alerts', {
      namespace: secretStore.namespace,
      labels,
      monitoringLabels: platform.addons.monitoringLabels,
      alerting: platform.addons.alerting,
      routing: cluster.alertRouting,
      secrets: secretStore.alertReceivers,
      store,
    });
  }
}
