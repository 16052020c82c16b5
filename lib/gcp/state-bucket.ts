import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { Construct } from 'constructs';

/** Props of {@link StateBucket}. */
export interface StateBucketProps {
  readonly project: string;
  /** Globally unique bucket name. */
  readonly name: string;
  /** A region or multi-region such as `EU`. */
  readonly location: string;
}

/**
 * The GCS bucket that holds OpenTofu state: versioned, private and never force-destroyed.
 * @see https://opentofu.org/docs/language/settings/backends/gcs/
 */
export class StateBucket extends Construct {
  public readonly bucket: StorageBucket;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    this.bucket = new StorageBucket(this, 'Bucket', {
      project: props.project,
      name: props.name,
      location: props.location,
      versioning: { enabled: true },
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      forceDestroy: false,
    });
  }
}
