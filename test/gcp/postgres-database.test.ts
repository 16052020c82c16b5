import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { SqlDatabase } from '@cdktf/provider-google/lib/sql-database';
import { SqlDatabaseInstance } from '@cdktf/provider-google/lib/sql-database-instance';
import { SqlUser } from '@cdktf/provider-google/lib/sql-user';
import { Testing } from 'cdktf';
import { PostgresDatabase, type PostgresDatabaseProps } from '../../lib/gcp/postgres-database';
import { WorkloadServiceAccount } from '../../lib/gcp/workload-service-account';
import { WorkloadIdentity } from '../../lib/model/workload-identity';
import { onlyResource, testCluster, testNetwork } from './fixtures';

type Settings = Omit<PostgresDatabaseProps, 'network'>;
const base: Settings = { project: 'shop-nonprod', region: 'europe-west1', instanceName: 'inventory-api-dev', databaseName: 'inventory_api' };
const synth = (settings: Partial<Settings> = {}, options: { privateServices?: boolean; grant?: boolean } = {}): string =>
  Testing.synthScope((scope) => {
    const network = testNetwork(scope, options.privateServices === false ? { privateServicesCidr: undefined } : {});
    const database = new PostgresDatabase(scope, 'Database', { ...base, ...settings, network });
    if (options.grant) {
      const identity = new WorkloadIdentity('shop-nonprod', 'inventory-api-dev', { namespace: 'shop-dev', name: 'inventory-api' });
      database.grantConnect(new WorkloadServiceAccount(scope, 'Identity', { identity, cluster: testCluster(scope, network) }));
    }
  });
const settingsOf = (json: string): Record<string, unknown> =>
  onlyResource(json, 'google_sql_database_instance').settings as Record<string, unknown>;

describe('PostgresDatabase', () => {
  const json = synth();

  test('is a PostgreSQL 16 instance with a database for the app', () => {
    expect(json).toHaveResourceWithProperties(SqlDatabaseInstance, { name: 'inventory-api-dev', region: 'europe-west1', database_version: 'POSTGRES_16' });
    expect(json).toHaveResourceWithProperties(SqlDatabase, { name: 'inventory_api' });
  });

  test('has only a private IP, on the peered network, and accepts only encrypted connections', () => {
    expect(settingsOf(json).ip_configuration).toEqual({
      ipv4_enabled: false,
      private_network: expect.stringMatching(/^\$\{google_service_networking_connection\.[a-z0-9_]+\.network\}$/i),
      ssl_mode: 'ENCRYPTED_ONLY',
    });
  });

  test('takes automated daily backups and keeps 14 by default', () => {
    expect(settingsOf(json).backup_configuration).toEqual({
      enabled: true,
      start_time: '02:00',
      point_in_time_recovery_enabled: false,
      backup_retention_settings: { retained_backups: 14, retention_unit: 'COUNT' },
    });
  });

  test('by default is zonal, without point-in-time recovery, and protected from deletion', () => {
    expect(json).toHaveResourceWithProperties(SqlDatabaseInstance, {
      deletion_protection: true,
      settings: expect.objectContaining({ availability_type: 'ZONAL', deletion_protection_enabled: true }),
    });
  });

  test('with production settings: regional HA, 28 days of backups, point-in-time recovery, deletion protection', () => {
    const prod = synth({ backupRetentionDays: 28, pointInTimeRecovery: true, highAvailability: true, deletionProtection: true, tier: 'db-custom-2-7680' });
    expect(prod).toHaveResourceWithProperties(SqlDatabaseInstance, {
      deletion_protection: true,
      settings: expect.objectContaining({
        tier: 'db-custom-2-7680',
        availability_type: 'REGIONAL',
        deletion_protection_enabled: true,
        backup_configuration: expect.objectContaining({
          point_in_time_recovery_enabled: true,
          transaction_log_retention_days: 7,
          backup_retention_settings: { retained_backups: 28, retention_unit: 'COUNT' },
        }),
      }),
    });
  });

  test('can be left unprotected where its loss is cheap', () => {
    expect(synth({ deletionProtection: false })).toHaveResourceWithProperties(SqlDatabaseInstance, {
      deletion_protection: false,
      settings: expect.objectContaining({ deletion_protection_enabled: false }),
    });
  });

  test('authenticates with IAM, so no password exists', () => {
    expect(settingsOf(json).database_flags).toEqual([{ name: 'cloudsql.iam_authentication', value: 'on' }]);
  });

  test('grants an identity connect and login on this instance only, as an IAM database user', () => {
    const granted = synth({}, { grant: true });
    const condition = {
      title: 'only inventory-api-dev',
      expression: 'resource.type == "sqladmin.googleapis.com/Instance" && resource.name == "projects/shop-nonprod/instances/inventory-api-dev"',
    };
    for (const role of ['roles/cloudsql.client', 'roles/cloudsql.instanceUser']) {
      expect(granted).toHaveResourceWithProperties(ProjectIamMember, {
        project: 'shop-nonprod',
        role,
        member: expect.stringMatching(/^\$\{google_service_account\.[a-z0-9_]+\.member\}$/i),
        condition,
      });
    }
    expect(granted).toHaveResourceWithProperties(SqlUser, {
      name: 'inventory-api-dev@shop-nonprod.iam',
      type: 'CLOUD_IAM_SERVICE_ACCOUNT',
      depends_on: [expect.stringMatching(/^google_service_account\./)],
    });
  });

  test.each([7, 13, 29])('fails on a backup retention of %p days', (days) => {
    expect(() => synth({ backupRetentionDays: days })).toThrow(
      `config error: field "backupRetentionDays": value ${days} is not an integer from 14 to 28; fix: set backupRetentionDays to an integer from 14 to 28`,
    );
  });

  test('fails on a network without private service access', () => {
    expect(() => synth({}, { privateServices: false })).toThrow(/field "privateServicesCidr": value \(unset\) leaves network "nonprod" without/);
  });
});
