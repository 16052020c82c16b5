import { type App } from './app';
import { type Checks } from './checks';
import { type Cluster } from './cluster';
import { type TeamConfig } from './config';

/**
 * The local part GKE requires of the security group of Google Groups for RBAC.
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/google-groups-rbac
 */
export const GKE_SECURITY_GROUP_LOCAL_PART = 'gke-security-groups';

/** The teams that own an app: each gets a Role and a RoleBinding to its group in every managed namespace. */
export function teamsWithAccess(teams: readonly TeamConfig[], apps: readonly App[]): TeamConfig[] {
  const owners = new Set(apps.map((a) => a.kubernetes.team));
  return teams.filter((t) => owners.has(t.name));
}

/** Whether some RoleBinding on the cluster names a team's group: a team has access to a namespace it owns. */
export function clusterBindsGroups(cluster: Cluster, teams: readonly TeamConfig[], apps: readonly App[]): boolean {
  return teamsWithAccess(teams, apps).length > 0 && cluster.environments.some((e) => e.managesNamespace);
}

/** The security group, required while there are teams, as `gke-security-groups@<domain>`. */
export function checkSecurityGroup(group: string | undefined, teams: readonly TeamConfig[], checks: Checks): string | undefined {
  if (group === undefined) {
    checks.require(teams.length === 0, 'rbacSecurityGroup', group, 'is missing: the teams\' RoleBindings name Google Groups, which GKE ignores without it',
      `set rbacSecurityGroup to "${GKE_SECURITY_GROUP_LOCAL_PART}@<your domain>" and make each team's group a member of it`);
    return undefined;
  }
  const [local, domain, ...rest] = group.split('@');
  checks.require(rest.length === 0 && local === GKE_SECURITY_GROUP_LOCAL_PART && /^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/.test(domain ?? ''),
    'rbacSecurityGroup', group, `is not ${GKE_SECURITY_GROUP_LOCAL_PART}@<domain>, the group GKE requires`,
    `name the group ${GKE_SECURITY_GROUP_LOCAL_PART}@<your domain>, such as ${GKE_SECURITY_GROUP_LOCAL_PART}@example.com`);
  return group;
}
