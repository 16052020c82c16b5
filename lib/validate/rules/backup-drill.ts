import { isMonthlySchedule } from '../../model/database-backups';
import { asString, at } from '../../manifest/json-access';
import { boundAccount, cronJobs, grantedPermissions, productionDatabases } from './backup-jobs';
import { type Finding, tfFinding, finding, type RuleContext } from './types';

const RULE = 'backup-drill';
const T = 'google_sql_database_instance';

/** What the drill does on its scratch instances, and on the live one. */
const ON_SCRATCH = ['cloudsql.instances.create', 'cloudsql.instances.restoreBackup', 'cloudsql.instances.delete'];
const ON_LIVE = ['cloudsql.backupRuns.list', 'cloudsql.backupRuns.get'];
/**
 * A backup run is its own resource type for IAM Conditions (sqladmin.googleapis.com/BackupRun), so a
 * grant conditioned on the Instance type never reaches it: https://cloud.google.com/iam/docs/conditions-resource-attributes
 */
const INSTANCE_TYPE_ONLY = /resource\.type\s*==\s*["']sqladmin\.googleapis\.com\/Instance["']\s*&&/;

/**
 * Every production database has a monthly restore drill (docs/backups.md): a CronJob in its
 * production environment whose container is given the instance as LIVE_INSTANCE, a scratch prefix
 * that cannot name the live instance, the row-count query of its tables, and a script whose EXIT
 * trap deletes the scratch instance; it runs monthly, never twice at once, as a KSA that Terraform
 * binds to an account granted the restore permissions on the scratch instances and backup listing.
 */
export function backupDrill(ctx: RuleContext): Finding[] {
  return productionDatabases(ctx).flatMap(({ instance, dir }): Finding[] => {
    const drill = cronJobs(ctx, dir).find((j) => j.env.LIVE_INSTANCE === instance.name && j.env.SCRATCH_PREFIX !== undefined);
    if (drill === undefined) {
      return [tfFinding(instance.stack, T, instance.address, RULE, `is a production database with no restore drill CronJob in ${dir}`,
        'give the app\'s needs.database.backups.drill its tables; the platform adds the drill to production')];
    }
    const f = (message: string, fix: string): Finding => finding(drill.object, RULE, message, fix);
    const findings: Finding[] = [];
    const prefix = drill.env.SCRATCH_PREFIX;
    if (prefix === '' || instance.name === prefix || instance.name.startsWith(`${prefix}-`)) {
      findings.push(f(`restores into scratch instances "${prefix}-*", a name the live instance ${instance.name} matches`, 'derive the scratch prefix from the live name with a suffix (database-backups.ts)'));
    }
    if (!/\bFROM\b/.test(drill.env.COUNT_QUERY ?? '')) findings.push(f('compares no table with the live data (COUNT_QUERY is empty)', 'list the tables in needs.database.backups.drill.tables'));
    if (!/trap cleanup EXIT/.test(drill.script) || !/gcloud sql instances delete "\$SCRATCH"/.test(drill.script)) {
      findings.push(f('does not delete its scratch instance in an EXIT trap', 'keep DRILL_SCRIPT\'s cleanup trap'));
    }
    const schedule = asString(at(drill.object.body, 'spec', 'schedule')) ?? '';
    if (!isMonthlySchedule(schedule)) findings.push(f(`runs on "${schedule}", not monthly`, 'use "MINUTE HOUR DAY * *" with a day of month from 1 to 28'));
    if (at(drill.object.body, 'spec', 'concurrencyPolicy') !== 'Forbid') findings.push(f('may run twice at once', 'set spec.concurrencyPolicy to Forbid'));
    const account = boundAccount(ctx, drill, instance.stack);
    if ('problem' in account) return [...findings, f(account.problem, 'annotate the KSA with the drill\'s account and bind it in Terraform (DatabaseBackupJobs)')];
    const grants = grantedPermissions(instance.stack, account.address);
    const has = (perm: string, where: (condition: string) => boolean): boolean =>
      grants.some((g) => (g.permissions.includes(perm) || g.permissions.includes('*')) && where(g.condition));
    const missingScratch = ON_SCRATCH.filter((p) => !has(p, (c) => c === '' || c.includes(`/instances/${prefix}-")`)));
    const missingLive = ON_LIVE.filter((p) => !has(p, (c) => c === '' || (c.includes(`/instances/${instance.name}`) && !INSTANCE_TYPE_ONLY.test(c))));
    if (missingScratch.length + missingLive.length > 0) {
      findings.push(f(`acts as ${account.address}, which Terraform does not grant ${[...missingScratch, ...missingLive].join(', ')}`,
        'grant the drill\'s custom roles (BACKUP_JOB_PERMISSIONS) on the scratch prefix and on the live instance and its backup runs (no resource.type == Instance condition)'));
    }
    return findings;
  });
}
