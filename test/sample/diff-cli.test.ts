import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_DIR, runCli, tempDir } from '../helpers';

/*
 * `npm run diff` as a process, on the sample platform it is built with: argv parsing, the one
 * `error:` line with exit 2, the default --against, and colour on a real terminal. Library
 * behaviour is tested in process on fixture platforms (test/diff).
 */

const made: string[] = [];
const scratch = (): string => {
  const dir = tempDir();
  made.push(dir);
  return dir;
};
let base: string;
beforeAll(() => {
  base = scratch();
  expect(runCli(['synth', '--out', base]).status).toBe(0);
}, 120_000);
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** A copy of the synth with one production workload's replica floor raised, so the diff has one change. */
function changedTree(): string {
  const tree = scratch();
  fs.cpSync(base, tree, { recursive: true });
  const dir = path.join(tree, 'kubernetes', 'prod');
  const file = fs.readdirSync(dir).find((f) => f.startsWith('horizontalpodautoscaler-'));
  if (file === undefined) throw new Error('the sample has no production autoscaler');
  const at = path.join(dir, file);
  fs.writeFileSync(at, fs.readFileSync(at, 'utf8').replace(/minReplicas: (\d+)/, (_, n: string) => `minReplicas: ${Number(n) + 2}`));
  return tree;
}

test('exit 0 with no changes, 1 with changes (no colour off a terminal)', () => {
  const same = runCli(['diff', '--against', base]);
  expect(same.stderr).toBe('');
  expect(same.status).toBe(0);
  const changed = runCli(['diff', '--against', changedTree()]);
  expect(changed.status).toBe(1);
  expect(changed.stdout).toMatch(/^ *-  minReplicas: \d+$/m);
  expect(changed.stdout).not.toContain('\u001b[');
});

test.each([
  [['diff', '--against', 'missing'], /^error: --against missing does not exist; fix: run npm run synth first or pass --against DIR\n$/],
  [['diff', '--against', 'x', '--env', 'qa'], /^error: unknown environment "qa" in --env; fix: use one of [a-z, -]+\n$/],
  [['diff', '--format', 'html'], /^error: unknown format "html" in --format; fix: use text or markdown or json\n$/],
  [['diff', '--bogus'], /^error: unknown option '--bogus'\n$/],
])('exit 2 for %j, with one line naming the fix', (args, message) => {
  // From an empty directory: paths resolve from there.
  const dir = scratch();
  fs.mkdirSync(path.join(dir, 'x'));
  const result = runCli(args, dir);
  expect(result.status).toBe(2);
  expect(result.stderr).toMatch(message);
  expect(result.stdout).toBe('');
});

test('exit 2 with one line when the tree\'s releases.json, which diff builds from, is damaged', () => {
  const tree = scratch();
  fs.cpSync(base, tree, { recursive: true });
  fs.writeFileSync(path.join(tree, 'releases.json'), '{ damaged');
  const result = runCli(['diff', '--against', tree]);
  expect(result.status).toBe(2);
  expect(result.stderr).toMatch(/^error: .*releases\.json.* cannot be read as JSON .*fix: [^\n]*\n$/);
  expect(result.stdout).toBe('');
});

// `script` gives the command a pseudo-terminal, as a person's shell would.
const hasScript = spawnSync('script', ['--version']).status === 0;
(hasScript ? test : test.skip)('on a terminal the text is coloured, unless NO_COLOR is set', () => {
  const tree = changedTree();
  const onTerminal = (env: NodeJS.ProcessEnv): string => {
    const command = `node ${path.join(PROJECT_DIR, 'scripts', 'run.js')} cli/main.ts diff --against ${tree}`;
    return spawnSync('script', ['-qec', command, '/dev/null'], { cwd: PROJECT_DIR, encoding: 'utf8', env: { ...process.env, ...env } }).stdout;
  };
  expect(onTerminal({})).toMatch(/\u001b\[32m\+  minReplicas: \d+\u001b\[0m/);
  expect(onTerminal({ NO_COLOR: '1' })).not.toContain('\u001b[');
});

describe('a reader that stops early', () => {
  test('diff into a pipe its reader already closed (`| true`) ends quietly with its own exit code (1: changes), no stack trace', () => {
    const empty = tempDir();
    // `true` exits without reading, so every write of the diff meets a closed pipe (EPIPE).
    const script = `node scripts/run.js cli/main.ts diff --against ${JSON.stringify(empty)} | true; echo "exit:\${PIPESTATUS[0]}" >&2`;
    const run = spawnSync('bash', ['-c', script], { cwd: PROJECT_DIR, encoding: 'utf8' });
    expect(run.stderr.trim()).toBe('exit:1');
    fs.rmSync(empty, { recursive: true, force: true });
  });
});
