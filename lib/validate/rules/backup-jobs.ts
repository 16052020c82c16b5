import { asArray, asString, at, type JsonRecord } from '../../manifest/json-access';
import { WORKLOAD_IDENTITY_ANNOTATION } from '../../model/workload-identity';
import { dataInstances, dataPaths, type DataInstance } from './data-path';
import { block, blocks, type K8sObject, resources, type RuleContext, type TfStack } from './types';

/** A Cloud SQL instance that a workload of a production environment connects to: a production database. */
export interface ProductionDatabase {
  readonly instance: DataInstance;
  /** The production environment's directory, such as `kubernetes/prod`. */
  readonly dir: string;
}

/** Every production database of the output (the Terraform side must be there). */
export function productionDatabases(ctx: RuleContext): ProductionDatabase[] {
  const sql = dataInstances(ctx).filter((i) => i.type === 'google_sql_database_instance');
  const seen = new Map<string, ProductionDatabase>();
  for (const path of dataPaths(ctx)) {
    const env = path.workload.dir.split('/')[1];
    if (path.connectionName === undefined || !ctx.productionEnvs.includes(env)) continue;
    const instance = sql.find((i) => i.keys.includes(path.connectionName ?? ''));
    if (instance !== undefined && !seen.has(instance.address)) seen.set(instance.address, { instance, dir: path.workload.dir });
  }
  return [...seen.values()];
}

/** A CronJob of the output with its one container's environment and script. */
export interface CronJobView {
  readonly object: K8sObject;
  readonly env: Readonly<Record<string, string>>;
  readonly script: string;
  readonly podSpec: JsonRecord;
}

export function cronJobs(ctx: RuleContext, dir: string): CronJobView[] {
  return ctx.objects.filter((o) => o.kind === 'CronJob' && o.dir === dir).map((object) => {
    const podSpec = block(at(object.body, 'spec', 'jobTemplate', 'spec', 'template', 'spec')) ?? {};
    const containers = blocks(podSpec.containers);
    const env: Record<string, string> = {};
    for (const c of containers) for (const e of blocks(c.env)) env[asString(e.name) ?? ''] = asString(e.value) ?? '';
    const script = containers.flatMap((c) => asArray(c.command).map((x) => asString(x) ?? '')).join('\n');
    return { object, env, script, podSpec };
  });
}

/**
 * The Google service account a job's pods act as, and whether Terraform binds its KSA to it: the
 * KSA's annotation names the account, a `google_service_account` of that id exists and a
 * `roles/iam.workloadIdentityUser` member on it names `[namespace/ksa]`. Returns the account's
 * Terraform address, or a problem.
 */
export function boundAccount(ctx: RuleContext, job: CronJobView, stack: TfStack): { address: string } | { problem: string } {
  const ksa = asString(job.podSpec.serviceAccountName) ?? 'default';
  const namespace = asString(at(job.object.body, 'metadata', 'namespace')) ?? '';
  const sa = ctx.objects.find((o) => o.kind === 'ServiceAccount' && o.name === ksa && o.dir === job.object.dir);
  const email = asString(at(sa?.body, 'metadata', 'annotations', WORKLOAD_IDENTITY_ANNOTATION));
  if (email === undefined) return { problem: `runs as KSA "${ksa}", which has no ${WORKLOAD_IDENTITY_ANNOTATION} annotation` };
  const accountId = email.split('@')[0];
  const account = resources(stack, 'google_service_account').find(([, r]) => r.account_id === accountId);
  if (account === undefined) return { problem: `acts as ${email}, which stack ${stack.stack} does not create` };
  const bound = resources(stack, 'google_service_account_iam_member').some(([, r]) =>
    r.service_account_id === `\${google_service_account.${account[0]}.name}` && r.role === 'roles/iam.workloadIdentityUser'
    && (asString(r.member) ?? '').endsWith(`[${namespace}/${ksa}]`));
  return bound ? { address: account[0] } : { problem: `runs as KSA ${namespace}/${ksa}, which no Workload Identity binding lets act as ${email}` };
}

/** The permissions the project roles granted to a Terraform service account give, with each grant's condition. */
export function grantedPermissions(stack: TfStack, account: string): { permissions: readonly string[]; condition: string }[] {
  const member = `\${google_service_account.${account}.member}`;
  const custom = new Map(resources(stack, 'google_project_iam_custom_role').map(([a, r]) => [`\${google_project_iam_custom_role.${a}.name}`, asArray(r.permissions).map((p) => asString(p) ?? '')]));
  return resources(stack, 'google_project_iam_member').filter(([, r]) => r.member === member).map(([, r]) => ({
    permissions: custom.get(asString(r.role) ?? '') ?? (r.role === 'roles/cloudsql.admin' ? ['*'] : []),
    condition: asString(block(r.condition)?.expression) ?? '',
  }));
}
