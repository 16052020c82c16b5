import { App } from 'cdk8s';
import { ClusterChart } from '../../lib/k8s/cluster-chart';
import { SYNC_WAVE_ANNOTATION } from '../../lib/k8s/sync-wave';
import { type Cluster } from '../../lib/model/cluster';
import { fixturePlatform } from '../fixtures/shop/platform';

type Manifest = {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any;  
  automountServiceAccountToken?: boolean;
};

const platform = fixturePlatform();

function clusterOf(name: string): Cluster {
  const cluster = platform.clusters.find((c) => c.name === name);
  if (!cluster) throw new Error(`no cluster ${name}`);
  return cluster;
}

/** The objects of one cluster's chart, by `Kind/name`. */
function chartOf(name: string): Map<string, Manifest> {
  const chart = new ClusterChart(new App(), 'test', { platform, cluster: clusterOf(name) });
  return new Map((chart.toJson() as Manifest[]).map((o) => [`${o.kind}/${o.metadata.name}`, o]));
}

function get(objects: Map<string, Manifest>, key: string): Manifest {
  const found = objects.get(key);
  if (!found) throw new Error(`no ${key} in ${[...objects.keys()].join(', ')}`);
  return found;
}

describe('ClusterChart', () => {
  test('holds the secret store, its service account and the disk alerts, once per cluster', () => {
    expect([...chartOf('prod').keys()]).toEqual([
      'ServiceAccount/secret-store', 'ClusterSecretStore/gcp-secret-manager', 'ClusterIssuer/letsencrypt-http01', 'ClusterIssuer/letsencrypt-dns01', 'PrometheusRule/disk-usage',
    ]);
  });

  test('the store\'s service account carries the Workload Identity annotation of the account Terraform binds', () => {
    const identity = clusterOf('prod').secretStoreIdentity;
    const account = get(chartOf('prod'), 'ServiceAccount/secret-store');
    expect(account.metadata.namespace).toBe(platform.addons.externalSecretsNamespace);
    expect(account.metadata.annotations).toMatchObject({ 'iam.gke.io/gcp-service-account': identity.email });
    expect(identity.email).toBe('secret-store@shop-prod.iam.gserviceaccount.com');
    // It only authenticates the operator: no pod mounts its token.
    expect(account.automountServiceAccountToken).toBe(false);
  });

  test('the store reads the cluster\'s project through that account, with Workload Identity', () => {
    const store = get(chartOf('nonprod'), 'ClusterSecretStore/gcp-secret-manager');
    expect(store.spec.provider.gcpsm).toEqual({
      projectID: 'shop-nonprod',
      auth: {
        workloadIdentity: {
          clusterLocation: 'europe-west1',
          clusterName: 'nonprod',
          clusterProjectID: 'shop-nonprod',
          serviceAccountRef: { name: 'secret-store', namespace: platform.addons.externalSecretsNamespace },
        },
      },
    });
  });

  test('only the namespaces of the cluster\'s environments may use the store, each once', () => {
    const namespaces = (name: string): string[] => get(chartOf(name), 'ClusterSecretStore/gcp-secret-manager').spec.conditions[0].namespaces;
    expect(namespaces('nonprod')).toEqual(['shop-dev', 'shop-stage']);
    // The canary shares production's namespace.
    expect(namespaces('prod')).toEqual(['shop-prod']);
  });

  test('the disk alerts go to the monitoring namespace, where Prometheus finds them', () => {
    const alerts = get(chartOf('prod'), 'PrometheusRule/disk-usage');
    expect(alerts.metadata.namespace).toBe(platform.addons.monitoringNamespace);
    expect(alerts.metadata.labels).toMatchObject(platform.addons.monitoringLabels);
  });

  test('every object has its sync wave and the platform label', () => {
    for (const [key, o] of chartOf('nonprod')) {
      expect([key, o.metadata.annotations?.[SYNC_WAVE_ANNOTATION]]).toEqual([key, expect.stringMatching(/^\d$/)]);
      expect([key, o.metadata.labels?.['app.kubernetes.io/part-of']]).toEqual([key, 'shop']);
    }
  });
});
