import { RULE_IDS } from './rule-ids';
import { Duration } from 'cdk8s';
import { Checks } from './checks';
import { cidrsOverlap, parseCidr, Cidr } from './cidr';
import {
  AppConfig,
  AppNeeds,
  CacheSettings,
  ClusterConfig,
  DatabaseSettings,
  EnvironmentConfig,
  ExposureConfig,
  GitOpsConfig,
  NodePoolConfig,
  PlatformConfig,
  PortConfig,
  RegistryConfig,
  StateConfig,
  TeamConfig,
} from './config';
import { GCP_REGIONS } from './gcp-region';
import { AppGcpResources, resolveGcpResources } from './gcp-resources';
import { ImageRef } from './image-ref';
import { WorkloadIdentity } from './workload-identity';
import { Addons, AppKubernetesSettings, checkQuota, checkTeams, ENV_VAR, resolveAddons, resolveAppKubernetes } from './kubernetes-settings';
import { naming } from './naming';
import { outputLayout } from './output-layout';
import { ANALYSIS_INTERVAL, DEFAULT_STEP_WEIGHTS, Delivery, entersThroughMesh, InstanceDelivery, resolveDelivery, Track } from './delivery';
import { AppRelease, effectiveRelease, ReleasesConfig } from './releases';
import { resolveSlo, Slo } from './slo';
import { cpuMillis, memoryMebibytes, ResourceProfile } from './resources';

/** A cluster with its defaults applied and the environments that run on it. */
export interface Cluster extends ClusterConfig {
  readonly releaseChannel: 'RAPID' | 'REGULAR' | 'STABLE';
  readonly deletionProtection: boolean;
  readonly argoServer: string;
  readonly nodePool: Required<NodePoolConfig>;
  readonly environments: readonly Environment[];
  /**
   * The identity External Secrets reads Secret Manager as: a Kubernetes service account in the
   * operator's namespace, bound to a Google service account in the cluster's project.
   */
  readonly secretStoreIdentity: WorkloadIdentity;
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
  readonly progressive?: { readonly istioGateway: string; readonly istioNamespace: string };
  /**
   * Set when the namespace is in the Istio mesh: the environment with progressive delivery, and the
   * canary environment beside it.
   */
  readonly mesh?: { readonly istioGateway: string; readonly istioNamespace: string };
  /** Set on the canary environment. */
  readonly canary?: {
    readonly weight: number;
    readonly bakeTime: Duration;
    readonly maxErrorRateIncrease: number;
    readonly maxLatencyIncrease: number;
    /** The environment that owns the namespace and the traffic the candidates share. */
    readonly production: string;
  };
}

/** An app with its defaults applied. */
export interface App {
  readonly name: string;
  readonly image: string;
  readonly ports: readonly PortConfig[];
  readonly exposure: ExposureConfig;
  readonly needs: AppNeeds;
  readonly args?: readonly string[];
  readonly config: Readonly<Record<string, string>>;
  /** Team, probes, secrets and alert thresholds. */
  readonly kubernetes: AppKubernetesSettings;
  /** Rules of `npm run validate` the app waives, with their reasons. */
  readonly waivers: readonly { readonly rule: string; readonly reason: string }[];
  readonly delivery: Delivery;
  /** Undefined for an app that serves no HTTP. */
  readonly slo?: Slo;
}

/** Everything one app needs to render in one environment. */
export interface AppInstance {
  readonly app: App;
  readonly env: Environment;
  /** The name of the app's objects in this environment. */
  readonly name: string;
  readonly replicas: number;
  /** The autoscaler's maximum; equal to `replicas` when the app does not scale. */
  readonly maxReplicas: number;
  readonly resources: ResourceProfile;
  readonly image: ImageRef;
  /** The public or internal host name, when the app is exposed. */
  readonly host?: string;
  /** Settings merged from the app and its override for this environment. */
  readonly config: Readonly<Record<string, string>>;
  /** The app's Google Cloud resources here: identity, database, cache, static IP. */
  readonly gcp: AppGcpResources;
  /** How a release replaces the workload here. */
  readonly delivery: InstanceDelivery;
  /** Which Istio subset the pods belong to, when production shares its route with a candidate. */
  readonly track?: Track;
  /** External hosts enter through the Istio gateway instead of a GKE Ingress. */
  readonly meshIngress: boolean;
}

