// The DORA figures of a generated GitOps history: a real git repository whose commits carry fixed
// dates and hand-written releases.json versions (history-fixtures.ts), counted by hand there.
import { formatDuration, runDora } from '../../cli/dora-command';
import { doraReport, median, percentile } from '../../lib/gitops/dora';
import { readReleaseHistory, releaseEvents } from '../../lib/gitops/release-history';
import { definePlatform } from '../../lib/model/platform';
import { cliMessage } from '../helpers';
import { platformConfig } from '../fixtures/shop/platform';
import { removeTempDirs } from './fixtures';
import { doraVersions, historyRepo } from './history-fixtures';

afterAll(removeTempDirs);

const HOUR = 3600;
let dir: string;
let commits: string[];
beforeAll(() => {
  ({ dir, commits } = historyRepo(doraVersions()));
});

const production = definePlatform(platformConfig).production.name;
const dora = (args: Record<string, string>): Record<string, unknown> & ReturnType<typeof doraReport> =>
  JSON.parse(runDora({ gitops: dir, config: platformConfig, format: 'json', ...args })) as Record<string, unknown> & ReturnType<typeof doraReport>;

test('a week: 4 deployments, lead time 17h/22h, half of them failed, restored in a median 20h', () => {
  const report = dora({ from: '2024-05-04T00:00:00Z', until: '2024-05-11T00:00:00Z' });
  expect(report.production).toBe(production);
  expect(report.deployments.count).toBe(4);
  expect(report.deployments.commits).toEqual([commits[4], commits[5], commits[7], commits[9]]);
  expect(report.deployments.perWeek).toBe(4);
  expect(report.leadTime).toEqual({ samples: 2, medianSeconds: 17 * HOUR, p90Seconds: 22 * HOUR });
  expect(report.changeFailureRate).toEqual({ failures: 2, rollbacks: 2, forced: 0, rate: 0.5 });
  expect(report.timeToRestore).toEqual({ samples: 2, medianSeconds: 20 * HOUR, p90Seconds: 36 * HOUR });
});

test('the whole history: the forced promotion counts as a failure', () => {
  const report = dora({ from: '2024-05-01T00:00:00Z', until: '2024-05-11T00:00:00Z' });
  expect(report.deployments.count).toBe(5);
  expect(report.deployments.perWeek).toBe(3.5);
  expect(report.leadTime).toEqual({ samples: 3, medianSeconds: 22 * HOUR, p90Seconds: 26 * HOUR });
  expect(report.changeFailureRate).toEqual({ failures: 3, rollbacks: 2, forced: 1, rate: 0.6 });
});

test('--since counts back from --until; the damaged version is a note', () => {
  const report = dora({ since: '7d', until: '2024-05-11T00:00:00Z' });
  expect(report.window.from).toBe('2024-05-04T00:00:00.000Z');
  expect(report.deployments.count).toBe(4);
  expect(report.notes).toEqual([expect.stringMatching(new RegExp(`^${commits[8].slice(0, 12)}: .*cannot be read as JSON.*; skipped$`))]);
});

test('a window with no deployment has no rate', () => {
  const report = dora({ from: '2024-06-01T00:00:00Z', until: '2024-06-08T00:00:00Z' });
  expect(report.deployments.count).toBe(0);
  expect(report.changeFailureRate.rate).toBeUndefined();
  expect(report.leadTime).toEqual({ samples: 0 });
});

test('the text names the four figures', () => {
  const text = runDora({ gitops: dir, config: platformConfig, from: '2024-05-04T00:00:00Z', until: '2024-05-11T00:00:00Z' });
  expect(text.split('\n')).toEqual([
    `production: ${production}, 2024-05-04T00:00:00Z to 2024-05-11T00:00:00Z (7 days)`,
    'deployment frequency: 4 deployments, 4.00 per week',
    'lead time for changes: median 17h, p90 22h (2 samples)',
    'change failure rate: 50.0% (2 rollbacks + 0 forced promotions of 4 deployments)',
    'time to restore: median 20h (2 rollbacks)',
    expect.stringMatching(/^note: /),
    '',
  ]);
});

test('bad windows are refused with their fix', () => {
  const run = (args: Record<string, string>) => () => runDora({ gitops: dir, config: platformConfig, ...args });
  expect(cliMessage(run({ since: '7x' }))).toBe('--since "7x" is no duration; fix: pass a count of hours, days or weeks, such as 30d, 4w or 12h');
  expect(cliMessage(run({ since: '7d', from: '2024-05-01T00:00:00Z' }))).toBe('--since and --from both set the start of the window; fix: pass only one');
  expect(cliMessage(run({ from: 'yesterday' }))).toMatch(/^--from "yesterday" is not an ISO 8601 time; fix: /);
});

test('median and p90 as documented', () => {
  expect(median([3, 1, 2])).toBe(2);
  expect(median([4, 1, 2, 3])).toBe(2.5);
  expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
  expect(percentile([5], 90)).toBe(5);
  expect(median([])).toBeUndefined();
});

test('the production environment is the platform\'s, not a name', () => {
  const events = releaseEvents(readReleaseHistory(dir).versions);
  // Counted for dev instead: its two releases (the seed of init is none).
  expect(doraReport(events, 'dev', { from: '2024-05-01T00:00:00Z', until: '2024-05-11T00:00:00Z' }).deployments.count).toBe(2);
});

test('a tag made after its deployment (a hand edit, a wrong PLATFORM_RELEASE_TAG_TIME) is no lead time: left out, with a note', () => {
  const future = '2030-01-01T00:00:00Z';
  const events = releaseEvents(readReleaseHistory(dir).versions).map((e) => (e.commit === commits[4] && e.env === production ? { ...e, tagTime: future } : e));
  const report = doraReport(events, production, { from: '2024-05-04T00:00:00Z', until: '2024-05-11T00:00:00Z' });
  expect(report.leadTime).toEqual({ samples: 1, medianSeconds: 12 * HOUR, p90Seconds: 12 * HOUR });
  expect(report.notes).toEqual([`${commits[4].slice(0, 12)}: the tag v1.2.0 was made at ${future}, after this deployment at 2024-05-05T06:00:00+02:00; left out of the lead time`]);
});

test('durations read as days, hours and minutes, and seconds under a minute', () => {
  expect([formatDuration(6.5), formatDuration(59), formatDuration(90), formatDuration(17 * HOUR), formatDuration(26 * HOUR + 60), formatDuration(undefined)]).toEqual(['7s', '59s', '2m', '17h', '1d 2h 1m', '-']);
});
