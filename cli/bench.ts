// `npm run bench -- --apps N [--apps M] [--runs R] [--baseline FILE]`: times full synths of a
// synthetic platform of N apps in fresh output directories, Node start-up included, then a second
// synth into each (nothing changed: the pull-request case). For each N it prints the median fresh run
// as one JSON line, with the in-memory render time and the write time apart, since the disk's
// latency varies far more than the CPU's work:
// {"apps":N,"envs":4,"files":F,"wallMs":W,"renderMs":R,"writeMs":X,"warmMs":U,"peakRssMb":M}
// With --diff, what `diff` adds to the synth (see cli/bench-diff.ts) is timed too.
// With two counts it adds the ratio of their times; with --baseline, the naive cdk8s program of
// ../shared/bench (or any script printing {"wallMs":…}) runs in the same run, and the per-object
// speed-up is printed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { platformConfig } from '../apps/platform';
import { commanderOutput } from './exit';

const PROJECT = path.resolve(__dirname, '..');

interface Run {
  readonly files: number;
  readonly wallMs: number;
  readonly renderMs: number;
  readonly writeMs: number;
  readonly peakRssMb: number;
  /** A second synth into the same root, where nothing changed. */
  readonly warmMs: number;
}

interface SynthReport {
  readonly files: number;
  readonly renderMs: number;
  readonly writeMs: number;
  readonly peakRssMb: number;
}

function runOnce(apps: number, out: string): Run {
  const runner = path.join(PROJECT, 'scripts', 'run.js');
  const synth = (): SynthReport & { ms: number } => {
    const start = process.hrtime.bigint();
    const child = spawnSync(process.execPath, [runner, 'cli/bench-synth.ts', '--apps', String(apps), '--out', out], { cwd: PROJECT, encoding: 'utf8' });
    const ms = Number((process.hrtime.bigint() - start) / 1_000_000n);
    if (child.status !== 0) throw new Error(`synth of ${apps} apps failed: ${child.stderr.trim()}`);
    return { ms, ...(JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as SynthReport) };
  };
  // Flush what earlier work left for the disk to do, so it is not billed to this synth.
  spawnSync('sync');
  const cold = synth();
  const warm = synth();
  return { files: cold.files, wallMs: cold.ms, renderMs: cold.renderMs, writeMs: cold.writeMs, peakRssMb: Math.max(cold.peakRssMb, warm.peakRssMb), warmMs: warm.ms };
}

function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

/** The naive program's median wall time for `apps` apps, run `runs` times. */
function baseline(script: string, apps: number, runs: number): { wallMs: number; peakRssMb: number } {
  const results = Array.from({ length: runs }, () => {
    const child = spawnSync(process.execPath, [path.resolve(script), String(apps)], { cwd: PROJECT, encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`baseline ${script} failed: ${child.stderr.trim()}`);
    return JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as { wallMs: number; peakRssMb: number };
  });
  return { wallMs: median(results.map((r) => r.wallMs)), peakRssMb: Math.max(...results.map((r) => r.peakRssMb)) };
}

const program = new Command('platform-as-code bench')
  .option('--apps <n>', 'apps in the synthetic platform (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
  .option('--runs <n>', 'runs per count; the median is reported', '3')
  .option('--baseline <file>', 'a naive program to time in the same run, such as ../shared/bench/naive-baseline.js')
  .option('--diff', 'also time what diff adds to a synth, for each count', false)
  // A usage error exits 2, as in every command; --help exits 0.
  .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
  .configureOutput(commanderOutput(['bench']))
  .parse(process.argv.slice(2), { from: 'user' });
const opts = program.opts<{ apps: string[]; runs: string; baseline?: string; diff: boolean }>();
const counts = (opts.apps.length === 0 ? ['100'] : opts.apps).map(Number);
const runs = Number(opts.runs);
if (counts.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(runs) || runs < 1) {
  process.stderr.write(`error: --apps and --runs take whole numbers of at least 1 (got --apps ${opts.apps.join(',')} --runs ${opts.runs}); fix: pass counts such as --apps 100 --runs 3\n`);
  process.exit(2);
}

const envs = platformConfig.environments.length;
const reports: { apps: number; files: number; wallMs: number; renderMs: number; writeMs: number }[] = [];
for (const apps of counts) {
  // Each run writes into a fresh root; they are removed only after the last one, since deleting
  // thousands of files slows the disk's next creates for a while.
  const roots = Array.from({ length: runs }, () => mkdtempSync(path.join(tmpdir(), 'platform-bench-')));
  let results: Run[];
  try {
    results = roots.map((root) => runOnce(apps, root));
  } finally {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  }
  results.forEach((r, i) =>
    process.stdout.write(
      `${apps} apps, run ${i + 1}: ${r.wallMs} ms into a fresh root (render ${r.renderMs} ms, write ${r.writeMs} ms), ${r.warmMs} ms again with nothing changed, ${r.peakRssMb} MB, ${r.files} files\n`,
    ),
  );
  const report = {
    apps,
    envs,
    files: results[0].files,
    wallMs: median(results.map((r) => r.wallMs)),
    renderMs: median(results.map((r) => r.renderMs)),
    writeMs: median(results.map((r) => r.writeMs)),
    warmMs: median(results.map((r) => r.warmMs)),
    peakRssMb: Math.max(...results.map((r) => r.peakRssMb)),
  };
  reports.push(report);
  if (opts.baseline !== undefined) {
    const naive = baseline(opts.baseline, apps, runs);
    // Objects per millisecond, ours over the naive program's (16 objects per app there). The naive
    // program writes one file per chart, a tenth of our files, so the figure without our write
    // time is printed too: disk latency here swings by a factor of ten between runs.
    const naiveRate = (apps * 16) / naive.wallMs;
    const speedup = (ms: number): number => Number((report.files / ms / naiveRate).toFixed(2));
    process.stdout.write(
      `${JSON.stringify({ baseline: path.basename(opts.baseline), apps, wallMs: naive.wallMs, peakRssMb: naive.peakRssMb, perObjectSpeedup: speedup(report.wallMs), perObjectSpeedupWithoutWrite: speedup(report.wallMs - report.writeMs) })}\n`,
    );
  }
  if (opts.diff) {
    const child = spawnSync(process.execPath, [path.join(PROJECT, 'scripts', 'run.js'), 'cli/bench-diff.ts', '--apps', String(apps)], { cwd: PROJECT, encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`diff bench of ${apps} apps failed: ${child.stderr.trim()}`);
    process.stdout.write(child.stdout);
  }
  process.stdout.write(`${JSON.stringify(report)}\n`);
}
if (reports.length > 1) {
  const [small, large] = [reports[0], reports[reports.length - 1]];
  const ratio = (a: number, b: number): number => Number((b / a).toFixed(2));
  process.stdout.write(
    `${JSON.stringify({ ratioOf: `${large.apps}/${small.apps}`, wallMs: ratio(small.wallMs, large.wallMs), renderMs: ratio(small.renderMs, large.renderMs) })}\n`,
  );
}