/** The validated platform model that both planes render from. */
export class Platform {
  public readonly name: string;
  public readonly state: StateConfig;
  public readonly registry: RegistryConfig;
  public readonly gitops: Required<GitOpsConfig>;
  public readonly clusters: readonly Cluster[];
  /** In promotion order. */
  public readonly environments: readonly Environment[];
  /**
   * The production environment, decided here once: the one marked `production`, else the last in
   * promotion order. Diff, validate, release and promote all read it.
   */
  public readonly production: Environment;
  public readonly apps: readonly App[];
  public readonly teams: readonly TeamConfig[];
  public readonly addons: Addons;
  private readonly instancesByEnv: ReadonlyMap<string, readonly AppInstance[]>;

  constructor(config: PlatformConfig) {
    const checks = new Checks();
    checks.dnsLabel('name', config.name, 30);
    this.name = config.name;
    this.state = checkState(config.state, checks);
    checks.oneOf('registry.region', config.registry.region, GCP_REGIONS);
    if (config.registry.keepReleases !== undefined) {
      checks.intInRange('registry.keepReleases', config.registry.keepReleases, 3, 5);
    }
    this.registry = config.registry;
    this.gitops = { revision: 'main', argoNamespace: 'argocd', ...config.gitops };

    this.addons = resolveAddons(config.addons, checks);
    const clusters = resolveClusters(config.clusters, checks, this.addons.externalSecretsNamespace);
    this.environments = resolveEnvironments(config.environments, clusters, checks);
    this.production = this.environments.find((e) => e.production) as Environment;
    this.clusters = clusters.map((c) => ({ ...c, environments: this.environments.filter((e) => e.cluster === c.name) }));
    checkTeams(config.teams, checks);
    this.teams = config.teams;
    this.apps = resolveApps(config.apps, this.environments, config.teams, checks);

    const repository = ImageRef.repositoryPath(this.registry);
    const byEnv = new Map<string, AppInstance[]>();
    for (const env of this.environments) {
      const releases = config.releases.environments[env.name];
      checks.within({ env: env.name }).require(
        releases !== undefined,
        `apps/releases.json:environments.${env.name}`,
        undefined,
        `has no release for environment "${env.name}"`,
        `add "${env.name}": { "tag": "v0.1.0" } to apps/releases.json`,
      );
      for (const appName of Object.keys(releases.apps ?? {})) {
        checks
          .within({ env: env.name })
          .oneOf(`apps/releases.json:environments.${env.name}.apps`, appName, this.apps.map((a) => a.name));
      }
      // The canary environment runs only the apps whose candidates go through it.
      const apps = env.canary ? this.apps.filter((a) => a.delivery.canaryEnvironment) : this.apps;
      byEnv.set(
        env.name,
        apps.map((app) => {
          const release = { tag: releases.tag, ...releases.apps?.[app.name] };
          const delivery = instanceDelivery(app, env, this.environments, config.releases);
          const meshIngress = entersThroughMesh(delivery.delivery);
          return { ...resolveInstance(this.name, app, config.apps, env, release, repository, meshIngress, checks), ...delivery, meshIngress };
        }),
      );
    }
    this.instancesByEnv = byEnv;
    checkGcpNamesUnique([...byEnv.values()].flat(), checks);
  }

  /** The environment called `name`, or undefined. */
  public environment(name: string): Environment | undefined {
    return this.environments.find((e) => e.name === name);
  }

  /** Every app as it runs in `env`, in the order the config lists them. */
  public instances(env: Environment): readonly AppInstance[] {
    return this.instancesByEnv.get(env.name) ?? [];
  }

