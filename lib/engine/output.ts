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
