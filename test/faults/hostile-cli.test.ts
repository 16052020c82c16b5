import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type ManifestIndex } from '../../lib/engine/manifest-index';
import { PROJECT_DIR, tempDir } from '../helpers';
import { type Ended, snapshotTree, type TreeSnapshot, TOOL_ENV } from './processes';

/**
 * A hostile or damaged output root, through the real CLI (`synth --out ROOT`): every refusal is one
 * line naming the path and its fix, and nothing outside ROOT is touched. Beside ROOT lies a victim
 * directory with a file that a tool following the hostile entries would overwrite or delete.
 */

const VICTIM_TEXT = 'keep me\n';
const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

let dir: string;
/** A root holding a clean synth of the sample platform; each case works on a copy. */
let template: string;

/** `synth --out root`, bounded in time: a refusal must never hang. */
function synth(root: string): Ended {
  const run = spawnSync(process.execPath, [path.join(PROJECT_DIR, 'scripts', 'run.js'), 'cli/main.ts', 'synth', '--out', root], {
    cwd: PROJECT_DIR,
    encoding: 'utf8',
    env: TOOL_ENV,
    timeout: 120_000,
  });
  return { status: run.status, signal: run.signal, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(() => {
  dir = tempDir('platform-faults-hostile-');
  template = path.join(dir, 'template');
  const run = synth(template);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
}, 120_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** One case: `base/root`, a copy of the clean synth, and `base/victim/important.txt` beside it. */
interface Case {
  readonly root: string;
  readonly victim: string;
  readonly victimFile: string;
}

function prepare(name: string): Case {
  const base = path.join(dir, name);
  const root = path.join(base, 'root');
  const victim = path.join(base, 'victim');
  fs.cpSync(template, root, { recursive: true });
  fs.mkdirSync(victim);
  fs.writeFileSync(path.join(victim, 'important.txt'), VICTIM_TEXT);
  return { root, victim, victimFile: path.join(victim, 'important.txt') };
}

/** Everything of the case's directory outside ROOT. */
function outside(c: Case): TreeSnapshot {
  const all = snapshotTree(path.dirname(c.root));
  const mine = (p: string): boolean => p === 'root' || p.startsWith('root/');
  return { files: new Map([...all.files].filter(([p]) => !mine(p))), dirs: new Set([...all.dirs].filter((p) => !mine(p))) };
}

function addIndexEntries(root: string, entries: ManifestIndex['files']): void {
  const file = path.join(root, 'platform-index.json');
  const index = JSON.parse(fs.readFileSync(file, 'utf8')) as ManifestIndex;
  fs.writeFileSync(file, `${JSON.stringify({ ...index, files: [...index.files, ...entries] }, null, 2)}\n`);
}

/** Runs the synth on a case set up by `hostile`, checks it is refused and that nothing changed. */
function expectRefused(c: Case, named: string, mentions?: string): Ended {
  const beforeRoot = snapshotTree(c.root);
  const beforeOutside = outside(c);
  const run = synth(c.root);
  expect(run.signal).toBeNull();
  expect(run.status).toBe(2);
  // One line, naming the path first and ending with its fix.
  expect(run.stderr.split('\n')).toHaveLength(2);
  expect(run.stderr.startsWith(`error: ${named}: `)).toBe(true);
  expect(run.stderr).toMatch(/; fix: \S.*\n$/);
  if (mentions !== undefined) expect(run.stderr).toContain(mentions);
  expect(outside(c)).toEqual(beforeOutside);
  expect(fs.readFileSync(c.victimFile, 'utf8')).toBe(VICTIM_TEXT);
  // Refused before anything was written: the root is as it was, too.
  expect(snapshotTree(c.root)).toEqual(beforeRoot);
  return run;
}

test('an index entry that leaves the root (../victim/important.txt) is refused', () => {
  const c = prepare('dotdot');
  addIndexEntries(c.root, [{ path: '../victim/important.txt', scope: 'dev', sha256: sha(VICTIM_TEXT) }]);
  expectRefused(c, path.join(c.root, 'platform-index.json'), '"../victim/important.txt"');
});

test('an absolute path in the index is refused, without hanging', () => {
  const c = prepare('absolute');
  addIndexEntries(c.root, [{ path: c.victimFile, scope: 'dev', sha256: sha(VICTIM_TEXT) }]);
  expectRefused(c, path.join(c.root, 'platform-index.json'), JSON.stringify(c.victimFile));
});

test('an index claiming README.md is refused, even with its real sha256, and the README stays', () => {
  const c = prepare('readme');
  const readme = path.join(c.root, 'README.md');
  fs.writeFileSync(readme, '# written by a person\n');
  // A crafted entry with the file's real hash would otherwise make the tool prune it.
  addIndexEntries(c.root, [{ path: 'README.md', scope: 'dev', sha256: sha('# written by a person\n') }]);
  expectRefused(c, path.join(c.root, 'platform-index.json'), '"README.md"');
  expect(fs.readFileSync(readme, 'utf8')).toBe('# written by a person\n');
});

test('an indexed manifest edited by hand is kept and named as drift, not an error', () => {
  const c = prepare('drift');
  const rel = 'kubernetes/dev/configmap-hand.yaml';
  const file = path.join(c.root, rel);
  fs.writeFileSync(file, '# written by a person\n');
  // The index claims the tool wrote other bytes there: the tool would prune it, but it was edited.
  addIndexEntries(c.root, [{ path: rel, scope: 'dev', sha256: sha('# the tool wrote this\n') }]);
  const beforeOutside = outside(c);
  const run = synth(c.root);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/^kept 1 hand-edited file\(s\) the tool would have removed: kubernetes\/dev\/configmap-hand\.yaml;.*$/m);
  expect(fs.readFileSync(file, 'utf8')).toBe('# written by a person\n');
  // Still listed, so every later run names it until a person decides.
  const index = JSON.parse(fs.readFileSync(path.join(c.root, 'platform-index.json'), 'utf8')) as ManifestIndex;
  expect(index.files.map((f) => f.path)).toContain(rel);
  expect(outside(c)).toEqual(beforeOutside);
});

test("a link at the temporary name of a file that changes is refused, and the link's target is untouched", () => {
  const c = prepare('temp-link');
  // Another dev release: kubernetes/dev/deployment-web.yaml changes its image.
  const releasesFile = path.join(c.root, 'releases.json');
  const releases = JSON.parse(fs.readFileSync(releasesFile, 'utf8')) as { environments: Record<string, { tag: string }> };
  releases.environments.dev.tag = 'v1.9.9';
  fs.writeFileSync(releasesFile, `${JSON.stringify(releases, null, 2)}\n`);
  const temp = path.join(c.root, 'kubernetes', 'dev', '.deployment-web.yaml.synth-tmp');
  fs.symlinkSync(c.victimFile, temp);
  expectRefused(c, temp);
  expect(fs.readlinkSync(temp)).toBe(c.victimFile);

  // The link is the only obstacle: once it is gone, the same run writes the new release.
  fs.rmSync(temp);
  const run = synth(c.root);
  expect(run.status).toBe(0);
  expect(fs.readFileSync(path.join(c.root, 'kubernetes', 'dev', 'deployment-web.yaml'), 'utf8')).toMatch(/\/web:v1\.9\.9\n/);
});

test('an environment directory that is a link to another directory is refused, and nothing is written there', () => {
  const c = prepare('dir-link');
  const env = path.join(c.root, 'kubernetes', 'dev');
  fs.rmSync(env, { recursive: true });
  fs.symlinkSync(c.victim, env);
  expectRefused(c, env);
  expect(fs.readdirSync(c.victim)).toEqual(['important.txt']);
});
