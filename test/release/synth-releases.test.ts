import * as fs from 'node:fs';
import * as path from 'node:path';
import { ManifestIndex } from '../../lib/engine/manifest-index';
import { PROJECT_DIR } from '../helpers';
import { imageOf, inParallel, readJson, releases, removeTempDirs, scratchDir, startTool, ToolRun, writeFiles } from './fixtures';

afterAll(removeTempDirs);

/** An output root holding its own, hand-written releases file: prod runs v2.0.0 at 0% canary. */
const own = JSON.stringify(JSON.parse(releases({ dev: 'v2.1.0', stage: 'v2.0.1', canary: 'v2.0.1', prod: 'v2.0.0' }, (r) => {
  r.environments.canary.canaryWeight = 0;
})));

const runs: Record<string, { out: string; run: ToolRun }> = {};
beforeAll(async () => {
  const setups: Record<string, (out: string) => void> = {
    fresh: () => undefined,
    own: (out) => writeFiles(out, { 'releases.json': own }),
    bad: (out) => writeFiles(out, { 'releases.json': releases({ dev: 'v1.0.0', stage: 'v1.0.0', canary: 'v1.0.0', prod: 'v1.0.0' }, (r) => (r.environments.dev.canaryWeight = 10)) }),
  };
  await inParallel(
    Object.entries(setups).map(([name, setup]) => async () => {
      const out = scratchDir();
      setup(out);
      runs[name] = { out, run: await startTool(['synth', '--out', out]) };
    }),
  );
}, 60_000);

describe('npm run synth and the releases file', () => {
  test('an output root without one is seeded from apps/releases.json, which is written into it and indexed', () => {
    const { out, run } = runs.fresh;
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^releases: apps/releases\\.json \\(seed: ${out} has no releases\\.json\\)\n`));
    expect(run.stdout).toMatch(/^releases +1 added, 0 changed, 0 removed, 0 unchanged$/m);
    const seed = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, 'apps', 'releases.json'), 'utf8'));
    expect(readJson(path.join(out, 'releases.json'))).toEqual(seed);
    const index = readJson<ManifestIndex>(path.join(out, 'platform-index.json'));
    expect(index.files).toContainEqual(expect.objectContaining({ path: 'releases.json', scope: 'releases' }));
    // A record for each environment web runs in: it has no canary instance.
    expect(index.releases?.filter((r) => r.app === 'web').map((r) => [r.env, r.tag])).toEqual(
      Object.entries(seed.environments as Record<string, { tag: string }>).filter(([env]) => env !== 'canary').map(([env, r]) => [env, r.tag]),
    );
    expect(index.releases?.filter((r) => r.env === 'canary').map((r) => [r.app, r.tag])).toEqual([['inventory-api', seed.environments.canary.tag]]);
  });

  test('an output root with its own releases.json is synthesized from it, and the file is rewritten in the tool\'s form', () => {
    const { out, run } = runs.own;
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(new RegExp(`^releases: ${out}/releases\\.json\n`));
    expect(imageOf(out, 'kubernetes/prod/rollout-web.yaml')).toMatch(/\/web:v2\.0\.0$/);
    expect(imageOf(out, 'kubernetes/prod/deployment-worker.yaml')).toMatch(/\/worker:v2\.0\.0$/);
    expect(imageOf(out, 'kubernetes/canary/rollout-inventory-api-canary.yaml')).toMatch(/\/inventory-api:v2\.0\.1$/);
    const written = fs.readFileSync(path.join(out, 'releases.json'), 'utf8');
    expect(JSON.parse(written)).toEqual(JSON.parse(own));
    expect(written).toMatch(/^\{\n {2}"environments": \{\n {4}"dev": \{\n/);
    expect(run.stdout).toMatch(/^releases +0 added, 1 changed, 0 removed, 0 unchanged$/m);
  });

  test('a releases.json the platform cannot run exits 2 with one line naming the file, and writes nothing', () => {
    const { out, run } = runs.bad;
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      `error: config error: env "dev", field "${out}/releases.json:environments.dev.canaryWeight": value 10 is set on an environment that is no canary; fix: remove it; only "canary" has a canary weight\n`,
    );
    expect(fs.readdirSync(out)).toEqual(['releases.json']);
  });
});
