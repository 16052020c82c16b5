import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fixturePlatform } from '../fixtures/shop/platform';
import { runSynth } from '../../lib/pipeline/synth-output';
import { runValidate } from '../../cli/validate-command';
import { PROJECT_DIR, tempDir } from '../helpers';

describe('npm run validate', () => {
  let out: string;
  beforeAll(() => {
    out = tempDir();
    runSynth({ platform: fixturePlatform(), outDir: out, envs: [], sourceCommit: 'x' });
  });
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  test('passes on a fresh synth and on the written output of a valid platform', () => {
    expect(runValidate({ platform: fixturePlatform() }).exitCode).toBe(0);
    const result = runValidate({ platform: fixturePlatform(), dir: out });
    expect(result.violations).toEqual([]);
    expect(result.lines[result.lines.length - 1]).toMatch(/^valid: \d+ file\(s\) of .*, 0 violation\(s\)$/);
  });

  test('reports a fault injected into a written tree with its file, object, rule and fix, and exits 1', () => {
    const file = path.join(out, 'kubernetes/prod/poddisruptionbudget-web.yaml');
    const before = fs.readFileSync(file, 'utf8');
    try {
      fs.writeFileSync(file, before.replace('maxUnavailable: 1', 'maxUnavailable: [1]'));
      const result = runValidate({ platform: fixturePlatform(), dir: out });
      expect(result.exitCode).toBe(1);
      expect(result.lines[0]).toMatch(/^kubernetes\/prod\/poddisruptionbudget-web\.yaml: PodDisruptionBudget\/web: \[schema\] .*maxUnavailable.*; fix: /);
    } finally {
      fs.writeFileSync(file, before);
    }
  });

  test('exits 2 with a one-line error for a directory that does not exist', () => {
    const child = spawnSync(process.execPath, [path.join(PROJECT_DIR, 'scripts', 'run.js'), 'cli/release-main.ts', 'validate', '--dir', path.join(out, 'nope')], {
      cwd: PROJECT_DIR,
      encoding: 'utf8',
    });
    expect(child.status).toBe(2);
    expect(child.stderr).toMatch(/^error: --dir .*nope is not a directory; fix: run npm run synth first/);
  });
});