  /** The release tags some environment runs, sorted: the images the registry must keep. */
  public releaseTags(): string[] {
    const tags = new Set<string>();
    for (const instances of this.instancesByEnv.values()) for (const i of instances) tags.add(i.image.tag);
    return [...tags].sort();
  }
}

/** Builds and validates the platform model; throws a one-line ConfigError on the first bad value. */
export function definePlatform(config: PlatformConfig): Platform {
  return new Platform(config);
}

function resolveClusters(configs: readonly ClusterConfig[], checks: Checks, secretsNamespace: string): Cluster[] {
  checks.require(configs.length > 0, 'clusters', [], 'is empty', 'declare at least one cluster');
  checks.unique('clusters[].name', configs.map((c) => c.name));
  const ranges: { owner: string; cidr: Cidr }[] = [];
  const resolved = configs.map((c): Cluster => {
    const at = `clusters.${c.name}`;
    checks.dnsLabel(`${at}.name`, c.name, 20);
    checks.oneOf(`${at}.region`, c.region, GCP_REGIONS);
    const pool = c.nodePool;
    checks.intInRange(`${at}.nodePool.minNodes`, pool.minNodes, 0, 1000);
    checks.intInRange(`${at}.nodePool.maxNodes`, pool.maxNodes, Math.max(1, pool.minNodes), 1000,
      `set maxNodes to at least minNodes (${pool.minNodes}) and at least 1`);
    const network = c.network;
    const entries: [string, string | undefined][] = [
      ['nodesCidr', network.nodesCidr],
      ['podsCidr', network.podsCidr],
      ['servicesCidr', network.servicesCidr],
      ['controlPlaneCidr', network.controlPlaneCidr],
      ['privateServicesCidr', network.privateServicesCidr],
      ['proxyOnlyCidr', network.proxyOnlyCidr],
    ];
    for (const [key, text] of entries) {
      if (text === undefined) continue;
      const field = `${at}.network.${key}`;
      const cidr = parseCidr(text);
      if (cidr === undefined) {
        return checks.fail(field, text, 'is not an IPv4 CIDR with a zero host part', 'write it as a.b.c.d/n, such as 10.10.0.0/20');
      }
      const clash = ranges.find((r) => cidrsOverlap(r.cidr, cidr));
      if (clash) {
        checks.fail(field, text, `overlaps ${clash.owner} (${clash.cidr.text})`, 'give every subnet and cluster a range of its own');
      }
      ranges.push({ owner: field, cidr });
    }
    const controlPlane = parseCidr(network.controlPlaneCidr);
    checks.require(controlPlane?.prefix === 28, `${at}.network.controlPlaneCidr`, network.controlPlaneCidr,
      'is not a /28', 'GKE needs a /28 for the control plane, such as 172.16.0.0/28');
    if (c.maintenanceStartTime !== undefined) {
      checks.require(/^([01]\d|2[0-3]):[0-5]\d$/.test(c.maintenanceStartTime), `${at}.maintenanceStartTime`, c.maintenanceStartTime,
        'is not a time of day as HH:MM', 'write it as HH:MM in UTC, such as "03:00"');
    }
    return {
      ...c,
      releaseChannel: c.releaseChannel ?? 'REGULAR',
      deletionProtection: c.deletionProtection ?? true,
      argoServer: c.argoServer ?? 'https://kubernetes.default.svc',
      nodePool: { machineType: 'e2-standard-4', diskSizeGb: 100, ...pool },
      environments: [],
      secretStoreIdentity: new WorkloadIdentity(c.project, 'secret-store', { namespace: secretsNamespace, name: 'secret-store' }),
    };
  });
  // VPN ranges may be shared by clusters, but must not collide with any cluster's own ranges.
  for (const c of configs) {
    const field = `clusters.${c.name}.network.vpnCidrs`;
    checks.require(c.network.vpnCidrs.length > 0, field, [], 'is empty: nobody could reach the control plane',
      'list the ranges the VPN assigns, such as ["10.100.0.0/16"]');
    c.network.vpnCidrs.forEach((text, i) => {
      const cidr = parseCidr(text);
      if (cidr === undefined) {
        return checks.fail(`${field}[${i}]`, text, 'is not an IPv4 CIDR with a zero host part', 'write it as a.b.c.d/n, such as 10.100.0.0/16');
      }
      const clash = ranges.find((r) => cidrsOverlap(r.cidr, cidr));
      if (clash) {
        checks.fail(`${field}[${i}]`, text, `overlaps ${clash.owner} (${clash.cidr.text})`, 'give the VPN a range no cluster uses');
      }
    });
  }
  return resolved;
}

