import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { GcsBackend, LocalBackend, TerraformOutput } from 'cdktf';
import { type Construct } from 'constructs';
import { ArtifactRepository } from '../lib/gcp/artifact-repository';
import { CiIdentity } from '../lib/gcp/ci-identity';
import { enableProjectApis, stackResources } from '../lib/gcp/project-apis';
import { type CiSettings } from '../lib/model/ci';
import { rolesFor } from '../lib/model/gcp-services';
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
  /**
   * CI's Workload Identity Federation and accounts.
   * @default - none
   */
  readonly ci?: CiSettings;
  /**
   * The resources the other stacks declare, by type and project: CI's runner is granted the roles
   * that manage them (`rolesFor`), on those projects alone.
   * @default - none
   */
  readonly managedResources?: readonly { readonly type: string; readonly project: string }[];
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
    const repository = new ArtifactRepository(this, 'Registry', {
      project: registry.project,
      region: registry.region,
      repositoryId: registry.repository,
      keepReleases: registry.keepReleases,
      keepTags: props.releaseTags,
    });

    const ownProjects = [...new Set([state.project, registry.project])];
    if (props.ci) {
      const ci = new CiIdentity(this, 'Ci', { ci: props.ci, registry, stateBucket: state.bucket, after: [stateBucket.bucket, repository.repository] });
      // Every type this stack declares, counting the grants and API enablements still to come.
      const own = stackResources(this, state.project).map((r) => ({ type: r.type, project: r.project }));
      const extra = ownProjects.flatMap((project) => ['google_project_iam_member', 'google_project_service', 'google_project_iam_custom_role'].map((type) => ({ type, project })));
      const byProject = new Map<string, Set<string>>();
      for (const { type, project } of [...own, ...extra, ...(props.managedResources ?? [])]) {
        byProject.set(project, (byProject.get(project) ?? new Set()).add(type));
      }
      for (const [project, types] of [...byProject].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        for (const role of rolesFor(types)) ci.grantRunner(project, role);
      }
      new TerraformOutput(this, 'ci_workload_identity_provider', {
        value: ci.provider.name,
        description: 'The provider CI authenticates through: workload_identity_provider of google-github-actions/auth',
      });
      new TerraformOutput(this, 'ci_service_accounts', {
        value: { images: ci.pusher.email, tofu: ci.runner.email },
        description: 'The account CI pushes images as, and the one it runs tofu as',
      });
    }
    new TerraformOutput(this, 'state_bucket', { value: stateBucket.bucket.name, description: 'The bucket every stack keeps its state in' });
    new TerraformOutput(this, 'registry', {
      value: ImageRef.repositoryPath(registry),
      description: 'Where CI pushes images: REGION-docker.pkg.dev/PROJECT/REPOSITORY',
    });
    // Last, so that it sees every resource of the stack. CI's grants and custom roles sit in the
    // cluster projects too, and this stack is applied first, so it enables their APIs there as well.
    enableProjectApis(this, state.project, [...new Set(stackResources(this, state.project).map((r) => r.project))]);
  }
}
