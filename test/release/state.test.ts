import { platformConfig } from '../fixtures/shop/platform';
import {
  applyPromotion,
  applyRelease,
  appsIn,
  canaryPolicy,
  configVersion,
  promotionRoute,
  reconcileReleases,
  releaseRecords,
  releasesFile,
} from '../../lib/gitops/release-state';
import { definePlatform, type Platform } from '../../lib/model/platform';
import { DEFAULT_STEP_WEIGHTS } from '../../lib/model/delivery';
import { checkReleases, effectiveRelease, formatReleases, parseReleases, parseReleasesText, type ReleasesConfig } from '../../lib/model/releases';
import { cliMessage } from '../helpers';

const seed: ReleasesConfig = {
  environments: { dev: { tag: 'v1.5.0' }, stage: { tag: 'v1.4.0' }, canary: { tag: 'v1.3.2' }, prod: { tag: 'v1.3.1' } },
};
const platformOf = (releases: ReleasesConfig): Platform => definePlatform({ ...platformConfig, releases });
const platform = platformOf(seed);
const canary = canaryPolicy(platform);
const TIME = '2024-05-01T10:00:00Z';
const DIGEST = `sha256:${'cd'.repeat(32)}`;
const release = (releases: ReleasesConfig, env: string, tag: string, app?: string, digest?: string) =>
  applyRelease(platform, releases, { env, tag, app, digest, tagTime: TIME, sourceCommit: 'src' }, canary);
const promote = (releases: ReleasesConfig, from: string, to: string, extra: { app?: string; step?: boolean } = {}) =>
  applyPromotion(platform, releases, { from, to, app: extra.app, step: extra.step ?? false, sourceCommit: 'src2' }, canary);

describe('the canary environment', () => {
  test('is the one with canary settings; its steps start at its configured weight', () => {
    expect(canary).toEqual({
      env: 'canary', production: 'prod', steps: [10, 25, 50, 75, 100],
      capacity: { app: 'inventory-api', candidateReplicas: 10, productionReplicas: 10, maxWeight: 100 },
    });
    expect(DEFAULT_STEP_WEIGHTS).toEqual([10, 25, 50, 75, 100]);
  });

  test('a configured weight of 5 is the first step, before the default ones', () => {
    const environments = platformConfig.environments.map((e) => (e.canary ? { ...e, canary: { ...e.canary, weight: 5 } } : e));
    expect(canaryPolicy(definePlatform({ ...platformConfig, environments, releases: seed })).steps).toEqual([5, 10, 25, 50, 75, 100]);
  });

  test('a platform without one has no canary weights', () => {
    const environments = platformConfig.environments.filter((e) => e.name !== 'canary');
    const apps = platformConfig.apps.map((a) => ({ ...a, delivery: a.delivery && { ...a.delivery, canaryEnvironment: undefined } }));
    const { canary: _dropped, ...releases } = seed.environments;
    const policy = canaryPolicy(definePlatform({ ...platformConfig, environments, apps, releases: { environments: releases } }));
    expect(policy.env).toBeUndefined();
    expect(policy.production).toBe('prod');
  });

  test('runs only the candidates: an app without one goes from stage straight to production', () => {
    expect(appsIn(platform, 'canary')).toEqual(['inventory-api']);
    expect(appsIn(platform, 'prod')).toEqual(['inventory-api', 'web', 'worker', 'admin']);
    expect(promotionRoute(platform, 'inventory-api')).toEqual(['dev', 'stage', 'canary', 'prod']);
    expect(promotionRoute(platform, 'web')).toEqual(['dev', 'stage', 'prod']);
    expect(promotionRoute(platform)).toEqual(['dev', 'stage', 'canary', 'prod']);
  });
});

