import { Duration } from 'cdk8s';
import { type AppLabels } from '../labels';
import { type MonitoredAppProps, requirePositive } from '../monitoring/monitored-app';
import { escapeRegex, type HttpMetricNames, httpMetrics, type LabelMatcher, promDuration, promLabelName, promNumber, series, Severity, SLO_LABEL } from '../monitoring/promql';

const DAY_MS = 86_400_000;
const MIN_WINDOW_DAYS = 7;
const MAX_WINDOW_DAYS = 90;

/** A latency objective: the share of requests answered faster than a threshold. */
export interface LatencyObjective {
  /** The share of requests faster than `threshold`, strictly between 0 and 1, like 0.99. */
  readonly objective: number;
  /**
   * The request duration. It must be a bucket bound of the app's duration histogram: the SLI
   * reads the count of that one bucket.
   */
  readonly threshold: Duration;
}

/**
 * Props shared by the SLO constructs. The SLIs cover every pod of the app in the namespace,
 * whatever its track: stable and canary pods serve the same users.
 * @see https://sre.google/workbook/alerting-on-slos/
 */
export interface AppSloProps extends MonitoredAppProps {
  /** Share of requests answered without a 5xx status over the window, strictly between 0 and 1, e.g. 0.999. */
  readonly availability: number;
  /** @default - no latency objective */
  readonly latency?: LatencyObjective;
  /**
   * The window the objectives hold over, a whole number of days from 7 to 90. Prometheus must
   * keep at least this much history.
   * @default Duration.days(30)
   */
  readonly window?: Duration;
  /** @default - the defaults of HttpMetricNames */
  readonly metrics?: HttpMetricNames;
}

/** What an SLI measures: the value of the `slo` label of its series and alerts. */
export enum SloIndicator {
  AVAILABILITY = 'availability',
  LATENCY = 'latency',
}

/**
 * One condition of a multi-window, multi-burn-rate alert: both windows spend the error budget
 * fast enough to use `budgetShare` of it within `longWindow`. The short window, 1/12 of the long,
 * ends the alert soon after the burning stops.
 */
export interface BurnRateCondition {
  readonly longWindow: Duration;
  readonly shortWindow: Duration;
  readonly budgetShare: number;
  readonly severity: Severity;
}

/** The conditions of the Google SRE workbook, chapter 5: fast burns page, slow burns warn. */
export const BURN_RATE_CONDITIONS: readonly BurnRateCondition[] = [
  { longWindow: Duration.hours(1), shortWindow: Duration.minutes(5), budgetShare: 0.02, severity: Severity.CRITICAL },
  { longWindow: Duration.hours(6), shortWindow: Duration.minutes(30), budgetShare: 0.05, severity: Severity.CRITICAL },
  { longWindow: Duration.days(1), shortWindow: Duration.hours(2), budgetShare: 0.1, severity: Severity.WARNING },
  { longWindow: Duration.days(3), shortWindow: Duration.hours(6), budgetShare: 0.1, severity: Severity.WARNING },
];

/**
 * How many times faster than the budget allows an SLI burns when it spends `budgetShare` of the
 * budget of `window` within `longWindow`: 14.4, 6, 3 and 1 for a 30 d window, and at least 1.
 */
export function burnRateFactor(window: Duration, condition: BurnRateCondition): number {
  // Never below 1: a slower burn stays within the objective and is no reason to alert.
  return Math.max(1, condition.budgetShare * (window.toMilliseconds() / condition.longWindow.toMilliseconds()));
}

/** The windows each SLI's error ratio is recorded over: every window of the burn-rate conditions, shortest first. */
export const SLI_ERROR_RATIO_WINDOWS: readonly Duration[] = [
  ...new Map(BURN_RATE_CONDITIONS.flatMap((c) => [c.shortWindow, c.longWindow]).map((w) => [w.toMilliseconds(), w])).values(),
].sort((a, b) => a.toMilliseconds() - b.toMilliseconds());

/** The shortest recorded window (5m): the whole-window ratio is averaged from its series. */
export const SLI_BASE_WINDOW: Duration = SLI_ERROR_RATIO_WINDOWS[0];

/** The recorded share of bad requests of an SLI over one window, like `slo:sli_error:ratio_rate5m`. */
export function sliErrorRatioRecord(window: Duration): string {
  return `slo:sli_error:ratio_rate${sloDuration(window)}`;
}

/** Recorded: the share of bad requests over the whole SLO window, averaged from the 5m ratio. */
export const SLI_ERROR_RATIO_PERIOD = 'slo:sli_error:ratio_period';

/** Recorded: the share of the window's error budget left; 1 untouched, 0 spent, below 0 overspent. */
export const ERROR_BUDGET_REMAINING = 'slo:error_budget_remaining:ratio';

/** The labels SLO series are summed by: the namespace and the app, across its instances and tracks. */
export const SLO_GROUPING = ['namespace', promLabelName('app.kubernetes.io/name')] as const;

/** Selects every series of an app in its namespace, stable and canary alike, by its name label. */
export function sloMatchers(labels: AppLabels, namespace: string): LabelMatcher[] {
  return [
    { label: 'namespace', op: '=', value: namespace },
    { label: promLabelName('app.kubernetes.io/name'), op: '=', value: labels.app },
  ];
}

