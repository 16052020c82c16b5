// The history of releases.json: events derived from versions (pure), and the versions read from git.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runHistory } from '../../cli/history-command';
import { runStatus } from '../../cli/status-command';
import { envEvents, readReleaseHistory, releaseEvents, type ReleasesVersion, rollbackTarget } from '../../lib/gitops/release-history';
import { appsIn } from '../../lib/gitops/release-state';
import { definePlatform } from '../../lib/model/platform';
import { parseReleases } from '../../lib/model/releases';
import { platformConfig } from '../fixtures/shop/platform';
import { cliMessage, git } from '../helpers';
import { removeTempDirs, scratchDir } from './fixtures';
import { doraVersions, gitAt, historyRepo } from './history-fixtures';

afterAll(removeTempDirs);

const DIGEST = `sha256:${'cd'.repeat(32)}`;
const version = (n: number, data: unknown): ReleasesVersion => ({
  commit: `c${n}`.padEnd(40, '0'),
  time: `2024-05-0${n}T00:00:00Z`,
  subject: `change ${n}`,
  releases: parseReleases(data),
});
const p = (action: string, tag: string, extra: Record<string, unknown> = {}) => ({ action, tag, sourceCommit: 's', ...extra });

describe('releaseEvents', () => {
  const versions = [
    version(1, { environments: { dev: { tag: 'v1.0.0' }, canary: { tag: 'v1.0.0', canaryWeight: 0 } } }),
    version(2, { environments: { dev: { tag: 'v1.1.0', provenance: p('release', 'v1.1.0', { tagTime: '2024-05-01T12:00:00Z' }) }, canary: { tag: 'v1.0.0', canaryWeight: 0 } } }),
    version(3, { environments: { dev: { tag: 'v1.1.0', provenance: p('release', 'v1.1.0', { tagTime: '2024-05-01T12:00:00Z' }) }, canary: { tag: 'v1.0.0', canaryWeight: 25 } } }),
    // One app's own release by digest: its provenance is the one that changed.
    version(4, {
      environments: {
        dev: { tag: 'v1.1.0', provenance: p('release', 'v1.1.0', { tagTime: '2024-05-01T12:00:00Z' }), apps: { web: { tag: 'v1.1.1', digest: DIGEST, provenance: p('release', 'v1.1.1') } } },
        canary: { tag: 'v1.0.0', canaryWeight: 25 },
      },
    }),
    version(5, { environments: { dev: { tag: 'v1.1.0' }, canary: { tag: 'v1.1.0', canaryWeight: 10, provenance: p('promote', 'v1.1.0', { from: 'dev', reason: 'urgent' }) } } }),
  ];
  const events = releaseEvents(versions);

  test('one event per changed environment, oldest first, with the action of what changed', () => {
    expect(events.map((e) => [e.commit.slice(0, 2), e.env, e.tag, e.action, e.releaseChanged])).toEqual([
      ['c1', 'dev', 'v1.0.0', 'edit', true],
      ['c1', 'canary', 'v1.0.0', 'edit', true],
      ['c2', 'dev', 'v1.1.0', 'release', true],
      ['c3', 'canary', 'v1.0.0', 'canary-step', false],
      ['c4', 'dev', 'v1.1.0', 'release', true],
      ['c5', 'dev', 'v1.1.0', 'edit', true],
      ['c5', 'canary', 'v1.1.0', 'promote', true],
    ]);
  });

  test('events carry app tags and digests, weight, tag time and a forced promotion\'s reason', () => {
    const web = events[4];
    expect(web.apps).toEqual([{ app: 'web', tag: 'v1.1.1', digest: DIGEST, configVersion: undefined }]);
    expect(web.provenance?.tag).toBe('v1.1.1');
    expect(events[2].tagTime).toBe('2024-05-01T12:00:00Z');
    expect(events[3].canaryWeight).toBe(25);
    expect(events[6].reason).toBe('urgent');
  });

  test('rollback targets skip weight-only changes and refuse what the history does not hold', () => {
    expect(rollbackTarget(events, 'canary', { steps: 1 }).restore.commit).toBe(versions[0].commit);
    expect(rollbackTarget(events, 'dev', { steps: 2 }).restore.tag).toBe('v1.1.0');
    expect(rollbackTarget(events, 'dev', { to: 'v1.0.0' }).restore.commit).toBe(versions[0].commit);
    expect(cliMessage(() => rollbackTarget(events, 'dev', { to: 'v0.9.0' }))).toBe(
      'dev has never run v0.9.0 in the history of releases.json; fix: use --to with one of v1.1.0, v1.0.0',
    );
    expect(cliMessage(() => rollbackTarget(events, 'dev', { steps: 4 }))).toBe(
      'steps 4 goes back beyond the history of dev, which records 3 earlier release(s); fix: use steps 1 to 3, or --to with one of v1.1.0, v1.0.0',
    );
    expect(envEvents(events, 'stage')).toEqual([]);
  });
});

