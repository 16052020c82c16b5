import { type AddonName } from './addon-catalog';
import { type AcmeConfig } from './traffic';
import { type Duration, type Size } from 'cdk8s';
import { type Cpu } from 'cdk8s-plus-28';
import { type DeliveryConfig } from './delivery';
import { type GcpRegion } from './gcp-region';
import { type ReleasesConfig } from './releases';
import { type ResourceProfile } from './resources';
import { type SyncPolicy } from './sync-policy';

/** Replica counts an environment gives each app unless the app overrides them. */
export interface ReplicaProfile {
  /** Replicas each app runs, and the autoscaler's minimum. */
  readonly replicas: number;
  /**
   * The most replicas the autoscaler may run. Equal to `replicas`, there is no autoscaler.
   * @default - the same as `replicas`
   */
  readonly maxReplicas?: number;
  /**
   * The fewest replicas an app may ask for in this environment.
   * @default - the same as `replicas`
   */
  readonly minReplicas?: number;
}

/** The IP ranges of one cluster's network. All are checked for overlap across the whole platform. */
export interface ClusterNetworkConfig {
  /** Primary range of the nodes' subnet, such as `10.10.0.0/20`. */
  readonly nodesCidr: string;
  /** Secondary range for pods. */
  readonly podsCidr: string;
  /** Secondary range for Services. */
  readonly servicesCidr: string;
  /** The /28 the GKE control plane uses for its private endpoint. */
  readonly controlPlaneCidr: string;
  /**
   * The range reserved for private service access (Cloud SQL, Memorystore), at most a /16.
   * @default - no private service access: apps with a database or a cache cannot run on this cluster
   */
  readonly privateServicesCidr?: string;
  /**
   * The ranges people and CI reach the cluster from over the VPN. They alone may call the
   * control plane (master authorized networks) and reach internal apps.
   * @see https://cloud.google.com/kubernetes-engine/docs/how-to/authorized-networks
   */
  readonly vpnCidrs: readonly string[];
  /**
   * The proxy-only subnet of the region's internal Application Load Balancers, a /23 or larger.
   * Internal apps' ingresses run on it, and their pods accept traffic from it.
   * @default - none: internal apps cannot run on this cluster
   * @see https://cloud.google.com/load-balancing/docs/proxy-only-subnets
   */
  readonly proxyOnlyCidr?: string;
}

/** An autoscaled GKE node pool. */
export interface NodePoolConfig {
  /** @default 'e2-standard-4' */
  readonly machineType?: string;
  /** Nodes per zone at least. */
  readonly minNodes: number;
  /** Nodes per zone at most. */
  readonly maxNodes: number;
  /** @default 100 */
  readonly diskSizeGb?: number;
}

/** One GKE cluster and the network it sits in. */
export interface ClusterConfig {
  /** A short DNS label (`nonprod`, `prod`), used in resource names and state prefixes. */
  readonly name: string;
  readonly project: string;
  readonly region: GcpRegion;
  readonly network: ClusterNetworkConfig;
  readonly nodePool: NodePoolConfig;
  /**
   * @default 'REGULAR'
   * @see https://cloud.google.com/kubernetes-engine/docs/concepts/release-channels
   */
  readonly releaseChannel?: 'RAPID' | 'REGULAR' | 'STABLE';
  /**
   * Refuse `tofu destroy` of the cluster and its databases.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * When GKE may start maintenance each day, as `HH:MM` in UTC. GKE takes a four-hour window.
   * @default '03:00'
   * @see https://cloud.google.com/kubernetes-engine/docs/concepts/maintenance-windows-and-exclusions
   */
  readonly maintenanceStartTime?: string;
  /**
   * The API server address the managing Argo CD reaches this cluster at, when another cluster's
   * Argo CD manages it (`argocdManagedBy`), such as GKE's DNS-based control plane endpoint.
   * Refused on a cluster its own Argo CD manages (docs/argocd.md).
   * @default - the in-cluster address, https://kubernetes.default.svc
   */
  readonly argoServer?: string;
  /**
   * The cluster whose Argo CD manages this one. That Argo CD registers this cluster with a
   * declarative cluster Secret that authenticates through Workload Identity (`argocd-k8s-auth gcp`);
   * `argoServer` is then required.
   * @default - the cluster's own Argo CD: one Argo CD per cluster, each in-cluster
   */
  readonly argocdManagedBy?: string;
  /**
   * Where the cluster's own alerts (nodes, disks, add-ons: the alerts of the monitoring namespace)
   * go. The cluster of production pages; a cluster of non-production environments posts to chat.
   * @default - chat only ({@link AlertRoutingConfig} defaults)
   */
  readonly alerts?: AlertRoutingConfig;
}