/** A recorded SLO series of an app, of one SLI or (without `indicator`) of all of them. */
export function sloSeries(record: string, labels: AppLabels, namespace: string, indicator?: SloIndicator): string {
  const slo: LabelMatcher[] = indicator === undefined ? [] : [{ label: SLO_LABEL, op: '=', value: indicator }];
  return series(record, [...sloMatchers(labels, namespace), ...slo]);
}

/** A duration as Prometheus reads it, in days when whole: `30d`, `1d`, `6h`, `5m`. */
export function sloDuration(duration: Duration): string {
  const ms = duration.toMilliseconds();
  return ms > 0 && ms % DAY_MS === 0 ? `${ms / DAY_MS}d` : promDuration(duration);
}

/** One SLI of an app with its objective, checked. */
export interface AppSli {
  readonly indicator: SloIndicator;
  /** The share of good requests the SLO promises. */
  readonly objective: number;
  /** What a good request is, for alert texts: `answered without a 5xx status`. */
  readonly good: string;
  /**
   * PromQL of the share of bad requests over a range (`5m`, `$__rate_interval`), summed by the
   * given labels. NaN when there was no request.
   */
  errorRatio(range: string, matchers: readonly LabelMatcher[], by: readonly string[]): string;
}

/** {@link AppSloProps} with every default applied and every value checked. */
export interface AppSloSpec {
  readonly window: Duration;
  readonly metrics: Required<HttpMetricNames>;
  readonly availability: AppSli;
  /** Every SLI of the app: availability, then latency when it has a latency objective. */
  readonly slis: readonly AppSli[];
}

/** Applies the defaults of {@link AppSloProps} and checks them. */
export function appSloSpec(props: AppSloProps): AppSloSpec {
  const window = props.window ?? Duration.days(30);
  checkObjective(props.name, 'availability', props.availability, 0.999);
  const days = window.toMilliseconds() / DAY_MS;
  if (!(Number.isInteger(days) && days >= MIN_WINDOW_DAYS && days <= MAX_WINDOW_DAYS)) {
    throw new Error(
      `${props.name}: window (${sloDuration(window)}) must be a whole number of days from ${MIN_WINDOW_DAYS} to ${MAX_WINDOW_DAYS}, as the burn-rate alerts look back as far as 3d; fix: give Duration.days(n), like Duration.days(30)`,
    );
  }
  const metrics = httpMetrics(props.name, props.metrics);
  const availability = availabilitySli(props.availability, metrics);
  const slis: AppSli[] = [availability];
  if (props.latency !== undefined) {
    checkObjective(props.name, 'latency.objective', props.latency.objective, 0.99);
    requirePositive(props.name, 'latency.threshold', props.latency.threshold);
    slis.push(latencySli(props.name, props.latency, metrics));
  }
  return { window, metrics, availability, slis };
}

function checkObjective(owner: string, field: string, value: number, example: number): void {
  if (!(value > 0 && value < 1)) {
    throw new Error(`${owner}: ${field} (${value}) must be strictly between 0 and 1; fix: give a share of requests, like ${example} for ${promNumber(example * 100)}%`);
  }
}

function availabilitySli(objective: number, metrics: Required<HttpMetricNames>): AppSli {
  return {
    indicator: SloIndicator.AVAILABILITY,
    objective,
    good: 'answered without a 5xx status',
    errorRatio: (range, matchers, by) => {
      const sum = `sum by (${by.join(', ')})`;
      const all = `rate(${series(metrics.requestsTotal, matchers)}[${range}])`;
      const errors = `rate(${series(metrics.requestsTotal, [...matchers, { label: metrics.statusCodeLabel, op: '=~', value: '5..' }])}[${range}])`;
      // The 5xx series exist only after the first 5xx; until then the ratio is 0, not absent.
      return [`(`, `  ${sum} (${errors})`, '  or', `  0 * ${sum} (${all})`, ')', '/', `${sum} (${all})`].join('\n');
    },
  };
}

function latencySli(owner: string, latency: LatencyObjective, metrics: Required<HttpMetricNames>): AppSli {
  const seconds = promNumber(latency.threshold.toMilliseconds() / 1000);
  const count = histogramCount(owner, metrics.durationBucket);
  return {
    indicator: SloIndicator.LATENCY,
    objective: latency.objective,
    good: `faster than ${seconds}s`,
    errorRatio: (range, matchers, by) => {
      const sum = `sum by (${by.join(', ')})`;
      const fast = `rate(${series(metrics.durationBucket, [...matchers, bucketBound(seconds)])}[${range}])`;
      const all = `rate(${series(count, matchers)}[${range}])`;
      return ['1 - (', `  ${sum} (${fast})`, '  /', `  ${sum} (${all})`, ')'].join('\n');
    },
  };
}

/** The `_count` series of a histogram, named after its `_bucket` series. */
function histogramCount(owner: string, bucket: string): string {
  if (!bucket.endsWith('_bucket') || bucket === '_bucket') {
    throw new Error(`${owner}: metrics.durationBucket "${bucket}" does not end in "_bucket", so its _count series is unknown; fix: name the histogram's bucket series, like "http_request_duration_seconds_bucket"`);
  }
  return `${bucket.slice(0, -'_bucket'.length)}_count`;
}

/** Matches a bucket bound however the client prints it: 1 as "1" or "1.0", 0.3 as "0.3" or "0.30". */
function bucketBound(seconds: string): LabelMatcher {
  const value = seconds.includes('.') ? `${escapeRegex(seconds)}0*` : `${escapeRegex(seconds)}(\\.0+)?`;
  return { label: 'le', op: '=~', value };
}
