import { platformConfig } from '../apps/platform';
import { doraReport, type DurationStats } from '../lib/gitops/dora';
import { definePlatform } from '../lib/model/platform';
import { ISO_TIME } from '../lib/model/releases';
import { UsageError } from './errors';
import { gitopsHistory, type ReadOptions, reportFormat } from './history-command';

export interface DoraOptions extends ReadOptions {
  /** A window ending at `until`: `30d`, `4w` or `12h`. @default 30d */
  readonly since?: string;
  /** The start of the window, ISO 8601 (instead of `since`). */
  readonly from?: string;
  /** The end of the window, ISO 8601. @default - now */
  readonly until?: string;
  /** The time `until` defaults to. @default - the clock */
  readonly now?: () => Date;
}

const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** The window of a dora run, as ISO times. */
function doraWindow(options: DoraOptions): { from: string; until: string } {
  const iso = (flag: string, value: string): string => {
    if (!ISO_TIME.test(value)) throw new UsageError(`${flag} "${value}" is not an ISO 8601 time; fix: pass a time with a zone, such as 2024-05-01T00:00:00Z`);
    return value;
  };
  if (options.since !== undefined && options.from !== undefined) throw new UsageError('--since and --from both set the start of the window; fix: pass only one');
  const until = options.until === undefined ? (options.now?.() ?? new Date()).toISOString() : iso('--until', options.until);
  if (options.from !== undefined) {
    const from = iso('--from', options.from);
    if (Date.parse(from) >= Date.parse(until)) throw new UsageError(`--from ${from} is not before --until ${until}; fix: pass an earlier --from`);
    return { from, until };
  }
  const since = options.since ?? '30d';
  const match = /^([1-9]\d*)([hdw])$/.exec(since);
  if (match === null) throw new UsageError(`--since "${since}" is no duration; fix: pass a count of hours, days or weeks, such as 30d, 4w or 12h`);
  return { from: new Date(Date.parse(until) - Number(match[1]) * UNIT_MS[match[2]]).toISOString(), until };
}

/** A duration for people: days, hours and minutes; seconds under a minute (a restore in 6 s is no `0m`). */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined) return '-';
  if (seconds < 59.5) return `${Math.round(seconds)}s`;
  const minutes = Math.round(seconds / 60);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return [d > 0 ? `${d}d` : '', h > 0 ? `${h}h` : '', m > 0 || (d === 0 && h === 0) ? `${m}m` : ''].filter((s) => s !== '').join(' ');
}

const stats = (s: DurationStats): string => (s.samples === 0 ? 'no samples' : `median ${formatDuration(s.medianSeconds)}, p90 ${formatDuration(s.p90Seconds)} (${s.samples} samples)`);

/**
 * `dora --gitops DIR [--since 30d | --from ISO] [--until ISO]`: the four DORA figures of the
 * production environment, from the commits of releases.json (definitions in lib/gitops/dora.ts).
 */
export function runDora(options: DoraOptions): string {
  const config = options.config ?? platformConfig;
  const format = reportFormat(options.format);
  const window = doraWindow(options);
  const { history, events } = gitopsHistory(options.gitops, 'dora');
  const production = definePlatform(config).production.name;
  const report = doraReport(events, production, window);
  const notes = [...history.notes, ...report.notes];
  if (format === 'json') return `${JSON.stringify({ ...report, notes }, null, 2)}\n`;
  const cfr = report.changeFailureRate;
  const lines = [
    `production: ${production}, ${window.from} to ${window.until} (${Number(report.window.days.toFixed(2))} days)`,
    `deployment frequency: ${report.deployments.count} deployments, ${report.deployments.perWeek.toFixed(2)} per week`,
    `lead time for changes: ${stats(report.leadTime)}`,
    `change failure rate: ${cfr.rate === undefined ? '-' : `${(cfr.rate * 100).toFixed(1)}%`} (${cfr.rollbacks} rollbacks + ${cfr.forced} forced promotions of ${report.deployments.count} deployments)`,
    `time to restore: ${report.timeToRestore.samples === 0 ? 'no rollbacks' : `median ${formatDuration(report.timeToRestore.medianSeconds)} (${report.timeToRestore.samples} rollbacks)`}`,
    ...notes.map((n) => `note: ${n}`),
  ];
  return `${lines.join('\n')}\n`;
}
