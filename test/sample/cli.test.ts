// The real CLI on the sample platform, end to end: what `npm run synth`, `validate` and `release`
// write and print for the sample's own apps and environments. The same commands' behaviour on any
// platform is tested in-process on fixtures (test/cli, test/release).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { git, PROJECT_DIR, readTree, runCli, tempDir } from '../helpers';
import { commitCount, gitopsRepo, imageOf, lastMessage, removeTempDirs, runTool, splitMessage, TAG_TIME } from '../release/fixtures';

afterAll(removeTempDirs);

describe('npm run synth on the sample', () => {
  let out: string;
  beforeEach(() => {
    out = tempDir();
  });
  afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

  test('writes the Terraform stacks, four environment directories and the ArgoCD objects', () => {
    const result = runCli(['synth', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const files = [...readTree(out).keys()];
    expect(files).toEqual(expect.arrayContaining([
      'platform-index.json',
      'terraform/bootstrap/main.tf.json',
      'terraform/cluster-nonprod/main.tf.json',
      'terraform/cluster-prod/main.tf.json',
      'kubernetes/bootstrap/nonprod/appproject-shop.yaml',
      'kubernetes/argocd/nonprod/application-app-dev.yaml',
      'kubernetes/argocd/prod/application-app-prod.yaml',
      'kubernetes/bootstrap/nonprod/application-shop-root.yaml',
      'kubernetes/dev/deployment-inventory-api.yaml',
      'kubernetes/stage/deployment-web.yaml',
      // The canary runs only inventory-api's candidate; production's HTTP apps are Argo Rollouts.
      'kubernetes/canary/rollout-inventory-api-canary.yaml',
      'kubernetes/prod/rollout-web.yaml',
      'kubernetes/prod/deployment-worker.yaml',
      'kubernetes/prod/namespace-shop-prod.yaml',
    ]));
    expect(files.filter((f) => f.startsWith('kubernetes/canary/') && /\/(deployment|rollout)-/.test(f))).toEqual(['kubernetes/canary/rollout-inventory-api-canary.yaml']);
    expect(result.stdout).toMatch(/^dev +\d+ added, 0 changed, 0 removed, 0 unchanged$/m);
    expect(result.stdout).toMatch(/^terraform +3 added, 0 changed, 0 removed, 0 unchanged$/m);
  });

  test('--env is repeatable: --env dev --env prod writes only those, byte-identical to a full synth', () => {
    const full = tempDir();
    try {
      expect(runCli(['synth', '--out', full]).status).toBe(0);
      const result = runCli(['synth', '--out', out, '--env', 'dev', '--env', 'prod']);
      expect(result.status).toBe(0);
      const partial = readTree(out);
      const dirs = new Set([...partial.keys()].filter((f) => f.startsWith('kubernetes/')).map((f) => f.split('/')[1]));
      expect([...dirs].sort()).toEqual(['argocd', 'bootstrap', 'clusters', 'dev', 'prod']);
      const fullTree = readTree(full);
      for (const [file, content] of partial) {
        if (file !== 'platform-index.json') expect([file, content]).toEqual([file, fullTree.get(file)]);
      }
      expect(result.stdout).not.toMatch(/^stage /m);
      // Synthesizing dev alone over the full root changes nothing of the others.
      expect(runCli(['synth', '--out', full, '--env', 'dev']).status).toBe(0);
      expect(readTree(full)).toEqual(fullTree);
    } finally {
      fs.rmSync(full, { recursive: true, force: true });
    }
  });

  test('an unknown --env names the sample\'s environments, in promotion order', () => {
    const result = runCli(['synth', '--out', out, '--env', 'qa']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('error: unknown environment "qa" in --env; fix: use one of dev, stage, canary, prod\n');
  });
});

describe('npm run validate and npm run release on the sample', () => {
  test('validate passes on a fresh synth of the sample', () => {
    // validate has the entry point of release and promote.
    const run = spawnSync(process.execPath, [path.join(PROJECT_DIR, 'scripts', 'run.js'), 'cli/release-main.ts', 'validate'], { cwd: PROJECT_DIR, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^valid: \d+ file\(s\) of a fresh synth, 0 violation\(s\)\n$/m);
  });

  test('release commits the sample into a GitOps checkout: dev takes the tag, the others keep the seed\'s releases', () => {
    const repo = gitopsRepo();
    const run = runTool(['release', 'v1.5.0', '--gitops', repo.checkout]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(commitCount(repo.checkout)).toBe(2);
    expect(git(repo.checkout, 'status', '--porcelain')).toBe('');
    const { lines } = splitMessage(lastMessage(repo.checkout));
    expect(lines).toEqual(['release v1.5.0 to dev', '', `Tag: v1.5.0, made ${TAG_TIME}`, 'Apps: all', 'Environments changed: dev, stage, canary, prod', 'Source commit: test-commit']);
    expect(imageOf(repo.checkout, 'kubernetes/dev/deployment-web.yaml')).toMatch(/\/web:v1\.5\.0$/);
    expect(imageOf(repo.checkout, 'kubernetes/prod/rollout-web.yaml')).toMatch(/\/web:v1\.3\.1$/);
    expect(fs.existsSync(path.join(repo.checkout, 'releases.json'))).toBe(true);
  });

  test('release, promote to the canary, step its weight up to what the candidate carries, refuse the next step, promote to prod', () => {
    const repo = gitopsRepo();
    const ok = (args: readonly string[]): void => {
      const run = runTool([...args, '--gitops', repo.checkout]);
      expect([args.join(' '), run.stderr]).toEqual([args.join(' '), '']);
      expect(run.status).toBe(0);
    };
    const weight = (): unknown => (JSON.parse(fs.readFileSync(path.join(repo.checkout, 'releases.json'), 'utf8')) as { environments: { canary: { canaryWeight?: number } } }).environments.canary.canaryWeight;
    ok(['release', 'v1.5.0']);
    ok(['promote', '--from', 'dev', '--to', 'stage']);
    ok(['promote', '--from', 'stage', '--to', 'canary']);
    expect(weight()).toBe(10);
    ok(['promote', '--from', 'stage', '--to', 'canary', '--step']);
    ok(['promote', '--from', 'stage', '--to', 'canary', '--step']);
    expect(weight()).toBe(50);
    // The sample's candidate scales to 5 pods beside production's 10: 50% at most.
    const refused = runTool(['promote', '--from', 'stage', '--to', 'canary', '--step', '--gitops', repo.checkout]);
    expect(refused.status).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('--step would give the candidates in canary 75% of production\'s traffic, but "inventory-api"\'s candidate runs at most 5 replica(s) beside production\'s 10, so it can carry at most 50% (now 50%)');
    expect(git(repo.checkout, 'status', '--porcelain')).toBe('');
    // The candidate reached 50% a moment ago: the canary has not baked its 24 hours.
    const early = runTool(['promote', '--from', 'canary', '--to', 'prod', '--gitops', repo.checkout]);
    expect(early.status).toBe(2);
    expect(early.stderr).toMatch(/^error: the candidates in canary \(inventory-api v1\.5\.0 at 50%\) have baked [0-9dhms ]+ of the 1d bake time since commit [0-9a-f]{12}; (1d|23h 5\dm) left; nothing was changed; fix: run the promotion again after \S+Z, or pass --force --reason TEXT\n$/);
    ok(['promote', '--from', 'canary', '--to', 'prod', '--force', '--reason', 'the test cannot wait a day']);
    expect(weight()).toBe(0);
    expect(lastMessage(repo.checkout)).toMatch(/\nForced: past the bake time of canary \((1d|23h 5\dm) left\); reason: the test cannot wait a day\n/);
    expect(imageOf(repo.checkout, 'kubernetes/prod/rollout-inventory-api.yaml')).toMatch(/\/inventory-api:v1\.5\.0$/);
  });
});
