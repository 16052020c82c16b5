import { BACKUP_OBJECT_PREFIXES, type DatabaseBackups } from '../../model/database-backups';

/**
 * The environment of each job's script: every value comes from the model, so the scripts below are
 * fixed text and the manifests show what a run does.
 */
export function drillEnv(b: DatabaseBackups): Record<string, string> {
  return {
    PROJECT: b.project,
    REGION: b.region,
    LIVE_INSTANCE: b.live.instanceName,
    DATABASE: b.live.databaseName,
    SCRATCH_PREFIX: b.drill.scratchPrefix,
    DATABASE_VERSION: b.version,
    TIER: b.tier,
    NETWORK: b.network,
    RESULTS: `gs://${b.bucket}/${BACKUP_OBJECT_PREFIXES.drill}`,
    COUNT_QUERY: rowCountQuery(b.drill.tables),
    MAX_DRIFT_PERCENT: String(b.drill.maxDriftPercent),
  };
}

export function dumpEnv(b: DatabaseBackups): Record<string, string> {
  return {
    PROJECT: b.project,
    LIVE_INSTANCE: b.live.instanceName,
    DATABASE: b.live.databaseName,
    DUMPS: `gs://${b.bucket}/${BACKUP_OBJECT_PREFIXES.dumps}`,
  };
}

/** One row per table, `table,count`, ordered by table. The names are checked identifiers (model). */
export function rowCountQuery(tables: readonly string[]): string {
  return [...tables].sort().map((t) => `SELECT '${t}' AS table_name, count(*) AS row_count FROM ${t}`).join(' UNION ALL ') + ' ORDER BY 1';
}

/**
 * Starts a long Cloud SQL operation with `--async` and waits for it without a limit: a synchronous
 * gcloud call stops waiting after a few minutes and fails while the operation goes on
 * (https://github.com/googlecodelabs/feedback/issues/1159, https://github.com/ovotech/cloud_sql_backup/pull/25;
 * `operations wait` defaults to 300 s, https://cloud.google.com/sdk/gcloud/reference/sql/operations/wait).
 * The wait runs in the background and the script waits for it, because bash runs a trap only
 * after its foreground command ends: a SIGTERM (the Job's deadline) now reaches the trap at once.
 */
const RUN_OPERATION = `sql_operation() {
  local op
  op="$("$@" --project="$PROJECT" --async --format='value(name)')"
  gcloud sql operations wait "$op" --project="$PROJECT" --timeout=unlimited &
  wait "$!"
}
`;

/**
 * The restore drill: the latest successful backup of the live instance, restored into a new scratch
 * instance, then the row counts of the configured tables exported from both
 * (`gcloud sql export csv --query`, which needs neither a database client nor a route to the
 * instances) and compared within the allowed drift. The EXIT trap deletes the scratch instance
 * whatever happens after its creation starts; SIGTERM (the Job's deadline, a deleted pod) exits
 * through the same trap. Cloud SQL runs one operation at a time per instance and refuses a delete
 * while the restore or an export runs (HTTP 409, https://github.com/ovotech/cloud_sql_backup/pull/8),
 * so the trap retries within the pod's grace period.
 */
export const DRILL_SCRIPT = `set -euo pipefail
${RUN_OPERATION}SCRATCH="$SCRATCH_PREFIX-$(date -u +%Y%m%d%H%M)"
BACKUP_ID="$(gcloud sql backups list --project="$PROJECT" --instance="$LIVE_INSTANCE" \\
  --filter='status=SUCCESSFUL' --sort-by='~endTime' --limit=1 --format='value(id)')"
if [ -z "$BACKUP_ID" ]; then echo "no successful backup of $LIVE_INSTANCE" >&2; exit 1; fi
# A backup restores only onto an instance with at least the source's storage.
DISK_GB="$(gcloud sql instances describe "$LIVE_INSTANCE" --project="$PROJECT" --format='value(settings.dataDiskSizeGb)')"
echo "restoring backup $BACKUP_ID of $LIVE_INSTANCE into $SCRATCH ($DISK_GB GB)"
cleanup() {
  status=$?
  trap - EXIT
  trap '' TERM INT
  echo "deleting scratch instance $SCRATCH"
  for attempt in 1 2 3 4 5 6 7 8 9; do
    if gcloud sql instances delete "$SCRATCH" --project="$PROJECT" --async --quiet; then exit "$status"; fi
    echo "delete of $SCRATCH refused (attempt $attempt), retrying in 60 s" >&2
    sleep 60
  done
  echo "could not delete $SCRATCH: delete it by hand" >&2
  exit "$status"
}
trap cleanup EXIT
trap 'exit 143' TERM INT
sql_operation gcloud sql instances create "$SCRATCH" --region="$REGION" \\
  --database-version="$DATABASE_VERSION" --edition=enterprise --tier="$TIER" \\
  --network="$NETWORK" --no-assign-ip --storage-size="$DISK_GB" --no-backup --no-deletion-protection \\
  --database-flags=cloudsql.iam_authentication=on --quiet
sql_operation gcloud sql backups restore "$BACKUP_ID" \\
  --restore-instance="$SCRATCH" --backup-instance="$LIVE_INSTANCE" --quiet
for instance in "$LIVE_INSTANCE" "$SCRATCH"; do
  sql_operation gcloud sql export csv "$instance" "$RESULTS$SCRATCH/$instance.csv" \\
    --database="$DATABASE" --query="$COUNT_QUERY" --quiet
done
gcloud storage cat "$RESULTS$SCRATCH/$LIVE_INSTANCE.csv" > /tmp/live.csv
gcloud storage cat "$RESULTS$SCRATCH/$SCRATCH.csv" > /tmp/restored.csv
awk -F, -v drift="$MAX_DRIFT_PERCENT" '
  { gsub(/"/, "") }
  NR == FNR { live[$1] = $2; next }
  { seen[$1] = 1; l = live[$1] + 0; r = $2 + 0; d = l > r ? l - r : r - l
    printf "%s live=%d restored=%d\\n", $1, l, r
    if (!($1 in live) || d * 100 > l * drift) bad = 1 }
  END { n = 0; for (t in live) { n++; if (!(t in seen)) bad = 1 }
    if (n == 0) bad = 1
    if (bad) print "the restored backup differs from the live data" > "/dev/stderr"
    exit bad }' /tmp/live.csv /tmp/restored.csv
echo "restore drill of $LIVE_INSTANCE passed"
`;

/** The logical dump: `gcloud sql export sql` of the live database; the instance's service agent writes the object. */
export const DUMP_SCRIPT = `set -euo pipefail
${RUN_OPERATION}OBJECT="$DUMPS$DATABASE-$(date -u +%Y%m%dT%H%M%SZ).sql.gz"
sql_operation gcloud sql export sql "$LIVE_INSTANCE" "$OBJECT" --database="$DATABASE" --quiet
echo "dumped $DATABASE of $LIVE_INSTANCE to $OBJECT"
`;
