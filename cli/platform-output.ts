import * as fs from 'node:fs';
import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { renderChart } from '../lib/engine/kubernetes';
import { OutputFile } from '../lib/engine/output';
import { clusterScope, SHARED_SCOPES } from '../lib/model/output-layout';
import { argocdCharts, clusterCharts, environmentCharts } from '../lib/k8s/platform-charts';
import { Environment, Platform } from '../lib/model/platform';
import { UsageError } from './errors';
import { PlatformSource } from './platform-source';

/** Everything one synth produces, in memory. */
export interface PlatformOutput {
  readonly files: readonly OutputFile[];
  /** The scopes the files cover: the selected environments and the shared scopes. */
  readonly scopes: readonly string[];
}

/** The two outputs of a synth. */
export const PLANES = ['terraform', 'kubernetes'] as const;
export type Plane = (typeof PLANES)[number];

/** Options of {@link synthPlatform}. */
export interface SynthPlatformOptions {
  /**
   * How to build the same platform in a worker thread: given, and when running from the bundle that
   * `scripts/run.js` builds, the Terraform plane is synthesized on the second core while this thread
   * renders the Kubernetes plane.
   * @default - both planes on this thread
   */
  readonly source?: PlatformSource;
}

/** The worker's bundle, which scripts/run.js builds beside every entry point's. */
const TERRAFORM_WORKER = path.join(__dirname, 'terraform-worker.js');
const WORKER_TIMEOUT_MS = 300_000;

/**
 * Synthesizes the platform in memory. `envs` limits the environment directories and their ArgoCD
 * Applications; the Terraform stacks and the shared ArgoCD objects always come along, as they are
 * derived from every environment. `planes` limits the output to Terraform or Kubernetes.
 */
export function synthPlatform(
  platform: Platform,
  envs: readonly string[] = [],
  planes: readonly Plane[] = PLANES,
  options: SynthPlatformOptions = {},
): PlatformOutput {
  const selected = selectEnvironments(platform, envs);
  const terraform = planes.includes('terraform');
  const pending = terraform && options.source ? startTerraformWorker(options.source) : undefined;
  const files: OutputFile[] = [];
  const scopes: string[] = [];
  if (planes.includes('kubernetes')) {
    const charts = [
      ...argocdCharts(platform, selected),
      ...clusterCharts(platform),
      ...selected.flatMap((env) => environmentCharts(platform, env)),
    ];
    for (const { build, dir, scope } of charts) files.push(...renderChart(build(), dir, scope));
    scopes.push(...selected.map((e) => e.name), SHARED_SCOPES.argocd, ...platform.clusters.map((c) => clusterScope(c.name)));
  }
  if (terraform) {
    // Required only here, so a synth whose Terraform plane runs on the worker never loads cdktf.
    const local = (): OutputFile[] => (require('./terraform-files') as typeof import('./terraform-files')).terraformFiles(platform);
    files.push(...(pending ? pending() : local()));
    scopes.push(SHARED_SCOPES.terraform);
  }
  return { files, scopes };
}

/**
 * Starts the Terraform plane on a worker thread and returns the wait for its files. The wait is
 * synchronous (Atomics.wait), so synthPlatform stays a plain function for every caller.
 */
function startTerraformWorker(source: PlatformSource): (() => OutputFile[]) | undefined {
  if (!fs.existsSync(TERRAFORM_WORKER)) return undefined;
  const done = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(TERRAFORM_WORKER, { workerData: { source, port: port2, done }, transferList: [port2] });
  return () => {
    const waited = Atomics.wait(done, 0, 0, WORKER_TIMEOUT_MS);
    const message = receiveMessageOnPort(port1)?.message as { files?: OutputFile[]; error?: string } | undefined;
    port1.close();
    void worker.terminate();
    if (waited === 'timed-out' || message === undefined) throw new Error('the Terraform worker did not answer; fix: run again, or report it');
    if (message.error !== undefined || message.files === undefined) throw new Error(message.error ?? 'the Terraform worker sent no files');
    return message.files;
  };
}

/** The environments named by `--env`, in promotion order; all of them when none is named. */
export function selectEnvironments(platform: Platform, names: readonly string[]): Environment[] {
  const known = platform.environments.map((e) => e.name);
  for (const name of names) {
    if (!known.includes(name)) {
      throw new UsageError(`unknown environment "${name}" in --env; fix: use one of ${known.join(', ')}`);
    }
  }
  return names.length === 0 ? [...platform.environments] : platform.environments.filter((e) => names.includes(e.name));
}
