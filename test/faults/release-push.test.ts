import * as path from 'node:path';
import { git } from '../helpers';
import { commitCount, gitopsRepo, type GitOpsRepo, lastMessage, readJson, type ReleasesJson, removeTempDirs, runTool } from '../release/fixtures';

/**
 * Real `release` and `promote` processes on a checkout with a bare remote: a release committed
 * without --push is pushed by the same release with --push, and a multi-line --reason is recorded
 * as one line.
 */

let repo: GitOpsRepo;

beforeAll(() => {
  repo = gitopsRepo();
});

afterAll(removeTempDirs);

const remoteMain = (): string => git(repo.remote, 'rev-parse', 'main');
const head = (): string => git(repo.checkout, 'rev-parse', 'HEAD');

test('release --push after the same release without --push pushes the commit it made', () => {
  const pushedBefore = remoteMain();
  const local = runTool(['release', 'v1.5.0', '--gitops', repo.checkout]);
  expect(local.stderr).toBe('');
  expect(local.status).toBe(0);
  expect(commitCount(repo.checkout)).toBe(2);
  // Committed, not pushed.
  expect(remoteMain()).toBe(pushedBefore);

  const pushed = runTool(['release', 'v1.5.0', '--gitops', repo.checkout, '--push']);
  expect(pushed.stderr).toBe('');
  expect(pushed.status).toBe(0);
  expect(pushed.stdout).toContain('pushed to origin refs/heads/main\n');
  // Nothing new was committed; the commit made before is what went out.
  expect(commitCount(repo.checkout)).toBe(2);
  expect(remoteMain()).toBe(head());

  const again = runTool(['release', 'v1.5.0', '--gitops', repo.checkout, '--push']);
  expect(again.status).toBe(0);
  expect(again.stdout).toContain('origin refs/heads/main is up to date\n');
  expect(remoteMain()).toBe(head());
});

test('promote --force --reason with a new line in it records the reason on one line', () => {
  const run = runTool(['promote', '--from', 'dev', '--to', 'prod', '--force', '--reason', 'line1\nline2', '--gitops', repo.checkout]);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const lines = lastMessage(repo.checkout).split('\n');
  expect(lines).toContain('Forced: skips stage, canary; reason: line1 line2');
  // The second line of the reason is no line of the message: it cannot pose as a trailer.
  expect(lines).not.toContain('line2');
  const releases = readJson<ReleasesJson>(path.join(repo.checkout, 'releases.json'));
  expect(releases.environments.prod.provenance).toMatchObject({ action: 'promote', from: 'dev', reason: 'line1 line2' });
});
