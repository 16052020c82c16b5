import * as fs from 'node:fs';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { renderChart } from '../engine/kubernetes';
import { type OutputFile } from '../engine/output';
import { clusterScope, SHARED_SCOPES } from '../model/output-layout';
import { argocdCharts, clusterCharts, environmentCharts } from '../k8s/platform-charts';
import { addonCharts } from '../k8s/addons/addon-charts';
import { type Platform } from '../model/platform';
import { type Environment } from '../model/environment';
import { SelectionError } from './selection-error';

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
   * A worker thread that synthesizes the Terraform plane of the same platform on the second core
   * while this thread renders the Kubernetes plane: its script, which answers with
   * {@link answerTerraformJob}, and the data it builds the platform from (a worker cannot receive
   * the Platform itself, which holds class instances). Used when the script exists.
   * @default - both planes on this thread
   */
  readonly worker?: TerraformWorker;
}

export interface TerraformWorker {
  readonly script: string;
  readonly data: unknown;
}

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
  const pending = terraform && options.worker ? startTerraformWorker(options.worker) : undefined;
  const files: OutputFile[] = [];
  const scopes: string[] = [];
  if (planes.includes('kubernetes')) {
    const charts = [
      ...argocdCharts(platform, selected),
      ...clusterCharts(platform),
      ...addonCharts(platform),
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

/** What the worker thread receives. */
interface TerraformJob {
  readonly data: unknown;
  readonly port: MessagePort;
  readonly done: Int32Array;
}

/**
 * Starts the Terraform plane on a worker thread and returns the wait for its files. The wait is
 * synchronous (Atomics.wait), so synthPlatform stays a plain function for every caller.
 */
function startTerraformWorker({ script, data }: TerraformWorker): (() => OutputFile[]) | undefined {
  if (!fs.existsSync(script)) return undefined;
  const done = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const job: TerraformJob = { data, port: port2, done };
  const worker = new Worker(script, { workerData: job, transferList: [port2] });
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
      throw new SelectionError('environment', name, known);
    }
  }
  return names.length === 0 ? [...platform.environments] : platform.environments.filter((e) => names.includes(e.name));
}

/**
 * The worker thread's side: builds the platform from the job's data, synthesizes the Terraform
 * plane and answers. It always answers, with files or an error, so the main thread's wait ends.
 */
export function answerTerraformJob(job: TerraformJob, build: (data: unknown) => Platform): void {
  let reply: { files?: OutputFile[]; error?: string };
  try {
    // Required here rather than imported, so a failure to load cdktf is answered too.
    const { terraformFiles } = require('./terraform-files') as typeof import('./terraform-files');
    reply = { files: terraformFiles(build(job.data)) };
  } catch (error) {
    reply = { error: error instanceof Error ? error.message : String(error) };
  }
  job.port.postMessage(reply);
  Atomics.store(job.done, 0, 1);
  Atomics.notify(job.done, 0);
}
