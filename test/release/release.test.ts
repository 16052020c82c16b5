// Releases of the fixture platform, run in-process through runRelease: the same transaction the CLI
// runs, on a platform of the tests' own. What the CLI process adds (exit codes, one-line errors,
// two processes racing for the lock) is tested in test/cli/release.test.ts.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkTag, type ReleaseCommandOptions, runRelease } from '../../cli/release-command';
import { type ManifestIndex } from '../../lib/engine/manifest-index';
import { LOCK_FILE } from '../../lib/gitops/lock';
import { git } from '../helpers';
import {
  commitCount,
  copyRepo,
  failed,
  FIXTURE_RUN,
  gitopsRepo,
  type GitOpsRepo,
  imageOf,
  lastMessage,
  type Outcome,
  outcome,
  readJson,
  type ReleasesJson,
  removeTempDirs,
  type RepoSnapshot,
  snapshot,
  splitMessage,
  succeeded,
  TAG_TIME,
  useTagTime,
  writeFiles,
} from './fixtures';

useTagTime();
afterAll(removeTempDirs);

const lockFile = (repo: GitOpsRepo): string => path.join(repo.checkout, '.git', LOCK_FILE);
const liveHolder = `${JSON.stringify({ pid: process.pid, host: os.hostname() })}\n`;

/** A release of the fixture platform into `repo`'s checkout. */
const release = (repo: GitOpsRepo, tag: string, extra: Partial<ReleaseCommandOptions> = {}): Promise<Outcome> =>
  outcome(() => runRelease({ ...FIXTURE_RUN, tag, gitops: repo.checkout, ...extra }));

/** One prepared checkout, the release run on it, and the checkout as it was before the run. */
interface Scenario {
  readonly repo: GitOpsRepo;
  readonly before: RepoSnapshot;
  readonly run: Outcome;
}

/** A fresh GitOps repository with a README, and a copy of it released to v1.5.0. */
let empty: GitOpsRepo;
let released: GitOpsRepo;
const scenarios = new Map<string, Scenario>();

beforeAll(async () => {
  empty = gitopsRepo();
  released = copyRepo(empty);
  succeeded(await release(released, 'v1.5.0', { push: true }));
  type Prepared = { base: GitOpsRepo; tag: string; push?: boolean; setup?: (repo: GitOpsRepo) => void };
  const prepared: Record<string, Prepared> = {
    commitFails: {
      base: empty,
      tag: 'v1.6.0',
      setup: (r) => fs.writeFileSync(path.join(r.checkout, '.git', 'hooks', 'pre-commit'), '#!/bin/sh\nexit 1\n', { mode: 0o755 }),
    },
    again: { base: released, tag: 'v1.5.0', push: true },
    dirty: { base: released, tag: 'v1.6.0', setup: (r) => writeFiles(r.checkout, { 'README.md': '# edited\n', 'notes.txt': 'wip\n' }) },
    hookRejects: {
      base: released,
      tag: 'v1.6.0',
      push: true,
      setup: (r) => fs.writeFileSync(path.join(r.remote, 'hooks', 'pre-receive'), '#!/bin/sh\necho "releases are frozen" >&2\nexit 1\n', { mode: 0o755 }),
    },
    remoteAhead: { base: released, tag: 'v1.6.0', push: true, setup: pushFromAnotherClone },
    lockHeld: { base: released, tag: 'v1.6.0', setup: (r) => fs.writeFileSync(lockFile(r), liveHolder) },
  };
  for (const [name, p] of Object.entries(prepared)) {
    const repo = copyRepo(p.base);
    p.setup?.(repo);
    const before = snapshot(repo);
    scenarios.set(name, { repo, before, run: await release(repo, p.tag, { push: p.push }) });
  }
}, 120_000);

const scenario = (name: string): Scenario => {
  const found = scenarios.get(name);
  if (found === undefined) throw new Error(`no scenario ${name}`);
  return found;
};

