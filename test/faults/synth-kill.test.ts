import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JOURNAL_FILE } from '../../lib/engine/journal';
import { PROJECT_DIR, tempDir } from '../helpers';
import { type Ended, leftovers, log, pollUntil, sleep, snapshotTree, ToolProcess, TOOL_ENV, type TreeSnapshot, treeDiff } from './processes';

/**
 * SIGKILL of a real 200-app synth while it writes its output root, into a fresh root and into a
 * root holding another platform's output; the next synth must converge on exactly a clean synth.
 * The in-process variant (every step of the protocol) is test/engine/writer-safety.test.ts.
 */

const BENCH = 'cli/bench-synth.ts';
/** The platform every killed run synthesizes. */
const TARGET = ['--apps', '200'];
/**
 * Another platform for the changed root: apps 21-220 at another tag, so the killed run adds apps
 * 1-20, changes every workload of 21-200 and prunes 201-220.
 */
const OTHER = ['--apps', '200', '--first', '21', '--tag', 'v9.9.9'];
/**
 * Where each kill lands, as a fraction of the write phase measured once (journal written to
 * removed). The disk's latency varies far more than the CPU's work, on a busy machine by a factor
 * of two between runs, so the points crowd the first part of the phase: most kills land even when a
 * trial writes twice as fast as the measured run.
 */
const FRESH_POINTS = [0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8];
const CHANGED_POINTS = [0, 0.1, 0.2, 0.35, 0.5];

let dir: string;
let reference: TreeSnapshot;
/** A root holding the output of OTHER: each changed trial starts from a copy. */
let otherRoot: string;
let freshPhaseMs: number;

const journalOf = (root: string): string => path.join(root, JOURNAL_FILE);

/**
 * Flushes what earlier runs and copies left for the disk to write, so it does not slow the next
 * run: the measured write phase and the killed runs' must be alike for the delays to land.
 */
const flushDisk = (): void => void spawnSync('sync');

/** A synth run to its end, waited for. */
function synth(args: readonly string[], out: string): Ended {
  const run = spawnSync(process.execPath, [path.join(PROJECT_DIR, 'scripts', 'run.js'), BENCH, ...args, '--out', out], {
    cwd: PROJECT_DIR,
    encoding: 'utf8',
    env: TOOL_ENV,
  });
  return { status: run.status, signal: run.signal, stdout: run.stdout, stderr: run.stderr };
}

/** Runs a synth to its end, timing its write phase: from the journal's appearance to its removal. */
async function timedSynth(out: string): Promise<number> {
  flushDisk();
  const proc = new ToolProcess(BENCH, [...TARGET, '--out', out]);
  const journal = journalOf(out);
  if (!(await pollUntil(() => fs.existsSync(journal), proc))) throw new Error(`the synth into ${out} ended without writing a journal`);
  const start = proc.elapsed();
  await pollUntil(() => !fs.existsSync(journal), proc);
  const phase = proc.elapsed() - start;
  const ended = await proc.done;
  if (ended.status !== 0) throw new Error(`the synth into ${out} failed (${ended.status}): ${ended.stderr}`);
  return phase;
}

beforeAll(async () => {
  dir = tempDir('platform-faults-synth-');
  // Bundles the entry point now, so no measured or killed run spends its time in esbuild.
  expect(spawnSync(process.execPath, [path.join(PROJECT_DIR, 'scripts', 'run.js'), BENCH, '--help'], { cwd: PROJECT_DIR }).status).toBe(0);

  const clean = path.join(dir, 'reference');
  freshPhaseMs = await timedSynth(clean);
  reference = snapshotTree(clean);
  expect(leftovers(reference)).toEqual([]);

  otherRoot = path.join(dir, 'other');
  const other = synth(OTHER, otherRoot);
  expect(other.stderr).toBe('');
  expect(other.status).toBe(0);

  log(`reference: ${reference.files.size} files, ${reference.dirs.size} directories; write phase ${freshPhaseMs} ms into a fresh root`);
}, 5 * 60_000);

