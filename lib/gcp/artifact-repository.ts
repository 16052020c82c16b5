import { ArtifactRegistryRepository } from '@cdktf/provider-google/lib/artifact-registry-repository';
import { Construct } from 'constructs';
import { Checks } from '../model/checks';
import { type GcpRegion } from '../model/gcp-region';

/** Props of {@link ArtifactRepository}. */
export interface ArtifactRepositoryProps {
  readonly project: string;
  readonly region: GcpRegion;
  /** The repository id. */
  readonly repositoryId: string;
  /**
   * Newest versions of each image kept, from 3 to 5.
   * @default 5
   */
  readonly keepReleases?: number;
  /**
   * Tags that are kept however old they are: the releases environments run, so a rollout or a
   * rescheduled pod never finds its image gone.
   * @default - none
   */
  readonly keepTags?: readonly string[];
  /**
   * Days an image is kept before a delete policy may remove it, so an image CI has just pushed
   * survives until it is deployed.
   * @default 7
   */
  readonly minimumAgeDays?: number;
}

/**
 * A Docker repository with immutable tags and cleanup policies: keep the newest releases (and the
 * deployed ones), delete older tagged and all untagged images. Keep policies only act next to a
 * delete policy, which is why both are always set.
 * @see https://cloud.google.com/artifact-registry/docs/repositories/cleanup-policy
 */
export class ArtifactRepository extends Construct {
  public readonly repository: ArtifactRegistryRepository;

  constructor(scope: Construct, id: string, props: ArtifactRepositoryProps) {
    super(scope, id);
    const keepReleases = props.keepReleases ?? 5;
    const keepTags = props.keepTags ?? [];
    const minimumAgeDays = props.minimumAgeDays ?? 7;
    const checks: Checks = new Checks();
    checks.intInRange('keepReleases', keepReleases, 3, 5);
    checks.intInRange('minimumAgeDays', minimumAgeDays, 1, 365);
    const olderThan = `${minimumAgeDays * 86_400}s`;

    this.repository = new ArtifactRegistryRepository(this, 'Resource', {
      project: props.project,
      location: props.region,
      repositoryId: props.repositoryId,
      format: 'DOCKER',
      description: 'Images of the platform\'s apps, tagged by release',
      // A release tag always means the same image.
      dockerConfig: { immutableTags: true },
      cleanupPolicyDryRun: false,
      cleanupPolicies: [
        { id: 'keep-newest-releases', action: 'KEEP', mostRecentVersions: { keepCount: keepReleases } },
        ...(keepTags.length === 0
          ? []
          : [{ id: 'keep-deployed-releases', action: 'KEEP', condition: { tagState: 'TAGGED', tagPrefixes: [...keepTags] } }]),
        { id: 'delete-old-tagged', action: 'DELETE', condition: { tagState: 'TAGGED', olderThan } },
        { id: 'delete-untagged', action: 'DELETE', condition: { tagState: 'UNTAGGED', olderThan } },
      ],
    });
  }
}
