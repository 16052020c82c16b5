/** An input of a request to the tool. Each front end names it its own way; the CLI as a flag. */
export type RequestInput = 'against' | 'againstRef' | 'app' | 'digest' | 'env' | 'force' | 'from' | 'gitops' | 'push' | 'reason' | 'step' | 'to';

const PLACEHOLDER = /\{(against|againstRef|app|digest|env|force|from|gitops|push|reason|step|to)\}/g;

/**
 * A refused request, as one line with its fix. The library does not know how its caller spells an
 * input: the text names each as `{input}` (`{to}`, `{app}`), and the front end renders them, the
 * CLI as `--to` and `--app`. The plain message spells them as `to`, `app`.
 */
export class RequestError extends Error {
  constructor(public readonly template: string) {
    super(renderRequest(template, (input) => `\`${input}\``));
    this.name = 'RequestError';
  }

  /** The message with each input named by `name`. */
  public render(name: (input: RequestInput) => string): string {
    return renderRequest(this.template, name);
  }
}

function renderRequest(template: string, name: (input: RequestInput) => string): string {
  return template.replace(PLACEHOLDER, (_, input: RequestInput) => name(input)).replace(/\s*\n\s*/g, ' ');
}
