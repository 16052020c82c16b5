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
  test('holds the ClusterIssuers, the disk alerts and the routing of the monitoring namespace\'s alerts with its secret store', () => {
    expect([...chartOf('prod').keys()]).toEqual([
      'ClusterIssuer/letsencrypt-http01', 'ClusterIssuer/letsencrypt-dns01', 'PrometheusRule/disk-usage',
      'ServiceAccount/alerts-prod', 'SecretStore/gcp-secret-manager', 'ExternalSecret/alert-receivers', 'AlertmanagerConfig/alert-routing',
    ]);
  });

  test('the prod cluster pages on its critical alerts, the nonprod cluster posts to chat only', () => {
    const prod = get(chartOf('prod'), 'AlertmanagerConfig/alert-routing');
    expect(prod.metadata.namespace).toBe(platform.addons.monitoringNamespace);
    expect(JSON.stringify(prod.spec)).toContain('pagerdutyConfigs');
    const nonprod = get(chartOf('nonprod'), 'AlertmanagerConfig/alert-routing');
    expect(JSON.stringify(nonprod.spec)).not.toContain('pagerdutyConfigs');
    expect(get(chartOf('nonprod'), 'ExternalSecret/alert-receivers').spec.data.map((d: { remoteRef: { key: string } }) => d.remoteRef.key))
      .toEqual(['alerting-slack-webhook-url-cluster-nonprod']);
  });

  test('every disk alert carries the monitoring namespace, so that namespace\'s AlertmanagerConfig routes it; a volume keeps its own in claim_namespace', () => {
    const rules = get(chartOf('prod'), 'PrometheusRule/disk-usage').spec.groups.flatMap((g: { rules: { labels: Record<string, string>; expr: string }[] }) => g.rules);
    for (const rule of rules) expect(rule.labels.namespace).toBe(platform.addons.monitoringNamespace);
    expect(rules.filter((r: { expr: string }) => r.expr.includes('claim_namespace')).length).toBe(2);
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
