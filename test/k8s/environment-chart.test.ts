import { App } from 'cdk8s';
import { EnvironmentChart } from '../../lib/k8s/environment-chart';
import { SYNC_WAVE_ANNOTATION } from '../../lib/k8s/sync-wave';
import { definePlatform, type Platform } from '../../lib/model/platform';
import { fixturePlatform, platformConfig } from '../fixtures/shop/platform';

type Manifest = {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: any;  
  rules?: { resources: string[]; verbs: string[] }[];
  subjects?: { kind: string; name: string }[];
};

const platform = fixturePlatform();

/** The objects of one environment's chart, by `Kind/name`. */
function chartOf(envName: string, p: Platform = platform): Map<string, Manifest> {
  const env = p.environment(envName);
  if (!env) throw new Error(`no env ${envName}`);
  const chart = new EnvironmentChart(new App(), 'test', { platform: p, env });
  return new Map((chart.toJson() as Manifest[]).map((o) => [`${o.kind}/${o.metadata.name}`, o]));
}

function get(objects: Map<string, Manifest>, key: string): Manifest {
  const found = objects.get(key);
  if (!found) throw new Error(`no ${key} in ${[...objects.keys()].join(', ')}`);
  return found;
}

/** Whether a team's Role lets it change Deployments. */
const canEdit = (objects: Map<string, Manifest>, team: string): boolean =>
  (get(objects, `Role/team-${team}`).rules ?? []).some((r) => r.resources.includes('deployments') && r.verbs.includes('update'));

