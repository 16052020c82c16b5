import { type PlatformConfig } from '../../lib/model/config';
import { fixtureFiles, get, type Json, mutateJson, of, withConfig } from './helpers';

const BOOTSTRAP = 'terraform/bootstrap/main.tf.json';
const NONPROD = 'terraform/cluster-nonprod/main.tf.json';

const messages = (rule: string, files: Parameters<typeof of>[1]): string[] => of(rule, files).map((v) => `${v.file} ${v.object}: ${v.message}`);
const stack = (path: string): Json => {
  const f = fixtureFiles().find((x) => x.path === path);
  if (!f) throw new Error(`no file ${path}`);
  return JSON.parse(f.content) as Json;
};
const all = (s: Json, type: string): Json[] => Object.values(get(s, 'resource', type)) as Json[];

describe('gcp-apis: each stack enables the APIs of the resource types it declares', () => {
  test('the fixture output passes, with disable_on_destroy false everywhere', () => {
    expect(of('gcp-apis', fixtureFiles())).toEqual([]);
    const services = all(stack(NONPROD), 'google_project_service');
    expect(services.map((s) => s.service)).toEqual(expect.arrayContaining(['container.googleapis.com', 'sqladmin.googleapis.com', 'secretmanager.googleapis.com']));
    expect(services.every((s) => s.disable_on_destroy === false)).toBe(true);
    // Each resource waits for its APIs.
    expect(get(stack(NONPROD), 'resource', 'google_container_cluster', 'cluster').depends_on).toEqual(
      ['${google_project_service.apis_shop_nonprod_container}', '${google_project_service.apis_shop_nonprod_iamcredentials}']);
  });

  test('a missing API is a finding naming the resources that need it', () => {
    const files = mutateJson(NONPROD, (s) => { delete get(s, 'resource', 'google_project_service').apis_shop_nonprod_redis; });
    expect(messages('gcp-apis', files)).toEqual([
      `${NONPROD} google_redis_instance.caches_inventory_api_dev_instance: needs redis.googleapis.com in project "shop-nonprod", which the stack does not enable`,
      `${NONPROD} google_redis_instance.caches_inventory_api_stage_instance: needs redis.googleapis.com in project "shop-nonprod", which the stack does not enable`,
    ]);
  });

  test('an API that a destroy would turn off, and a resource type the table does not know', () => {
    const files = mutateJson(NONPROD, (s) => {
      get(s, 'resource', 'google_project_service', 'apis_shop_nonprod_dns').disable_on_destroy = true;
      get(s, 'resource').google_pubsub_topic = { events: { name: 'events' } };
    });
    expect(messages('gcp-apis', files)).toEqual([
      `${NONPROD} google_project_service.apis_shop_nonprod_dns: enables dns.googleapis.com with disable_on_destroy not false, so destroying this stack would turn the API off under every other user`,
      `${NONPROD} google_pubsub_topic.events: is of a type with no entry in the table of APIs and roles, so neither its API nor CI's role is known`,
    ]);
  });
});

describe('CI through Workload Identity Federation (bootstrap stack)', () => {
  test('the provider accepts only the platform repository\'s GitHub Actions tokens', () => {
    const provider = all(stack(BOOTSTRAP), 'google_iam_workload_identity_pool_provider')[0];
    expect(provider.oidc).toEqual({ issuer_uri: 'https://token.actions.githubusercontent.com' });
    expect(provider.attribute_condition).toBe("assertion.repository in ['shop-example/shop-platform']");
    expect(get(provider, 'attribute_mapping')['attribute.repository']).toBe('assertion.repository');
  });

  test('each account is impersonable by its repository\'s principal set alone; the pusher writes to the repository only', () => {
    const bindings = all(stack(BOOTSTRAP), 'google_service_account_iam_member');
    expect(bindings.map((b) => [b.service_account_id, b.role, b.member])).toEqual([
      ['${google_service_account.ci_images.name}', 'roles/iam.workloadIdentityUser', 'principalSet://iam.googleapis.com/${google_iam_workload_identity_pool.ci_pool.name}/attribute.repository/shop-example/shop-platform'],
      ['${google_service_account.ci_tofu.name}', 'roles/iam.workloadIdentityUser', 'principalSet://iam.googleapis.com/${google_iam_workload_identity_pool.ci_pool.name}/attribute.repository/shop-example/shop-platform'],
    ]);
    const writer = all(stack(BOOTSTRAP), 'google_artifact_registry_repository_iam_member');
    expect(writer.map((w) => [w.repository, w.role, w.member])).toEqual([['shop', 'roles/artifactregistry.writer', '${google_service_account.ci_images.member}']]);
    const projectRoles = all(stack(BOOTSTRAP), 'google_project_iam_member').filter((m) => m.member === '${google_service_account.ci_images.member}');
    expect(projectRoles).toEqual([]);
  });

  test('the runner gets the state objects and, per project, the roles of what the stacks declare there', () => {
    const s = stack(BOOTSTRAP);
    expect(all(s, 'google_storage_bucket_iam_member').map((m) => [m.bucket, m.role])).toEqual([['shop-platform-tofu-state', 'roles/storage.objectAdmin']]);
    const roles = (project: string): unknown[] => all(s, 'google_project_iam_member').filter((m) => m.project === project).map((m) => m.role);
    expect(roles('shop-nonprod')).toEqual(expect.arrayContaining(['roles/container.admin', 'roles/cloudsql.admin', 'roles/compute.securityAdmin', 'roles/iam.serviceAccountUser']));
    expect(roles('shop-nonprod')).not.toContain('roles/secretmanager.admin');
    expect(roles('shop-nonprod')).toContain('${google_project_iam_custom_role.ci_role_shop_nonprod_platform_secret_metadata_admin.name}');
    expect(roles('shop-platform')).toEqual(expect.arrayContaining(['roles/iam.workloadIdentityPoolAdmin', 'roles/artifactregistry.admin']));
    expect(roles('shop-platform')).not.toContain('roles/container.admin');
    const custom = all(s, 'google_project_iam_custom_role')[0];
    expect((custom.permissions as string[]).some((p) => p.startsWith('secretmanager.versions'))).toBe(false);
  });

  test('config: a repository that is not owner/name, and no ci at all', () => {
    const withCi = (ci: PlatformConfig['ci']) => (c: PlatformConfig): PlatformConfig => ({ ...c, ci });
    expect(() => withConfig(withCi({ platformRepository: 'shop-platform' }))).toThrow(/field "ci\.platformRepository": value "shop-platform" is not a repository as owner\/name/);
    expect(withConfig(withCi({ platformRepository: 'a/b', refs: ['refs/heads/main'] })).ci?.attributeCondition)
      .toBe("assertion.repository in ['a/b'] && assertion.ref in ['refs/heads/main']");
    expect(withConfig(withCi(undefined)).ci).toBeUndefined();
  });
});
