// Promotions of the fixture platform, run in-process through runPromote: the same transaction the
// CLI runs, on a platform of the tests' own. The CLI process itself is tested in test/cli/release.test.ts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type PromoteCommandOptions, runPromote } from '../../cli/promote-command';
import { type ManifestIndex } from '../../lib/engine/manifest-index';
import { type GitOpsRunResult } from '../../lib/pipeline/release-transaction';
import { cliText } from '../helpers';
import {
  copyRepo,
  failed,
  FIXTURE_RUN,
  gitopsRepo,
  type GitOpsRepo,
  imageOf,
  lastMessage,
  type Outcome,
  outcome,
  readJson,
  releases,
  type ReleasesJson,
  removeTempDirs,
  type RepoSnapshot,
  snapshot,
  splitMessage,
  succeeded,
} from './fixtures';

afterAll(removeTempDirs);

const DIGEST = `sha256:${'ab'.repeat(32)}`;
/** A config version no current config hashes to, so promoting it warns. */
const OLD_CONFIG = 'aaaaaaaaaaaaaaaa';
const STAGE_RELEASE = {
  action: 'release',
  tag: 'v1.4.0',
  tagTime: '2024-04-01T09:00:00Z',
  releaseCommit: 'commit-of-v1.4.0',
  sourceCommit: 'commit-of-v1.4.0',
};

/**
 * The GitOps repository's state before each promotion, committed by hand: dev runs v1.5.0 and
 * web's v1.5.1 by digest, stage v1.4.0 from a release, canary the previous release at 50%.
 */
const state = releases({ dev: 'v1.5.0', stage: 'v1.4.0', canary: 'v1.3.2', prod: 'v1.3.1' }, (r) => {
  r.environments.dev.apps = { web: { tag: 'v1.5.1', digest: DIGEST, configVersion: OLD_CONFIG } };
  r.environments.stage.provenance = STAGE_RELEASE;
  r.environments.canary.canaryWeight = 50;
});
/** The same, after stage was promoted to canary at 10%. */
const canaryRuns = releases({ dev: 'v1.5.0', stage: 'v1.4.0', canary: 'v1.4.0', prod: 'v1.3.1' }, (r) => {
  r.environments.stage.provenance = STAGE_RELEASE;
  r.environments.canary.canaryWeight = 10;
});

/** The promotion options of the fixture platform: the sample's config is never read. */
type Options = Omit<PromoteCommandOptions, 'sourceCommit'>;
const promote = (options: Options): Promise<Outcome> => outcome(() => runPromote({ ...FIXTURE_RUN, ...options }));

interface Scenario {
  readonly repo: GitOpsRepo;
  readonly before: RepoSnapshot;
  readonly run: Outcome;
}
const scenarios = new Map<string, Scenario>();

beforeAll(async () => {
  const base = gitopsRepo({ 'releases.json': state });
  const stepping = gitopsRepo({ 'releases.json': canaryRuns });
  const prepare: Record<string, { base: GitOpsRepo; options: Options }> = {
    stageToCanary: { base, options: { from: 'stage', to: 'canary' } },
    devToProd: { base, options: { from: 'dev', to: 'prod' } },
    forced: { base, options: { from: 'dev', to: 'prod', force: true, reason: 'hotfix for incident 42' } },
    oneApp: { base, options: { from: 'dev', app: 'web' } },
    // web has no canary instance: from stage it goes straight to production.
    webToProd: { base, options: { from: 'stage', app: 'web' } },
    step: { base: stepping, options: { from: 'stage', to: 'canary', step: true } },
  };
  for (const [name, p] of Object.entries(prepare)) {
    const repo = copyRepo(p.base);
    const before = snapshot(repo);
    scenarios.set(name, { repo, before, run: await promote({ ...p.options, gitops: repo.checkout }) });
  }
}, 120_000);

const scenario = (name: string): Scenario & { readonly result: GitOpsRunResult } => {
  const found = scenarios.get(name);
  if (found === undefined) throw new Error(`no scenario ${name}`);
  return { ...found, result: succeeded(found.run) };
};
const refused = (name: string): Scenario & { readonly error: Error } => {
  const found = scenarios.get(name);
  if (found === undefined) throw new Error(`no scenario ${name}`);
  return { ...found, error: failed(found.run) };
};
const releasesOf = (repo: GitOpsRepo): ReleasesJson => readJson<ReleasesJson>(path.join(repo.checkout, 'releases.json'));