function resolveEnvironments(configs: readonly EnvironmentConfig[], clusters: readonly Cluster[], root: Checks): Environment[] {
  root.require(configs.length > 0, 'environments', [], 'is empty', 'declare at least one environment');
  root.unique('environments[].name', configs.map((e) => e.name));
  const marked = configs.filter((e) => e.production === true);
  if (marked.length > 1) {
    root.within({ env: marked[1].name }).fail('production', true, `is set on ${marked.map((e) => `"${e.name}"`).join(' and ')}`,
      'mark exactly one environment as production');
  }
  const production = marked[0] ?? configs[configs.length - 1];
  const resolved = configs.map((e, order): Environment => {
    const checks = root.within({ env: e.name });
    checks.dnsLabel('name', e.name, 20);
    const reserved = outputLayout.reservedEnvironmentName(e.name, clusters.map((c) => c.name));
    if (reserved !== undefined) checks.fail('name', e.name, `is reserved: ${reserved}`, 'give the environment another name');
    checks.oneOf('region', e.region, GCP_REGIONS);
    checks.oneOf('cluster', e.cluster, clusters.map((c) => c.name));
    const cluster = clusters.find((c) => c.name === e.cluster) as Cluster;
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
      canary,
    };
  });
  // The canary joins the mesh of the production environment whose namespace it runs in.
  const envs = resolved.map((e): Environment => (e.canary ? { ...e, mesh: resolved.find((p) => p.name === e.canary?.production)?.progressive } : e));
  // Each namespace has exactly one owner, and environments that share it never share object names.
  for (const env of envs) {
    const sharing = envs.filter((o) => o.cluster === env.cluster && o.namespace === env.namespace);
    const owners = sharing.filter((o) => o.managesNamespace);
    const checks = root.within({ env: env.name });
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
  checks.dnsLabel('progressiveDelivery.istioNamespace', istioNamespace);
  return { istioGateway, istioNamespace };
}

