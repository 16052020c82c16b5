import { ProjectIamCustomRole } from '@cdktf/provider-google/lib/project-iam-custom-role';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import { Construct } from 'constructs';
import { BACKUP_OBJECT_PREFIXES, type DatabaseBackups } from '../model/database-backups';
import { type GkeCluster } from './gke-cluster';
import { type PostgresDatabase } from './postgres-database';
import { WorkloadServiceAccount } from './workload-service-account';

/**
 * The permissions of each backup job, as custom roles: every predefined role that holds
 * `cloudsql.instances.export` or `restoreBackup` (cloudsql.editor, cloudsql.admin) also lets its
 * holder update or delete the instance. Permissions per task:
 * https://cloud.google.com/sql/docs/postgres/iam-permissions
 */
export const BACKUP_JOB_PERMISSIONS = {
  /** On the live instance: find its latest backup, read it for the restore, export row counts. */
  drillSource: ['cloudsql.backupRuns.get', 'cloudsql.backupRuns.list', 'cloudsql.instances.export', 'cloudsql.instances.get'],
  /** On the scratch instances only (IAM condition on the name prefix). */
  drillScratch: ['cloudsql.instances.create', 'cloudsql.instances.delete', 'cloudsql.instances.export', 'cloudsql.instances.get', 'cloudsql.instances.restoreBackup'],
  /** On the live instance: a logical dump. */
  dump: ['cloudsql.instances.export', 'cloudsql.instances.get'],
} as const;

/** Props of {@link DatabaseBackupJobs}. */
export interface DatabaseBackupJobsProps {
  readonly backups: DatabaseBackups;
  /** The live instance, whose service agent writes the exports. */
  readonly database: PostgresDatabase;
  readonly cluster: GkeCluster;
}

/**
 * The Google side of a production database's monthly restore drill and logical dumps: the dump
 * bucket with its retention, the two jobs' accounts bound to their KSAs, and the least each may do.
 * The manifests (lib/k8s/data/backup-jobs.ts) run the jobs as the same model identities.
 */
export class DatabaseBackupJobs extends Construct {
  public readonly bucket: StorageBucket;
  public readonly drill: WorkloadServiceAccount;
  public readonly dump: WorkloadServiceAccount;

  constructor(scope: Construct, id: string, props: DatabaseBackupJobsProps) {
    super(scope, id);
    const { backups } = props;
    const project = backups.project;
    this.bucket = new StorageBucket(this, 'Bucket', {
      project,
      name: backups.bucket,
      location: backups.region.toUpperCase(),
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      // Each dump is a new object named by its date and never overwritten: versions would only keep
      // deleted dumps past the retention. Soft delete (7 days by default) covers a mistaken delete.
      versioning: { enabled: false },
      // https://cloud.google.com/storage/docs/lifecycle#age
      lifecycleRule: [{ action: { type: 'Delete' }, condition: { age: backups.dumps.retentionDays } }],
      labels: { database: backups.live.instanceName },
    });
    // The export is written by the instance's own service agent, not by the caller:
    // https://cloud.google.com/sql/docs/postgres/import-export/import-export-sql#required_roles_and_permissions
    new StorageBucketIamMember(this, 'InstanceAgentWrites', {
      bucket: this.bucket.name,
      role: 'roles/storage.objectCreator',
      member: `serviceAccount:${props.database.instance.serviceAccountEmailAddress}`,
    });

    const live = `projects/${project}/instances/${backups.live.instanceName}`;
    const onLive = { title: `only ${backups.live.instanceName}`, expression: `resource.type == "sqladmin.googleapis.com/Instance" && resource.name == "${live}"` };
    // A backup run is a resource of its own type for IAM Conditions (sqladmin.googleapis.com/BackupRun,
    // named under its instance), so a condition on the Instance type would deny backupRuns.get:
    // https://cloud.google.com/iam/docs/conditions-resource-attributes, https://github.com/terraform-google-modules/terraform-google-sql-db/pull/616
    const onLiveAndBackups = {
      title: `only ${backups.live.instanceName} and its backups`,
      expression: `resource.name == "${live}" || resource.name.startsWith("${live}/backupRuns/")`,
    };
    const scratch = `projects/${project}/instances/${backups.drill.scratchPrefix}-`;
    const onScratch = { title: `only ${backups.drill.scratchPrefix}-*`, expression: `resource.type == "sqladmin.googleapis.com/Instance" && resource.name.startsWith("${scratch}")` };
    const roleId = (kind: string): string => `${kind}_${backups.live.instanceName.replace(/-/g, '_')}`;
    const role = (rid: string, title: string, permissions: readonly string[]): ProjectIamCustomRole =>
      new ProjectIamCustomRole(this, `Role-${rid}`, { project, roleId: rid, title, permissions: [...permissions] });

    this.drill = new WorkloadServiceAccount(this, 'Drill', { identity: backups.drill.identity, cluster: props.cluster });
    const source = role(roleId('backupDrillSource'), `Restore drill of ${backups.live.instanceName}: read its backups`, BACKUP_JOB_PERMISSIONS.drillSource);
    const scratchRole = role(roleId('backupDrillScratch'), `Restore drill of ${backups.live.instanceName}: its scratch instances`, BACKUP_JOB_PERMISSIONS.drillScratch);
    this.drill.grantProjectRole(this, 'DrillSourceRole', source.name, onLiveAndBackups);
    this.drill.grantProjectRole(this, 'DrillScratchRole', scratchRole.name, onScratch);
    // The drill reads back the row counts both instances exported, and nothing else of the bucket.
    new StorageBucketIamMember(this, 'DrillReadsCounts', {
      bucket: this.bucket.name,
      role: 'roles/storage.objectViewer',
      member: this.drill.member,
      condition: {
        title: `only ${BACKUP_OBJECT_PREFIXES.drill}`,
        expression: `resource.name.startsWith("projects/_/buckets/${backups.bucket}/objects/${BACKUP_OBJECT_PREFIXES.drill}")`,
      },
    });

    this.dump = new WorkloadServiceAccount(this, 'Dump', { identity: backups.dumps.identity, cluster: props.cluster });
    const dump = role(roleId('databaseDump'), `Logical dump of ${backups.live.instanceName}`, BACKUP_JOB_PERMISSIONS.dump);
    this.dump.grantProjectRole(this, 'DumpRole', dump.name, onLive);
  }
}
