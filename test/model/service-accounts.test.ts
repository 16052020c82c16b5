import { platformStacks } from '../../infra/platform-stacks';
import { synthStack } from '../../lib/engine/terraform';
import { type ClusterConfig, type PlatformConfig } from '../../lib/model/config';
import { fixturePlatform } from '../fixtures/shop/platform';
import { withConfig } from '../validate/helpers';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** A second cluster in nonprod's project, on ranges of its own. */
function nonprod2(c: PlatformConfig): ClusterConfig {
  const nonprod = c.clusters.find((k) => k.name === 'nonprod') as ClusterConfig;
  return {
    ...nonprod,
    name: 'nonprod2',
    network: { ...nonprod.network, nodesCidr: '10.30.0.0/20', podsCidr: '10.32.0.0/16', servicesCidr: '10.33.0.0/20',
      controlPlaneCidr: '172.16.0.32/28', privateServicesCidr: '10.34.0.0/20', proxyOnlyCidr: '10.35.0.0/23' },
  };
}

describe('Google service accounts: one owner per id in a project', () => {
  test('cert-manager gets an account per cluster, in Terraform and in the Workload Identity binding', () => {
    const platform = fixturePlatform();
    expect(platform.clusters.map((c) => c.certManagerIdentity.email)).toEqual([
      'cert-manager-nonprod@shop-nonprod.iam.gserviceaccount.com', 'cert-manager-prod@shop-prod.iam.gserviceaccount.com']);
    const stack = platformStacks(platform).find((s) => s.name === 'cluster-prod')!;
    const resources = (JSON.parse(synthStack(stack.stack)) as { resource: Resources }).resource;
    expect(Object.values(resources.google_service_account)).toContainEqual(expect.objectContaining({ account_id: 'cert-manager-prod' }));
  });

  test('two clusters in one project get two cert-manager accounts', () => {
    const platform = withConfig((c) => ({ ...c, clusters: [...c.clusters, nonprod2(c)] }));
    const ids = platform.clusters.filter((c) => c.project === 'shop-nonprod').map((c) => c.certManagerIdentity.accountId);
    expect(ids).toEqual(['cert-manager-nonprod', 'cert-manager-nonprod2']);
  });

  test('a cluster name that makes cert-manager\'s account id longer than 30 characters', () => {
    expect(() => withConfig((c) => ({ ...c, clusters: [...c.clusters, { ...nonprod2(c), name: 'nonprod-secondary-x' }] })))
      .toThrow('field "clusters.nonprod-secondary-x.name": value "nonprod-secondary-x" makes cert-manager\'s Google service account id "cert-manager-nonprod-secondary-x" longer than 30 characters');
  });

  test('one namespace on two clusters of one project would give both secret stores one account', () => {
    expect(() => withConfig((c) => {
      const stage = c.environments.find((e) => e.name === 'stage')!;
      return {
        ...c,
        clusters: [...c.clusters, nonprod2(c)],
        environments: [...c.environments, { ...stage, name: 'stage2', cluster: 'nonprod2' }],
        releases: { ...c.releases, environments: { ...c.releases.environments, stage2: c.releases.environments.stage } },
      };
    })).toThrow('env "stage2", field "namespace": value "shop-stage" makes the Google service account "secrets-shop-stage" in project "shop-nonprod", which the secret store of namespace "shop-stage" on cluster "nonprod" also gets; fix: give the namespace another name on one of the two clusters, or run them in separate projects');
  });
});
