import { ProjectIamMember, type ProjectIamMemberCondition } from '@cdktf/provider-google/lib/project-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member';
import { Construct } from 'constructs';
import { Checks } from '../model/checks';
import { WorkloadIdentity } from '../model/workload-identity';
import { type GkeCluster } from './gke-cluster';

/** Props of {@link WorkloadServiceAccount}. */
export interface WorkloadServiceAccountProps {
  /** The app's identity from the platform model: the GSA to create and the KSA that acts as it. */
  readonly identity: WorkloadIdentity;
  /** The cluster the KSA lives in; its Workload Identity pool must exist before the binding. */
  readonly cluster: GkeCluster;
}

/**
 * A Google service account that exactly one Kubernetes service account acts as, through Workload
 * Identity. It starts with no roles: resources grant it what it needs (`database.grantConnect`).
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity
 */
export class WorkloadServiceAccount extends Construct {
  public readonly identity: WorkloadIdentity;
  public readonly account: ServiceAccount;
  /** `roles/iam.workloadIdentityUser` for the KSA on the GSA. */
  public readonly binding: ServiceAccountIamMember;
  /** The GSA as an IAM member, read once: every read of a resource attribute makes a new token. */
  public readonly member: string;

  constructor(scope: Construct, id: string, props: WorkloadServiceAccountProps) {
    super(scope, id);
    const { identity } = props;
    const pool = WorkloadIdentity.workloadPool(identity.project);
    const checks: Checks = new Checks();
    checks.require(props.cluster.workloadPool === pool, 'identity.project', identity.project,
      `differs from the project of the cluster's Workload Identity pool (${props.cluster.workloadPool})`,
      'create the service account in the cluster\'s project');
    this.identity = identity;
    const ksa = identity.kubernetesServiceAccount;
    this.account = new ServiceAccount(this, 'Resource', {
      project: identity.project,
      accountId: identity.accountId,
      displayName: `Workload ${ksa.namespace}/${ksa.name}`,
    });
    this.member = this.account.member;
    this.binding = new ServiceAccountIamMember(this, 'WorkloadIdentityUser', {
      serviceAccountId: this.account.name,
      role: 'roles/iam.workloadIdentityUser',
      member: identity.kubernetesMember,
      dependsOn: [props.cluster.cluster],
    });
  }

  /** Grants a project role, limited by an IAM condition where the service supports one. */
  public grantProjectRole(scope: Construct, id: string, role: string, condition?: ProjectIamMemberCondition): ProjectIamMember {
    return new ProjectIamMember(scope, id, { project: this.identity.project, role, member: this.member, condition });
  }
}
