import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { type IndexEntry, parseIndex } from '../engine/manifest-index';
import { outputLayout } from '../model/output-layout';
import { OutputRoot } from '../engine/output-root';
import { RequestError } from '../model/request-error';
import { readRootState } from '../engine/writer';
import { type ReleasesText } from '../gitops/release-io';

/**
 * A tree of files to compare the synth with: an output root on disk or a commit of the GitOps
 * repository. Paths are POSIX and relative to the root.
 */
export interface TreeSource {
  /** How reports name the tree, never by an absolute path: `dist`, `gitops` or a ref such as `origin/main`. */
  readonly label: string;
  /** Every file under the given top-level directories. */
  list(roots: readonly string[]): string[];
  /** True when the file at `path` holds exactly `content`; a listed path is assumed. */
  holds(path: string, content: string): boolean;
  /** The contents of listed files, read in one go. */
  read(paths: readonly string[]): Map<string, string>;
  /** The files the tree's index says the tool wrote, with their hashes; empty without an index. */
  indexed(): ReadonlyMap<string, IndexEntry>;
  /** One file of the tree, any path, with the name messages give it; undefined when absent. */
  file(path: string): ReleasesText | undefined;
}

/** A tree that cannot be read: the message is one line with the fix. */
export class TreeSourceError extends RequestError {
  constructor(template: string) {
    super(template);
    this.name = 'TreeSourceError';
  }
}

/**
 * How a report names a directory, never by an absolute path (a CI runner's temporary directory
 * means nothing to a reviewer): relative to `cwd` when inside it, else its base name.
 */
export function displayDir(dir: string, cwd = process.cwd()): string {
  const full = path.resolve(cwd, dir);
  const rel = path.relative(cwd, full);
  if (rel === '') return '.';
  const outside = rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
  return outside ? path.basename(full) : rel.split(path.sep).join('/');
}

/**
 * The files of an output root or a GitOps checkout on disk, read through the jail of the writer:
 * `.git` is never read and no link is followed, so a tree cannot make the diff read outside it.
 */
export function dirSource(dir: string, label = displayDir(dir)): TreeSource {
  const root = new OutputRoot(dir);
  if (!root.exists()) {
    throw new TreeSourceError(`{against} ${dir} does not exist; fix: run npm run synth first or pass {against} DIR`);
  }
  return {
    label,
    list(roots) {
      const out: string[] = [];
      const walk = (rel: string): void => {
        for (const entry of root.list(rel)) {
          if (entry.name === '.git') continue;
          const child = `${rel}/${entry.name}`;
          if (entry.isSymbolicLink()) throw root.linkRefused(child);
          if (entry.isDirectory()) walk(child);
          else if (entry.isFile()) out.push(child);
        }
      };
      for (const top of roots) {
        if (root.state(top).kind === 'other' && !root.isDir(top)) throw root.linkRefused(top);
        if (root.isDir(top)) walk(top);
      }
      return out;
    },
    holds: (rel, content) => root.read(rel) === content,
    read: (paths) => new Map(paths.map((p) => [p, root.read(p) ?? ''])),
    // As recovered from a run that was killed part-way, so its finished files are no drift.
    indexed: () => new Map(readRootState(root).entries.map((e) => [e.path, e])),
    file(rel) {
      const text = root.exists() ? root.read(rel) : undefined;
      return text === undefined ? undefined : { text, file: root.show(rel) };
    },
  };
}

/**
 * The files of one commit of a git repository, read with git itself: `ls-tree` lists them with
 * their blob ids, so unchanged files are recognised by hashing the new content, and only the
 * files that differ are read, all through one `cat-file --batch`.
 */
export function gitRefSource(repoDir: string, ref: string): TreeSource {
  const git = (args: readonly string[], input?: Buffer): Buffer =>
    execFileSync('git', ['-C', repoDir, ...args], { input, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] });
  if (!new OutputRoot(repoDir).exists()) {
    throw new TreeSourceError(`{gitops} ${repoDir} does not exist; fix: clone the GitOps repository there or pass {gitops} DIR`);
  }
  try {
    git(['rev-parse', '--git-dir']);
  } catch {
    throw new TreeSourceError(`{gitops} ${repoDir} is not a git repository; fix: pass the path of a GitOps checkout`);
  }
  let commit: string;
  try {
    commit = git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).toString('utf8').trim();
  } catch {
    throw new TreeSourceError(
      `{againstRef} ${ref} is not a commit in ${repoDir}; fix: run git -C ${repoDir} fetch, or pass an existing branch, tag or commit`,
    );
  }
  // Repositories may use SHA-256 object names.
  const algorithm = git(['rev-parse', '--show-object-format']).toString('utf8').trim() === 'sha256' ? 'sha256' : 'sha1';
  const blobs = new Map<string, string>();
  const file = (rel: string): ReleasesText | undefined => {
    const listing = git(['ls-tree', '-z', commit, '--', rel]).toString('utf8');
    if (!listing.includes('\t')) return undefined;
    return { text: git(['cat-file', 'blob', `${commit}:./${rel}`]).toString('utf8'), file: `${rel} at ${ref}` };
  };
  return {
    // The ref alone: the checkout's path is the runner's, not the reviewer's.
    label: ref,
    list(roots) {
      if (roots.length === 0) return [];
      // Relative to repoDir, so the output root may be a subdirectory of the repository.
      const listing = git(['ls-tree', '-r', '-z', commit, '--', ...roots]).toString('utf8');
      for (const record of listing.split('\0')) {
        // `<mode> <type> <object>\t<path>`
        const tab = record.indexOf('\t');
        if (tab < 0) continue;
        const [, type, object] = record.slice(0, tab).split(' ');
        if (type === 'blob') blobs.set(record.slice(tab + 1), object);
      }
      return [...blobs.keys()];
    },
    holds(rel, content) {
      const bytes = Buffer.from(content, 'utf8');
      const id = createHash(algorithm).update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
      return blobs.get(rel) === id;
    },
    read(paths) {
      const out = new Map<string, string>();
      if (paths.length === 0) return out;
      const ids = paths.map((p) => {
        const id = blobs.get(p);
        if (id === undefined) throw new Error(`internal: ${p} is not in the listing of ${ref}`);
        return id;
      });
      const batch = git(['cat-file', '--batch'], Buffer.from(`${ids.join('\n')}\n`, 'utf8'));
      // Each answer is `<object> blob <size>\n<bytes>\n`, in the order asked.
      let at = 0;
      for (const p of paths) {
        const eol = batch.indexOf(0x0a, at);
        const size = Number(batch.subarray(at, eol).toString('utf8').split(' ')[2]);
        out.set(p, batch.subarray(eol + 1, eol + 1 + size).toString('utf8'));
        at = eol + 1 + size + 1;
      }
      return out;
    },
    indexed() {
      const index = file(outputLayout.index());
      return index === undefined ? new Map() : new Map(parseIndex(index.text, index.file).files.map((e) => [e.path, e]));
    },
    file,
  };
}
