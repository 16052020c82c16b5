import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { platformConfig, SEED_RELEASES } from '../../apps/platform';
import { runDiff } from '../../cli/diff-command';
import { type AppConfig } from '../../lib/model/config';
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
  const tree = changedTree();
  const changed = runCli(['diff', '--against', tree]);
  expect(changed.status).toBe(1);
  // The runner's temporary directory is named by its base name only.
  expect(changed.stdout).toContain(`Platform diff against ${path.basename(tree)}: 1 object changed;`);
  expect(changed.stdout).not.toContain(tree);
  expect(changed.stdout).toMatch(/^ *-  minReplicas: \d+$/m);
  expect(changed.stdout).not.toContain('\u001b[');
});

test.each([
  [['diff', '--against', 'missing'], /^error: --against missing does not exist; fix: run npm run synth first or pass --against DIR\n$/],
  [['diff', '--against', 'x', '--env', 'qa'], /^error: unknown environment "qa" in --env; fix: use one of [a-z, -]+\n$/],
  [['diff', '--format', 'html'], /^error: unknown format "html" in --format; fix: use text or markdown or json\n$/],
  [['diff', '--bogus'], /^error: unknown option '--bogus'; fix: run platform-as-code diff --help for the options\n$/],
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

/*
 * Config changes to the sample. The CLI always builds apps/ and has no option or variable that swaps
 * the config, and a test must not edit apps/; so these run runDiff, the function the `diff` command
 * runs, in process, with the sample's config changed, against the CLI's own synth of the sample.
 */
describe('diff --format json of a changed sample config (in process, against the CLI\'s synth)', () => {
  interface JsonRisk { readonly rule: string; readonly app: string; readonly environment: string; readonly severity: string }
  const diffJson = (change: (app: AppConfig) => AppConfig | undefined) => {
    const apps = platformConfig.apps.map(change).filter((a): a is AppConfig => a !== undefined);
    const result = runDiff({ config: { ...platformConfig, apps }, seed: SEED_RELEASES, envs: [], against: base, format: 'json' });
    return { exitCode: result.exitCode, json: JSON.parse(result.text) as { changed: boolean; risks: JsonRisk[] } };
  };

  test('the unchanged sample config matches the CLI\'s synth: exit 0, no risks', () => {
    expect(diffJson((a) => a)).toEqual({ exitCode: 0, json: expect.objectContaining({ changed: false, risks: [] }) });
  });

  test('making admin public is exit 1 with exposure-widened for admin under risks', () => {
    const { exitCode, json } = diffJson((a) => (a.name === 'admin' ? { ...a, exposure: { type: 'public', host: 'admin', port: 'http' } } : a));
    expect(exitCode).toBe(1);
    expect(json.risks).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'exposure-widened', app: 'admin', severity: 'high' })]));
  });

  test('removing worker is deletes-prod-workload for production\'s worker', () => {
    const { exitCode, json } = diffJson((a) => (a.name === 'worker' ? undefined : a));
    expect(exitCode).toBe(1);
    expect(json.risks).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'deletes-prod-workload', app: 'worker', environment: 'prod' })]));
  });
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
