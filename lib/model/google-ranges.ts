/**
 * Where Google's load balancer proxies and health checkers connect from. The GCP plane opens the
 * firewall to these ranges and the Kubernetes plane's network policies let them in, so both read
 * this one list.
 * @see https://cloud.google.com/load-balancing/docs/health-check-concepts#ip-ranges
 */
export const GOOGLE_FRONT_END_RANGES: readonly string[] = ['35.191.0.0/16', '130.211.0.0/22'];