// The roots of all trials go at the end: deleting thousands of files slows the disk's next creates,
// which would skew the trials after it.
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** What one kill did, and whether the next synth converged. */
interface Trial {
  readonly name: string;
  readonly delayMs: number;
  /** The journal was on disk after the kill: the kill interrupted the write phase. */
  readonly landed: boolean;
  readonly problems: readonly string[];
}

/**
 * Starts the synth into `out` (a copy of `seed` when given), waits for its journal, kills it with
 * SIGKILL `delayMs` later, then runs the synth again and compares the root with the clean synth.
 */
async function killTrial(name: string, delayMs: number, seed?: string): Promise<Trial> {
  const out = path.join(dir, name);
  if (seed !== undefined) fs.cpSync(seed, out, { recursive: true });
  flushDisk();
  const journal = journalOf(out);
  const proc = new ToolProcess(BENCH, [...TARGET, '--out', out]);
  const problems: string[] = [];
  if (!(await pollUntil(() => fs.existsSync(journal), proc))) problems.push('the run ended before it wrote its journal');
  await sleep(delayMs);
  proc.kill('SIGKILL');
  const killed = await proc.done;
  const landed = killed.signal === 'SIGKILL' && fs.existsSync(journal);
  if (killed.signal !== 'SIGKILL' && killed.status !== 0) problems.push(`the killed run failed on its own (${killed.status}): ${killed.stderr.trim()}`);

  const again = synth(TARGET, out);
  if (again.status !== 0 || again.stderr !== '') problems.push(`the next synth exited ${again.status}: ${again.stderr.trim()}`);
  const after = snapshotTree(out);
  problems.push(...leftovers(after).map((f) => `left behind ${f}`), ...treeDiff(reference, after));
  const trial = { name, delayMs, landed, problems };
  log(`${name}: SIGKILL ${delayMs} ms after the journal appeared: ${landed ? 'inside' : 'outside'} the write phase; ${problems.length === 0 ? 'converged' : problems.join('; ')}`);
  return trial;
}

/**
 * Runs trials one after another (their timing must not share the cores) until `points.length`
 * kills have landed inside the write phase, and checks them all. The disk's speed drifts on a
 * busy machine, so the delays adapt: a kill that lands after the run finished shrinks the scale of
 * the next delays. At most twice as many trials as points run.
 */
async function runTrials(variant: string, points: readonly number[], phaseMs: number, seed?: string): Promise<void> {
  log(`${variant}: kill points ${JSON.stringify(points)} of a ${phaseMs} ms write phase, shrinking when a kill lands late`);
  const trials: Trial[] = [];
  let scale = phaseMs;
  for (let i = 0; trials.filter((t) => t.landed).length < points.length && i < points.length * 2; i++) {
    const landedSoFar = trials.filter((t) => t.landed).length;
    const trial = await killTrial(`${variant}-${i + 1}`, Math.round(points[landedSoFar] * scale), seed);
    trials.push(trial);
    if (!trial.landed) scale = Math.round(scale * 0.6);
  }
  const landed = trials.filter((t) => t.landed).length;
  log(`${variant}: ${landed} of ${trials.length} kills landed inside the write phase`);
  expect(trials.filter((t) => t.problems.length > 0).map((t) => `${t.name} (+${t.delayMs} ms): ${t.problems.join('; ')}`)).toEqual([]);
  // A kill that lands after the run finished tests nothing: every point must have interrupted one.
  expect(landed).toBe(points.length);
}

test('a synth killed at any point of its write phase into a fresh root converges on the clean output', async () => {
  await runTrials('fresh', FRESH_POINTS, freshPhaseMs);
});

test('a synth killed while it adds, changes and prunes the output of another platform converges on the clean output', async () => {
  // Measured here, right before its trials and under their conditions. The uninterrupted run must
  // itself give the clean synth's output.
  const measured = path.join(dir, 'changed-measure');
  fs.cpSync(otherRoot, measured, { recursive: true });
  const changedPhaseMs = await timedSynth(measured);
  expect(treeDiff(reference, snapshotTree(measured))).toEqual([]);
  await runTrials('changed', CHANGED_POINTS, changedPhaseMs, otherRoot);
});
