import * as path from 'node:path';
import { sha256 } from './hash';
import { checkOwnedPath, JOURNAL_FILE, journalText, readJournal, recoverEntries, removeEmptyDirs, removeJournal } from './journal';
import { type IndexEntry, type ManifestIndex, parseIndex, type ReleaseRecord } from './manifest-index';
import { type OutputFile } from './output';
import { outputLayout } from '../model/output-layout';
import { OutputError } from './output-error';
import { OutputRoot, tempPath } from './output-root';
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
   * Paths the tool may overwrite although the index does not list them, or their bytes changed:
   * inputs it read from the root, such as `releases.json`.
   * @default - none
   */
  readonly adopt?: readonly string[];
  /**
   * The root to write through. Tests pass one that injects disk faults.
   * @default - new OutputRoot(outDir)
   */
  readonly root?: OutputRoot;
  /**
   * Leave the journal in place when the write is done, for a caller whose own work goes on (a
   * release commits the output next). The caller removes it when that work is done or undone, so
   * a run killed in between is still recognised as one (see GitOpsCheckout.recoverInterrupted).
   * @default false
   */
  readonly keepJournal?: boolean;
}

export interface WriteResult {
  readonly summaries: readonly ScopeSummary[];
  /** Paths written or removed, index included. */
  readonly touched: readonly string[];
  /** What happens to each path of `touched`, in its order (what a dry run would do). */
  readonly changes: readonly FileChange[];
  /**
   * Files the tool would have removed, but whose bytes are no longer the ones it wrote (edited by
   * hand): kept, and still listed in the index so every run names them until a person decides.
   */
  readonly drift: readonly string[];
}

type Change = 'added' | 'changed' | 'unchanged';

/** One path a write adds, changes or removes. */
export interface FileChange {
  readonly path: string;
  readonly change: 'add' | 'change' | 'remove';
}

const INDEX_FIX = `restore it from git (git checkout -- ${outputLayout.index()}), then run again`;

/**
 * Writes the output root so that it holds exactly `files` for the selected scopes.
 *
 * The root is a jail (see OutputRoot): every path, from the synth, the index or a journal, is
 * checked before use and no link is followed. Only files whose bytes differ are written, always
 * through a temporary file renamed over the target. A file is overwritten or pruned only when
 * its bytes are the ones the index recorded; a pruned file that differs is kept and reported as
 * drift. The protocol (docs/safety.md): write a journal of the planned writes and removals, stage
 * every temporary, rename, prune, write the index, remove the journal. A run that is killed at any
 * point leaves a journal, from which the next run recovers first, so it converges on its output.
 */
