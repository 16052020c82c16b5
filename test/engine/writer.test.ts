import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type OutputFile } from '../../lib/engine/output';
import { writeOutput } from '../../lib/engine/writer';
import { readTree, tempDir } from '../helpers';

const file = (p: string, content: string, scope = 'dev'): OutputFile => ({ path: p, content, scope });

describe('writeOutput', () => {
  let out: string;
  beforeEach(() => {
    out = tempDir();
  });
  afterEach(() => fs.rmSync(out, { recursive: true, force: true }));

  const write = (files: OutputFile[], scopes = ['dev', 'prod'], sourceCommit = 'abc') =>
    writeOutput({ outDir: out, files, scopes, sourceCommit });

  test('writes every file and an index with each sha256 and the source commit', () => {
    write([file('kubernetes/dev/a.yaml', 'a: 1\n'), file('kubernetes/prod/b.yaml', 'b: 2\n', 'prod')]);
    const index = JSON.parse(fs.readFileSync(path.join(out, 'platform-index.json'), 'utf8'));
    expect(index).toEqual({
      generator: 'platform-synth',
      sourceCommit: 'abc',
      files: [
        { path: 'kubernetes/dev/a.yaml', scope: 'dev', sha256: createHash('sha256').update('a: 1\n').digest('hex') },
        { path: 'kubernetes/prod/b.yaml', scope: 'prod', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      ],
    });
    expect(fs.readFileSync(path.join(out, 'kubernetes/dev/a.yaml'), 'utf8')).toBe('a: 1\n');
  });

  test('an unchanged re-run writes nothing and reports every file unchanged', () => {
    const files = [file('kubernetes/dev/a.yaml', 'a: 1\n'), file('kubernetes/prod/b.yaml', 'b: 2\n', 'prod')];
    write(files);
    const before = fs.statSync(path.join(out, 'kubernetes/dev/a.yaml')).mtimeMs;
    const result = write(files);
    expect(result.touched).toEqual([]);
    expect(result.summaries).toEqual([
      { scope: 'dev', added: 0, changed: 0, removed: 0, unchanged: 1 },
      { scope: 'prod', added: 0, changed: 0, removed: 0, unchanged: 1 },
    ]);
    expect(fs.statSync(path.join(out, 'kubernetes/dev/a.yaml')).mtimeMs).toBe(before);
  });

  test('counts added, changed and removed files per scope', () => {
    write([file('kubernetes/dev/a.yaml', 'a: 1\n'), file('kubernetes/dev/old.yaml', 'x\n'), file('kubernetes/prod/b.yaml', 'b: 2\n', 'prod')]);
    const result = write([file('kubernetes/dev/a.yaml', 'a: 2\n'), file('kubernetes/dev/new.yaml', 'n\n'), file('kubernetes/prod/b.yaml', 'b: 2\n', 'prod')]);
    expect(result.summaries).toEqual([
      { scope: 'dev', added: 1, changed: 1, removed: 1, unchanged: 0 },
      { scope: 'prod', added: 0, changed: 0, removed: 0, unchanged: 1 },
    ]);
    expect([...readTree(out).keys()].sort()).toEqual(['kubernetes/dev/a.yaml', 'kubernetes/dev/new.yaml', 'kubernetes/prod/b.yaml', 'platform-index.json']);
  });

  test('prunes only files the index says it wrote, and leaves other files and directories alone', () => {
    write([file('kubernetes/dev/a.yaml', 'a\n'), file('kubernetes/dev/gone.yaml', 'g\n')]);
    fs.writeFileSync(path.join(out, 'README.md'), 'hello\n');
    fs.mkdirSync(path.join(out, '.git'));
    fs.writeFileSync(path.join(out, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    fs.mkdirSync(path.join(out, 'kubernetes/other-team'), { recursive: true });
    fs.writeFileSync(path.join(out, 'kubernetes/other-team/x.yaml'), 'x\n');
    fs.writeFileSync(path.join(out, 'kubernetes/dev/hand-written.yaml'), 'h\n');

    write([file('kubernetes/dev/a.yaml', 'a\n')]);

    expect(fs.existsSync(path.join(out, 'kubernetes/dev/gone.yaml'))).toBe(false);
    expect(fs.readFileSync(path.join(out, 'README.md'), 'utf8')).toBe('hello\n');
    expect(fs.readFileSync(path.join(out, '.git/HEAD'), 'utf8')).toBe('ref: refs/heads/main\n');
    expect(fs.readFileSync(path.join(out, 'kubernetes/other-team/x.yaml'), 'utf8')).toBe('x\n');
    expect(fs.readFileSync(path.join(out, 'kubernetes/dev/hand-written.yaml'), 'utf8')).toBe('h\n');
  });

  test('removes directories that pruning empties, but not ones that still hold other files', () => {
    write([file('kubernetes/dev/a.yaml', 'a\n'), file('kubernetes/prod/b.yaml', 'b\n', 'prod')]);
    fs.writeFileSync(path.join(out, 'kubernetes/prod/keep.txt'), 'k\n');
    write([], ['dev', 'prod']);
    expect(fs.existsSync(path.join(out, 'kubernetes/dev'))).toBe(false);
    expect(fs.existsSync(path.join(out, 'kubernetes/prod/keep.txt'))).toBe(true);
  });

  test('keeps the files and index entries of scopes this run does not own', () => {
    write([file('kubernetes/dev/a.yaml', 'a\n'), file('kubernetes/prod/b.yaml', 'b\n', 'prod')]);
    write([file('kubernetes/dev/a.yaml', 'a2\n')], ['dev']);
    expect(fs.readFileSync(path.join(out, 'kubernetes/prod/b.yaml'), 'utf8')).toBe('b\n');
    const index = JSON.parse(fs.readFileSync(path.join(out, 'platform-index.json'), 'utf8'));
    expect(index.files.map((f: { path: string }) => f.path)).toEqual(['kubernetes/dev/a.yaml', 'kubernetes/prod/b.yaml']);
  });

  test('refuses to overwrite a file it did not write, and changes nothing', () => {
    fs.mkdirSync(path.join(out, 'kubernetes/dev'), { recursive: true });
    fs.writeFileSync(path.join(out, 'kubernetes/dev/a.yaml'), 'mine\n');
    const before = readTree(out);
    expect(() => write([file('kubernetes/dev/a.yaml', 'a\n'), file('kubernetes/dev/b.yaml', 'b\n')])).toThrow(
      /kubernetes\/dev\/a\.yaml: the tool did not write it .*nothing was changed; fix: move or delete that file/,
    );
    expect(readTree(out)).toEqual(before);
  });

  test('rejects two files with one path', () => {
    expect(() => write([file('kubernetes/dev/a.yaml', 'a\n'), file('kubernetes/dev/a.yaml', 'b\n')])).toThrow(/two objects would be written to kubernetes\/dev\/a\.yaml/);
    expect(readTree(out).size).toBe(0);
  });

  test('rejects a damaged index instead of guessing what it owns', () => {
    fs.writeFileSync(path.join(out, 'platform-index.json'), '{"files": 3}');
    expect(() => write([file('kubernetes/dev/a.yaml', 'a\n')])).toThrow(/platform-index\.json is not a platform-synth index.*fix: restore it from git/);
  });

  test('a dry run reports changes and writes nothing', () => {
    const result = writeOutput({ outDir: out, files: [file('kubernetes/dev/a.yaml', 'a\n')], scopes: ['dev'], sourceCommit: 'x', dryRun: true });
    expect(result.summaries[0]).toMatchObject({ added: 1 });
    expect(readTree(out).size).toBe(0);
  });
});
