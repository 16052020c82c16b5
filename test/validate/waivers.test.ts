import * as fs from 'node:fs';
import * as path from 'node:path';
import { runSynth } from '../../lib/pipeline/synth-output';
import { runValidate } from '../../cli/validate-command';
import { ConfigError } from '../../lib/model/config-error';
import type { PlatformConfig } from '../../lib/model/config';
import { RULE_IDS } from '../../lib/validate/output';
import { fixturePlatform } from '../fixtures/shop/platform';
import { check, get, mutateYaml, tempDir, withConfig } from './helpers';

const withWaivers = (app: string, waivers: readonly { rule: string; reason: string }[]) =>
  (c: PlatformConfig): PlatformConfig => ({ ...c, apps: c.apps.map((a) => (a.name === app ? { ...a, waivers } : a)) });

function rejection(change: (c: PlatformConfig) => PlatformConfig): string {
  try {
    withConfig(change);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('accepted');
}

describe('waivers as code', () => {
  const faulty = () => mutateYaml('kubernetes/dev/deployment-web.yaml', (d) => { delete get(d, 'spec', 'template', 'spec', 'containers', 0).readinessProbe; });

  test('a waiver of the app turns its violation into a listed waiver', () => {
    expect(check(faulty()).violations.map((v) => v.rule)).toEqual(['probes']);
    const report = check(faulty(), { productionEnvs: ['prod'], waivers: [{ app: 'web', rule: 'probes', reason: 'the legacy web tier has no readiness endpoint' }] });
    expect(report.violations).toEqual([]);
    expect(report.waived).toEqual([
      expect.objectContaining({ file: 'kubernetes/dev/deployment-web.yaml', object: 'Deployment/web', rule: 'probes', message: 'container "app" has no readinessProbe', reason: 'the legacy web tier has no readiness endpoint' }),
    ]);
  });

  test('a waiver of another app or another rule waives nothing', () => {
    expect(check(faulty(), { waivers: [{ app: 'admin', rule: 'probes', reason: 'x' }] }).violations).toHaveLength(1);
    expect(check(faulty(), { waivers: [{ app: 'web', rule: 'resources', reason: 'x' }] }).violations).toHaveLength(1);
  });

  test('npm run validate lists the waivers of the platform config and stays valid', () => {
    const platform = withConfig(withWaivers('web', [{ rule: 'image-tag', reason: 'pinned by digest upstream' }]));
    expect(platform.apps.find((a) => a.name === 'web')?.waivers).toEqual([{ rule: 'image-tag', reason: 'pinned by digest upstream' }]);
    const result = runValidate({ platform });
    expect(result.exitCode).toBe(0);
    expect(result.waived).toEqual([]);
    expect(result.lines[result.lines.length - 1]).toMatch(/^valid: \d+ file\(s\) of a fresh synth, 0 violation\(s\)$/);
  });

  test('npm run validate lists a waived violation of a written tree as a waived line, not a failure', () => {
    const out = tempDir();
    try {
      runSynth({ platform: fixturePlatform(), outDir: out, envs: [], sourceCommit: 'x' });
      const file = path.join(out, 'kubernetes/dev/deployment-web.yaml');
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false'));
      expect(runValidate({ platform: fixturePlatform(), dir: out }).exitCode).toBe(1);
      const platform = withConfig(withWaivers('web', [{ rule: 'read-only-root', reason: 'writes its cache to disk until #42' }]));
      const result = runValidate({ platform, dir: out });
      expect(result.exitCode).toBe(0);
      expect(result.lines).toEqual([
        'waived: kubernetes/dev/deployment-web.yaml: Deployment/web: [read-only-root] container "app" does not set readOnlyRootFilesystem: true; reason: writes its cache to disk until #42',
        expect.stringMatching(/^valid: \d+ file\(s\) of .*, 0 violation\(s\), 1 waived$/),
      ]);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  test('the config rejects a waiver of an unknown rule or without a reason', () => {
    expect(rejection(withWaivers('web', [{ rule: 'no-such-rule', reason: 'x' }]))).toMatch(/waivers\[0\]\.rule.*is not known.*fix: use one of image-tag, /);
    expect(rejection(withWaivers('web', [{ rule: 'probes', reason: ' ' }]))).toMatch(/waivers\[0\]\.reason.*is empty: a waiver needs its reason/);
    expect(RULE_IDS).toContain('join-service-monitor');
  });
});
