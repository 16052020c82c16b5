import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { JOURNAL_FILE } from '../../lib/engine/journal';
import { LOCK_FILE } from '../../lib/gitops/lock';
import { git, PROJECT_DIR } from '../helpers';
import { commitCount, copyRepo, gitopsRepo, type GitOpsRepo, removeTempDirs, runTool, snapshot } from '../release/fixtures';
import { type Ended, leftovers, log, pollUntil, sleep, snapshotTree, ToolProcess, type TreeSnapshot, treeDiff } from './processes';

/**
 * Real `release` processes on a real GitOps checkout with a bare remote, stopped part-way: SIGTERM
 * must roll the checkout back (or let the run finish), SIGKILL must leave what the next release
 * recovers from. Each trial works on its own copy of one prepared repository.
 */

const ENTRY = 'cli/release-main.ts';
const TAG = 'v1.5.0';

let base: GitOpsRepo;
/** The checkout after an uninterrupted release of TAG. */
let reference: { tree: TreeSnapshot; treeHash: string };
/** When the measured uninterrupted release reached each step, in ms after its start. */
let timing: { lock: number; journal: number; journalGone: number; total: number };

const lockFile = (repo: GitOpsRepo): string => path.join(repo.checkout, '.git', LOCK_FILE);
const gitLock = (repo: GitOpsRepo): string => path.join(repo.checkout, '.git', 'index.lock');
const journalOf = (repo: GitOpsRepo): string => path.join(repo.checkout, JOURNAL_FILE);
const release = (repo: GitOpsRepo): string[] => ['release', TAG, '--gitops', repo.checkout];

beforeAll(async () => {
  // Bundles the entry point now, so no measured or signalled run spends its time in esbuild.
  expect(spawnSync(process.execPath, [path.join(PROJECT_DIR, 'scripts', 'run.js'), ENTRY, '--help'], { cwd: PROJECT_DIR }).status).toBe(0);
  base = gitopsRepo();

  const repo = copyRepo(base);
  const proc = new ToolProcess(ENTRY, release(repo));
  const at = async (condition: () => boolean): Promise<number> => {
    if (!(await pollUntil(condition, proc))) throw new Error('the measured release ended before that step');
    return proc.elapsed();
  };
  const lock = await at(() => fs.existsSync(lockFile(repo)));
  const journal = await at(() => fs.existsSync(journalOf(repo)));
  const journalGone = await at(() => !fs.existsSync(journalOf(repo)));
  const ended = await proc.done;
  expect(ended.stderr).toBe('');
  expect(ended.status).toBe(0);
  timing = { lock, journal, journalGone, total: proc.elapsed() };
  reference = { tree: snapshotTree(repo.checkout), treeHash: git(repo.checkout, 'rev-parse', 'HEAD^{tree}') };
  expect(commitCount(repo.checkout)).toBe(2);
  log(`release ${TAG}: lock taken at ${timing.lock} ms, journal ${timing.journal}-${timing.journalGone} ms, done at ${timing.total} ms; ${reference.tree.files.size} files`);
}, 120_000);

afterAll(removeTempDirs);

/** How the checkout differs from the uninterrupted release: tree, commits, status, locks. */
function divergence(repo: GitOpsRepo): string[] {
  const problems = treeDiff(reference.tree, snapshotTree(repo.checkout));
  const treeHash = git(repo.checkout, 'rev-parse', 'HEAD^{tree}');
  if (treeHash !== reference.treeHash) problems.push(`HEAD's tree is ${treeHash}, not ${reference.treeHash}`);
  if (commitCount(repo.checkout) !== 2) problems.push(`${commitCount(repo.checkout)} commits, not 2`);
  const status = git(repo.checkout, 'status', '--porcelain', '--untracked-files=all');
  if (status !== '') problems.push(`uncommitted changes: ${status.split('\n').slice(0, 3).join(', ')}`);
  if (fs.existsSync(lockFile(repo))) problems.push('the release lock is still there');
  return problems;
}

/** Whether `dir` holds a file that is no temporary: the writer has renamed one into place there. */
function targetsIn(dir: string): boolean {
  return fs.existsSync(dir) && fs.readdirSync(dir).some((name) => !name.endsWith('.synth-tmp'));
}

/** The same release again, run to its end. */
const releaseAgain = (repo: GitOpsRepo): Ended => {
  const run = runTool(release(repo));
  return { status: run.status, signal: run.signal, stdout: run.stdout, stderr: run.stderr };
};

