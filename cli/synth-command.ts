import { platformConfig, SEED_RELEASES } from '../apps/platform';
import { writeOutput, WriteOptions, WriteResult } from '../lib/engine/writer';
import {
  canaryPolicy,
  CanaryPolicy,
  LoadedReleases,
  readReleases,
  reconcileReleases,
  releaseRecords,
  releasesFile,
} from '../lib/gitops/release-state';
import { PlatformConfig } from '../lib/model/config';
import { outputLayout, SHARED_SCOPES } from '../lib/model/output-layout';
import { definePlatform, Platform } from '../lib/model/platform';
import { checkReleases, readReleasesFile, ReleasesConfig } from '../lib/model/releases';
import { Plane, PLANES, synthPlatform } from './platform-output';
import { PlatformSource } from './platform-source';

export { SEED_RELEASES };

export interface SynthCommandOptions {
  readonly platform: Platform;
  readonly outDir: string;
  readonly envs: readonly string[];
  readonly sourceCommit: string;
  readonly dryRun?: boolean;
  /** @default - both planes */
  readonly planes?: readonly Plane[];
  /**
   * The platform as data, so the Terraform plane can be synthesized on a worker thread.
   * @default - both planes on this thread
   */
  readonly source?: PlatformSource;
  /**
   * The releases the platform was built from: written to the output root as `releases.json`,
   * and recorded as provenance in the index.
   * @default - no releases file is written
   */
  readonly releases?: ReleasesConfig;
}

/** Synthesizes, then writes only what changed. Nothing is written unless the whole synth succeeded. */
export function runSynth(options: SynthCommandOptions): WriteResult {
  return writeOutput(synthWrite(options));
}

/** Everything a synth writes, in memory: the files, their scopes and the index's provenance. */
export function synthWrite(options: SynthCommandOptions): WriteOptions {
  const output = synthPlatform(options.platform, options.envs, options.planes ?? PLANES, { source: options.source });
  const base = { outDir: options.outDir, sourceCommit: options.sourceCommit, dryRun: options.dryRun };
  if (options.releases === undefined) return { ...base, files: output.files, scopes: output.scopes };
  return {
    ...base,
    files: [...output.files, releasesFile(options.platform, options.releases)],
    scopes: [...output.scopes, SHARED_SCOPES.releases],
    releases: releaseRecords(options.platform, options.releases),
    // The releases file is read from the root, so the tool may rewrite it even before it is indexed.
    adopt: [outputLayout.releases()],
  };
}

/** The platform as an output root holds it: the config, with the releases of the root or the seed. */
export interface RootPlatform {
  readonly platform: Platform;
  /** The releases file read, fitted to the config. */
  readonly releases: LoadedReleases;
  readonly canary: CanaryPolicy;
  /** What fitting the file to the config changed. */
  readonly notes: readonly string[];
}

/**
 * Builds the platform from `config` and the releases file of `outDir`, else the seed. The file is
 * fitted to the config (see reconcileReleases), then checked against it.
 */
export function loadRootPlatform(outDir: string, config: PlatformConfig = platformConfig, seed = SEED_RELEASES): RootPlatform {
  const loaded = readReleases(outDir, seed);
  const envs = config.environments.map((e) => e.name);
  const apps = config.apps.map((a) => a.name);
  const seedConfig = loaded.seeded ? undefined : readReleasesFile(seed, 'apps/releases.json');
  const { config: fitted, notes } = reconcileReleases(loaded.config, seedConfig, envs, apps);
  const releases = { ...loaded, config: fitted };
  checkReleases(fitted, releases.file, envs, apps, config.environments.find((e) => e.canary !== undefined)?.name);
  const platform = definePlatform({ ...config, releases: fitted });
  return { platform, releases, canary: canaryPolicy(platform), notes };
}

/** Which releases file a run used, and what fitting it to the config changed. */
export function formatReleasesSource(root: RootPlatform, outDir: string): string[] {
  const { releases } = root;
  const head = releases.seeded ? `releases: ${releases.file} (seed: ${outDir} has no ${outputLayout.releases()})` : `releases: ${releases.file}`;
  return [head, ...root.notes.map((n) => `releases: ${n}`)];
}

/** One line per scope: `dev  3 added, 1 changed, 0 removed, 24 unchanged`. */
export function formatSummary(result: WriteResult, outDir: string): string[] {
  const width = Math.max(...result.summaries.map((s) => s.scope.length));
  const lines = result.summaries.map(
    (s) => `${s.scope.padEnd(width)}  ${s.added} added, ${s.changed} changed, ${s.removed} removed, ${s.unchanged} unchanged`,
  );
  lines.push(`wrote ${result.touched.length} file(s) under ${outDir}`);
  if (result.drift.length > 0) {
    const shown = result.drift.slice(0, 5).join(', ');
    const more = result.drift.length > 5 ? ` and ${result.drift.length - 5} more` : '';
    lines.push(
      `kept ${result.drift.length} hand-edited file(s) the tool would have removed: ${shown}${more}; delete them if they should go, or restore them (git checkout) and run again`,
    );
  }
  return lines;
}