export function writeOutput(options: WriteOptions): WriteResult {
  const root = options.root ?? new OutputRoot(options.outDir);
  const indexPath = outputLayout.index();
  checkPaths(options.files, indexPath);
  const scopes = new Set(options.scopes);
  for (const file of options.files) {
    if (!scopes.has(file.scope)) throw new Error(`internal: ${file.path} has scope "${file.scope}", which this run does not own`);
  }

  const state = readRootState(root);
  const owned = new Map(state.entries.map((e) => [e.path, e]));
  const adopt = new Set(options.adopt ?? []);

  const changes = options.files.map((file): Change => {
    const existing = root.read(file.path);
    if (existing === undefined) return 'added';
    if (existing === file.content) return 'unchanged';
    if (adopt.has(file.path)) return 'changed';
    const entry = owned.get(file.path);
    if (entry === undefined) {
      throw new OutputError({
        path: root.show(file.path),
        problem: `the tool did not write it (it is not in ${indexPath}), so it will not overwrite it`,
        state: 'nothing was changed',
        fix: 'move or delete that file, then run again',
      });
    }
    if (sha256(existing) !== entry.sha256) {
      throw new OutputError({
        path: root.show(file.path),
        problem: 'was edited by hand since the tool wrote it (its sha256 differs from the index), so it will not overwrite it',
        state: 'nothing was changed',
        fix: 'restore it (git checkout -- FILE) or delete it, then run again',
      });
    }
    return 'changed';
  });

  const wanted = new Set(options.files.map((f) => f.path));
  const removals: IndexEntry[] = [];
  const drift: IndexEntry[] = [];
  for (const entry of owned.values()) {
    if (!scopes.has(entry.scope) || wanted.has(entry.path)) continue;
    const now = root.state(entry.path);
    if (now.kind === 'absent') continue;
    if (now.kind === 'file' && sha256(root.readFile(entry.path)) === entry.sha256) removals.push(entry);
    else drift.push(entry);
  }

  const kept = [...owned.values()].filter((e) => !scopes.has(e.scope));
  const entries = [...kept, ...drift, ...options.files.map((f) => ({ path: f.path, scope: f.scope, sha256: sha256(f.content) }))];
  entries.sort((a, b) => compareCodePoints(a.path, b.path));
  const releases = options.releases ?? state.previous?.releases;
  const index: ManifestIndex = { generator: 'platform-synth', sourceCommit: options.sourceCommit, files: entries, releases: releases && [...releases] };
  const indexText = stableJson(index);
  const indexChanged = state.indexText !== indexText;

  const summaries = summarize(options, changes, removals);
  const writes = options.files.filter((_, i) => changes[i] !== 'unchanged');
  const touched = [...writes.map((w) => w.path), ...removals.map((r) => r.path), ...(indexChanged ? [indexPath] : [])].sort(compareCodePoints);
  const kinds = new Map<string, FileChange['change']>();
  options.files.forEach((f, i) => {
    if (changes[i] !== 'unchanged') kinds.set(f.path, changes[i] === 'added' ? 'add' : 'change');
  });
  for (const r of removals) kinds.set(r.path, 'remove');
  kinds.set(indexPath, state.indexText === undefined ? 'add' : 'change');
  const fileChanges = touched.map((p): FileChange => ({ path: p, change: kinds.get(p) ?? 'change' }));
  const result = { summaries, touched, changes: fileChanges, drift: drift.map((d) => d.path).sort(compareCodePoints) };
  if (options.dryRun) return result;

  const recovered = state.journal !== undefined ? () => removeJournal(root, state.journal!) : undefined;
  if (writes.length === 0 && removals.length === 0 && !indexChanged) {
    recovered?.();
    return result;
  }
  if (recovered !== undefined) {
    // The recovered index first, then the old journal goes: the new run's journal replaces it.
    root.remove(tempPath(indexPath));
    root.replace(indexPath, state.recoveredIndexText!);
    recovered();
  }
  const failed = commit(root, writes, removals, options.keepJournal ?? false, {
    path: indexPath,
    // A removal that failed keeps its entry, so the next run tries again.
    text: (stay) => (stay.length === 0 ? indexText : stableJson({ ...index, files: [...entries, ...stay].sort((a, b) => compareCodePoints(a.path, b.path)) })),
  });
  if (failed.length > 0) {
    const [first] = failed;
    throw first.error.withState(
      `${failed.length} file(s) could not be pruned; the rest of the output is written, and the index still lists them so the next run removes them`,
    );
  }
  return result;
}

/**
 * Removes a journal written part-way, by a run killed before it touched any target: a regular file
 * at the journal's temporary name, which is the tool's. Anything else there is refused.
 */
function removeJournalTemp(root: OutputRoot): void {
  const temp = tempPath(JOURNAL_FILE);
  const state = root.state(temp);
  if (state.kind === 'other') throw root.notAFile(temp, state.what);
  if (state.kind === 'file') root.remove(temp);
}

/** The index and journal of a root, with the index as recovered from an interrupted run. */
interface RootState {
  readonly previous?: ManifestIndex;
  /** The index's bytes on disk, to tell whether it changes. */
  readonly indexText?: string;
  /** The index's entries, after recovery. */
  readonly entries: readonly IndexEntry[];
  readonly journal?: ReturnType<typeof readJournal>;
  /** The recovered index, when a journal was found. */
  readonly recoveredIndexText?: string;
}

/**
 * Reads the index and any journal of an interrupted run, and checks every path they name: a
 * hostile or damaged index is refused before anything is touched.
 */
