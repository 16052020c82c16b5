import { type Checks } from './checks';
import { type AppNeeds, type SecretRef } from './config';
import { type OwnIngressKind } from './own-ingress';
import { WorkloadIdentity } from './workload-identity';

/** An app's Cloud SQL instance in one environment. */
export interface DatabaseRef {
  /** The instance name, unique in its project. */
  readonly instanceName: string;
  /** `PROJECT:REGION:INSTANCE`: what the Cloud SQL Auth Proxy and the connectors take. */
  readonly connectionName: string;
  /** The database inside the instance. */
  readonly databaseName: string;
  /**
   * The NOLOGIN role that owns the database and its objects (`<databaseName>_owner`): every IAM user
   * of the database (production's and the canary's) is a member and acts as it, so either may migrate
   * the other's tables (docs/data.md, `databaseOwnerSql`).
   */
  readonly ownerRole: string;
}

/** An app's Memorystore Redis instance in one environment. */
export interface CacheRef {
  /** The instance name, unique in its project. */
  readonly instanceName: string;
  /**
   * A name in the cluster network's private DNS zone that points at the instance. The instance's
   * IP is only known after `tofu apply`; this name is known now, so both planes can use it.
   */
  readonly host: string;
  readonly port: number;
}

/**
 * A reserved IP address: global for a public app's external Application Load Balancer, regional
 * internal for an internal app's, regional external for an Istio gateway's LoadBalancer Service.
 * Its `name` is what a GKE Ingress gives in `kubernetes.io/ingress.global-static-ip-name` (global) or
 * `kubernetes.io/ingress.regional-static-ip-name` (regional internal).
 */
export type StaticIpRef =
  | { readonly kind: 'global'; readonly name: string }
  | { readonly kind: 'regional-internal' | 'regional-external'; readonly name: string; /** The address's region. */ readonly region: string };

/** A regional address: an internal Ingress's or an Istio gateway's. */
export type RegionalIpRef = Extract<StaticIpRef, { readonly region: string }>;

/** One Secret Manager secret an app reads in one environment, exposed to it as an environment variable. */
export interface AppSecretRef {
  /** The environment variable. */
  readonly env: string;
  /** The secret's id in the project of the environment's data owner: `web-session-secret-prod`. */
  readonly secretId: string;
  /** @default - the latest version */
  readonly version?: string;
}

/**
 * The Google Cloud resources one app owns in one environment. Each name is derived here once:
 * Terraform creates the resource under it and the manifests refer to it by it.
 */
export interface AppGcpResources {
  /** Present when the app calls Google APIs: today, when it has a database. Always the instance's own. */
  readonly identity?: WorkloadIdentity;
  /**
   * Whether this environment owns the database and cache below. False in an environment whose data
   * another owns (the canary uses production's): Terraform creates no instance for it, and grants
   * its own identity a connection and an IAM database user on the owner's.
   */
  readonly ownsData: boolean;
  readonly database?: DatabaseRef;
  readonly cache?: CacheRef;
  /** Present when the app has a GKE Ingress of its own (`GcpResourcesInput.ingress`). */
  readonly staticIp?: StaticIpRef;
  /** The Secret Manager secrets the app reads here: its data owner's. */
  readonly secrets: readonly AppSecretRef[];
}

