import { type Duration, type Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { type PlatformConfig } from '../../lib/model/config';
import { checkConfigShape, closestName, type SchemaPlatformConfig } from '../../lib/model/config-schema';
import { parseReleases, RELEASE_TAG } from '../../lib/model/releases';
import { type SyncPolicy } from '../../lib/model/sync-policy';
import { definePlatform } from '../../lib/model/platform';
import { platformConfig } from '../fixtures/shop/platform';
import { configRejection, mapApp, mapEnv } from '../helpers';

/*
 * Type-level: the schema and config.ts agree. Each is assignable to the other, and both have the same
 * key paths at every depth, so a field added to config.ts without the schema (which would then refuse
 * it) fails `tsc`.
 */
type Leaf = string | number | boolean | Duration | Size | Cpu | SyncPolicy;
type Paths<T> = T extends Leaf
  ? never
  : T extends readonly (infer E)[]
    ? Paths<E>
    : T extends object
      ? { [K in keyof T & string]-?: K | `${K}.${Paths<NonNullable<T[K]>>}` }[keyof T & string]
      : never;
type Equal<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaFitsConfig: Equal<Paths<Omit<SchemaPlatformConfig, 'releases'>>, Paths<Omit<PlatformConfig, 'releases'>>> = true;
const configToSchema: SchemaPlatformConfig = {} as PlatformConfig;
const schemaToConfig: PlatformConfig = {} as SchemaPlatformConfig;

/** Config as it arrives untyped from an esbuild bundle: a typo TypeScript would have caught. */
function untyped<T>(value: unknown): T {
  return value as T;
}

describe('the config is checked strictly at run time', () => {
  test('the schema and the types agree (checked by tsc)', () => {
    expect([schemaFitsConfig, typeof configToSchema, typeof schemaToConfig]).toEqual([true, 'object', 'object']);
  });

  test('the fixture passes', () => {
    expect(() => checkConfigShape(platformConfig)).not.toThrow();
  });

  test('a typo in an override names the field and the closest valid name', () => {
    const e = configRejection(mapApp('inventory-api', (a) => ({ ...a, overrides: { ...a.overrides, prod: untyped({ replica: 4 }) } })));
    expect(e.message).toContain('app "inventory-api", field "apps[0].overrides.prod.replica": value 4 is not a known field; fix: did you mean replicas?');
    expect(e.message.split('\n')).toHaveLength(1);
  });

  test('a misspelt required field is named as unknown, with the field meant, not as the missing one', () => {
    const e = configRejection(
      mapEnv('dev', (env) => {
        const { replicas, ...rest } = env;
        return untyped<typeof env>({ ...rest, replica: replicas });
      }),
    );
    expect(e.details).toMatchObject({ env: 'dev', field: 'environments[0].replica', problem: 'is not a known field' });
    expect(e.details.fix).toMatch(/^did you mean replicas\?/);
  });

  test('an unknown key in an environment', () => {
    const e = configRejection(mapEnv('stage', (env) => ({ ...env, ...untyped<object>({ namepsace: 'shop' }) })));
    expect(e.details).toMatchObject({ env: 'stage', field: 'environments[1].namepsace' });
    expect(e.details.fix).toMatch(/^did you mean namespace\?/);
  });

  test('an unknown key in a cluster, nested', () => {
    const cluster = platformConfig.clusters[0];
    const e = configRejection({ ...platformConfig, clusters: [{ ...cluster, nodePool: { ...cluster.nodePool, ...untyped<object>({ maxNode: 3 }) } }, ...platformConfig.clusters.slice(1)] });
    expect(e.details.field).toBe('clusters[0].nodePool.maxNode');
    expect(e.details.fix).toMatch(/^did you mean maxNodes\?/);
  });

  test('an unknown key in a strategy is checked against that strategy\'s own keys', () => {
    const e = configRejection(mapApp('admin', (a) => ({ ...a, delivery: { strategy: untyped({ type: 'blueGreen', autoPromote: true }) } })));
    expect(e.details.field).toMatch(/delivery\.strategy\.autoPromote$/);
    expect(e.details.fix).toMatch(/^did you mean autoPromotion\?/);
  });

  test('a key far from every known one gets no guess, only the list', () => {
    const e = configRejection({ ...platformConfig, ...untyped<object>({ zzzzzz: 1 }) });
    expect(e.details.fix).toMatch(/^known fields here: name, state, registry/);
  });

  test('a class instance where one belongs is not taken apart, and a plain object is refused', () => {
    const e = configRejection(mapEnv('dev', (env) => ({ ...env, sync: untyped({ automated: true }) })));
    expect(e.details.field).toBe('environments[0].sync');
    expect(e.details.problem).toContain('SyncPolicy.automated()');
  });

  test('closestName uses a small edit distance', () => {
    expect(closestName('replica', ['replicas', 'maxReplicas', 'resources', 'config'])).toBe('replicas');
    expect(closestName('colour', ['name', 'team'])).toBeUndefined();
  });
});

describe('credentials are refused in plain config', () => {
  test.each(['DB_PASSWORD', 'STRIPE_API_KEY', 'GITHUB_TOKEN', 'client_secret'])('%s by its name', (key) => {
    const e = configRejection(mapApp('worker', (a) => ({ ...a, config: { ...a.config, [key]: 'x' } })));
    expect(e.details).toMatchObject({ app: 'worker', field: `config.${key}`, value: '(hidden)' });
    expect(e.details.fix).toContain('secrets');
  });

  test('a credential by its value, in an override', () => {
    const e = configRejection(mapApp('inventory-api', (a) => ({ ...a, overrides: { ...a.overrides, dev: { config: { DB_URL: 'postgres://app:hunter2@db/x' } } } })));
    expect(e.details.field).toBe('overrides.dev.config.DB_URL');
    expect(e.message).not.toContain('hunter2');
  });
});

describe('release tags', () => {
  const tag63 = `v1.2.3-${'a'.repeat(56)}`;
  test.each(['v1.2.3', 'v2.0.0-rc.1', tag63])('%s is accepted', (tag) => {
    expect(tag63).toHaveLength(63);
    expect(RELEASE_TAG.test(tag)).toBe(true);
  });

  test.each(['v1.2.3+build.1', `${tag63}b`])('%s is refused as a config error', (tag) => {
    expect(RELEASE_TAG.test(tag)).toBe(false);
    expect(() => parseReleases({ environments: { dev: { tag } } })).toThrow(/field "apps\/releases.json:environments.dev.tag".*no build metadata \(\+\.\.\.\) and at most 63 characters/);
    const e = configRejection({ ...platformConfig, releases: { environments: { ...platformConfig.releases.environments, prod: { tag } } } });
    expect(e.details.env).toBe('prod');
  });
});

describe('image names', () => {
  const withImage = (image: string) => () => definePlatform({ ...platformConfig, apps: platformConfig.apps.map((a) => (a.name === 'web' ? { ...a, image } : a)) });
  test('a path inside the platform\'s repository passes', () => {
    expect(withImage('tools/web-frontend')).not.toThrow();
  });
  test.each(['nginx:latest', '../../other-project/evil/miner', 'Web', 'web@sha256:abc'])('%s is refused in one line, naming the field', (image) => {
    expect(withImage(image)).toThrow(/field "image".*is not an image name inside the platform's repository; fix: give a lower-case path/);
  });
});

describe('values the issue found unchecked', () => {
  test('a node pool disk of -5 GB is refused with its range', () => {
    expect(() => definePlatform({ ...platformConfig, clusters: platformConfig.clusters.map((c) => ({ ...c, nodePool: { ...c.nodePool, diskSizeGb: -5 } })) }))
      .toThrow(/field "clusters\.nonprod\.nodePool\.diskSizeGb": value -5/);
  });
  test('a state bucket with spaces and capitals is refused', () => {
    expect(() => definePlatform({ ...platformConfig, state: { ...platformConfig.state, bucket: 'My Tofu State' } }))
      .toThrow('field "state.bucket": value "My Tofu State" is not a Cloud Storage bucket name');
  });
  test('a negative quota is refused', () => {
    const envs = platformConfig.environments.map((e) => (e.quota ? { ...e, quota: { ...e.quota, cpuLimits: Cpu.units(-4) } } : e));
    expect(() => definePlatform({ ...platformConfig, environments: envs })).toThrow(/field "quota\.cpuLimits": value "-4" is not positive/);
  });
});