export function readRootState(root: OutputRoot): RootState {
  const indexPath = outputLayout.index();
  const indexText = root.exists() ? root.read(indexPath) : undefined;
  const previous = indexText === undefined ? undefined : parseIndex(indexText, indexPath);
  for (const entry of previous?.files ?? []) checkOwnedPath(entry.path, root.show(indexPath), INDEX_FIX);
  const journal = root.exists() ? readJournal(root) : undefined;
  if (journal === undefined) return { previous, indexText, entries: previous?.files ?? [] };
  const entries = recoverEntries(root, previous?.files ?? [], journal);
  const recoveredIndexText = stableJson({ ...(previous ?? { generator: 'platform-synth', sourceCommit: 'recovered' }), files: entries });
  return { previous, indexText: recoveredIndexText === indexText ? indexText : undefined, entries, journal, recoveredIndexText };
}

function checkPaths(files: readonly OutputFile[], indexPath: string): void {
  const seen = new Set<string>();
  for (const file of files) {
    const normal = path.posix.normalize(file.path);
    if (normal !== file.path || path.posix.isAbsolute(normal) || normal.startsWith('../') || normal === indexPath || normal === JOURNAL_FILE) {
      throw new Error(`internal: output path "${file.path}" is not a plain relative path`);
    }
    if (seen.has(normal)) throw new Error(`two objects would be written to ${normal}; fix: give one of them another name`);
    seen.add(normal);
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
 * The write protocol. The journal goes first; then every write is staged as a temporary beside its
 * target. A failure while staging removes every temporary, every directory made and the journal,
 * so the root is as it was. Then the temporaries are renamed over their targets, pruned files are
 * removed (a failure keeps that file's index entry), the index is written, and the journal goes.
 * Returns the removals that failed.
 */
function commit(
  root: OutputRoot,
  writes: readonly OutputFile[],
  removals: readonly IndexEntry[],
  keepJournal: boolean,
  index: { readonly path: string; readonly text: (failed: readonly IndexEntry[]) => string },
): { entry: IndexEntry; error: OutputError }[] {
  root.ensureRoot();
  removeJournalTemp(root);
  const journal = journalText({
    generator: 'platform-synth-journal',
    writes: writes.map((f) => ({ path: f.path, scope: f.scope, sha256: sha256(f.content), size: Buffer.byteLength(f.content) })),
    removals: removals.map((r) => ({ path: r.path, sha256: r.sha256 })),
    indexSha256: sha256(index.text([])),
  });
  try {
    root.replace(JOURNAL_FILE, journal);
  } catch (error) {
    throw error instanceof OutputError ? error.withState('nothing was changed') : error;
  }

  const madeDirs: string[] = [];
  const staged: string[] = [];
  try {
    for (const dir of [...new Set(writes.map((w) => path.posix.dirname(w.path)))].sort(compareCodePoints)) madeDirs.push(...root.makeDirs(dir));
    for (const file of writes) {
      root.create(tempPath(file.path), file.content);
      staged.push(file.path);
    }
  } catch (error) {
    for (const file of staged) root.remove(tempPath(file));
    for (const dir of madeDirs.reverse()) root.removeDirIfEmpty(dir);
    root.remove(JOURNAL_FILE);
    throw error instanceof OutputError ? error.withState('nothing was changed') : error;
  }

  try {
    for (const file of writes) root.rename(tempPath(file.path), file.path);
  } catch (error) {
    throw error instanceof OutputError ? error.withState('the run stopped part-way; the next run finishes it') : error;
  }
  const failed: { entry: IndexEntry; error: OutputError }[] = [];
  for (const removal of removals) {
    try {
      root.remove(removal.path);
    } catch (error) {
      if (!(error instanceof OutputError)) throw error;
      failed.push({ entry: removal, error });
    }
  }
  removeEmptyDirs(root, removals.map((r) => r.path));
  try {
    root.replace(index.path, index.text(failed.map((f) => f.entry)));
    if (!keepJournal) root.remove(JOURNAL_FILE);
  } catch (error) {
    throw error instanceof OutputError ? error.withState('the run stopped part-way; the next run finishes it') : error;
  }
  return failed;
}