/** An alert's severity, its `severity` label. */
export type AlertSeverity = 'emergency' | 'critical' | 'warning' | 'info';

/**
 * Which receivers an environment's or a cluster's alerts reach. Every alert goes to the chat
 * channel; the paging severities also page someone when `page` is set. See docs/alerting.md.
 */
export interface AlertRoutingConfig {
  /**
   * Whether alerts of `pageSeverities` page someone through `addons.alerting.paging`. Only production
   * and the cluster it runs on set it: the `alert-paging` rule refuses a page from anything else.
   * @default false - chat only
   */
  readonly page?: boolean;
  /**
   * The severities that page, when `page` is set.
   * @default ['critical', 'emergency']
   */
  readonly pageSeverities?: readonly AlertSeverity[];
}

/**
 * When Argo CD may sync an environment's Application on its own. Outside the window only a person
 * may sync it (an Argo CD `allow` window with `manualSync`).
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync_windows/
 */
export interface SyncWindowConfig {
  /** A cron expression for the window's start, such as `0 8 * * 1-5`. */
  readonly schedule: string;
  /** How long the window lasts, such as `9h`. */
  readonly duration: string;
  /** @default 'UTC' */
  readonly timeZone?: string;
}

/**
 * How an environment runs its apps' Cloud SQL instances. Each environment states its own values,
 * so no construct ever asks which environment it is in.
 * @see https://cloud.google.com/sql/docs/postgres/backup-recovery/backups
 */
export interface DatabaseSettings {
  /**
   * The machine tier.
   * @default 'db-custom-1-3840'
   */
  readonly tier?: string;
  /**
   * Days of automated daily backups kept, from 14 to 28.
   * @default 14
   */
  readonly backupRetentionDays?: number;
  /**
   * Point-in-time recovery from the write-ahead log (seven days of it).
   * @default false
   */
  readonly pointInTimeRecovery?: boolean;
  /**
   * A regional instance with a standby in a second zone.
   * @default false
   */
  readonly highAvailability?: boolean;
  /**
   * Refuse deletion, both in OpenTofu and in the Cloud SQL API.
   * @default true
   */
  readonly deletionProtection?: boolean;
}

/**
 * How an environment runs its apps' Memorystore Redis instances.
 * @see https://cloud.google.com/memorystore/docs/redis/redis-tiers
 */
export interface CacheSettings {
  /**
   * `STANDARD_HA` keeps a replica in another zone and fails over to it.
   * @default 'BASIC'
   */
  readonly tier?: 'BASIC' | 'STANDARD_HA';
}

