/**
 * Where Google's load balancer proxies and health checkers connect from. The GCP plane opens the
 * firewall to these ranges and the Kubernetes plane's network policies let them in, so both read
 * this one list.
 * @see https://cloud.google.com/load-balancing/docs/health-check-concepts#ip-ranges
 */
export const GOOGLE_FRONT_END_RANGES: readonly string[] = ['35.191.0.0/16', '130.211.0.0/22'];

/**
 * `private.googleapis.com`: the addresses Private Google Access serves Google APIs on (the Cloud SQL
 * Admin API included) once a private `googleapis.com` zone points there. Terraform routes and names
 * them; the network policies of apps that run the Cloud SQL Auth Proxy open 443 to this range only.
 * @see https://cloud.google.com/vpc/docs/configure-private-google-access#config-domain
 */
export const PRIVATE_GOOGLE_APIS_CIDR = '199.36.153.8/30';
