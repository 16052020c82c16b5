import { writeOutput, WriteResult } from '../lib/engine/writer';
import { Platform } from '../lib/model/platform';
import { Plane, PLANES, synthPlatform } from './platform-output';

export interface SynthCommandOptions {
  readonly platform: Platform;
  readonly outDir: string;
  readonly envs: readonly string[];
  readonly sourceCommit: string;
  readonly dryRun?: boolean;
  /** @default - both planes */
  readonly planes?: readonly Plane[];
}

/** Synthesizes, then writes only what changed. Nothing is written unless the whole synth succeeded. */
export function runSynth(options: SynthCommandOptions): WriteResult {
  const output = synthPlatform(options.platform, options.envs, options.planes ?? PLANES);
  return writeOutput({
    outDir: options.outDir,
    files: output.files,
    scopes: output.scopes,
    sourceCommit: options.sourceCommit,
    dryRun: options.dryRun,
  });
}

/** One line per scope: `dev  3 added, 1 changed, 0 removed, 24 unchanged`. */
export function formatSummary(result: WriteResult, outDir: string): string[] {
  const width = Math.max(...result.summaries.map((s) => s.scope.length));
  const lines = result.summaries.map(
    (s) => `${s.scope.padEnd(width)}  ${s.added} added, ${s.changed} changed, ${s.removed} removed, ${s.unchanged} unchanged`,
  );
  lines.push(`wrote ${result.touched.length} file(s) under ${outDir}`);
  return lines;
}
