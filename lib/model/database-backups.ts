import { type Checks } from './checks';
import { type DatabaseBackupsConfig } from './config';
import { type DatabaseRef, SERVICE_ACCOUNT_ID } from './gcp-resources';
import { WorkloadIdentity } from './workload-identity';

/** The machine tier of a Cloud SQL instance when its environment sets none (`DatabaseSettings.tier`). */
export const DEFAULT_DATABASE_TIER = 'db-custom-1-3840';

/**
 * The gcloud CLI image the backup jobs run: Debian 12 with gcloud, bash, coreutils and awk, user
 * `cloudsdk` (UID 1000). Not pinned to `VERSION-stable`: Google deletes image versions older than a
 * year, so a pin breaks a monthly job within the year; `stable` always exists, and the jobs pull it
 * on every run (`imagePullPolicy: Always`).
 * @see https://cloud.google.com/sdk/docs/downloads-docker
 * @see https://github.com/GoogleCloudPlatform/cloud-sdk-docker/blob/master/README.md ("Package retention policy")
 */
export const GCLOUD_IMAGE = 'gcr.io/google.com/cloudsdktool/google-cloud-cli:stable';

/** An image reference with a tag or a digest: `host[:port]/path:tag` or `host[:port]/path@sha256:…`. */
const OPERATIONS_IMAGE = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)+(:[\w][\w.-]{0,127}|@sha256:[0-9a-f]{64})$/;

/** The image the data-operation jobs run (`PlatformConfig.operationsImage`), its default applied here once. */
export function resolveOperationsImage(image: string | undefined, checks: Checks): string {
  const resolved = image ?? GCLOUD_IMAGE;
  checks.require(OPERATIONS_IMAGE.test(resolved) && !resolved.endsWith(':latest'), 'operationsImage', resolved,
    'is not an image reference with a tag other than latest, or a digest',
    `use a Google Cloud CLI image such as ${GCLOUD_IMAGE}, or a copy pinned as <registry>/<path>@sha256:<64 hex digits>`);
  return resolved;
}

/** Whether the image names a digest: what it runs never changes, so a node may use its cached copy. */
export function isPinnedByDigest(image: string): boolean {
  return /@sha256:[0-9a-f]{64}$/.test(image);
}

/**
 * When Cloud SQL takes each instance's daily backup: a window of four hours from `startHour` (UTC),
 * the backup starting any time in it; and the weekly maintenance hour (`day` 7 is Sunday).
 * Read by the instance (lib/gcp/postgres-database.ts) and by the jobs' schedules below.
 * @see https://cloud.google.com/sdk/gcloud/reference/sql/instances/patch (--backup-start-time: "the start of a 4-hour backup window")
 */
export const SQL_BACKUP_WINDOW = { startHour: 2, hours: 4 } as const;
export const SQL_MAINTENANCE_WINDOW = { day: 7, hour: 3 } as const;

/**
 * Whether a job starting at `hour` (UTC) would meet the daily backup or the maintenance: Cloud SQL
 * runs one operation at a time per instance and refuses an export meanwhile (HTTP 409 operationInProgress,
 * https://github.com/apache/airflow/issues/68040, https://github.com/all-of-us/workbench/pull/1808).
 */
export function meetsSqlWindows(hour: number): boolean {
  const sinceBackup = (hour - SQL_BACKUP_WINDOW.startHour + 24) % 24;
  return sinceBackup < SQL_BACKUP_WINDOW.hours || hour === SQL_MAINTENANCE_WINDOW.hour;
}

/** The defaults of `DatabaseBackupsConfig`, applied here once: after the backup window and the maintenance hour. */
export const BACKUP_DEFAULTS = {
  drillSchedule: '0 7 1 * *',
  maxDriftPercent: 5,
  dumpSchedule: '0 7 15 * *',
  retentionMonths: 12,
} as const;

/** Where in the dump bucket each job writes. */
export const BACKUP_OBJECT_PREFIXES = { dumps: 'dumps/', drill: 'drill/' } as const;