/** One stage on the path to production. */
export interface EnvironmentConfig {
  /** `dev`, `stage`, `canary`, `prod`: a DNS label. */
  readonly name: string;
  readonly project: string;
  readonly region: GcpRegion;
  /** The name of the {@link ClusterConfig} this environment runs on. */
  readonly cluster: string;
  /** The Kubernetes namespace of the environment's apps. */
  readonly namespace: string;
  /**
   * Whether this environment creates and owns its namespace. An environment that shares another
   * environment's namespace (canary in production's) sets this to false.
   * @default true
   */
  readonly managesNamespace?: boolean;
  /**
   * Appended to every app's object names, so an environment that shares a namespace never
   * collides with its owner (`inventory-api-canary`).
   * @default '' - names are the app's own
   */
  readonly nameSuffix?: string;
  readonly replicas: ReplicaProfile;
  readonly resources: ResourceProfile;
  readonly sync: SyncPolicy;
  /**
   * Restricts the environment's syncs to these hours, except syncs a person starts.
   * @default - none: Argo CD may sync at any time
   */
  readonly syncWindow?: SyncWindowConfig;
  /** Public hosts are `<host>.<baseDomain>`. */
  readonly baseDomain: string;
  /**
   * The Cloud SQL settings of every database in this environment. Not allowed on the canary
   * environment, which uses production's databases.
   * @default - the defaults of {@link DatabaseSettings}
   */
  readonly database?: DatabaseSettings;
  /**
   * The Memorystore settings of every cache in this environment. Not allowed on the canary
   * environment, which uses production's caches.
   * @default - the defaults of {@link CacheSettings}
   */
  readonly cache?: CacheSettings;
  /**
   * What all pods of the namespace together may request and use. Required of the environment that
   * manages its namespace; the quota covers every environment sharing it.
   * @default - none, for an environment that shares another's namespace
   */
  readonly quota?: NamespaceQuotaConfig;
  /**
   * What the apps' teams may do in the namespace: `edit` in dev, `view` in production. Required of
   * the environment that manages its namespace.
   * @default - none, for an environment that shares another's namespace
   */
  readonly teamAccess?: 'edit' | 'view';
  /**
   * Whether this is the production environment: the one whose replicas, disruption budgets, sync
   * policy and canary weight the risk rules, validate and promote watch. At most one environment
   * sets it.
   * @default - the last environment in promotion order, when none sets it
   */
  readonly production?: boolean;
  /**
   * Releases reach this environment as Argo Rollouts with each app's strategy, its traffic goes
   * through Istio, and its apps' SLOs and error budgets are watched. Production sets it.
   * @default - none: plain Deployments with rolling updates, and no SLO rules
   */
  readonly progressiveDelivery?: ProgressiveDeliveryConfig;
  /**
   * Makes this environment the canary of the environment that owns its namespace: the release
   * candidate of each app with `delivery.canaryEnvironment` runs here, beside production, and takes
   * a share of its traffic.
   * @default - not a canary environment
   */
  readonly canary?: CanaryEnvironmentConfig;
  /**
   * Where the alerts of the environment's namespace go: `{ page: true }` on production. Set only on
   * the environment that manages its namespace; the canary's alerts follow production's.
   * @default - chat only ({@link AlertRoutingConfig} defaults)
   */
  readonly alerts?: AlertRoutingConfig;
}

/** How an environment with progressive delivery routes traffic. */
export interface ProgressiveDeliveryConfig {
  /**
   * The Istio Gateway, as `namespace/name`, that public and internal hosts enter through. It is a
   * cluster add-on, installed with Istio.
   * @default 'istio-ingress/ingress-gateway'
   * @see https://istio.io/latest/docs/reference/config/networking/gateway/
   */
  readonly istioGateway?: string;
  /**
   * The namespace of istiod, which every sidecar must reach.
   * @default 'istio-system'
   */
  readonly istioNamespace?: string;
  /**
   * The labels of the gateway's pods, which the emitted Gateway selects.
   * @default DEFAULT_GATEWAY_SELECTOR - `{ istio: 'ingressgateway' }`, the istio/gateway chart's label for release `istio-ingressgateway`
   */
  readonly gatewaySelector?: Readonly<Record<string, string>>;
  /**
   * Requests and limits of the Istio proxy injected into every pod of the namespace, set on each
   * pod through Istio's `sidecar.istio.io/proxyCPU`, `proxyCPULimit`, `proxyMemory` and
   * `proxyMemoryLimit` annotations, so that what runs is what the namespace quota counts. Istio's
   * own default (`global.proxy.resources`: 100m/2000m CPU, 128Mi/1024Mi) would give every pod a
   * second CPU of limit; the platform's default keeps Istio's requests and caps the limits lower.
   * @default - requests 100m CPU and 128Mi, limits 500m CPU and 512Mi (`name: 'istio-proxy'`)
   * @see https://istio.io/latest/docs/reference/config/annotations/
   * @see docs/capacity-and-access.md
   */
  readonly sidecarResources?: ResourceProfile;
}

/**
 * The release candidate's place beside production. The candidate serves production's users, so it
 * uses production's data (`Environment.dataOwner`): production's Cloud SQL instances and caches,
 * under its own identity. Its `migrate` runs against production's database before production runs
 * that release, so every migration must be backward compatible: expand (add columns and tables
 * the old release ignores), then contract in a later release. The canary environment sets no
 * `database` or `cache`. See docs/data.md.
 */
