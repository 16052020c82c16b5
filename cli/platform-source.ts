import * as path from 'node:path';
import { platformConfig } from '../apps/platform';
import { definePlatform, type Platform } from '../lib/model/platform';
import { type ReleasesConfig } from '../lib/model/releases';
import { type TerraformWorker } from '../lib/pipeline/synth';
import { syntheticPlatform, type SyntheticOptions } from './synthetic-platform';

/**
 * How to build a platform, as plain data: a worker thread cannot receive the Platform itself (it
 * holds class instances), so it receives this and builds the same platform again.
 */
export type PlatformSource =
  | { readonly kind: 'sample'; /** @default - apps/releases.json */ readonly releases?: ReleasesConfig }
  | ({ readonly kind: 'synthetic'; readonly apps: number } & SyntheticOptions);

export function buildPlatform(source: PlatformSource): Platform {
  switch (source.kind) {
    case 'sample':
      return definePlatform({ ...platformConfig, releases: source.releases ?? platformConfig.releases });
    case 'synthetic':
      return syntheticPlatform(source.apps, { first: source.first, tag: source.tag });
  }
}

/**
 * The Terraform plane of `source` on a worker thread: the worker's bundle, which scripts/run.js
 * builds beside every entry point's (absent when running from sources, as in jest).
 */
export function terraformWorker(source: PlatformSource): TerraformWorker {
  return { script: path.join(__dirname, 'terraform-worker.js'), data: source };
}