describe('promotion order', () => {
  test('stage to canary: the exact release moves, with provenance, a commit and the first canary weight', () => {
    const { repo, result } = scenario('stageToCanary');
    expect(result.stdout).toContain(`releases: ${repo.checkout}/releases.json`);
    const canary = releasesOf(repo).environments.canary;
    expect(canary).toEqual({
      tag: 'v1.4.0',
      canaryWeight: 10,
      provenance: { ...STAGE_RELEASE, action: 'promote', from: 'stage', sourceCommit: 'test-commit' },
    });
    // The canary runs only the candidate, inventory-api; production keeps its release.
    expect(imageOf(repo.checkout, 'kubernetes/canary/rollout-inventory-api-canary.yaml')).toMatch(/\/inventory-api:v1\.4\.0$/);
    expect(fs.existsSync(path.join(repo.checkout, 'kubernetes/canary/rollout-web-canary.yaml'))).toBe(false);
    expect(imageOf(repo.checkout, 'kubernetes/prod/rollout-inventory-api.yaml')).toMatch(/\/inventory-api:v1\.3\.1$/);
    expect(imageOf(repo.checkout, 'kubernetes/prod/rollout-web.yaml')).toMatch(/\/web:v1\.3\.1$/);
    const { also, lines } = splitMessage(lastMessage(repo.checkout));
    expect(lines).toEqual([
      'promote v1.4.0 from stage to canary',
      '',
      'Tag: v1.4.0',
      'Apps: all',
      'Canary weight: 50 -> 10',
      'Environments changed: dev, stage, canary, prod',
      'Source commit: test-commit',
    ]);
    expect(also).toMatch(/^Also changed: argocd, .*terraform, releases$/);
  });

  test('the index records what came from where, the source commit and the time of the release tag', () => {
    const { repo } = scenario('stageToCanary');
    const index = readJson<ManifestIndex>(path.join(repo.checkout, 'platform-index.json'));
    // Only the apps the canary runs have a record there.
    expect(index.releases?.filter((r) => r.env === 'canary').map((r) => r.app)).toEqual(['inventory-api']);
    expect(index.releases?.find((r) => r.env === 'canary' && r.app === 'inventory-api')).toEqual({
      env: 'canary',
      app: 'inventory-api',
      image: 'europe-west1-docker.pkg.dev/shop-platform/shop/inventory-api:v1.4.0',
      tag: 'v1.4.0',
      canaryWeight: 10,
      action: 'promote',
      from: 'stage',
      tagTime: '2024-04-01T09:00:00Z',
      releaseCommit: 'commit-of-v1.4.0',
      sourceCommit: 'test-commit',
    });
  });

  test('dev to prod skips two environments and is refused without --force; nothing changes', () => {
    const { repo, error, before } = refused('devToProd');
    expect(error.message).toBe(
      'promoting dev to prod skips stage, canary; fix: promote one environment at a time (--from dev --to stage), or pass --force --reason TEXT',
    );
    expect(snapshot(repo)).toEqual(before);
  });

  test('with --force --reason it goes through, and the reason is recorded in the releases file and the commit', () => {
    const { repo } = scenario('forced');
    const prod = releasesOf(repo).environments.prod;
    expect(prod.tag).toBe('v1.5.0');
    expect(prod.provenance).toEqual({
      action: 'promote',
      from: 'dev',
      tag: 'v1.5.0',
      sourceCommit: 'test-commit',
      reason: 'hotfix for incident 42',
      skipped: ['stage', 'canary'],
    });
    // Production took the release: the canary returns to 0.
    expect(releasesOf(repo).environments.canary.canaryWeight).toBe(0);
    const message = lastMessage(repo.checkout);
    expect(message).toMatch(/^promote v1\.5\.0 from dev to prod\n/);
    expect(message).toContain('\nForced: skips stage, canary; reason: hotfix for incident 42\n');
    expect(message).toContain('\nCanary weight: 50 -> 0\n');
  });

  test.each([
    [{ from: 'canary', to: 'stage' }, 'promotion goes forward, but --from canary --to stage goes back; fix: use --to prod'],
    [{ from: 'prod', to: 'dev' }, 'promotion goes forward, but --from prod --to dev goes back; fix: prod is the last environment; promote from an earlier one'],
    [{ from: 'stage', to: 'stage' }, 'promotion goes forward, but --from stage --to stage is the same environment; fix: use --to canary or prod'],
    [{ from: 'prod' }, '--from prod is the last environment, so there is nothing after it; fix: promote from an earlier one'],
    [{ from: 'qa' }, 'unknown environment "qa" in --from; fix: use one of dev, stage, canary, prod'],
    [{}, 'promote needs the environment to promote from; fix: add --from ENV, such as --from stage'],
    [{ from: 'dev', to: 'canary', force: true }, '--force needs a reason, which is recorded; fix: add --reason "why the environments or gates are skipped"'],
    [{ from: 'dev', reason: 'why' }, '--reason is only read with --force; fix: add --force, or drop --reason'],
    [{ from: 'dev' }, 'promote needs the GitOps checkout to commit to; fix: add --gitops DIR'],
    // An app's promotion order is the environments it runs in: only inventory-api runs in the canary.
    [{ from: 'stage', to: 'prod', app: 'inventory-api' }, 'promoting stage to prod (inventory-api) skips canary; fix: promote one environment at a time (--from stage --to canary), or pass --force --reason TEXT'],
    [{ from: 'stage', to: 'prod' }, 'promoting stage to prod skips canary; fix: promote one environment at a time (--from stage --to canary), or pass --force --reason TEXT'],
    [{ from: 'stage', to: 'prod', app: 'web' }, 'promote needs the GitOps checkout to commit to; fix: add --gitops DIR'],
    [{ from: 'stage', to: 'canary', app: 'web' }, 'app "web" does not run in canary, which runs only inventory-api; fix: use another --to: web runs in dev, stage, prod'],
    [{ from: 'canary', app: 'worker' }, 'app "worker" does not run in canary, which runs only inventory-api; fix: use another --from: worker runs in dev, stage, prod'],
    [{ from: 'dev', app: 'billing' }, 'unknown app "billing" in --app; fix: use one of inventory-api, web, worker, admin'],
  ])('%j is refused before anything is read: %s', async (options, message) => {
    expect(cliText(failed(await promote(options)))).toBe(message);
  });
});

