import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LOCK_FILE } from '../../lib/gitops/lock';
import { JOURNAL_FILE } from '../../lib/engine/journal';
import { git, PROJECT_DIR } from '../helpers';
import { commitCount, copyRepo, gitopsRepo, type GitOpsRepo, removeTempDirs, runTool } from '../release/fixtures';
import { log, pollUntil, sleep, snapshotTree, ToolProcess, type TreeSnapshot, treeDiff } from './processes';

/**
 * Real `rollback` processes, killed with SIGKILL part-way, on copies of one GitOps checkout that
 * ran two releases. `rollback --to` names the release, so running the same command again must
 * converge on exactly what an uninterrupted rollback commits: one commit, the same tree, no lock.
 * (`--steps` counts back from what is there now, so it is not repeatable: docs/operations.md.)
 */

const ENTRY = 'cli/release-main.ts';

let base: GitOpsRepo;
let baseCommits: number;
let reference: { tree: TreeSnapshot; treeHash: string };
let timing: { journal: number; total: number };

const rollback = (repo: GitOpsRepo): string[] => ['rollback', '--env', 'dev', '--to', 'v1.6.0', '--gitops', repo.checkout];
const journalOf = (repo: GitOpsRepo): string => path.join(repo.checkout, JOURNAL_FILE);

beforeAll(async () => {
  // Bundles the entry point now, so no killed run spends its time in esbuild.
  expect(spawnSync(process.execPath, [path.join(PROJECT_DIR, 'scripts', 'run.js'), ENTRY, '--help'], { cwd: PROJECT_DIR }).status).toBe(0);
  base = gitopsRepo();
  for (const tag of ['v1.6.0', 'v1.7.0']) {
    const run = runTool(['release', tag, '--gitops', base.checkout]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  }
  baseCommits = commitCount(base.checkout);

  const repo = copyRepo(base);
  const proc = new ToolProcess(ENTRY, rollback(repo));
  if (!(await pollUntil(() => fs.existsSync(journalOf(repo)), proc))) throw new Error('the measured rollback ended before its write phase');
  const journal = proc.elapsed();
  const ended = await proc.done;
  expect(ended.stderr).toBe('');
  expect(ended.status).toBe(0);
  timing = { journal, total: proc.elapsed() };
  expect(commitCount(repo.checkout)).toBe(baseCommits + 1);
  reference = { tree: snapshotTree(repo.checkout), treeHash: git(repo.checkout, 'rev-parse', 'HEAD^{tree}') };
  log(`rollback: journal at ${timing.journal} ms, done at ${timing.total} ms`);
}, 120_000);

afterAll(removeTempDirs);

test('SIGKILL anywhere in a rollback: the same rollback again converges on the uninterrupted one', async () => {
  const delays = [0, 1, 2, 3, 4].map((k) => Math.round((k * timing.total) / 5));
  delays.push(timing.journal, timing.journal + 20);
  const problems: string[] = [];
  for (const [i, delay] of delays.entries()) {
    const repo = copyRepo(base);
    // Its own process group, killed whole, as a cancelled CI job is: the git it may be running dies too.
    const proc = new ToolProcess(ENTRY, rollback(repo), { group: true });
    await sleep(delay);
    proc.kill('SIGKILL', true);
    const killed = await proc.done;
    const trial = `trial ${i + 1} (+${delay} ms, ${killed.signal === 'SIGKILL' ? 'killed' : `ended ${killed.status}`})`;
    let again = runTool(rollback(repo));
    const gitLock = path.join(repo.checkout, '.git', 'index.lock');
    if (fs.existsSync(gitLock)) {
      // git's own lock is git's to judge: the rollback names it, changes nothing, and runs once it is gone.
      if (again.status !== 2 || !again.stderr.startsWith(`error: git's own lock ${gitLock} exists`)) {
        problems.push(`${trial}: with index.lock left, the rollback exited ${again.status}: ${JSON.stringify(again.stderr)}`);
      }
      fs.rmSync(gitLock);
      again = runTool(rollback(repo));
    }
    if (again.status !== 0) problems.push(`${trial}: the same rollback again exited ${again.status}: ${again.stderr.trim()}`);
    problems.push(...treeDiff(reference.tree, snapshotTree(repo.checkout)).map((p) => `${trial}: ${p}`));
    const treeHash = git(repo.checkout, 'rev-parse', 'HEAD^{tree}');
    if (treeHash !== reference.treeHash) problems.push(`${trial}: HEAD's tree is ${treeHash}, not ${reference.treeHash}`);
    if (commitCount(repo.checkout) !== baseCommits + 1) problems.push(`${trial}: ${commitCount(repo.checkout) - baseCommits} rollback commits, not 1`);
    const status = git(repo.checkout, 'status', '--porcelain', '--untracked-files=all');
    if (status !== '') problems.push(`${trial}: uncommitted changes: ${status.split('\n').slice(0, 3).join(', ')}`);
    if (fs.existsSync(path.join(repo.checkout, '.git', LOCK_FILE))) problems.push(`${trial}: the lock is still there`);
    log(`rollback SIGKILL ${trial}: ${again.stdout.trim().split('\n').pop() ?? ''}`);
  }
  expect(problems).toEqual([]);
});
