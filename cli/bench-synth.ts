// The process `npm run bench` times: one full synth of a synthetic platform into --out. The fault
// tests (test/faults) also kill it part-way; `--first` and `--tag` make a different platform, whose
// output a later synth then adds to, changes and prunes.
import { Command } from 'commander';
import { RELEASE_TAG } from '../lib/model/releases';
import { buildPlatform, type PlatformSource, terraformWorker } from './platform-source';
import { writeOutput } from '../lib/engine/writer';
import { synthWrite } from '../lib/pipeline/synth-output';

async function main(): Promise<void> {
  const opts = new Command('bench-synth')
    .requiredOption('--apps <n>', 'apps in the synthetic platform')
    .requiredOption('--out <dir>', 'output root')
    .option('--first <n>', 'the number of the first app', '1')
    .option('--tag <tag>', 'the release tag of every environment (default: the sample releases)')
    .parse(process.argv.slice(2), { from: 'user' })
    .opts<{ apps: string; out: string; first: string; tag?: string }>();
  const apps = Number(opts.apps);
  const first = Number(opts.first);
  if (!Number.isInteger(apps) || apps < 1 || !Number.isInteger(first) || first < 1) {
    throw new Error(`--apps and --first take whole numbers of at least 1 (got --apps ${opts.apps} --first ${opts.first})`);
  }
  if (opts.tag !== undefined && !RELEASE_TAG.test(opts.tag)) throw new Error(`--tag "${opts.tag}" is not a release tag such as v1.2.3`);
  const source: PlatformSource = { kind: 'synthetic', apps, first, tag: opts.tag };
  // Rendering (both planes, in memory) and writing are timed apart: the disk's latency here varies
  // far more than the CPU's work.
  const started = process.hrtime.bigint();
  const write = synthWrite({ platform: buildPlatform(source), worker: terraformWorker(source), outDir: opts.out, envs: [], sourceCommit: 'bench' });
  const rendered = process.hrtime.bigint();
  const result = writeOutput(write);
  const written = process.hrtime.bigint();
  const files = result.summaries.reduce((n, s) => n + s.added + s.changed + s.unchanged, 0);
  const ms = (from: bigint, to: bigint): number => Number((to - from) / 1_000_000n);
  // maxRSS is in kilobytes.
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stdout.write(`${JSON.stringify({ files, renderMs: ms(started, rendered), writeMs: ms(rendered, written), peakRssMb })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench-synth: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
