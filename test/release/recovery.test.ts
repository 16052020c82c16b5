import * as fs from 'node:fs';
import * as path from 'node:path';
import { sha256 } from '../../lib/engine/hash';
import { JOURNAL_FILE, journalText } from '../../lib/engine/journal';
import { tempPath } from '../../lib/engine/output-root';
import { GitOpsCheckout } from '../../lib/gitops/checkout';
import { git, tempDir } from '../helpers';

/*
 * What a release killed part-way leaves, and what the next one may undo: only changes the journal
 * names, with the bytes the killed run wrote. Anything else is a person's, and stays.
 */

const made: string[] = [];
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

const A = 'kubernetes/dev/configmap-a.yaml';
const B = 'kubernetes/dev/configmap-b.yaml';
const INDEX = 'platform-index.json';

/** A checkout at a commit holding two owned files and an index; returns it with the index's planned successor. */
function checkout(): { dir: string; open: () => GitOpsCheckout } {
  const dir = tempDir('platform-recovery-');
  made.push(dir);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'T');
  git(dir, 'config', 'user.email', 't@example.com');
  fs.mkdirSync(path.join(dir, 'kubernetes/dev'), { recursive: true });
  fs.writeFileSync(path.join(dir, A), 'a: 1\n');
  fs.writeFileSync(path.join(dir, B), 'b: 1\n');
  fs.writeFileSync(path.join(dir, INDEX), '{"old":true}\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'first');
  return { dir, open: () => GitOpsCheckout.open(dir) };
}

/** The journal of a run that changes A to `a: 2`, prunes B and writes a new index. */
function killedRun(dir: string): void {
  const journal = journalText({
    generator: 'platform-synth-journal',
    writes: [{ path: A, scope: 'dev', sha256: sha256('a: 2\n'), size: 5 }],
    removals: [{ path: B, sha256: sha256('b: 1\n') }],
    indexSha256: sha256('{"new":true}\n'),
  });
  fs.writeFileSync(path.join(dir, JOURNAL_FILE), journal);
}

const status = (dir: string): string => git(dir, 'status', '--porcelain', '--untracked-files=all');

test('changes that are all the killed run\'s are undone: written file, pruned file, index, temporaries', () => {
  const { dir, open } = checkout();
  killedRun(dir);
  fs.writeFileSync(path.join(dir, A), 'a: 2\n');
  fs.rmSync(path.join(dir, B));
  fs.writeFileSync(path.join(dir, INDEX), '{"new":true}\n');
  fs.writeFileSync(path.join(dir, 'kubernetes/dev/.configmap-a.yaml.synth-tmp'), 'a:');
  expect(open().recoverInterrupted()).toBe(true);
  expect(status(dir)).toBe('');
  expect(fs.readFileSync(path.join(dir, B), 'utf8')).toBe('b: 1\n');
});

test.each([
  ['a person edited the file being pruned', (dir: string) => fs.appendFileSync(path.join(dir, B), '# mine\n')],
  ['a written file holds other bytes than the run wrote', (dir: string) => fs.writeFileSync(path.join(dir, A), 'a: 3\n')],
  ['the index holds other bytes than the run planned', (dir: string) => fs.writeFileSync(path.join(dir, INDEX), '{"hand":true}\n')],
  ['a file the journal does not name changed', (dir: string) => fs.writeFileSync(path.join(dir, 'kubernetes/dev/extra.yaml'), 'x: 1\n')],
])('nothing is undone when %s', (_, change) => {
  const { dir, open } = checkout();
  killedRun(dir);
  change(dir);
  const before = status(dir);
  expect(open().recoverInterrupted()).toBe(false);
  expect(status(dir)).toBe(before);
  expect(() => open().assertClean()).toThrow(/has uncommitted changes/);
});

test('a run killed while it wrote its journal left only the journal temporary, which goes', () => {
  const { dir, open } = checkout();
  fs.writeFileSync(path.join(dir, tempPath(JOURNAL_FILE)), '{"gener');
  expect(open().recoverInterrupted()).toBe(true);
  expect(status(dir)).toBe('');
});

test.each([JOURNAL_FILE, tempPath(JOURNAL_FILE), 'kubernetes/dev/.configmap-a.yaml.synth-tmp'])(
  'a commit that holds the bookkeeping file %s is refused with one line, and nothing is touched',
  (name) => {
    const { dir, open } = checkout();
    fs.writeFileSync(path.join(dir, name), '{}\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'hostile');
    expect(() => open().recoverInterrupted()).toThrow(
      new RegExp(`has the tool's own bookkeeping file ${name.replace(/\./g, '\\.')} committed; nothing was changed; fix: git -C .* rm`),
    );
    expect(status(dir)).toBe('');
  },
);