/** The retention a dump may be configured with, in months (seed: "database dumps kept 6–12 months"). */
export const DUMP_RETENTION_MONTHS = { min: 6, max: 12 } as const;

/** A production database's monthly restore drill. */
export interface BackupDrill {
  /** The CronJob's and its Kubernetes service account's name. */
  readonly name: string;
  readonly identity: WorkloadIdentity;
  /**
   * The scratch instance's name prefix; each run appends `-YYYYMMDDHHMM`, since Cloud SQL keeps a
   * deleted instance's name reserved for a while. The drill may create and delete only these.
   */
  readonly scratchPrefix: string;
  readonly tables: readonly string[];
  readonly schedule: string;
  readonly maxDriftPercent: number;
}

/** A production database's monthly logical dump. */
export interface DatabaseDump {
  readonly name: string;
  readonly identity: WorkloadIdentity;
  readonly retentionMonths: number;
  /** What the bucket's lifecycle rule deletes after: a month is 30.44 days, rounded up. */
  readonly retentionDays: number;
  readonly schedule: string;
}

/** The backups of one production database, named once for both planes. */
export interface DatabaseBackups {
  readonly project: string;
  readonly region: string;
  readonly live: DatabaseRef;
  /** The live instance's engine version and tier, which the scratch instance gets. */
  readonly version: string;
  readonly tier: string;
  /** The VPC the scratch instance takes its private IP in: `projects/P/global/networks/NAME`. */
  readonly network: string;
  /** The GCS bucket of the dumps and of the drill's row counts (globally unique: prefixed by the project). */
  readonly bucket: string;
  readonly drill: BackupDrill;
  readonly dumps: DatabaseDump;
}

/** What {@link resolveDatabaseBackups} needs. */
export interface DatabaseBackupsInput {
  readonly project: string;
  readonly region: string;
  readonly live: DatabaseRef;
  readonly config: DatabaseBackupsConfig;
  readonly version?: string;
  readonly tier?: string;
  /** The VPC's name: the cluster's. */
  readonly network: string;
  readonly namespace: string;
  /** The app's workload name; the jobs' names derive from it. */
  readonly workloadName: string;
}

const MONTHLY = /^(\d{1,2}) (\d{1,2}) (\d{1,2}) \* \*$/;
const TABLE = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;
const BUCKET_MAX = 63;
const INSTANCE_MAX = 80;

/** Whether `schedule` runs once a month: fixed minute, hour and day of month (1 to 28: every month has it). */
export function isMonthlySchedule(schedule: string): boolean {
  const m = MONTHLY.exec(schedule);
  return m !== null && Number(m[1]) <= 59 && Number(m[2]) <= 23 && Number(m[3]) >= 1 && Number(m[3]) <= 28;
}

/** Days in `months` months, rounded up: 12 → 366, 6 → 183. */
export function retentionDays(months: number): number {
  return Math.ceil((months * 365.25) / 12);
}

/**
 * The restore drill and dumps of a production database (the environment that owns its data and is
 * `Platform.production`), with the defaults applied and every name checked.
 */