describe('SIGTERM', () => {
  test('rolls the checkout back exactly, or lets the run finish; the same release then gives the uninterrupted output', async () => {
    // From the lock (the signal handlers are live) to the end, in even steps, plus the write phase
    // and the commit: a SIGTERM is seen at the run's next step.
    const span = timing.total - timing.lock;
    const delays = [0, 1, 2, 3, 4, 5].map((k) => timing.lock + Math.round((k * span) / 6));
    delays.push(timing.journal, timing.journalGone + 2);
    log(`SIGTERM delays after start (ms): ${JSON.stringify(delays)}`);
    const problems: string[] = [];
    const outcomes: string[] = [];
    for (const [i, delay] of delays.entries()) {
      const repo = copyRepo(base);
      const before = snapshot(repo);
      const proc = new ToolProcess(ENTRY, release(repo));
      await sleep(delay);
      proc.kill('SIGTERM');
      const ended = await proc.done;
      const trial = `trial ${i + 1} (+${delay} ms)`;
      const fail = (what: string): number => problems.push(`${trial}: ${what}`);
      if (ended.status === 143) {
        outcomes.push('interrupted');
        if (!/^error: interrupted by SIGTERM: (nothing was changed|the checkout is back at [0-9a-f]{12}) and unlocked; fix: run the same command again\n$/.test(ended.stderr)) {
          fail(`stderr is not the one interruption line: ${JSON.stringify(ended.stderr)}`);
        }
        const now = snapshot(repo);
        if (!isDeepStrictEqual(now, before)) {
          fail(`the checkout is not as it was: HEAD ${now.head} (was ${before.head}), status ${JSON.stringify(now.status)}, ${now.tree.size} files (were ${before.tree.size})`);
        }
        if (fs.existsSync(lockFile(repo))) fail('the lock file is still there');
      } else if (ended.status === 0) {
        outcomes.push('completed');
        if (commitCount(repo.checkout) !== 2) fail(`a completed release made ${commitCount(repo.checkout) - 1} commits, not 1`);
        if (git(repo.checkout, 'status', '--porcelain', '--untracked-files=all') !== '') fail('a completed release left uncommitted changes');
      } else if (ended.signal === 'SIGTERM' && ended.stderr === '') {
        // The default action ended it (a shell shows 143): either still loading its modules (the
        // handlers are installed before the run touches anything, so the checkout is untouched), or
        // already exiting after its commit, when Node's teardown has closed its signal watchers
        // (then the release is complete, exactly as an uninterrupted one).
        if (isDeepStrictEqual(snapshot(repo), before)) outcomes.push('ended before its handlers were installed');
        else {
          outcomes.push('ended while exiting, after its commit');
          for (const p of divergence(repo)) fail(`ended by SIGTERM after the checkout changed, and it is not the complete release: ${p}`);
        }
      } else {
        outcomes.push(`status ${ended.status} signal ${ended.signal}`);
        fail(`exited ${ended.status} (signal ${ended.signal}), neither 143 nor 0: ${ended.stderr.trim()}`);
      }
      const again = releaseAgain(repo);
      if (again.status !== 0) fail(`the same release again exited ${again.status}: ${again.stderr.trim()}`);
      problems.push(...divergence(repo).map((p) => `${trial}: after the release again: ${p}`));
      log(`SIGTERM ${trial}: ${outcomes[outcomes.length - 1]}`);
    }
    expect(problems).toEqual([]);
    // At least one signal must have interrupted a run, or the handlers were never exercised.
    expect(outcomes).toContain('interrupted');
  });
});

describe('a signal to the whole process group', () => {
  // Ctrl-C in a terminal signals the foreground process group, and CI runners cancel a job's
  // process tree: the git the release runs gets the signal too, and dies mid-command.
  test.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s while git adds and commits: exits %d with the interruption line, and the checkout is as it was', async (signal, code) => {
    const repo = copyRepo(base);
    const before = snapshot(repo);
    const proc = new ToolProcess(ENTRY, release(repo), { group: true });
    const reached = await pollUntil(() => fs.existsSync(gitLock(repo)) && fs.existsSync(path.join(repo.checkout, 'platform-index.json')), proc);
    proc.kill(signal, true);
    const ended = await proc.done;
    log(`group ${signal} while git holds index.lock${reached ? '' : ' (not reached)'}: exit ${ended.status}, ${JSON.stringify(ended.stderr)}`);
    expect(reached).toBe(true);
    // Rolled back and unlocked, so the same release goes through.
    expect(snapshot(repo)).toEqual(before);
    expect(fs.existsSync(lockFile(repo))).toBe(false);
    const again = releaseAgain(repo);
    expect(again.stderr).toBe('');
    expect(again.status).toBe(0);
    expect(divergence(repo)).toEqual([]);
    // Reported as the interruption it is, not as a git failure to correct.
    expect(ended.stderr).toMatch(new RegExp(`^error: interrupted by ${signal}: the checkout is back at [0-9a-f]{12} and unlocked; fix: run the same command again\n$`));
    expect(ended.status).toBe(code);
  });
});