/** Names of Google Cloud resources; the cross-plane ones are only ever made here. */
export const gcpNaming = {
  /** A resource one app owns in one environment: `inventory-api-dev`. */
  appResource(app: string, env: string): string {
    return `${app}-${env}`;
  },
  /** PostgreSQL database names are identifiers: `inventory_api`. */
  databaseName(app: string): string {
    return app.replace(/-/g, '_');
  },
  /** The role that owns a database: `inventory_api_owner`. */
  databaseOwnerRole(databaseName: string): string {
    return `${databaseName}_owner`;
  },
  /** The private DNS domain of a platform's cluster networks, where the service names (Redis) live: `shop.internal`. */
  serviceDomain(platform: string): string {
    return `${platform}.internal`;
  },
  /** The Cloud DNS zone of {@link gcpNaming.serviceDomain}: `shop-internal`. */
  serviceZone(platform: string): string {
    return `${platform}-internal`;
  },
  redisHost(instance: string, platform: string): string {
    return `${instance}.redis.${gcpNaming.serviceDomain(platform)}`;
  },
  /** The Cloud DNS zone of a domain (public base domain or private host domain): `dev.shop.example.com` → `dev-shop-example-com`. */
  dnsZone(domain: string): string {
    return domain.replace(/\./g, '-');
  },
  /** The regional address of an environment's Istio gateway Service. */
  gatewayAddress(env: string): string {
    return `${env}-ingress-gateway`;
  },
  /**
   * A secret's id in Secret Manager for the environment whose data it is (`Environment.dataOwner`):
   * `web-session-secret-prod`. The canary reads production's.
   */
  secretId(key: string, dataOwner: string): string {
    return `${key}-${dataOwner}`;
  },
  /**
   * A secret's id for a cluster's own objects (its alert receivers): `alerting-slack-webhook-url-cluster-prod`.
   * The `cluster-` keeps it apart from an environment's of the same name.
   */
  clusterSecretId(key: string, cluster: string): string {
    return `${key}-cluster-${cluster}`;
  },
  /**
   * The account id, and Kubernetes service account name, a cluster's monitoring-namespace store reads
   * its alert receivers' secrets as: `alerts-prod`. Per cluster, since two clusters in one project
   * share the Workload Identity principal of a namespace and KSA name.
   */
  clusterAlertsAccount(cluster: string): string {
    return `alerts-${cluster}`;
  },
  /** The account id of the Google service account one namespace's secret store reads as: `secrets-shop-dev`. */
  secretStoreAccount(namespace: string): string {
    return `secrets-${namespace}`;
  },
  /** The account id cert-manager solves DNS-01 as on one cluster: `cert-manager-nonprod`. */
  certManagerAccount(cluster: string): string {
    return `cert-manager-${cluster}`;
  },
  /** The account id Argo CD on a cluster reaches remote clusters as (docs/argocd.md). */
  argocdAccount(cluster: string): string {
    return `argocd-${cluster}`;
  },
  /** The account id of a cluster's node service account. */
  nodeServiceAccount(cluster: string): string {
    return `${cluster}-nodes`;
  },
} as const;

/** The Redis port Memorystore listens on. */
export const REDIS_PORT = 6379;

/** What {@link resolveGcpResources} needs to know of an app in one environment. */
export interface GcpResourcesInput {
  readonly platform: string;
  readonly app: string;
  readonly needs: AppNeeds;
  readonly env: string;
  /**
   * The environment whose data the app uses here (`Environment.dataOwner`): its database, cache and
   * Secret Manager secret names are that environment's, its identity this one's.
   * @default - `env`
   */
  readonly dataOwner?: string;
  readonly project: string;
  readonly region: string;
  readonly namespace: string;
  /** The name of the app's objects, its Kubernetes service account included. */
  readonly workloadName: string;
  readonly cluster: string;
  readonly privateServicesCidr?: string;
  /**
   * The kind of the app's own GKE Ingress ({@link ownIngressKind}), which gets a static IP; none when
   * the app has none (not exposed, or its hosts enter through the Istio gateway).
   * @default - no own Ingress: no static IP
   */
  readonly ingress?: OwnIngressKind;
  /** @default - no secrets */
  readonly secrets?: readonly SecretRef[];
}

// Limits of the Google APIs, so a long name fails here instead of at `tofu apply`.
/** A Google service account id's length. @see https://cloud.google.com/iam/docs/service-accounts-create#creating */
export const SERVICE_ACCOUNT_ID = { min: 6, max: 30 } as const;
const REDIS_INSTANCE_MAX = 40;
const SQL_CONNECTION_MAX = 98;
const ADDRESS_MAX = 63;
/** @see https://cloud.google.com/python/docs/reference/secretmanager/1.0.2/google.cloud.secretmanager_v1.types.CreateSecretRequest */
const SECRET_ID = /^[A-Za-z0-9_-]{1,255}$/;

