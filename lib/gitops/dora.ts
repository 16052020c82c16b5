import { envEvents, type ReleaseEvent } from './release-history';

/*
 * The four DORA figures of one production environment, from the history of the releases file
 * (release-history.ts). Pure: events and a window in, figures out. Definitions:
 *
 * - A deployment is a commit of releases.json that changes the production environment's release
 *   (a tag, digest or config version of an app; not a canary weight alone) and records provenance
 *   `release`, `promote` or `rollback`. Hand edits and seeds (no new provenance) are not counted.
 *   A deployment is in the window when its commit time t satisfies from <= t <= until.
 * - Deployment frequency: the deployments in the window, and that count ÷ (window length in days ÷ 7).
 * - Lead time for changes: for each `release` or `promote` deployment in the window whose
 *   provenance has a `tagTime`, the commit time minus the tag time. Rollbacks bring no new change and
 *   are left out. Reported as the median and the 90th percentile. A tag time after the commit time
 *   (a hand edit, or PLATFORM_RELEASE_TAG_TIME set wrong) is no lead time: it is left out, with a note.
 * - Change failure rate: (rollbacks + forced promotions, those with a `reason`) ÷ deployments, in the
 *   window; undefined with no deployment.
 * - Time to restore: for each rollback in the window, its commit time minus the commit time of the
 *   deployment it replaced (the production deployment just before it, which may lie before the
 *   window). Reported as the median.
 *
 * Median: the middle value, or the mean of the two middle values. p90: nearest rank, the value at
 * position ceil(0.9 × n) of the ascending list.
 * DORA's own definitions: https://dora.dev/guides/dora-metrics-four-keys/
 */

/** The time window the figures count, as ISO times. */
export interface DoraWindow {
  readonly from: string;
  readonly until: string;
}

/** A median and a 90th percentile of durations, in seconds, and how many samples they come from. */
export interface DurationStats {
  readonly samples: number;
  readonly medianSeconds?: number;
  readonly p90Seconds?: number;
}

export interface DoraReport {
  readonly production: string;
  readonly window: DoraWindow & { readonly days: number };
  readonly deployments: { readonly count: number; readonly perWeek: number; readonly commits: readonly string[] };
  readonly leadTime: DurationStats;
  readonly changeFailureRate: { readonly failures: number; readonly rollbacks: number; readonly forced: number; readonly rate?: number };
  readonly timeToRestore: DurationStats;
  /** One line per deployment left out of a figure: its commit and why. */
  readonly notes: readonly string[];
}

const DEPLOY_ACTIONS: readonly string[] = ['release', 'promote', 'rollback'];

/** The production deployments of the whole history, oldest first (see the definitions above). */
export function productionDeployments(events: readonly ReleaseEvent[], production: string): ReleaseEvent[] {
  return envEvents(events, production).filter((e) => e.releaseChanged && DEPLOY_ACTIONS.includes(e.action));
}

/** The DORA figures of `production` over `window`, from every event of the history. */
export function doraReport(events: readonly ReleaseEvent[], production: string, window: DoraWindow): DoraReport {
  const from = Date.parse(window.from);
  const until = Date.parse(window.until);
  const all = productionDeployments(events, production);
  const inWindow = (e: ReleaseEvent): boolean => {
    const t = Date.parse(e.time);
    return t >= from && t <= until;
  };
  const deploys = all.filter(inWindow);
  const days = (until - from) / 86_400_000;
  const seconds = (later: string, earlier: string): number => (Date.parse(later) - Date.parse(earlier)) / 1000;

  const notes: string[] = [];
  const leadTimes = deploys
    .filter((e) => e.action !== 'rollback' && e.tagTime !== undefined)
    .flatMap((e) => {
      const lead = seconds(e.time, e.tagTime as string);
      if (lead >= 0) return [lead];
      notes.push(`${e.commit.slice(0, 12)}: the tag ${e.tag} was made at ${e.tagTime as string}, after this deployment at ${e.time}; left out of the lead time`);
      return [];
    });
  const rollbacks = deploys.filter((e) => e.action === 'rollback');
  const forced = deploys.filter((e) => e.action === 'promote' && e.reason !== undefined);
  const restores = rollbacks.flatMap((e) => {
    const replaced = all[all.indexOf(e) - 1];
    return replaced === undefined ? [] : [seconds(e.time, replaced.time)];
  });
  const failures = rollbacks.length + forced.length;
  return {
    production,
    window: { ...window, days },
    deployments: {
      count: deploys.length,
      // Rounded to 0.01, as people read it: JSON then carries no float noise (0.7000000000000001).
      perWeek: days > 0 ? Math.round((deploys.length / (days / 7)) * 100) / 100 : 0,
      commits: deploys.map((e) => e.commit),
    },
    leadTime: { samples: leadTimes.length, medianSeconds: median(leadTimes), p90Seconds: percentile(leadTimes, 90) },
    changeFailureRate: { failures, rollbacks: rollbacks.length, forced: forced.length, rate: deploys.length === 0 ? undefined : failures / deploys.length },
    timeToRestore: { samples: restores.length, medianSeconds: median(restores), p90Seconds: percentile(restores, 90) },
    notes,
  };
}

/** The middle value, or the mean of the two middle values; undefined for no values. */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The nearest-rank percentile: the value at position ceil(p/100 × n) of the ascending list. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}