/** The canary environment: it shares the namespace of a production environment with progressive delivery. */
function resolveCanary(e: EnvironmentConfig, configs: readonly EnvironmentConfig[], checks: Checks): Environment['canary'] {
  const c = e.canary;
  if (c === undefined) return undefined;
  const weight = c.weight ?? DEFAULT_STEP_WEIGHTS[0];
  const bakeTime = c.bakeTime ?? Duration.hours(24);
  const maxErrorRateIncrease = c.maxErrorRateIncrease ?? 0.01;
  const maxLatencyIncrease = c.maxLatencyIncrease ?? 0.2;
  checks.intInRange('canary.weight', weight, 0, 100, 'use a whole percent from 0 to 100');
  checks.require(Number.isInteger(bakeTime.toSeconds()) && bakeTime.toSeconds() >= 0, 'canary.bakeTime', `${bakeTime.toMilliseconds()}ms`,
    'is not a whole number of seconds from 0', 'give a duration such as Duration.hours(24)');
  checks.require(maxErrorRateIncrease >= 0 && maxErrorRateIncrease < 1, 'canary.maxErrorRateIncrease', maxErrorRateIncrease,
    'is not from 0 to below 1', 'give a share of requests, such as 0.01');
  checks.require(Number.isFinite(maxLatencyIncrease) && maxLatencyIncrease >= 0, 'canary.maxLatencyIncrease', maxLatencyIncrease,
    'is not 0 or more', 'give a share of production\'s p95 latency, such as 0.2');
  checks.require(e.progressiveDelivery === undefined, 'progressiveDelivery', 'set', 'is set on the canary environment',
    'remove it: the candidate\'s Rollout follows the canary settings, and production owns the traffic');
  const owner = configs.find((o) => o !== e && o.cluster === e.cluster && o.namespace === e.namespace && (o.managesNamespace ?? true));
  checks.require(owner !== undefined && (e.managesNamespace ?? true) === false, 'canary', 'set',
    'is set, but the environment does not run in another environment\'s namespace',
    'run the canary in production\'s cluster and namespace with managesNamespace: false and a nameSuffix such as "-canary"');
  const production = owner as EnvironmentConfig;
  checks.require(production.progressiveDelivery !== undefined, 'canary', 'set',
    `shares namespace "${e.namespace}" with "${production.name}", which has no progressiveDelivery`,
    `set progressiveDelivery on "${production.name}", which owns the traffic the candidate takes a share of`);
  checks.require(configs.indexOf(e) < configs.indexOf(production), 'canary', 'set', `comes after "${production.name}" in promotion order`,
    `list "${e.name}" before "${production.name}" in environments`);
  const rivals = configs.filter((o) => o !== e && o.canary !== undefined && o.cluster === e.cluster && o.namespace === e.namespace);
  checks.require(rivals.length === 0, 'canary', 'set', `is also set on "${rivals[0]?.name}", in the same namespace`,
    'keep one canary environment per production environment');
  return { weight, bakeTime, maxErrorRateIncrease, maxLatencyIncrease, production: production.name };
}

/**
 * How `app` is released in `env`. The candidate's weight is the release state's (`promote --step`)
 * or the configured one while the candidate runs another release than production, and 0 otherwise.
 */
function instanceDelivery(app: App, env: Environment, envs: readonly Environment[], releases: ReleasesConfig): Pick<AppInstance, 'delivery' | 'track'> {
  const canaryEnv = envs.find((e) => e.canary?.production === env.name);
  if (env.canary) {
    const production = envs.find((e) => e.name === env.canary?.production) as Environment;
    return {
      delivery: {
        type: 'candidate',
        stableInstance: naming.workload(app.name, production.nameSuffix),
        bakeTime: env.canary.bakeTime,
        maxErrorRateIncrease: env.canary.maxErrorRateIncrease,
        maxLatencyIncrease: env.canary.maxLatencyIncrease,
        interval: ANALYSIS_INTERVAL,
      },
      track: 'canary',
    };
  }
  const strategy = app.delivery.strategy;
  if (env.progressive === undefined || strategy.type === 'rolling') return { delivery: { type: 'rolling' } };
  if (strategy.type !== 'canary' || !app.delivery.canaryEnvironment || canaryEnv?.canary === undefined) return { delivery: strategy };
  const candidate = effectiveRelease(releases.environments[canaryEnv.name], app.name);
  const stable = effectiveRelease(releases.environments[env.name], app.name);
  const live = candidate.tag !== stable.tag || candidate.digest !== stable.digest;
  const weight = live ? (releases.environments[canaryEnv.name].canaryWeight ?? canaryEnv.canary.weight) : 0;
  return {
    delivery: { ...strategy, candidate: { instance: naming.workload(app.name, canaryEnv.nameSuffix), weight } },
    track: 'stable',
  };
}

