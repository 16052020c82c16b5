import { ArtifactRegistryRepository } from '@cdktf/provider-google/lib/artifact-registry-repository';
import { Testing } from 'cdktf';
import { ArtifactRepository, type ArtifactRepositoryProps } from '../../lib/gcp/artifact-repository';
import { onlyResource } from './fixtures';

const base: ArtifactRepositoryProps = { project: 'shop-platform', region: 'europe-west1', repositoryId: 'shop' };
const synth = (props: Partial<ArtifactRepositoryProps> = {}): string =>
  Testing.synthScope((scope) => {
    new ArtifactRepository(scope, 'Registry', { ...base, ...props });
  });
const policies = (json: string): { id: string; action: string }[] =>
  onlyResource(json, 'google_artifact_registry_repository').cleanup_policies as { id: string; action: string }[];

describe('ArtifactRepository', () => {
  const json = synth();

  test('is a Docker repository with immutable tags, in the given project and region', () => {
    expect(json).toHaveResourceWithProperties(ArtifactRegistryRepository, {
      project: 'shop-platform',
      location: 'europe-west1',
      repository_id: 'shop',
      format: 'DOCKER',
      docker_config: { immutable_tags: true },
    });
  });

  test('keeps the newest 5 versions of each image by default, and enforces its policies', () => {
    expect(json).toHaveResourceWithProperties(ArtifactRegistryRepository, {
      cleanup_policy_dry_run: false,
      cleanup_policies: expect.arrayContaining([{ id: 'keep-newest-releases', action: 'KEEP', most_recent_versions: { keep_count: 5 } }]),
    });
  });

  test('keeps the number of releases it is given', () => {
    expect(synth({ keepReleases: 3 })).toHaveResourceWithProperties(ArtifactRegistryRepository, {
      cleanup_policies: expect.arrayContaining([expect.objectContaining({ most_recent_versions: { keep_count: 3 } })]),
    });
  });

  test('deletes older tagged and untagged images, so the keep policy takes effect', () => {
    expect(json).toHaveResourceWithProperties(ArtifactRegistryRepository, {
      cleanup_policies: expect.arrayContaining([
        { id: 'delete-old-tagged', action: 'DELETE', condition: { tag_state: 'TAGGED', older_than: '604800s' } },
        { id: 'delete-untagged', action: 'DELETE', condition: { tag_state: 'UNTAGGED', older_than: '604800s' } },
      ]),
    });
    const actions = policies(json).map((p) => p.action);
    expect(actions).toContain('KEEP');
    expect(actions).toContain('DELETE');
  });

  test('keeps the tags environments run, however old', () => {
    expect(synth({ keepTags: ['v1.3.1', 'v1.4.0'] })).toHaveResourceWithProperties(ArtifactRegistryRepository, {
      cleanup_policies: expect.arrayContaining([
        { id: 'keep-deployed-releases', action: 'KEEP', condition: { tag_state: 'TAGGED', tag_prefixes: ['v1.3.1', 'v1.4.0'] } },
      ]),
    });
    expect(policies(json).map((p) => p.id)).not.toContain('keep-deployed-releases');
  });

  test.each([2, 6])('fails on a release retention of %p', (keepReleases) => {
    expect(() => synth({ keepReleases })).toThrow(
      `config error: field "keepReleases": value ${keepReleases} is not an integer from 3 to 5; fix: set keepReleases to an integer from 3 to 5`,
    );
  });
});
