// applyRollback as a pure transition on the fixture platform.
import { applyRollback, canaryPolicy, configVersion } from '../../lib/gitops/release-state';
import { definePlatform } from '../../lib/model/platform';
import { type EnvReleaseConfig, type ReleasesConfig } from '../../lib/model/releases';
import { platformConfig } from '../fixtures/shop/platform';

const platform = definePlatform(platformConfig);
const canary = canaryPolicy(platform);
const DIGEST = `sha256:${'ef'.repeat(32)}`;
const OLD_CONFIG = 'aaaaaaaaaaaaaaaa';
const released = (tag: string) => ({ action: 'release' as const, tag, tagTime: '2024-04-01T00:00:00Z', releaseCommit: `commit-of-${tag}`, sourceCommit: 's' });
const current: ReleasesConfig = {
  environments: {
    dev: { tag: 'v1.1.0', provenance: released('v1.1.0') },
    stage: { tag: 'v1.1.0' },
    canary: { tag: 'v1.1.0', canaryWeight: 50 },
    prod: { tag: 'v1.1.0', provenance: released('v1.1.0') },
  },
};
const web = platform.apps.find((a) => a.name === 'web');
const earlier: EnvReleaseConfig = {
  tag: 'v1.0.0',
  provenance: released('v1.0.0'),
  apps: { web: { tag: 'v1.0.1', digest: DIGEST, configVersion: OLD_CONFIG, provenance: released('v1.0.1') }, gone: { tag: 'v0.1.0' } },
};
const rollback = (env: string, entry: EnvReleaseConfig = earlier) =>
  applyRollback(platform, current, { env, entry, restoreCommit: 'c'.repeat(40), replacedTag: 'v1.1.0', replacedCommit: 'd'.repeat(40), sourceCommit: 'src' }, canary);

test('restores tags and digests with rollback provenance, drops apps the config lost, and warns on config', () => {
  const t = rollback('prod');
  const prod = t.releases.environments.prod;
  expect(prod.tag).toBe('v1.0.0');
  expect(prod.provenance).toEqual({
    action: 'rollback',
    tag: 'v1.0.0',
    tagTime: '2024-04-01T00:00:00Z',
    releaseCommit: 'commit-of-v1.0.0',
    sourceCommit: 'src',
    restoredCommit: 'c'.repeat(40),
    replacedTag: 'v1.1.0',
    replacedCommit: 'd'.repeat(40),
  });
  expect(Object.keys(prod.apps ?? {})).toEqual(['web']);
  expect(prod.apps?.web).toMatchObject({ tag: 'v1.0.1', digest: DIGEST, provenance: { action: 'rollback', tag: 'v1.0.1', releaseCommit: 'commit-of-v1.0.1' } });
  expect(t.warnings).toEqual([expect.stringMatching(new RegExp(`^app "web": its config changed since the release restored in prod \\(config version ${OLD_CONFIG}, now ${web ? configVersion(web) : ''}\\)`))]);
});

test('a rollback of production returns the canary to 0; of the canary, starts it at its first weight', () => {
  expect(rollback('prod').releases.environments.canary.canaryWeight).toBe(0);
  expect(rollback('prod').canaryWeight).toEqual({ from: 50, to: 0 });
  expect(rollback('dev').releases.environments.canary.canaryWeight).toBe(50);
  expect(rollback('canary').releases.environments.canary.canaryWeight).toBe(canary.steps[0]);
});

test('restoring what the environment runs changes nothing', () => {
  const t = rollback('stage', { tag: 'v1.1.0' });
  expect(t.changed).toBe(false);
  expect(t.releases).toBe(current);
});