describe('the release tag', () => {
  test.each([
    ['1.2.3', 'use v1.2.3'],
    ['v1.2', 'tag the release as vMAJOR.MINOR.PATCH, such as v1.2.3'],
    ['v01.2.3', 'tag the release as vMAJOR.MINOR.PATCH, such as v1.2.3'],
    ['latest', 'tag the release as vMAJOR.MINOR.PATCH, such as v1.2.3'],
    ['V1.2.3', 'tag the release as vMAJOR.MINOR.PATCH, such as v1.2.3'],
    // Build metadata has no place in an image tag or a label value.
    ['v1.0.0+build.5', 'tag the release as vMAJOR.MINOR.PATCH, such as v1.2.3'],
  ])('%s is refused with its fix', (tag, fix) => {
    expect(() => checkTag(tag)).toThrow(`release tag "${tag}" is not strict semver with a leading v; fix: ${fix}`);
  });

  test.each(['v1.2.3', 'v0.1.0', 'v2.0.0-rc.1'])('%s is a release tag', (tag) => {
    expect(checkTag(tag)).toBe(tag);
  });

  test('a release with a bad tag is refused before the checkout is read', async () => {
    const repo = copyRepo(empty);
    const before = snapshot(repo);
    expect(failed(await release(repo, '1.2.3')).message).toBe('release tag "1.2.3" is not strict semver with a leading v; fix: use v1.2.3');
    expect(snapshot(repo)).toEqual(before);
  });

  test.each([
    [{ env: 'qa' }, 'unknown environment "qa" in --env; fix: use one of dev, stage, canary, prod'],
    [{ digest: `sha256:${'ab'.repeat(32)}` }, `--digest sha256:${'ab'.repeat(32)} names one image; fix: add --app NAME`],
    [{ app: 'web', digest: 'sha256:abc' }, '--digest "sha256:abc" is not an image digest; fix: pass sha256:<64 hex digits>'],
    [{ gitops: undefined }, 'release needs the GitOps checkout to commit to; fix: add --gitops DIR'],
  ])('%j is refused before anything is read: %s', async (extra, message) => {
    expect(failed(await release(empty, 'v1.6.0', extra)).message).toBe(message);
  });
});

