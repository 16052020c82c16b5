import { platformStacks } from '../../infra/platform-stacks';
import { synthStack } from '../../lib/engine/terraform';
import { fixturePlatform } from '../fixtures/shop/platform';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

const platform = fixturePlatform();
const resources = (name: string): Resources => {
  const stack = platformStacks(platform).find((s) => s.name === name)!.stack;
  return (JSON.parse(synthStack(stack)) as { resource: Resources }).resource;
};

describe('Secret Manager in the cluster stacks', () => {
  const nonprod = resources('cluster-nonprod');

  test('creates each secret the namespaces of the cluster read, replicated automatically, with no version', () => {
    const secrets = Object.values(nonprod.google_secret_manager_secret);
    const stores = platform.secretStores.filter((s) => s.cluster === 'nonprod');
    expect(secrets.map((s) => s.secret_id).sort()).toEqual(stores.flatMap((s) => s.secretIds).sort());
    for (const s of secrets) expect([s.secret_id, s.project, s.replication]).toEqual([s.secret_id, 'shop-nonprod', { auto: {} }]);
    expect(nonprod.google_secret_manager_secret_version).toBeUndefined();
  });

  test('grants each secret to the account of the store that reads it, and nothing on the project', () => {
    const grants = Object.entries(nonprod.google_secret_manager_secret_iam_member);
    expect(grants).toHaveLength(Object.keys(nonprod.google_secret_manager_secret).length);
    expect(nonprod.google_secret_manager_secret_iam_member.secrets_web_session_secret_stage_accessor_secrets_shop_stage).toEqual({
      project: 'shop-nonprod',
      role: 'roles/secretmanager.secretAccessor',
      secret_id: '${google_secret_manager_secret.secrets_web_session_secret_stage.secret_id}',
      member: '${google_service_account.secret_stores_secrets_shop_stage.member}',
      // The stack enables Secret Manager in the project first (docs/opentofu.md).
      depends_on: ['${google_project_service.apis_shop_nonprod_secretmanager}'],
    });
    expect(nonprod.google_service_account.secret_stores_secrets_shop_stage.account_id).toBe('secrets-shop-stage');
    for (const stack of ['cluster-nonprod', 'cluster-prod']) {
      const projectRoles = Object.values(resources(stack).google_project_iam_member).map((m) => m.role as string);
      expect(projectRoles.filter((r) => r.startsWith('roles/secretmanager.'))).toEqual([]);
    }
  });
});