describe('applyRelease', () => {
  test('sets the environment\'s tag, provenance and each app\'s config version; the others stay', () => {
    const { releases, changed } = release(seed, 'dev', 'v1.6.0');
    expect(changed).toBe(true);
    const web = platform.apps.find((a) => a.name === 'web');
    expect(releases.environments.dev).toEqual({
      tag: 'v1.6.0',
      provenance: { action: 'release', tag: 'v1.6.0', tagTime: TIME, releaseCommit: 'src', sourceCommit: 'src' },
      apps: expect.objectContaining({ web: { configVersion: web && configVersion(web) } }),
    });
    expect(releases.environments.stage).toBe(seed.environments.stage);
  });

  test('is idempotent: the tag an environment already runs changes nothing', () => {
    const once = release(seed, 'dev', 'v1.6.0').releases;
    expect(release(once, 'dev', 'v1.6.0')).toEqual({ releases: once, changed: false, warnings: [] });
  });

  test('--app with --digest pins one app by digest', () => {
    const { releases } = release(seed, 'dev', 'v1.6.1', 'web', DIGEST);
    expect(releases.environments.dev.tag).toBe('v1.5.0');
    expect(releases.environments.dev.apps?.web).toMatchObject({ tag: 'v1.6.1', digest: DIGEST, provenance: { action: 'release' } });
    const image = platformOf(releases).instances(platform.environment('dev') ?? platform.environments[0]).find((i) => i.app.name === 'web')?.image;
    expect(image?.toString()).toBe(`europe-west1-docker.pkg.dev/shop-platform/shop/web:v1.6.1@${DIGEST}`);
  });

  test('into the canary it starts the first weight; into production it returns the canary to 0', () => {
    const intoCanary = release(seed, 'canary', 'v1.6.0');
    expect(intoCanary.releases.environments.canary.canaryWeight).toBe(10);
    expect(intoCanary.canaryWeight).toEqual({ from: 0, to: 10 });
    const intoProd = release(intoCanary.releases, 'prod', 'v1.6.0');
    expect(intoProd.releases.environments.canary.canaryWeight).toBe(0);
  });

  test('an unknown --app is refused', () => {
    expect(cliMessage(() => release(seed, 'dev', 'v1.6.0', 'billing'))).toContain('unknown app "billing" in --app; fix: use one of inventory-api, web, worker, admin');
  });

  test('--app naming an app the environment does not run is refused', () => {
    expect(cliMessage(() => release(seed, 'canary', 'v1.6.0', 'web'))).toContain(
      'app "web" does not run in canary, which runs only inventory-api; fix: use another --env: web runs in dev, stage, prod',
    );
  });

  test('a release of an app without a canary into production leaves a live canary at its weight', () => {
    const live: ReleasesConfig = { environments: { ...seed.environments, canary: { tag: 'v1.4.0', canaryWeight: 50 } } };
    const web = release(live, 'prod', 'v1.4.1', 'web');
    expect(web.changed).toBe(true);
    expect(web.releases.environments.canary.canaryWeight).toBe(50);
    expect(web.canaryWeight).toBeUndefined();
    // Production taking the candidate's app ends the canary.
    expect(release(live, 'prod', 'v1.4.1', 'inventory-api').releases.environments.canary.canaryWeight).toBe(0);
  });
});

