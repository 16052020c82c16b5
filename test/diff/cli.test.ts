import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_DIR, runCli } from '../helpers';
import { commitAll, copyTree, editFile, removeTempDirs, scratchDir } from './fixtures';

let base: string;
beforeAll(() => {
  base = scratchDir();
  const synth = runCli(['synth', '--out', base]);
  expect(synth.status).toBe(0);
}, 60_000);
afterAll(removeTempDirs);

/** prod's web autoscaler, which holds its replica floor. */
const webAutoscaler = 'kubernetes/prod/horizontalpodautoscaler-web.yaml';

/** Raises prod web's replica floor in a tree, so the fresh synth differs from it by one line. */
const scaledTree = (): string => {
  const tree = copyTree(base);
  editFile(tree, webAutoscaler, (t) => t.replace('minReplicas: 3', 'minReplicas: 5'));
  return tree;
};

describe('exit codes', () => {
  test('0 when the synth matches the tree', () => {
    const result = runCli(['diff', '--against', base]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^No changes: the synthesized platform matches /);
  });

  test('1 when it differs, with the change on stdout', () => {
    const result = runCli(['diff', '--against', scaledTree()]);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('-  minReplicas: 5\n');
    expect(result.stdout).toContain('+  minReplicas: 3\n');
    // Not a terminal: no colour.
    expect(result.stdout).not.toContain('\u001b[');
  });

  test.each([
    [['diff'], 'error: --against dist does not exist; fix: run npm run synth first or pass --against DIR'],
    [['diff', '--against', 'x', '--env', 'qa'], 'error: unknown environment "qa" in --env; fix: use one of dev, stage, canary, prod'],
    [['diff', '--against-ref', 'main'], 'error: --against-ref main needs the repository; fix: add --gitops DIR'],
    [['diff', '--against', 'x', '--against-ref', 'main', '--gitops', '.'], 'error: --against and --against-ref exclude each other; fix: pass only one of them'],
    [['diff', '--format', 'html'], 'error: unknown format "html" in --format; fix: use text or markdown'],
    [['diff', '--bogus'], "error: unknown option '--bogus'"],
  ])('2 for %j, with one line naming the fix', (args, message) => {
    // Run from an empty directory, where the default dist/ does not exist.
    const dir = scratchDir();
    fs.mkdirSync(path.join(dir, 'x'));
    const result = runCli(args, dir);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`${message}\n`);
    expect(result.stdout).toBe('');
  });
});

describe('--against-ref, on a real GitOps repository', () => {
  test('0 against the commit of a fresh synth, 1 against a later commit that differs, 2 for an unknown ref', () => {
    const repo = copyTree(base);
    fs.writeFileSync(path.join(repo, 'README.md'), '# shop-gitops\n');
    commitAll(repo, 'synth');
    editFile(repo, webAutoscaler, (t) => t.replace('minReplicas: 3', 'minReplicas: 5'));
    commitAll(repo, 'hand edit');

    expect(runCli(['diff', '--against-ref', 'main~1', '--gitops', repo]).status).toBe(0);
    const changed = runCli(['diff', '--against-ref', 'main', '--gitops', repo, '--format', 'markdown']);
    expect(changed.status).toBe(1);
    expect(changed.stdout).toContain('| prod | HorizontalPodAutoscaler | 0 | 1 | 0 |');
    expect(changed.stdout).toContain(`Compared with \`main in ${repo}\``);
    const missing = runCli(['diff', '--against-ref', 'v9.9.9', '--gitops', repo]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe(`error: --against-ref v9.9.9 is not a commit in ${repo}; fix: run git -C ${repo} fetch, or pass an existing branch, tag or commit\n`);
  });
});

describe('--env', () => {
  test('limits the comparison to the named environments', () => {
    const tree = scaledTree();
    expect(runCli(['diff', '--against', tree, '--env', 'dev', '--env', 'stage']).status).toBe(0);
    expect(runCli(['diff', '--against', tree, '--env', 'prod']).status).toBe(1);
  });
});

// `script` gives the command a pseudo-terminal, as a person's shell would.
const hasScript = spawnSync('script', ['--version']).status === 0;
(hasScript ? describe : describe.skip)('on a terminal', () => {
  const onTerminal = (tree: string, env: NodeJS.ProcessEnv): string => {
    const command = `node ${path.join(PROJECT_DIR, 'scripts', 'run.js')} cli/main.ts diff --against ${tree}`;
    return spawnSync('script', ['-qec', command, '/dev/null'], { cwd: PROJECT_DIR, encoding: 'utf8', env: { ...process.env, ...env } }).stdout;
  };

  test('text is coloured, unless NO_COLOR is set', () => {
    const tree = scaledTree();
    expect(onTerminal(tree, {})).toContain('\u001b[32m+  minReplicas: 3\u001b[0m');
    expect(onTerminal(tree, { NO_COLOR: '1' })).not.toContain('\u001b[');
  });
});
