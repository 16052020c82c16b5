import * as fs from 'node:fs';
import * as path from 'node:path';
import { sha256 } from '../../lib/engine/hash';
import { JOURNAL_FILE } from '../../lib/engine/journal';
import { type OutputFile } from '../../lib/engine/output';
import { fsError, OutputError } from '../../lib/engine/output-error';
import { OutputRoot, tempPath } from '../../lib/engine/output-root';
import { writeOutput, type WriteOptions } from '../../lib/engine/writer';
import { readTree, tempDir } from '../helpers';

const file = (p: string, content: string, scope = 'dev'): OutputFile => ({ path: p, content, scope });
const INDEX = 'platform-index.json';

/** A root whose file-system changes fail from the n-th on, as a disk fault or a killed process would. */
class FaultyRoot extends OutputRoot {
  private count = 0;
  /** Every change from then on throws, cleanup included: the process is gone. */
  public killed = false;

  constructor(
    dir: string,
    private readonly failAt: number,
    private readonly fault: 'kill' | 'ENOSPC' | 'EPERM-remove',
  ) {
    super(dir);
  }

  public override create(rel: string, content: string): void {
    this.step(rel, 'write it', 'create');
    super.create(rel, content);
  }
  public override rename(from: string, to: string): void {
    this.step(to, 'replace it', 'rename');
    super.rename(from, to);
  }
  public override remove(rel: string): void {
    this.step(rel, 'remove it', 'remove');
    super.remove(rel);
  }
  public override makeDirs(rel: string): string[] {
    this.step(rel, 'create the directory', 'mkdir');
    return super.makeDirs(rel);
  }
  public override removeDirIfEmpty(rel: string): boolean {
    this.step(rel, 'remove it', 'rmdir');
    return super.removeDirIfEmpty(rel);
  }
  /** How many changes a run made. */
  public get changes(): number {
    return this.count;
  }

