import { asString, at } from '../../manifest/json-access';
import { boundAccount, cronJobs, productionDatabases } from './backup-jobs';
import { block, blocks, type Finding, finding, resources, type RuleContext, tfFinding } from './types';

const RULE = 'dump-retention';
const T = 'google_sql_database_instance';
/** The seed's "database dumps kept 6–12 months", in days. */
export const DUMP_RETENTION_DAYS = { min: 180, max: 366 } as const;
const WRITER_ROLES = ['roles/storage.objectCreator', 'roles/storage.objectAdmin'];

/**
 * Every production database has a monthly dump CronJob, bound to its own account, that writes to a
 * bucket of the same stack (DUMPS=gs://BUCKET/...); the bucket deletes objects after 180 to 366
 * days, and the instance's service agent, which writes the export, may create objects in it.
 */
export function dumpRetention(ctx: RuleContext): Finding[] {
  return productionDatabases(ctx).flatMap(({ instance, dir }): Finding[] => {
    const dump = cronJobs(ctx, dir).find((j) => j.env.LIVE_INSTANCE === instance.name && j.env.DUMPS !== undefined);
    if (dump === undefined) {
      return [tfFinding(instance.stack, T, instance.address, RULE, `is a production database with no dump CronJob in ${dir}`, 'set the app\'s needs.database.backups; the platform adds the dump to production')];
    }
    const f = (message: string, fix: string): Finding => finding(dump.object, RULE, message, fix);
    const bucketName = /^gs:\/\/([^/]+)\//.exec(dump.env.DUMPS)?.[1] ?? '';
    const bucket = resources(instance.stack, 'google_storage_bucket').find(([, b]) => b.name === bucketName);
    if (bucket === undefined) return [f(`writes to gs://${bucketName}, which stack ${instance.stack.stack} does not create`, 'write the dumps to the database\'s dump bucket')];
    const findings: Finding[] = [];
    const account = boundAccount(ctx, dump, instance.stack);
    if ('problem' in account) findings.push(f(account.problem, 'annotate the KSA with the dump\'s account and bind it in Terraform (DatabaseBackupJobs)'));
    const ages = blocks(bucket[1].lifecycle_rule)
      .filter((r) => at(block(r.action), 'type') === 'Delete')
      .map((r) => at(block(r.condition), 'age'))
      .filter((a): a is number => typeof a === 'number');
    const age = ages.length === 0 ? undefined : Math.min(...ages);
    if (age === undefined || age < DUMP_RETENTION_DAYS.min || age > DUMP_RETENTION_DAYS.max) {
      findings.push(tfFinding(instance.stack, 'google_storage_bucket', bucket[0], RULE,
        `deletes dumps ${age === undefined ? 'never' : `after ${age} days`}, not after ${DUMP_RETENTION_DAYS.min} to ${DUMP_RETENTION_DAYS.max}`,
        'set needs.database.backups.dumps.retentionMonths from 6 to 12'));
    }
    const agent = `serviceAccount:\${google_sql_database_instance.${instance.address}.service_account_email_address}`;
    const writes = resources(instance.stack, 'google_storage_bucket_iam_member').some(([, m]) =>
      (m.bucket === `\${google_storage_bucket.${bucket[0]}.name}` || m.bucket === bucketName)
      && WRITER_ROLES.includes(asString(m.role) ?? '') && m.member === agent && block(m.condition) === undefined);
    if (!writes) {
      findings.push(tfFinding(instance.stack, 'google_storage_bucket', bucket[0], RULE, `does not let the service agent of ${instance.name}, which writes the export, create objects`,
        'grant roles/storage.objectCreator on the bucket to the instance\'s service_account_email_address'));
    }
    return findings;
  });
}
