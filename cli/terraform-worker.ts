// The worker thread that synthesizes the Terraform plane while the main thread renders the
// Kubernetes plane (see synthPlatform). It always answers, with files or an error, so the main
// thread's synchronous wait ends.
import { MessagePort, workerData } from 'node:worker_threads';
import type { OutputFile } from '../lib/engine/output';
import type { PlatformSource } from './platform-source';

interface Job {
  readonly source: PlatformSource;
  readonly port: MessagePort;
  readonly done: Int32Array;
}

const job = workerData as Job;
let reply: { files?: OutputFile[]; error?: string };
try {
  // Required here rather than imported, so a failure to load them is answered too.
  const { buildPlatform } = require('./platform-source') as typeof import('./platform-source');
  const { terraformFiles } = require('./terraform-files') as typeof import('./terraform-files');
  reply = { files: terraformFiles(buildPlatform(job.source)) };
} catch (error) {
  reply = { error: error instanceof Error ? error.message : String(error) };
}
job.port.postMessage(reply);
Atomics.store(job.done, 0, 1);
Atomics.notify(job.done, 0);
