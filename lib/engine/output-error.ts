/** What went wrong with one path of an output root, and what the user does about it. */
export interface OutputErrorDetails {
  /** The path as the user sees it: the output root as named, joined with the relative path. */
  readonly path: string;
  /** What happened, without the fix. */
  readonly problem: string;
  /** What the run left behind: `nothing was changed`, or how the next run finishes it. */
  readonly state?: string;
  readonly fix: string;
}

/**
 * A refused or failed write of an output root: a hostile or damaged checkout, or a disk fault.
 * The message is one line naming the path, what happened, the state left behind and the fix.
 */
export class OutputError extends Error {
  public readonly details: OutputErrorDetails;

  constructor(details: OutputErrorDetails) {
    const state = details.state === undefined ? '' : `; ${details.state}`;
    super(`${details.path}: ${details.problem}${state}; fix: ${details.fix}`.replace(/\s*\n\s*/g, ' '));
    this.name = 'OutputError';
    this.details = details;
  }

  /** The same error, saying what the run left behind. */
  public withState(state: string): OutputError {
    return this.details.state === undefined ? new OutputError({ ...this.details, state }) : this;
  }
}

/** What an errno means for a run, and its fix: disk full, permissions, a file where a directory goes. */
const ERRNO: Readonly<Record<string, { readonly problem: string; readonly fix: string }>> = {
  ENOSPC: { problem: 'the disk is full', fix: 'free space on that disk, then run again' },
  EDQUOT: { problem: 'the disk quota is used up', fix: 'free space or raise the quota, then run again' },
  EACCES: { problem: 'permission denied', fix: 'make it writable by this user (ls -ld; chmod or chown), then run again' },
  EPERM: { problem: 'the operation is not permitted', fix: 'make it writable by this user and not immutable (lsattr; chattr -i), then run again' },
  EROFS: { problem: 'the file system is read-only', fix: 'write to a writable location (--out), then run again' },
  EEXIST: { problem: 'something already exists there', fix: 'move or delete it, then run again' },
  ENOTDIR: { problem: 'a file stands where the tool needs a directory', fix: 'move or delete that file, then run again' },
  EISDIR: { problem: 'a directory stands where the tool writes a file', fix: 'move or delete that directory, then run again' },
  ELOOP: { problem: 'it is a symbolic link, which the tool never follows', fix: 'replace the link with a regular file or delete it, then run again' },
  EMFILE: { problem: 'the process ran out of file descriptors', fix: 'raise the limit (ulimit -n), then run again' },
  ENFILE: { problem: 'the system ran out of file descriptors', fix: 'close other programs or raise the limit, then run again' },
  EIO: { problem: 'the disk reported an I/O error', fix: 'check the disk (dmesg), then run again' },
  ENAMETOOLONG: { problem: 'the path is too long for the file system', fix: 'use a shorter --out path, then run again' },
  EBUSY: { problem: 'the file is busy', fix: 'stop the program that holds it, then run again' },
};

/** Turns a failed file-system call on `where` into an OutputError; other errors pass through. */
export function fsError(error: unknown, where: string, action: string): unknown {
  if (error instanceof OutputError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === undefined) return error;
  const known = ERRNO[code] ?? { problem: `the file system answered ${code}`, fix: 'correct the cause, then run again' };
  return new OutputError({ path: where, problem: `cannot ${action}: ${known.problem} (${code})`, fix: known.fix });
}