function resolveApps(configs: readonly AppConfig[], envs: readonly Environment[], teams: readonly TeamConfig[], root: Checks): App[] {
  root.unique('apps[].name', configs.map((a) => a.name));
  const names = configs.map((a) => a.name);
  const longestSuffix = Math.max(0, ...envs.map((e) => e.nameSuffix.length));
  return configs.map((a): App => {
    const checks = root.within({ app: a.name });
    // Room for the environment suffix and the longest suffix of a derived name ("-slo-dashboard").
    checks.dnsLabel('name', a.name, 63 - longestSuffix - naming.longestDerivedSuffix());
    const ports = a.ports ?? [];
    checks.unique('ports[].name', ports.map((p) => p.name));
    checks.unique('ports[].port', ports.map((p) => String(p.port)));
    ports.forEach((p, i) => {
      checks.require(/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(p.name) && p.name.length <= 15, `ports[${i}].name`, p.name,
        'is not an IANA service name (lower-case letters, digits and "-", at most 15 characters)', 'use a name such as "http" or "metrics"');
      checks.intInRange(`ports[${i}].port`, p.port, 1, 65535, 'choose a port from 1 to 65535');
    });
    const exposure = a.exposure ?? { type: 'none' };
    if (exposure.type !== 'none') {
      checks.oneOf('exposure.port', exposure.port, ports.map((p) => p.name));
    }
    if (exposure.type === 'public') {
      checks.require(exposure.host !== '', 'exposure.host', exposure.host, 'is empty: a public app needs a host',
        'set exposure.host to a DNS label such as "shop"');
      checks.dnsLabel('exposure.host', exposure.host);
    }
    if (exposure.type === 'internal' && exposure.host !== undefined) {
      checks.require(!exposure.host.includes('.'), 'exposure.host', exposure.host,
        'asks for a full host name: an internal app only gets a host under internal.<baseDomain>, never a public one',
        `give a host label such as "${exposure.host.split('.')[0]}", or make the app public`);
      checks.dnsLabel('exposure.host', exposure.host);
    }
    const needs = a.needs ?? {};
    (needs.dependsOn ?? []).forEach((dep, i) => {
      checks.oneOf(`needs.dependsOn[${i}]`, dep, names.filter((n) => n !== a.name));
      const target = configs.find((c) => c.name === dep);
      checks.require((target?.exposure?.type ?? 'none') !== 'none', `needs.dependsOn[${i}]`, dep,
        'names an app nobody can call (its exposure is "none")', `give "${dep}" an exposure of type "cluster" or remove the dependency`);
    });
    if (exposure.type === 'internal') {
      for (const env of envs) {
        checks.within({ env: env.name }).require(env.clusterConfig.network.proxyOnlyCidr !== undefined, 'exposure.type', exposure.type,
          `needs an internal load balancer, and cluster "${env.cluster}" has no proxy-only subnet`,
          `set clusters.${env.cluster}.network.proxyOnlyCidr (a /23), or expose the app another way`);
      }
    }
    if (needs.database) {
      checks.require(needs.database.migrateCommand.length > 0, 'needs.database.migrateCommand', needs.database.migrateCommand,
        'is empty', 'give the command that migrates the schema, such as ["./manage", "migrate"]');
    }
    if (needs.cache?.memoryGb !== undefined) {
      checks.intInRange('needs.cache.memoryGb', needs.cache.memoryGb, 1, 300);
    }
    for (const [envName, override] of Object.entries(a.overrides ?? {})) {
      checks.oneOf('overrides', envName, envs.map((e) => e.name));
      const env = envs.find((e) => e.name === envName) as Environment;
      const envChecks = checks.within({ env: envName });
      if (override.replicas !== undefined) {
        envChecks.intInRange(`overrides.${envName}.replicas`, override.replicas, env.minReplicas, 100,
          `set replicas to at least ${env.minReplicas}, the minimum of environment "${envName}"`);
      }
      if (override.resources) checkResources(envChecks, `overrides.${envName}.resources`, override.resources);
      if (override.maxReplicas !== undefined) {
        envChecks.intInRange(`overrides.${envName}.maxReplicas`, override.maxReplicas, override.replicas ?? env.replicas.replicas, 1000,
          `set maxReplicas to at least the replicas (${override.replicas ?? env.replicas.replicas})`);
      }
    }
    (a.waivers ?? []).forEach((w, i) => {
      checks.oneOf(`waivers[${i}].rule`, w.rule, RULE_IDS);
      checks.require(w.reason.trim() !== '', `waivers[${i}].reason`, w.reason, 'is empty: a waiver needs its reason', 'say why the app may break this rule');
    });
    for (const key of Object.keys(a.config ?? {})) {
      checks.require(ENV_VAR.test(key), 'config', key, 'is not an environment variable name',
        'use upper-case letters, digits and "_", such as LOG_LEVEL');
    }
    const delivery = resolveDelivery(a.delivery, exposure, envs.some((e) => e.canary !== undefined), checks);
    const slo = resolveSlo(a.slo, exposure, checks);
    return {
      name: a.name,
      image: a.image ?? a.name,
      delivery,
      slo,
      kubernetes: resolveAppKubernetes(a, ports, exposure, teams, checks),
      ports,
      exposure,
      needs,
      args: a.args,
      config: a.config ?? {},
      waivers: a.waivers ?? [],
    };
  });
}

