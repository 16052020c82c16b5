/**
 * A name the caller selected that the platform does not have: an environment, an app or a plane.
 * The CLI names the flag it came from; the message here says what is known.
 */
export class SelectionError extends Error {
  constructor(
    public readonly what: 'environment' | 'app' | 'plane',
    public readonly value: string,
    public readonly known: readonly string[],
  ) {
    super(`unknown ${what} "${value}"; fix: use one of ${known.join(', ')}`);
    this.name = 'SelectionError';
  }
}
