// The worker thread that synthesizes the Terraform plane while the main thread renders the
// Kubernetes plane (see synthPlatform in lib/pipeline/synth.ts).
import { workerData } from 'node:worker_threads';
import { answerTerraformJob } from '../lib/pipeline/synth';
import { buildPlatform, type PlatformSource } from './platform-source';

answerTerraformJob(workerData, (data) => buildPlatform(data as PlatformSource));
