import * as fs from 'node:fs';
import { diffPlatform } from '../../cli/diff-command';
import { dirSource } from '../../lib/diff/tree-source';
import { canaryPolicy } from '../../lib/gitops/release-state';
import { type EnvironmentConfig, type PlatformConfig } from '../../lib/model/config';
import { ConfigError } from '../../lib/model/config-error';
import { definePlatform } from '../../lib/model/platform';
import { runSynth } from '../../lib/pipeline/synth-output';
import { platformRules } from '../../lib/validate/platform-rules';
import { platformConfig } from '../fixtures/shop/platform';
import { tempDir } from '../helpers';

/** The fixture with a disaster-recovery environment after production, a copy of prod's settings. */
function withDr(config: PlatformConfig, production: boolean | undefined): PlatformConfig {
  const prod = config.environments.find((e) => e.name === 'prod') as EnvironmentConfig;
  const dr: EnvironmentConfig = { ...prod, name: 'dr', production: undefined, progressiveDelivery: undefined, namespace: 'shop-dr', baseDomain: 'dr.shop.example.com' };
  const environments = [...config.environments.map((e) => (e.name === 'prod' ? { ...e, production } : e)), dr];
  return { ...config, environments, releases: { environments: { ...config.releases.environments, dr: { tag: 'v1.3.1' } } } };
}

describe('which environment is production', () => {
  test('decided once in the model: the one marked production, even with dr after it', () => {
    const platform = definePlatform(withDr(platformConfig, true));
    expect(platform.production.name).toBe('prod');
    expect(platform.environments.filter((e) => e.production).map((e) => e.name)).toEqual(['prod']);
    // Validate's production rules, and the canary policy of release and promote, read it.
    expect(platformRules(platform).productionEnvs).toEqual(['prod']);
    expect(canaryPolicy(platform).production).toBe('prod');
  });

  test('diff watches production, not the environment after it', () => {
    const config = withDr(platformConfig, true);
    const dir = tempDir();
    try {
      runSynth({ platform: definePlatform(config), outDir: dir, envs: [], sourceCommit: 'x' });
      const fewer = (env: string) => ({
        ...config,
        environments: config.environments.map((e) => (e.name === env ? { ...e, replicas: { ...e.replicas, replicas: 2, minReplicas: 2 } } : e)),
      });
      const risky = (env: string) => diffPlatform(definePlatform(fewer(env)), dirSource(dir)).risks.filter((r) => r.rule === 'fewer-prod-replicas').map((r) => r.group);
      expect(risky('dr')).toEqual([]);
      expect(new Set(risky('prod'))).toEqual(new Set(['prod']));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('with none marked, the last in promotion order', () => {
    const platform = definePlatform(withDr(platformConfig, undefined));
    expect(platform.production.name).toBe('dr');
  });

  test('two marked are one config error', () => {
    const config = withDr(platformConfig, true);
    const twice = { ...config, environments: config.environments.map((e) => (e.name === 'dr' ? { ...e, production: true } : e)) };
    expect(() => definePlatform(twice)).toThrow(/env "dr", field "production": value true is set on "prod" and "dr"; fix: mark exactly one environment as production/);
  });
});

describe('reserved environment names', () => {
  test.each([
    ['argocd', /kubernetes\/argocd holds the shared argocd objects/],
    ['clusters', /kubernetes\/clusters holds the shared clusters objects/],
    ['bootstrap', /kubernetes\/bootstrap holds/],
    ['terraform', /"terraform" is the scope of the terraform files/],
    ['releases', /"releases" is the scope/],
    ['cluster-prod', /"cluster-prod" is the scope of cluster prod's shared objects/],
  ])('an environment named %s fails with one line', (name, reason) => {
    const environments = platformConfig.environments.map((e) => (e.name === 'dev' ? { ...e, name } : e));
    const releases = { environments: { ...platformConfig.releases.environments, [name]: { tag: 'v1.0.0' } } };
    let error: unknown;
    try {
      definePlatform({ ...platformConfig, environments, releases });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(new RegExp(`env "${name}", field "name": value "${name}" is reserved: `));
    expect((error as Error).message).toMatch(reason);
    expect((error as Error).message).not.toContain('\n');
  });
});
