import * as fs from 'node:fs';
import * as path from 'node:path';
import { fsError, OutputError } from './output-error';

/** The suffix of the tool's temporary files: `.<name>.synth-tmp` beside their target. */
export const TEMP_SUFFIX = '.synth-tmp';

/** The temporary file a write of `rel` goes through before it is renamed over `rel`. */
export function tempPath(rel: string): string {
  const dir = path.posix.dirname(rel);
  const name = `.${path.posix.basename(rel)}${TEMP_SUFFIX}`;
  return dir === '.' ? name : `${dir}/${name}`;
}

/**
 * Checks a path that will be read, written or removed under an output root: relative, normalized,
 * inside the root, never into `.git`, and never one of the tool's temporary names. `source` says
 * where the path came from (the index, the journal) for the message.
 */
export function checkRelativePath(rel: unknown, source: string, fix: string): string {
  const problem = pathProblem(rel);
  if (problem === undefined) return rel as string;
  throw new OutputError({ path: source, problem: `the path ${JSON.stringify(rel)} ${problem}`, state: 'nothing was changed', fix });
}

function pathProblem(rel: unknown): string | undefined {
  if (typeof rel !== 'string' || rel === '') return 'is not a path';
  if (rel.length > 1024) return 'is longer than any path the tool writes';
  if (/[\0-\x1f\\]/.test(rel)) return 'holds control characters or backslashes';
  if (rel.startsWith('/')) return 'is absolute; only paths inside the output root are allowed';
  const segments = rel.split('/');
  if (segments.some((s) => s === '..')) return 'leaves the output root';
  if (path.posix.normalize(rel) !== rel || segments.some((s) => s === '' || s === '.')) return 'is not a normalized relative path';
  if (segments.includes('.git')) return 'points into .git';
  if (segments[segments.length - 1].endsWith(TEMP_SUFFIX)) return `ends in ${TEMP_SUFFIX}, the tool's temporary suffix`;
  return undefined;
}

/** What stands at a path: nothing, a regular file of some size, or something the tool never touches. */
export type PathState =
  | { readonly kind: 'absent' }
  | { readonly kind: 'file'; readonly size: number }
  | { readonly kind: 'other'; readonly what: string };

const ABSENT: PathState = { kind: 'absent' };
const NO_FOLLOW = fs.constants.O_NOFOLLOW ?? 0;

/**
 * An output root as a jail. Every path is relative to it and checked before use; no symbolic link
 * is followed at any level below the root (directories are checked with lstat, files are opened with
 * O_NOFOLLOW, and new files are created with O_EXCL, which never follows a link). The root itself is
 * what the user named and may be a link.
 */
export class OutputRoot {
  /** The root, absolute. */
  public readonly dir: string;
  /** Directories below the root already checked: true when the directory exists. */
  private readonly dirs = new Map<string, boolean>([['.', true]]);

  constructor(
    /** The root as the user named it, for messages. */
    public readonly label: string,
  ) {
    this.dir = path.resolve(label);
    const st = fs.statSync(this.dir, { throwIfNoEntry: false });
    if (st === undefined) this.dirs.set('.', false);
    else if (!st.isDirectory()) {
      throw new OutputError({ path: label, problem: 'is not a directory', state: 'nothing was changed', fix: 'pass a directory as the output root' });
    }
  }

  /** `label/rel`, for messages. */
  public show(rel: string): string {
    return path.join(this.label, rel);
  }

