// `npm run bench -- --apps N [--runs R]`: times full synths of a synthetic platform of N apps in
// fresh output directories, Node start-up included, then a second synth into each (nothing changed),
// and prints the median fresh run as the last line:
// {"apps":N,"envs":4,"files":F,"wallMs":W,"peakRssMb":M}
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { platformConfig } from '../apps/platform';

interface Run {
  readonly files: number;
  readonly wallMs: number;
  readonly peakRssMb: number;
  /** A second synth into the same root, where nothing changed: the pull-request case. */
  readonly warmMs: number;
}

function runOnce(apps: number, out: string): Run {
  const runner = path.resolve(__dirname, '..', 'scripts', 'run.js');
  const synth = () => {
    const start = process.hrtime.bigint();
    const child = spawnSync(process.execPath, [runner, 'cli/bench-synth.ts', '--apps', String(apps), '--out', out], {
      cwd: path.resolve(__dirname, '..'),
      encoding: 'utf8',
    });
    const ms = Number((process.hrtime.bigint() - start) / 1_000_000n);
    if (child.status !== 0) throw new Error(`synth of ${apps} apps failed: ${child.stderr.trim()}`);
    const report = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as { files: number; peakRssMb: number };
    return { ms, ...report };
  };
  // Flush what earlier work left for the disk to do, so it is not billed to this synth.
  spawnSync('sync');
  const cold = synth();
  const warm = synth();
  return { files: cold.files, wallMs: cold.ms, peakRssMb: Math.max(cold.peakRssMb, warm.peakRssMb), warmMs: warm.ms };
}

const program = new Command('bench')
  .option('--apps <n>', 'apps in the synthetic platform', '100')
  .option('--runs <n>', 'runs; the median is reported', '3')
  .parse(process.argv.slice(2), { from: 'user' });
const opts = program.opts<{ apps: string; runs: string }>();
const apps = Number(opts.apps);
const runs = Number(opts.runs);
if (!Number.isInteger(apps) || apps < 1 || !Number.isInteger(runs) || runs < 1) {
  process.stderr.write(`error: --apps and --runs take whole numbers of at least 1 (got --apps ${opts.apps} --runs ${opts.runs})\n`);
  process.exit(2);
}
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
  process.stdout.write(`run ${i + 1}: ${r.wallMs} ms into a fresh root, ${r.warmMs} ms again with nothing changed, ${r.peakRssMb} MB, ${r.files} files\n`),
);
const median = [...results].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(runs / 2)];
const peak = Math.max(...results.map((r) => r.peakRssMb));
process.stdout.write(
  `${JSON.stringify({ apps, envs: platformConfig.environments.length, files: median.files, wallMs: median.wallMs, peakRssMb: peak })}\n`,
);