export interface CanaryEnvironmentConfig {
  /**
   * Percent of production traffic the candidate takes while it is live, from 0 to 100. `promote
   * --step` raises it through the release state; with no candidate live it is 0.
   * @default 10
   */
  readonly weight?: number;
  /**
   * How long a candidate bakes here under analysis before its Rollout completes (the Rollout's
   * last pause); shown on the Rollout as an annotation. `promote` does not wait for it.
   * @default Duration.hours(24)
   */
  readonly bakeTime?: Duration;
  /**
   * How far the candidate's 5xx ratio may exceed production's before its analysis fails.
   * @default 0.01
   */
  readonly maxErrorRateIncrease?: number;
  /**
   * How far the candidate's p95 latency may exceed production's, as a share of it.
   * @default 0.2
   */
  readonly maxLatencyIncrease?: number;
  /**
   * Requests the candidate must serve within each measurement's window before it is compared with
   * production. With fewer, the measurement is inconclusive and the candidate's Rollout pauses.
   * @default 50
   */
  readonly minRequests?: number;
}

/** A namespace's ResourceQuota. */
export interface NamespaceQuotaConfig {
  readonly cpuRequests: Cpu;
  readonly cpuLimits: Cpu;
  readonly memoryRequests: Size;
  readonly memoryLimits: Size;
  readonly pods: number;
}

/** A named container port. */
export interface PortConfig {
  /** An IANA-style port name (`http`, `metrics`), at most 15 characters. */
  readonly name: string;
  readonly port: number;
}

/** Who can reach an app from outside the cluster. */
export type ExposureConfig =
  /** On the internet at `<host>.<baseDomain>`, on a reserved static IP, with TLS. */
  | { readonly type: 'public'; /** The host label under the environment's base domain. */ readonly host: string; readonly port: string }
  /** Only over the VPN, at `<host>.internal.<baseDomain>`, through the internal load balancer. */
  | { readonly type: 'internal'; /** A host label; the app's name when unset. */ readonly host?: string; readonly port: string }
  /** Only inside the cluster, to the apps that declare it in `needs.dependsOn`. */
  | { readonly type: 'cluster'; readonly port: string }
  /** Nobody calls it: a background worker. */
  | { readonly type: 'none' };

/** The HTTP endpoints the kubelet probes. */
export interface ProbeConfig {
  /**
   * The port name.
   * @default - the exposed port, else the first port
   */
  readonly port?: string;
  /** @default '/healthz' */
  readonly livenessPath?: string;
  /** @default '/readyz' */
  readonly readinessPath?: string;
}

/** An environment variable filled from Google Secret Manager by External Secrets. */
export interface SecretRef {
  /** The environment variable, such as `STRIPE_API_KEY`. */
  readonly env: string;
  /**
   * The secret's name in Secret Manager, without the environment: each environment reads
   * `<key>-<data owner>`, such as `web-session-secret-dev` (the canary reads production's).
   */
  readonly key: string;
  /** @default 'latest' */
  readonly version?: string;
}

/** Thresholds of an app's alerts. */
export interface AlertThresholds {
  /**
   * The share of requests that may fail (5xx) before the error alert fires.
   * @default 0.05
   */
  readonly errorRatio?: number;
  /**
   * The p99 latency above which the latency alert fires, in seconds.
   * @default 1
   */
  readonly latencySeconds?: number;
}

/** A PostgreSQL database the app owns. */
export interface DatabaseNeed {
  /**
   * The PostgreSQL major version.
   * @default 'POSTGRES_16'
   */
  readonly version?: 'POSTGRES_14' | 'POSTGRES_15' | 'POSTGRES_16';
  /** The command that migrates the schema, run before the app starts. */
  readonly migrateCommand: readonly string[];
  /** The restore drill and the logical dumps of the production database (docs/backups.md). */
  readonly backups: DatabaseBackupsConfig;
}