  /** What stands at `rel`. Throws when a directory above it is a link or no directory. */
  public state(rel: string): PathState {
    if (!this.dirExists(path.posix.dirname(rel))) return ABSENT;
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(path.join(this.dir, rel), { throwIfNoEntry: false });
    } catch (error) {
      throw fsError(error, this.show(rel), 'inspect it');
    }
    if (st === undefined) return ABSENT;
    if (st.isFile()) return { kind: 'file', size: st.size };
    return { kind: 'other', what: st.isSymbolicLink() ? 'a symbolic link' : st.isDirectory() ? 'a directory' : 'not a regular file' };
  }

  /** The text of the regular file at `rel`, or undefined when nothing is there. Refuses links. */
  public read(rel: string): string | undefined {
    const state = this.state(rel);
    if (state.kind === 'absent') return undefined;
    if (state.kind === 'other') throw this.notAFile(rel, state.what);
    return this.readFile(rel);
  }

  /** The entries of the directory `rel`, which must be a real directory below the root. */
  public list(rel: string): fs.Dirent[] {
    if (!this.dirExists(rel)) return [];
    try {
      return fs.readdirSync(path.join(this.dir, rel), { withFileTypes: true });
    } catch (error) {
      throw fsError(error, this.show(rel), 'list it');
    }
  }

  /** Whether `rel` is a real directory below the root (not a link). */
  public isDir(rel: string): boolean {
    const st = this.dirExists(path.posix.dirname(rel)) ? fs.lstatSync(path.join(this.dir, rel), { throwIfNoEntry: false }) : undefined;
    return st?.isDirectory() === true;
  }

  /** Whether the root exists yet. */
  public exists(): boolean {
    return this.dirs.get('.') === true;
  }

  /** Reads a regular file known to exist, without following a link. */
  public readFile(rel: string): string {
    let fd: number;
    try {
      fd = fs.openSync(path.join(this.dir, rel), fs.constants.O_RDONLY | NO_FOLLOW);
    } catch (error) {
      throw fsError(error, this.show(rel), 'read it');
    }
    try {
      return fs.readFileSync(fd, 'utf8');
    } catch (error) {
      throw fsError(error, this.show(rel), 'read it');
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Creates `rel` with `content`; fails when anything, a link included, is already there. */
  public create(rel: string, content: string): void {
    try {
      fs.writeFileSync(path.join(this.dir, rel), content, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new OutputError({
          path: this.show(rel),
          problem: 'already exists, but the tool did not leave it there',
          fix: 'delete it (no interrupted run of the tool names it), then run again',
        });
      }
      throw fsError(error, this.show(rel), 'write it');
    }
  }

  /** Replaces `to` with `from`: atomic, and a link at `to` is replaced, never followed. */
  public rename(from: string, to: string): void {
    try {
      fs.renameSync(path.join(this.dir, from), path.join(this.dir, to));
    } catch (error) {
      throw fsError(error, this.show(to), 'replace it');
    }
  }

  /** Removes the file (or link) at `rel`; absent is fine. */
  public remove(rel: string): void {
    try {
      fs.unlinkSync(path.join(this.dir, rel));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw fsError(error, this.show(rel), 'remove it');
    }
  }

  /** Writes `rel` atomically through its temporary file. */
  public replace(rel: string, content: string): void {
    const temp = tempPath(rel);
    this.create(temp, content);
    try {
      this.rename(temp, rel);
    } catch (error) {
      this.remove(temp);
      throw error;
    }
  }

  /** Creates the root itself when it does not exist yet. */
  public ensureRoot(): void {
    if (this.dirs.get('.')) return;
    try {
      fs.mkdirSync(this.dir, { recursive: true });
    } catch (error) {
      throw fsError(error, this.label, 'create the output root');
    }
    this.dirs.set('.', true);
  }

  /** Makes the directory `rel` and those above it; returns the ones it made, outermost first. */
  public makeDirs(rel: string): string[] {
    if (rel === '.' || this.dirExists(rel)) return [];
    const made = this.makeDirs(path.posix.dirname(rel));
    try {
      fs.mkdirSync(path.join(this.dir, rel));
    } catch (error) {
      throw fsError(error, this.show(rel), 'create the directory');
    }
    this.dirs.set(rel, true);
    return [...made, rel];
  }

  /** Removes the directory `rel` when it is empty; says whether it did. */
  public removeDirIfEmpty(rel: string): boolean {
    try {
      // Checked first, so a link never leads the removal out of the root.
      if (!this.dirExists(rel)) return false;
      fs.rmdirSync(path.join(this.dir, rel));
    } catch {
      // Not empty, or not ours to judge: something else still lives there.
      return false;
    }
    this.dirs.set(rel, false);
    return true;
  }

  /** Whether the directory `rel` exists. Throws when it, or one above it, is a link or no directory. */
  private dirExists(rel: string): boolean {
    const known = this.dirs.get(rel);
    if (known !== undefined) return known;
    let exists = this.dirExists(path.posix.dirname(rel));
    if (exists) {
      const st = fs.lstatSync(path.join(this.dir, rel), { throwIfNoEntry: false });
      if (st !== undefined && !st.isDirectory()) {
        const what = st.isSymbolicLink() ? 'a symbolic link' : 'a file';
        throw new OutputError({
          path: this.show(rel),
          problem: `is ${what}, where the tool keeps a directory of its output`,
          state: 'nothing was changed',
          fix: st.isSymbolicLink() ? 'replace the link with a real directory or delete it, then run again' : 'move or delete that file, then run again',
        });
      }
      exists = st !== undefined;
    }
    this.dirs.set(rel, exists);
    return exists;
  }

  /** The error for a link met while reading the tree: the tool reads no link, so it refuses the tree. */
  public linkRefused(rel: string): OutputError {
    return new OutputError({
      path: this.show(rel),
      problem: 'is a symbolic link, which the tool never follows',
      state: 'nothing was changed',
      fix: 'replace the link with the real directory or file, or delete it, then run again',
    });
  }

  /** The error for a path that holds something the tool never writes: a link, a directory. */
  public notAFile(rel: string, what: string): OutputError {
    return new OutputError({
      path: this.show(rel),
      problem: `is ${what}, where the tool keeps a regular file`,
      state: 'nothing was changed',
      fix: 'move or delete it, then run again',
    });
  }
}
