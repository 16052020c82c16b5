import { type AlertRoutingPolicy, resolveAlertRouting } from './alert-routing';
import { Duration } from 'cdk8s';
import { type Checks } from './checks';
import { type Cluster } from './cluster';
import { type CacheSettings, type DatabaseSettings, type EnvironmentConfig } from './config';
import { GCP_REGIONS } from './gcp-region';
import { checkQuota } from './kubernetes-settings';
import { outputLayout } from './output-layout';
import { checkMinRequests, DEFAULT_MIN_REQUESTS, DEFAULT_STEP_WEIGHTS } from './delivery';
import { DEFAULT_SIDECAR_RESOURCES } from './mesh-sidecar';
import { DEFAULT_GATEWAY_SELECTOR } from './traffic';
import { cpuMillis, memoryMebibytes, type ResourceProfile } from './resources';

/** Progressive delivery's settings with defaults applied: the Istio settings of a meshed namespace. */
export interface ProgressiveSettings {
  /** The Istio Gateway as `namespace/name`, as a VirtualService names it. */
  readonly istioGateway: string;
  /** The same Gateway, parsed once: its namespace (where the gateway's pods run) and name. */
  readonly gateway: { readonly namespace: string; readonly name: string };
  readonly istioNamespace: string;
  /** The labels of the Istio gateway's pods. */
  readonly gatewaySelector: Readonly<Record<string, string>>;
  /** Requests and limits of the injected proxy, set on every pod of the namespace. */
  readonly sidecarResources: ResourceProfile;
}

/** An environment with its defaults applied. */
export interface Environment extends EnvironmentConfig {
  readonly managesNamespace: boolean;
  readonly nameSuffix: string;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly clusterConfig: Cluster;
  /** Position in the promotion order, from 0. */
  readonly order: number;
  /** True on the one production environment (see {@link Platform.production}). */
  readonly production: boolean;
  /** Set when releases here are Argo Rollouts behind Istio, with SLOs watched. */
  readonly progressive?: ProgressiveSettings;
  /**
   * Set when the namespace is in the Istio mesh: the environment with progressive delivery, and the
   * canary environment beside it.
   */
  readonly mesh?: ProgressiveSettings;
  /**
   * The environment whose data this one uses: its Cloud SQL instances, caches and Secret Manager
   * secrets. The canary's candidate serves production's users, so it uses production's data; every
   * other environment owns its own.
   */
  readonly dataOwner: string;
  /** Where the alerts of its namespace go: its own `alerts`, or, sharing a namespace, its owner's. */
  readonly alertRouting: AlertRoutingPolicy;
  /** Set on the canary environment. */
  readonly canary?: {
    readonly weight: number;
    readonly bakeTime: Duration;
    readonly maxErrorRateIncrease: number;
    readonly maxLatencyIncrease: number;
    readonly minRequests: number;
    /** The environment that owns the namespace and the traffic the candidates share. */
    readonly production: string;
  };
}

