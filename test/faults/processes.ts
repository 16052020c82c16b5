import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_DIR } from '../helpers';

/** How a real process of the tool ended. */
export interface Ended {
  /** The exit code, or null when a signal ended it. */
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment every tool process of the suite runs with: a fixed source commit and tag time. */
export const TOOL_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  PLATFORM_SOURCE_COMMIT: 'test-commit',
  PLATFORM_RELEASE_TAG_TIME: '2024-05-01T10:00:00Z',
  FORCE_COLOR: '0',
};

/**
 * One tool process (`node scripts/run.js ENTRY ARGS`) started without waiting, to be signalled part-way.
 * scripts/run.js requires the bundle in its own process, so the pid is the tool itself. With
 * `group`, the process leads a process group of its own, so a kill can take its git children too,
 * as a CI runner killing a job or a terminal's Ctrl-C does.
 */
export class ToolProcess {
  public readonly started = process.hrtime.bigint();
  public readonly done: Promise<Ended>;
  private finished = false;
  private readonly child: ChildProcess;

  constructor(entry: string, args: readonly string[], options: { readonly group?: boolean } = {}) {
    this.child = spawn(process.execPath, [path.join(PROJECT_DIR, 'scripts', 'run.js'), entry, ...args], {
      cwd: PROJECT_DIR,
      env: TOOL_ENV,
      detached: options.group ?? false,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    this.child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    this.child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    this.done = new Promise((resolve) => {
      this.child.on('close', (status, signal) => {
        this.finished = true;
        resolve({ status, signal, stdout, stderr });
      });
    });
  }

  /** Whether the process has ended (and its output is read). */
  public get exited(): boolean {
    return this.finished;
  }

  /** Milliseconds since the process was started. */
  public elapsed(): number {
    return Number((process.hrtime.bigint() - this.started) / 1_000_000n);
  }

  /** Sends `signal` to the process, or with `group` to its whole process group. */
  public kill(signal: NodeJS.Signals, group = false): void {
    if (this.finished || this.child.pid === undefined) return;
    try {
      process.kill(group ? -this.child.pid : this.child.pid, signal);
    } catch (error) {
      // It ended between the check and the kill.
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `condition` every ~2 ms until it holds (true) or `proc` has ended without it (false).
 * The condition is checked once more after the end, so a state reached just before exit counts.
 */
export async function pollUntil(condition: () => boolean, proc: ToolProcess): Promise<boolean> {
  for (;;) {
    if (condition()) return true;
    if (proc.exited) return condition();
    await sleep(2);
  }
}

/** Every file of a tree (its sha256, or `-> target` for a link) and every directory, `.git` excluded. */
export interface TreeSnapshot {
  readonly files: ReadonlyMap<string, string>;
  readonly dirs: ReadonlySet<string>;
}

export function snapshotTree(dir: string): TreeSnapshot {
  const files = new Map<string, string>();
  const dirs = new Set<string>();
  const walk = (rel: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      if (entry.name === '.git') continue;
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      const abs = path.join(dir, child);
      if (entry.isSymbolicLink()) files.set(child, `-> ${fs.readlinkSync(abs)}`);
      else if (entry.isDirectory()) {
        dirs.add(child);
        walk(child);
      } else files.set(child, createHash('sha256').update(fs.readFileSync(abs)).digest('hex'));
    }
  };
  if (fs.existsSync(dir)) walk('');
  return { files, dirs };
}

/**
 * How `actual` differs from `expected`, one line per path (at most `limit`): an empty list means
 * the same files with the same bytes and the same directories.
 */
export function treeDiff(expected: TreeSnapshot, actual: TreeSnapshot, limit = 20): string[] {
  const out: string[] = [];
  for (const [file, hash] of expected.files) {
    const now = actual.files.get(file);
    if (now === undefined) out.push(`missing file ${file}`);
    else if (now !== hash) out.push(`different bytes ${file}`);
  }
  for (const file of actual.files.keys()) if (!expected.files.has(file)) out.push(`extra file ${file}`);
  for (const dir of expected.dirs) if (!actual.dirs.has(dir)) out.push(`missing directory ${dir}`);
  for (const dir of actual.dirs) if (!expected.dirs.has(dir)) out.push(`extra directory ${dir}`);
  return out.length > limit ? [...out.slice(0, limit), `... and ${out.length - limit} more`] : out;
}

/** The tool's leftovers in a tree: temporaries and the journal. */
export function leftovers(tree: TreeSnapshot): string[] {
  return [...tree.files.keys()].filter((f) => f.endsWith('.synth-tmp') || path.posix.basename(f) === '.platform-journal.json');
}

/** A line of the suite's log: the delays and outcomes, so a failing trial can be reproduced. */
export function log(line: string): void {
  process.stdout.write(`[faults] ${line}\n`);
}
