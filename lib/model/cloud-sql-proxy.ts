/**
 * The Cloud SQL Auth Proxy as both planes and the validate rules know it: where it listens in the
 * pod, where it connects, and the one image version the platform pins.
 * @see https://github.com/GoogleCloudPlatform/cloud-sql-proxy#readme
 */
export const CLOUD_SQL_PROXY = {
  /** The container's name; the `join-data` rule finds the proxy by it. */
  containerName: 'cloud-sql-proxy',
  /** Pinned; releases are monthly (github.com/GoogleCloudPlatform/cloud-sql-proxy/pull/2533 is 2.21.0). */
  image: 'gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.21.0',
  /** The proxy listens on loopback only: nothing outside the pod reaches the database through it. */
  host: '127.0.0.1',
  /** The PostgreSQL port the app and `migrate` connect to. */
  port: 5432,
  /** The proxy's health-check server (`/startup`, `/liveness`, `/readiness`), on loopback. */
  healthPort: 9801,
  /** The port Cloud SQL instances accept connector (proxy) connections on, over private IP. */
  instancePort: 3307,
  /** HTTPS to the Cloud SQL Admin API, for ephemeral certificates and instance metadata. */
  adminApiPort: 443,
} as const;
