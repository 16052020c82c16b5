// status, history, dora and rollback as processes (node scripts/run.js cli/release-main.ts ...):
// argv, exit codes, one JSON document, one-line errors. The CLI runs the sample platform of apps/,
// so this asserts only what holds for any platform with a dev environment; the figures themselves
// are tested in-process (history.test.ts, dora.test.ts, rollback.test.ts).
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { git, PROJECT_DIR } from '../helpers';
import { inParallel, removeTempDirs, type ToolRun } from './fixtures';
import { doraVersions, historyRepo } from './history-fixtures';

afterAll(removeTempDirs);

/** Runs the release CLI as `npm run` does, without waiting. */
function tool(args: readonly string[]): Promise<ToolRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(PROJECT_DIR, 'scripts', 'run.js'), 'cli/release-main.ts', ...args], {
      cwd: PROJECT_DIR,
      env: { ...process.env, PLATFORM_SOURCE_COMMIT: 'test-commit', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const runs = new Map<string, ToolRun>();
let dir: string;
let commits: string[];

beforeAll(async () => {
  ({ dir, commits } = historyRepo(doraVersions()));
  git(dir, 'config', 'user.name', 'Release Bot');
  git(dir, 'config', 'user.email', 'release@example.com');
  const cases: Record<string, string[]> = {
    status: ['status', '--gitops', dir, '--format', 'json'],
    history: ['history', '--gitops', dir, '--env', 'dev', '--limit', '2'],
    dora: ['dora', '--gitops', dir, '--from', '2024-05-01T00:00:00Z', '--until', '2024-05-11T00:00:00Z', '--format', 'json'],
    unknownTag: ['rollback', '--env', 'dev', '--to', 'v0.9.0', '--gitops', dir],
    both: ['rollback', '--env', 'dev', '--to', 'v1.0.0', '--steps', '1', '--gitops', dir],
    badFormat: ['status', '--gitops', dir, '--format', 'yaml'],
  };
  await inParallel(Object.entries(cases).map(([name, args]) => async () => void runs.set(name, await tool(args))));
}, 120_000);

const run = (name: string): ToolRun => {
  const found = runs.get(name);
  if (found === undefined) throw new Error(`no run ${name}`);
  return found;
};

test('status --format json prints one document naming the newest commit', () => {
  expect(run('status')).toMatchObject({ status: 0, stderr: '' });
  const doc = JSON.parse(run('status').stdout) as { commit: string; environments: { env: string; tag: string }[] };
  expect(doc.commit).toBe(commits[9]);
  expect(doc.environments.find((e) => e.env === 'dev')?.tag).toBe('v1.2.0');
});

test('history prints the environment, newest first, limited', () => {
  expect(run('history').status).toBe(0);
  const lines = run('history').stdout.trimEnd().split('\n');
  expect(lines[0]).toBe('dev:');
  expect(lines.slice(1).filter((l) => l.startsWith('  ')).map((l) => l.trim().split(/\s+/).slice(0, 4))).toEqual([
    [commits[3].slice(0, 12), '2024-05-04T12:00:00+00:00', 'v1.2.0', 'release'],
    [commits[1].slice(0, 12), '2024-05-02T10:00:00+00:00', 'v1.1.0', 'release'],
  ]);
});

test('dora --format json prints one document with the window asked for', () => {
  expect(run('dora').status).toBe(0);
  const doc = JSON.parse(run('dora').stdout) as { window: { from: string; until: string; days: number }; deployments: { count: number } };
  expect(doc.window).toEqual({ from: '2024-05-01T00:00:00Z', until: '2024-05-11T00:00:00Z', days: 10 });
});

test('refusals exit 2 with one line and the fix', () => {
  expect(run('unknownTag')).toMatchObject({ status: 2, stdout: expect.not.stringContaining('committed') });
  expect(run('unknownTag').stderr).toMatch(/^error: dev has never run v0\.9\.0 in the history of releases\.json; fix: use --to with one of v1\.2\.0, v1\.1\.0, v1\.0\.0\n$/);
  expect(run('both')).toMatchObject({ status: 2, stderr: 'error: rollback needs one of --to and --steps, not both; fix: pass --to vX.Y.Z or --steps N\n' });
  expect(run('badFormat')).toMatchObject({ status: 2, stdout: '', stderr: 'error: unknown --format "yaml"; fix: use one of text, json\n' });
  expect(git(dir, 'rev-parse', 'HEAD')).toBe(commits[9]);
});
