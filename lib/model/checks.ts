import { ConfigError } from './config-error';

/** Names the app and environment a group of checks is about, so each check only names its field. */
export interface CheckScope {
  readonly app?: string;
  readonly env?: string;
}

/** Small assertion helpers that throw a one-line {@link ConfigError}. */
export class Checks {
  constructor(private readonly scope: CheckScope = {}) {}

  /** A new set of checks for a narrower scope (an environment of the same app, say). */
  public within(scope: CheckScope): Checks {
    return new Checks({ ...this.scope, ...scope });
  }

  public fail(field: string, value: unknown, problem: string, fix: string): never {
    throw new ConfigError({ ...this.scope, field, value, problem, fix });
  }

  /** An assertion: after it, TypeScript knows `condition` holds, so callers need no cast. */
  public require(condition: boolean, field: string, value: unknown, problem: string, fix: string): asserts condition {
    if (!condition) this.fail(field, value, problem, fix);
  }

  /** An integer in [min, max]. */
  public intInRange(field: string, value: number, min: number, max: number, fix?: string): void {
    this.require(
      Number.isInteger(value) && value >= min && value <= max,
      field,
      value,
      `is not an integer from ${min} to ${max}`,
      fix ?? `set ${field} to an integer from ${min} to ${max}`,
    );
  }

  /** A lower-case DNS-1123 label, as Kubernetes requires for most names. */
  public dnsLabel(field: string, value: string, maxLength = 63): void {
    this.require(
      /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(value) && value.length <= maxLength,
      field,
      value,
      `is not a DNS label (lower-case letters, digits and '-', starting with a letter, at most ${maxLength} characters)`,
      `rename it, for example "${suggestLabel(value, maxLength)}"`,
    );
  }

  /** An assertion: after it, TypeScript knows `value` is one of `allowed`. */
  public oneOf<T extends string>(field: string, value: string, allowed: readonly T[]): asserts value is T {
    this.require(
      (allowed as readonly string[]).includes(value),
      field,
      value,
      'is not known',
      `use one of ${allowed.join(', ')}`,
    );
  }

  /** Names in a list must be unique. */
  public unique(field: string, values: readonly string[]): void {
    const seen = new Set<string>();
    for (const value of values) {
      this.require(!seen.has(value), field, value, 'appears twice', 'give each entry its own name');
      seen.add(value);
    }
  }
}

function suggestLabel(value: string, maxLength: number): string {
  const cleaned = value
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, maxLength);
  return cleaned === '' ? 'my-app' : cleaned;
}
