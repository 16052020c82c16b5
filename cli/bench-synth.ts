// The process `npm run bench` times: one full synth of a synthetic platform into --out.
import { buildPlatform, PlatformSource } from './platform-source';
import { runSynth } from './synth-command';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const apps = Number(args[args.indexOf('--apps') + 1]);
  const out = args[args.indexOf('--out') + 1];
  const source: PlatformSource = { kind: 'synthetic', apps };
  const result = runSynth({ platform: buildPlatform(source), source, outDir: out, envs: [], sourceCommit: 'bench' });
  const files = result.summaries.reduce((n, s) => n + s.added + s.changed + s.unchanged, 0);
  // maxRSS is in kilobytes.
  process.stdout.write(`${JSON.stringify({ files, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench-synth: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