export function resolveEnvironments(configs: readonly EnvironmentConfig[], clusters: readonly Cluster[], root: Checks): Environment[] {
  root.require(configs.length > 0, 'environments', [], 'is empty', 'declare at least one environment');
  root.unique('environments[].name', configs.map((e) => e.name));
  const marked = configs.filter((e) => e.production === true);
  if (marked.length > 1) {
    root.within({ env: marked[1].name }).fail('production', true, `is set on ${marked.map((e) => `"${e.name}"`).join(' and ')}`,
      'mark exactly one environment as production');
  }
  const production = marked[0] ?? configs[configs.length - 1];
  const resolved = configs.map((e, order): Environment => {
    const checks: Checks = root.within({ env: e.name });
    checks.dnsLabel('name', e.name, 20);
    const reserved = outputLayout.reservedEnvironmentName(e.name, clusters.map((c) => c.name));
    if (reserved !== undefined) checks.fail('name', e.name, `is reserved: ${reserved}`, 'give the environment another name');
    checks.oneOf('region', e.region, GCP_REGIONS);
    const cluster = clusters.find((c) => c.name === e.cluster);
    checks.require(cluster !== undefined, 'cluster', e.cluster, 'is not known', `use one of ${clusters.map((c) => c.name).join(', ')}`);
    checks.require(e.project === cluster.project, 'project', e.project, `differs from cluster "${cluster.name}" (${cluster.project})`,
      `set project to "${cluster.project}" or run the environment on a cluster in its own project`);
    checks.require(e.region === cluster.region, 'region', e.region, `differs from cluster "${cluster.name}" (${cluster.region})`,
      `set region to "${cluster.region}" or run the environment on a cluster in its own region`);
    checks.dnsLabel('namespace', e.namespace);
    const nameSuffix = e.nameSuffix ?? '';
    checks.require(nameSuffix === '' || /^-[a-z0-9]+$/.test(nameSuffix), 'nameSuffix', nameSuffix,
      "is not '-' followed by lower-case letters or digits", 'use a suffix such as "-canary", or leave it unset');
    checks.intInRange('replicas.replicas', e.replicas.replicas, 1, 100);
    const minReplicas = e.replicas.minReplicas ?? e.replicas.replicas;
    checks.intInRange('replicas.minReplicas', minReplicas, 1, e.replicas.replicas,
      `set minReplicas from 1 to replicas (${e.replicas.replicas})`);
    checkResources(checks, 'resources', e.resources);
    checks.require(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/.test(e.baseDomain), 'baseDomain', e.baseDomain,
      'is not a DNS domain', 'use a lower-case domain such as dev.example.com');
    checkDataSettings(checks, e.database, e.cache);
    const maxReplicas = e.replicas.maxReplicas ?? e.replicas.replicas;
    checks.intInRange('replicas.maxReplicas', maxReplicas, e.replicas.replicas, 1000,
      `set maxReplicas to at least replicas (${e.replicas.replicas})`);
    const managesNamespace = e.managesNamespace ?? true;
    if (managesNamespace) {
      checks.require(e.quota !== undefined, 'quota', e.quota, 'is missing: the environment owns its namespace',
        'give the namespace a quota: { cpuRequests, cpuLimits, memoryRequests, memoryLimits, pods }');
      checks.require(e.teamAccess !== undefined, 'teamAccess', e.teamAccess, 'is missing: the environment owns its namespace',
        'set teamAccess to "edit" or "view"');
      if (e.quota) checkQuota(e.quota, checks);
    } else {
      checks.require(e.quota === undefined && e.teamAccess === undefined, e.quota === undefined ? 'teamAccess' : 'quota',
        e.quota === undefined ? e.teamAccess : 'set', 'is set, but the environment shares another\'s namespace',
        'set it on the environment that manages the namespace');
      checks.require(e.alerts === undefined, 'alerts', 'set', 'is set, but the environment shares another\'s namespace, whose routing its alerts follow',
        'set alerts on the environment that manages the namespace');
    }
    const progressive = resolveProgressive(e, checks);
    const canary = resolveCanary(e, configs, checks);
    return {
      ...e,
      managesNamespace,
      nameSuffix,
      minReplicas,
      maxReplicas,
      clusterConfig: cluster,
      order,
      production: e === production,
      progressive,
      mesh: progressive,
      dataOwner: canary?.production ?? e.name,
      canary,
      alertRouting: resolveAlertRouting(e.alerts, 'alerts', checks),
    };
  });
  // The canary joins the mesh of the production environment whose namespace it runs in.
  const joined = resolved.map((e): Environment => (e.canary ? { ...e, mesh: resolved.find((p) => p.name === e.canary?.production)?.progressive } : e));
  // An environment sharing a namespace routes its alerts as the namespace's owner does: one AlertmanagerConfig per namespace.
  const envs = joined.map((e): Environment => {
    const owner = e.managesNamespace ? undefined : joined.find((o) => o.managesNamespace && o.cluster === e.cluster && o.namespace === e.namespace);
    return owner ? { ...e, alertRouting: owner.alertRouting } : e;
  });
  // Each namespace has exactly one owner, and environments that share it never share object names.
  for (const env of envs) {
    const sharing = envs.filter((o) => o.cluster === env.cluster && o.namespace === env.namespace);
    const owners = sharing.filter((o) => o.managesNamespace);
    const checks: Checks = root.within({ env: env.name });
    checks.require(owners.length === 1, 'managesNamespace', env.managesNamespace,
      `leaves namespace "${env.namespace}" on cluster "${env.cluster}" with ${owners.length} owners (${owners.map((o) => o.name).join(', ') || 'none'})`,
      'set managesNamespace: true on exactly one environment that uses the namespace');
    const clash = sharing.find((o) => o !== env && o.nameSuffix === env.nameSuffix);
    if (clash) {
      checks.fail('nameSuffix', env.nameSuffix, `equals that of "${clash.name}", which shares namespace "${env.namespace}"`,
        'give one of the two environments a nameSuffix such as "-canary"');
    }
  }
  return envs;
}

