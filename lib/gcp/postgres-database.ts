import { SqlDatabase } from '@cdktf/provider-google/lib/sql-database';
import { SqlDatabaseInstance } from '@cdktf/provider-google/lib/sql-database-instance';
import { SqlUser } from '@cdktf/provider-google/lib/sql-user';
import { Construct } from 'constructs';
import { Checks } from '../model/checks';
import { DEFAULT_DATABASE_TIER, SQL_BACKUP_WINDOW, SQL_MAINTENANCE_WINDOW } from '../model/database-backups';
import { type DatabaseNeed, type DatabaseSettings } from '../model/config';
import { type GcpRegion } from '../model/gcp-region';
import { type Network } from './network';
import { type WorkloadServiceAccount } from './workload-service-account';

/** Props of {@link PostgresDatabase}: the environment's {@link DatabaseSettings} and where it runs. */
export interface PostgresDatabaseProps extends DatabaseSettings {
  readonly project: string;
  readonly region: GcpRegion;
  /** The instance name, unique in the project. */
  readonly instanceName: string;
  /** The database the app uses inside the instance. */
  readonly databaseName: string;
  /** The network the instance gets its private IP in; it needs private service access. */
  readonly network: Network;
  /** @default 'POSTGRES_16' */
  readonly version?: DatabaseNeed['version'];
}

/**
 * A Cloud SQL for PostgreSQL instance reachable only by private IP and only over TLS, with daily
 * automated backups and IAM database authentication (no passwords to hand out). Availability,
 * backup retention, point-in-time recovery and deletion protection come from the environment.
 * @see https://cloud.google.com/sql/docs/postgres/configure-private-ip
 */
export class PostgresDatabase extends Construct {
  public readonly instance: SqlDatabaseInstance;
  public readonly database: SqlDatabase;
  private readonly props: PostgresDatabaseProps;
  private readonly instanceName: string;

  constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id);
    const tier = props.tier ?? DEFAULT_DATABASE_TIER;
    const backupRetentionDays = props.backupRetentionDays ?? 14;
    const pointInTimeRecovery = props.pointInTimeRecovery ?? false;
    const highAvailability = props.highAvailability ?? false;
    const deletionProtection = props.deletionProtection ?? true;
    const checks: Checks = new Checks();
    checks.intInRange('backupRetentionDays', backupRetentionDays, 14, 28);
    const network = props.network.requirePrivateServices();
    this.props = props;

    this.instance = new SqlDatabaseInstance(this, 'Instance', {
      project: props.project,
      name: props.instanceName,
      region: props.region,
      databaseVersion: props.version ?? 'POSTGRES_16',
      deletionProtection,
      settings: {
        // Enterprise keeps the custom tiers; Enterprise Plus is the default for PostgreSQL 16.
        edition: 'ENTERPRISE',
        tier,
        availabilityType: highAvailability ? 'REGIONAL' : 'ZONAL',
        deletionProtectionEnabled: deletionProtection,
        diskType: 'PD_SSD',
        diskAutoresize: true,
        ipConfiguration: { ipv4Enabled: false, privateNetwork: network, sslMode: 'ENCRYPTED_ONLY' },
        backupConfiguration: {
          enabled: true,
          startTime: `${String(SQL_BACKUP_WINDOW.startHour).padStart(2, '0')}:00`,
          pointInTimeRecoveryEnabled: pointInTimeRecovery,
          // Automated backups are daily, so a count of backups is a count of days.
          backupRetentionSettings: { retainedBackups: backupRetentionDays, retentionUnit: 'COUNT' },
          transactionLogRetentionDays: pointInTimeRecovery ? 7 : undefined,
        },
        databaseFlags: [{ name: 'cloudsql.iam_authentication', value: 'on' }],
        maintenanceWindow: { ...SQL_MAINTENANCE_WINDOW, updateTrack: 'stable' },
      },
    });
    this.instanceName = this.instance.name;
    this.database = new SqlDatabase(this, 'Database', { name: props.databaseName, instance: this.instanceName });
  }

  /**
   * Lets `account` connect to this instance, and only this one (IAM conditions), as an IAM
   * database user. The app's schema privileges are granted in PostgreSQL (docs/opentofu.md).
   * Another environment's account that shares the instance (the canary's) is granted in its own
   * `scope`, so each grant has its own addresses.
   */
  public grantConnect(account: WorkloadServiceAccount, scope: Construct = this): void {
    const resource = `projects/${this.props.project}/instances/${this.props.instanceName}`;
    const condition = {
      title: `only ${this.props.instanceName}`,
      expression: `resource.type == "sqladmin.googleapis.com/Instance" && resource.name == "${resource}"`,
    };
    account.grantProjectRole(scope, 'ClientRole', 'roles/cloudsql.client', condition);
    account.grantProjectRole(scope, 'InstanceUserRole', 'roles/cloudsql.instanceUser', condition);
    // Cloud SQL names a service account's PostgreSQL user by its email without `.gserviceaccount.com`.
    // https://cloud.google.com/sql/docs/postgres/add-manage-iam-users
    new SqlUser(scope, 'IamUser', {
      instance: this.instanceName,
      name: account.identity.sqlUser,
      type: 'CLOUD_IAM_SERVICE_ACCOUNT',
      // The user is named after the account, which Cloud SQL looks up when creating it.
      dependsOn: [account.account],
    });
  }
}
