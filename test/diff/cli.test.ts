import * as fs from 'node:fs';
import * as path from 'node:path';
import { type DiffCommandOptions, openTreeSource, parseFormat, runDiff } from '../../cli/diff-command';
import { SelectionError } from '../../lib/pipeline/selection-error';
import { FIXTURE_SEED, fixturePlatform, platformConfig } from '../fixtures/shop/platform';
import { commitAll, copyTree, editFile, removeTempDirs, synthesizedTree } from './fixtures';

/*
 * The diff command as the CLI runs it (runDiff), in process, on the fixture platform. What only the
 * process does (argv parsing, the `error: ` line and exit code 2, colour on a real terminal) is
 * the CLI's own, tested with the sample platform it is built with.
 */

const platform = fixturePlatform();
let base: string;
beforeAll(() => {
  base = synthesizedTree(platform).dir;
});
afterAll(removeTempDirs);

const diff = (options: Omit<DiffCommandOptions, 'config' | 'seed' | 'envs'> & { envs?: readonly string[] }) =>
  runDiff({ config: platformConfig, seed: FIXTURE_SEED, envs: [], ...options });

/** What `run` throws; fails the test when it throws nothing. */
function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('nothing was thrown');
}

/** A UsageError, which the CLI prints as one `error:` line and exits 2 for; compared by class and message. */
const usage = (message: string) => expect.objectContaining({ name: 'UsageError', message });

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
    const result = diff({ against: base });
    expect(result.exitCode).toBe(0);
    expect(result.text).toMatch(/^No changes: the synthesized platform matches /);
  });

  test('1 when it differs, with the change in the text, coloured only when asked', () => {
    const tree = scaledTree();
    const result = diff({ against: tree });
    expect(result.exitCode).toBe(1);
    expect(result.text).toContain('-  minReplicas: 5\n');
    expect(result.text).toContain('+  minReplicas: 3\n');
    expect(result.text).not.toContain('\u001b[');
    expect(diff({ against: tree, color: true }).text).toContain('\u001b[32m+  minReplicas: 3\u001b[0m');
  });

  test('the header names a directory outside the working directory by its base name, never its absolute path', () => {
    const tree = scaledTree();
    const text = diff({ against: tree, format: 'markdown' }).text;
    expect(path.isAbsolute(tree)).toBe(true);
    expect(text).toContain(`Compared with \`${path.basename(tree)}\`: 1 object changed;`);
    expect(text).not.toContain(tree);
  });

  test.each([
    [{ against: '/nonexistent/dist' }, '--against /nonexistent/dist does not exist; fix: run npm run synth first or pass --against DIR'],
    [{ againstRef: 'main' }, '--against-ref main needs the repository; fix: add --gitops DIR'],
    [{ against: 'x', againstRef: 'main', gitops: '.' }, '--against and --against-ref exclude each other; fix: pass only one of them'],
    [{ gitops: '.' }, '--gitops is only read with --against-ref; fix: add --against-ref REF, or use --against DIR'],
  ])('a usage error for %j, one line naming the fix', (options, message) => {
    expect(thrown(() => openTreeSource(options))).toEqual(usage(message));
  });

  test('an unknown format or environment is named with the known ones', () => {
    expect(thrown(() => parseFormat('html'))).toEqual(usage('unknown format "html" in --format; fix: use text or markdown or json'));
    expect(parseFormat(undefined)).toBe('text');
    const unknown = thrown(() => diff({ against: base, envs: ['qa'] }));
    expect(unknown).toBeInstanceOf(SelectionError);
    expect(unknown).toMatchObject({ what: 'environment', value: 'qa', known: ['dev', 'stage', 'canary', 'prod'] });
  });
});

describe('--against-ref, on a real GitOps repository', () => {
  test('0 against the commit of a fresh synth, 1 against a later commit that differs, an error for an unknown ref', () => {
    const repo = copyTree(base);
    fs.writeFileSync(path.join(repo, 'README.md'), '# shop-gitops\n');
    commitAll(repo, 'synth');
    editFile(repo, webAutoscaler, (t) => t.replace('minReplicas: 3', 'minReplicas: 5'));
    commitAll(repo, 'hand edit');

    expect(diff({ againstRef: 'main~1', gitops: repo }).exitCode).toBe(0);
    const changed = diff({ againstRef: 'main', gitops: repo, format: 'markdown' });
    expect(changed.exitCode).toBe(1);
    expect(changed.text).toContain('\n- prod: 1 object changed\n');
    // The ref names the tree; the checkout's path is the runner's.
    expect(changed.text).toContain('Compared with `main`: 1 object changed;');
    expect(changed.text).not.toContain(repo);
    expect(thrown(() => diff({ againstRef: 'v9.9.9', gitops: repo }))).toEqual(
      usage(`--against-ref v9.9.9 is not a commit in ${repo}; fix: run git -C ${repo} fetch, or pass an existing branch, tag or commit`),
    );
  });
});

describe('--env', () => {
  test('limits the comparison to the named environments', () => {
    const tree = scaledTree();
    expect(diff({ against: tree, envs: ['dev', 'stage'] }).exitCode).toBe(0);
    expect(diff({ against: tree, envs: ['prod'] }).exitCode).toBe(1);
  });
});
