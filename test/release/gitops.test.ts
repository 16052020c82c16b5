import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type OutputFile } from '../../lib/engine/output';
import { CheckoutLock, LOCK_FILE, withCheckoutLock } from '../../lib/gitops/lock';
import { releaseTagTime } from '../../lib/gitops/release-io';
import { validateOutput } from '../../lib/validate/output';
import { git } from '../helpers';
import { removeTempDirs, scratchDir } from './fixtures';

afterAll(removeTempDirs);

describe('CheckoutLock', () => {
  let gitDir: string;
  let file: string;
  beforeEach(() => {
    gitDir = scratchDir();
    file = path.join(gitDir, LOCK_FILE);
  });

  test('holds the pid and host of its holder, refuses a second holder, and is removed on release', () => {
    const lock = CheckoutLock.acquire(gitDir, 'co');
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ pid: process.pid, host: os.hostname() });
    expect(() => CheckoutLock.acquire(gitDir, 'co')).toThrow(`GitOps checkout co is locked by another run (pid ${process.pid} on ${os.hostname()}): ${file}`);
    lock.release();
    expect(fs.existsSync(file)).toBe(false);
  });

  test('takes over a lock whose process is gone', () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    fs.writeFileSync(file, JSON.stringify({ pid: dead, host: os.hostname() }));
    const lock = CheckoutLock.acquire(gitDir, 'co');
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).pid).toBe(process.pid);
    expect(fs.existsSync(`${file}.break`)).toBe(false);
    lock.release();
  });

  test.each([
    ['a live process on another host', JSON.stringify({ pid: 1, host: `not-${os.hostname()}` })],
    ['a lock being written or damaged', ''],
  ])('counts %s as held', (_, content) => {
    fs.writeFileSync(file, content);
    expect(() => CheckoutLock.acquire(gitDir, 'co')).toThrow(/is locked by another run/);
    expect(fs.readFileSync(file, 'utf8')).toBe(content);
  });

  test('withCheckoutLock releases the lock when the work throws', async () => {
    await expect(
      withCheckoutLock(gitDir, 'co', () => {
        expect(fs.existsSync(file)).toBe(true);
        return Promise.reject(new Error('boom'));
      }),
    ).rejects.toThrow('boom');
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('releaseTagTime', () => {
  let repo: string;
  beforeAll(() => {
    repo = scratchDir();
    git(repo, 'init', '-q', '-b', 'main');
    const at = (date: string) => ({ ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
    const commit = (message: string, date: string) =>
      spawnSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', message], { cwd: repo, env: at(date) });
    commit('one', '2024-04-01T09:00:00+00:00');
    git(repo, 'tag', 'v1.0.0');
    commit('two', '2024-04-02T09:00:00+00:00');
    git(repo, 'tag', 'v1.1.0');
    spawnSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', 'tag', '-a', '-m', 'release', 'v1.1.1'], { cwd: repo, env: at('2024-04-03T12:30:00+02:00') });
  });
  const noOverride = {};

  test('is the commit date of a lightweight tag, and the tagger date of an annotated one', () => {
    expect(releaseTagTime(repo, 'v1.1.0', noOverride)).toBe('2024-04-02T09:00:00+00:00');
    expect(releaseTagTime(repo, 'v1.1.1', noOverride)).toBe('2024-04-03T12:30:00+02:00');
  });

  test('refuses a tag that does not exist, or that is not the commit checked out', () => {
    expect(() => releaseTagTime(repo, 'v9.9.9', noOverride)).toThrow(
      `v9.9.9 is not a tag of the platform repository ${repo}; fix: tag the commit to release (git tag v9.9.9), fetch tags (git fetch --tags), or set PLATFORM_RELEASE_TAG_TIME`,
    );
    expect(() => releaseTagTime(repo, 'v1.0.0', noOverride)).toThrow(/^v1\.0\.0 points at [0-9a-f]{12} but .* is at [0-9a-f]{12}; fix: git checkout v1\.0\.0, then run the release again$/);
  });

  test('PLATFORM_RELEASE_TAG_TIME overrides git, and must be an ISO 8601 time', () => {
    expect(releaseTagTime(repo, 'v9.9.9', { PLATFORM_RELEASE_TAG_TIME: '2024-05-01T10:00:00Z' })).toBe('2024-05-01T10:00:00Z');
    expect(() => releaseTagTime(repo, 'v9.9.9', { PLATFORM_RELEASE_TAG_TIME: 'yesterday' })).toThrow(
      'PLATFORM_RELEASE_TAG_TIME "yesterday" is not an ISO 8601 time; fix: set it as git log -1 --format=%cI v9.9.9 prints it, or unset it',
    );
  });
});

describe('validateOutput', () => {
  const deployment = (replicas: unknown): string =>
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      'spec:',
      `  replicas: ${JSON.stringify(replicas)}`,
      '  selector:',
      '    matchLabels: { app: web }',
      '  template:',
      '    metadata:',
      '      labels: { app: web }',
      '    spec:',
      '      containers:',
      '        - name: app',
      '          image: registry.example.com/web:v1.0.0',
      '',
    ].join('\n');
  const file = (p: string, content: string): OutputFile => ({ path: p, content, scope: 'dev' });

  test('a valid output has no violation', () => {
    expect(validateOutput([file('kubernetes/dev/deployment-web.yaml', deployment(2)), file('terraform/a/main.tf.json', '{"resource":{}}')])).toEqual([]);
  });

  test('reports every violation at once, each with its file, object, rule, message and fix', () => {
    const violations = validateOutput([
      file('kubernetes/dev/deployment-web.yaml', deployment('three')),
      file('kubernetes/dev/widget-x.yaml', 'apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: x }\n'),
      file('kubernetes/dev/broken.yaml', 'a: [\n'),
      file('terraform/a/main.tf.json', '[]'),
      file('terraform/b/main.tf.json', '{'),
    ]);
    expect(violations).toEqual([
      {
        file: 'kubernetes/dev/deployment-web.yaml',
        object: 'Deployment/web',
        rule: 'schema',
        message: expect.stringMatching(/replicas/),
        fix: 'correct the construct or config that sets this field',
      },
      {
        file: 'kubernetes/dev/widget-x.yaml',
        object: 'Widget/x',
        rule: 'schema',
        message: expect.stringMatching(/^unknown apiVersion\/kind example\.com\/v1\/Widget/),
        fix: 'add its kubernetes-models module to lib/validate/schemas.ts',
      },
      { file: 'kubernetes/dev/broken.yaml', object: '(file)', rule: 'yaml', message: expect.stringMatching(/^is not valid YAML: /), fix: 'correct the YAML' },
      { file: 'terraform/a/main.tf.json', object: '(file)', rule: 'terraform-json', message: 'is not a JSON object of Terraform blocks', fix: 'make the stack a JSON object' },
      { file: 'terraform/b/main.tf.json', object: '(file)', rule: 'json', message: expect.stringMatching(/^is not valid JSON: /), fix: 'correct the JSON' },
    ]);
  });
});
