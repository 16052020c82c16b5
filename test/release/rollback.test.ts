// The whole workflow on the fixture platform, in-process and on real git with a bare remote:
// v1.0.0 released and promoted through every environment, v1.1.0 released and forced to prod, then status, history,
// rollbacks of prod and dev, and the DORA figures of that history, counted by hand. Commit times
// are fixed through GIT_COMMITTER_DATE, so the figures are too.
import { runDora } from '../../cli/dora-command';
import { runHistory } from '../../cli/history-command';
import { runPromote } from '../../cli/promote-command';
import { runRelease } from '../../cli/release-command';
import { type RollbackCommandOptions, runRollback } from '../../cli/rollback-command';
import { runStatus } from '../../cli/status-command';
import { type DoraReport } from '../../lib/gitops/dora';
import { type GitOpsRunResult } from '../../lib/pipeline/release-transaction';
import { platformConfig } from '../fixtures/shop/platform';
import { cliText, git } from '../helpers';
import {
  failed,
  FIXTURE_RUN,
  gitopsRepo,
  type GitOpsRepo,
  lastMessage,
  outcome,
  readJson,
  type ReleasesJson,
  removeTempDirs,
  snapshot,
  succeeded,
  useTagTime,
} from './fixtures';

useTagTime();
afterAll(removeTempDirs);

const HOUR = 3600;
let repo: GitOpsRepo;
/** The commit of each step, by name. */
const at = new Map<string, string>();
/** The status and the prod rollback's result, taken on the way. */
let statusBefore: { environments: { env: string; tag: string; canaryWeight?: number }[] };
let prodRollback: GitOpsRunResult;

/** Runs one step with its commit dated `time`. */
async function step(name: string, time: string, run: () => Promise<GitOpsRunResult>): Promise<GitOpsRunResult> {
  process.env.GIT_COMMITTER_DATE = time;
  process.env.GIT_AUTHOR_DATE = time;
  try {
    const result = succeeded(await outcome(run));
    if (result.commit === undefined) throw new Error(`${name} made no commit: ${result.stdout.join('\n')}`);
    at.set(name, result.commit);
    return result;
  } finally {
    delete process.env.GIT_COMMITTER_DATE;
    delete process.env.GIT_AUTHOR_DATE;
  }
}

const rollback = (options: Omit<RollbackCommandOptions, 'sourceCommit'>) => runRollback({ ...FIXTURE_RUN, gitops: repo.checkout, ...options });
const promote = (from: string, to: string, extra = {}) => () => runPromote({ ...FIXTURE_RUN, gitops: repo.checkout, from, to, ...extra });
const release = (tag: string) => () => runRelease({ ...FIXTURE_RUN, gitops: repo.checkout, tag, push: true });
const releasesOf = (): ReleasesJson => readJson<ReleasesJson>(`${repo.checkout}/releases.json`);

beforeAll(async () => {
  repo = gitopsRepo();
  await step('release 1.0', '2024-05-01T12:00:00Z', release('v1.0.0'));
  await step('stage 1.0', '2024-05-01T13:00:00Z', promote('dev', 'stage'));
  await step('canary 1.0', '2024-05-01T14:00:00Z', promote('stage', 'canary'));
  await step('prod 1.0', '2024-05-02T10:00:00Z', promote('canary', 'prod'));
  await step('release 1.1', '2024-05-03T09:00:00Z', release('v1.1.0'));
  // A hotfix: forced past stage and canary, so it counts as a failed change.
  await step('prod 1.1', '2024-05-03T16:00:00Z', promote('dev', 'prod', { force: true, reason: 'hotfix' }));
  await step('canary step', '2024-05-03T17:00:00Z', promote('stage', 'canary', { step: true }));
  statusBefore = JSON.parse(runStatus({ gitops: repo.checkout, config: platformConfig, format: 'json' })) as typeof statusBefore;
  prodRollback = await step('rollback prod', '2024-05-04T10:00:00Z', () => rollback({ env: 'prod', steps: '1' }));
  await step('rollback dev', '2024-05-04T11:00:00Z', () => rollback({ env: 'dev', steps: '1', push: true }));
}, 120_000);

test('status shows the release of every environment', () => {
  expect(statusBefore.environments.map((e) => [e.env, e.tag, e.canaryWeight])).toEqual([
    ['dev', 'v1.1.0', undefined],
    ['stage', 'v1.0.0', undefined],
    ['canary', 'v1.0.0', 10],
    ['prod', 'v1.1.0', undefined],
  ]);
  const text = runStatus({ gitops: repo.checkout, config: platformConfig });
  const dev = text.split('\n').find((l) => l.startsWith('dev '));
  expect(dev?.split(/\s{2,}/)).toEqual(['dev', 'v1.0.0', '-', '2024-05-04T11:00:00+00:00', at.get('rollback dev')?.slice(0, 12), 'rollback dev to v1.0.0']);
});

