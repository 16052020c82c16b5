import { goDuration } from '../duration';
import { type AppLabels } from '../labels';

/**
 * The label Argo Rollouts puts on each pod: the hash of its ReplicaSet's pod template. It tells the
 * pods of a new version from the stable ones while both serve, so canary analysis selects by it.
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/specification/
 */
export const ROLLOUT_HASH_LABEL = 'rollouts-pod-template-hash';

/**
 * The pod labels that AppServiceMonitor and AppPodMonitor copy onto every series they scrape, so
 * queries can select an app by its own labels, and the pods of a release by their template hash.
 * Prometheus spells them with underscores (`app_kubernetes_io_instance`); a pod without one of
 * them (a Deployment's pods have no rollout hash) gets no such label.
 */
export const APP_TARGET_LABELS = ['app.kubernetes.io/name', 'app.kubernetes.io/instance', ROLLOUT_HASH_LABEL] as const;

/** The label an alert's severity is read from by Alertmanager routes. */
export const SEVERITY_LABEL = 'severity';

/** The label naming the SLO (`availability`, `latency`) an SLO series or alert is about. */
export const SLO_LABEL = 'slo';

/**
 * How urgent an alert is; {@link AlertRouting} pages on emergency and critical and posts the rest
 * to Slack. An emergency silences the critical alert and the warning it escalates.
 */
export enum Severity {
  EMERGENCY = 'emergency',
  CRITICAL = 'critical',
  WARNING = 'warning',
  INFO = 'info',
}

/** The names of an app's HTTP metrics, as its Prometheus client library exports them. */
export interface HttpMetricNames {
  /**
   * The request counter.
   * @default 'http_requests_total'
   */
  readonly requestsTotal?: string;
  /**
   * The label of the request counter holding the HTTP status code.
   * @default 'code'
   */
  readonly statusCodeLabel?: string;
  /**
   * The buckets of the request duration histogram, in seconds.
   * @default 'http_request_duration_seconds_bucket'
   */
  readonly durationBucket?: string;
}

/** {@link HttpMetricNames} with every default applied and every name checked. */
export function httpMetrics(owner: string, names: HttpMetricNames = {}): Required<HttpMetricNames> {
  const resolved = {
    requestsTotal: names.requestsTotal ?? 'http_requests_total',
    statusCodeLabel: names.statusCodeLabel ?? 'code',
    durationBucket: names.durationBucket ?? 'http_request_duration_seconds_bucket',
  };
  checkMetricName(owner, 'metrics.requestsTotal', resolved.requestsTotal);
  checkMetricName(owner, 'metrics.durationBucket', resolved.durationBucket);
  if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(resolved.statusCodeLabel) || resolved.statusCodeLabel.startsWith('__')) {
    throw new Error(`${owner}: metrics.statusCodeLabel "${resolved.statusCodeLabel}" is not a Prometheus label name; fix: use letters, digits and '_', like "code"`);
  }
  return resolved;
}

function checkMetricName(owner: string, field: string, value: string): void {
  if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(value)) {
    throw new Error(`${owner}: ${field} "${value}" is not a Prometheus metric name; fix: use letters, digits, '_' and ':', like "http_requests_total"`);
  }
}

/** A Prometheus label name for a Kubernetes label, as the Prometheus Operator writes it. */
export function promLabelName(kubernetesLabel: string): string {
  return kubernetesLabel.replace(/[^a-zA-Z0-9_]/g, '_');
}

/** One label matcher of a PromQL series selector. */
export interface LabelMatcher {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

/** `metric{label="value",...}`, with values quoted as PromQL strings. */
export function series(metric: string, matchers: readonly LabelMatcher[]): string {
  return `${metric}{${matchers.map((m) => `${m.label}${m.op}${JSON.stringify(m.value)}`).join(',')}}`;
}

/** Selects the series an app's own monitors scrape: its namespace and its instance label. */
export function appSeriesMatchers(labels: AppLabels, namespace: string): LabelMatcher[] {
  return [
    { label: 'namespace', op: '=', value: namespace },
    { label: promLabelName('app.kubernetes.io/instance'), op: '=', value: labels.instance },
  ];
}

/** The labels app series are summed by, so an alert keeps the namespace and the app. */
export const APP_SERIES_GROUPING = ['namespace', promLabelName('app.kubernetes.io/instance')] as const;

/**
 * Selects the pods of an app in series that carry no pod labels (kube-state-metrics, cAdvisor):
 * its namespace and the names of its Deployment's pods, `<instance>-<template hash>-<suffix>`.
 * Segments without '-' keep `api` from matching the pods of `api-canary`.
 */
export function appPodMatchers(labels: AppLabels, namespace: string): LabelMatcher[] {
  return [
    { label: 'namespace', op: '=', value: namespace },
    { label: 'pod', op: '=~', value: `${escapeRegex(labels.instance)}-[a-z0-9]{1,10}-[a-z0-9]{5}` },
  ];
}

/** Text matched literally inside a PromQL regular expression. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A duration as Prometheus reads it: `30s`, `5m`, `1h`. */
export const promDuration = goDuration;

/** A number as PromQL writes it, without float noise: `0.05`, `1.5`. */
export function promNumber(value: number): string {
  return String(Number(value.toPrecision(12)));
}
