import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { GcsBackend, LocalBackend, TerraformOutput } from 'cdktf';
import { type Construct } from 'constructs';
import { ArtifactRepository } from '../lib/gcp/artifact-repository';
import { StateBucket } from '../lib/gcp/state-bucket';
import { type RegistryConfig, type StateConfig } from '../lib/model/config';
import { ImageRef } from '../lib/model/image-ref';
import { PlatformStack } from './platform-stack';
import { pinTofu } from './versions';

/** Props of {@link BootstrapStack}. */
export interface BootstrapStackProps {
  readonly state: StateConfig;
  readonly registry: RegistryConfig;
  /**
   * Release tags some environment runs; the registry's cleanup never deletes them.
   * @default - none
   */
  readonly releaseTags?: readonly string[];
  /** The state prefix in the bucket once the stack's own state moves there. */
  readonly statePrefix: string;
}

/**
 * What every other stack depends on: the state bucket and the image registry. Its state starts
 * local, since the bucket it would need does not exist yet; `state.bootstrapBackend: 'gcs'` moves
 * it into the bucket (docs/opentofu.md shows the migration).
 */
export class BootstrapStack extends PlatformStack {
  constructor(scope: Construct, id: string, props: BootstrapStackProps) {
    super(scope, id);
    const { state, registry } = props;
    pinTofu(this);
    if ((state.bootstrapBackend ?? 'local') === 'gcs') {
      new GcsBackend(this, { bucket: state.bucket, prefix: props.statePrefix });
    } else {
      new LocalBackend(this, { path: 'terraform.tfstate' });
    }
    new GoogleProvider(this, 'google', { project: state.project });

    const stateBucket = new StateBucket(this, 'State', {
      project: state.project,
      name: state.bucket,
      location: state.location,
      keepVersions: state.keepVersions,
      softDeleteDays: state.softDeleteDays,
      kmsKeyName: state.kmsKeyName,
    });
    new ArtifactRepository(this, 'Registry', {
      project: registry.project,
      region: registry.region,
      repositoryId: registry.repository,
      keepReleases: registry.keepReleases,
      keepTags: props.releaseTags,
    });

    new TerraformOutput(this, 'state_bucket', { value: stateBucket.bucket.name, description: 'The bucket every stack keeps its state in' });
    new TerraformOutput(this, 'registry', {
      value: ImageRef.repositoryPath(registry),
      description: 'Where CI pushes images: REGION-docker.pkg.dev/PROJECT/REPOSITORY',
    });
  }
}