describe('EnvironmentChart', () => {
  test('the namespace enforces the restricted Pod Security Standard, with the environment\'s quota and default resources', () => {
    const dev = chartOf('dev');
    const env = platform.environment('dev');
    expect(get(dev, 'Namespace/shop-dev').metadata.labels).toMatchObject({
      'app.kubernetes.io/part-of': 'shop',
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
    // dev: 2 CPUs and 4 GiB requested at most, 40 pods; containers default to the minimal profile.
    expect(get(dev, 'ResourceQuota/compute').spec.hard).toEqual({ 'requests.cpu': '2', 'limits.cpu': '4', 'requests.memory': '4096Mi', 'limits.memory': '8192Mi', pods: 40 });
    expect(get(dev, 'LimitRange/defaults').spec.limits).toEqual([
      { type: 'Container', default: { cpu: '250m', memory: '128Mi' }, defaultRequest: { cpu: '50m', memory: '64Mi' } },
    ]);
    expect(env?.resources.name).toBe('minimal');
    // Nothing flows until an app's own policy opens it.
    get(dev, 'NetworkPolicy/default-deny');
  });

  test('each team that owns an app gets access to the namespace: edit where the environment says so, view in production', () => {
    const dev = chartOf('dev');
    const prod = chartOf('prod');
    for (const team of ['inventory', 'storefront', 'backoffice']) {
      expect(get(dev, `RoleBinding/team-${team}`).subjects).toEqual([expect.objectContaining({ kind: 'Group', name: `${team}@shop.example.com` })]);
      expect([team, canEdit(dev, team), canEdit(prod, team)]).toEqual([team, true, false]);
    }
  });

  test('a team that owns no app gets no access', () => {
    const withIdle = definePlatform({ ...platformConfig, teams: [...platformConfig.teams, { name: 'payments', group: 'payments@shop.example.com' }] });
    const dev = chartOf('dev', withIdle);
    expect([...dev.keys()].filter((k) => k.includes('payments'))).toEqual([]);
    get(dev, 'RoleBinding/team-inventory');
  });

  test('production pages and posts to Slack; dev only posts to Slack, and reads no paging key', () => {
    const dev = chartOf('dev');
    const receivers = get(dev, 'ExternalSecret/alert-receivers');
    expect(receivers.spec.secretStoreRef).toEqual({ kind: 'SecretStore', name: platform.addons.secretStore });
    const keys = (o: { spec?: { data?: { remoteRef: { key: string } }[] } }): string[] => (o.spec?.data ?? []).map((d) => d.remoteRef.key);
    expect(keys(receivers)).toEqual(['alerting-slack-webhook-url-dev']);
    expect(keys(get(chartOf('prod'), 'ExternalSecret/alert-receivers'))).toEqual(['alerting-pagerduty-routing-key-prod', 'alerting-slack-webhook-url-prod']);
    const routing = JSON.stringify(get(dev, 'AlertmanagerConfig/alert-routing').spec);
    expect(routing).not.toContain('pagerdutyConfigs');
    expect(routing).toContain('#shop-alerts');
    const prod = get(chartOf('prod'), 'AlertmanagerConfig/alert-routing').spec;
    expect(prod.route?.routes).toEqual([{ receiver: 'paging', matchers: [{ name: 'severity', matchType: '=~', value: 'emergency|critical' }] }]);
    expect(JSON.stringify(prod.receivers)).toContain('pagerdutyConfigs');
  });

  test('the namespace has its own secret store, reading its project as its own Google service account', () => {
    const stage = chartOf('stage');
    const identity = platform.secretStore(platform.environment('stage')!).identity;
    expect(identity.email).toBe('secrets-shop-stage@shop-nonprod.iam.gserviceaccount.com');
    const account = get(stage, 'ServiceAccount/gcp-secret-manager');
    expect(account.metadata.namespace).toBe('shop-stage');
    // The same identity object Terraform binds and grants the namespace's secrets.
    expect(account.metadata.annotations).toMatchObject({ 'iam.gke.io/gcp-service-account': identity.email });
    expect((account as { automountServiceAccountToken?: boolean }).automountServiceAccountToken).toBe(false);
    const store = get(stage, 'SecretStore/gcp-secret-manager');
    expect(store.metadata.namespace).toBe('shop-stage');
    expect(store.spec.provider.gcpsm).toEqual({
      projectID: 'shop-nonprod',
      auth: {
        workloadIdentity: {
          clusterLocation: 'europe-west1',
          clusterName: 'nonprod',
          clusterProjectID: 'shop-nonprod',
          serviceAccountRef: { name: 'gcp-secret-manager' },
        },
      },
    });
  });

  test('OpsGenie paging replaces PagerDuty when the add-ons say so', () => {
    const opsgenie = definePlatform({ ...platformConfig, addons: { ...platformConfig.addons, alerting: { ...platformConfig.addons.alerting, paging: 'opsgenie' } } });
    const routing = JSON.stringify(get(chartOf('prod', opsgenie), 'AlertmanagerConfig/alert-routing').spec);
    expect(routing).toContain('opsgenieConfigs');
    expect(routing).not.toContain('pagerdutyConfigs');
  });

  test('only the environment with progressive delivery puts its namespace in the mesh and lets its pods reach istiod', () => {
    const prod = chartOf('prod');
    expect(get(prod, 'Namespace/shop-prod').metadata.labels).toMatchObject({ 'istio-injection': 'enabled' });
    get(prod, 'NetworkPolicy/allow-istiod');
    const stage = chartOf('stage');
    expect(get(stage, 'Namespace/shop-stage').metadata.labels?.['istio-injection']).toBeUndefined();
    expect(stage.has('NetworkPolicy/allow-istiod')).toBe(false);
  });

  test('every namespaced object is in the namespace, and every object has its sync wave', () => {
    for (const [key, o] of chartOf('stage')) {
      // The Namespace itself is cluster-scoped.
      expect([key, o.metadata.namespace]).toEqual([key, key === 'Namespace/shop-stage' ? undefined : 'shop-stage']);
      expect([key, o.metadata.annotations?.[SYNC_WAVE_ANNOTATION]]).toEqual([key, expect.stringMatching(/^\d$/)]);
    }
  });

  test('an environment that shares another\'s namespace has no chart of its own', () => {
    // The canary runs in production's namespace, which production's chart owns.
    expect(() => chartOf('canary')).toThrow('env canary: an environment that manages its namespace needs quota and teamAccess');
  });
});
