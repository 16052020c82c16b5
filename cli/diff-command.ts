import { diffOutput } from '../lib/diff/compare';
import { renderMarkdown } from '../lib/diff/render-markdown';
import { renderJson } from '../lib/diff/render-json';
import { renderText } from '../lib/diff/render-text';
import { type DiffReport, hasChanges } from '../lib/diff/report';
import { dirSource, gitRefSource, type TreeSource, TreeSourceError } from '../lib/diff/tree-source';
import { releasesOrSeed } from '../lib/gitops/release-io';
import { canaryPolicy } from '../lib/gitops/release-state';
import { type PlatformConfig } from '../lib/model/config';
import { outputLayout } from '../lib/model/output-layout';
import { type Platform } from '../lib/model/platform';
import { fitRootPlatform } from '../lib/pipeline/synth-output';
import { UsageError } from './errors';
import { flagOf } from './exit';
import { defaultOutDir } from './project-dir';
import { synthPlatform } from '../lib/pipeline/synth';

/** The output formats of `diff`. */
export const DIFF_FORMATS = ['text', 'markdown', 'json'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

/** Where the previous output comes from: a directory, or a ref of a git repository. */
export interface AgainstOptions {
  /** @default - dist/ of this project (defaultOutDir) */
  readonly against?: string;
  readonly againstRef?: string;
  /** The GitOps checkout `againstRef` is read from. */
  readonly gitops?: string;
}

export interface DiffCommandOptions extends AgainstOptions {
  /** The config; its releases are those of the tree compared with, as synth would read them there. */
  readonly config: PlatformConfig;
  /** The releases file used where the tree has no `releases.json`. */
  readonly seed: string;
  readonly envs: readonly string[];
  /** @default 'text' */
  readonly format?: DiffFormat;
  /** ANSI colours in the text format. @default false */
  readonly color?: boolean;
}


/**
 * Synthesizes the platform in memory, both planes, and compares it with `against`. `envs` limits
 * the environments compared, as in synth; the Terraform stacks and shared ArgoCD objects are
 * always compared.
 */
export function diffPlatform(platform: Platform, against: TreeSource, envs: readonly string[] = []): DiffReport {
  const output = synthPlatform(platform, envs);
  return diffOutput(output, against, {
    environments: platform.environments.map((e) => e.name),
    production: [platform.production.name],
    canarySteps: canaryPolicy(platform).steps,
  });
}

/** The tree named by `--against` or `--against-ref` and `--gitops`. */
export function openTreeSource(options: AgainstOptions): TreeSource {
  try {
    return openSource(options);
  } catch (error) {
    // A missing directory or ref is wrong input, reported like every other usage error.
    throw error instanceof TreeSourceError ? new UsageError(error.render(flagOf)) : error;
  }
}

function openSource(options: AgainstOptions): TreeSource {
  if (options.againstRef === undefined) {
    if (options.gitops !== undefined) {
      throw new UsageError('--gitops is only read with --against-ref; fix: add --against-ref REF, or use --against DIR');
    }
    return dirSource(options.against ?? defaultOutDir());
  }
  if (options.against !== undefined) throw new UsageError('--against and --against-ref exclude each other; fix: pass only one of them');
  if (options.gitops === undefined) throw new UsageError(`--against-ref ${options.againstRef} needs the repository; fix: add --gitops DIR`);
  return gitRefSource(options.gitops, options.againstRef);
}

export function parseFormat(value: string | undefined): DiffFormat {
  const format = DIFF_FORMATS.find((f) => f === (value ?? 'text'));
  if (format === undefined) throw new UsageError(`unknown format "${value}" in --format; fix: use ${DIFF_FORMATS.join(' or ')}`);
  return format;
}

/**
 * The platform `npm run synth` would write into `against`: the config with the tree's own
 * `releases.json` (at the ref, for a git tree), else the seed, fitted as synth fits it.
 */
export function treePlatform(against: TreeSource, config: PlatformConfig, seed: string): Platform {
  return fitRootPlatform(releasesOrSeed(against.file(outputLayout.releases()), seed), config, seed).platform;
}

/** Runs `diff`: the rendered report, and the exit code (0 no changes, 1 changes). */
export function runDiff(options: DiffCommandOptions): { report: DiffReport; text: string; exitCode: 0 | 1 } {
  const against = openTreeSource(options);
  const report = diffPlatform(treePlatform(against, options.config, options.seed), against, options.envs);
  const text = options.format === 'markdown' ? renderMarkdown(report) : options.format === 'json' ? renderJson(report) : renderText(report, { color: options.color ?? false });
  return { report, text, exitCode: hasChanges(report) ? 1 : 0 };
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function wantsColor(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && (env.NO_COLOR ?? '') === '';
}
