import * as fs from 'node:fs';
import * as path from 'node:path';
import { sha256 } from './hash';
import { IndexEntry, ManifestIndex, parseIndex, ReleaseRecord } from './manifest-index';
import { layout, OutputFile } from './output';
import { compareCodePoints, stableJson } from './stable-json';

/** What a write did to one scope. */
export interface ScopeSummary {
  readonly scope: string;
  readonly added: number;
  readonly changed: number;
  readonly removed: number;
  readonly unchanged: number;
}

export interface WriteOptions {
  /** The output root: `dist/` or a GitOps checkout. */
  readonly outDir: string;
  /** The whole output of the selected scopes. */
  readonly files: readonly OutputFile[];
  /** The scopes this run owns; index entries of other scopes are kept as they are. */
  readonly scopes: readonly string[];
  /** Recorded in the index. */
  readonly sourceCommit: string;
  /** Compute the summary without touching the disk. */
  readonly dryRun?: boolean;
  /**
   * Provenance recorded in the index.
   * @default - the previous index's
   */
  readonly releases?: readonly ReleaseRecord[];
  /**
   * Paths the tool may overwrite although the index does not list them: inputs it read from the
   * root, such as `releases.json`.
   * @default - none
   */
  readonly adopt?: readonly string[];
}

export interface WriteResult {
  readonly summaries: readonly ScopeSummary[];
  /** Paths written or removed, index included. */
  readonly touched: readonly string[];
}

type Change = 'added' | 'changed' | 'unchanged';

/**
 * Writes the output root so that it holds exactly `files` for the selected scopes.
 *
 * Only files whose bytes differ are written; files the previous index listed for a selected scope
 * and that are gone from `files` are removed. Nothing else is touched: a README, `.git` or another
 * team's directory stays as it is. Every file is first written to a temporary file beside its
 * target and only then renamed, and a failure before the renames undoes what it made, so a failed
 * run leaves the root as it was.
 */
export function writeOutput(options: WriteOptions): WriteResult {
  const root = path.resolve(options.outDir);
  const indexPath = layout.index();
  checkPaths(options.files, indexPath);
  const scopes = new Set(options.scopes);
  for (const file of options.files) {
    if (!scopes.has(file.scope)) throw new Error(`internal: ${file.path} has scope "${file.scope}", which this run does not own`);
  }

  const previous = readIndex(root, indexPath);
  const owned = new Map((previous?.files ?? []).map((e) => [e.path, e]));

  const changes = options.files.map((file): Change => {
      const existing = readIfExists(path.join(root, file.path));
      if (existing === undefined) return 'added';
      if (existing === file.content) return 'unchanged';
      if (!owned.has(file.path) && !(options.adopt ?? []).includes(file.path)) {
        throw new Error(
          `refusing to overwrite ${path.join(options.outDir, file.path)}: the tool did not write it (it is not in ${indexPath}); fix: move or delete that file, then synth again`,
        );
      }
      return 'changed';
    });

  const wanted = new Set(options.files.map((f) => f.path));
  const removals: IndexEntry[] = [];
  for (const entry of owned.values()) {
    if (scopes.has(entry.scope) && !wanted.has(entry.path)) removals.push(entry);
  }

  const kept = [...owned.values()].filter((e) => !scopes.has(e.scope));
  const entries = [...kept, ...options.files.map((f) => ({ path: f.path, scope: f.scope, sha256: sha256(f.content) }))];
  entries.sort((a, b) => compareCodePoints(a.path, b.path));
  const releases = options.releases ?? previous?.releases;
  const index: ManifestIndex = { generator: 'platform-synth', sourceCommit: options.sourceCommit, files: entries, releases: releases && [...releases] };
  const indexText = stableJson(index);
  const indexChanged = readIfExists(path.join(root, indexPath)) !== indexText;

  const summaries = summarize(options, changes, removals);
  const writes = options.files
    .map((file, i) => ({ file, isNew: changes[i] === 'added' }))
    .filter((_, i) => changes[i] !== 'unchanged');
  const touched = [...writes.map((w) => w.file.path), ...removals.map((r) => r.path), ...(indexChanged ? [indexPath] : [])].sort(compareCodePoints);
  if (options.dryRun) return { summaries, touched };

  const indexFile = { file: { path: indexPath, content: indexText, scope: '' }, isNew: previous === undefined };
  const toWrite = indexChanged ? [...writes, indexFile] : writes;
  commit(root, toWrite, removals.map((r) => r.path));
  return { summaries, touched };
}

