import { type Duration } from 'cdk8s';

/**
 * A duration as Go (and so Prometheus, External Secrets and Alertmanager) reads it, in its largest
 * whole unit: `1h`, `15m`, `30s`.
 */
export function goDuration(duration: Duration): string {
  const ms = duration.toMilliseconds();
  const units: readonly [string, number][] = [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
  ];
  for (const [unit, size] of units) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