/** The monthly restore drill of a production database: its latest backup, restored and compared with live data. */
export interface BackupDrillConfig {
  /** The tables whose row counts the drill compares, `table` or `schema.table`: at least one. */
  readonly tables: readonly string[];
  /**
   * When the drill runs, a monthly cron schedule in UTC (`minute hour day-of-month * *`), outside
   * the database's backup window (02:00 to 06:00) and maintenance hour.
   * @default '0 7 1 * *'
   */
  readonly schedule?: string;
  /**
   * How far, in percent of the live count, a restored table's row count may be from the live one:
   * the live data has changed since the backup was taken.
   * @default 5
   */
  readonly maxDriftPercent?: number;
}

/** The monthly logical dumps (`gcloud sql export sql`) of a production database into its own bucket. */
export interface DatabaseDumpsConfig {
  /**
   * Months a dump is kept, from 6 to 12; the bucket deletes it after that.
   * @default 12
   */
  readonly retentionMonths?: number;
  /**
   * When the dump runs, a monthly cron schedule in UTC, outside the backup window as above.
   * @default '0 7 15 * *'
   */
  readonly schedule?: string;
}

/** What the platform does with a database's backups in production. */
export interface DatabaseBackupsConfig {
  readonly drill: BackupDrillConfig;
  /** @default - the defaults of {@link DatabaseDumpsConfig} */
  readonly dumps?: DatabaseDumpsConfig;
}

/** A Redis cache the app owns. */
export interface CacheNeed {
  /**
   * Memory of the instance.
   * @default 1
   */
  readonly memoryGb?: number;
}

export interface AppNeeds {
  readonly database?: DatabaseNeed;
  readonly cache?: CacheNeed;
  /** Other apps this one calls. */
  readonly dependsOn?: readonly string[];
}

/** Per-environment settings an app changes. */
export interface AppOverride {
  readonly replicas?: number;
  readonly maxReplicas?: number;
  readonly resources?: ResourceProfile;
  readonly config?: Readonly<Record<string, string>>;
}

/** One application of the platform. */
export interface AppConfig {
  /** A DNS label: the name of every object the app owns. */
  readonly name: string;
  /** The team that owns the app: one of the platform's `teams`. */
  readonly team: string;
  /** @default - the defaults of {@link ProbeConfig} */
  readonly probes?: ProbeConfig;
  /** @default - no secrets */
  readonly secrets?: readonly SecretRef[];
  /** @default - the defaults of {@link AlertThresholds} */
  readonly alerts?: AlertThresholds;
  /**
   * The image name inside the platform's Artifact Registry repository.
   * @default - the app's name
   */
  readonly image?: string;
  /** @default - no ports */
  readonly ports?: readonly PortConfig[];
  /** @default { type: 'none' } */
  readonly exposure?: ExposureConfig;
  /** @default - nothing */
  readonly needs?: AppNeeds;
  /**
   * Overrides the image's entrypoint arguments.
   * @default - the image's own
   */
  readonly args?: readonly string[];
  /**
   * Plain settings given to the app as environment variables through a ConfigMap. The platform adds
   * DATABASE_HOST, DATABASE_PORT, DATABASE_NAME, DATABASE_USER, DATABASE_ROLE, REDIS_HOST and REDIS_PORT from
   * `needs`; the app may not set those names.
   * @default - none
   */
  readonly config?: Readonly<Record<string, string>>;
  /** Keyed by environment name. */
  readonly overrides?: Readonly<Record<string, AppOverride>>;
  /**
   * Rules of `npm run validate` this app is allowed to break, each with the reason; its violations
   * are then listed as waived instead of failing.
   * @default - none
   */
  readonly waivers?: readonly { readonly rule: string; readonly reason: string }[];
  /** @default - the defaults of {@link DeliveryConfig} */
  readonly delivery?: DeliveryConfig;
  /**
   * The app's service level objective, watched in environments with progressive delivery.
   * @default - 99.5% availability over 30 days, for an app that serves HTTP; none for a worker
   */
  readonly slo?: SloConfig;
}

/**
 * What users may expect of an app, and so how much failure a window allows: its error budget.
 * @see https://sre.google/workbook/alerting-on-slos/
 */
export interface SloConfig {
  /** Percent of requests answered without a 5xx status, strictly between 0 and 100: 99.9. */
  readonly availability: number;
  /**
   * Percent of requests answered faster than `threshold`. The threshold must be a bucket bound of
   * the app's request duration histogram.
   * @default - no latency objective
   */
  readonly latency?: { readonly target: number; readonly threshold: Duration };
  /**
   * The window the objective and its budget cover, in whole days from 7 to 90.
   * @default Duration.days(30)
   */
  readonly window?: Duration;
}

