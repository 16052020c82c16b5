/** Where in the config a bad value sits. Every field is optional except the field name itself. */
export interface ConfigErrorDetails {
  /** The application, when the value belongs to one. */
  readonly app?: string;
  /** The environment, when the value belongs to one. */
  readonly env?: string;
  /** The config field, as a path (`ports[0].port`). */
  readonly field: string;
  /** The value that was rejected. */
  readonly value: unknown;
  /** What is wrong with it, without the fix. */
  readonly problem: string;
  /** What the user should change. */
  readonly fix: string;
}

/**
 * A rejected config value. The message is one line naming the app, the environment, the field,
 * the value and the fix, so CI logs and terminals show the whole story at once.
 */
export class ConfigError extends Error {
  public readonly details: ConfigErrorDetails;

  constructor(details: ConfigErrorDetails) {
    super(formatConfigError(details));
    this.name = 'ConfigError';
    this.details = details;
  }
}

export function formatConfigError(d: ConfigErrorDetails): string {
  const where = [
    d.app === undefined ? undefined : `app "${d.app}"`,
    d.env === undefined ? undefined : `env "${d.env}"`,
    `field "${d.field}"`,
  ].filter((part): part is string => part !== undefined);
  const line = `config error: ${where.join(', ')}: value ${renderValue(d.value)} ${d.problem}; fix: ${d.fix}`;
  return line.replace(/\s*\n\s*/g, ' ');
}

function renderValue(value: unknown): string {
  if (value === undefined) return '(unset)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