describe('applyPromotion', () => {
  const released = release(release(seed, 'dev', 'v1.6.0').releases, 'dev', 'v1.6.1', 'web', DIGEST).releases;

  test('copies the exact release of every app, with provenance taken from the release', () => {
    const { releases } = promote(released, 'dev', 'stage');
    const stage = releases.environments.stage;
    expect(stage.tag).toBe('v1.6.0');
    expect(stage.provenance).toEqual({ action: 'promote', from: 'dev', tag: 'v1.6.0', tagTime: TIME, releaseCommit: 'src', sourceCommit: 'src2' });
    expect(stage.apps?.web).toEqual({
      tag: 'v1.6.1',
      digest: DIGEST,
      configVersion: released.environments.dev.apps?.web.configVersion,
      provenance: { action: 'promote', from: 'dev', tag: 'v1.6.1', tagTime: TIME, releaseCommit: 'src', sourceCommit: 'src2' },
    });
    expect(stage.apps?.worker).toEqual(released.environments.dev.apps?.worker);
  });

  test('promoting a release that is already there changes nothing', () => {
    const once = promote(released, 'dev', 'stage').releases;
    expect(promote(once, 'dev', 'stage').changed).toBe(false);
  });

  test('--step moves the canary through its weights, then stops at the last', () => {
    let state = promote(promote(released, 'dev', 'stage').releases, 'stage', 'canary').releases;
    const weights = [state.environments.canary.canaryWeight];
    for (let i = 0; i < 4; i++) {
      state = promote(state, 'stage', 'canary', { step: true }).releases;
      weights.push(state.environments.canary.canaryWeight);
    }
    expect(weights).toEqual([10, 25, 50, 75, 100]);
    expect(cliMessage(() => promote(state, 'stage', 'canary', { step: true }))).toContain(
      'the canary canary is at its last weight (100); fix: promote --from canary --to prod',
    );
    const prod = promote(state, 'canary', 'prod');
    expect(prod.releases.environments.prod.tag).toBe('v1.6.0');
    expect(prod.releases.environments.canary.canaryWeight).toBe(0);
    expect(prod.canaryWeight).toEqual({ from: 100, to: 0 });
  });

  test('--step never gives the candidates more traffic than their pods can carry, and says which app limits it', () => {
    // With the default replicas (one, no autoscaler) a candidate carries 1/10 of production's ten pods at peak.
    const config = { ...platformConfig, environments: platformConfig.environments.map((e) => (e.canary ? { ...e, replicas: { replicas: 1 } } : e)) };
    const small = definePlatform({ ...config, releases: seed });
    const policy = canaryPolicy(small);
    expect(policy.capacity).toEqual({ app: 'inventory-api', candidateReplicas: 1, productionReplicas: 10, maxWeight: 10 });
    const step = (releases: ReleasesConfig) => applyPromotion(small, releases, { from: 'stage', to: 'canary', step: true, sourceCommit: 's' }, policy);
    const live = applyPromotion(small, promote(released, 'dev', 'stage').releases, { from: 'stage', to: 'canary', step: false, sourceCommit: 's' }, policy).releases;
    expect(live.environments.canary.canaryWeight).toBe(10);
    expect(cliMessage(() => step(live))).toBe(
      "--step would give the candidates in canary 25% of production's traffic, but \"inventory-api\"'s candidate runs at most 1 replica(s) beside production's 10, so it can carry at most 10% (now 10%); " +
        'fix: let it scale to at least 3 replicas (replicas.maxReplicas of environment canary, or the app\'s override), or promote --from canary --to prod',
    );
    // A configured weight above the capacity is a config error, naming the app and the fix.
    const heavy = { ...config, environments: config.environments.map((e) => (e.canary ? { ...e, canary: { ...e.canary, weight: 20 } } : e)) };
    expect(() => definePlatform({ ...heavy, releases: seed })).toThrow(
      'env "canary", field "canary.weight": value 20 is above what the candidates can carry: "inventory-api"\'s candidate runs at most 1 replica(s) beside production\'s 10, so it can carry at most 10%',
    );
    // So is a release state above it, as after a change of replicas.
    expect(() => definePlatform({ ...config, releases: { environments: { ...seed.environments, canary: { tag: 'v1.3.2', canaryWeight: 50 } } } })).toThrow(
      'field "releases.json:environments.canary.canaryWeight": value 50 is above what the candidates can carry',
    );
  });

  test('--step is refused when the canary runs another release, or outside the canary', () => {
    // Only the candidates run in the canary, so only theirs are compared.
    expect(cliMessage(() => promote(released, 'stage', 'canary', { step: true }))).toContain(
      "--step moves a canary that runs stage's release, but canary runs another release of inventory-api; fix: promote --from stage --to canary without --step first",
    );
    expect(cliMessage(() => promote(released, 'dev', 'stage', { step: true }))).toContain('--step moves the canary, but --to stage is not the canary environment; fix: use --to canary, or drop --step');
    expect(() => promote(released, 'stage', 'canary', { step: true, app: 'web' })).toThrow('app "web" does not run in canary');
  });

  test('--step is not held up by an app that does not run in the canary', () => {
    const live = promote(promote(released, 'dev', 'stage').releases, 'stage', 'canary').releases;
    // stage moves on for web alone: the canary's candidate still runs stage's release.
    const webMoved = release(live, 'stage', 'v1.6.2', 'web').releases;
    expect(promote(webMoved, 'stage', 'canary', { step: true }).releases.environments.canary.canaryWeight).toBe(25);
  });

  test('an app the canary does not run rides along with the release: promoting it alone into or out of the canary is refused', () => {
    const live = promote(promote(released, 'dev', 'stage').releases, 'stage', 'canary').releases;
    expect(live.environments.canary.tag).toBe('v1.6.0');
    expect(cliMessage(() => promote(live, 'stage', 'canary', { app: 'web' }))).toContain(
      'app "web" does not run in canary, which runs only inventory-api; fix: use another --to: web runs in dev, stage, prod',
    );
    expect(cliMessage(() => promote(live, 'canary', 'prod', { app: 'worker' }))).toContain(
      'app "worker" does not run in canary, which runs only inventory-api; fix: use another --from: worker runs in dev, stage, prod',
    );
    // The whole release moves on to production, the apps that rode along included.
    const prod = promote(live, 'canary', 'prod').releases.environments.prod;
    expect(platform.apps.map((a) => effectiveRelease(prod, a.name).tag)).toEqual(['v1.6.0', 'v1.6.1', 'v1.6.0', 'v1.6.0']);
    expect(effectiveRelease(prod, 'web').digest).toBe(DIGEST);
  });

  test('only a candidate moves the canary weight: a promotion that changes only the apps riding along keeps it', () => {
    const live = promote(promote(released, 'dev', 'stage').releases, 'stage', 'canary').releases;
    const stepped = promote(live, 'stage', 'canary', { step: true }).releases;
    expect(stepped.environments.canary.canaryWeight).toBe(25);
    const webMoved = release(stepped, 'stage', 'v1.6.2', 'web').releases;
    const ride = promote(webMoved, 'stage', 'canary');
    expect(ride.changed).toBe(true);
    expect(effectiveRelease(ride.releases.environments.canary, 'web').tag).toBe('v1.6.2');
    expect(ride.releases.environments.canary.canaryWeight).toBe(25);
    expect(ride.canaryWeight).toBeUndefined();
    // web straight from stage to production is not a skip, and the live canary keeps its weight.
    const web = promote(webMoved, 'stage', 'prod', { app: 'web' });
    expect(effectiveRelease(web.releases.environments.prod, 'web').tag).toBe('v1.6.2');
    expect(web.releases.environments.canary.canaryWeight).toBe(25);
  });
});

