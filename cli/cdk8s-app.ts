// Entry point for the cdk8s CLI (`npx cdk8s synth`, see cdk8s.yaml): the Kubernetes plane of the
// sample platform as one multi-document stream, `platform.k8s.yaml`, in the directory the CLI names
// in CDK8S_OUTDIR. One file, because `cdk8s synth --stdout` prints every file it finds with no
// separator between them (and concurrently); within the file each object follows a `---`.
// `platform-as-code synth` is the usual way in: it writes the GitOps layout and both planes. The CLI
// empties its output directory first, so cdk8s.yaml points it at cdk8s.out/, never at dist/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { samplePlatform } from '../apps/platform';
import { synthPlatform } from '../lib/pipeline/synth';
import { kubernetesStream } from '../lib/pipeline/kubernetes-stream';
import { exitWith } from './exit';
import { UsageError } from './errors';

/** The one file the cdk8s CLI finds and prints. */
export const STREAM_FILE = 'platform.k8s.yaml';

async function main(): Promise<number> {
  const outDir = process.env.CDK8S_OUTDIR;
  if (outDir === undefined || outDir === '') {
    throw new UsageError('CDK8S_OUTDIR is not set: this entry point is for the cdk8s CLI; fix: run npx cdk8s synth, or platform-as-code synth');
  }
  const output = synthPlatform(samplePlatform(), [], ['kubernetes']);
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, STREAM_FILE), kubernetesStream(output.files));
  return 0;
}

exitWith(main());
