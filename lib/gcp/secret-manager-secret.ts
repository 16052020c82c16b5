import { SecretManagerSecret } from '@cdktf/provider-google/lib/secret-manager-secret';
import { SecretManagerSecretIamMember } from '@cdktf/provider-google/lib/secret-manager-secret-iam-member';
import { Construct } from 'constructs';
import { type WorkloadServiceAccount } from './workload-service-account';

/** Props of {@link PlatformSecret}. */
export interface PlatformSecretProps {
  readonly project: string;
  /** The secret's id, derived in the model (`gcpNaming.secretId`). */
  readonly secretId: string;
  /** @default - no labels */
  readonly labels?: Readonly<Record<string, string>>;
}

/**
 * A Secret Manager secret with automatic replication and no version: its value never enters the
 * Terraform state. People add versions with `gcloud secrets versions add`. Nobody reads it until
 * {@link grantAccess} names a reader, on this secret alone.
 * @see https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/secret_manager_secret
 * @see https://cloud.google.com/sdk/gcloud/reference/secrets/versions/add
 */
export class PlatformSecret extends Construct {
  public readonly secret: SecretManagerSecret;
  private readonly project: string;

  constructor(scope: Construct, id: string, props: PlatformSecretProps) {
    super(scope, id);
    this.project = props.project;
    this.secret = new SecretManagerSecret(this, 'Resource', {
      project: props.project,
      secretId: props.secretId,
      replication: { auto: {} },
      labels: props.labels ? { ...props.labels } : undefined,
    });
  }

  /** `roles/secretmanager.secretAccessor` on this secret only, for one account. */
  public grantAccess(account: WorkloadServiceAccount): SecretManagerSecretIamMember {
    return new SecretManagerSecretIamMember(this, `Accessor-${account.identity.accountId}`, {
      project: this.project,
      secretId: this.secret.secretId,
      role: 'roles/secretmanager.secretAccessor',
      member: account.member,
    });
  }
}
