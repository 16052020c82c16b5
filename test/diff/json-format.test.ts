import { type DiffCommandOptions, parseFormat, runDiff } from '../../cli/diff-command';
import { type AppConfig, type PlatformConfig } from '../../lib/model/config';
import { FIXTURE_SEED, fixturePlatform, platformConfig } from '../fixtures/shop/platform';
import { removeTempDirs, synthesizedTree } from './fixtures';

interface JsonReport {
  changed: boolean;
  risks: { rule: string; severity: string; app: string; environment: string; file: string; object: string; reason: string }[];
  changes: { file: string; object: string; change: string }[];
}

let base: string;
beforeAll(() => { base = synthesizedTree(fixturePlatform()).dir; });
afterAll(removeTempDirs);

const diffWith = (config: PlatformConfig, options: Partial<DiffCommandOptions> = {}) =>
  runDiff({ config, seed: FIXTURE_SEED, envs: [], against: base, format: 'json', ...options });
const withApps = (change: (app: AppConfig) => AppConfig | undefined): PlatformConfig =>
  ({ ...platformConfig, apps: platformConfig.apps.map(change).filter((a): a is AppConfig => a !== undefined) });

describe('diff --format json', () => {
  test('nothing changed: one document, no changes, no risks, exit 0', () => {
    const result = diffWith(platformConfig);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.text)).toMatchObject({ changed: false, risks: [], changes: [] });
  });

  test('making admin public is exit 1 with an exposure risk on admin under risks', () => {
    const result = diffWith(withApps((a) => (a.name === 'admin' ? { ...a, exposure: { type: 'public', host: 'admin', port: 'http' } } : a)));
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.text) as JsonReport;
    expect(report.changed).toBe(true);
    expect(report.risks.some((r) => r.rule === 'exposure-widened' && r.app === 'admin' && r.severity === 'high')).toBe(true);
  });

  test('removing worker is a deletion risk for production\'s worker under risks', () => {
    const report = JSON.parse(diffWith(withApps((a) => (a.name === 'worker' ? undefined : a))).text) as JsonReport;
    expect(report.risks).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'deletes-prod-workload', app: 'worker', environment: 'prod' })]));
  });

  test('json is one of the formats; an unknown one is a usage error', () => {
    expect(parseFormat('json')).toBe('json');
    expect(() => parseFormat('yaml')).toThrow('unknown format "yaml" in --format; fix: use text or markdown or json');
  });
});