function checkPaths(files: readonly OutputFile[], indexPath: string): void {
  const seen = new Set<string>();
  for (const file of files) {
    const normal = path.posix.normalize(file.path);
    if (normal !== file.path || path.posix.isAbsolute(normal) || normal.startsWith('../') || normal === indexPath) {
      throw new Error(`internal: output path "${file.path}" is not a plain relative path`);
    }
    if (seen.has(normal)) throw new Error(`two objects would be written to ${normal}; fix: give one of them another name`);
    seen.add(normal);
  }
}

function readIndex(root: string, indexPath: string): ManifestIndex | undefined {
  const text = readIfExists(path.join(root, indexPath));
  return text === undefined ? undefined : parseIndex(text, indexPath);
}

// Synchronous I/O: measured faster here than the promise API for thousands of small files.
function readIfExists(file: string): string | undefined {
  // Most files of a fresh synth do not exist yet; an exception for each costs more than the check.
  if (!fs.existsSync(file)) return undefined;
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function summarize(options: WriteOptions, changes: readonly Change[], removals: readonly IndexEntry[]): ScopeSummary[] {
  const counts = new Map<string, { added: number; changed: number; removed: number; unchanged: number }>();
  for (const scope of options.scopes) counts.set(scope, { added: 0, changed: 0, removed: 0, unchanged: 0 });
  options.files.forEach((file, i) => {
    const c = counts.get(file.scope);
    if (c) c[changes[i]] += 1;
  });
  for (const r of removals) {
    const c = counts.get(r.scope);
    if (c) c.removed += 1;
  }
  return [...counts.entries()].map(([scope, c]) => ({ scope, ...c }));
}

/**
 * Writes new files in place and stages changed ones as temporary files beside their targets, then
 * renames the staged files and removes the pruned ones. If any write fails, every new file, every
 * temporary and every directory the run created is removed again, so the old tree stands.
 */
function commit(root: string, writes: readonly { file: OutputFile; isNew: boolean }[], removals: readonly string[]): void {
  const createdDirs: string[] = [];
  const created: string[] = [];
  const staged: { temp: string; target: string }[] = [];
  try {
    const dirs = [...new Set(writes.map((w) => path.dirname(path.join(root, w.file.path))))].sort();
    for (const dir of dirs) {
      const first = fs.mkdirSync(dir, { recursive: true });
      if (first !== undefined) createdDirs.push(first);
    }
    for (const { file, isNew } of writes) {
      const target = path.join(root, file.path);
      if (isNew) {
        // Nothing to preserve: write in place (a rename per file doubles the cost of a fresh synth).
        fs.writeFileSync(target, file.content, { flag: 'wx' });
        created.push(target);
      } else {
        // Temporaries are ours by name, so a failed write may always remove its own.
        const temp = path.join(path.dirname(target), `.${path.basename(target)}.synth-tmp`);
        staged.push({ temp, target });
        fs.writeFileSync(temp, file.content);
      }
    }
  } catch (error) {
    for (const file of [...created, ...staged.map((s) => s.temp)]) fs.rmSync(file, { force: true });
    for (const dir of createdDirs.reverse()) fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  for (const s of staged) fs.renameSync(s.temp, s.target);
  for (const r of removals) fs.rmSync(path.join(root, r), { force: true });
  removeEmptyDirs(root, removals);
}

/** Removes directories that pruning left empty, up to (not including) the root. */
function removeEmptyDirs(root: string, removed: readonly string[]): void {
  const dirs = new Set<string>();
  for (const r of removed) {
    for (let d = path.posix.dirname(r); d !== '.'; d = path.posix.dirname(d)) dirs.add(d);
  }
  const deepestFirst = [...dirs].sort((a, b) => b.split('/').length - a.split('/').length);
  for (const dir of deepestFirst) {
    try {
      fs.rmdirSync(path.join(root, dir));
    } catch {
      // Not empty: something else still lives there.
    }
  }
}
