// Release hygiene: the platform repository a run comes from must be clean, provenance records
// commit ids, --gitops names the top of a work tree, and a dry run lists what it would change.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runPromote } from '../../cli/promote-command';
import { runRelease } from '../../cli/release-command';
import { releaseSourceCommit, sourceCommit } from '../../cli/source-commit';
import { type OutputFile } from '../../lib/engine/output';
import { writeOutput } from '../../lib/engine/writer';
import { type ManifestIndex } from '../../lib/engine/manifest-index';
import { formatSummary } from '../../lib/pipeline/summary';
import { FIXTURE_SEED, platformConfig } from '../fixtures/shop/platform';
import { cliText, git } from '../helpers';
import { failed, gitopsRepo, lastMessage, outcome, readJson, type ReleasesJson, removeTempDirs, scratchDir, snapshot, succeeded, writeFiles } from './fixtures';

afterAll(removeTempDirs);
jest.setTimeout(60_000);

// These runs read the source from git, as a developer's do: CI's overrides must not leak in.
const OVERRIDES = ['PLATFORM_SOURCE_COMMIT', 'PLATFORM_RELEASE_TAG_TIME'] as const;
const saved = new Map<string, string | undefined>();
beforeAll(() => {
  for (const name of OVERRIDES) {
    saved.set(name, process.env[name]);
    delete process.env[name];
  }
});
afterAll(() => {
  for (const [name, value] of saved) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const RUN = { config: platformConfig, seed: FIXTURE_SEED } as const;
const HEX40 = /^[0-9a-f]{40}$/;

/** A platform repository with one commit, tagged v1.5.0 by an annotated tag, and an ignored build directory. */
function sourceRepo(): string {
  const dir = scratchDir('platform-source-');
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Dev');
  git(dir, 'config', 'user.email', 'dev@example.com');
  writeFiles(dir, { 'apps/platform.ts': 'export {};\n', 'README.md': '# platform\n', '.gitignore': 'dist/\n' });
  git(dir, 'add', '-A');
  execFileSync('git', ['commit', '-q', '-m', 'platform'], { cwd: dir, env: { ...process.env, GIT_COMMITTER_DATE: '2024-05-02T08:00:00+00:00' } });
  execFileSync('git', ['tag', '-a', '-m', 'v1.5.0', 'v1.5.0'], { cwd: dir, env: { ...process.env, GIT_COMMITTER_DATE: '2024-05-02T09:00:00+00:00' } });
  writeFiles(dir, { 'dist/out.yaml': 'ignored\n' });
  return dir;
}

describe('the platform repository a run comes from', () => {
  test('a release records commit ids: the source commit is HEAD, the release commit the commit the tag points at', async () => {
    const source = sourceRepo();
    const repo = gitopsRepo();
    succeeded(await outcome(() => runRelease({ ...RUN, tag: 'v1.5.0', gitops: repo.checkout, sourceDir: source })));
    const head = git(source, 'rev-parse', 'HEAD');
    expect(head).toMatch(HEX40);
    // The annotated tag is an object of its own: the commit, not the tag object, is recorded.
    expect(git(source, 'rev-parse', 'refs/tags/v1.5.0')).not.toBe(head);
    const dev = readJson<ReleasesJson>(path.join(repo.checkout, 'releases.json')).environments.dev;
    expect(dev.provenance).toEqual({ action: 'release', tag: 'v1.5.0', tagTime: '2024-05-02T09:00:00+00:00', releaseCommit: head, sourceCommit: head });
    const index = readJson<ManifestIndex>(path.join(repo.checkout, 'platform-index.json'));
    expect(index.sourceCommit).toBe(head);
    expect(index.releases?.find((r) => r.env === 'dev')).toMatchObject({ releaseCommit: head, sourceCommit: head });
    expect(lastMessage(repo.checkout).split('\n')).toContain(`Source commit: ${head}`);
  });

  test('uncommitted changes refuse a release: up to three paths and the fix; nothing changes', async () => {
    const source = sourceRepo();
    writeFiles(source, { 'README.md': '# edited\n', 'apps/new-app.ts': 'x\n', 'notes.txt': 'n\n', 'z.txt': 'z\n' });
    const repo = gitopsRepo();
    const before = snapshot(repo);
    const error = failed(await outcome(() => runRelease({ ...RUN, tag: 'v1.5.0', gitops: repo.checkout, sourceDir: source })));
    const head = git(source, 'rev-parse', 'HEAD').slice(0, 12);
    expect(cliText(error)).toBe(
      `the platform repository ${source} has uncommitted changes (README.md, apps/new-app.ts, notes.txt and 1 more), so the output would not be what commit ${head} makes; fix: commit or stash them (git -C ${source} stash -u), then run again`,
    );
    expect(snapshot(repo)).toEqual(before);
  });

  test('a promotion is refused the same way; ignored files do not count', async () => {
    const source = sourceRepo();
    const repo = gitopsRepo();
    // Clean but for the ignored dist/: the promotion runs (and finds nothing to promote into stage yet).
    succeeded(await outcome(() => runPromote({ ...RUN, from: 'dev', to: 'stage', gitops: repo.checkout, sourceDir: source })));
    fs.appendFileSync(path.join(source, 'apps/platform.ts'), '// edited\n');
    const error = failed(await outcome(() => runPromote({ ...RUN, from: 'dev', to: 'stage', gitops: repo.checkout, sourceDir: source })));
    expect(cliText(error)).toMatch(/^the platform repository .* has uncommitted changes \(apps\/platform\.ts\), so the output would not be what commit [0-9a-f]{12} makes; fix: commit or stash them/);
  });

  test('PLATFORM_SOURCE_COMMIT (CI building an exported tree) is taken as it is, and nothing is checked', () => {
    const source = sourceRepo();
    writeFiles(source, { 'untracked.txt': 'x\n' });
    expect(releaseSourceCommit(source, { PLATFORM_SOURCE_COMMIT: 'abc123' })).toBe('abc123');
    expect(() => releaseSourceCommit(source, {})).toThrow(/has uncommitted changes \(untracked\.txt\)/);
    expect(() => releaseSourceCommit(scratchDir(), {})).toThrow(/is not a git checkout with a commit .*; fix: run from a checkout of it, or set PLATFORM_SOURCE_COMMIT/);
  });

  test('the source commit is HEAD\'s id, never a name git describe gives it', () => {
    const source = sourceRepo();
    expect(sourceCommit(source, {})).toBe(git(source, 'rev-parse', 'HEAD'));
    expect(sourceCommit(source, {})).toMatch(HEX40);
  });
});

describe('--gitops', () => {
  test('a directory inside the work tree is refused, naming its top', async () => {
    const repo = gitopsRepo({ 'out/README.md': 'x\n' });
    const sub = path.join(repo.checkout, 'out');
    const top = fs.realpathSync(repo.checkout);
    const error = failed(await outcome(() => runRelease({ ...RUN, sourceCommit: 'test-commit', tag: 'v1.5.0', gitops: sub })));
    expect(cliText(error)).toBe(`--gitops ${sub} is inside the git work tree ${top}; fix: pass --gitops ${top}`);
  });
});

describe('synth --dry-run', () => {
  const file = (p: string, content: string): OutputFile => ({ path: p, content, scope: 'dev' });
  const write = (dir: string, files: readonly OutputFile[], dryRun: boolean) => writeOutput({ outDir: dir, files, scopes: ['dev'], sourceCommit: 'c', dryRun });

  test('lists each file it would add, change or remove, and says "would write"', () => {
    const dir = scratchDir();
    write(dir, [file('kubernetes/dev/a.yaml', 'a\n'), file('kubernetes/dev/b.yaml', 'b\n')], false);
    const result = write(dir, [file('kubernetes/dev/a.yaml', 'a2\n'), file('kubernetes/dev/c.yaml', 'c\n')], true);
    expect(formatSummary(result, 'out', true)).toEqual([
      'dev  1 added, 1 changed, 1 removed, 0 unchanged',
      'would change kubernetes/dev/a.yaml',
      'would remove kubernetes/dev/b.yaml',
      'would add kubernetes/dev/c.yaml',
      'would change platform-index.json',
      'would write 4 file(s) under out',
    ]);
    // Nothing was written.
    expect(fs.readFileSync(path.join(dir, 'kubernetes/dev/a.yaml'), 'utf8')).toBe('a\n');
  });

  test('a long list is cut, with a count of the rest; a real run lists no file', () => {
    const dir = scratchDir();
    const files = Array.from({ length: 60 }, (_, i) => file(`kubernetes/dev/f${String(i).padStart(2, '0')}.yaml`, `${i}\n`));
    const lines = formatSummary(write(dir, files, true), 'out', true);
    expect(lines.filter((l) => l.startsWith('would add '))).toHaveLength(50);
    expect(lines.slice(-2)).toEqual(['... and 11 more file(s)', 'would write 61 file(s) under out']);
    expect(formatSummary(write(dir, files, false), 'out')).toEqual(['dev  60 added, 0 changed, 0 removed, 0 unchanged', 'wrote 61 file(s) under out']);
  });
});
