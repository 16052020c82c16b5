// The sample platform in apps/ is the tool's embedded default and its documentation by example.
// These tests are about it, and only here may a test name its apps and environments: library
// tests build their own platforms (test/fixtures/), so changing the sample breaks only this folder.
import * as fs from 'node:fs';
import { load } from 'js-yaml';
import { samplePlatform, SEED_RELEASES } from '../../apps/platform';
import { runValidate } from '../../cli/validate-command';
import { promotionRoute } from '../../lib/gitops/release-state';
import { synthPlatform } from '../../lib/pipeline/synth';
import { validateObject } from '../../lib/validate/schemas';

const platform = samplePlatform();

describe('the sample platform', () => {
  test('its config is valid, and the seed releases file has an entry for each of its environments, in promotion order', () => {
    const seed = JSON.parse(fs.readFileSync(SEED_RELEASES, 'utf8')) as { environments: Record<string, unknown> };
    expect(Object.keys(seed.environments)).toEqual(platform.environments.map((e) => e.name));
  });

  test('every object of its output validates against its upstream schema', () => {
    const issues = synthPlatform(platform, [], ['kubernetes'])
      .files.filter((f) => f.path.endsWith('.yaml'))
      .flatMap((f) => validateObject(load(f.content)).map((i) => `${f.path}: ${i.message}`));
    expect(issues).toEqual([]);
  });

  test('its output passes every validation rule, the joins between the planes included', () => {
    const result = runValidate({ platform });
    expect(result.violations).toEqual([]);
    expect(result.waived).toEqual([]);
    expect(result.exitCode).toBe(0);
  });

  test('each production database has its monthly restore drill and dump in production\'s output, and Terraform their bucket', () => {
    const files = synthPlatform(platform).files;
    const prodDir = `kubernetes/${platform.production.name}/`;
    const cronJobs = files.filter((f) => f.path.startsWith(prodDir) && f.path.includes('/cronjob-')).map((f) => f.path.slice(prodDir.length)).sort();
    const databases = platform.instances(platform.production).filter((i) => i.backups !== undefined);
    expect(databases.length).toBeGreaterThan(0);
    expect(cronJobs).toEqual(databases.flatMap((i) => [`cronjob-${i.backups?.dumps.name}.yaml`, `cronjob-${i.backups?.drill.name}.yaml`]).sort());
    // No other environment runs them: the canary uses production's database.
    expect(files.filter((f) => f.path.includes('/cronjob-') && !f.path.startsWith(prodDir))).toEqual([]);
    const stacks = files.filter((f) => f.path.endsWith('main.tf.json')).map((f) => f.content).join('\n');
    for (const i of databases) expect(stacks).toContain(`"name": "${i.backups?.bucket}"`);
  });

  test('its candidate carries at most half of production\'s traffic, so promote --step stops at 50%', () => {
    const canary = platform.environment('canary');
    expect(canary && platform.candidateCapacity(canary)).toEqual({ app: 'inventory-api', candidateReplicas: 5, productionReplicas: 10, maxWeight: 50 });
  });

  test('shows each delivery: a candidate through the canary environment, Istio-shifted, blue-green and rolling', () => {
    const prod = platform.instances(platform.production).map((i) => [i.app.name, i.delivery.type]);
    expect(prod).toEqual([
      ['inventory-api', 'canary'],
      ['web', 'rolloutIstio'],
      ['worker', 'rolling'],
      ['admin', 'blueGreen'],
    ]);
    // Only inventory-api goes through the canary environment; the others go from stage to production.
    expect(promotionRoute(platform, 'inventory-api')).toEqual(['dev', 'stage', 'canary', 'prod']);
    expect(promotionRoute(platform, 'web')).toEqual(['dev', 'stage', 'prod']);
  });

  test('shows each exposure: public, internal, cluster-only and none', () => {
    expect(platform.apps.map((a) => [a.name, a.exposure.type])).toEqual([
      ['inventory-api', 'cluster'],
      ['web', 'public'],
      ['worker', 'none'],
      ['admin', 'internal'],
    ]);
  });
});