/** Checks a Secret Manager secret id made by {@link gcpNaming.secretId}. */
export function checkSecretId(secretId: string, checks: Checks, field: string, key: string): void {
  checks.require(SECRET_ID.test(secretId), field, key,
    `makes the Secret Manager secret id "${secretId}", which is not 1 to 255 letters, digits, '-' and '_'`,
    `use only letters, digits, '-' and '_', in at most ${255 - (secretId.length - key.length)} characters`);
}

/** Derives and checks the names of an app's Google Cloud resources in one environment. */
export function resolveGcpResources(input: GcpResourcesInput, checks: Checks): AppGcpResources {
  const { needs } = input;
  const name = gcpNaming.appResource(input.app, input.env);
  const dataOwner = input.dataOwner ?? input.env;
  const dataName = gcpNaming.appResource(input.app, dataOwner);
  const needsPrivateServices = needs.database !== undefined || needs.cache !== undefined;
  if (needsPrivateServices && input.privateServicesCidr === undefined) {
    const what = needs.database ? 'a database' : 'a cache';
    checks.fail(
      `clusters.${input.cluster}.network.privateServicesCidr`,
      undefined,
      `gives cluster "${input.cluster}" no private service access, but the app declares ${what} and runs there in env "${input.env}"`,
      `set clusters.${input.cluster}.network.privateServicesCidr to a free range such as 10.14.0.0/20, or run env "${input.env}" on a cluster that has one`,
    );
  }
  const fitName = (limit: number, resource: string, value = name): void => {
    const room = input.app.length - (value.length - limit);
    checks.require(value.length <= limit, 'name', input.app, `makes the ${resource} name "${value}" longer than ${limit} characters in env "${input.env}"`,
      `shorten the app name to at most ${room} characters`);
  };

  // Only Cloud SQL needs Google credentials; Memorystore is reached over the network alone.
  let identity: WorkloadIdentity | undefined;
  let database: DatabaseRef | undefined;
  if (needs.database) {
    fitName(SERVICE_ACCOUNT_ID.max, 'Google service account');
    checks.require(name.length >= SERVICE_ACCOUNT_ID.min, 'name', input.app,
      `makes the Google service account name "${name}" shorter than ${SERVICE_ACCOUNT_ID.min} characters in env "${input.env}"`,
      `lengthen the app name to at least ${SERVICE_ACCOUNT_ID.min - name.length + input.app.length} characters`);
    identity = new WorkloadIdentity(input.project, name, { namespace: input.namespace, name: input.workloadName });
    const connectionName = `${input.project}:${input.region}:${dataName}`;
    fitName(SQL_CONNECTION_MAX, 'Cloud SQL connection', connectionName);
    const databaseName = gcpNaming.databaseName(input.app);
    database = { instanceName: dataName, connectionName, databaseName, ownerRole: gcpNaming.databaseOwnerRole(databaseName) };
  }
  let cache: CacheRef | undefined;
  if (needs.cache) {
    fitName(REDIS_INSTANCE_MAX, 'Memorystore instance', dataName);
    cache = { instanceName: dataName, host: gcpNaming.redisHost(dataName, input.platform), port: REDIS_PORT };
  }
  let staticIp: StaticIpRef | undefined;
  if (input.ingress !== undefined) {
    fitName(ADDRESS_MAX, 'static IP address');
    // An internal Ingress's address is regional, in the cluster's subnet, so private DNS can name it.
    // @see https://cloud.google.com/kubernetes-engine/docs/how-to/internal-load-balance-ingress#static_ip_addressing
    staticIp = input.ingress === 'public' ? { kind: 'global', name } : { kind: 'regional-internal', name, region: input.region };
  }
  const secrets = (input.secrets ?? []).map((s, i): AppSecretRef => {
    const secretId = gcpNaming.secretId(s.key, dataOwner);
    checkSecretId(secretId, checks, `secrets[${i}].key`, s.key);
    return { env: s.env, secretId, version: s.version };
  });
  return { identity, ownsData: dataOwner === input.env, database, cache, staticIp, secrets };
}
