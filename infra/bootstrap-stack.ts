import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { LocalBackend, TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { StateBucket } from '../lib/gcp/state-bucket';
import { StateConfig } from '../lib/model/config';
import { PlatformStack } from './platform-stack';
import { pinTofu } from './versions';

/** Props of {@link BootstrapStack}. */
export interface BootstrapStackProps {
  readonly state: StateConfig;
}

/**
 * Creates the state bucket every other stack keeps its state in. It starts with a local backend,
 * since the bucket it would need does not exist yet (docs/opentofu.md shows the migration).
 */
export class BootstrapStack extends PlatformStack {
  constructor(scope: Construct, id: string, props: BootstrapStackProps) {
    super(scope, id);
    pinTofu(this);
    new LocalBackend(this, { path: 'terraform.tfstate' });
    new GoogleProvider(this, 'google', { project: props.state.project });
    const state = new StateBucket(this, 'State', {
      project: props.state.project,
      name: props.state.bucket,
      location: props.state.location,
    });
    new TerraformOutput(this, 'state_bucket', { value: state.bucket.name });
  }
}
