import { asString, at, strMap } from '../../manifest/json-access';
import { finding, type Finding, providerProject, resources, type RuleContext } from './types';

const ANNOTATION = 'iam.gke.io/gcp-service-account';

/**
 * Every ServiceAccount annotated with a Google service account has that account and a Workload Identity
 * binding for its namespace and name in some Terraform stack. Skipped when the output holds no stack.
 */
export function joinWorkloadIdentity(ctx: RuleContext): Finding[] {
  if (ctx.stacks.length === 0) return [];
  const emails = new Set<string>();
  const members = new Set<string>();
  for (const s of ctx.stacks) {
    for (const [, sa] of resources(s, 'google_service_account')) {
      const project = asString(sa.project) ?? providerProject(s);
      if (typeof sa.account_id === 'string' && project) emails.add(`${sa.account_id}@${project}.iam.gserviceaccount.com`);
    }
    for (const [, m] of resources(s, 'google_service_account_iam_member')) {
      if (m.role === 'roles/iam.workloadIdentityUser' && typeof m.member === 'string') members.add(m.member);
    }
  }
  return ctx.objects
    .filter((o) => o.kind === 'ServiceAccount' && strMap(at(o.body, 'metadata', 'annotations'))[ANNOTATION] !== undefined)
    .flatMap((o): Finding[] => {
      const email = strMap(at(o.body, 'metadata', 'annotations'))[ANNOTATION];
      if (!emails.has(email)) {
        return [finding(o, 'join-workload-identity', `names Google service account "${email}", which no Terraform stack creates`, 'correct the annotation, or create the account in the cluster stack')];
      }
      const ns = asString(at(o.body, 'metadata', 'namespace')) ?? 'default';
      const project = email.split('@')[1].replace(/\.iam\.gserviceaccount\.com$/, '');
      const member = `serviceAccount:${project}.svc.id.goog[${ns}/${o.name}]`;
      if (!members.has(member)) {
        return [finding(o, 'join-workload-identity', `has no roles/iam.workloadIdentityUser binding for member "${member}"`, `bind ${member} to ${email} in the cluster stack`)];
      }
      return [];
    });
}
