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
  test('holds the ClusterIssuers and the disk alerts: secret stores are per namespace, in the environment charts', () => {
    expect([...chartOf('prod').keys()]).toEqual(['ClusterIssuer/letsencrypt-http01', 'ClusterIssuer/letsencrypt-dns01', 'PrometheusRule/disk-usage']);
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
