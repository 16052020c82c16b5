/**
 * What each Google resource type the stacks declare needs: the APIs its project must have enabled
 * (each stack enables them, `google_project_service`) and the predefined role that lets OpenTofu's
 * CI identity manage it, with why. One table, read by the stacks, the CI identity's grants and the
 * `gcp-apis` rule: a resource type missing here fails that rule.
 * @see https://cloud.google.com/iam/docs/understanding-roles
 */
export interface GcpResourceNeeds {
  readonly apis: readonly string[];
  /** The narrowest predefined role that creates, updates and deletes it. */
  readonly role: string;
  readonly why: string;
  /** Roles it needs besides `role`. @default - none */
  readonly also?: readonly string[];
}

const COMPUTE = 'compute.googleapis.com';

/**
 * A custom role for Secret Manager's metadata: create and delete secrets and set who reads them, but
 * no permission on versions, so OpenTofu never reads a value. `roles/secretmanager.admin` would also
 * read every payload of the project (the `join-secret-access` rule refuses it).
 * @see https://cloud.google.com/secret-manager/docs/access-control
 */
export const SECRET_METADATA_ROLE = {
  id: 'platformSecretMetadataAdmin',
  title: 'Secret Manager metadata admin (no payload access)',
  permissions: [
    'secretmanager.secrets.create',
    'secretmanager.secrets.delete',
    'secretmanager.secrets.get',
    'secretmanager.secrets.getIamPolicy',
    'secretmanager.secrets.list',
    'secretmanager.secrets.setIamPolicy',
    'secretmanager.secrets.update',
  ],
} as const;

/** How the table names a custom role: `custom/<id>`; the runner gets it as `projects/P/roles/<id>`. */
export const CUSTOM_ROLE_PREFIX = 'custom/';
const network = (what: string): GcpResourceNeeds => ({ apis: [COMPUTE], role: 'roles/compute.networkAdmin', why: `the cluster's ${what}` });

export const GCP_RESOURCE_NEEDS: Readonly<Record<string, GcpResourceNeeds>> = {
  google_artifact_registry_repository: { apis: ['artifactregistry.googleapis.com'], role: 'roles/artifactregistry.admin', why: 'the image repository and its cleanup policies' },
  google_artifact_registry_repository_iam_member: { apis: ['artifactregistry.googleapis.com'], role: 'roles/artifactregistry.admin', why: 'who may pull and push images' },
  google_storage_bucket: { apis: ['storage.googleapis.com'], role: 'roles/storage.admin', why: 'the state bucket' },
  google_storage_bucket_iam_member: { apis: ['storage.googleapis.com'], role: 'roles/storage.admin', why: 'who may read and write state' },
  google_compute_network: network('VPC'),
  google_compute_subnetwork: network('subnets'),
  google_compute_router: network('Cloud Router'),
  google_compute_router_nat: network('Cloud NAT'),
  google_compute_route: network('route to private.googleapis.com'),
  google_compute_global_address: network('private service access range and public static IPs'),
  google_compute_address: network('regional and internal addresses'),
  google_compute_firewall: { apis: [COMPUTE], role: 'roles/compute.securityAdmin', why: 'firewall rules (networkAdmin cannot change them)' },
  // GKE Workload Identity hands pods tokens through the IAM Service Account Credentials API.
  google_container_cluster: { apis: ['container.googleapis.com', 'iamcredentials.googleapis.com'], role: 'roles/container.admin', why: 'the GKE cluster' },
  // Creating nodes that run as a service account acts as it (iam.serviceAccounts.actAs).
  google_container_node_pool: { apis: ['container.googleapis.com'], role: 'roles/container.admin', why: 'the node pool', also: ['roles/iam.serviceAccountUser'] },
  google_gke_backup_backup_plan: { apis: ['gkebackup.googleapis.com'], role: 'roles/gkebackup.admin', why: 'the daily Backup for GKE plan' },
  google_dns_managed_zone: { apis: ['dns.googleapis.com'], role: 'roles/dns.admin', why: 'public and private zones' },
  google_dns_record_set: { apis: ['dns.googleapis.com'], role: 'roles/dns.admin', why: 'the hosts\' records' },
  google_sql_database_instance: { apis: ['sqladmin.googleapis.com'], role: 'roles/cloudsql.admin', why: 'Cloud SQL instances (the Auth Proxy also calls this API)' },
  google_sql_database: { apis: ['sqladmin.googleapis.com'], role: 'roles/cloudsql.admin', why: 'the apps\' databases' },
  google_sql_user: { apis: ['sqladmin.googleapis.com'], role: 'roles/cloudsql.admin', why: 'IAM database users' },
  google_redis_instance: { apis: ['redis.googleapis.com'], role: 'roles/redis.admin', why: 'Memorystore instances' },
  google_service_networking_connection: { apis: ['servicenetworking.googleapis.com'], role: 'roles/servicenetworking.networksAdmin', why: 'private service access for Cloud SQL and Memorystore' },
  google_secret_manager_secret: { apis: ['secretmanager.googleapis.com'], role: `${CUSTOM_ROLE_PREFIX}${SECRET_METADATA_ROLE.id}`, why: 'the secrets External Secrets reads (never their values)', also: ['roles/iam.roleAdmin'] },
  google_secret_manager_secret_iam_member: { apis: ['secretmanager.googleapis.com'], role: `${CUSTOM_ROLE_PREFIX}${SECRET_METADATA_ROLE.id}`, why: 'each secret granted to its store alone', also: ['roles/iam.roleAdmin'] },
  google_project_iam_custom_role: { apis: ['iam.googleapis.com'], role: 'roles/iam.roleAdmin', why: 'the custom role above' },
  google_service_account: { apis: ['iam.googleapis.com'], role: 'roles/iam.serviceAccountAdmin', why: 'the apps\', stores\' and nodes\' service accounts' },
  google_service_account_iam_member: { apis: ['iam.googleapis.com'], role: 'roles/iam.serviceAccountAdmin', why: 'Workload Identity bindings on those accounts' },
  google_project_iam_member: { apis: ['cloudresourcemanager.googleapis.com'], role: 'roles/resourcemanager.projectIamAdmin', why: 'the project roles of the nodes and cert-manager' },
  // Service Usage and Resource Manager are on in every new project: they enable the others.
  google_project_service: { apis: ['serviceusage.googleapis.com'], role: 'roles/serviceusage.serviceUsageAdmin', why: 'enabling the APIs in this table' },
  // Exchanging a CI token needs the Security Token Service and Service Account Credentials APIs.
  google_iam_workload_identity_pool: { apis: ['iam.googleapis.com', 'sts.googleapis.com', 'iamcredentials.googleapis.com'], role: 'roles/iam.workloadIdentityPoolAdmin', why: 'CI\'s workload identity pool' },
  google_iam_workload_identity_pool_provider: { apis: ['iam.googleapis.com', 'sts.googleapis.com'], role: 'roles/iam.workloadIdentityPoolAdmin', why: 'the OIDC provider of CI\'s tokens' },
};

/** The roles that manage resources of these types, sorted: what OpenTofu's runner is granted on a project. */
export function rolesFor(types: Iterable<string>): string[] {
  const roles = new Set<string>();
  for (const type of types) {
    const needs = GCP_RESOURCE_NEEDS[type];
    if (needs === undefined) throw new Error(`resource type ${type} has no entry in GCP_RESOURCE_NEEDS; fix: add its APIs and role to lib/model/gcp-services.ts`);
    roles.add(needs.role);
    for (const role of needs.also ?? []) roles.add(role);
  }
  return [...roles].sort();
}
