import * as fs from 'node:fs';
import { diffOutput, type SynthesizedOutput } from '../../lib/diff/compare';
import { layoutRoots } from '../../lib/diff/layout-scope';
import type { DiffReport } from '../../lib/diff/report';
import { dirSource, displayDir, gitRefSource, type TreeSource } from '../../lib/diff/tree-source';
import { fixturePlatform } from '../fixtures/shop/platform';
import { commitAll, copyTree, diffOptions, editFile, git, readFile, removeTempDirs, scratchDir, synthesizedTree, writeFile } from './fixtures';
import { cliMessage } from '../helpers';
import { readOutputRoot } from '../../cli/validate-command';

const platform = fixturePlatform();
let base: string;
let output: SynthesizedOutput;
beforeAll(() => {
  ({ dir: base, output } = synthesizedTree(platform));
});
afterAll(removeTempDirs);

/** The fixture's synth compared with a tree. */
const diffWith = (source: TreeSource): DiffReport => diffOutput(output, source, diffOptions(platform));

const sorted = (paths: readonly string[]): string[] => [...paths].sort();

describe('displayDir: how a report names a directory', () => {
  test.each([
    ['dist', '/work/project', 'dist'],
    ['/work/project/out/dist', '/work/project', 'out/dist'],
    ['.', '/work/project', '.'],
    ['/tmp/platform-diff-abc', '/work/project', 'platform-diff-abc'],
    ['../gitops', '/work/project', 'gitops'],
  ])('%s from %s is %s, never an absolute path', (dir, cwd, shown) => {
    expect(displayDir(dir, cwd)).toBe(shown);
  });
});

describe('dirSource', () => {
  test('lists files under the layout roots only, never .git', () => {
    const tree = copyTree(base);
    writeFile(tree, 'README.md', 'x\n');
    writeFile(tree, 'kubernetes/.git/config', 'x\n');
    const listed = dirSource(tree).list(layoutRoots());
    expect(listed).toContain('terraform/cluster-prod/main.tf.json');
    expect(listed).toContain('kubernetes/prod/rollout-web.yaml');
    expect(listed).toContain('kubernetes/prod/deployment-worker.yaml');
    expect(listed).toContain('kubernetes/clusters/prod/prometheusrule-disk-usage.yaml');
    expect(listed.filter((p) => !p.startsWith('terraform/') && !p.startsWith('kubernetes/'))).toEqual([]);
    expect(listed.filter((p) => p.includes('.git/'))).toEqual([]);
  });

  test('a link anywhere in the tree is refused with one line, never followed', () => {
    const outside = scratchDir();
    const tree = copyTree(base);
    fs.renameSync(`${tree}/kubernetes/prod`, `${outside}/prod`);
    fs.symlinkSync(`${outside}/prod`, `${tree}/kubernetes/prod`);
    expect(() => dirSource(tree).list(layoutRoots())).toThrow(/kubernetes\/prod: is a symbolic link, which the tool never follows; nothing was changed; fix: /);
    // The same for validate --dir, which reads the tree the same way.
    expect(() => readOutputRoot(tree)).toThrow(/kubernetes\/prod: is a symbolic link, which the tool never follows/);
  });

  test('a missing directory is a one-line error with the fix', () => {
    expect(cliMessage(() => dirSource('/nonexistent/dist'))).toBe('--against /nonexistent/dist does not exist; fix: run npm run synth first or pass --against DIR');
  });
});

describe('gitRefSource, on real repositories', () => {
  test('lists, recognises and reads the files of a commit, older commits included', () => {
    const repo = copyTree(base);
    writeFile(repo, 'kubernetes/dev/configmap-umlaut.yaml', 'data:\n  GREETING: grüß dich\n');
    const first = commitAll(repo, 'synth');
    const scaled = 'kubernetes/dev/horizontalpodautoscaler-web.yaml';
    editFile(repo, scaled, (t) => t.replace('minReplicas: 1', 'minReplicas: 2'));
    commitAll(repo, 'scale');

    const head = gitRefSource(repo, 'main');
    expect(sorted(head.list(layoutRoots()))).toEqual(sorted(dirSource(repo).list(layoutRoots())));
    const web = readFile(repo, scaled);
    expect(head.holds(scaled, web)).toBe(true);
    expect(head.holds(scaled, `${web}\n`)).toBe(false);

    const old = gitRefSource(repo, first.slice(0, 12));
    old.list(layoutRoots());
    const read = old.read(['kubernetes/dev/configmap-umlaut.yaml', scaled]);
    expect(read.get('kubernetes/dev/configmap-umlaut.yaml')).toBe('data:\n  GREETING: grüß dich\n');
    expect(read.get(scaled)).toBe(web.replace('minReplicas: 2', 'minReplicas: 1'));
  });

  test('the diff against a ref sees what that commit holds, not the work tree', () => {
    const repo = copyTree(base);
    commitAll(repo, 'synth');
    editFile(repo, 'kubernetes/prod/horizontalpodautoscaler-web.yaml', (t) => t.replace('minReplicas: 3', 'minReplicas: 9'));
    commitAll(repo, 'someone scaled prod by hand');
    writeFile(repo, 'kubernetes/prod/deployment-admin.yaml', 'uncommitted\n');

    expect(diffWith(gitRefSource(repo, 'HEAD~1')).changes).toEqual([]);
    expect(diffWith(gitRefSource(repo, 'HEAD')).changes.map((c) => `${c.change} ${c.name}`)).toEqual([
      'changed HorizontalPodAutoscaler/web',
    ]);
  });

  test('the output root may be a subdirectory of the repository', () => {
    const repo = scratchDir();
    const tree = `${repo}/platform/shop`;
    fs.cpSync(base, tree, { recursive: true });
    writeFile(repo, 'kubernetes/other-team/deployment-x.yaml', 'kind: Deployment\n');
    commitAll(repo, 'monorepo');
    expect(diffWith(gitRefSource(tree, 'HEAD')).changes).toEqual([]);
  });

  test('repositories with SHA-256 object names work too', () => {
    const repo = copyTree(base);
    git(repo, 'init', '-q', '--object-format=sha256', '-b', 'main');
    commitAll(repo, 'synth');
    expect(diffWith(gitRefSource(repo, 'main')).changes).toEqual([]);
  });

  test('a missing checkout, a directory that is no repository and an unknown ref are one-line errors', () => {
    const plain = scratchDir();
    expect(cliMessage(() => gitRefSource('/nonexistent/gitops', 'main'))).toMatch(/^--gitops \/nonexistent\/gitops does not exist; fix: /);
    expect(cliMessage(() => gitRefSource(plain, 'main'))).toContain(`--gitops ${plain} is not a git repository; fix: pass the path of a GitOps checkout`);
    const repo = scratchDir();
    commitAll(repo, 'empty');
    expect(cliMessage(() => gitRefSource(repo, 'no-such-branch'))).toContain(
      `--against-ref no-such-branch is not a commit in ${repo}; fix: run git -C ${repo} fetch, or pass an existing branch, tag or commit`,
    );
  });
});
