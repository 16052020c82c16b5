import { writeOutput, type WriteOptions, type WriteResult } from '../engine/writer';
import {
  canaryPolicy,
  type CanaryPolicy,
  reconcileReleases,
  releaseRecords,
  releasesFile,
} from '../gitops/release-state';
import { type LoadedReleases, readReleases } from '../gitops/release-io';
import { type PlatformConfig } from '../model/config';
import { outputLayout, SHARED_SCOPES } from '../model/output-layout';
import { definePlatform, type Platform } from '../model/platform';
import { checkReleases, readReleasesFile, type ReleasesConfig } from '../model/releases';
import { type Plane, PLANES, synthPlatform, type TerraformWorker } from './synth';

export interface SynthOptions {
  readonly platform: Platform;
  readonly outDir: string;
  readonly envs: readonly string[];
  readonly sourceCommit: string;
  readonly dryRun?: boolean;
  /** @default - both planes */
  readonly planes?: readonly Plane[];
  /**
   * A worker thread for the Terraform plane (see {@link synthPlatform}).
   * @default - both planes on this thread
   */
  readonly worker?: TerraformWorker;
  /**
   * The releases the platform was built from: written to the output root as `releases.json`,
   * and recorded as provenance in the index.
   * @default - no releases file is written
   */
  readonly releases?: ReleasesConfig;
}

/** Synthesizes, then writes only what changed. Nothing is written unless the whole synth succeeded. */
export function runSynth(options: SynthOptions): WriteResult {
  return writeOutput(synthWrite(options));
}

/** Everything a synth writes, in memory: the files, their scopes and the index's provenance. */
export function synthWrite(options: SynthOptions): WriteOptions {
  const output = synthPlatform(options.platform, options.envs, options.planes ?? PLANES, { worker: options.worker });
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
export function loadRootPlatform(outDir: string, config: PlatformConfig, seed: string): RootPlatform {
  return fitRootPlatform(readReleases(outDir, seed), config, seed);
}

/**
 * The platform from `config` and a releases file already read (see {@link loadRootPlatform}; diff
 * reads it from the tree it compares with, so it builds what synth would write there).
 */
export function fitRootPlatform(loaded: LoadedReleases, config: PlatformConfig, seed: string): RootPlatform {
  const envs = config.environments.map((e) => e.name);
  const apps = config.apps.map((a) => a.name);
  const seedConfig = loaded.seeded ? undefined : readReleasesFile(seed, 'apps/releases.json');
  const { config: fitted, notes } = reconcileReleases(loaded.config, seedConfig, envs, apps);
  const releases = { ...loaded, config: fitted };
  checkReleases(fitted, releases.file, envs, apps, config.environments.find((e) => e.canary !== undefined)?.name);
  const platform = definePlatform({ ...config, releases: fitted });
  return { platform, releases, canary: canaryPolicy(platform), notes };
}