describe('readReleaseHistory', () => {
  test('reads every committed version along the first parent, and notes a damaged one', () => {
    const { dir, commits } = historyRepo(doraVersions());
    const history = readReleaseHistory(dir);
    expect(history.versions.map((v) => v.commit)).toEqual(commits.filter((_, i) => i !== 8));
    expect(history.versions[4].time).toBe('2024-05-05T06:00:00+02:00');
    expect(history.versions[1].subject).toBe('release v1.1.0 to dev');
    expect(history.notes).toHaveLength(1);
  });

  test('only the releases.json of the output root is read, also in a directory of the work tree', () => {
    const top = scratchDir('platform-history-');
    git(top, 'init', '-q', '-b', 'main');
    fs.mkdirSync(path.join(top, 'out'));
    const at = (time: string, ...args: string[]): string => gitAt(top, time, ...args);
    fs.writeFileSync(path.join(top, 'releases.json'), '{"environments":{"dev":{"tag":"v9.9.9"}}}\n');
    fs.writeFileSync(path.join(top, 'out', 'releases.json'), '{"environments":{"dev":{"tag":"v1.0.0"}}}\n');
    at('2024-05-01T00:00:00Z', 'add', '-A');
    at('2024-05-01T00:00:00Z', 'commit', '-q', '-m', 'both');
    fs.writeFileSync(path.join(top, 'releases.json'), '{"environments":{"dev":{"tag":"v9.9.10"}}}\n');
    at('2024-05-02T00:00:00Z', 'commit', '-q', '-am', 'only the top one');
    const versions = readReleaseHistory(path.join(top, 'out')).versions;
    expect(versions.map((v) => [v.subject, v.releases.environments.dev.tag])).toEqual([['both', 'v1.0.0']]);
    expect(readReleaseHistory(top).versions.map((v) => v.releases.environments.dev.tag)).toEqual(['v9.9.9', 'v9.9.10']);
  });
});

describe('history and status', () => {
  test('history of one environment, newest first, limited', () => {
    const { dir, commits } = historyRepo(doraVersions());
    const text = runHistory({ gitops: dir, config: platformConfig, env: 'prod', limit: '3' });
    const lines = text.split('\n');
    expect(lines[0]).toBe('prod:');
    expect(lines.slice(1, 4).map((l) => l.trim().split(/\s+/).slice(0, 4))).toEqual([
      [commits[9].slice(0, 12), '2024-05-10T00:00:00+00:00', 'v1.2.0', 'rollback'],
      [commits[7].slice(0, 12), '2024-05-08T12:00:00+00:00', 'v1.3.0', 'release'],
      [commits[5].slice(0, 12), '2024-05-05T08:00:00+00:00', 'v1.1.0', 'rollback'],
    ]);
    expect(lines[1]).toContain('replaces v1.3.0, restores GitOps commit c5');
    const json = JSON.parse(runHistory({ gitops: dir, config: platformConfig, env: 'canary', format: 'json' })) as { environments: { env: string; events: { action: string; canaryWeight: number }[] }[] };
    expect(json.environments).toEqual([{ env: 'canary', events: [expect.objectContaining({ action: 'canary-step', canaryWeight: 25 }), expect.objectContaining({ action: 'edit', canaryWeight: 0 })] }]);
    expect(cliMessage(() => runHistory({ gitops: dir, config: platformConfig, env: 'qa' }))).toBe('unknown environment "qa" in --env; fix: use one of dev, stage, canary, prod');
  });

  test('status: the newest version, and the commit that last changed each environment', () => {
    const { dir, commits } = historyRepo(doraVersions());
    const json = JSON.parse(runStatus({ gitops: dir, config: platformConfig, format: 'json' })) as {
      commit: string;
      environments: { env: string; tag: string; canaryWeight?: number; changed: { commit: string }; apps: { app: string }[] }[];
    };
    expect(json.commit).toBe(commits[9]);
    expect(json.environments.map((e) => [e.env, e.tag, e.canaryWeight, e.changed.commit])).toEqual([
      ['dev', 'v1.2.0', undefined, commits[3]],
      ['stage', 'v1.0.0', undefined, commits[0]],
      ['canary', 'v1.0.0', 25, commits[6]],
      ['prod', 'v1.2.0', undefined, commits[9]],
    ]);
    // Each environment lists the apps that run there: the canary runs only the candidates.
    const platform = definePlatform(platformConfig);
    for (const e of json.environments) expect(e.apps.map((a) => a.app)).toEqual(appsIn(platform, e.env));
    expect(appsIn(platform, 'canary').length).toBeLessThan(platformConfig.apps.length);
  });

  test('a checkout without a committed releases.json is refused with its fix', () => {
    const dir = scratchDir('platform-history-');
    git(dir, 'init', '-q', '-b', 'main');
    expect(cliMessage(() => runStatus({ gitops: dir, config: platformConfig }))).toBe(`--gitops ${dir} has no committed releases.json; fix: run release with --gitops ${dir} first`);
    expect(cliMessage(() => runStatus({ config: platformConfig }))).toBe("status reads the GitOps checkout's history; fix: add --gitops DIR");
    // A directory inside the checkout: the fix is its top (release refuses a subdirectory).
    const sub = path.join(dir, 'kubernetes');
    fs.mkdirSync(sub);
    expect(cliMessage(() => runStatus({ gitops: sub, config: platformConfig }))).toBe(`--gitops ${sub} has no committed releases.json; fix: pass --gitops ${fs.realpathSync(dir)}, the top of its git work tree`);
  });
});
