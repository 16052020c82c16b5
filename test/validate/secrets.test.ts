import { synthPlatform } from '../../lib/pipeline/synth';
import type { AppConfig } from '../../lib/model/config';
import { check, fixtureFiles, get, type Json, mutateJson, mutateYaml, of, withConfig } from './helpers';

const WEB_DEV = 'kubernetes/dev/externalsecret-web-secrets.yaml';
const NONPROD = 'terraform/cluster-nonprod/main.tf.json';

const messages = (rule: string, files: Parameters<typeof of>[1]): string[] => of(rule, files).map((v) => `${v.file} ${v.object}: ${v.message}`);

describe('join-secret-access: each ExternalSecret reads only secrets Terraform creates and grants its store', () => {
  test('the fixture output joins, and no stack grants Secret Manager on a project', () => {
    expect(of('join-secret-access', fixtureFiles())).toEqual([]);
  });

  test('dev reading stage\'s secret: it exists, but dev\'s store is not granted it', () => {
    const files = mutateYaml(WEB_DEV, (o) => { get(o, 'spec', 'data', 0, 'remoteRef').key = 'web-session-secret-stage'; });
    expect(messages('join-secret-access', files)).toEqual([
      `${WEB_DEV} ExternalSecret/web-secrets: reads secret "web-session-secret-stage" as secrets-shop-dev@shop-nonprod.iam.gserviceaccount.com, which no Terraform stack grants roles/secretmanager.secretAccessor on it`,
    ]);
  });

  test('a key no stack creates, such as the old shared id', () => {
    const files = mutateYaml(WEB_DEV, (o) => { get(o, 'spec', 'data', 0, 'remoteRef').key = 'web-session-secret'; });
    expect(messages('join-secret-access', files)).toEqual([
      `${WEB_DEV} ExternalSecret/web-secrets: reads secret "web-session-secret" of project "shop-nonprod", which no Terraform stack creates`,
    ]);
  });

  test('a grant removed from Terraform', () => {
    const files = mutateJson(NONPROD, (s) => {
      delete get(s, 'resource', 'google_secret_manager_secret_iam_member').secrets_web_session_secret_dev_accessor_secrets_shop_dev;
    });
    expect(messages('join-secret-access', files)).toEqual([
      `${WEB_DEV} ExternalSecret/web-secrets: reads secret "web-session-secret-dev" as secrets-shop-dev@shop-nonprod.iam.gserviceaccount.com, which no Terraform stack grants roles/secretmanager.secretAccessor on it`,
    ]);
  });

  test('a store that is not in the ExternalSecret\'s namespace, or a cluster-wide one that does not exist', () => {
    const files = mutateYaml(WEB_DEV, (o) => { get(o, 'spec', 'secretStoreRef').name = 'gcp-secrets'; });
    expect(messages('join-secret-access', files)).toEqual([
      `${WEB_DEV} ExternalSecret/web-secrets: reads from SecretStore/gcp-secrets, which is not in namespace "shop-dev"`,
    ]);
    const cluster = mutateYaml(WEB_DEV, (o) => { get(o, 'spec', 'secretStoreRef').kind = 'ClusterSecretStore'; });
    expect(messages('join-secret-access', cluster)).toEqual([
      `${WEB_DEV} ExternalSecret/web-secrets: reads from ClusterSecretStore/gcp-secret-manager, which is not in the output`,
    ]);
  });

  test('a store whose service account names no Google service account', () => {
    const SA = 'kubernetes/stage/serviceaccount-gcp-secret-manager.yaml';
    const files = mutateYaml(SA, (o) => { delete get(o, 'metadata', 'annotations')['iam.gke.io/gcp-service-account']; });
    expect(messages('join-secret-access', files).sort()).toEqual([
      'kubernetes/stage/externalsecret-admin-secrets.yaml ExternalSecret/admin-secrets: reads from SecretStore/gcp-secret-manager, whose ServiceAccount shop-stage/gcp-secret-manager names no Google service account',
      'kubernetes/stage/externalsecret-alert-receivers.yaml ExternalSecret/alert-receivers: reads from SecretStore/gcp-secret-manager, whose ServiceAccount shop-stage/gcp-secret-manager names no Google service account',
      'kubernetes/stage/externalsecret-web-secrets.yaml ExternalSecret/web-secrets: reads from SecretStore/gcp-secret-manager, whose ServiceAccount shop-stage/gcp-secret-manager names no Google service account',
    ]);
  });

  test('a project-level grant of secretAccessor or Secret Manager admin', () => {
    const files = mutateJson(NONPROD, (s) => {
      const grants = get(s, 'resource', 'google_project_iam_member');
      grants.secret_store_secret_accessor = { project: 'shop-nonprod', role: 'roles/secretmanager.secretAccessor', member: 'serviceAccount:secrets-shop-dev@shop-nonprod.iam.gserviceaccount.com' };
      grants.ops_admin = { project: 'shop-nonprod', role: 'roles/secretmanager.admin', member: 'group:ops@shop.example.com' };
    });
    expect(messages('join-secret-access', files)).toEqual([
      `${NONPROD} google_project_iam_member.secret_store_secret_accessor: grants roles/secretmanager.secretAccessor on the whole project, so every secret store could read every secret`,
      `${NONPROD} google_project_iam_member.ops_admin: grants roles/secretmanager.admin on the whole project, so every secret store could read every secret`,
    ]);
    expect(check(files).violations.find((v) => v.rule === 'join-secret-access')?.fix).toBe('grant it on each secret its reader needs (google_secret_manager_secret_iam_member)');
  });

  test('a grant written with literal ids and emails joins too', () => {
    const files = mutateJson(NONPROD, (s) => {
      const member = get(s, 'resource', 'google_secret_manager_secret_iam_member', 'secrets_web_session_secret_dev_accessor_secrets_shop_dev') as Json;
      member.secret_id = 'projects/shop-nonprod/secrets/web-session-secret-dev';
      member.member = 'serviceAccount:secrets-shop-dev@shop-nonprod.iam.gserviceaccount.com';
    });
    expect(of('join-secret-access', files)).toEqual([]);
  });

  test('is skipped when the output holds no Terraform stack', () => {
    const onlyK8s = fixtureFiles().filter((f) => !f.path.startsWith('terraform/'));
    expect(of('join-secret-access', onlyK8s)).toEqual([]);
  });

  test('the canary reads production\'s secrets through production\'s store, and the output still joins', () => {
    const withSecret = (a: AppConfig): AppConfig =>
      a.name === 'inventory-api' ? { ...a, secrets: [{ env: 'WEBHOOK_SIGNING_KEY', key: 'inventory-api-webhook-key' }] } : a;
    const platform = withConfig((c) => ({ ...c, apps: c.apps.map(withSecret) }));
    const files = synthPlatform(platform).files;
    const canary = files.find((f) => f.path === 'kubernetes/canary/externalsecret-inventory-api-canary-secrets.yaml');
    expect(canary?.content).toContain('key: inventory-api-webhook-key-prod');
    expect(canary?.content).toContain('kind: SecretStore');
    expect(files.some((f) => f.path === 'kubernetes/canary/secretstore-gcp-secret-manager.yaml')).toBe(false);
    expect(of('join-secret-access', files)).toEqual([]);
  });
});
