import { definePlatform } from '../../lib/model/platform';
import { platformConfig } from '../fixtures/shop/platform';
import { configRejection, mapApp, mapEnv } from '../helpers';

const platform = definePlatform(platformConfig);
const env = (name: string) => platform.environment(name)!;

describe('secrets per environment', () => {
  test('each environment reads its own secret ids; dev and stage no longer share one', () => {
    const ids = (e: string) => platform.instances(env(e)).find((i) => i.app.name === 'web')!.gcp.secrets.map((s) => s.secretId);
    expect(['dev', 'stage', 'prod'].map(ids)).toEqual([['web-session-secret-dev'], ['web-session-secret-stage'], ['web-session-secret-prod']]);
  });

  test('the canary reads production\'s secrets, through production\'s store', () => {
    const p = definePlatform(mapApp('inventory-api', (a) => ({ ...a, secrets: [{ env: 'SIGNING_KEY', key: 'inventory-signing-key', version: '3' }] })));
    const canary = p.instances(p.environment('canary')!).find((i) => i.app.name === 'inventory-api')!;
    expect(canary.gcp.secrets).toEqual([{ env: 'SIGNING_KEY', secretId: 'inventory-signing-key-prod', version: '3' }]);
    expect(p.secretStore(p.environment('canary')!)).toBe(p.secretStore(p.environment('prod')!));
    expect(p.secretStore(p.environment('prod')!).secretIds).toContain('inventory-signing-key-prod');
  });

  test('one store per namespace, with its own Google service account and exactly the secrets its objects read', () => {
    expect(platform.secretStores.map((s) => [s.namespace, s.owner, s.identity.email])).toEqual([
      ['shop-dev', 'dev', 'secrets-shop-dev@shop-nonprod.iam.gserviceaccount.com'],
      ['shop-stage', 'stage', 'secrets-shop-stage@shop-nonprod.iam.gserviceaccount.com'],
      ['shop-prod', 'prod', 'secrets-shop-prod@shop-prod.iam.gserviceaccount.com'],
      // Each cluster's monitoring namespace, for the receivers of the cluster's own alerts.
      ['monitoring', 'cluster-nonprod', 'alerts-nonprod@shop-nonprod.iam.gserviceaccount.com'],
      ['monitoring', 'cluster-prod', 'alerts-prod@shop-prod.iam.gserviceaccount.com'],
    ]);
    const prodCluster = platform.clusterSecretStore(platform.clusters.find((c) => c.name === 'prod')!);
    expect(prodCluster.secretIds).toEqual(['alerting-pagerduty-routing-key-cluster-prod', 'alerting-slack-webhook-url-cluster-prod']);
    expect(prodCluster.identity.kubernetesServiceAccount).toEqual({ namespace: 'monitoring', name: 'alerts-prod' });
    const dev = platform.secretStore(env('dev'));
    expect(dev.identity.kubernetesServiceAccount).toEqual({ namespace: 'shop-dev', name: 'gcp-secret-manager' });
    expect(dev.secretIds).toEqual([
      'admin-oidc-client-secret-dev',
      'alerting-slack-webhook-url-dev',
      'web-session-secret-dev',
    ]);
  });

  test('rejects a key that makes an invalid Secret Manager id with a one-line message naming the fix', () => {
    const error = configRejection(mapApp('web', (a) => ({ ...a, secrets: [{ env: 'SESSION_SECRET', key: 'web.session' }] })));
    expect(error.message).toMatch(/app "web", env "dev", field "secrets\[0\]\.key": value "web\.session" makes the Secret Manager secret id "web\.session-dev", which is not 1 to 255 letters, digits, '-' and '_'; fix: use only letters, digits, '-' and '_'/);
    const long = configRejection(mapApp('web', (a) => ({ ...a, secrets: [{ env: 'SESSION_SECRET', key: 'k'.repeat(252) }] })));
    expect(long.message).toContain('in at most 251 characters');
  });

  test('rejects a store account that an app\'s account already takes in the project with a one-line message naming the fix', () => {
    // App "secrets-shop" in env "dev" owns the account "secrets-shop-dev", the dev store's.
    const config = mapApp('inventory-api', (a) => ({ ...a, name: 'secrets-shop', delivery: { strategy: { type: 'rolling' } } }));
    const renamed = { ...config, apps: config.apps.map((a) => ({ ...a, needs: { ...a.needs, dependsOn: a.needs?.dependsOn?.map((d) => (d === 'inventory-api' ? 'secrets-shop' : d)) } })) };
    expect(configRejection(renamed).message).toMatch(/env "dev", field "namespace": value "shop-dev" makes the secret store's Google service account "secrets-shop-dev", which app "secrets-shop" uses in env "dev"; fix: rename the app or the namespace/);
  });

  test('rejects a namespace too long for its secret store\'s Google service account with a one-line message naming the fix', () => {
    const error = configRejection(mapEnv('dev', (e) => ({ ...e, namespace: 'shop-development-sandbox' })));
    expect(error.message).toMatch(/env "dev", field "namespace": value "shop-development-sandbox" makes the secret store's Google service account id "secrets-shop-development-sandbox" longer than 30 characters; fix: shorten the namespace to at most 22 characters/);
  });
});