describe('release', () => {
  test('commits and pushes the synthesized output, with a message naming the tag, the environments and the source commit', () => {
    const { checkout, remote } = released;
    expect(commitCount(checkout)).toBe(2);
    expect(git(remote, 'rev-parse', 'main')).toBe(git(checkout, 'rev-parse', 'HEAD'));
    expect(git(checkout, 'status', '--porcelain')).toBe('');
    const { also, lines } = splitMessage(lastMessage(checkout));
    expect(lines).toEqual(['release v1.5.0 to dev', '', `Tag: v1.5.0, made ${TAG_TIME}`, 'Apps: all', 'Environments changed: dev, stage, canary, prod', 'Source commit: test-commit']);
    expect(also).toMatch(/^Also changed: argocd, .*terraform, releases$/);
    // dev runs the tag; the other environments keep the seed's releases.
    expect(imageOf(checkout, 'kubernetes/dev/deployment-web.yaml')).toMatch(/\/web:v1\.5\.0$/);
    expect(imageOf(checkout, 'kubernetes/prod/rollout-web.yaml')).toMatch(/\/web:v1\.3\.1$/);
    expect(imageOf(checkout, 'kubernetes/canary/rollout-inventory-api-canary.yaml')).toMatch(/\/inventory-api:v1\.3\.2$/);
    expect(git(checkout, 'ls-files').split('\n')).toEqual(
      expect.arrayContaining(['README.md', 'platform-index.json', 'releases.json', 'terraform/bootstrap/main.tf.json']),
    );
  });

  test('records the release in releases.json and its provenance in the index', () => {
    const state = readJson<ReleasesJson>(path.join(released.checkout, 'releases.json'));
    expect(state.environments.dev).toMatchObject({
      tag: 'v1.5.0',
      provenance: { action: 'release', tag: 'v1.5.0', tagTime: TAG_TIME, releaseCommit: 'test-commit', sourceCommit: 'test-commit' },
    });
    expect(Object.keys(state.environments.dev.apps ?? {})).toEqual(['inventory-api', 'web', 'worker', 'admin']);
    expect(state.environments.dev.apps?.web.configVersion).toMatch(/^[0-9a-f]{16}$/);
    expect(state.environments.stage).toEqual({ tag: 'v1.3.2' });

    const index = readJson<ManifestIndex>(path.join(released.checkout, 'platform-index.json'));
    expect(index.files).toContainEqual({ path: 'releases.json', scope: 'releases', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(index.releases?.find((r) => r.env === 'dev' && r.app === 'web')).toEqual({
      env: 'dev',
      app: 'web',
      image: 'europe-west1-docker.pkg.dev/shop-platform/shop/web:v1.5.0',
      tag: 'v1.5.0',
      configVersion: state.environments.dev.apps?.web.configVersion,
      action: 'release',
      tagTime: TAG_TIME,
      releaseCommit: 'test-commit',
      sourceCommit: 'test-commit',
    });
    expect(index.releases?.find((r) => r.env === 'prod' && r.app === 'web')).toEqual({
      env: 'prod',
      app: 'web',
      image: 'europe-west1-docker.pkg.dev/shop-platform/shop/web:v1.3.1',
      tag: 'v1.3.1',
    });
  });

  test('is idempotent: the same tag again makes no commit, exits 0 and says so', () => {
    const { run, repo, before } = scenario('again');
    const result = succeeded(run);
    expect(result.exitCode).toBe(0);
    expect(result.commit).toBeUndefined();
    expect(result.stdout).toContain('v1.5.0 is already released to dev: nothing to commit');
    expect(snapshot(repo)).toEqual(before);
  });

  test('refuses a checkout with uncommitted changes, and leaves it as it is', () => {
    const { run, repo, before } = scenario('dirty');
    expect(failed(run).message).toBe(
      `GitOps checkout ${repo.checkout} has uncommitted changes (M README.md and 1 more); fix: commit or discard them (git -C ${repo.checkout} status), then run again`,
    );
    expect(snapshot(repo)).toEqual(before);
  });

  test('a push the remote rejects leaves the checkout exactly as it was: HEAD, index and work tree', () => {
    const { run, repo, before } = scenario('hookRejects');
    expect(failed(run).message).toMatch(
      /^push to origin refs\/heads\/main was rejected \(.*pre-receive hook declined.*\); the checkout is back at [0-9a-f]{12}; fix: git -C \S+ pull --ff-only, then run again$/,
    );
    expect(snapshot(repo)).toEqual(before);
  });

  test('a remote that moved ahead rejects the push, and the checkout is restored', () => {
    const { run, repo, before } = scenario('remoteAhead');
    expect(failed(run).message).toMatch(/^push to origin refs\/heads\/main was rejected \(.*(fetch first|non-fast-forward).*\)/);
    expect(snapshot(repo)).toEqual(before);
  });

  test('a failed commit into a fresh checkout removes every file and directory the release wrote', () => {
    const { run, repo, before } = scenario('commitFails');
    expect(failed(run).message).toMatch(/^git commit failed in \S+ \(.*\); the checkout is unchanged; fix: /);
    expect(snapshot(repo)).toEqual(before);
  });
});

describe('validation', () => {
  test('an output with violations exits 1, lists each with its fix, and writes nothing', async () => {
    const repo = copyRepo(released);
    const before = snapshot(repo);
    const violation = { file: 'kubernetes/dev/deployment-web.yaml', object: 'Deployment/web', rule: 'schema', message: '/spec/replicas: must be integer', fix: 'correct it' };
    const result = succeeded(await release(repo, 'v1.6.0', { validate: () => [violation] }));
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toEqual([
      'kubernetes/dev/deployment-web.yaml: Deployment/web: schema: /spec/replicas: must be integer; fix: correct it',
      `error: release v1.6.0 to dev: the output has 1 violation(s); nothing was written to ${repo.checkout}`,
    ]);
    expect(snapshot(repo)).toEqual(before);
    expect(fs.existsSync(lockFile(repo))).toBe(false);
  });
});

describe('the checkout lock', () => {
  test('a lock held by a live run refuses the release, and the lock stays', () => {
    const { run, repo, before } = scenario('lockHeld');
    expect(failed(run).message).toBe(
      `GitOps checkout ${repo.checkout} is locked by another run (pid ${process.pid} on ${os.hostname()}): ${lockFile(repo)}; fix: wait for that release or promote to finish, or delete the lock file if no run is active`,
    );
    expect(snapshot(repo)).toEqual(before);
    expect(fs.readFileSync(lockFile(repo), 'utf8')).toBe(liveHolder);
  });

  test('two releases started together on one checkout make one commit and leave it clean', async () => {
    const repo = copyRepo(released);
    const runs = await Promise.all([0, 1].map(() => release(repo, 'v1.7.0')));
    // The first takes the lock before it yields; the second finds it held.
    expect(runs.filter((r) => r.result?.commit !== undefined)).toHaveLength(1);
    expect(runs.filter((r) => r.error !== undefined).map((r) => r.error?.message)).toEqual([expect.stringMatching(/^GitOps checkout \S+ is locked by another run/)]);
    expect(commitCount(repo.checkout)).toBe(3);
    expect(git(repo.checkout, 'status', '--porcelain')).toBe('');
    expect(fs.existsSync(lockFile(repo))).toBe(false);
  });
});

/** Another clone pushes a commit, so the checkout is behind its remote. */
function pushFromAnotherClone(repo: GitOpsRepo): void {
  const other = path.join(path.dirname(repo.checkout), 'other');
  git(path.dirname(repo.checkout), 'clone', '-q', repo.remote, other);
  writeFiles(other, { OWNERS: 'platform\n' });
  git(other, 'add', '-A');
  git(other, '-c', 'user.name=O', '-c', 'user.email=o@example.com', 'commit', '-q', '-m', 'owners');
  git(other, 'push', '-q', 'origin', 'main');
}
