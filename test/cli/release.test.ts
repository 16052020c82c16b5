// The release and promote commands as processes: argv, exit codes, one-line errors, and two
// processes racing for one checkout. The CLI always runs the sample platform of apps/, so nothing
// here names its apps or environments; what a release writes is tested in-process on the fixture
// platform (test/release/).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LOCK_FILE } from '../../lib/gitops/lock';
import { git } from '../helpers';
import { commitCount, copyRepo, gitopsRepo, type GitOpsRepo, inParallel, removeTempDirs, type RepoSnapshot, snapshot, startTool, type ToolRun, writeFiles } from '../release/fixtures';

afterAll(removeTempDirs);

interface Scenario {
  readonly repo: GitOpsRepo;
  readonly before: RepoSnapshot;
  readonly run: ToolRun;
}
const scenarios = new Map<string, Scenario>();
let racing: { repo: GitOpsRepo; runs: ToolRun[] };

beforeAll(async () => {
  const empty = gitopsRepo();
  const prepared: Record<string, { args: string[]; setup?: (repo: GitOpsRepo) => void }> = {
    badTag: { args: ['release', '1.2.3'] },
    dirty: { args: ['release', 'v1.6.0'], setup: (r) => writeFiles(r.checkout, { 'README.md': '# edited\n' }) },
    unknownOption: { args: ['release', 'v1.6.0', '--bogus'] },
    promoteWithoutFrom: { args: ['promote'] },
  };
  const jobs = Object.entries(prepared).map(([name, p]) => {
    const repo = copyRepo(empty);
    p.setup?.(repo);
    const before = snapshot(repo);
    return async (): Promise<void> => {
      scenarios.set(name, { repo, before, run: await startTool([...p.args, '--gitops', repo.checkout]) });
    };
  });
  const race = copyRepo(empty);
  const raceJob = async (): Promise<void> => {
    // Two processes release to one checkout at once.
    racing = { repo: race, runs: await Promise.all([0, 1].map(() => startTool(['release', 'v1.7.0', '--gitops', race.checkout]))) };
  };
  await inParallel([raceJob, ...jobs]);
}, 120_000);

const scenario = (name: string): Scenario => {
  const found = scenarios.get(name);
  if (found === undefined) throw new Error(`no scenario ${name}`);
  return found;
};

describe('npm run release and npm run promote', () => {
  test('a tag that is not semver exits 2 with one line naming the tag and the fix, and touches nothing', () => {
    const { run, repo, before } = scenario('badTag');
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('error: release tag "1.2.3" is not strict semver with a leading v; fix: use v1.2.3\n');
    expect(run.stdout).toBe('');
    expect(snapshot(repo)).toEqual(before);
  });

  test('a refused checkout exits 2 with one line, and the checkout stays as it was', () => {
    const { run, repo, before } = scenario('dirty');
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      `error: GitOps checkout ${repo.checkout} has uncommitted changes (M README.md); fix: commit or discard them (git -C ${repo.checkout} status), then run again\n`,
    );
    expect(snapshot(repo)).toEqual(before);
  });

  test('an unknown option exits 2 and touches nothing', () => {
    const { run, repo, before } = scenario('unknownOption');
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("error: unknown option '--bogus'; fix: run platform-as-code release --help for the options\n");
    expect(snapshot(repo)).toEqual(before);
  });

  test('promote without --from exits 2 with one line', () => {
    const { run, repo, before } = scenario('promoteWithoutFrom');
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('error: promote needs the environment to promote from; fix: add --from ENV, such as --from stage\n');
    expect(snapshot(repo)).toEqual(before);
  });

  test('two processes releasing to one checkout make one commit and leave it clean and unlocked', () => {
    const { repo, runs } = racing;
    const committed = runs.filter((r) => r.status === 0 && /: committed [0-9a-f]{12} in /.test(r.stdout));
    expect(committed).toHaveLength(1);
    expect(committed[0].stderr).toBe('');
    // The other found the lock held or, starting later, nothing left to do.
    const other = runs.find((r) => r !== committed[0]);
    if (other?.status === 0) expect(other.stdout).toMatch(/nothing to commit/);
    else expect([other?.status, other?.stderr]).toEqual([2, expect.stringMatching(/^error: GitOps checkout \S+ is locked by another run/)]);
    expect(commitCount(repo.checkout)).toBe(2);
    expect(git(repo.checkout, 'status', '--porcelain')).toBe('');
    expect(git(repo.checkout, 'fsck', '--no-progress')).toBe('');
    expect(fs.existsSync(path.join(repo.checkout, '.git', LOCK_FILE))).toBe(false);
  });
});