describe('SIGKILL', () => {
  /** Where the kill lands: a step of the run it waits for, then a delay. */
  interface KillPoint {
    readonly name: string;
    readonly step: (repo: GitOpsRepo) => boolean;
    readonly delayMs: number;
  }

  test('the next release recovers from a kill at any step: the uninterrupted output, committed, clean', async () => {
    const points: KillPoint[] = [
      // The lock is taken and the output is being synthesized and validated in memory.
      { name: 'synthesizing', step: (r) => fs.existsSync(lockFile(r)), delayMs: Math.round((timing.journal - timing.lock) / 2) },
      // The journal is written and temporaries are being staged.
      { name: 'journal written', step: (r) => fs.existsSync(journalOf(r)), delayMs: 0 },
      // Temporaries are being renamed over their targets: the first target of dev is in place.
      { name: 'renaming', step: (r) => fs.existsSync(journalOf(r)) && targetsIn(path.join(r.checkout, 'kubernetes', 'dev')), delayMs: 0 },
      // The writer is done (its journal gone): git add and git commit run.
      { name: 'journal removed', step: (r) => !fs.existsSync(journalOf(r)) && fs.existsSync(path.join(r.checkout, 'platform-index.json')), delayMs: 0 },
      { name: 'git holds index.lock', step: (r) => fs.existsSync(gitLock(r)) && fs.existsSync(path.join(r.checkout, 'platform-index.json')), delayMs: 0 },
    ];
    log(`SIGKILL points: ${points.map((p) => `${p.name} +${p.delayMs} ms`).join(', ')}`);
    const problems: string[] = [];
    for (const point of points) {
      const repo = copyRepo(base);
      // Its own process group: the kill takes the git it may be running, too.
      const proc = new ToolProcess(ENTRY, release(repo), { group: true });
      const reached = await pollUntil(() => point.step(repo), proc);
      await sleep(point.delayMs);
      proc.kill('SIGKILL', true);
      const ended = await proc.done;
      const left = {
        journal: fs.existsSync(journalOf(repo)),
        indexLock: fs.existsSync(gitLock(repo)),
        dirty: git(repo.checkout, 'status', '--porcelain', '--untracked-files=all') !== '',
      };
      const trial = `${point.name}${reached ? '' : ' (not reached)'} -> ${ended.signal ?? `exit ${ended.status}`}, left ${JSON.stringify(left)}`;
      const fail = (what: string): number => problems.push(`${point.name}: ${what}`);
      if (ended.signal !== 'SIGKILL') fail(`the run ended before the kill (${ended.status})`);

      let again = releaseAgain(repo);
      if (left.indexLock) {
        // git's lock is git's to judge: the release names it and changes nothing.
        const line = `error: git's own lock ${gitLock(repo)} exists`;
        if (again.status !== 2 || !again.stderr.startsWith(line) || again.stderr.split('\n').length !== 2 || !again.stderr.includes('; fix: ')) {
          fail(`with index.lock left, the release exited ${again.status}: ${JSON.stringify(again.stderr)}`);
        }
        fs.rmSync(gitLock(repo));
        again = releaseAgain(repo);
      }
      if (again.status !== 0) fail(`the next release exited ${again.status}: ${again.stderr.trim()}`);
      if (left.journal && !/^recovered /m.test(again.stdout)) fail(`a journal was left, but the next release printed no "recovered" line: ${JSON.stringify(again.stdout)}`);
      const after = snapshotTree(repo.checkout);
      problems.push(...leftovers(after).map((f) => `${point.name}: left behind ${f}`), ...divergence(repo).map((p) => `${point.name}: ${p}`));
      log(`SIGKILL ${trial}; next release: exit ${again.status}${/^recovered /m.test(again.stdout) ? ', recovered' : ''}`);
    }
    expect(problems).toEqual([]);
  });
});
