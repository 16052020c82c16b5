import { DataGoogleStorageProjectServiceAccount } from '@cdktf/provider-google/lib/data-google-storage-project-service-account';
import { KmsCryptoKeyIamMember } from '@cdktf/provider-google/lib/kms-crypto-key-iam-member';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { Construct } from 'constructs';
import { Checks } from '../model/checks';

/** Props of {@link StateBucket}. */
export interface StateBucketProps {
  readonly project: string;
  /** Globally unique bucket name. */
  readonly name: string;
  /** A region or multi-region such as `EU`. */
  readonly location: string;
  /**
   * Versions of each object kept, the live one included, from 5 to 10. Older noncurrent
   * versions are deleted by a lifecycle rule.
   * @default 10
   */
  readonly keepVersions?: number;
  /**
   * Days a deleted or overwritten object stays restorable, from 7 to 90.
   * @default 7
   * @see https://cloud.google.com/storage/docs/soft-delete
   */
  readonly softDeleteDays?: number;
  /**
   * A Cloud KMS key that encrypts every object (CMEK). The project's Cloud Storage service agent
   * is given the right to use it.
   * @default - Google-managed encryption
   */
  readonly kmsKeyName?: string;
}

const DAY_SECONDS = 86_400;

/**
 * The GCS bucket that holds OpenTofu state: versioned with a bounded history, private (uniform
 * access, public access prevention enforced), soft-deleted, never force-destroyed.
 * @see https://opentofu.org/docs/language/settings/backends/gcs/
 */
export class StateBucket extends Construct {
  public readonly bucket: StorageBucket;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    const keepVersions = props.keepVersions ?? 10;
    const softDeleteDays = props.softDeleteDays ?? 7;
    const checks: Checks = new Checks();
    checks.intInRange('keepVersions', keepVersions, 5, 10);
    checks.intInRange('softDeleteDays', softDeleteDays, 7, 90);

    let keyUser: KmsCryptoKeyIamMember | undefined;
    if (props.kmsKeyName !== undefined) {
      const agent = new DataGoogleStorageProjectServiceAccount(this, 'ServiceAgent', { project: props.project });
      keyUser = new KmsCryptoKeyIamMember(this, 'KeyUser', {
        cryptoKeyId: props.kmsKeyName,
        role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
        member: agent.member,
      });
    }

    this.bucket = new StorageBucket(this, 'Bucket', {
      project: props.project,
      name: props.name,
      location: props.location,
      versioning: { enabled: true },
      lifecycleRule: [
        {
          action: { type: 'Delete' },
          // A version with `keepVersions` newer versions is beyond the history we keep.
          condition: { numNewerVersions: keepVersions, withState: 'ARCHIVED' },
        },
      ],
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      softDeletePolicy: { retentionDurationSeconds: softDeleteDays * DAY_SECONDS },
      encryption: props.kmsKeyName === undefined ? undefined : { defaultKmsKeyName: props.kmsKeyName },
      forceDestroy: false,
      // The bucket can only use the key once the service agent may.
      dependsOn: keyUser === undefined ? undefined : [keyUser],
    });
  }
}