function resolveProgressive(e: EnvironmentConfig, checks: Checks): Environment['progressive'] {
  if (e.progressiveDelivery === undefined) return undefined;
  const istioGateway = e.progressiveDelivery.istioGateway ?? 'istio-ingress/ingress-gateway';
  const istioNamespace = e.progressiveDelivery.istioNamespace ?? 'istio-system';
  checks.require(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(istioGateway), 'progressiveDelivery.istioGateway',
    istioGateway, 'is not namespace/name', 'name the Istio Gateway as namespace/name, such as "istio-ingress/ingress-gateway"');
  const [gatewayNamespace, gatewayName] = istioGateway.split('/');
  checks.dnsLabel('progressiveDelivery.istioNamespace', istioNamespace);
  const gatewaySelector = e.progressiveDelivery.gatewaySelector ?? DEFAULT_GATEWAY_SELECTOR;
  checks.require(Object.keys(gatewaySelector).length > 0, 'progressiveDelivery.gatewaySelector', gatewaySelector,
    'is empty: the Gateway would select every pod with a proxy', 'give the labels of the gateway\'s pods, such as { istio: "ingressgateway" }');
  const sidecarResources = e.progressiveDelivery.sidecarResources ?? DEFAULT_SIDECAR_RESOURCES;
  checkResources(checks, 'progressiveDelivery.sidecarResources', sidecarResources);
  return { istioGateway, gateway: { namespace: gatewayNamespace, name: gatewayName }, istioNamespace, gatewaySelector, sidecarResources };
}