/** Where the bootstrap stack keeps its own state. */
export type BootstrapBackend = 'local' | 'gcs';

/** The GCS bucket that holds OpenTofu state. */
export interface StateConfig {
  readonly project: string;
  /** Globally unique bucket name. */
  readonly bucket: string;
  /** A region or multi-region (`EU`). */
  readonly location: string;
  /**
   * Versions of each state file kept, the live one included, from 5 to 10; older noncurrent
   * versions are deleted.
   * @default 10
   */
  readonly keepVersions?: number;
  /**
   * Days a deleted or overwritten object stays restorable, from 7 to 90.
   * @default 7
   * @see https://cloud.google.com/storage/docs/soft-delete
   */
  readonly softDeleteDays?: number;
  /**
   * A Cloud KMS key (`projects/P/locations/L/keyRings/R/cryptoKeys/K`) that encrypts the state.
   * @default - Google-managed encryption
   */
  readonly kmsKeyName?: string;
  /**
   * Where the bootstrap stack keeps its own state. It starts `local`, since the bucket does not
   * exist yet; switch to `gcs` once it does and run `tofu init -migrate-state` (docs/opentofu.md).
   * @default 'local'
   */
  readonly bootstrapBackend?: BootstrapBackend;
}

/** The Artifact Registry Docker repository every image comes from. */
export interface RegistryConfig {
  readonly project: string;
  readonly region: GcpRegion;
  /** The repository id. */
  readonly repository: string;
  /**
   * Newest versions of each image kept by the cleanup policy, from 3 to 5. Images a
   * release in `apps/releases.json` names are kept too.
   * @default 5
   * @see https://cloud.google.com/artifact-registry/docs/repositories/cleanup-policy
   */
  readonly keepReleases?: number;
}

/** Where ArgoCD reads the synthesized manifests. */
export interface GitOpsConfig {
  /** The GitOps repository URL ArgoCD clones. */
  readonly repoUrl: string;
  /** @default 'main' */
  readonly revision?: string;
  /** The namespace ArgoCD runs in. @default 'argocd' */
  readonly argoNamespace?: string;
}

/** The whole platform: the only input of a synth. */
export interface PlatformConfig {
  /** A DNS label naming the platform (the ArgoCD project, resource prefixes). */
  readonly name: string;
  readonly state: StateConfig;
  readonly registry: RegistryConfig;
  readonly gitops: GitOpsConfig;
  readonly clusters: readonly ClusterConfig[];
  /** In promotion order: the first receives new releases, the last is production. */
  readonly environments: readonly EnvironmentConfig[];
  readonly apps: readonly AppConfig[];
  readonly releases: ReleasesConfig;
  /** The teams that own apps, with the groups their people are in. */
  readonly teams: readonly TeamConfig[];
  /**
   * The Google Group GKE reads group memberships through (Google Groups for RBAC): it must be
   * `gke-security-groups@<your domain>`, and every team's group must be a member of it. Every
   * cluster whose RoleBindings name the teams' groups is created with it. Required when there are
   * teams: without it, their RoleBindings grant nothing.
   * @default - none; refused while `teams` is not empty
   * @see https://cloud.google.com/kubernetes-engine/docs/how-to/google-groups-rbac
   */
  readonly rbacSecurityGroup?: string;
  /**
   * The Google Cloud CLI image the data-operation jobs of production databases run (the restore
   * drills and the dumps, docs/backups.md). Google deletes versions of its image a year after
   * release, so the default is its moving `stable` tag, pulled on every run; pin a copy in a registry
   * you keep, by digest (`<image>@sha256:<64 hex digits>`), for runs that never change under you.
   * @default 'gcr.io/google.com/cloudsdktool/google-cloud-cli:stable' (GCLOUD_IMAGE)
   */
  readonly operationsImage?: string;
  /** The cluster add-ons the manifests use: monitoring, certificates, secrets, alerting. */
  readonly addons: ClusterAddonsConfig;
  /**
   * CI's identities in Google Cloud through Workload Identity Federation: the bootstrap stack makes
   * the pool, its OIDC provider and two service accounts, one that pushes images and one that runs
   * `tofu plan` and `apply`. No service account key exists.
   * @default - none: CI gets no Google identity, and people apply every stack by hand
   * @see docs/opentofu.md
   */
  readonly ci?: CiConfig;
}

