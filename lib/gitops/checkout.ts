import * as fs from 'node:fs';
import * as path from 'node:path';
import { sha256 } from '../engine/hash';
import { JOURNAL_FILE, readJournal, removeEmptyDirs } from '../engine/journal';
import { outputLayout } from '../model/output-layout';
import { OutputRoot, TEMP_SUFFIX, tempPath } from '../engine/output-root';
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
  /**
   * Called between the steps of the commit; throws to stop it (an interruption), and the checkout
   * is rolled back as for any failure.
   * @default - never stops
   */
  readonly checkpoint?: () => Promise<void>;
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

/** What a push did. */
export type PushOutcome = 'pushed' | 'up-to-date';

/**
 * A GitOps checkout: the output root, the top of a git work tree. Changes go
 * in through {@link commit}, which leaves the checkout exactly as it was when anything fails.
 */
export class GitOpsCheckout {
  /** Opens the checkout at `dir`; throws when it is no git work tree, or not its top. */
  public static open(dir: string): GitOpsCheckout {
    const root = path.resolve(dir);
    if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
      throw new GitOpsError(`{gitops} ${dir} is not a directory; fix: clone the GitOps repository there, or pass its checkout`);
    }
    const inside = runGit(root, ['rev-parse', '--is-inside-work-tree']);
    if (inside.status !== 0 || inside.stdout.trim() !== 'true') {
      throw new GitOpsError(`{gitops} ${dir} is not a git checkout; fix: clone the GitOps repository there, or pass its checkout`);
    }
    const fail = (reason: string) => new GitOpsError(`cannot read the git repository at ${dir} (${reason}); fix: check the checkout with git -C ${dir} status`);
    const gitDir = gitOrThrow(root, ['rev-parse', '--absolute-git-dir'], fail);
    const top = gitOrThrow(root, ['rev-parse', '--show-toplevel'], fail);
    // The releases file's history (the bake time) and the clean check are the repository's: the
    // output root is the top of the work tree. git prints the top with links resolved.
    if (fs.realpathSync(root) !== fs.realpathSync(top)) {
      throw new GitOpsError(`{gitops} ${dir} is inside the git work tree ${top}; fix: pass {gitops} ${top}`);
    }
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

  /** Runs `fn` holding the checkout's lock, released however `fn` ends. */
  public locked<T>(fn: () => Promise<T>): Promise<T> {
    return withCheckoutLock(this.gitDir, this.label, fn);
  }

  /** Refuses when git's own lock is held: another git command runs, or one was killed part-way. */
  public assertGitUnlocked(): void {
    const lock = path.join(this.gitDir, 'index.lock');
    if (fs.existsSync(lock)) throw gitLockError(this.label, lock);
  }

  /**
   * Undoes what a release or promotion killed part-way (SIGKILL) left: its journal, temporaries and
   * half-written output. Only when every uncommitted change in the work tree is one the journal
   * names, with bytes the killed run wrote, is the work tree reset to HEAD and are those files
   * removed; otherwise nothing is touched and {@link assertClean} names the first stray change.
   * Returns whether it recovered.
   */
  public recoverInterrupted(): boolean {
    const root = new OutputRoot(this.root);
    this.assertNoBookkeeping();
    const changes = this.changes().map((c) => ({ ...c, rel: this.relative(c.path) }));
    const journal = readJournal(root);
    if (journal === undefined) {
      // Killed while writing its journal: nothing else was touched yet.
      const temp = tempPath(JOURNAL_FILE);
      if (changes.length !== 1 || changes[0].rel !== temp || !changes[0].untracked || root.state(temp).kind !== 'file') return false;
      root.remove(temp);
      return true;
    }
    // The bytes each path may hold if the killed run, not a person, changed it.
    const expected = new Map<string, string | 'temporary'>([[outputLayout.index(), journal.indexSha256]]);
    for (const w of journal.writes) {
      expected.set(w.path, w.sha256);
      expected.set(tempPath(w.path), 'temporary');
    }
    // A file the run was pruning: gone, or still its recorded bytes.
    for (const r of journal.removals) expected.set(r.path, r.sha256);
    for (const bookkeeping of [JOURNAL_FILE, tempPath(JOURNAL_FILE), tempPath(outputLayout.index())]) expected.set(bookkeeping, 'temporary');
    const untracked: string[] = [];
    for (const change of changes) {
      const want = change.rel === undefined ? undefined : expected.get(change.rel);
      if (change.rel === undefined || want === undefined) return false;
      const state = root.state(change.rel);
      if (state.kind === 'other') return false;
      if (state.kind === 'absent') continue;
      if (want !== 'temporary' && sha256(root.readFile(change.rel)) !== want) return false;
      if (change.untracked) untracked.push(change.rel);
    }
    this.must(['reset', '-q', '--hard', 'HEAD'], 'git reset failed');
    for (const rel of untracked) root.remove(rel);
    root.remove(JOURNAL_FILE);
    removeEmptyDirs(root, untracked);
    return true;
  }