describe('what moves', () => {
  test('--app copies one app\'s exact release: tag, digest and config version; the others stay', () => {
    const { repo, result } = scenario('oneApp');
    const stage = releasesOf(repo).environments.stage;
    expect(stage.tag).toBe('v1.4.0');
    expect(stage.provenance).toEqual(STAGE_RELEASE);
    expect(stage.apps?.web).toEqual({
      tag: 'v1.5.1',
      digest: DIGEST,
      configVersion: OLD_CONFIG,
      provenance: { action: 'promote', from: 'dev', tag: 'v1.5.1', sourceCommit: 'test-commit' },
    });
    expect(imageOf(repo.checkout, 'kubernetes/stage/deployment-web.yaml')).toBe(`europe-west1-docker.pkg.dev/shop-platform/shop/web:v1.5.1@${DIGEST}`);
    expect(imageOf(repo.checkout, 'kubernetes/stage/deployment-worker.yaml')).toMatch(/\/worker:v1\.4\.0$/);
    expect(lastMessage(repo.checkout)).toMatch(/^promote v1\.5\.1 from dev to stage \(web\)\n/);
    // The config validated in dev differs from today's: the promotion says so.
    expect(result.stderr[0]).toMatch(new RegExp(`^warning: app "web": its config changed since the release was validated in dev \\(config version ${OLD_CONFIG}, now [0-9a-f]{16}\\)`));
  });

  test('--app of an app with no canary goes from stage to production, and leaves the live canary at its weight', () => {
    const { repo } = scenario('webToProd');
    const state = releasesOf(repo).environments;
    expect(state.prod.tag).toBe('v1.3.1');
    expect(state.prod.apps?.web).toMatchObject({ tag: 'v1.4.0', provenance: { action: 'promote', from: 'stage', tag: 'v1.4.0' } });
    expect(state.prod.apps?.web.provenance?.skipped).toBeUndefined();
    expect(imageOf(repo.checkout, 'kubernetes/prod/rollout-web.yaml')).toMatch(/\/web:v1\.4\.0$/);
    // inventory-api's candidate (v1.3.2 beside production's v1.3.1) still takes its share.
    expect(state.canary.canaryWeight).toBe(50);
    expect(fs.readFileSync(path.join(repo.checkout, 'kubernetes/prod/virtualservice-inventory-api.yaml'), 'utf8')).toMatch(/subset: canary\n\s+weight: 50\n/);
    const message = lastMessage(repo.checkout);
    expect(message).toMatch(/^promote v1\.4\.0 from stage to prod \(web\)\n/);
    expect(message).not.toContain('Canary weight');
  });

  test('--step moves a canary that runs the release to its next weight', () => {
    const { repo, result } = scenario('step');
    expect(releasesOf(repo).environments.canary.canaryWeight).toBe(25);
    expect(releasesOf(repo).environments.canary.tag).toBe('v1.4.0');
    expect(result.stdout).toContainEqual(expect.stringMatching(/^step canary to 25% \(v1\.4\.0\): committed [0-9a-f]{12} in /));
    expect(lastMessage(repo.checkout)).toContain('\nCanary weight: 10 -> 25\n');
  });
});
