import { check, get, mutateJson, of, fixtureFiles } from './helpers';

const BOOT = 'terraform/bootstrap/main.tf.json';
const PROD = 'terraform/cluster-prod/main.tf.json';
const res = (stack: unknown, type: string, name: string): Record<string, unknown> => get(stack, 'resource', type, name);

describe('the GCP baseline', () => {
  test('the fixture stacks pass', () => {
    expect(check(fixtureFiles()).violations.filter((v) => v.rule.startsWith('gcp-'))).toEqual([]);
  });

  test('gcp-state-bucket catches every weakened setting of the state bucket', () => {
    const files = mutateJson(BOOT, (s) => {
      const b = res(s, 'google_storage_bucket', 'state_bucket');
      get(b, 'versioning').enabled = false;
      get(b, 'lifecycle_rule', 0, 'condition').num_newer_versions = 3;
      b.public_access_prevention = 'inherited';
      b.uniform_bucket_level_access = false;
    });
    const object = 'google_storage_bucket.state_bucket';
    expect(of('gcp-state-bucket', files)).toEqual([
      { file: BOOT, object, rule: 'gcp-state-bucket', message: 'does not enable versioning' },
      { file: BOOT, object, rule: 'gcp-state-bucket', message: 'keeps 3 newer versions, not 5 to 10' },
      { file: BOOT, object, rule: 'gcp-state-bucket', message: 'does not enforce public access prevention' },
      { file: BOOT, object, rule: 'gcp-state-bucket', message: 'does not use uniform bucket-level access' },
    ]);
    const noRule = mutateJson(BOOT, (s) => { delete res(s, 'google_storage_bucket', 'state_bucket').lifecycle_rule; });
    expect(of('gcp-state-bucket', noRule).map((v) => v.message)).toEqual(['has no lifecycle rule deleting noncurrent versions']);
  });

  test('gcp-gke catches every missing cluster safeguard', () => {
    const files = mutateJson(PROD, (s) => {
      const c = res(s, 'google_container_cluster', 'cluster');
      get(c, 'private_cluster_config').enable_private_nodes = false;
      delete c.workload_identity_config;
      c.enable_shielded_nodes = false;
      delete c.release_channel;
      delete c.datapath_provider;
      get(c, 'master_authorized_networks_config').cidr_blocks = [];
    });
    expect(of('gcp-gke', files).map((v) => `${v.file}: ${v.object}: ${v.message}`)).toEqual([
      `${PROD}: google_container_cluster.cluster: does not use private nodes`,
      `${PROD}: google_container_cluster.cluster: has no Workload Identity pool`,
      `${PROD}: google_container_cluster.cluster: disables shielded nodes`,
      `${PROD}: google_container_cluster.cluster: has no release channel`,
      `${PROD}: google_container_cluster.cluster: does not enforce network policy`,
      `${PROD}: google_container_cluster.cluster: has no master authorized networks`,
    ]);
  });

  test('gcp-registry-cleanup catches a repository without a DELETE policy, or in dry run', () => {
    const files = mutateJson(BOOT, (s) => {
      const r = res(s, 'google_artifact_registry_repository', 'registry');
      r.cleanup_policies = (r.cleanup_policies as { action: string }[]).filter((p) => p.action !== 'DELETE');
    });
    expect(of('gcp-registry-cleanup', files)).toEqual([
      { file: BOOT, object: 'google_artifact_registry_repository.registry', rule: 'gcp-registry-cleanup', message: 'has no DELETE cleanup policy' },
    ]);
    const dry = mutateJson(BOOT, (s) => { res(s, 'google_artifact_registry_repository', 'registry').cleanup_policy_dry_run = true; });
    expect(of('gcp-registry-cleanup', dry).map((v) => v.message)).toEqual(['runs its cleanup policies as a dry run']);
  });

  test('gcp-sql-backups catches disabled backups and a retention outside 14 to 28', () => {
    const name = 'databases_inventory_api_prod_instance';
    const off = mutateJson(PROD, (s) => { get(res(s, 'google_sql_database_instance', name), 'settings', 'backup_configuration').enabled = false; });
    expect(of('gcp-sql-backups', off)).toEqual([
      { file: PROD, object: `google_sql_database_instance.${name}`, rule: 'gcp-sql-backups', message: 'does not enable backups' },
    ]);
    const few = mutateJson(PROD, (s) => {
      get(res(s, 'google_sql_database_instance', name), 'settings', 'backup_configuration', 'backup_retention_settings').retained_backups = 7;
    });
    expect(of('gcp-sql-backups', few).map((v) => v.message)).toEqual(['retains 7 backups, not 14 to 28']);
  });
});
