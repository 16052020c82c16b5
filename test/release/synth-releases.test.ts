// Synth and the releases file of the output root, in-process on the fixture platform: what
// `npm run synth` does between reading the root and printing (cli/main.ts), with the fixture's seed
// in place of apps/releases.json. The CLI's exit code for a damaged file is tested in test/cli.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type ManifestIndex } from '../../lib/engine/manifest-index';
import { ConfigError } from '../../lib/model/config-error';
import { formatReleasesSource, formatSummary } from '../../lib/pipeline/summary';
import { loadRootPlatform, runSynth } from '../../lib/pipeline/synth-output';
import { FIXTURE_SEED, platformConfig } from '../fixtures/shop/platform';
import { imageOf, readJson, releases, removeTempDirs, scratchDir, writeFiles } from './fixtures';

afterAll(removeTempDirs);

/** A synth of the fixture platform into `out`, as the CLI runs it: the lines it prints. */
function synth(out: string): string[] {
  const root = loadRootPlatform(out, platformConfig, FIXTURE_SEED);
  const result = runSynth({ platform: root.platform, releases: root.releases.config, outDir: out, envs: [], sourceCommit: 'test-commit' });
  return [...formatReleasesSource(root, out), ...formatSummary(result, out)];
}

/** An output root holding its own, hand-written releases file: prod runs v2.0.0 at 0% canary. */
const own = JSON.stringify(JSON.parse(releases({ dev: 'v2.1.0', stage: 'v2.0.1', canary: 'v2.0.1', prod: 'v2.0.0' }, (r) => {
  r.environments.canary.canaryWeight = 0;
})));

describe('synth and the releases file', () => {
  test('an output root without one is seeded, and the seed is written into it and indexed', () => {
    const out = scratchDir();
    const lines = synth(out);
    expect(lines[0]).toBe(`releases: apps/releases.json (seed: ${out} has no releases.json)`);
    expect(lines).toContainEqual(expect.stringMatching(/^releases +1 added, 0 changed, 0 removed, 0 unchanged$/));
    const seed = readJson<{ environments: Record<string, { tag: string }> }>(FIXTURE_SEED);
    expect(readJson(path.join(out, 'releases.json'))).toEqual(seed);
    const index = readJson<ManifestIndex>(path.join(out, 'platform-index.json'));
    expect(index.files).toContainEqual(expect.objectContaining({ path: 'releases.json', scope: 'releases' }));
    // A record for each environment web runs in: it has no canary instance.
    expect(index.releases?.filter((r) => r.app === 'web').map((r) => [r.env, r.tag])).toEqual(
      Object.entries(seed.environments).filter(([env]) => env !== 'canary').map(([env, r]) => [env, r.tag]),
    );
    expect(index.releases?.filter((r) => r.env === 'canary').map((r) => [r.app, r.tag])).toEqual([['inventory-api', seed.environments.canary.tag]]);
  });

  test('an output root with its own releases.json is synthesized from it, and the file is rewritten in the tool\'s form', () => {
    const out = scratchDir();
    writeFiles(out, { 'releases.json': own });
    const lines = synth(out);
    expect(lines[0]).toBe(`releases: ${out}/releases.json`);
    expect(imageOf(out, 'kubernetes/prod/rollout-web.yaml')).toMatch(/\/web:v2\.0\.0$/);
    expect(imageOf(out, 'kubernetes/prod/deployment-worker.yaml')).toMatch(/\/worker:v2\.0\.0$/);
    expect(imageOf(out, 'kubernetes/canary/rollout-inventory-api-canary.yaml')).toMatch(/\/inventory-api:v2\.0\.1$/);
    const written = fs.readFileSync(path.join(out, 'releases.json'), 'utf8');
    expect(JSON.parse(written)).toEqual(JSON.parse(own));
    expect(written).toMatch(/^\{\n {2}"environments": \{\n {4}"dev": \{\n/);
    expect(lines).toContainEqual(expect.stringMatching(/^releases +0 added, 1 changed, 0 removed, 0 unchanged$/));
  });

  test('an environment the root\'s file lacks is taken from the seed, and the run says so', () => {
    const out = scratchDir();
    writeFiles(out, { 'releases.json': JSON.stringify({ environments: { dev: { tag: 'v2.1.0' }, stage: { tag: 'v2.0.1' }, prod: { tag: 'v2.0.0' } } }) });
    const lines = synth(out);
    expect(lines.slice(0, 2)).toEqual([`releases: ${out}/releases.json`, 'releases: seeded environment canary from apps/releases.json']);
    expect(imageOf(out, 'kubernetes/canary/rollout-inventory-api-canary.yaml')).toMatch(/\/inventory-api:v1\.3\.2$/);
  });

  test('a releases.json the platform cannot run is one config error naming the file, and nothing is written', () => {
    const out = scratchDir();
    writeFiles(out, { 'releases.json': releases({ dev: 'v1.0.0', stage: 'v1.0.0', canary: 'v1.0.0', prod: 'v1.0.0' }, (r) => (r.environments.dev.canaryWeight = 10)) });
    let error: unknown;
    try {
      synth(out);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      `config error: env "dev", field "${out}/releases.json:environments.dev.canaryWeight": value 10 is set on an environment that is no canary; fix: remove it; only "canary" has a canary weight`,
    );
    expect(fs.readdirSync(out)).toEqual(['releases.json']);
  });
});
