import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runSynth } from '../../lib/pipeline/synth-output';
import { syntheticPlatform } from '../../cli/synthetic-platform';
import { PROJECT_DIR, readTree, tempDir } from '../helpers';

describe('the Terraform plane on a worker thread', () => {
  test('gives byte for byte the output of a synth on one thread', () => {
    const threaded = tempDir();
    const single = tempDir();
    try {
      // From the bundle, with a platform source, the Terraform plane runs on a worker thread.
      const child = spawnSync(process.execPath, [path.join(PROJECT_DIR, 'scripts', 'run.js'), 'cli/bench-synth.ts', '--apps', '8', '--out', threaded], {
        cwd: PROJECT_DIR,
        encoding: 'utf8',
      });
      expect(child.stderr).toBe('');
      expect(child.status).toBe(0);
      expect(fs.existsSync(path.join(PROJECT_DIR, '.build', 'terraform-worker.js'))).toBe(true);
      // In jest there is no worker bundle, so this synth runs both planes here.
      runSynth({ platform: syntheticPlatform(8), outDir: single, envs: [], sourceCommit: 'bench' });
      const a = readTree(threaded);
      // Both sides build the benchmark platform of the sample; the worker's part is the Terraform plane.
      expect([...a.keys()].filter((f) => f.startsWith('terraform/')).length).toBeGreaterThan(0);
      expect(a).toEqual(readTree(single));
    } finally {
      fs.rmSync(threaded, { recursive: true, force: true });
      fs.rmSync(single, { recursive: true, force: true });
    }
  });
});