function checkState(state: StateConfig, checks: Checks): StateConfig {
  if (state.keepVersions !== undefined) checks.intInRange('state.keepVersions', state.keepVersions, 5, 10);
  if (state.softDeleteDays !== undefined) checks.intInRange('state.softDeleteDays', state.softDeleteDays, 7, 90);
  if (state.kmsKeyName !== undefined) {
    checks.require(/^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/.test(state.kmsKeyName), 'state.kmsKeyName',
      state.kmsKeyName, 'is not a Cloud KMS key name', 'write it as projects/P/locations/L/keyRings/R/cryptoKeys/K, or leave it unset');
  }
  return state;
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

/** Two apps' resources must not share a name in one project (`a-b` in `c` and `a` in `b-c`). */
function checkGcpNamesUnique(instances: readonly AppInstance[], checks: Checks): void {
  const owners = new Map<string, AppInstance>();
  for (const instance of instances) {
    const { identity, database, cache, staticIp } = instance.gcp;
    const names = new Set([identity?.accountId, database?.instanceName, cache?.instanceName, staticIp?.name]);
    for (const name of names) {
      if (name === undefined) continue;
      const key = `${instance.env.project}/${name}`;
      const owner = owners.get(key);
      if (owner !== undefined && owner.app !== instance.app) {
        checks.within({ app: instance.app.name, env: instance.env.name }).fail('name', instance.app.name,
          `gives its Google Cloud resources the name "${name}", which app "${owner.app.name}" uses in env "${owner.env.name}"`,
          'rename one of the two apps');
      }
      owners.set(key, instance);
    }
  }
}

function checkResources(checks: Checks, field: string, r: ResourceProfile): void {
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

function resolveInstance(
  platform: string,
  app: App,
  configs: readonly AppConfig[],
  env: Environment,
  release: AppRelease,
  repository: string,
  meshIngress: boolean,
  root: Checks,
): Omit<AppInstance, 'delivery' | 'track' | 'meshIngress'> {
  const override = configs.find((c) => c.name === app.name)?.overrides?.[env.name] ?? {};
  const name = naming.workload(app.name, env.nameSuffix);
  const exposure = app.exposure;
  const host =
    exposure.type === 'public'
      ? `${exposure.host}.${env.baseDomain}`
      : exposure.type === 'internal'
        ? `${exposure.host ?? app.name}.internal.${env.baseDomain}`
        : undefined;
  const cluster = env.clusterConfig;
  const gcp = resolveGcpResources(
    {
      platform,
      app: app.name,
      needs: app.needs,
      exposure,
      env: env.name,
      project: env.project,
      region: env.region,
      namespace: env.namespace,
      workloadName: name,
      cluster: cluster.name,
      privateServicesCidr: cluster.network.privateServicesCidr,
      meshIngress,
    },
    root.within({ app: app.name, env: env.name }),
  );
  return {
    app,
    env,
    name,
    replicas: override.replicas ?? env.replicas.replicas,
    maxReplicas: Math.max(override.maxReplicas ?? env.maxReplicas, override.replicas ?? env.replicas.replicas),
    resources: override.resources ?? env.resources,
    image: new ImageRef(repository, app.image, release.tag, release.digest),
    host,
    config: { ...app.config, ...override.config },
    gcp,
  };
}
