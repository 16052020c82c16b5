import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { git } from '../helpers';
import { type ReleasesJson, scratchDir } from './fixtures';

/** One hand-written version of releases.json, committed at a fixed time. */
export interface HandVersion {
  readonly time: string;
  readonly subject: string;
  /** The file's data, or raw text (a damaged version). */
  readonly releases: ReleasesJson | string;
}

/** Runs git with fixed author and committer dates, so the history's times are the test's own. */
export function gitAt(cwd: string, time: string, ...args: string[]): string {
  const run = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_DATE: time, GIT_COMMITTER_DATE: time, GIT_AUTHOR_NAME: 'Release Bot', GIT_AUTHOR_EMAIL: 'release@example.com', GIT_COMMITTER_NAME: 'Release Bot', GIT_COMMITTER_EMAIL: 'release@example.com' },
  });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr}`);
  return run.stdout.trim();
}

/** A git repository whose commits write `versions` of releases.json in order; returns its directory and the commit ids. */
export function historyRepo(versions: readonly HandVersion[]): { dir: string; commits: string[] } {
  const dir = path.join(scratchDir('platform-history-'), 'gitops');
  fs.mkdirSync(dir);
  git(dir, 'init', '-q', '-b', 'main');
  const commits: string[] = [];
  for (const v of versions) {
    fs.writeFileSync(path.join(dir, 'releases.json'), typeof v.releases === 'string' ? v.releases : `${JSON.stringify(v.releases, null, 2)}\n`);
    gitAt(dir, v.time, 'add', 'releases.json');
    gitAt(dir, v.time, 'commit', '-q', '-m', v.subject);
    commits.push(gitAt(dir, v.time, 'rev-parse', 'HEAD'));
  }
  return { dir, commits };
}

type Prov = Record<string, unknown>;
const TAG_TIMES: Readonly<Record<string, string>> = {
  'v1.0.0': '2024-04-20T00:00:00Z',
  'v1.1.0': '2024-05-02T08:00:00Z',
  'v1.2.0': '2024-05-04T06:00:00Z',
  'v1.3.0': '2024-05-08T00:00:00Z',
};
const prov = (action: string, tag: string, extra: Prov = {}): Prov => ({ action, tag, tagTime: TAG_TIMES[tag], sourceCommit: 'test-commit', ...extra });

/**
 * The generated history of the DORA tests, with its production deployments (prod) counted by hand
 * (times UTC; tags made at TAG_TIMES):
 *
 * | # | commit time       | prod change                                  | lead time | restore |
 * |---|-------------------|----------------------------------------------|-----------|---------|
 * | - | 05-01 00:00 init  | v1.0.0, no provenance: a seed, no deployment |           |         |
 * | - | 05-02 10:00       | (dev only: release v1.1.0)                   |           |         |
 * | 1 | 05-03 10:00       | promote v1.1.0 forced from dev               | 26h       |         |
 * | - | 05-04 12:00       | (dev only: release v1.2.0)                   |           |         |
 * | 2 | 05-05 04:00 (06:00+02:00) | promote v1.2.0 from canary           | 22h       |         |
 * | 3 | 05-05 08:00       | rollback to v1.1.0                           | -         | 4h      |
 * | - | 05-06 00:00       | (canary weight only)                         |           |         |
 * | 4 | 05-08 12:00       | release v1.3.0 into prod                     | 12h       |         |
 * | - | 05-09 12:00       | (damaged file: a note, skipped)              |           |         |
 * | 5 | 05-10 00:00       | rollback to v1.2.0                           | -         | 36h     |
 */
export function doraVersions(): HandVersion[] {
  const state = (dev: string, prod: string, edit: (r: ReleasesJson) => void = () => undefined): ReleasesJson => {
    const r: ReleasesJson = { environments: { dev: { tag: dev }, stage: { tag: 'v1.0.0' }, canary: { tag: 'v1.0.0', canaryWeight: 0 }, prod: { tag: prod } } };
    edit(r);
    return r;
  };
  const devRelease = (tag: string) => (r: ReleasesJson): void => {
    r.environments.dev.provenance = prov('release', tag);
  };
  const forced = prov('promote', 'v1.1.0', { from: 'dev', reason: 'hotfix for incident 7', skipped: ['stage', 'canary'] });
  const promoted = prov('promote', 'v1.2.0', { from: 'canary' });
  return [
    { time: '2024-05-01T00:00:00Z', subject: 'init', releases: state('v1.0.0', 'v1.0.0') },
    { time: '2024-05-02T10:00:00Z', subject: 'release v1.1.0 to dev', releases: state('v1.1.0', 'v1.0.0', devRelease('v1.1.0')) },
    {
      time: '2024-05-03T10:00:00Z',
      subject: 'promote v1.1.0 from dev to prod',
      releases: state('v1.1.0', 'v1.1.0', (r) => {
        devRelease('v1.1.0')(r);
        r.environments.prod.provenance = forced;
      }),
    },
    {
      time: '2024-05-04T12:00:00Z',
      subject: 'release v1.2.0 to dev',
      releases: state('v1.2.0', 'v1.1.0', (r) => {
        devRelease('v1.2.0')(r);
        r.environments.prod.provenance = forced;
      }),
    },
    {
      time: '2024-05-05T06:00:00+02:00',
      subject: 'promote v1.2.0 from canary to prod',
      releases: state('v1.2.0', 'v1.2.0', (r) => {
        devRelease('v1.2.0')(r);
        r.environments.prod.provenance = promoted;
      }),
    },
    {
      time: '2024-05-05T08:00:00Z',
      subject: 'rollback prod to v1.1.0',
      releases: state('v1.2.0', 'v1.1.0', (r) => {
        devRelease('v1.2.0')(r);
        r.environments.prod.provenance = prov('rollback', 'v1.1.0', { restoredCommit: 'c3', replacedTag: 'v1.2.0' });
      }),
    },
    {
      time: '2024-05-06T00:00:00Z',
      subject: 'step canary to 25%',
      releases: state('v1.2.0', 'v1.1.0', (r) => {
        devRelease('v1.2.0')(r);
        r.environments.canary.canaryWeight = 25;
        r.environments.prod.provenance = prov('rollback', 'v1.1.0', { restoredCommit: 'c3', replacedTag: 'v1.2.0' });
      }),
    },
    {
      time: '2024-05-08T12:00:00Z',
      subject: 'release v1.3.0 to prod',
      releases: state('v1.2.0', 'v1.3.0', (r) => {
        devRelease('v1.2.0')(r);
        r.environments.canary.canaryWeight = 25;
        r.environments.prod.provenance = prov('release', 'v1.3.0');
      }),
    },
    { time: '2024-05-09T12:00:00Z', subject: 'a damaged edit', releases: '{ "environments": ' },
    {
      time: '2024-05-10T00:00:00Z',
      subject: 'rollback prod to v1.2.0',
      releases: state('v1.2.0', 'v1.2.0', (r) => {
        devRelease('v1.2.0')(r);
        r.environments.canary.canaryWeight = 25;
        r.environments.prod.provenance = prov('rollback', 'v1.2.0', { restoredCommit: 'c5', replacedTag: 'v1.3.0' });
      }),
    },
  ];
}