describe('the releases file', () => {
  test('is written in promotion order and reads back as it was', () => {
    const state = promote(release(seed, 'dev', 'v1.6.0').releases, 'dev', 'stage').releases;
    const file = releasesFile(platform, state);
    expect(file).toMatchObject({ path: 'releases.json', scope: 'releases' });
    expect(Object.keys(JSON.parse(file.content).environments)).toEqual(['dev', 'stage', 'canary', 'prod']);
    expect(parseReleases(JSON.parse(file.content))).toEqual(JSON.parse(JSON.stringify(state)));
    expect(formatReleases(parseReleases(JSON.parse(file.content)), ['dev', 'stage', 'canary', 'prod'], platform.apps.map((a) => a.name))).toBe(file.content);
  });

  test.each([
    [{ canary: { tag: 'v1.0.0', canaryWeight: 101 } }, /field "f:environments\.canary\.canaryWeight": value 101 is invalid .*fix: use an integer from 0 to 100/],
    [{ canary: { tag: 'v1.0.0', canaryWeight: 12.5 } }, /value 12\.5 is invalid/],
    [{ dev: { tag: 'v1.0.0', apps: { web: { configVersion: 'x' } } } }, /field "f:environments\.dev\.apps\.web\.configVersion"/],
    [{ dev: { tag: 'v1.0.0', provenance: { action: 'copy', tag: 'v1.0.0', sourceCommit: 'a' } } }, /field "f:environments\.dev\.provenance\.action"/],
  ])('a bad value is refused: %j', (environments, message) => {
    expect(() => parseReleases({ environments }, 'f')).toThrow(message);
  });

  test.each([
    [{ ...seed.environments, dev: { tag: 'v1.0.0', canaryWeight: 10 } }, 'env "dev", field "f:environments.dev.canaryWeight": value 10 is set on an environment that is no canary; fix: remove it; only "canary" has a canary weight'],
    [{ dev: { tag: 'v1.0.0' }, stage: { tag: 'v1.0.0' }, canary: { tag: 'v1.0.0' } }, 'env "prod", field "f:environments.prod": value (unset) has no release for environment "prod"; fix: add "prod": { "tag": "v0.1.0" } to f'],
    [{ ...seed.environments, qa: { tag: 'v1.0.0' } }, 'env "qa", field "f:environments": value "qa" is not an environment of the platform'],
    [{ ...seed.environments, dev: { tag: 'v1.0.0', apps: { billing: {} } } }, 'app "billing", env "dev", field "f:environments.dev.apps": value "billing" is not an app of the platform'],
  ])('checkReleases refuses what the platform does not have: %j', (environments, message) => {
    const names = platformConfig.environments.map((e) => e.name);
    expect(() => checkReleases({ environments }, 'f', names, platform.apps.map((a) => a.name), 'canary')).toThrow(message);
  });

  test('is fitted to the config: a new environment comes from the seed; gone environments and apps are dropped', () => {
    const own: ReleasesConfig = {
      environments: {
        dev: { tag: 'v2.0.0', apps: { web: { tag: 'v2.0.1' }, billing: { tag: 'v2.0.0' } } },
        stage: { tag: 'v1.9.0' },
        qa: { tag: 'v1.0.0' },
      },
    };
    const { config, notes } = reconcileReleases(own, seed, ['dev', 'stage', 'canary', 'prod'], ['web']);
    expect(config).toEqual({
      environments: { dev: { tag: 'v2.0.0', apps: { web: { tag: 'v2.0.1' } } }, stage: { tag: 'v1.9.0' }, canary: { tag: 'v1.3.2' }, prod: { tag: 'v1.3.1' } },
    });
    expect(notes).toEqual([
      'dropped billing from dev: the config no longer has it',
      'dropped environment qa: the config no longer has it',
      'seeded environment canary from apps/releases.json',
      'seeded environment prod from apps/releases.json',
    ]);
    expect(reconcileReleases(seed, seed, ['dev', 'stage', 'canary', 'prod'], ['web'])).toEqual({ config: seed, notes: [] });
  });

  test('the index records each app\'s image, release and provenance', () => {
    const state = release(seed, 'dev', 'v1.6.0', 'web', DIGEST).releases;
    const records = releaseRecords(platformOf(state), state);
    // One per app instance: the canary runs only inventory-api.
    expect(records).toHaveLength((platform.environments.length - 1) * platform.apps.length + 1);
    expect(records.filter((r) => r.env === 'canary').map((r) => r.app)).toEqual(['inventory-api']);
    expect(records[0]).toMatchObject({ env: 'dev', app: 'inventory-api', tag: 'v1.5.0' });
    expect(records.find((r) => r.env === 'dev' && r.app === 'web')).toMatchObject({ tag: 'v1.6.0', digest: DIGEST, action: 'release', tagTime: TIME });
  });
});

test('a damaged releases file names how to restore it when the damage is already committed, as in a clean checkout', () => {
  expect(cliMessage(() => parseReleasesText('{"environments": {', 'releases.json'))).toMatch(
    /^config error: field "releases\.json": value \(unset\) cannot be read as JSON \(.*\); fix: restore it from git \(git checkout -- releases\.json; once the damage is committed, git log -p -- releases\.json names the last good commit: git checkout COMMIT -- releases\.json, then commit it\)$/,
  );
});
