/** One file the synth produces, held in memory until the whole output is known to be good. */
export interface OutputFile {
  /** POSIX path relative to the output root. */
  readonly path: string;
  readonly content: string;
  /**
   * What the file belongs to: an environment name, or a shared scope such as `terraform`. `--env`
   * selects scopes, and pruning only ever looks inside the selected ones.
   */
  readonly scope: string;
}

/** Scopes that are not environments and are always synthesized. */
export const SHARED_SCOPES = { terraform: 'terraform', argocd: 'argocd' } as const;

/** Where each plane writes, relative to the output root. */
export const layout = {
  terraformStack: (stack: string): string => `terraform/${stack}/main.tf.json`,
  environmentDir: (env: string): string => `kubernetes/${env}`,
  clusterDir: (cluster: string): string => `kubernetes/clusters/${cluster}`,
  argocdDir: (): string => 'kubernetes/argocd',
  bootstrapDir: (): string => 'kubernetes/bootstrap',
  index: (): string => 'platform-index.json',
} as const;
