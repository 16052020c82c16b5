import * as path from 'node:path';
import { type PlatformConfig } from '../lib/model/config';
import { definePlatform, type Platform } from '../lib/model/platform';
import { readReleasesFile, type ReleasesConfig } from '../lib/model/releases';
import { apps } from './apps';
import { clusters } from './clusters';
import { environments } from './environments';

/**
 * The seed of an output root with no releases file. Resolved from the project's top, so it is the
 * same file from these sources and from the bundle in .build/.
 */
export const SEED_RELEASES = path.resolve(__dirname, '..', 'apps', 'releases.json');

let seed: ReleasesConfig | undefined;

/**
 * The seed, read when first needed rather than bundled: a damaged file is then one config error
 * (exit 2) of the command that reads it, not a crash of every command at start-up.
 */
function seedReleases(): ReleasesConfig {
  seed ??= readReleasesFile(SEED_RELEASES, 'apps/releases.json');
  return seed;
}

/** The sample platform's config: the tool's embedded default. */
export const platformConfig: PlatformConfig = {
  name: 'shop',
  state: { project: 'shop-platform', bucket: 'shop-platform-tofu-state', location: 'EU' },
  registry: { project: 'shop-platform', region: 'europe-west1', repository: 'shop' },
  gitops: { repoUrl: 'https://git.example.com/platform/shop-gitops.git', revision: 'main' },
  clusters,
  environments,
  apps,
  get releases(): ReleasesConfig {
    return seedReleases();
  },
  // Each team's group is a member of this group (docs/capacity-and-access.md).
  rbacSecurityGroup: 'gke-security-groups@shop.example.com',
  teams: [
    { name: 'inventory', group: 'inventory@shop.example.com' },
    { name: 'storefront', group: 'storefront@shop.example.com' },
    { name: 'backoffice', group: 'backoffice@shop.example.com' },
  ],
  // CI (GitHub Actions) reaches Google through Workload Identity Federation (docs/opentofu.md).
  ci: { platformRepository: 'shop-example/shop-platform' },
  addons: {
    acme: { email: 'platform@shop.example.com' },
    alerting: {
      paging: 'pagerduty',
      pagingKeySecret: 'alerting-pagerduty-routing-key',
      slackWebhookSecret: 'alerting-slack-webhook-url',
      slackChannel: '#shop-alerts',
    },
  },
};

/** The validated sample platform. */
export function samplePlatform(): Platform {
  return definePlatform(platformConfig);
}
