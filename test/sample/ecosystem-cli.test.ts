import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadAll } from 'js-yaml';
import { synthPlatform } from '../../lib/pipeline/synth';
import { samplePlatform } from '../../apps/platform';
import { git, PROJECT_DIR } from '../helpers';

// `npx cdk8s synth` and `npx cdktf synth` as the README documents them: the pinned CLIs run offline
// with telemetry off, write only to their own directories, and leave the repository as it was.

const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', FORCE_COLOR: '0' };
function npx(...args: string[]): SpawnSyncReturns<string> {
  return spawnSync('npx', ['--offline', ...args], { cwd: PROJECT_DIR, encoding: 'utf8', env, timeout: 300_000 });
}

/** What must not move: the git status, and every file of dist/ with its size and time. */
function snapshot(): string {
  const dist = path.join(PROJECT_DIR, 'dist');
  const files: string[] = [];
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.push(`${path.relative(dist, full)} ${fs.statSync(full).size} ${fs.statSync(full).mtimeMs}`);
    }
  };
  walk(dist);
  return [git(PROJECT_DIR, 'status', '--porcelain', '--untracked-files=all'), ...files.sort()].join('\n');
}

const kubernetesObjects = synthPlatform(samplePlatform(), [], ['kubernetes']).files.filter((f) => f.path.endsWith('.yaml')).length;

describe('the ecosystem CLIs', () => {
  test('npx cdk8s synth --stdout prints one YAML stream of every Kubernetes object, separated by ---', () => {
    const before = snapshot();
    const result = npx('cdk8s', 'synth', '--stdout');
    expect(result.status).toBe(0);
    const docs = loadAll(result.stdout) as { kind?: string }[];
    expect(docs).toHaveLength(kubernetesObjects);
    expect(docs.every((d) => typeof d.kind === 'string')).toBe(true);
    expect(snapshot()).toBe(before);
  });

  test('npx cdk8s synth writes cdk8s.out/, never dist/, and leaves git status as it was', () => {
    const before = snapshot();
    const result = npx('cdk8s', 'synth');
    expect(result.status).toBe(0);
    expect(fs.readdirSync(path.join(PROJECT_DIR, 'cdk8s.out'))).toEqual(['platform.k8s.yaml']);
    expect(snapshot()).toBe(before);
  });

  test('npx cdktf synth writes cdktf.out/ and leaves cdktf.json and dist/ as they were', () => {
    const before = snapshot();
    const cdktfJson = fs.readFileSync(path.join(PROJECT_DIR, 'cdktf.json'), 'utf8');
    const result = npx('cdktf', 'synth');
    expect(result.status).toBe(0);
    const stacks = fs.readdirSync(path.join(PROJECT_DIR, 'cdktf.out', 'stacks')).sort();
    expect(stacks).toEqual(samplePlatform().clusters.map((c) => `cluster-${c.name}`).concat('bootstrap').sort());
    expect(fs.readFileSync(path.join(PROJECT_DIR, 'cdktf.json'), 'utf8')).toBe(cdktfJson);
    expect(snapshot()).toBe(before);
  });
});