/**
 * The CI system whose OIDC tokens Google accepts. The defaults fit GitHub Actions.
 * @see https://cloud.google.com/iam/docs/workload-identity-federation-with-deployment-pipelines
 */
export interface CiConfig {
  /**
   * The OIDC issuer of CI's tokens.
   * @default 'https://token.actions.githubusercontent.com' - GitHub Actions
   */
  readonly issuerUri?: string;
  /**
   * The repository, as `owner/name` (the token's `repository` claim), whose workflows run `tofu plan`
   * and `apply`: this platform's.
   */
  readonly platformRepository: string;
  /**
   * The repositories whose workflows build and push images to the platform's registry.
   * @default - the platform repository alone
   */
  readonly imageRepositories?: readonly string[];
  /**
   * The refs (the token's `ref` claim) a token must come from, for every repository. A pull request's
   * `tofu plan` runs on `refs/pull/N/merge`, so restricting to `refs/heads/main` keeps CI to merged code.
   * @default - any ref of the repositories
   */
  readonly refs?: readonly string[];
  /**
   * The workload identity pool's id, 4 to 32 characters.
   * @default - `<platform>-ci`
   */
  readonly poolId?: string;
}

/** A team and its identity-provider group. */
export interface TeamConfig {
  /** A DNS label. */
  readonly name: string;
  /** The group RoleBindings name, such as `inventory@example.com`. */
  readonly group: string;
}

/** Where alerts go. Keys and URLs stay in Secret Manager; the manifests only name them. */
export interface AlertingConfig {
  /** Who is paged, for an environment or cluster whose `alerts.page` is set. */
  readonly paging: 'pagerduty' | 'opsgenie';
  /**
   * The Secret Manager secret holding the PagerDuty routing key or OpsGenie API key; each paging
   * environment reads `<name>-<env>`, each paging cluster `<name>-cluster-<cluster>`. Nothing else
   * has one.
   */
  readonly pagingKeySecret: string;
  /** The Secret Manager secret holding the Slack webhook URL; each environment reads `<name>-<env>`, each cluster `<name>-cluster-<cluster>`. */
  readonly slackWebhookSecret: string;
  /** The Slack channel warnings go to, such as `#shop-alerts`. */
  readonly slackChannel: string;
}

/** The cluster add-ons the manifests rely on, and how to reach them. */
export interface ClusterAddonsConfig {
  /** @default 'monitoring' */
  readonly monitoringNamespace?: string;
  /**
   * Labels Prometheus selects monitors and rules by.
   * @default { release: 'kube-prometheus-stack' }
   */
  readonly monitoringLabels?: Readonly<Record<string, string>>;
  /** The ACME account of the ClusterIssuers each cluster gets (`letsencrypt-http01`, `letsencrypt-dns01`). */
  readonly acme: AcmeConfig;
  /** The namespace cert-manager runs in. @default 'cert-manager' */
  readonly certManagerNamespace?: string;
  /**
   * The name of the SecretStore in each namespace, and of the Kubernetes service account it reads
   * Secret Manager as.
   * @default 'gcp-secret-manager'
   */
  readonly secretStore?: string;
  /**
   * The Prometheus that Argo Rollouts analyses query.
   * @default - `http://prometheus-operated.<monitoringNamespace>.svc:9090`
   */
  readonly prometheusUrl?: string;
  readonly alerting: AlertingConfig;
  /**
   * Another repository or exact version for an add-on's Helm chart (docs/addons.md).
   * @default - DEFAULT_ADDONS in lib/model/addon-catalog.ts
   */
  readonly charts?: Partial<Readonly<Record<AddonName, AddonChartOverride>>>;
}

/** An add-on chart's repository or version, replacing the platform's default. */
export interface AddonChartOverride {
  /** @default - the catalog's repository */
  readonly repoUrl?: string;
  /** An exact version, such as `1.24.3`: never a range. @default - the catalog's version */
  readonly version?: string;
}
