import { type OutputFile } from '../engine/output';

/**
 * The Kubernetes files of a synth as one YAML stream, as `kubectl apply -f -` and js-yaml's loadAll
 * read it: each object after a `---` line and a comment naming the file it is in the GitOps layout.
 * The files keep the synth's order, so the stream is deterministic.
 */
export function kubernetesStream(files: readonly OutputFile[]): string {
  return files
    .filter((f) => f.path.endsWith('.yaml'))
    .map((f) => `---\n# Source: ${f.path}\n${f.content.endsWith('\n') ? f.content : `${f.content}\n`}`)
    .join('');
}