  /** `path` (relative to the top of the work tree) relative to the output root, or undefined outside it. */
  private relative(topPath: string): string | undefined {
    const prefix = path.relative(this.top, this.root).split(path.sep).join('/');
    if (prefix === '') return topPath;
    return topPath.startsWith(`${prefix}/`) ? topPath.slice(prefix.length + 1) : undefined;
  }

  /**
   * Refuses a checkout whose commit holds the tool's own bookkeeping (a journal or a temporary): a
   * run would remove it and leave the checkout changed. Only a hostile or mistaken commit puts it
   * there.
   */
  private assertNoBookkeeping(): void {
    const listed = runGit(this.root, ['ls-files', '-z']);
    if (listed.status !== 0) throw new GitOpsError(`cannot list the files of ${this.label} (${gitReason(listed)}); fix: check it with git -C ${this.label} status`);
    const found = listed.stdout.split('\0').find((p) => {
      const name = p.slice(p.lastIndexOf('/') + 1);
      return name === JOURNAL_FILE || name.endsWith(TEMP_SUFFIX);
    });
    if (found !== undefined) {
      throw new GitOpsError(
        `GitOps checkout ${this.label} has the tool's own bookkeeping file ${found} committed; nothing was changed; fix: git -C ${this.label} rm ${found}, commit, then run again`,
      );
    }
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
    const changes = this.changes();
    if (changes.length > 0) {
      const more = changes.length > 1 ? ` and ${changes.length - 1} more` : '';
      throw new GitOpsError(
        `GitOps checkout ${this.label} has uncommitted changes (${changes[0].status} ${changes[0].path}${more}); fix: commit or discard them (git -C ${this.label} status), then run again`,
      );
    }
  }