/** The canary environment: it shares the namespace of a production environment with progressive delivery. */
function resolveCanary(e: EnvironmentConfig, configs: readonly EnvironmentConfig[], checks: Checks): Environment['canary'] {
  const c = e.canary;
  if (c === undefined) return undefined;
  const weight = c.weight ?? DEFAULT_STEP_WEIGHTS[0];
  const bakeTime = c.bakeTime ?? Duration.hours(24);
  const maxErrorRateIncrease = c.maxErrorRateIncrease ?? 0.01;
  const maxLatencyIncrease = c.maxLatencyIncrease ?? 0.2;
  const minRequests = c.minRequests ?? DEFAULT_MIN_REQUESTS;
  checkMinRequests(checks, 'canary.minRequests', minRequests);
  checks.intInRange('canary.weight', weight, 0, 100, 'use a whole percent from 0 to 100');
  checks.require(Number.isInteger(bakeTime.toSeconds()) && bakeTime.toSeconds() >= 0, 'canary.bakeTime', `${bakeTime.toMilliseconds()}ms`,
    'is not a whole number of seconds from 0', 'give a duration such as Duration.hours(24)');
  checks.require(maxErrorRateIncrease >= 0 && maxErrorRateIncrease < 1, 'canary.maxErrorRateIncrease', maxErrorRateIncrease,
    'is not from 0 to below 1', 'give a share of requests, such as 0.01');
  checks.require(Number.isFinite(maxLatencyIncrease) && maxLatencyIncrease >= 0, 'canary.maxLatencyIncrease', maxLatencyIncrease,
    'is not 0 or more', 'give a share of production\'s p95 latency, such as 0.2');
  checks.require(e.progressiveDelivery === undefined, 'progressiveDelivery', 'set', 'is set on the canary environment',
    'remove it: the candidate\'s Rollout follows the canary settings, and production owns the traffic');
  // The candidate uses production's instances (dataOwner), which production's settings govern.
  for (const field of ['database', 'cache'] as const) {
    checks.require(e[field] === undefined, field, 'set', 'is set on the canary environment, which uses production\'s instances and creates none',
      `remove it: production's ${field} settings govern the instances the candidate shares`);
  }
  const owner = configs.find((o) => o !== e && o.cluster === e.cluster && o.namespace === e.namespace && (o.managesNamespace ?? true));
  checks.require(owner !== undefined && (e.managesNamespace ?? true) === false, 'canary', 'set',
    'is set, but the environment does not run in another environment\'s namespace',
    'run the canary in production\'s cluster and namespace with managesNamespace: false and a nameSuffix such as "-canary"');
  const production = owner;
  checks.require(production.progressiveDelivery !== undefined, 'canary', 'set',
    `shares namespace "${e.namespace}" with "${production.name}", which has no progressiveDelivery`,
    `set progressiveDelivery on "${production.name}", which owns the traffic the candidate takes a share of`);
  checks.require(configs.indexOf(e) < configs.indexOf(production), 'canary', 'set', `comes after "${production.name}" in promotion order`,
    `list "${e.name}" before "${production.name}" in environments`);
  const rivals = configs.filter((o) => o !== e && o.canary !== undefined && o.cluster === e.cluster && o.namespace === e.namespace);
  checks.require(rivals.length === 0, 'canary', 'set', `is also set on "${rivals[0]?.name}", in the same namespace`,
    'keep one canary environment per production environment');
  return { weight, bakeTime, maxErrorRateIncrease, maxLatencyIncrease, minRequests, production: production.name };
}

function checkDataSettings(checks: Checks, database: DatabaseSettings = {}, cache: CacheSettings = {}): void {
  if (database.backupRetentionDays !== undefined) {
    checks.intInRange('database.backupRetentionDays', database.backupRetentionDays, 14, 28);
  }
  if (database.tier !== undefined) {
    checks.require(/^db-[a-z0-9-]+$/.test(database.tier), 'database.tier', database.tier, 'is not a Cloud SQL tier',
      'use a tier such as db-custom-2-7680');
  }
  if (cache.tier !== undefined) checks.oneOf('cache.tier', cache.tier, ['BASIC', 'STANDARD_HA']);
}

export function checkResources(checks: Checks, field: string, r: ResourceProfile): void {
  const cpuRequest = cpuMillis(r.cpu.request);
  const cpuLimit = cpuMillis(r.cpu.limit);
  checks.require(cpuRequest > 0, `${field}.cpu.request`, r.cpu.request.amount, 'is not positive', 'request at least 1m of CPU');
  checks.require(cpuLimit >= cpuRequest, `${field}.cpu.limit`, r.cpu.limit.amount, `is below the request (${r.cpu.request.amount})`,
    `raise the CPU limit to at least ${r.cpu.request.amount} or lower the request`);
  const memRequest = memoryMebibytes(r.memory.request);
  const memLimit = memoryMebibytes(r.memory.limit);
  checks.require(memRequest >= 16, `${field}.memory.request`, `${memRequest}Mi`, 'is below 16Mi', 'request at least Size.mebibytes(16)');
  checks.require(memLimit >= memRequest, `${field}.memory.limit`, `${memLimit}Mi`, `is below the request (${memRequest}Mi)`,
    `raise the memory limit to at least ${memRequest}Mi or lower the request`);
}
