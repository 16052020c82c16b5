import { ArtifactRegistryRepositoryIamMember } from '@cdktf/provider-google/lib/artifact-registry-repository-iam-member';
import { IamWorkloadIdentityPool } from '@cdktf/provider-google/lib/iam-workload-identity-pool';
import { IamWorkloadIdentityPoolProvider } from '@cdktf/provider-google/lib/iam-workload-identity-pool-provider';
import { ProjectIamCustomRole } from '@cdktf/provider-google/lib/project-iam-custom-role';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import { type TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { type CiSettings } from '../model/ci';
import { type RegistryConfig } from '../model/config';
import { CUSTOM_ROLE_PREFIX, SECRET_METADATA_ROLE } from '../model/gcp-services';

/** Props of {@link CiIdentity}. */
export interface CiIdentityProps {
  readonly ci: CiSettings;
  readonly registry: RegistryConfig;
  /** The state bucket's name. */
  readonly stateBucket: string;
  /** What the grants on the bucket and the repository wait for: those two resources. */
  readonly after: readonly TerraformResource[];
}

/**
 * CI's identities through Workload Identity Federation: a pool whose OIDC provider accepts only the
 * tokens of the configured repositories (its attribute condition), and two service accounts, each
 * impersonable only by the principal set of its own repositories (`roles/iam.workloadIdentityUser`):
 * one pushes images (`roles/artifactregistry.writer` on the platform's repository alone), the other
 * runs `tofu plan` and `apply` (state objects, and the roles {@link grantRunner} is given).
 * @see https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/iam_workload_identity_pool_provider
 * @see https://cloud.google.com/iam/docs/workload-identity-federation-with-deployment-pipelines
 */
export class CiIdentity extends Construct {
  public readonly pool: IamWorkloadIdentityPool;
  public readonly provider: IamWorkloadIdentityPoolProvider;
  public readonly pusher: ServiceAccount;
  public readonly runner: ServiceAccount;
  private readonly ci: CiSettings;

  constructor(scope: Construct, id: string, props: CiIdentityProps) {
    super(scope, id);
    const { ci, registry } = props;
    this.ci = ci;
    this.pool = new IamWorkloadIdentityPool(this, 'Pool', {
      project: ci.project,
      workloadIdentityPoolId: ci.poolId,
      displayName: 'CI',
      description: 'CI workflows of the platform\'s repositories',
    });
    this.provider = new IamWorkloadIdentityPoolProvider(this, 'Provider', {
      project: ci.project,
      workloadIdentityPoolId: this.pool.workloadIdentityPoolId,
      workloadIdentityPoolProviderId: ci.providerId,
      attributeMapping: { ...ci.attributeMapping },
      attributeCondition: ci.attributeCondition,
      oidc: { issuerUri: ci.issuerUri },
    });
    this.pusher = this.account('Images', ci.pusherAccountId, 'CI: pushes images', ci.imageRepositories);
    new ArtifactRegistryRepositoryIamMember(this, 'ImagesWriter', {
      project: registry.project,
      location: registry.region,
      repository: registry.repository,
      role: 'roles/artifactregistry.writer',
      member: this.pusher.member,
      dependsOn: [...props.after],
    });
    this.runner = this.account('Tofu', ci.runnerAccountId, 'CI: runs tofu plan and apply', [ci.platformRepository]);
    // State, and its lock files, are objects of the bucket; the bucket itself stays the bootstrap's.
    new StorageBucketIamMember(this, 'TofuState', {
      bucket: props.stateBucket,
      role: 'roles/storage.objectAdmin',
      member: this.runner.member,
      dependsOn: [...props.after],
    });
  }

  /**
   * Grants the runner `role` on `project` (roles come from `rolesFor`, lib/model/gcp-services.ts); a
   * `custom/` role is created in the project first.
   */
  public grantRunner(project: string, role: string): ProjectIamMember {
    const id = `Tofu-${project}-${role.replace(/^(roles|custom)\//, '')}`;
    if (!role.startsWith(CUSTOM_ROLE_PREFIX)) return new ProjectIamMember(this, id, { project, role, member: this.runner.member });
    if (role !== `${CUSTOM_ROLE_PREFIX}${SECRET_METADATA_ROLE.id}`) throw new Error(`CI runner: no definition of custom role ${role}; fix: define it in lib/model/gcp-services.ts`);
    const custom = new ProjectIamCustomRole(this, `Role-${project}-${SECRET_METADATA_ROLE.id}`, {
      project,
      roleId: SECRET_METADATA_ROLE.id,
      title: SECRET_METADATA_ROLE.title,
      permissions: [...SECRET_METADATA_ROLE.permissions],
    });
    return new ProjectIamMember(this, id, { project, role: custom.name, member: this.runner.member });
  }

  private account(id: string, accountId: string, displayName: string, repositories: readonly string[]): ServiceAccount {
    const account = new ServiceAccount(this, id, { project: this.ci.project, accountId, displayName });
    for (const repo of repositories) {
      new ServiceAccountIamMember(this, `${id}-${repo.replace(/\//g, "-")}`, {
        serviceAccountId: account.name,
        role: 'roles/iam.workloadIdentityUser',
        member: `principalSet://iam.googleapis.com/${this.pool.name}/attribute.repository/${repo}`,
      });
    }
    return account;
  }
}
