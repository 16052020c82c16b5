import { RequestError } from '../model/request-error';

/**
 * A refused or failed release or promotion: the CLI prints it as one line and exits 2. Inputs of
 * the request are named as `{input}` (see RequestError).
 */
export class GitOpsError extends RequestError {
  constructor(template: string) {
    super(template);
    this.name = 'GitOpsError';
  }
}
