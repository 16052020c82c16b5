/** A refused or failed release or promotion: the CLI prints it as one line and exits 2. */
export class GitOpsError extends Error {
  constructor(message: string) {
    super(message.replace(/\s*\n\s*/g, ' '));
    this.name = 'GitOpsError';
  }
}
