import { PlatformConfig } from '../lib/model/config';
import { definePlatform, Platform } from '../lib/model/platform';
import { parseReleases } from '../lib/model/releases';
import { apps } from './apps';
import { clusters } from './clusters';
import { environments } from './environments';
import releases from './releases.json';

/** The sample platform's config: the tool's embedded default. */
export const platformConfig: PlatformConfig = {
  name: 'shop',
  state: { project: 'shop-platform', bucket: 'shop-platform-tofu-state', location: 'EU' },
  registry: { project: 'shop-platform', region: 'europe-west1', repository: 'shop' },
  gitops: { repoUrl: 'https://git.example.com/platform/shop-gitops.git', revision: 'main' },
  clusters,
  environments,
  apps,
  releases: parseReleases(releases),
  teams: [
    { name: 'inventory', group: 'inventory@shop.example.com' },
    { name: 'storefront', group: 'storefront@shop.example.com' },
    { name: 'backoffice', group: 'backoffice@shop.example.com' },
  ],
  addons: {
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