export function resolveDatabaseBackups(input: DatabaseBackupsInput, checks: Checks): DatabaseBackups {
  const { config, live } = input;
  const field = 'needs.database.backups';
  const drillConfig = config.drill;
  checks.require(drillConfig.tables.length > 0, `${field}.drill.tables`, '[]', 'is empty: the restore drill compares nothing with the live data',
    'list the tables whose row counts the drill compares, such as ["orders"]');
  drillConfig.tables.forEach((t, i) => checks.require(TABLE.test(t), `${field}.drill.tables[${i}]`, t, 'is not a lowercase table name or schema.table',
    'use a PostgreSQL identifier of lowercase letters, digits and "_", optionally schema-qualified'));
  checks.unique(`${field}.drill.tables`, drillConfig.tables);
  const drillSchedule = drillConfig.schedule ?? BACKUP_DEFAULTS.drillSchedule;
  const dumpSchedule = config.dumps?.schedule ?? BACKUP_DEFAULTS.dumpSchedule;
  for (const [f, s] of [[`${field}.drill.schedule`, drillSchedule], [`${field}.dumps.schedule`, dumpSchedule]] as const) {
    checks.require(isMonthlySchedule(s), f, s, 'is not a monthly cron schedule', 'use "MINUTE HOUR DAY * *" with a day of month from 1 to 28, such as "0 7 1 * *"');
    const hour = Number(s.split(' ')[1]);
    const end = (SQL_BACKUP_WINDOW.startHour + SQL_BACKUP_WINDOW.hours) % 24;
    checks.require(!isMonthlySchedule(s) || !meetsSqlWindows(hour), f, s,
      `starts in the daily backup window (${SQL_BACKUP_WINDOW.startHour}:00 to ${end}:00 UTC) or the maintenance hour, when Cloud SQL refuses the export`,
      `use an hour from ${end} to ${(SQL_BACKUP_WINDOW.startHour + 23) % 24} UTC, such as "0 ${end + 1} 1 * *"`);
  }
  const maxDriftPercent = drillConfig.maxDriftPercent ?? BACKUP_DEFAULTS.maxDriftPercent;
  checks.require(maxDriftPercent >= 0 && maxDriftPercent <= 50, `${field}.drill.maxDriftPercent`, maxDriftPercent, 'is not from 0 to 50',
    'give the share of rows the live data may have gained or lost since the backup, such as 5');
  const retentionMonths = config.dumps?.retentionMonths ?? BACKUP_DEFAULTS.retentionMonths;
  checks.intInRange(`${field}.dumps.retentionMonths`, retentionMonths, DUMP_RETENTION_MONTHS.min, DUMP_RETENTION_MONTHS.max,
    `keep dumps ${DUMP_RETENTION_MONTHS.min} to ${DUMP_RETENTION_MONTHS.max} months`);

  const account = (suffix: string): string => {
    const id = `${live.instanceName}-${suffix}`;
    checks.require(id.length <= SERVICE_ACCOUNT_ID.max, 'name', live.instanceName,
      `makes the backup job's Google service account name "${id}" longer than ${SERVICE_ACCOUNT_ID.max} characters`,
      `shorten the app name by ${id.length - SERVICE_ACCOUNT_ID.max} characters`);
    return id;
  };
  const scratchPrefix = `${live.instanceName}-drill`;
  checks.require(scratchPrefix.length + 13 <= INSTANCE_MAX, 'name', live.instanceName, `makes the scratch instance name "${scratchPrefix}-YYYYMMDDHHMM" too long`,
    'shorten the app name');
  const bucket = `${input.project}-${live.instanceName}-dumps`;
  checks.require(bucket.length <= BUCKET_MAX, 'name', live.instanceName, `makes the dump bucket name "${bucket}" longer than ${BUCKET_MAX} characters`,
    `shorten the app name by ${bucket.length - BUCKET_MAX} characters`);
  const drillName = `${input.workloadName}-restore-drill`;
  const dumpName = `${input.workloadName}-db-dump`;
  const ksa = (name: string) => ({ namespace: input.namespace, name });
  return {
    project: input.project,
    region: input.region,
    live,
    version: input.version ?? 'POSTGRES_16',
    tier: input.tier ?? DEFAULT_DATABASE_TIER,
    network: `projects/${input.project}/global/networks/${input.network}`,
    bucket,
    drill: {
      name: drillName,
      identity: new WorkloadIdentity(input.project, account('drill'), ksa(drillName)),
      scratchPrefix,
      tables: drillConfig.tables,
      schedule: drillSchedule,
      maxDriftPercent,
    },
    dumps: {
      name: dumpName,
      identity: new WorkloadIdentity(input.project, account('dump'), ksa(dumpName)),
      retentionMonths,
      retentionDays: retentionDays(retentionMonths),
      schedule: dumpSchedule,
    },
  };
}