  /** Every uncommitted change of the work tree, as paths relative to its top. */
  private changes(): { readonly status: string; readonly path: string; readonly untracked: boolean }[] {
    const status = runGit(this.top, ['status', '--porcelain=v1', '-z', '--untracked-files=all']);
    if (status.status !== 0) throw new GitOpsError(`cannot read the status of ${this.label} (${gitReason(status)}); fix: check it with git -C ${this.label} status`);
    const out: { status: string; path: string; untracked: boolean }[] = [];
    const records = status.stdout.split('\0');
    for (let i = 0; i < records.length; i++) {
      const record = records[i];
      if (record.length < 4) continue;
      out.push({ status: record.slice(0, 2).trim(), path: record.slice(3), untracked: record.startsWith('??') });
      // A rename or copy is followed by its source path.
      if (record[0] === 'R' || record[0] === 'C') i += 1;
    }
    return out;
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
      throw new GitOpsError(`GitOps checkout ${this.label} is on no branch (detached HEAD), so {push} has nowhere to go; fix: git -C ${this.label} switch BRANCH`);
    }
    const name = branch.stdout.trim();
    const remote = runGit(this.root, ['config', '--get', `branch.${name}.remote`]).stdout.trim();
    const merge = runGit(this.root, ['config', '--get', `branch.${name}.merge`]).stdout.trim();
    if (remote !== '' && remote !== '.' && merge !== '') return { remote, ref: merge };
    if (runGit(this.root, ['remote', 'get-url', 'origin']).status === 0) return { remote: 'origin', ref: `refs/heads/${name}` };
    throw new GitOpsError(
      `branch ${name} of ${this.label} has no upstream and there is no remote origin; fix: git -C ${this.label} branch --set-upstream-to REMOTE/${name}, or drop {push}`,
    );
  }

  /**
   * Applies, commits and optionally pushes one change. The caller holds the lock and has checked
   * that the tree is clean. On any failure the checkout returns to `head`: the commit is undone,
   * index and work tree are reset, and files and directories the change created are removed.
   * Nothing else is deleted.
   */
  public async commit(head: string, change: CheckoutChange): Promise<CommitOutcome> {
    // No paths: nothing to add (an empty pathspec list would add the whole tree).
    if (change.paths.length === 0) return { pushed: false };
    const checkpoint = change.checkpoint ?? (() => Promise.resolve());
    const created = this.createdBy(change.paths);
    try {
      change.apply();
      await checkpoint();
      const list = change.paths.map((p) => `${p}\0`).join('');
      this.must(['add', '-A', '--pathspec-from-file=-', '--pathspec-file-nul'], 'git add failed', list);
      if (runGit(this.root, ['diff', '--cached', '--quiet']).status === 0) {
        this.rollback(head, created);
        return { pushed: false };
      }
      await checkpoint();
      this.must(['commit', '-q', '--cleanup=verbatim', '-F', '-'], 'git commit failed', change.message);
      const commit = this.must(['rev-parse', 'HEAD'], 'git rev-parse failed');
      // Committed: the writer's journal, kept until now, may go.
      this.removeJournal();
      await checkpoint();
      if (change.push !== undefined) this.push(change.push, head);
      return { commit, pushed: change.push !== undefined };
    } catch (error) {
      this.rollback(head, created);
      throw error;
    }
  }

  /**
   * Pushes HEAD to `target`: also when a run before this one committed and did not push, so the
   * remote never lags behind a release the checkout holds. `rollbackTo` is named in the error.
   */
  public push(target: PushTarget, rollbackTo?: string): PushOutcome {
    const { remote, ref } = target;
    const push = runGit(this.root, ['push', '--porcelain', remote, `HEAD:${ref}`]);
    if (push.status !== 0) {
      const back = rollbackTo === undefined ? 'nothing was changed' : `the checkout is back at ${rollbackTo.slice(0, 12)}`;
      throw new GitOpsError(`push to ${remote} ${ref} was rejected (${gitReason(push)}); ${back}; fix: git -C ${this.label} pull --ff-only, then run again`);
    }
    // Porcelain: one line per ref, flagged `=` when the remote already had it.
    return /^=\t/m.test(push.stdout) ? 'up-to-date' : 'pushed';
  }

  private must(args: readonly string[], what: string, input?: string): string {
    return gitOrThrow(
      this.root,
      args,
      (reason) =>
        /index\.lock/.test(reason)
          ? gitLockError(this.label, path.join(this.gitDir, 'index.lock'))
          : new GitOpsError(`${what} in ${this.label} (${reason}); the checkout is unchanged; fix: correct the cause and run again`),
      input,
    );
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

  /** The journal a release's write leaves until its commit is made or undone. */
  private removeJournal(): void {
    new OutputRoot(this.root).remove(JOURNAL_FILE);
  }

  private rollback(head: string, created: { files: string[]; dirs: string[] }): void {
    runGit(this.top, ['reset', '-q', '--hard', head]);
    this.removeJournal();
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

function gitLockError(label: string, lock: string): GitOpsError {
  return new GitOpsError(
    `git's own lock ${lock} exists: a git command is running in ${label}, or one was killed part-way; nothing was changed; fix: make sure no git command runs there, then delete ${lock} and run again`,
  );
}
