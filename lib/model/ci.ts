import { type Checks } from './checks';
import { type CiConfig } from './config';
import { isHttpUrl } from './http-url';

/** GitHub Actions' OIDC issuer. */
export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';

/** CI's Workload Identity Federation, with defaults applied: what the bootstrap stack creates. */
export interface CiSettings {
  /** The project of the pool and of CI's service accounts: the state's. */
  readonly project: string;
  readonly poolId: string;
  readonly providerId: string;
  readonly issuerUri: string;
  readonly platformRepository: string;
  readonly imageRepositories: readonly string[];
  /**
   * The provider's attribute condition (CEL): only tokens of these repositories (and refs) are
   * accepted at all; each service account then trusts only its own repositories.
   */
  readonly attributeCondition: string;
  /** Claims kept as attributes: `attribute.repository` names the principal sets. */
  readonly attributeMapping: Readonly<Record<string, string>>;
  /** The account that pushes images (roles/artifactregistry.writer on the repository alone). */
  readonly pusherAccountId: string;
  /** The account that runs `tofu plan` and `apply`. */
  readonly runnerAccountId: string;
}

const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

export function resolveCi(config: CiConfig | undefined, platform: string, project: string, checks: Checks): CiSettings | undefined {
  if (config === undefined) return undefined;
  const issuerUri = config.issuerUri ?? GITHUB_ACTIONS_ISSUER;
  checks.require(isHttpUrl(issuerUri) && issuerUri.startsWith('https://'), 'ci.issuerUri', issuerUri, 'is not an https URL', `use the CI's OIDC issuer, such as ${GITHUB_ACTIONS_ISSUER}`);
  const imageRepositories = config.imageRepositories ?? [config.platformRepository];
  for (const [field, repo] of [['ci.platformRepository', config.platformRepository], ...imageRepositories.map((r, i) => [`ci.imageRepositories[${i}]`, r])] as const) {
    checks.require(REPOSITORY.test(repo), field, repo, 'is not a repository as owner/name', 'write it as the token\'s repository claim, such as "example/shop-platform"');
  }
  checks.require(imageRepositories.length > 0, 'ci.imageRepositories', [], 'is empty', 'leave it unset for the platform repository, or list the repositories that push images');
  const refs = config.refs ?? [];
  refs.forEach((r, i) => checks.require(/^refs\/[A-Za-z0-9_./-]+$/.test(r), `ci.refs[${i}]`, r, 'is not a git ref', 'write it like refs/heads/main'));
  const poolId = config.poolId ?? `${platform}-ci`;
  checks.require(/^[a-z0-9-]{4,32}$/.test(poolId) && !poolId.startsWith('gcp-'), 'ci.poolId', poolId,
    'is not 4 to 32 lower-case letters, digits and "-" (nor starts with "gcp-")', 'give a short id such as "shop-ci"');
  const pusherAccountId = `${platform}-ci-images`;
  const runnerAccountId = `${platform}-ci-tofu`;
  checks.require(pusherAccountId.length <= 30, 'name', platform, `makes CI's service account id "${pusherAccountId}" longer than 30 characters`,
    'shorten the platform name to at most 20 characters');
  const repositories = [...new Set([config.platformRepository, ...imageRepositories])].sort();
  const list = (values: readonly string[]): string => `[${values.map((v) => `'${v}'`).join(', ')}]`;
  const attributeCondition = [`assertion.repository in ${list(repositories)}`, ...(refs.length > 0 ? [`assertion.ref in ${list(refs)}`] : [])].join(' && ');
  return {
    project,
    poolId,
    providerId: 'oidc',
    issuerUri,
    platformRepository: config.platformRepository,
    imageRepositories,
    attributeCondition,
    attributeMapping: { 'google.subject': 'assertion.sub', 'attribute.repository': 'assertion.repository', 'attribute.ref': 'assertion.ref' },
    pusherAccountId,
    runnerAccountId,
  };
}
