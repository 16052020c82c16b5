// Entry point for the cdk8s CLI (`npx cdk8s synth`, see cdk8s.yaml): the Kubernetes plane of the
// sample platform, written into the directory the CLI names in CDK8S_OUTDIR through the same
// safe writer as `npm run synth`.
import { samplePlatform } from '../apps/platform';
import { sourceCommit } from './source-commit';
import { formatSummary } from '../lib/pipeline/summary';
import { runSynth } from '../lib/pipeline/synth-output';
import * as path from 'node:path';

const outDir = process.env.CDK8S_OUTDIR ?? 'dist';
const result = runSynth({
  platform: samplePlatform(),
  outDir,
  envs: [],
  planes: ['kubernetes'],
  sourceCommit: sourceCommit(path.resolve(__dirname, '..')),
});
for (const line of formatSummary(result, outDir)) process.stdout.write(`${line}\n`);