  private step(rel: string, action: string, op: string): void {
    if (this.killed) throw new Error('killed');
    this.count += 1;
    if (this.fault === 'EPERM-remove') {
      if (op === 'remove' && rel.endsWith('.yaml')) throw fsError(Object.assign(new Error('EPERM'), { code: 'EPERM' }), this.show(rel), action);
      return;
    }
    if (this.count < this.failAt) return;
    if (this.fault === 'kill') {
      this.killed = true;
      throw new Error('killed');
    }
    if (op === 'create' && !rel.endsWith(JOURNAL_FILE.replace(/^\./, '') + '.synth-tmp')) {
      throw fsError(Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' }), this.show(rel), action);
    }
  }
}

describe('writeOutput keeps the output root a jail', () => {
  let base: string;
  let out: string;
  let victim: string;
  beforeEach(() => {
    base = tempDir();
    out = path.join(base, 'root');
    victim = path.join(base, 'victim');
    fs.mkdirSync(victim);
    fs.writeFileSync(path.join(victim, 'important.txt'), 'keep me\n');
  });
  afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

  const write = (files: OutputFile[], extra: Partial<WriteOptions> = {}) => writeOutput({ outDir: out, files, scopes: ['dev'], sourceCommit: 'c', ...extra });
  const plantIndex = (entries: { path: string; scope?: string; sha256?: string }[]) => {
    write([file('kubernetes/dev/a.yaml', 'a\n')]);
    const index = JSON.parse(fs.readFileSync(path.join(out, INDEX), 'utf8'));
    index.files.push(...entries.map((e) => ({ scope: 'dev', sha256: sha256('keep me\n'), ...e })));
    fs.writeFileSync(path.join(out, INDEX), JSON.stringify(index));
  };
  const victimIntact = () => expect(fs.readFileSync(path.join(victim, 'important.txt'), 'utf8')).toBe('keep me\n');

  test.each([
    ['../victim/important.txt', /the path "\.\.\/victim\/important\.txt" leaves the output root; nothing was changed; fix: restore it from git/],
    [`${'/'}tmp/x`, /is absolute/],
    ['k/../../victim/important.txt', /leaves the output root/],
    ['k//a.yaml', /is not a normalized relative path/],
    ['.git/config', /points into \.git/],
    ['kubernetes/dev/.a.yaml.synth-tmp', /temporary suffix/],
    [JOURNAL_FILE, /which is no file of the tool's output layout/],
    ['platform-index.json', /which is no file of the tool's output layout/],
    ['README.md', /lists "README.md", which is no file of the tool's output layout/],
    ['.github/workflows/ci.yml', /which is no file of the tool's output layout/],
  ])('an index entry %s is refused with one line, and nothing is touched', (entry, message) => {
    plantIndex([{ path: entry }]);
    const before = readTree(out);
    let error: unknown;
    try {
      write([file('kubernetes/dev/b.yaml', 'b\n')]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OutputError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(`${path.join(out, INDEX)}:`);
    expect((error as Error).message).not.toContain('\n');
    expect(readTree(out)).toEqual(before);
    victimIntact();
  });

  test('a listed file whose bytes differ from the index is kept as drift, named, and stays listed', () => {
    const hand = 'kubernetes/dev/hand.yaml';
    fs.mkdirSync(path.join(out, 'kubernetes/dev'), { recursive: true });
    fs.writeFileSync(path.join(out, hand), 'hello\n');
    plantIndex([{ path: hand }]);
    const result = write([file('kubernetes/dev/a.yaml', 'a\n')]);
    expect(result.drift).toEqual([hand]);
    expect(fs.readFileSync(path.join(out, hand), 'utf8')).toBe('hello\n');
    const index = JSON.parse(fs.readFileSync(path.join(out, INDEX), 'utf8'));
    expect(index.files.map((f: { path: string }) => f.path)).toContain(hand);
    // Deleted by a person: the next run forgets it.
    fs.rmSync(path.join(out, hand));
    expect(write([file('kubernetes/dev/a.yaml', 'a\n')]).drift).toEqual([]);
    expect(JSON.parse(fs.readFileSync(path.join(out, INDEX), 'utf8')).files.map((f: { path: string }) => f.path)).toEqual(['kubernetes/dev/a.yaml']);
  });

  test('a pruned file is removed only when its bytes are the ones the index recorded', () => {
    write([file('kubernetes/dev/a.yaml', 'a\n'), file('kubernetes/dev/b.yaml', 'b\n'), file('kubernetes/dev/c.yaml', 'c\n')]);
    fs.writeFileSync(path.join(out, 'kubernetes/dev/b.yaml'), 'edited by hand\n');
    const result = write([file('kubernetes/dev/a.yaml', 'a\n')]);
    expect(fs.existsSync(path.join(out, 'kubernetes/dev/c.yaml'))).toBe(false);
    expect(fs.readFileSync(path.join(out, 'kubernetes/dev/b.yaml'), 'utf8')).toBe('edited by hand\n');
    expect(result.drift).toEqual(['kubernetes/dev/b.yaml']);
    expect(result.summaries[0]).toMatchObject({ removed: 1 });
  });

  test('a file edited by hand is not overwritten: one line, nothing changed', () => {
    write([file('kubernetes/dev/a.yaml', 'a\n'), file('kubernetes/dev/b.yaml', 'b\n')]);
    fs.writeFileSync(path.join(out, 'kubernetes/dev/a.yaml'), 'edited\n');
    const before = readTree(out);
    expect(() => write([file('kubernetes/dev/a.yaml', 'a2\n'), file('kubernetes/dev/b.yaml', 'b2\n')])).toThrow(
      /kubernetes\/dev\/a\.yaml: was edited by hand since the tool wrote it .*nothing was changed; fix: restore it/,
    );
    expect(readTree(out)).toEqual(before);
  });

  test('a planted link at a temporary name is refused, and its target is untouched', () => {
    write([file('kubernetes/dev/a.yaml', 'a\n')]);
    fs.symlinkSync(path.join(victim, 'important.txt'), path.join(out, 'kubernetes/dev/.a.yaml.synth-tmp'));
    expect(() => write([file('kubernetes/dev/a.yaml', 'a2\n')])).toThrow(/\.a\.yaml\.synth-tmp: already exists, but the tool did not leave it there; nothing was changed/);
    victimIntact();
    expect(fs.readFileSync(path.join(out, 'kubernetes/dev/a.yaml'), 'utf8')).toBe('a\n');
    expect(fs.existsSync(path.join(out, JOURNAL_FILE))).toBe(false);
  });

  test('an output directory that is a link out of the root is refused before anything is written', () => {
    fs.mkdirSync(path.join(out, 'kubernetes'), { recursive: true });
    fs.symlinkSync(victim, path.join(out, 'kubernetes/dev'));
    expect(() => write([file('kubernetes/dev/a.yaml', 'a\n')])).toThrow(/kubernetes\/dev: is a symbolic link, where the tool keeps a directory of its output; nothing was changed/);
    expect(fs.readdirSync(victim)).toEqual(['important.txt']);
    expect(fs.existsSync(path.join(out, INDEX))).toBe(false);
  });

  test('an output file that is a link is refused, however it points', () => {
    write([file('kubernetes/dev/a.yaml', 'a\n')]);
    fs.rmSync(path.join(out, 'kubernetes/dev/a.yaml'));
    fs.symlinkSync(path.join(victim, 'important.txt'), path.join(out, 'kubernetes/dev/a.yaml'));
    expect(() => write([file('kubernetes/dev/a.yaml', 'a\n')])).toThrow(/kubernetes\/dev\/a\.yaml: is a symbolic link, where the tool keeps a regular file/);
    victimIntact();
  });

  test("a link at the journal's temporary name is refused; a regular file there is a killed run's, and goes", () => {
    write([file('kubernetes/dev/a.yaml', 'a\n')]);
    const temp = path.join(out, tempPath(JOURNAL_FILE));
    fs.symlinkSync(path.join(victim, 'important.txt'), temp);
    expect(() => write([file('kubernetes/dev/a.yaml', 'a2\n')])).toThrow(/\.platform-journal\.json\.synth-tmp: is a symbolic link/);
    victimIntact();
    fs.unlinkSync(temp);
    fs.writeFileSync(temp, '{"generator":');
    write([file('kubernetes/dev/a.yaml', 'a2\n')]);
    expect(fs.existsSync(temp)).toBe(false);
  });

  test('a journal that lists the index or a file outside the layout is refused', () => {
    write([file('kubernetes/dev/a.yaml', 'a\n')]);
    for (const listed of ['platform-index.json', 'README.md']) {
      const journal = { generator: 'platform-synth-journal', writes: [{ path: listed, scope: 'dev', sha256: sha256('x'), size: 1 }], removals: [], indexSha256: sha256('x') };
      fs.writeFileSync(path.join(out, JOURNAL_FILE), JSON.stringify(journal));
      expect(() => write([file('kubernetes/dev/a.yaml', 'a2\n')])).toThrow(new RegExp(`\\.platform-journal\\.json: lists "${listed.replace('.', '\\.')}", which is no file of the tool's output layout`));
    }
  });

  test('an index that is a link is not read', () => {
    fs.mkdirSync(out);
    fs.symlinkSync(path.join(victim, 'important.txt'), path.join(out, INDEX));
    expect(() => write([file('kubernetes/dev/a.yaml', 'a\n')])).toThrow(/platform-index\.json: is a symbolic link/);
  });

  test('a directory where a file goes, and a file where a directory goes, are one line each', () => {
    fs.mkdirSync(path.join(out, 'kubernetes/dev/a.yaml'), { recursive: true });
    expect(() => write([file('kubernetes/dev/a.yaml', 'a\n')])).toThrow(/kubernetes\/dev\/a\.yaml: is a directory, where the tool keeps a regular file; nothing was changed; fix: move or delete it/);
    fs.rmSync(path.join(out, 'kubernetes'), { recursive: true });
    fs.mkdirSync(path.join(out, 'kubernetes'));
    fs.writeFileSync(path.join(out, 'kubernetes/dev'), 'x');
    expect(() => write([file('kubernetes/dev/a.yaml', 'a\n')])).toThrow(/kubernetes\/dev: is a file, where the tool keeps a directory of its output; nothing was changed; fix: move or delete that file/);
  });
});

describe('writeOutput under disk faults', () => {
  let out: string;
  beforeEach(() => {
    out = tempDir();
  });
  afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

  const v1 = [file('kubernetes/dev/a.yaml', 'a\n'), file('kubernetes/dev/gone.yaml', 'g\n'), file('kubernetes/prod/p.yaml', 'p\n', 'prod')];
  const v2 = [file('kubernetes/dev/a.yaml', 'a2\n'), file('kubernetes/clusters/new/n.yaml', 'n\n'), file('kubernetes/prod/p.yaml', 'p2\n', 'prod')];
  const write = (files: OutputFile[], root?: OutputRoot) => writeOutput({ outDir: out, files, scopes: ['dev', 'prod'], sourceCommit: 'c', root });

  test('a full disk while staging changes nothing and says so in one line', () => {
    write(v1);
    const before = readTree(out);
    let message = '';
    try {
      write(v2, new FaultyRoot(out, 4, 'ENOSPC'));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^.*kubernetes\/.*: cannot write it: the disk is full \(ENOSPC\); nothing was changed; fix: free space on that disk, then run again$/);
    expect(readTree(out)).toEqual(before);
  });

  test('a file that cannot be pruned stays in the index, and the next run removes it', () => {
    write(v1);
    expect(() => write(v2, new FaultyRoot(out, 0, 'EPERM-remove'))).toThrow(
      /kubernetes\/dev\/gone\.yaml: cannot remove it: the operation is not permitted \(EPERM\); 1 file\(s\) could not be pruned; the rest of the output is written, and the index still lists them/,
    );
    expect(fs.readFileSync(path.join(out, 'kubernetes/dev/a.yaml'), 'utf8')).toBe('a2\n');
    const listed = () => JSON.parse(fs.readFileSync(path.join(out, INDEX), 'utf8')).files.map((f: { path: string }) => f.path);
    expect(listed()).toContain('kubernetes/dev/gone.yaml');
    write(v2);
    expect(fs.existsSync(path.join(out, 'kubernetes/dev/gone.yaml'))).toBe(false);
    expect(listed()).not.toContain('kubernetes/dev/gone.yaml');
  });
});

describe('writeOutput converges after a run killed at any change', () => {
  // A killed process makes no further change: the faulty root throws on every change after the
  // n-th, cleanup included. Every n from the first change to the last is tried.
  const v1 = [file('kubernetes/dev/a.yaml', 'a\n'), file('kubernetes/dev/gone.yaml', 'g\n'), file('kubernetes/clusters/old/o.yaml', 'o\n'), file('kubernetes/prod/p.yaml', 'p\n', 'prod')];
  const v2 = [file('kubernetes/dev/a.yaml', 'a2\n'), file('kubernetes/clusters/new/n.yaml', 'n\n'), file('kubernetes/prod/p.yaml', 'p2\n', 'prod'), file('kubernetes/prod/q.yaml', 'q\n', 'prod')];

  const expected = (files: OutputFile[], scopes = ['dev', 'prod']) => {
    const dir = tempDir();
    writeOutput({ outDir: dir, files, scopes, sourceCommit: 'c' });
    const tree = readTree(dir);
    fs.rmSync(dir, { recursive: true });
    return tree;
  };
  const dirsOf = (dir: string): string[] => {
    const out: string[] = [];
    const walk = (rel: string) => {
      for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
        if (e.isDirectory()) {
          out.push(`${rel}${e.name}/`);
          walk(`${rel}${e.name}/`);
        }
      }
    };
    walk('');
    return out.sort();
  };

  test.each([
    ['fresh', [] as OutputFile[], v2],
    ['changed', v1, v2],
    ['emptied', v1, [] as OutputFile[]],
  ])('%s: killed at every change, the next run gives exactly the clean output', (_, from, to) => {
    const want = expected(to);
    const cleanDirs = (() => {
      const dir = tempDir();
      if (from.length > 0) writeOutput({ outDir: dir, files: from, scopes: ['dev', 'prod'], sourceCommit: 'c' });
      writeOutput({ outDir: dir, files: to, scopes: ['dev', 'prod'], sourceCommit: 'c' });
      const d = dirsOf(dir);
      fs.rmSync(dir, { recursive: true });
      return d;
    })();
    // How many changes a whole run makes.
    const probe = tempDir();
    if (from.length > 0) writeOutput({ outDir: probe, files: from, scopes: ['dev', 'prod'], sourceCommit: 'c' });
    const counter = new FaultyRoot(probe, Number.MAX_SAFE_INTEGER, 'kill');
    writeOutput({ outDir: probe, files: to, scopes: ['dev', 'prod'], sourceCommit: 'c', root: counter });
    fs.rmSync(probe, { recursive: true });
    expect(counter.changes).toBeGreaterThan(5);

    for (let n = 1; n <= counter.changes; n++) {
      const dir = tempDir();
      if (from.length > 0) writeOutput({ outDir: dir, files: from, scopes: ['dev', 'prod'], sourceCommit: 'c' });
      expect(() => writeOutput({ outDir: dir, files: to, scopes: ['dev', 'prod'], sourceCommit: 'c', root: new FaultyRoot(dir, n, 'kill') })).toThrow('killed');
      // A dry run after a kill reads the journal and changes nothing.
      const killed = readTree(dir);
      writeOutput({ outDir: dir, files: to, scopes: ['dev', 'prod'], sourceCommit: 'c', dryRun: true });
      expect(readTree(dir)).toEqual(killed);

      const rerun = writeOutput({ outDir: dir, files: to, scopes: ['dev', 'prod'], sourceCommit: 'c' });
      expect({ n, tree: readTree(dir) }).toEqual({ n, tree: want });
      expect({ n, dirs: dirsOf(dir) }).toEqual({ n, dirs: cleanDirs });
      expect(rerun.drift).toEqual([]);
      fs.rmSync(dir, { recursive: true });
    }
  });

  test('killed, then a run of other scopes: the killed run\'s files stay owned and are pruned later', () => {
    const dir = tempDir();
    writeOutput({ outDir: dir, files: v1, scopes: ['dev', 'prod'], sourceCommit: 'c' });
    // A run of both scopes, killed at each change in turn until one finishes.
    let at = 1;
    for (;;) {
      const trial = tempDir();
      fs.cpSync(dir, trial, { recursive: true });
      const root = new FaultyRoot(trial, at, 'kill');
      let finished = true;
      try {
        writeOutput({ outDir: trial, files: v2, scopes: ['dev', 'prod'], sourceCommit: 'c', root });
      } catch {
        finished = false;
      }
      if (finished) {
        fs.rmSync(trial, { recursive: true });
        break;
      }
      // Only prod now; then dev with its new output: the result is the clean two-scope output.
      writeOutput({ outDir: trial, files: v2.filter((f) => f.scope === 'prod'), scopes: ['prod'], sourceCommit: 'c' });
      writeOutput({ outDir: trial, files: v2.filter((f) => f.scope === 'dev'), scopes: ['dev'], sourceCommit: 'c' });
      expect({ at, tree: readTree(trial) }).toEqual({ at, tree: expected(v2) });
      fs.rmSync(trial, { recursive: true });
      at += 1;
    }
    fs.rmSync(dir, { recursive: true });
  });
});
