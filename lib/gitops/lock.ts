import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fsError } from '../engine/output-error';
import { GitOpsError } from './gitops-error';

/** The lock file's name inside the checkout's git directory. */
export const LOCK_FILE = 'platform-release.lock';

/** Who holds a lock: written into the lock file. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
}

/** A breaker file older than this belongs to a run that died while breaking a stale lock. */
const BREAKER_STALE_MS = 60_000;

/**
 * An exclusive lock on one checkout, so two runs never write it at once. The lock is a file
 * created with O_EXCL in the checkout's git directory, holding the holder's pid and host. A lock
 * whose holder is a dead process on this host is stale and is taken over.
 */
export class CheckoutLock {
  /** Takes the lock of the checkout whose git directory is `gitDir`; throws when another run holds it. */
  public static acquire(gitDir: string, checkout: string): CheckoutLock {
    const file = path.join(gitDir, LOCK_FILE);
    const me: LockHolder = { pid: process.pid, host: os.hostname() };
    // Two attempts: the second follows the removal of a stale lock.
    for (let attempt = 0; attempt < 2; attempt++) {
      if (tryCreate(file, me)) return new CheckoutLock(file);
      const holder = readHolder(file);
      if (holder === 'gone') continue;
      if (holder === undefined || isAlive(holder)) throw heldError(checkout, file, holder);
      breakStaleLock(file, holder, checkout);
    }
    throw heldError(checkout, file, undefined);
  }

  private released = false;

  private constructor(public readonly file: string) {}

  /** Removes the lock file, if it is still ours. */
  public release(): void {
    if (this.released) return;
    this.released = true;
    const holder = readHolder(this.file);
    if (holder !== 'gone' && holder?.pid === process.pid && holder.host === os.hostname()) fs.rmSync(this.file, { force: true });
  }
}

/** Runs `fn` holding the checkout's lock, and releases it however `fn` ends. */
export async function withCheckoutLock<T>(gitDir: string, checkout: string, fn: () => Promise<T>): Promise<T> {
  const lock = CheckoutLock.acquire(gitDir, checkout);
  try {
    return await fn();
  } finally {
    lock.release();
  }
}

function tryCreate(file: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw fsError(error, file, 'create the lock');
  }
  try {
    fs.writeSync(fd, `${JSON.stringify(holder)}\n`);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

/** The holder named in the lock file; undefined when unreadable, 'gone' when the file is gone. */
function readHolder(file: string): LockHolder | undefined | 'gone' {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  try {
    const data: unknown = JSON.parse(text);
    if (data !== null && typeof data === 'object' && 'pid' in data && 'host' in data) {
      const { pid, host } = data;
      if (typeof pid === 'number' && Number.isInteger(pid) && pid > 0 && typeof host === 'string') return { pid, host };
    }
  } catch {
    // A lock being written, or damaged: treated as held.
  }
  return undefined;
}

/** Whether the holder may still run. A holder on another host cannot be checked, so it counts as alive. */
function isAlive(holder: LockHolder): boolean {
  if (holder.host !== os.hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Removes a stale lock. A second O_EXCL file guards the removal, so that of two runs finding the
 * same stale lock only one removes it, and neither removes a lock the other has just taken.
 */
function breakStaleLock(file: string, stale: LockHolder, checkout: string): void {
  const breaker = `${file}.break`;
  if (!tryCreate(breaker, { pid: process.pid, host: os.hostname() })) {
    const age = ageMs(breaker);
    if (age !== undefined && age > BREAKER_STALE_MS) fs.rmSync(breaker, { force: true });
    throw new GitOpsError(
      `GitOps checkout ${checkout} is locked: another run is taking over the stale lock ${file}; fix: run again in a moment`,
    );
  }
  try {
    const holder = readHolder(file);
    if (holder !== 'gone' && holder !== undefined && holder.pid === stale.pid && holder.host === stale.host && !isAlive(holder)) {
      fs.rmSync(file, { force: true });
    }
  } finally {
    fs.rmSync(breaker, { force: true });
  }
}

function ageMs(file: string): number | undefined {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

function heldError(checkout: string, file: string, holder: LockHolder | undefined): GitOpsError {
  const who = holder === undefined ? 'another run' : `another run (pid ${holder.pid} on ${holder.host})`;
  return new GitOpsError(
    `GitOps checkout ${checkout} is locked by ${who}: ${file}; fix: wait for that release or promote to finish, or delete the lock file if no run is active`,
  );
}
