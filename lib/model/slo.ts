import { Duration } from 'cdk8s';
import { type Checks } from './checks';
import type { ExposureConfig, SloConfig } from './config';

/** An SLO with its defaults applied; objectives are shares, not percents. */
export interface Slo {
  /** Share of requests answered without a 5xx status: 0.999. */
  readonly availability: number;
  readonly latency?: { readonly objective: number; readonly threshold: Duration };
  readonly window: Duration;
}

/** What an app that serves HTTP promises when it states nothing. */
export const DEFAULT_SLO: SloConfig = { availability: 99.5 };
const DEFAULT_WINDOW_DAYS = 30;

/** Applies the defaults and rejects objectives outside (0, 100) and windows that are not 7 to 90 whole days. */
export function resolveSlo(config: SloConfig | undefined, exposure: ExposureConfig, checks: Checks): Slo | undefined {
  if (exposure.type === 'none') {
    checks.require(config === undefined, 'slo', 'set', 'is set, but the app serves no HTTP requests to measure (exposure "none")',
      'remove slo, or give the app an exposure');
    return undefined;
  }
  const slo = config ?? DEFAULT_SLO;
  const percent = (field: string, value: number): void =>
    checks.require(Number.isFinite(value) && value > 0 && value < 100, field, value, 'is not strictly between 0 and 100',
      'give a percent such as 99.9');
  percent('slo.availability', slo.availability);
  if (slo.latency) {
    percent('slo.latency.target', slo.latency.target);
    checks.require(slo.latency.threshold.toMilliseconds() > 0, 'slo.latency.threshold', `${slo.latency.threshold.toMilliseconds()}ms`,
      'is not longer than zero', 'give a bucket bound of the request duration histogram, such as Duration.millis(500)');
  }
  const window = slo.window ?? Duration.days(DEFAULT_WINDOW_DAYS);
  const days = window.toMilliseconds() / Duration.days(1).toMilliseconds();
  checks.require(Number.isInteger(days) && days >= 7 && days <= 90, 'slo.window', `${window.toMilliseconds()}ms`,
    'is not a whole number of days from 7 to 90 (the slow burn-rate alert looks back 3 days)', 'give a window such as Duration.days(30)');
  return {
    // Percent to share without float noise: 99.9 → 0.999.
    availability: share(slo.availability),
    latency: slo.latency ? { objective: share(slo.latency.target), threshold: slo.latency.threshold } : undefined,
    window,
  };
}

function share(percent: number): number {
  return Number((percent / 100).toPrecision(12));
}
