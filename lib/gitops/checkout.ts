import * as fs from 'node:fs';
import * as path from 'node:path';
import { gitOrThrow, gitReason, runGit } from './git';
import { GitOpsError } from './gitops-error';
import { withCheckoutLock } from './lock';

/** Where `--push` sends the commit. */
export interface PushTarget {
  readonly remote: string;
  /** The full ref on the remote, such as `refs/heads/main`. */
  readonly ref: string;
}

/** One change to commit: the paths it touches, relative to the output root, and how to make it. */
export interface CheckoutChange {
  /** Every path `apply` writes or removes. */
  readonly paths: readonly string[];
  /** Writes the change into the output root. */
  readonly apply: () => void;
  readonly message: string;
  /** Push the commit here; no push when unset. */
  readonly push?: PushTarget;
}

/** What a committed change left behind. */
export interface CommitOutcome {
  /** The new commit, or undefined when the change left the tree as it was. */
  readonly commit?: string;
  readonly pushed: boolean;
}

/**
 * A GitOps checkout: the output root, which may be a subdirectory of a git work tree. Changes go
 * in through {@link commit}, which leaves the checkout exactly as it was when anything fails.
 */
export class GitOpsCheckout {
  /** Opens the checkout at `dir`; throws when it is no git work tree. */
  public static open(dir: string): GitOpsCheckout {
    const root = path.resolve(dir);
    if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
      throw new GitOpsError(`--gitops ${dir} is not a directory; fix: clone the GitOps repository there, or pass its checkout`);
    }
    const inside = runGit(root, ['rev-parse', '--is-inside-work-tree']);
    if (inside.status !== 0 || inside.stdout.trim() !== 'true') {
      throw new GitOpsError(`--gitops ${dir} is not a git checkout; fix: clone the GitOps repository there, or pass its checkout`);
    }
    const fail = (reason: string) => new GitOpsError(`cannot read the git repository at ${dir} (${reason}); fix: check the checkout with git -C ${dir} status`);
    const gitDir = gitOrThrow(root, ['rev-parse', '--absolute-git-dir'], fail);
    const top = gitOrThrow(root, ['rev-parse', '--show-toplevel'], fail);
    return new GitOpsCheckout(dir, root, top, gitDir);
  }

  private constructor(
    /** As the user named it, for messages. */
    public readonly label: string,
    /** The output root, absolute. */
    public readonly root: string,
    /** The top of the work tree. */
    public readonly top: string,
    public readonly gitDir: string,
  ) {}

  /** Runs `fn` holding the checkout's lock. */
  public locked<T>(fn: () => T): T {
    return withCheckoutLock(this.gitDir, this.label, fn);
  }

  /** The commit checked out; throws when there is none yet. */
  public head(): string {
    const result = runGit(this.root, ['rev-parse', '--verify', '-q', 'HEAD^{commit}']);
    if (result.status !== 0) {
      throw new GitOpsError(`GitOps checkout ${this.label} has no commit yet; fix: commit a first file, such as a README, then run again`);
    }
    return result.stdout.trim();
  }

  /** Refuses a work tree with uncommitted changes or untracked files anywhere in it. */
  public assertClean(): void {
    const status = runGit(this.top, ['status', '--porcelain=v1', '--untracked-files=all']);
    if (status.status !== 0) throw new GitOpsError(`cannot read the status of ${this.label} (${gitReason(status)}); fix: check it with git -C ${this.label} status`);
    const lines = status.stdout.split('\n').filter((l) => l !== '');
    if (lines.length > 0) {
      const more = lines.length > 1 ? ` and ${lines.length - 1} more` : '';
      throw new GitOpsError(
        `GitOps checkout ${this.label} has uncommitted changes (${lines[0].trim()}${more}); fix: commit or discard them (git -C ${this.label} status), then run again`,
      );
    }
  }

  /** Refuses when git has no committer identity, before anything is written. */
  public assertIdentity(): void {
    const ident = runGit(this.root, ['var', 'GIT_COMMITTER_IDENT']);
    if (ident.status !== 0) {
      throw new GitOpsError(
        `git has no committer identity in ${this.label}; fix: git -C ${this.label} config user.name NAME and git -C ${this.label} config user.email EMAIL`,
      );
    }
  }

  /** The branch's upstream, else `origin/<branch>`; throws when there is neither. */
  public pushTarget(): PushTarget {
    const branch = runGit(this.root, ['symbolic-ref', '-q', '--short', 'HEAD']);
    if (branch.status !== 0) {
      throw new GitOpsError(`GitOps checkout ${this.label} is on no branch (detached HEAD), so --push has nowhere to go; fix: git -C ${this.label} switch BRANCH`);
    }
    const name = branch.stdout.trim();
    const remote = runGit(this.root, ['config', '--get', `branch.${name}.remote`]).stdout.trim();
    const merge = runGit(this.root, ['config', '--get', `branch.${name}.merge`]).stdout.trim();
    if (remote !== '' && remote !== '.' && merge !== '') return { remote, ref: merge };
    if (runGit(this.root, ['remote', 'get-url', 'origin']).status === 0) return { remote: 'origin', ref: `refs/heads/${name}` };
    throw new GitOpsError(
      `branch ${name} of ${this.label} has no upstream and there is no remote origin; fix: git -C ${this.label} branch --set-upstream-to REMOTE/${name}, or drop --push`,
    );
  }

  /**
   * Applies, commits and optionally pushes one change. The caller holds the lock and has checked
   * that the tree is clean. On any failure the checkout returns to `head`: the commit is undone,
   * index and work tree are reset, and files and directories the change created are removed.
   * Nothing else is deleted.
   */
  public commit(head: string, change: CheckoutChange): CommitOutcome {
    // No paths: nothing to add (an empty pathspec list would add the whole tree).
    if (change.paths.length === 0) return { pushed: false };
    const created = this.createdBy(change.paths);
    try {
      change.apply();
      const list = change.paths.map((p) => `${p}\0`).join('');
      this.must(['add', '-A', '--pathspec-from-file=-', '--pathspec-file-nul'], 'git add failed', list);
      if (runGit(this.root, ['diff', '--cached', '--quiet']).status === 0) {
        this.rollback(head, created);
        return { pushed: false };
      }
      this.must(['commit', '-q', '--cleanup=verbatim', '-F', '-'], 'git commit failed', change.message);
      const commit = this.must(['rev-parse', 'HEAD'], 'git rev-parse failed');
      if (change.push !== undefined) {
        const { remote, ref } = change.push;
        const push = runGit(this.root, ['push', '--porcelain', remote, `HEAD:${ref}`]);
        if (push.status !== 0) {
          throw new GitOpsError(
            `push to ${remote} ${ref} was rejected (${gitReason(push)}); the checkout is back at ${head.slice(0, 12)}; fix: git -C ${this.label} pull --ff-only, then run again`,
          );
        }
      }
      return { commit, pushed: change.push !== undefined };
    } catch (error) {
      this.rollback(head, created);
      throw error;
    }
  }

  private must(args: readonly string[], what: string, input?: string): string {
    return gitOrThrow(this.root, args, (reason) => new GitOpsError(`${what} in ${this.label} (${reason}); the checkout is unchanged; fix: correct the cause and run again`), input);
  }

  /** The files among `paths`, and the directories above them, that do not exist yet. */
  private createdBy(paths: readonly string[]): { files: string[]; dirs: string[] } {
    const files: string[] = [];
    const dirs = new Set<string>();
    for (const rel of paths) {
      const abs = path.join(this.root, rel);
      if (fs.existsSync(abs)) continue;
      files.push(abs);
      for (let dir = path.dirname(abs); dir.startsWith(this.root + path.sep) && !fs.existsSync(dir); dir = path.dirname(dir)) dirs.add(dir);
    }
    return { files, dirs: [...dirs].sort((a, b) => b.length - a.length) };
  }

  private rollback(head: string, created: { files: string[]; dirs: string[] }): void {
    runGit(this.top, ['reset', '-q', '--hard', head]);
    for (const file of created.files) fs.rmSync(file, { force: true });
    for (const dir of created.dirs) {
      try {
        fs.rmdirSync(dir);
      } catch {
        // Not empty: something that was there before lives in it.
      }
    }
  }
}
