import { Testing } from 'cdktf';
import { DatabaseBackupJobs } from '../../lib/gcp/database-backup-jobs';
import { PostgresDatabase } from '../../lib/gcp/postgres-database';
import { type DatabaseBackups } from '../../lib/model/database-backups';
import { definePlatform } from '../../lib/model/platform';
import { platformConfig } from '../fixtures/shop/platform';
import { resourcesOf, testCluster, testNetwork } from './fixtures';

const platform = definePlatform(platformConfig);
const backups = platform.instances(platform.production).find((i) => i.backups !== undefined)?.backups as DatabaseBackups;
const json = Testing.synthScope((scope) => {
  const network = testNetwork(scope);
  const cluster = testCluster(scope, network, { project: 'shop-prod' });
  const database = new PostgresDatabase(scope, 'Database', { project: 'shop-prod', region: 'europe-west1', instanceName: 'inventory-api-prod', databaseName: 'inventory_api', network });
  new DatabaseBackupJobs(scope, 'Backups', { backups, database, cluster });
});
const values = <T>(type: string): T[] => Object.values(resourcesOf(json, type)) as T[];

describe('DatabaseBackupJobs', () => {
  test('the dump bucket deletes objects after the retention, is private and uniform, unversioned', () => {
    const [bucket] = values<Record<string, any>>('google_storage_bucket');
    expect(bucket).toMatchObject({
      name: 'shop-prod-inventory-api-prod-dumps',
      uniform_bucket_level_access: true,
      public_access_prevention: 'enforced',
      versioning: { enabled: false },
      lifecycle_rule: [{ action: { type: 'Delete' }, condition: { age: 366 } }],
    });
  });

  test('the instance\'s own service agent may create objects; the drill may read only its counts', () => {
    const members = values<Record<string, any>>('google_storage_bucket_iam_member');
    expect(members).toEqual(expect.arrayContaining([
      expect.objectContaining({ role: 'roles/storage.objectCreator', member: expect.stringMatching(/^serviceAccount:\$\{google_sql_database_instance\.[A-Za-z0-9_]+\.service_account_email_address\}$/) }),
      expect.objectContaining({ role: 'roles/storage.objectViewer', condition: expect.objectContaining({ expression: 'resource.name.startsWith("projects/_/buckets/shop-prod-inventory-api-prod-dumps/objects/drill/")' }) }),
    ]));
  });

  test('each job acts as its own account, bound to its KSA, with custom roles scoped by IAM conditions', () => {
    const bindings = values<Record<string, any>>('google_service_account_iam_member').map((m) => m.member as string);
    expect(bindings).toEqual(expect.arrayContaining([
      'serviceAccount:shop-prod.svc.id.goog[shop-prod/inventory-api-restore-drill]',
      'serviceAccount:shop-prod.svc.id.goog[shop-prod/inventory-api-db-dump]',
    ]));
    const roles = values<Record<string, any>>('google_project_iam_custom_role');
    const permissionsOf = (prefix: string): string[] => roles.find((r) => String(r.role_id).startsWith(prefix))?.permissions as string[];
    expect(permissionsOf('backupDrillScratch')).toEqual(expect.arrayContaining(['cloudsql.instances.create', 'cloudsql.instances.restoreBackup', 'cloudsql.instances.delete']));
    expect(permissionsOf('backupDrillSource')).not.toContain('cloudsql.instances.delete');
    expect(permissionsOf('databaseDump')).toEqual(['cloudsql.instances.export', 'cloudsql.instances.get']);
    const jobs = values<Record<string, any>>('google_project_iam_member').filter((m) => /google_service_account\.Backups_(Drill|Dump)_/.test(String(m.member)));
    expect(jobs).toHaveLength(3);
    const conditions = jobs.map((m) => m.condition?.expression as string);
    expect(conditions).toEqual(expect.arrayContaining([
      'resource.type == "sqladmin.googleapis.com/Instance" && resource.name.startsWith("projects/shop-prod/instances/inventory-api-prod-drill-")',
      'resource.type == "sqladmin.googleapis.com/Instance" && resource.name == "projects/shop-prod/instances/inventory-api-prod"',
      // The backups are BackupRun resources: the source role's condition must not pin the Instance type.
      'resource.name == "projects/shop-prod/instances/inventory-api-prod" || resource.name.startsWith("projects/shop-prod/instances/inventory-api-prod/backupRuns/")',
    ]));
    expect(conditions.every((c) => c !== undefined)).toBe(true);
  });
});
