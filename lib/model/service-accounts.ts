import { type AppInstance } from './app-instance';
import { type Checks } from './checks';
import { type Cluster } from './cluster';
import { type NamespaceSecretStore } from './secret-store';

/** One Google service account the platform creates, and where in the config its name comes from. */
interface AccountOwner {
  readonly project: string;
  readonly accountId: string;
  /** What owns it, for the message: `cert-manager on cluster "nonprod"`. */
  readonly what: string;
  readonly checks: Checks;
  readonly field: string;
  readonly value: string;
}

/**
 * Google service account ids are unique per project, and each cluster's stack creates its own: two
 * owners of one id would create the same account in two stacks (or one stack twice). Covers
 * cert-manager's account per cluster, each namespace's secret-store account and the apps' identities.
 * Two clusters in one project that use the same namespace also share its Workload Identity principal
 * (`PROJECT.svc.id.goog[ns/ksa]`), so a per-cluster account name would not separate them either.
 * @see https://cloud.google.com/kubernetes-engine/docs/concepts/workload-identity#identity_sameness
 */
export function checkServiceAccountsUnique(clusters: readonly Cluster[], stores: readonly NamespaceSecretStore[],
  instances: readonly AppInstance[], root: Checks): void {
  const owners: AccountOwner[] = [
    ...clusters.map((c): AccountOwner => ({ project: c.project, accountId: c.certManagerIdentity.accountId, what: `cert-manager on cluster "${c.name}"`,
      checks: root, field: `clusters.${c.name}.name`, value: c.name })),
    ...stores.map((s): AccountOwner => ({ project: s.project, accountId: s.identity.accountId, what: `the secret store of namespace "${s.namespace}" on cluster "${s.cluster}"`,
      checks: root.within({ env: s.owner }), field: 'namespace', value: s.namespace })),
    ...instances.flatMap((i): AccountOwner[] => (i.gcp.identity === undefined ? [] : [{ project: i.env.project, accountId: i.gcp.identity.accountId,
      what: `app "${i.app.name}" in env "${i.env.name}"`, checks: root.within({ app: i.app.name, env: i.env.name }), field: 'name', value: i.app.name }])),
    ...instances.flatMap((i): AccountOwner[] => [i.backups?.drill, i.backups?.dumps].flatMap((job) => (job === undefined ? [] : [{ project: i.env.project,
      accountId: job.identity.accountId, what: `the ${job.name} job of app "${i.app.name}" in env "${i.env.name}"`, checks: root.within({ app: i.app.name, env: i.env.name }),
      field: 'name', value: i.app.name }]))),
  ];
  const seen = new Map<string, AccountOwner>();
  for (const owner of owners) {
    const key = `${owner.project}/${owner.accountId}`;
    const first = seen.get(key);
    if (first !== undefined && first.what !== owner.what) {
      owner.checks.fail(owner.field, owner.value, `makes the Google service account "${owner.accountId}" in project "${owner.project}", which ${first.what} also gets`,
        owner.field === 'namespace' ? 'give the namespace another name on one of the two clusters, or run them in separate projects' : 'rename one of the two');
    }
    seen.set(key, first ?? owner);
  }
}