test('rollback --steps 1 restores v1.0.0 in dev with a commit, pushed', () => {
  const dev = releasesOf().environments.dev;
  expect(dev.tag).toBe('v1.0.0');
  expect(dev.provenance).toEqual({
    action: 'rollback',
    tag: 'v1.0.0',
    tagTime: '2024-05-01T10:00:00Z',
    releaseCommit: 'test-commit',
    sourceCommit: 'test-commit',
    restoredCommit: at.get('release 1.0'),
    replacedTag: 'v1.1.0',
    replacedCommit: at.get('release 1.1'),
  });
  expect(git(repo.checkout, 'rev-parse', 'HEAD')).toBe(at.get('rollback dev'));
  expect(git(repo.remote, 'rev-parse', 'main')).toBe(at.get('rollback dev'));
  expect(lastMessage(repo.checkout).split('\n').slice(0, 4)).toEqual([
    'rollback dev to v1.0.0',
    '',
    `Tag: v1.0.0, as recorded by GitOps commit ${at.get('release 1.0')}`,
    `Rolled back from: v1.1.0, GitOps commit ${at.get('release 1.1')}`,
  ]);
});

test('a rollback of production returns the canary to 0, as a production release does', () => {
  const releases = releasesOf();
  expect(releases.environments.prod.tag).toBe('v1.0.0');
  expect(releases.environments.canary.canaryWeight).toBe(0);
  expect(prodRollback.stdout.join('\n')).toContain('rollback prod to v1.0.0: committed');
  expect(git(repo.checkout, 'log', '-1', '--format=%B', at.get('rollback prod') as string)).toContain('Canary weight: 10 -> 0');
});

test('history --env dev shows both releases and the rollback, newest first', () => {
  const json = JSON.parse(runHistory({ gitops: repo.checkout, config: platformConfig, env: 'dev', format: 'json' })) as { environments: { events: { commit: string; tag: string; action: string }[] }[] };
  expect(json.environments[0].events.map((e) => [e.commit, e.tag, e.action])).toEqual([
    [at.get('rollback dev'), 'v1.0.0', 'rollback'],
    [at.get('release 1.1'), 'v1.1.0', 'release'],
    [at.get('release 1.0'), 'v1.0.0', 'release'],
  ]);
});

test('dora: 3 production deployments in 4 days, a forced one and a rollback among them', () => {
  const report = JSON.parse(runDora({ gitops: repo.checkout, config: platformConfig, format: 'json', from: '2024-05-01T00:00:00Z', until: '2024-05-05T00:00:00Z' })) as DoraReport;
  // prod: promote v1.0.0 05-02 10:00, forced promote v1.1.0 05-03 16:00, rollback 05-04 10:00;
  // both tags made 05-01 10:00 (TAG_TIME). Lead times 24h and 54h; restored 18h after v1.1.0 came.
  expect(report.deployments.count).toBe(3);
  expect(report.deployments.perWeek).toBeCloseTo(5.25, 10);
  expect(report.leadTime).toEqual({ samples: 2, medianSeconds: 39 * HOUR, p90Seconds: 54 * HOUR });
  expect(report.changeFailureRate).toEqual({ failures: 2, rollbacks: 1, forced: 1, rate: 2 / 3 });
  expect(report.timeToRestore).toEqual({ samples: 1, medianSeconds: 18 * HOUR, p90Seconds: 18 * HOUR });
});

test('refusals: one line with the fix, and the checkout as it was', async () => {
  const before = snapshot(repo);
  const refused = async (options: Omit<RollbackCommandOptions, 'sourceCommit'>): Promise<string> => cliText(failed(await outcome(() => rollback(options))));
  expect(await refused({ env: 'dev', to: 'v0.9.0' })).toBe('dev has never run v0.9.0 in the history of releases.json; fix: use --to with one of v1.0.0, v1.1.0');
  expect(await refused({ env: 'dev', to: 'v1.0.0', steps: '1' })).toBe('rollback needs one of --to and --steps, not both; fix: pass --to vX.Y.Z or --steps N');
  expect(await refused({ env: 'dev' })).toBe('rollback needs one of --to and --steps; fix: pass --to vX.Y.Z or --steps N');
  expect(await refused({ env: 'dev', steps: '9' })).toMatch(/^steps 9 goes back beyond the history of dev, which records 2 earlier release\(s\); fix: /);
  expect(await refused({ steps: '1' })).toBe('rollback needs the environment to roll back; fix: add --env ENV, such as --env dev');
  expect(snapshot(repo)).toEqual(before);
});

test('a rollback to the release the environment runs commits nothing', async () => {
  const result = succeeded(await outcome(() => rollback({ env: 'dev', to: 'v1.0.0' })));
  expect(result.commit).toBeUndefined();
  expect(result.stdout.join('\n')).toContain('dev already runs the release of');
});
