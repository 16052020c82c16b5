import { type Checks } from './checks';
import { type AlertRoutingConfig, type AlertSeverity } from './config';

/** Every severity the platform's rules set, most urgent first. */
export const ALERT_SEVERITIES: readonly AlertSeverity[] = ['emergency', 'critical', 'warning', 'info'];

/**
 * Where one namespace's alerts go, with defaults applied: every alert to chat, and the paging
 * severities to the pager when `page` is set. An environment's comes from its config (the canary's is
 * production's, whose namespace it shares); a cluster's covers the monitoring namespace.
 */
export interface AlertRoutingPolicy {
  readonly page: boolean;
  /** The severities that page; empty when `page` is false. */
  readonly pageSeverities: readonly AlertSeverity[];
}

/** The routing of `config`; `field` names it in a config error (`alerts`, `clusters.prod.alerts`). */
export function resolveAlertRouting(config: AlertRoutingConfig | undefined, field: string, checks: Checks): AlertRoutingPolicy {
  const page = config?.page ?? false;
  const severities = config?.pageSeverities ?? ['critical', 'emergency'];
  if (config?.pageSeverities !== undefined) {
    checks.require(page, `${field}.pageSeverities`, severities, 'is set, but page is not', 'set page: true, or remove pageSeverities');
    checks.require(severities.length > 0, `${field}.pageSeverities`, [], 'is empty', 'list the severities that page, such as ["critical", "emergency"]');
    severities.forEach((s, i) => checks.oneOf(`${field}.pageSeverities[${i}]`, s, ALERT_SEVERITIES));
  }
  return { page, pageSeverities: page ? ALERT_SEVERITIES.filter((s) => severities.includes(s)) : [] };
}
