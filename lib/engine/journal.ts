import * as path from 'node:path';
import { z } from 'zod';
import { sha256 } from './hash';
import { type IndexEntry } from './manifest-index';
import { OutputError } from './output-error';
import { checkRelativePath, type OutputRoot, tempPath } from './output-root';
import { compareCodePoints } from './stable-json';
import { outputLayout } from '../model/output-layout';

/**
 * The journal of a write in progress, in the output root. It is written (atomically) before any
 * target is touched and removed after the index is written, so a journal on disk means a run was
 * stopped part-way. It lists what that run was about to do; the next run reads it to tell the
 * files that run wrote from everything else. See docs/safety.md.
 */
export const JOURNAL_FILE = '.platform-journal.json';

const writeSchema = z.strictObject({
  path: z.string(),
  scope: z.string(),
  /** The new content's hash: a file holding it was written by that run. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** The new content's length: a temporary no longer than this may be that run's, cut short. */
  size: z.number().int().nonnegative(),
});

const journalSchema = z.strictObject({
  generator: z.literal('platform-synth-journal'),
  writes: z.array(writeSchema),
  /** Files to prune, with the hash the index recorded. */
  removals: z.array(z.strictObject({ path: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) })),
  /** The hash of the index the run means to write, so its bytes can be told from a person's. */
  indexSha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export type Journal = z.infer<typeof journalSchema>;
export type JournalWrite = z.infer<typeof writeSchema>;

const FIX = `delete ${JOURNAL_FILE} (it was not written by this tool), then run again`;

export function journalText(journal: Journal): string {
  return `${JSON.stringify(journal)}\n`;
}

/** The journal an interrupted run left in `root`, checked like every path read from the root. */
export function readJournal(root: OutputRoot): Journal | undefined {
  const text = root.read(JOURNAL_FILE);
  if (text === undefined) return undefined;
  const where = root.show(JOURNAL_FILE);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new OutputError({ path: where, problem: 'is not valid JSON', state: 'nothing was changed', fix: FIX });
  }
  const parsed = journalSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new OutputError({ path: where, problem: `is not a journal of this tool (${issue.path.join('.')}: ${issue.message})`, state: 'nothing was changed', fix: FIX });
  }
  for (const entry of [...parsed.data.writes, ...parsed.data.removals]) checkOwnedPath(entry.path, where, FIX);
  return parsed.data;
}

/**
 * Checks a path that the index or a journal says the tool owns: a jailed relative path (see
 * checkRelativePath) that the output layout writes, such as `kubernetes/dev/<kind>-<name>.yaml`.
 * A README, `.github/` or the index itself can never be owned, however the index lists it: a
 * crafted entry with a file's real sha256 would otherwise prune it.
 */
export function checkOwnedPath(rel: unknown, source: string, fix: string): string {
  const at = checkRelativePath(rel, source, fix);
  const place = outputLayout.parse(at);
  if (place === undefined || (place.plane === 'state' && place.file === 'index')) {
    throw new OutputError({ path: source, problem: `lists ${JSON.stringify(at)}, which is no file of the tool's output layout`, state: 'nothing was changed', fix });
  }
  return at;
}

/**
 * The index as it stands on disk after an interrupted run, from the last committed index and that
 * run's journal: a file the run finished writing (its bytes hash to the journal's) is listed with
 * its new hash and scope; a file it pruned is gone from the list; everything else keeps its entry.
 * Reads only; nothing is written.
 */
export function recoverEntries(root: OutputRoot, entries: readonly IndexEntry[], journal: Journal): IndexEntry[] {
  const byPath = new Map(entries.map((e) => [e.path, e]));
  for (const write of journal.writes) {
    const state = root.state(write.path);
    if (state.kind !== 'file' || state.size !== write.size) continue;
    if (sha256(root.readFile(write.path)) === write.sha256) byPath.set(write.path, { path: write.path, scope: write.scope, sha256: write.sha256 });
  }
  for (const removal of journal.removals) {
    if (root.state(removal.path).kind === 'absent') byPath.delete(removal.path);
  }
  return [...byPath.values()].sort((a, b) => compareCodePoints(a.path, b.path));
}

/**
 * Removes what an interrupted run left beside its output: its temporaries (a regular file at a
 * temporary's name, no longer than the content that run meant to write there), the directories it
 * made and left empty, and the journal. Call it once the recovered index is written.
 */
export function removeJournal(root: OutputRoot, journal: Journal): void {
  for (const write of journal.writes) {
    const temp = tempPath(write.path);
    const state = root.state(temp);
    if (state.kind === 'file' && state.size <= write.size) root.remove(temp);
  }
  removeEmptyDirs(root, [...journal.writes, ...journal.removals].map((e) => e.path));
  root.remove(JOURNAL_FILE);
}

/** Removes directories above `paths` that are empty, deepest first, up to (not including) the root. */
export function removeEmptyDirs(root: OutputRoot, paths: readonly string[]): void {
  const dirs = new Set<string>();
  for (const p of paths) {
    for (let d = path.posix.dirname(p); d !== '.' && !dirs.has(d); d = path.posix.dirname(d)) dirs.add(d);
  }
  const deepestFirst = [...dirs].sort((a, b) => b.split('/').length - a.split('/').length || compareCodePoints(a, b));
  for (const dir of deepestFirst) root.removeDirIfEmpty(dir);
}
