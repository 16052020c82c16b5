/** A run stopped by SIGINT or SIGTERM: the CLI prints it as one line and exits 128 + the signal's number. */
export class Interrupted extends Error {
  constructor(
    public readonly signalName: 'SIGINT' | 'SIGTERM',
    message = `interrupted by ${signalName}`,
  ) {
    super(message);
    this.name = 'Interrupted';
  }

  public get exitCode(): number {
    return this.signalName === 'SIGINT' ? 130 : 143;
  }
}
